"""The cockpit page and its big-screen twin for the command hall.

Leaders, the supervision office and the policy research office see the whole
district (leaders their own 包抓 items first); other roles see a reduced cockpit of
their own units' items. The big screen is for the whole-district roles only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .selectors import FULL_ROLES, cockpit_for

REFRESH_SECONDS = 60


def _num(v):
    return None if v is None else float(v)


def chart_data(c) -> dict:
    """Indicators for the chart: completion against time progress, growth against the city."""
    rows = c.indicators
    return {
        "names": [r.indicator.name for r in rows],
        "urls": [r.indicator.get_absolute_url() for r in rows],
        "completion": [_num(r.completion) for r in rows],
        "time_progress": [_num(r.time_progress) for r in rows],
        "growth": [_num(r.growth) for r in rows],
        "city": [_num(r.city_growth) for r in rows],
        "labels": {
            "completion": _("Completion of annual target (%)"),
            "time_progress": _("Time progress (%)"),
            "growth": _("Growth (%)"),
            "city": _("City average growth (%)"),
        },
    }


@login_required
@require_GET
def index(request):
    person = request.user
    if person.district_id is None:
        raise PermissionDenied(_("The cockpit belongs to a district."))
    c = cockpit_for(person)
    return render(request, "cockpit/index.html", {"c": c, "chart": chart_data(c)})


@login_required
@require_GET
def bigscreen(request):
    person = request.user
    if person.district_id is None or person.role not in FULL_ROLES:
        raise PermissionDenied(_("The big screen is for district leaders and the supervision office."))
    c = cockpit_for(person)
    context = {"c": c, "chart": chart_data(c), "refresh": REFRESH_SECONDS}
    template = "cockpit/_bigscreen_panels.html" if request.htmx else "cockpit/bigscreen.html"
    return render(request, template, context)
