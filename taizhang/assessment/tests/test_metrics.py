"""Metrics computed from ledger and supervision data, pinned with hand-computed facts."""

import datetime as dt
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from taizhang.assessment.metrics import METRICS
from taizhang.core.testing import make_person, make_project, make_task, make_unit
from taizhang.ledger.services import report_submit, whistle_raise, whistle_respond
from taizhang.org.models import Role
from taizhang.supervision.services import notice_issue

TZ = ZoneInfo("Asia/Shanghai")
MARCH = {"year": 2026, "start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31), "as_of": dt.date(2026, 3, 31)}


def at(m, day, hour=10):
    return dt.datetime(2026, m, day, hour, tzinfo=TZ)


@pytest.fixture
def stats(world):
    unit = make_unit(world.district, "统计局")
    return unit, make_person(world.district, Role.REPORTER, unit, name="统计填报员")


def run(key, world, unit, **kw):
    args = {**MARCH, **kw}
    return METRICS[key].fn(district_id=world.district.pk, unit_ids=[unit.pk], **args)[unit.pk]


def test_missing_reports_counts_item_weeks_without_an_on_time_report(world, stats):
    unit, reporter = stats
    started = make_task(world.district, unit, start_date=dt.date(2026, 3, 2))
    finished = make_task(world.district, unit, completed_on=dt.date(2026, 3, 10))
    # Weeks of 2, 9, 16, 23 March are due (Fridays) by 31 March; 30 March is due 3 April.
    report_submit(actor=reporter, item=started, week=dt.date(2026, 3, 9), done="推进", now=at(3, 12))
    report_submit(actor=reporter, item=started, week=dt.date(2026, 3, 16), done="推进", now=at(3, 25))  # late
    value, ids = run("missing_reports", world, unit)
    # started: owes 4, one on time → 3 ; finished on 10 March: owes the weeks of 2 and 9 March → 2
    assert value == D(5) and ids == sorted([started.pk, finished.pk])
    # A later as_of adds the week of 30 March for the open item only.
    value, _ids = run("missing_reports", world, unit, as_of=dt.date(2026, 4, 3))
    assert value == D(6)


def test_unanswered_whistles_and_notices(world, stats):
    unit, reporter = stats
    ignored = whistle_raise(actor=world.reporter_a, item=world.project_a, problem="用地", units=[unit], now=at(3, 2))
    answered = whistle_raise(actor=world.reporter_a, item=world.project_a, problem="水电", units=[unit], now=at(3, 3))
    whistle_respond(actor=reporter, whistle=answered, response="已对接", now=at(3, 4))
    assert ignored.respond_by < MARCH["as_of"]
    assert run("unanswered_whistles", world, unit) == (D(1), [ignored.pk])
    # Not yet late on the respond-by day itself.
    assert run("unanswered_whistles", world, unit, as_of=ignored.respond_by) == (D(0), [])

    task = make_task(world.district, unit)
    notice = notice_issue(
        actor=world.supervisor, item=task, requirement="加快推进", today=dt.date(2026, 3, 2), now=at(3, 2)
    )
    assert run("unanswered_notices", world, unit) == (D(1), [notice.pk])
    assert run("unanswered_notices", world, unit, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30)) == (D(0), [])


def test_investment_against_plan_uses_latest_report_up_to_the_window_end(world, stats):
    unit, reporter = stats
    project = make_project(
        world.district,
        unit,
        planned_investment_year=D("1200"),
        completed_investment_year=D("0"),
        completed_investment_total=D("0"),
    )
    report_submit(
        actor=reporter,
        item=project,
        week=dt.date(2026, 3, 9),
        done="施工",
        investment_completed_year=D("300"),
        now=at(3, 12),
    )
    report_submit(
        actor=reporter,
        item=project,
        week=dt.date(2026, 4, 6),
        done="施工",
        investment_completed_year=D("600"),
        now=at(4, 9),
    )
    # 31 March is day 90 of 365: 300 × 100 / (1200 × 90/365) = 101.39
    value, ids = run("project_investment_vs_plan", world, unit, start=dt.date(2026, 1, 1))
    assert value == D("101.39") and ids == [project.pk]


def test_rates_without_denominator_are_missing(world, stats):
    unit, _reporter = stats
    assert run("task_on_time_rate", world, unit) == (None, [])
    assert run("project_investment_vs_plan", world, unit) == (None, [])
    assert run("overdue_items", world, unit) == (D(0), [])


def test_task_on_time_rate_counts_milestones_and_deadlines(world, stats):
    unit, _reporter = stats
    task = make_task(
        world.district,
        unit,
        deadline=dt.date(2026, 3, 20),
        completed_on=dt.date(2026, 3, 18),
        milestones=[
            {"name": "方案", "planned_date": dt.date(2026, 3, 5), "actual_date": dt.date(2026, 3, 6)},
            {"name": "启动", "planned_date": dt.date(2026, 3, 10), "actual_date": dt.date(2026, 3, 9)},
        ],
    )
    # 3 nodes: milestone late, milestone on time, deadline met → 2/3 = 66.67 %
    assert run("task_on_time_rate", world, unit) == (D("66.67"), [task.pk])
