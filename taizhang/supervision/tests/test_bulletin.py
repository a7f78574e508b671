import io

from django.urls import reverse
from docx import Document

from taizhang.ledger.selectors import missing_reports
from taizhang.supervision.documents import SECTION_TITLES
from taizhang.supervision.selectors import bulletin_week, weekly_bulletin_build

from .conftest import TODAY, WEEK


def names(lines):
    return [ln.item.name for ln in lines]


def test_bulletin_sections_from_real_reports_and_whistles(world, activity):
    b = weekly_bulletin_build(person=world.supervisor, week_start=WEEK, today=TODAY)

    assert b.issue_number == 23 and b.year == 2026
    assert b.issuer == "区委办督查室"
    assert sorted(names(b.moved)) == sorted(["智能装备产业园", "优化营商环境", "发改局独办的数据中心"])
    moved_a = next(ln for ln in b.moved if ln.item.name == "智能装备产业园")
    assert moved_a.report.investment_completed_year == 7000 and moved_a.report.progress_pct == 45
    assert moved_a.planned_investment_year == 12000
    assert sorted(names(b.problems)) == ["发改局独办的数据中心", "智能装备产业园"]

    behind = names(b.behind)
    assert {"智能装备产业园", "老旧小区改造", "滞后的污水处理厂", "一季度完成的征迁任务"} <= set(behind)
    assert "提前完成的物流园" not in behind and "已竣工的体育馆" not in behind and "优化营商环境" not in behind
    overdue_task = next(ln for ln in b.behind if ln.item.name == "一季度完成的征迁任务")
    assert any("2026-03-31" in r for r in overdue_task.reasons)

    # Escalated whistle first.
    assert [ln.whistle.pk for ln in b.whistles] == [activity.whistle_escalated.pk, activity.whistle_open.pk]
    assert b.whistles[0].escalated and b.whistles[0].silent == ["住建局"]
    assert b.escalated_whistles == 1

    missing = names(b.missing)
    assert {"老旧小区改造", "滞后的污水处理厂", "提前完成的物流园"} <= set(missing)
    assert "智能装备产业园" not in missing and "已竣工的体育馆" not in missing
    assert b.reports_due


def test_bulletin_groups_by_lead_unit_and_by_leader(world, activity):
    b = weekly_bulletin_build(person=world.supervisor, week_start=WEEK, today=TODAY)
    by_unit = {g.label: g for g in b.by_unit}
    assert set(names(by_unit["发改局"].moved)) == {"智能装备产业园", "发改局独办的数据中心"}
    assert names(by_unit["住建局"].moved) == ["优化营商环境"]  # led by 住建局, 发改局 only cooperates
    assert "老旧小区改造" in names(by_unit["住建局"].missing)
    assert by_unit["发改局"].items == 4

    by_leader = {g.label: g for g in b.by_leader}
    assert names(by_leader["王区长"].moved) == ["智能装备产业园"]
    assert by_leader["王区长"].items == 1
    assert [ln.whistle.pk for ln in by_leader["王区长"].whistles] == [activity.whistle_escalated.pk]
    assert b.by_leader[-1].key == 0  # "no responsible leader" comes last


def test_missing_reports_follow_the_ledger_rule(world, activity):
    for person in (world.supervisor, world.reporter_b, world.admin_a):
        b = weekly_bulletin_build(person=person, week_start=WEEK, today=TODAY)
        ledger = missing_reports(person, WEEK, TODAY)
        assert sorted((ln.item.pk, ln.due) for ln in b.missing) == sorted((m.item.pk, m.due) for m in ledger)
        assert b.missing


def test_reports_not_yet_due_are_not_missing(world, activity):
    b = weekly_bulletin_build(person=world.supervisor, week_start=WEEK, today=WEEK)
    assert b.missing == [] and not b.reports_due


