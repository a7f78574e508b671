"""Chinese working days.

The State Council publishes each year's holidays and make-up workdays (调休) in
November or December; the ``chinesecalendar`` package carries them. Two facts shape
this module:

* A year the package does not know yet (e.g. next year, before its release) must not
  crash the platform: such days fall back to "Monday to Friday", and the district can
  correct them with ``core.CalendarOverride`` rows until the package is upgraded.
* Status, due dates and clocks are pure functions, so the calendar is a plain value
  (``WorkCalendar``) passed in, not a global looked up inside them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import chinese_calendar

__all__ = ["WorkCalendar", "week_start", "report_due_date"]


@cache
def _statutory_workday(day: dt.date) -> bool:
    # Cached: the package raises for unknown years on every call, and status
    # computation asks about the same few hundred days thousands of times.
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


@dataclass(frozen=True)
class WorkCalendar:
    """Answer "is this a working day?" with local overrides taking precedence."""

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _statutory_workday(day)

    def holiday_name(self, day: dt.date) -> str | None:
        """The statutory holiday a rest day belongs to (e.g. "Spring Festival"), if any."""
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        return name if on_holiday and name else None

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """Return the n-th working day after ``start`` (n ≥ 0; 0 → next workday on/after start).

        "Respond within 3 working days" of a whistle raised on a Friday before the
        Spring Festival lands on the third working day after the holiday.
        """
        if n < 0:
            raise ValueError("n must be non-negative")
        day = start
        if n == 0:
            return self.next_workday_on_or_after(start)
        counted = 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Count working days in (start, end]; negative when end is before start."""
        if end == start:
            return 0
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return sign * count

    def next_workday_on_or_after(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def last_workday_on_or_before(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return day


def week_start(day: dt.date) -> dt.date:
    """Monday of the ISO week containing ``day``."""
    return day - dt.timedelta(days=day.weekday())


def report_due_date(cal: WorkCalendar, monday: dt.date, due_weekday: int = 5) -> dt.date:
    """When the weekly report for the week starting ``monday`` is due.

    Normally ``due_weekday`` (ISO, 5 = Friday). If that day is a holiday, the last
    working day before it in the same week; if the whole week is a holiday (Spring
    Festival, National Day), the first working day after the week. A make-up Saturday
    does not move the due date: offices report on their normal day.
    """
    nominal = monday + dt.timedelta(days=due_weekday - 1)
    day = nominal
    while day >= monday:
        if cal.is_workday(day):
            return day
        day -= dt.timedelta(days=1)
    return cal.next_workday_on_or_after(nominal + dt.timedelta(days=1))
