"""Clocks in working hours and working days, across the Spring Festival and make-up Saturdays."""

import datetime as dt

from taizhang.core.workdays import WorkCalendar
from taizhang.grid.clocks import TZ, OfficeHours, deadline, light, working_seconds_between

CAL = WorkCalendar()


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


def test_working_hours_skip_lunch_and_nights():
    assert deadline(CAL, at(2026, 3, 10, 11, 0), 2, "hours").due == at(2026, 3, 10, 14, 30)
    assert deadline(CAL, at(2026, 3, 10, 17, 0), 1, "hours").due == at(2026, 3, 11, 9, 30)
    assert deadline(CAL, at(2026, 3, 10, 7, 0), 1, "hours").due == at(2026, 3, 10, 10, 0)  # before opening
    assert deadline(CAL, at(2026, 3, 10, 12, 30), 1, "hours").due == at(2026, 3, 10, 14, 30)  # at lunch


def test_weekends_are_skipped():
    # Friday 16:30 + 2 working hours → Monday 10:00.
    assert deadline(CAL, at(2026, 3, 13, 16, 30), 2, "hours").due == at(2026, 3, 16, 10, 0)


def test_make_up_saturday_counts_and_spring_festival_does_not():
    # 2026: Spring Festival 15-23 Feb; Saturday 14 Feb is a make-up workday (调休).
    assert deadline(CAL, at(2026, 2, 13, 17, 0), 2, "hours").due == at(2026, 2, 14, 10, 30)
    assert deadline(CAL, at(2026, 2, 14, 17, 0), 2, "hours").due == at(2026, 2, 24, 10, 30)
    # 3 working days from Friday 13 Feb: Sat 14, Tue 24, Wed 25 → end of 25 Feb.
    assert deadline(CAL, at(2026, 2, 13, 10, 0), 3, "days").due == at(2026, 2, 25, 17, 30)


def test_local_override_wins():
    cal = WorkCalendar(overrides={dt.date(2026, 3, 11): False})
    assert deadline(cal, at(2026, 3, 10, 17, 0), 1, "hours").due == at(2026, 3, 12, 9, 30)


def test_amber_at_eighty_percent_of_working_time_and_light():
    d = deadline(CAL, at(2026, 3, 10, 9, 0), 10, "hours")
    assert d.due == at(2026, 3, 11, 12, 0)  # 7 h on the 10th, 3 h on the 11th
    assert d.amber == at(2026, 3, 11, 10, 0)  # after 8 working hours
    assert light(at(2026, 3, 11, 9, 59), d.amber, d.due) == "green"
    assert light(at(2026, 3, 11, 10, 1), d.amber, d.due) == "amber"
    assert light(at(2026, 3, 11, 12, 1), d.amber, d.due) == "red"
    assert light(at(2026, 3, 11, 12, 1), None, None) == ""


def test_working_seconds_between_and_custom_hours():
    assert working_seconds_between(CAL, at(2026, 3, 10, 9, 0), at(2026, 3, 10, 17, 30)) == 7 * 3600
    assert working_seconds_between(CAL, at(2026, 3, 10, 17, 30), at(2026, 3, 10, 9, 0)) == -7 * 3600
    hours = OfficeHours(((dt.time(8), dt.time(12)), (dt.time(14), dt.time(18))))
    assert deadline(CAL, at(2026, 3, 10, 11, 0), 2, "hours", hours).due == at(2026, 3, 10, 15, 0)
