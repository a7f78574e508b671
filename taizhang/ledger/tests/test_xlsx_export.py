"""Exporting the ledger to Excel: same scope and filters as the list pages, one query plan."""

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.core.calendar import today as local_today
from taizhang.core.testing import make_person, make_project, make_unit
from taizhang.ledger.models import KeyProject, KeyTask
from taizhang.ledger.xlsx import ledger_import
from taizhang.org.models import Role

from .xlsx_helpers import PROJECT_HEADERS, TASK_HEADERS, as_dicts, read_sheet


def _export(client, person, name, **params):
    client.force_login(person)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response


def _names(response):
    return sorted(row["项目名称" if "项目名称" in row else "任务名称"] for row in as_dicts(response.content))


def test_the_project_export_is_a_real_workbook_with_chinese_headers_and_typed_cells(client, world):
    KeyProject.objects.filter(pk=world.project_a.pk).update(code="XM-001", land_area_mu=Decimal("120.5"))
    world.project_a.cooperating_units.set([world.dept_b, world.street])

    response = _export(client, world.supervisor, "ledger:projects_xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filename = f"重点项目台账_{local_today().isoformat()}.xlsx"
    assert f"filename*=UTF-8''{quote(filename)}" in response["Content-Disposition"]
    headers, _rows, ws = read_sheet(response.content)
    assert ws.title == "重点项目"
    assert set(PROJECT_HEADERS) <= set(headers)
    assert {"状态", "状态说明", "较时间进度(个百分点)", "年度投资完成率(%)"} <= set(headers)
    assert ws.freeze_panes == "A2"
    assert all(cell.font.b for cell in ws[1])
    row = next(r for r in as_dicts(response.content) if r["项目编号"] == "XM-001")
    assert row["项目名称"] == "智能装备产业园"
    assert row["项目类别"] == "产业" and row["项目阶段"] == "在建" and row["建设性质"] == "新建"
    assert row["牵头单位"] == "发改局"
    assert row["配合单位"] == "住建局、金台街道"
    assert row["包抓领导"] == "王区长"
    assert row["总投资(万元)"] == 50000 and row["占地面积(亩)"] == 120.5
    assert row["开工日期"] == dt.datetime(2026, 3, 1)  # a real date cell, not text
    assert row["状态"] in {"红", "黄", "绿"}
    assert row["年度投资完成率(%)"] == 50
    excel_row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "XM-001")
    start_cell = excel_row[headers.index("开工日期")]
    assert start_cell.is_date and start_cell.number_format == "yyyy-mm-dd"
    assert excel_row[headers.index("总投资(万元)")].data_type == "n"
    assert ws.column_dimensions["B"].width >= 14  # wide enough for a Chinese name


def test_the_status_columns_explain_a_red_item(client, world):
    today = local_today()
    make_project(
        world.district,
        world.dept_a,
        name="逾期项目",
        start_date=today - dt.timedelta(days=400),
        deadline=today - dt.timedelta(days=30),
    )

    rows = as_dicts(_export(client, world.supervisor, "ledger:projects_xlsx").content)

    late = next(r for r in rows if r["项目名称"] == "逾期项目")
    assert late["状态"] == "红"
    assert late["状态说明"]  # the reasons, as text


def test_the_task_export_has_the_task_columns(client, world):
    response = _export(client, world.supervisor, "ledger:tasks_xlsx")

    headers, _rows, ws = read_sheet(response.content)
    assert ws.title == "重点任务"
    assert set(TASK_HEADERS) <= set(headers)
    row = as_dicts(response.content)[0]
    assert (row["任务名称"], row["牵头单位"], row["配合单位"]) == ("优化营商环境", "住建局", "发改局")
    assert row["完成时限"] == dt.datetime(2026, 12, 31)


def test_the_export_honours_the_status_filter(client, world):
    today = local_today()
    make_project(
        world.district,
        world.dept_a,
        name="逾期项目",
        start_date=today - dt.timedelta(days=400),
        deadline=today - dt.timedelta(days=30),
    )

    response = _export(client, world.supervisor, "ledger:projects_xlsx", status="red")

    assert _names(response) == sorted(
        KeyProject.objects.filter(district=world.district, status="red").values_list("name", flat=True)
    )
    assert "逾期项目" in _names(response)
    assert all(r["状态"] == "红" for r in as_dicts(response.content))


