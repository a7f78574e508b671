"""Red/amber/green status, computed from an item's data — never typed.

Pure functions on plain values (no database), so every rule is unit-tested on
calendar edge cases. Rules, worst wins:

* completed (completed_on set)                              → green
* deadline passed (a deadline on a rest day moves to the
  next working day, as statutory time limits do)           → red
* deadline within N working days                           → amber
* a milestone past its (working-day adjusted) planned date
  without an actual date: amber, red after M working days
* key project: investment completed this year as a share of
  this year's plan, against time progress (时间进度, the share
  of the calendar year elapsed): behind → amber, more than
  R points behind → red
* key task with start date and deadline: reported progress
  more than R points behind the elapsed share of its window → amber

Reasons are stored as codes with parameters and rendered in the reader's language
by ``reason_text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from taizhang.core.workdays import WorkCalendar

GREEN, AMBER, RED = "green", "amber", "red"
_RANK = {GREEN: 0, AMBER: 1, RED: 2}
ONE_DP = Decimal("0.1")


@dataclass(frozen=True)
class Thresholds:
    amber_lag_points: float = 0.0
    red_lag_points: float = 10.0
    milestone_red_after_workdays: int = 5
    deadline_amber_within_workdays: int = 5


@dataclass(frozen=True)
class MilestoneFacts:
    name: str
    planned_date: dt.date
    actual_date: dt.date | None = None


@dataclass(frozen=True)
class ItemFacts:
    kind: str  # "project" | "task"
    year: int
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    completed_on: dt.date | None = None
    progress_pct: Decimal = Decimal("0")
    planned_investment_year: Decimal | None = None
    completed_investment_year: Decimal | None = None
    milestones: Sequence[MilestoneFacts] = ()


@dataclass
class StatusResult:
    status: str = GREEN
    reasons: list[dict] = field(default_factory=list)
    lag_points: Decimal | None = None

    def raise_to(self, status: str, code: str, **params) -> None:
        if _RANK[status] > _RANK[self.status]:
            self.status = status
        self.reasons.append({"code": code, "level": status, **params})


def time_progress(year: int, today: dt.date) -> Decimal:
    """Share of ``year`` elapsed at the end of ``today``, in percent (0–100)."""
    first = dt.date(year, 1, 1)
    last = dt.date(year, 12, 31)
    if today < first:
        return Decimal("0")
    if today >= last:
        return Decimal("100")
    days = (last - first).days + 1
    return (Decimal((today - first).days + 1) * 100 / days).quantize(ONE_DP, ROUND_HALF_UP)


def window_progress(start: dt.date, end: dt.date, today: dt.date) -> Decimal:
    """Share of the window [start, end] elapsed at the end of ``today``, in percent."""
    if today < start:
        return Decimal("0")
    if today >= end:
        return Decimal("100")
    total = (end - start).days + 1
    return (Decimal((today - start).days + 1) * 100 / total).quantize(ONE_DP, ROUND_HALF_UP)


def compute_status(facts: ItemFacts, today: dt.date, cal: WorkCalendar, th: Thresholds = Thresholds()) -> StatusResult:
    result = StatusResult()
    if facts.completed_on is not None:
        result.reasons.append({"code": "completed", "level": GREEN, "date": facts.completed_on.isoformat()})
        return result

    if facts.deadline is not None:
        due = cal.next_workday_on_or_after(facts.deadline)
        if today > due:
            result.raise_to(RED, "deadline_passed", days=cal.workdays_between(due, today), date=due.isoformat())
        elif (due - today).days <= th.deadline_amber_within_workdays * 2 + 21:
            # (Only near deadlines can be within N working days, even across the
            # longest holiday; skipping far ones keeps bulk recomputation cheap.)
            left = cal.workdays_between(today, due)
            if left <= th.deadline_amber_within_workdays:
                result.raise_to(AMBER, "deadline_near", days=left, date=due.isoformat())

    for m in facts.milestones:
        if m.actual_date is not None:
            continue
        due = cal.next_workday_on_or_after(m.planned_date)
        if today > due:
            late = cal.workdays_between(due, today)
            level = RED if late > th.milestone_red_after_workdays else AMBER
            result.raise_to(level, "milestone_missed", name=m.name, days=late, date=due.isoformat())

    if facts.kind == "project" and facts.planned_investment_year:
        tp = time_progress(facts.year, today)
        done = (facts.completed_investment_year or Decimal("0")) * 100 / facts.planned_investment_year
        lag = (done - tp).quantize(ONE_DP, ROUND_HALF_UP)
        result.lag_points = lag
        if lag < -Decimal(str(th.red_lag_points)):
            result.raise_to(RED, "investment_behind", points=str(-lag), time_progress=str(tp))
        elif lag < -Decimal(str(th.amber_lag_points)):
            result.raise_to(AMBER, "investment_behind", points=str(-lag), time_progress=str(tp))
        else:
            result.reasons.append(
                {"code": "investment_ahead", "level": GREEN, "points": str(lag), "time_progress": str(tp)}
            )
    elif facts.kind == "task" and facts.start_date and facts.deadline and facts.deadline > facts.start_date:
        expected = window_progress(facts.start_date, facts.deadline, today)
        lag = (Decimal(facts.progress_pct) - expected).quantize(ONE_DP, ROUND_HALF_UP)
        result.lag_points = lag
        if lag < -Decimal(str(th.red_lag_points)):
            result.raise_to(AMBER, "progress_behind", points=str(-lag), expected=str(expected))
    return result


def reason_text(reason: dict) -> str:
    """Render a stored reason in the active language."""
    code = reason.get("code")
    if code == "completed":
        return _("Completed on %(date)s") % reason
    if code == "deadline_passed":
        return _("Deadline %(date)s passed %(days)s working days ago") % reason
    if code == "deadline_near":
        return _("Deadline %(date)s is %(days)s working days away") % reason
    if code == "milestone_missed":
        return _("Milestone “%(name)s” (%(date)s) overdue by %(days)s working days") % reason
    if code == "investment_behind":
        return _("Investment %(points)s points behind time progress (%(time_progress)s%%)") % reason
    if code == "investment_ahead":
        return _("Investment %(points)s points ahead of time progress (%(time_progress)s%%)") % reason
    if code == "progress_behind":
        return _("Progress %(points)s points behind schedule (expected %(expected)s%%)") % reason
    return str(reason)
