import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from taizhang.core.calendar import work_calendar
from taizhang.core.models import Notification
from taizhang.ledger.models import ItemEvent
from taizhang.supervision.models import SupervisionNotice
from taizhang.supervision.selectors import NoticeFilters, notices_flagged, notices_for_list
from taizhang.supervision.services import notice_close, notice_issue, notice_reply, notices_generate_for_month

NOV = dt.date(2026, 11, 1)
ISSUE_DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture
def generated(world, activity):
    return notices_generate_for_month(actor=world.supervisor, district=world.district, month=NOV, today=ISSUE_DAY)


def by_item(notices):
    return {n.item.name: n for n in notices}


def test_generation_covers_lagging_and_overdue_items_only(world, activity, generated):
    notices = by_item(generated)
    assert set(notices) == {"智能装备产业园", "老旧小区改造", "滞后的污水处理厂", "一季度完成的征迁任务"}
    assert notices["老旧小区改造"].unit == world.dept_b  # addressed to the lead unit
    assert notices["一季度完成的征迁任务"].reason.count("2026-03-31") == 1
    assert "Investment" in notices["滞后的污水处理厂"].reason or "投资" in notices["滞后的污水处理厂"].reason
    n = generated[0]
    assert n.month == NOV and n.state == SupervisionNotice.State.ISSUED
    assert n.reply_due == work_calendar().add_workdays(ISSUE_DAY, 5) == dt.date(2026, 11, 9)
    assert sorted(x.number for x in generated) == sorted(f"督办〔2026〕{i}号" for i in range(1, 5))
    assert ItemEvent.objects.filter(item=world.project_b, kind="notice").count() == 1


def test_generation_is_idempotent(world, activity, generated):
    again = notices_generate_for_month(actor=world.supervisor, district=world.district, month=NOV, today=ISSUE_DAY)
    assert again == []
    assert SupervisionNotice.objects.count() == len(generated)


def test_only_the_supervision_office_generates(world, activity):
    for person in (world.leader, world.admin_a, world.outsider):
        with pytest.raises(PermissionDenied):
            notices_generate_for_month(actor=person, district=world.district, month=NOV, today=ISSUE_DAY)


def test_generate_page_is_for_supervisors_only(client, world, activity):
    client.force_login(world.leader)
    assert client.post(reverse("supervision:notices_generate"), {"month": "2026-11"}).status_code == 403
    client.force_login(world.supervisor)
    response = client.post(reverse("supervision:notices_generate"), {"month": "2026-11"})
    assert response.status_code == 302
    assert SupervisionNotice.objects.filter(district=world.district).count() == 4
    assert client.get(reverse("supervision:notices_generate")).status_code == 405


def test_issue_refuses_a_second_open_notice(world, activity, generated):
    with pytest.raises(ValidationError):
        notice_issue(actor=world.supervisor, item=world.project_a, requirement="再次督办", today=ISSUE_DAY)


def test_issue_numbers_continue_and_reply_days_are_checked(world, activity, generated):
    with pytest.raises(ValidationError):
        notice_issue(actor=world.supervisor, item=world.task_coop, requirement="x", reply_within_workdays=31)
    n = notice_issue(
        actor=world.supervisor, item=world.task_coop, requirement="请加快进度", reply_within_workdays=3, today=ISSUE_DAY
    )
    assert n.number == "督办〔2026〕5号" and n.reply_due == dt.date(2026, 11, 5)


def test_reply_then_close(world, activity, generated):
    n = by_item(generated)["智能装备产业园"]
    with pytest.raises(ValidationError, match="反馈后才能办结"):
        notice_close(actor=world.supervisor, notice=n)
    notice_reply(actor=world.reporter_a, notice=n, text="已约谈施工单位，本月底前追回进度")
    n.refresh_from_db()
    assert n.state == "replied" and n.replied_by == world.reporter_a
    assert ItemEvent.objects.filter(item=world.project_a, kind="notice", actor=world.reporter_a).exists()
    with pytest.raises(ValidationError):
        notice_reply(actor=world.admin_a, notice=n, text="再次反馈")
    with pytest.raises(PermissionDenied):
        notice_close(actor=world.leader, notice=n)
    notice_close(actor=world.supervisor, notice=n)
    n.refresh_from_db()
    assert n.state == "closed" and n.closed_at
    with pytest.raises(ValidationError):
        notice_close(actor=world.supervisor, notice=n)
    # Once closed, the item may be supervised again.
    again = notice_issue(actor=world.supervisor, item=world.project_a, requirement="继续督办", today=ISSUE_DAY)
    assert again.number == "督办〔2026〕5号"


def test_reply_needs_the_addressee_unit(world, activity, generated):
    n = by_item(generated)["智能装备产业园"]  # addressed to 发改局
    for person in (world.reporter_b, world.viewer_a, world.leader, world.supervisor):
        with pytest.raises(PermissionDenied):
            notice_reply(actor=person, notice=n, text="不是我们的")
    with pytest.raises(ValidationError):
        notice_reply(actor=world.admin_a, notice=n, text="   ")


