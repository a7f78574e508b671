"""Indicator pages: the table of the latest period, one indicator's page, Excel in and out.

Indicators belong to the district, not to a unit: everyone signed in to the district
may read them (the cockpit and the weekly dispatch quote them); only the supervision
and policy research offices import figures.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taizhang.core.calendar import today as local_today
from taizhang.core.forms import XlsxUploadForm

from . import selectors, xlsx
from .models import Indicator
from .services import can_enter_indicators


def _period(request, district_id) -> tuple[int, int] | None:
    try:
        year, month = int(request.GET["year"]), int(request.GET["month"])
    except (KeyError, ValueError):
        return selectors.latest_period(district_id)
    return (year, month) if 1 <= month <= 12 and 2000 <= year <= 2100 else selectors.latest_period(district_id)


def access_indicator(person, pk: int) -> Indicator:
    """The indicator ``pk`` of the person's district; 404 for any other."""
    if person.district_id is None:
        raise Http404
    return get_object_or_404(Indicator, pk=pk, district_id=person.district_id)


@login_required
@require_GET
def index(request):
    district_id = request.user.district_id
    period = _period(request, district_id)
    rows = selectors.indicator_table(district_id, period)
    return render(
        request,
        "indicators/index.html",
        {
            "rows": rows,
            "period": period,
            "periods": selectors.periods_of(district_id)[:36],
            "behind": sum(1 for r in rows if r.behind),
            "can_enter": can_enter_indicators(request.user),
        },
    )


def _chart_data(detail: selectors.IndicatorDetail) -> dict:
    def num(v):
        return None if v is None else float(v)

    years = sorted(detail.series)[-2:]
    months = list(range(1, 13))
    series = []
    for year in years:
        by_month = {p["month"]: p for p in detail.series[year]}
        series.append(
            {
                "year": year,
                "actual": [num(by_month[m]["actual"]) if m in by_month else None for m in months],
                "growth": [num(by_month[m]["growth"]) if m in by_month else None for m in months],
                "city": [num(by_month[m]["city"]) if m in by_month else None for m in months],
            }
        )
    return {
        "months": [_("Month %(m)d") % {"m": m} for m in months],
        "series": series,
        "ranking": [{"name": n, "growth": num(g), "rank": r} for n, g, r in detail.ranking],
        "own": detail.row.indicator.district.name if detail.ranking else "",
    }


@login_required
@require_GET
def detail(request, pk: int):
    indicator = access_indicator(request.user, pk)
    data = selectors.indicator_detail(indicator)
    return render(
        request,
        "indicators/detail.html",
        {
            "indicator": indicator,
            "d": data,
            "row": data.row,
            "chart": _chart_data(data),
            "can_enter": can_enter_indicators(request.user),
        },
    )


def _require_enterer(person) -> None:
    if not can_enter_indicators(person):
        raise PermissionDenied(_("Only the supervision office and the policy research office may enter indicators."))


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    _require_enterer(request.user)
    result = None
    if request.method == "POST":
        form = XlsxUploadForm(request.POST, request.FILES)
        if form.is_valid():
            result = xlsx.indicators_import(
                actor=request.user, district=request.user.district, file=form.cleaned_data["file"]
            )
            if result.ok:
                if result.recorded:
                    messages.success(request, _("Recorded %(n)d monthly figures.") % {"n": result.recorded})
                else:
                    messages.warning(request, _("The file has no rows to import."))
                return redirect("indicators:index")
    else:
        form = XlsxUploadForm()
    return render(
        request,
        "indicators/import.html",
        {"form": form, "result": result},
        status=200 if result is None or result.ok else 422,
    )


@login_required
@require_GET
def import_template(request):
    if request.user.district_id is None:
        raise Http404
    return xlsx.template_response(request.user.district)


@login_required
@require_GET
def export(request):
    if request.user.district_id is None:
        raise Http404
    try:
        year = int(request.GET.get("year") or local_today().year)
    except ValueError:
        year = local_today().year
    return xlsx.export_response(request.user.district, year)
