"""Case clocks: deadlines in working hours or working days, and their colour.

Pure functions over a :class:`~taizhang.core.workdays.WorkCalendar` (Chinese holidays
and make-up workdays) and the office hours (by default 9:00-12:00 and 13:30-17:30).
All datetimes are timezone-aware; computation happens in the district's time zone.

* "N working hours" counts only office time on working days: a case dispatched at
  17:00 on the Friday before the Spring Festival with 2 working hours is due at
  10:30 on the first working day after the holiday.
* "N working days" ends at the close of the N-th working day after the start day
  (a case dispatched on a working day does not count that day).
* A clock turns amber when ``AMBER_SHARE`` of its working time has elapsed and red
  when it has passed; the amber moment is computed with the limit itself, so it is
  stored next to the deadline and compared in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from taizhang.core.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
AMBER_SHARE = 0.8
DEFAULT_HOURS: tuple[tuple[dt.time, dt.time], ...] = ((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17, 30)))


@dataclass(frozen=True)
class OfficeHours:
    periods: Sequence[tuple[dt.time, dt.time]] = DEFAULT_HOURS

    @property
    def seconds_per_day(self) -> int:
        return sum(_secs(b) - _secs(a) for a, b in self.periods)

    @property
    def close(self) -> dt.time:
        return self.periods[-1][1]


def _secs(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _at(day: dt.date, seconds: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=TZ) + dt.timedelta(seconds=seconds)


def add_working_seconds(
    cal: WorkCalendar, start: dt.datetime, seconds: float, hours: OfficeHours | None = None
) -> dt.datetime:
    """The moment ``seconds`` of office time after ``start``."""
    hours = hours or OfficeHours()
    local = start.astimezone(TZ)
    day = local.date()
    pos = _secs(local.time()) + local.microsecond / 1e6
    remaining = float(seconds)
    while True:
        if cal.is_workday(day):
            for a, b in hours.periods:
                lo, hi = _secs(a), _secs(b)
                begin = max(lo, pos)
                if begin >= hi:
                    continue
                if remaining <= hi - begin:
                    return _at(day, 0) + dt.timedelta(seconds=begin + remaining)
                remaining -= hi - begin
        day += dt.timedelta(days=1)
        pos = 0


def working_seconds_between(
    cal: WorkCalendar, start: dt.datetime, end: dt.datetime, hours: OfficeHours | None = None
) -> float:
    """Office time in [start, end]; negative when end is before start."""
    hours = hours or OfficeHours()
    if end < start:
        return -working_seconds_between(cal, end, start, hours)
    a, b = start.astimezone(TZ), end.astimezone(TZ)
    total = 0.0
    day = a.date()
    while day <= b.date():
        if cal.is_workday(day):
            lo_bound = _secs(a.time()) + a.microsecond / 1e6 if day == a.date() else 0
            hi_bound = _secs(b.time()) + b.microsecond / 1e6 if day == b.date() else 86400
            for p, q in hours.periods:
                lo, hi = max(_secs(p), lo_bound), min(_secs(q), hi_bound)
                if hi > lo:
                    total += hi - lo
        day += dt.timedelta(days=1)
    return total


@dataclass(frozen=True)
class Deadline:
    due: dt.datetime
    amber: dt.datetime


def deadline(
    cal: WorkCalendar, start: dt.datetime, amount: int, unit: str, hours: OfficeHours | None = None
) -> Deadline:
    """When a clock of ``amount`` ``unit`` ("hours" / "days") started at ``start`` runs out, and turns amber."""
    hours = hours or OfficeHours()
    if unit == "hours":
        total = amount * 3600
        due = add_working_seconds(cal, start, total, hours)
    elif unit == "days":
        local = start.astimezone(TZ)
        day = cal.add_workdays(local.date(), amount) if amount else cal.next_workday_on_or_after(local.date())
        due = dt.datetime.combine(day, hours.close, tzinfo=TZ)
        total = working_seconds_between(cal, start, due, hours)
    else:
        raise ValueError(f"unknown limit unit {unit!r}")
    amber = add_working_seconds(cal, start, total * AMBER_SHARE, hours) if total > 0 else due
    return Deadline(due=due, amber=min(amber, due))


def light(now: dt.datetime, amber_at: dt.datetime | None, due: dt.datetime | None) -> str:
    """``green`` / ``amber`` / ``red`` for a running clock ("" when there is none)."""
    if due is None:
        return ""
    if now > due:
        return "red"
    if amber_at is not None and now > amber_at:
        return "amber"
    return "green"
