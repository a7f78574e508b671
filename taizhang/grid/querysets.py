"""Case queries named after what users ask for: open cases, overdue ones, amber ones."""

from __future__ import annotations

import datetime as dt

from django.db import models

OPEN_STATES = ("reported", "registered", "dispatched", "returned", "handling", "handled", "rework")
CENTRE_STATES = ("reported", "registered", "returned")  # waiting for the command centre
DEPARTMENT_STATES = ("dispatched", "handling", "rework")


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def at_centre(self):
        return self.filter(state__in=CENTRE_STATES)

    def with_department(self):
        return self.filter(state__in=DEPARTMENT_STATES)

    def light(self, colour: str, now: dt.datetime):
        """Cases whose running clock (``clock_due``/``clock_amber_at``, see ``Case``) is ``colour``.

        Only open cases have a running clock, so no state test is needed here (and
        none is repeated when the caller already restricts the states).
        """
        if colour == "red":
            return self.filter(clock_due__lt=now)
        if colour == "amber":
            return self.filter(clock_amber_at__lt=now, clock_due__gte=now)
        return self
