"""Weekly progress reports (who has not reported) and whistles (吹哨报到)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from taizhang.core.models import Notification
from taizhang.core.testing import make_task
from taizhang.ledger import selectors, services
from taizhang.ledger.models import KeyProject, Whistle

D = dt.date


def at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_report_carries_investment_onto_the_project_and_history(world):
    project = KeyProject.objects.get(pk=world.project_a.pk)
    services.report_submit(
        actor=world.reporter_a,
        item=project,
        week=D(2026, 11, 16),
        done="完成钢结构吊装",
        investment_completed_year=Decimal("9000"),
        problems="用电指标不足",
        now=at(D(2026, 11, 20)),
    )
    project.refresh_from_db()
    assert project.completed_investment_year == Decimal("9000")
    assert project.completed_investment_total == Decimal("9000")  # 6000 + the 3000 reported this week
    assert project.events.filter(kind="reported").exists()
    assert project.version == 2


def test_report_cannot_push_cumulative_over_total_and_saves_nothing(world):
    project = KeyProject.objects.get(pk=world.project_a.pk)
    with pytest.raises(ValidationError):
        services.report_submit(
            actor=world.reporter_a,
            item=project,
            week=D(2026, 11, 16),
            done="x",
            investment_completed_year=Decimal("60000"),
            now=at(D(2026, 11, 20)),
        )
    project.refresh_from_db()
    assert project.completed_investment_year == Decimal("6000") and not project.reports.exists()


def test_resubmitting_the_same_week_revises_the_report(world):
    for text in ("初稿", "修订"):
        services.report_submit(
            actor=world.reporter_a, item=world.project_a, week=D(2026, 11, 18), done=text, now=at(D(2026, 11, 20))
        )
    assert list(world.project_a.reports.values_list("done", flat=True)) == ["修订"]


def test_report_filed_after_the_due_date_is_marked_late(world):
    r = services.report_submit(
        actor=world.reporter_a, item=world.project_a, week=D(2026, 11, 9), done="补报", now=at(D(2026, 11, 16))
    )
    assert r.is_late
    on_time = services.report_submit(
        actor=world.reporter_a, item=world.project_a, week=D(2026, 11, 16), done="按时", now=at(D(2026, 11, 20))
    )
    assert not on_time.is_late


def test_missing_reports_lists_items_without_a_report_once_due(world):
    week = D(2026, 11, 16)
    services.report_submit(
        actor=world.reporter_a, item=world.project_a, week=week, done="推进", now=at(D(2026, 11, 20))
    )
    # Before Friday's due date nothing is missing yet.
    assert selectors.missing_reports(world.supervisor, week, today=D(2026, 11, 19)) == []
    missing = {m.item.name for m in selectors.missing_reports(world.supervisor, week, today=D(2026, 11, 20))}
    assert missing == {"老旧小区改造", "优化营商环境"}
    # A reporter of dept_a only hears about their own items.
    mine = {m.item.name for m in selectors.missing_reports(world.reporter_a, week, today=D(2026, 11, 21))}
    assert mine == {"优化营商环境"}


def test_missing_reports_page_groups_by_unit(client, world):
    client.force_login(world.supervisor)
    r = client.get(reverse("ledger:reports_missing"), {"week": "2026-11-09"})
    body = r.content.decode()
    assert r.status_code == 200 and "住建局" in body and "老旧小区改造" in body


def test_oversized_and_forbidden_attachments_are_refused(client, world, settings):
    settings.TAIZHANG_MAX_ATTACHMENT_BYTES = 1024
    client.force_login(world.reporter_a)
    url = reverse("ledger:report_create", args=[world.project_a.pk])
    big = SimpleUploadedFile("现场照片.jpg", b"x" * 2048, content_type="image/jpeg")
    r = client.post(url, {"week": "2026-11-16", "done": "推进", "attachments": big})
    assert r.status_code == 400 and not world.project_a.reports.exists()
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    r = client.post(url, {"week": "2026-11-16", "done": "推进", "attachments": exe})
    assert r.status_code == 400 and not world.project_a.reports.exists()
    ok = SimpleUploadedFile("进度.pdf", b"%PDF-1.4", content_type="application/pdf")
    r = client.post(url, {"week": "2026-11-16", "done": "推进", "attachments": ok})
    assert r.status_code == 302
    assert world.project_a.reports.get().attachments.get().original_name == "进度.pdf"


def test_whistle_due_date_counts_working_days_and_escalates_to_the_leader(world):
    whistle = services.whistle_raise(
        actor=world.reporter_a,
        item=world.project_a,
        problem="需要协调供电线路迁改",
        units=[world.dept_b],
        respond_within_workdays=3,
        now=at(D(2026, 2, 13)),
    )
    assert whistle.respond_by == D(2026, 2, 25)  # across the Spring Festival
    assert services.whistles_escalate(today=D(2026, 2, 25)) == 0
    assert services.whistles_escalate(today=D(2026, 2, 26)) == 1
    assert services.whistles_escalate(today=D(2026, 2, 27)) == 0  # only once
    whistle.refresh_from_db()
    assert whistle.escalated_at is not None
    assert Notification.objects.filter(recipient=world.leader, text__contains=world.project_a.name).exists()


def test_summoned_unit_responds_and_whistle_is_answered(client, world):
    whistle = services.whistle_raise(
        actor=world.reporter_a, item=world.project_a, problem="需要住建局现场会商", units=[world.dept_b]
    )
    # dept_b cannot see project_a, but it can see and answer the whistle that summons it.
    client.force_login(world.reporter_b)
    assert client.get(reverse("ledger:item", args=[world.project_a.pk])).status_code == 404
    assert client.get(reverse("ledger:whistle", args=[whistle.pk])).status_code == 200
    r = client.post(reverse("ledger:whistle", args=[whistle.pk]), {"action": "respond", "text": "已安排专人对接"})
    assert r.status_code == 302
    whistle.refresh_from_db()
    assert whistle.state == Whistle.State.ANSWERED
    # A unit that was not summoned sees nothing.
    client.force_login(world.street_admin)
    assert client.get(reverse("ledger:whistle", args=[whistle.pk])).status_code == 404


def test_a_summoned_unit_is_sent_to_the_whistle_never_to_an_item_it_cannot_open(client, world):
    whistle = services.whistle_raise(
        actor=world.reporter_a, item=world.project_a, problem="需要住建局现场会商", units=[world.dept_b]
    )
    item_url, whistle_url = world.project_a.get_absolute_url(), reverse("ledger:whistle", args=[whistle.pk])
    note = Notification.objects.get(recipient=world.reporter_b)
    assert note.url == whistle_url
    client.force_login(world.reporter_b)
    for page in (reverse("ledger:whistles"), whistle_url):
        body = client.get(page).content.decode()
        assert world.project_a.name in body and f'href="{item_url}"' not in body
    client.force_login(world.reporter_a)  # the item's own unit still gets the link
    for page in (reverse("ledger:whistles"), whistle_url):
        assert f'href="{item_url}"' in client.get(page).content.decode()
    services.whistles_escalate(today=whistle.respond_by + dt.timedelta(days=10))
    assert Notification.objects.get(recipient=world.leader).url == whistle_url


def test_unsummoned_unit_cannot_respond(world):
    whistle = services.whistle_raise(actor=world.reporter_a, item=world.project_a, problem="x", units=[world.dept_b])
    with pytest.raises(PermissionDenied):
        services.whistle_respond(actor=world.street_admin, whistle=whistle, response="越权")


def test_whistle_needs_another_unit(world):
    with pytest.raises(ValidationError):
        services.whistle_raise(actor=world.reporter_a, item=world.project_a, problem="x", units=[world.dept_a])


def test_list_page_has_no_n_plus_one(client, world, django_assert_max_num_queries):
    client.force_login(world.supervisor)
    url = reverse("ledger:tasks")
    client.get(url)  # statuses refreshed for today
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    for i in range(25):
        make_task(world.district, world.dept_a, cooperating=[world.dept_b], leaders=[world.leader], name=f"任务{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(url)
    assert "任务24" in r.content.decode()


def test_daily_command_escalates_and_refreshes(world):
    from django.core.management import call_command

    services.whistle_raise(
        actor=world.reporter_a, item=world.project_a, problem="x", units=[world.dept_b], now=at(D(2026, 1, 5))
    )
    call_command("ledger_daily")
    assert Whistle.objects.get().escalated_at is not None


def test_whistle_and_missing_report_lists_export_the_same_rows(client, world):
    import io

    from openpyxl import load_workbook

    services.whistle_raise(actor=world.reporter_a, item=world.project_a, problem="需协调电力迁改", units=[world.dept_b])
    services.whistle_raise(actor=world.reporter_b, item=world.project_b, problem="需规划审批", units=[world.street])
    client.force_login(world.reporter_a)  # sees project_a's whistle only
    r = client.get(reverse("ledger:whistles"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("事项", "吹哨单位", "问题")
    assert [row[2] for row in rows[1:]] == ["需协调电力迁改"]
    assert rows[1][5] == "住建局"  # not yet reported in
    client.force_login(world.supervisor)
    r = client.get(reverse("ledger:reports_missing"), {"week": "2026-11-09", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert {row[2] for row in rows[1:]} == {"智能装备产业园", "老旧小区改造", "优化营商环境"}


def test_a_whistle_naming_an_impossible_unit_id_is_refused_in_words(client, world):
    client.force_login(world.reporter_a)
    r = client.post(
        reverse("ledger:whistle_create", args=[world.project_a.pk]),
        {"problem": "需协调", "units": ["99999999999999999999999"], "days": "99999999999999999999999"},
    )
    assert r.status_code == 400 and "不是一个有效的值" in r.content.decode()
    assert not Whistle.objects.exists()