def test_the_export_honours_the_unit_filter(client, world):
    response = _export(client, world.supervisor, "ledger:projects_xlsx", unit=world.dept_b.id)
    assert _names(response) == ["老旧小区改造"]

    response = _export(client, world.supervisor, "ledger:tasks_xlsx", unit=world.dept_a.id)
    assert _names(response) == ["优化营商环境"]  # dept_a only cooperates


def test_a_reporter_exports_only_the_items_of_their_unit(client, world):
    assert _names(_export(client, world.reporter_b, "ledger:projects_xlsx")) == ["老旧小区改造"]
    assert _names(_export(client, world.reporter_a, "ledger:projects_xlsx")) == ["智能装备产业园"]
    assert _names(_export(client, world.reporter_a, "ledger:tasks_xlsx")) == ["优化营商环境"]


def test_nobody_exports_another_districts_items(client, world):
    assert "外区项目" not in _names(_export(client, world.supervisor, "ledger:projects_xlsx"))
    assert _names(_export(client, world.outsider, "ledger:projects_xlsx")) == ["外区项目"]


def test_exports_need_a_login(client, world):
    response = client.get(reverse("ledger:projects_xlsx"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_export_queries_do_not_grow_with_the_number_of_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.supervisor)
    url = reverse("ledger:projects_xlsx")
    client.get(url)  # today's status refresh happens once, on the first read
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(25):
        unit = make_unit(world.district)
        leader = make_person(world.district, Role.LEADER, name=f"领导{i}")
        make_project(world.district, unit, cooperating=[world.dept_a, world.dept_b], leaders=[leader, world.leader])

    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(as_dicts(response.content)) == 27


def test_an_export_re_imports_into_another_district_as_equal_items(client, world):
    KeyProject.objects.filter(pk=world.project_a.pk).update(
        code="XM-001", latitude=Decimal("34.1"), longitude=Decimal("107.2"), land_area_mu=Decimal("88.25")
    )
    KeyTask.objects.filter(pk=world.task_coop.pk).update(
        code="RW-001", source_date=dt.date(2026, 1, 5), progress_pct=Decimal("35.5"), source_quote="原文"
    )
    world.project_a.cooperating_units.set([world.dept_b, world.street])
    projects_xlsx = _export(client, world.supervisor, "ledger:projects_xlsx").content
    tasks_xlsx = _export(client, world.supervisor, "ledger:tasks_xlsx").content
    # The other district has units and a leader of the same names.
    other = world.other_district
    for name in ("住建局", "金台街道"):
        make_unit(other, name)
    make_person(other, Role.LEADER, name="王区长")

    for content in (projects_xlsx, tasks_xlsx):
        result = ledger_import(actor=world.outsider, district=other, file=SimpleUploadedFile("x.xlsx", content))
        assert result.ok, result.errors

    def snapshot(model, district):
        out = {}
        for item in model.objects.filter(district=district).prefetch_related("cooperating_units", "leaders"):
            fields = {
                f.name: getattr(item, f.name)
                for f in model._meta.concrete_fields
                if f.name
                in (
                    "year",
                    "code",
                    "description",
                    "responsible_person",
                    "start_date",
                    "deadline",
                    "progress_pct",
                    "category",
                    "level",
                    "construction_type",
                    "phase",
                    "total_investment",
                    "planned_investment_year",
                    "completed_investment_year",
                    "completed_investment_total",
                    "land_area_mu",
                    "latitude",
                    "longitude",
                    "source_title",
                    "source_date",
                    "source_quote",
                )
            }
            fields["lead_unit"] = item.lead_unit.name
            fields["cooperating_units"] = sorted(u.name for u in item.cooperating_units.all())
            fields["leaders"] = sorted(p.full_name for p in item.leaders.all())
            out[item.name] = fields
        return out

    for model in (KeyProject, KeyTask):
        original = snapshot(model, world.district)
        copied = snapshot(model, other)
        copied.pop("外区项目", None)
        assert copied == original
    assert snapshot(KeyProject, other)["智能装备产业园"]["cooperating_units"] == ["住建局", "金台街道"]
