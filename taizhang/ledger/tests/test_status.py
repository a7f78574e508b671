"""Status computation: pure rules, checked on Chinese calendar edges."""

import datetime as dt
from decimal import Decimal

from taizhang.core.workdays import WorkCalendar
from taizhang.ledger.status import (
    AMBER,
    GREEN,
    RED,
    ItemFacts,
    MilestoneFacts,
    compute_status,
    reason_text,
    time_progress,
)

D = dt.date
CAL = WorkCalendar()


def project(**kw):
    base = {
        "kind": "project",
        "year": 2026,
        "planned_investment_year": Decimal("10000"),
        "completed_investment_year": Decimal("5000"),
    }
    base.update(kw)
    return ItemFacts(**base)


def task(**kw):
    return ItemFacts(kind="task", year=2026, **kw)


def test_time_progress_is_share_of_calendar_year():
    assert time_progress(2026, D(2026, 12, 31)) == Decimal("100")
    assert time_progress(2026, D(2026, 7, 2)) == Decimal("50.1")  # day 183 of 365
    assert time_progress(2026, D(2025, 12, 31)) == Decimal("0")


def test_investment_ahead_of_time_progress_is_green():
    r = compute_status(project(completed_investment_year=Decimal("6000")), D(2026, 7, 2), CAL)
    assert r.status == GREEN and r.lag_points == Decimal("9.9")


def test_investment_slightly_behind_is_amber_far_behind_is_red():
    amber = compute_status(project(completed_investment_year=Decimal("4500")), D(2026, 7, 2), CAL)
    assert amber.status == AMBER and amber.lag_points == Decimal("-5.1")
    red = compute_status(project(completed_investment_year=Decimal("3000")), D(2026, 7, 2), CAL)
    assert red.status == RED and red.lag_points == Decimal("-20.1")
    assert "20.1" in reason_text(red.reasons[0])


def test_deadline_on_spring_festival_moves_to_first_workday_after():
    facts = task(deadline=D(2026, 2, 17))
    # Still inside the festival and on the first working day after it: not overdue.
    assert compute_status(facts, D(2026, 2, 23), CAL).status == AMBER
    assert compute_status(facts, D(2026, 2, 24), CAL).status == AMBER
    # The day after the effective deadline: red.
    r = compute_status(facts, D(2026, 2, 25), CAL)
    assert r.status == RED and r.reasons[0]["code"] == "deadline_passed" and r.reasons[0]["days"] == 1


def test_deadline_near_counts_working_days_only():
    # Deadline Tue 24 Feb, seen on Fri 13 Feb: working days left = Sat 14 (调休) + Tue 24 = 2.
    r = compute_status(task(deadline=D(2026, 2, 24)), D(2026, 2, 13), CAL)
    assert r.status == AMBER and r.reasons[0]["days"] == 2
    # Seen on 2 Feb, 7 working days away: green.
    assert compute_status(task(deadline=D(2026, 2, 24)), D(2026, 2, 2), CAL).status == GREEN


def test_makeup_saturday_counts_toward_milestone_lateness():
    m = MilestoneFacts("主体封顶", D(2026, 2, 6))  # a Friday
    # Working days after 6 Feb: 9,10,11,12,13, Sat 14 (调休) = 6 > 5 → red on the 14th.
    assert compute_status(task(milestones=[m]), D(2026, 2, 13), CAL).status == AMBER
    assert compute_status(task(milestones=[m]), D(2026, 2, 14), CAL).status == RED


def test_met_milestone_and_completed_item_are_green():
    m = MilestoneFacts("开工", D(2026, 3, 1), actual_date=D(2026, 3, 10))
    assert compute_status(task(milestones=[m]), D(2026, 6, 1), CAL).status == GREEN
    done = compute_status(task(deadline=D(2026, 3, 1), completed_on=D(2026, 2, 27)), D(2026, 6, 1), CAL)
    assert done.status == GREEN and done.reasons[0]["code"] == "completed"


def test_worst_rule_wins_and_all_reasons_are_kept():
    facts = project(
        completed_investment_year=Decimal("4500"),
        deadline=D(2026, 3, 1),
        milestones=[MilestoneFacts("竣工验收", D(2026, 6, 1))],
    )
    r = compute_status(facts, D(2026, 7, 2), CAL)
    assert r.status == RED
    assert {x["code"] for x in r.reasons} == {"deadline_passed", "milestone_missed", "investment_behind"}


def test_task_progress_far_behind_its_window_is_amber():
    facts = task(start_date=D(2026, 1, 1), deadline=D(2026, 12, 31), progress_pct=Decimal("20"))
    assert compute_status(facts, D(2026, 7, 2), CAL).status == AMBER
    facts = task(start_date=D(2026, 1, 1), deadline=D(2026, 12, 31), progress_pct=Decimal("45"))
    assert compute_status(facts, D(2026, 7, 2), CAL).status == GREEN