def test_reply_and_close_pages(client, world, activity, generated):
    n = by_item(generated)["智能装备产业园"]
    url_reply = reverse("supervision:notice_reply", args=[n.pk])
    url_close = reverse("supervision:notice_close", args=[n.pk])

    client.force_login(world.reporter_b)  # another unit: the notice does not exist for them
    assert client.get(n.get_absolute_url()).status_code == 404
    assert client.post(url_reply, {"text": "x"}).status_code == 404
    client.force_login(world.viewer_a)  # sees it, may not answer
    page = client.get(n.get_absolute_url())
    assert page.status_code == 200 and page.context["reply_form"] is None
    assert client.post(url_reply, {"text": "x"}).status_code == 403

    client.force_login(world.supervisor)
    response = client.post(url_close)
    assert response.status_code == 409  # not replied yet
    n.refresh_from_db()
    assert n.state == "issued"

    client.force_login(world.reporter_a)
    page = client.get(n.get_absolute_url())
    assert page.context["reply_form"] is not None and not page.context["can_close"]
    assert client.post(url_reply, {"text": ""}).status_code == 400
    assert client.post(url_reply, {"text": "已整改"}).status_code == 302
    assert client.post(url_reply, {"text": "再答一次"}).status_code == 409
    assert client.post(url_close).status_code == 403
    n.refresh_from_db()
    assert n.state == "replied" and n.reply_text == "已整改"

    client.force_login(world.supervisor)
    assert client.get(n.get_absolute_url()).context["can_close"]
    assert client.post(url_close).status_code == 302
    n.refresh_from_db()
    assert n.state == "closed"


def test_flagged_when_unanswered_past_due(world, activity, generated):
    n = by_item(generated)["智能装备产业园"]  # reply due 2026-11-09
    assert n.pk not in [x.pk for x in notices_flagged(world.supervisor, today=dt.date(2026, 11, 9))]
    assert n.pk in [x.pk for x in notices_flagged(world.supervisor, today=dt.date(2026, 11, 10))]
    assert n.is_flagged(dt.date(2026, 11, 10))
    notice_reply(actor=world.admin_a, notice=n, text="已反馈")
    assert n.pk not in [x.pk for x in notices_flagged(world.supervisor, today=dt.date(2026, 11, 10))]


def test_notice_scope(world, activity, generated):
    everyone = {n.pk for n in generated}
    for person in (world.leader, world.supervisor, world.policy):
        assert {n.pk for n in notices_for_list(person)} == everyone
    assert {n.item.name for n in notices_for_list(world.reporter_a)} == {"智能装备产业园"}
    assert {n.item.name for n in notices_for_list(world.reporter_b)} == {
        "老旧小区改造",
        "滞后的污水处理厂",
        "一季度完成的征迁任务",
    }
    assert list(notices_for_list(world.street_admin)) == []
    assert list(notices_for_list(world.outsider)) == []


def test_addressees_are_notified(world, activity, generated):
    assert Notification.objects.filter(recipient=world.reporter_b).exists()


def test_notice_list_page_filters_and_partial(client, world, activity, generated):
    client.force_login(world.supervisor)
    page = client.get(reverse("supervision:notices"))
    assert page.status_code == 200 and "督办〔2026〕1号" in page.content.decode()
    partial = client.get(reverse("supervision:notices"), {"unit": world.dept_a.pk}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html and "智能装备产业园" in html and "老旧小区改造" not in html
    assert f"unit={world.dept_a.pk}" in html  # the export link carries the filters
    client.force_login(world.reporter_a)
    html = client.get(reverse("supervision:notices")).content.decode()
    assert "智能装备产业园" in html and "老旧小区改造" not in html and "notices/generate" not in html


def test_notice_docx(client, world, activity, generated):
    n = by_item(generated)["老旧小区改造"]
    client.force_login(world.reporter_b)
    response = client.get(reverse("supervision:notice_docx", args=[n.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = {r.cells[0].text: r.cells[1].text for t in doc.tables for r in t.rows}
    assert doc.paragraphs[0].text == "督办通知单"
    assert n.number in text and "区委办督查室" in text
    assert cells["受文单位"] == "住建局"
    assert cells["督办事项"].startswith("老旧小区改造")
    assert cells["督办要求"] == n.requirement
    assert "2026年11月9日" in cells["反馈时限"]
    assert cells["督办原因"] and cells["办理状态"] == "待反馈"
    client.force_login(world.reporter_a)
    assert client.get(reverse("supervision:notice_docx", args=[n.pk])).status_code == 404


def _xlsx_rows(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_notices_xlsx_honours_filters_and_scope(client, world, activity, generated):
    notice_reply(actor=world.reporter_a, notice=by_item(generated)["智能装备产业园"], text="已反馈")
    client.force_login(world.supervisor)
    rows = _xlsx_rows(client.get(reverse("supervision:notices_xlsx")))
    assert rows[0][:4] == ["编号", "督办月份", "受文单位", "督办事项"]
    assert len(rows) == 5
    rows = _xlsx_rows(client.get(reverse("supervision:notices_xlsx"), {"state": "replied"}))
    assert [r[3] for r in rows[1:]] == ["智能装备产业园"] and rows[1][8] == "已反馈" and rows[1][10] == "已反馈"
    rows = _xlsx_rows(client.get(reverse("supervision:notices_xlsx"), {"unit": world.dept_b.pk, "state": "issued"}))
    assert sorted(r[3] for r in rows[1:]) == ["一季度完成的征迁任务", "滞后的污水处理厂", "老旧小区改造"]
    # Real "today" is after the reply date of every notice issued on 2026-11-02.
    rows = _xlsx_rows(client.get(reverse("supervision:notices_xlsx"), {"flagged": "1"}))
    assert len(rows) == 4 and all(r[9] == "是" for r in rows[1:])

    client.force_login(world.reporter_b)
    rows = _xlsx_rows(client.get(reverse("supervision:notices_xlsx"), {"unit": world.dept_a.pk}))
    assert rows[1:] == []  # filtering on another unit never widens the scope
    rows = _xlsx_rows(client.get(reverse("supervision:notices_xlsx")))
    assert {r[2] for r in rows[1:]} == {"住建局"}


def test_notice_filters_from_params():
    f = NoticeFilters.from_params({"state": "bogus", "unit": "x", "flagged": "1", "month": "2026-11"})
    assert f.state == "" and f.unit is None and f.flagged and f.month == NOV
