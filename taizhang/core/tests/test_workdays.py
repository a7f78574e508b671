"""Working days on the edges that matter: Spring Festival, make-up Saturdays, unknown years."""

import datetime as dt

import pytest

from taizhang.core.workdays import WorkCalendar, report_due_date, week_start

D = dt.date
CAL = WorkCalendar()


def test_spring_festival_2026_is_rest_and_makeup_saturday_is_work():
    assert not CAL.is_workday(D(2026, 2, 17))  # 初一
    assert CAL.is_workday(D(2026, 2, 14))  # 调休 Saturday before the festival
    assert CAL.is_workday(D(2026, 2, 28))  # 调休 Saturday after it
    assert not CAL.is_workday(D(2026, 3, 1))  # ordinary Sunday


def test_add_workdays_skips_the_whole_festival():
    # Raised on Friday 13 Feb with 3 working days: Sat 14 (make-up) counts, then
    # the festival runs to Mon 23; Tue 24 and Wed 25 are the next two.
    assert CAL.add_workdays(D(2026, 2, 13), 3) == D(2026, 2, 25)


def test_workdays_between_counts_makeup_days_and_skips_holidays():
    assert CAL.workdays_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # Sat 14, Tue 24
    assert CAL.workdays_between(D(2026, 2, 24), D(2026, 2, 13)) == -2
    assert CAL.workdays_between(D(2026, 3, 2), D(2026, 3, 2)) == 0


def test_report_due_date_normal_week_is_friday():
    assert report_due_date(CAL, D(2026, 3, 2)) == D(2026, 3, 6)


def test_report_due_date_for_a_week_entirely_in_the_festival_is_next_workday():
    assert report_due_date(CAL, D(2026, 2, 16)) == D(2026, 2, 24)


def test_report_due_date_moves_back_when_friday_is_a_holiday():
    # National Day 2026: Oct 1 (Thu) – Oct 7; the week of Sep 28: Friday Oct 2 is a holiday.
    assert report_due_date(CAL, D(2026, 9, 28)) == D(2026, 9, 30)


def test_year_not_in_calendar_falls_back_to_weekdays_and_honours_overrides():
    assert CAL.is_workday(D(2031, 1, 6))  # a Monday; no data for 2031 yet
    assert not CAL.is_workday(D(2031, 1, 5))  # a Sunday
    cal = WorkCalendar(overrides={D(2031, 1, 6): False, D(2031, 1, 5): True})
    assert not cal.is_workday(D(2031, 1, 6))
    assert cal.is_workday(D(2031, 1, 5))


def test_week_start_is_monday():
    assert week_start(D(2026, 11, 21)) == D(2026, 11, 16)


def test_add_workdays_rejects_negative():
    with pytest.raises(ValueError):
        CAL.add_workdays(D(2026, 1, 5), -1)


def test_override_in_database_reaches_the_calendar(db):
    from taizhang.core.calendar import work_calendar
    from taizhang.core.models import CalendarOverride

    assert work_calendar().is_workday(D(2031, 1, 6))
    CalendarOverride.objects.create(date=D(2031, 1, 6), is_workday=False, note="元旦调休")
    assert not work_calendar().is_workday(D(2031, 1, 6))