def test_bulletin_page_picks_any_week(client, world, activity):
    client.force_login(world.supervisor)
    page = client.get(reverse("supervision:bulletin"), {"week": "2026-06-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "完成主体结构封顶" in html and "征地拆迁尚未完成" in html
    assert "?week=2026-05-25" in html and "?week=2026-06-08" in html
    assert f'<a href="{reverse("ledger:item", args=[world.project_a.pk])}">{world.project_a.name}</a>' in html
    assert page.context["b"].week_start == WEEK
    by_leader = client.get(reverse("supervision:bulletin"), {"week": "2026-06-01", "by": "leader"})
    assert [g.label for g in by_leader.context["groups"]][0] == "王区长"


def test_bulletin_week_defaults_to_the_current_week():
    assert bulletin_week(None, today=TODAY) == TODAY
    assert bulletin_week("2026-06-07", today=TODAY) == WEEK
    assert bulletin_week("garbage", today=TODAY) == TODAY


def _docx_text(doc):
    return "\n".join(p.text for p in doc.paragraphs)


def test_bulletin_docx_is_an_official_bulletin(client, world, activity):
    client.force_login(world.supervisor)
    response = client.get(reverse("supervision:bulletin_docx"), {"week": "2026-06-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert ".docx" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = _docx_text(doc)
    assert doc.paragraphs[0].text == "重点工作周调度通报"
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.font.color.rgb is not None and str(title_run.font.color.rgb) == "C00000"
    assert title_run._r.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert "第23期" in text and "区委办督查室" in text
    positions = [text.index(title) for title in SECTION_TITLES]
    assert positions == sorted(positions)

    tables = {t.rows[0].cells[1].text + t.rows[0].cells[2].text: t for t in doc.tables}
    progress = next(t for t in doc.tables if t.rows[0].cells[4].text == "本周进展")
    rows = [[c.text for c in r.cells] for r in progress.rows[1:]]
    assert len(rows) == 3
    row_a = next(r for r in rows if r[2] == "智能装备产业园")
    assert row_a[1] == "发改局" and row_a[3] == "王区长" and row_a[4] == "完成主体结构封顶"
    assert row_a[5] == "45.0%" and row_a[6] == "7,000/12,000"

    behind = next(t for t in doc.tables if t.rows[0].cells[-1].text == "滞后原因")
    behind_names = {r.cells[2].text for r in behind.rows[1:]}
    assert {"滞后的污水处理厂", "一季度完成的征迁任务"} <= behind_names
    whistles = next(t for t in doc.tables if t.rows[0].cells[2].text == "吹哨单位")
    # Downloaded today, long after the second whistle's deadline.
    assert [r.cells[-1].text for r in whistles.rows[1:]] == ["已升级", "超期未报到"]
    missing = next(t for t in doc.tables if t.rows[0].cells[-1].text == "报送截止")
    assert "老旧小区改造" in {r.cells[2].text for r in missing.rows[1:]}
    by_unit = next(
        t for t in doc.tables if t.rows[0].cells[1].text == "牵头单位" and t.rows[0].cells[2].text == "事项数"
    )
    assert {r.cells[1].text for r in by_unit.rows[1:]} >= {"发改局", "住建局"}
    assert tables  # every table has a header row


def test_bulletin_scope_reporter_of_dept_b(client, world, activity):
    client.force_login(world.reporter_b)
    page = client.get(reverse("supervision:bulletin"), {"week": "2026-06-01"}).content.decode()
    docx = client.get(reverse("supervision:bulletin_docx"), {"week": "2026-06-01"}).content
    doc = Document(io.BytesIO(docx))
    doc_text = _docx_text(doc) + "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    for text in (page, doc_text):
        assert "发改局独办的数据中心" not in text and "电力扩容审批慢" not in text
        assert "提前完成的物流园" not in text
        assert "老旧小区改造" in text and "优化营商环境" in text

    b = weekly_bulletin_build(person=world.reporter_b, week_start=WEEK, today=TODAY)
    assert "智能装备产业园" not in names(b.moved) + names(b.behind) + names(b.missing)
    # 住建局 was summoned by the whistle on 发改局's project, so it sees that whistle.
    assert activity.whistle_escalated.pk in [ln.whistle.pk for ln in b.whistles]


def test_supervisor_of_another_district_sees_only_their_district(world, activity):
    b = weekly_bulletin_build(person=world.outsider, week_start=WEEK, today=TODAY)
    assert b.district_name == "渭水区"
    assert names(b.behind) + names(b.missing) == ["外区项目", "外区项目"]
    assert not b.moved and not b.whistles
