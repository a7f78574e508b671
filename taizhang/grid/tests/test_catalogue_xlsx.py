"""The incident catalogue as .xlsx: export = template, all-or-nothing import, routing, permissions."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from taizhang.grid import services
from taizhang.grid.models import Category, RoutingRule
from taizhang.grid.xlsx import HEADERS, SHEET


def _export(client, person) -> list[list]:
    client.force_login(person)
    r = client.get("/grid/catalogue.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content), read_only=True)[SHEET]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _upload(rows: list[list], headers=HEADERS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("事件分类.xlsx", buf.getvalue())


def _post(client, person, upload):
    client.force_login(person)
    return client.post("/grid/catalogue/", {"file": upload})


def test_export_is_the_catalogue_and_imports_back_unchanged(g, client):
    RoutingRule.objects.filter(category=g.road).delete()
    services.routing_rule_add(category=g.road, unit=g.world.dept_b)
    services.routing_rule_add(category=g.road, unit=g.world.dept_a)
    rows = _export(client, g.dispatcher)
    assert rows[0] == HEADERS
    road = next(r for r in rows if r[2] == g.road.code)
    assert road[:4] == ["03", g.road.parent.name, "0303", g.road.name]
    assert road[5] in ("工作小时", "工作日") and set(road[8].split("、")) == {"住建局", "发改局"}
    before = list(Category.objects.filter(district=g.world.district).order_by("code").values())
    r = _post(client, g.dispatcher, _upload(rows[1:]))
    assert r.status_code == 302
    assert list(Category.objects.filter(district=g.world.district).order_by("code").values()) == before
    assert set(RoutingRule.objects.filter(category=g.road, street=None).values_list("unit__name", flat=True)) == {
        "住建局",
        "发改局",
    }


def test_import_adds_updates_and_replaces_district_routing_but_keeps_street_overrides(g, client):
    w = g.world
    override = services.routing_rule_add(category=g.road, unit=w.dept_a, street=g.street2)
    rows = [
        ["03", "施工管理", "0303", "道路破损（含坑槽）", 4, "工作小时", 3, "工作日", "发改局", "是"],
        ["90", "扩展事件", "9001", "共享单车乱停放", 1, "工作小时", 8, "工作小时", "住建局、发改局", "是"],
        ["90", "扩展事件", "9002", "楼道堆物", 2, "小时", 2, "天", "", "否"],
    ]
    r = _post(client, g.dispatcher, _upload(rows))
    assert r.status_code == 302
    road = Category.objects.get(pk=g.road.pk)
    assert (road.name, road.dispatch_limit, road.dispatch_unit, road.handle_limit, road.handle_unit) == (
        "道路破损（含坑槽）",
        4,
        "hours",
        3,
        "days",
    )
    assert list(RoutingRule.objects.filter(category=road, street=None).values_list("unit", flat=True)) == [w.dept_a.pk]
    assert RoutingRule.objects.filter(pk=override.pk).exists()  # the street's own rule stays
    bikes = Category.objects.get(district=w.district, code="9001")
    assert bikes.parent.code == "90" and bikes.parent.name == "扩展事件" and bikes.parent.parent is None
    assert set(RoutingRule.objects.filter(category=bikes).values_list("unit__name", flat=True)) == {"住建局", "发改局"}
    clutter = Category.objects.get(district=w.district, code="9002")
    assert not clutter.is_active and (clutter.handle_limit, clutter.handle_unit) == (2, "days")
    assert not RoutingRule.objects.filter(category=clutter).exists()
    # An inactive type is no longer offered for new reports.
    assert services.category_active(district_id=w.district.pk, pk=clutter.pk) is None


def test_a_bad_row_saves_nothing_and_reports_each_problem_in_chinese(g, client):
    w = g.world
    before = list(Category.objects.filter(district=w.district).order_by("id").values())
    rules = list(RoutingRule.objects.order_by("id").values())
    rows = [
        ["90", "扩展事件", "9001", "共享单车乱停放", 1, "工作小时", 8, "工作小时", "住建局", "是"],  # fine
        ["90", "其他事件", "9002", "楼道堆物", 0, "分钟", 2.5, "工作日", "不存在局", "也许"],
        ["91", "扩展事件二", "9001", "", None, "工作小时", 1, "工作日", "", ""],
        ["0303", "道路", "01", "市容", 1, "工作小时", 1, "工作日", "", ""],
    ]
    r = _post(client, g.dispatcher, _upload(rows))
    assert r.status_code == 422
    body = r.content.decode()
    assert "未导入任何数据" in body
    for text in (
        "大类 90 在前面的行中名为“扩展事件”",
        "1 到 999 的整数",
        "请填写 工作小时 或 工作日",
        "本区没有名为“不存在局”的单位",
        "请填写 是 或 否",
        "编号 9001 已在第 2 行使用",
        "此项必填",
        "01 是大类的编码，不是小类的编码",
        "0303 是小类的编码，不是大类的编码",
    ):
        assert text in body, text
    assert list(Category.objects.filter(district=w.district).order_by("id").values()) == before
    assert list(RoutingRule.objects.order_by("id").values()) == rules


def test_missing_columns_and_non_workbooks_are_refused(g, client):
    r = _post(client, g.dispatcher, _upload([["90", "扩展事件"]], headers=["大类编码", "大类名称"]))
    assert r.status_code == 422 and "表头中缺少这一必填列" in r.content.decode()
    r = _post(client, g.dispatcher, SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert r.status_code == 422 and "不是有效的 Excel 工作簿" in r.content.decode()


def test_only_the_command_centre_imports_offices_read_others_are_refused(g, client):
    w = g.world
    upload = _upload([["90", "扩展事件", "9001", "共享单车乱停放", 1, "工作小时", 8, "工作小时", "", "是"]])
    for person in (w.supervisor, w.leader):
        client.force_login(person)
        assert client.get("/grid/catalogue/").status_code == 200
        assert client.get("/grid/catalogue.xlsx").status_code == 200
        assert _post(client, person, upload).status_code == 403
    for person in (w.reporter_a, w.admin_a, g.worker):
        client.force_login(person)
        assert client.get("/grid/catalogue/").status_code == 403
        assert client.get("/grid/catalogue.xlsx").status_code == 403
    assert not Category.objects.filter(code="9001").exists()
    # Another district's supervision office sees its own (empty) catalogue, never this one.
    Category.objects.filter(pk=g.road.pk).update(name="道路破损（秦川区专用）")
    client.force_login(w.outsider)
    assert "秦川区专用" not in client.get("/grid/catalogue/").content.decode()
    assert all("秦川区专用" not in str(row) for row in _export(client, w.outsider))


def test_catalogue_page_lists_classes_types_limits_and_routing(g, client):
    services.routing_rule_add(category=g.road, unit=g.world.dept_a, street=g.street2)
    services.routing_rule_add(category=g.litter.parent, unit=g.world.dept_b)
    bare = Category.objects.filter(parent=g.litter.parent).exclude(routing_rules__isnull=False).first()
    client.force_login(g.dispatcher)
    body = client.get("/grid/catalogue/").content.decode()
    assert g.road.name in body and g.road.parent.name in body
    assert f"{g.street2.name} → 发改局" in body
    assert 'id="import-form"' in body
    # A type without rules of its own follows its class; one whose class has none is flagged.
    row = body[body.index(bare.name) :]
    assert row.index("同所属大类") < row.index("</tr>")
    assert "未设置：由指挥中心人工派遣" in body
