"""The district's working calendar: statutory holidays plus local overrides."""

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from .workdays import WorkCalendar

_CACHE_KEY = "taizhang:calendar-overrides:v1"


def work_calendar() -> WorkCalendar:
    """Return the calendar in force, overrides read once and cached until changed."""
    overrides = cache.get(_CACHE_KEY)
    if overrides is None:
        from .models import CalendarOverride

        overrides = {row.date: row.is_workday for row in CalendarOverride.objects.all()}
        cache.set(_CACHE_KEY, overrides, 3600)
    return WorkCalendar(overrides=overrides)


def calendar_invalidate() -> None:
    cache.delete(_CACHE_KEY)


def today() -> dt.date:
    """Today in the district's time zone (Asia/Shanghai), never the server's."""
    return timezone.localdate()
