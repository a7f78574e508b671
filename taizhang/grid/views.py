"""Grid pages: the phone report page, the public citizen pages, the dispatch board,
the case page with its actions, the department inbox, verification, maps and statistics.

Every fetch of a case goes through ``access.access_case`` (404 outside the scope);
every change through ``services`` (which decide what is legal and who may do it).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.core.calendar import today as local_today
from taizhang.core.forms import XlsxUploadForm, as_id, as_ids, as_version
from taizhang.org.models import District, Role, Unit

from . import access, ratelimit, selectors, services
from . import xlsx as grid_xlsx
from .forms import PublicReportForm, ReportForm, TrackForm
from .models import Case, CaseEvent, CasePhoto, Category, DispatchModel, GridCell
from .routing import routing

CATALOGUE_READERS = frozenset({Role.LEADER, Role.SUPERVISOR, Role.POLICY})

S = Case.State


def _tile_url() -> str:
    return getattr(settings, "TAIZHANG_TILE_URL", "")


def _errors(exc: ValidationError) -> list[str]:
    return [m for m in exc.messages]


# --------------------------------------------------------------------------- board


def _filters(request) -> selectors.CaseFilters:
    g = request.GET
    return selectors.CaseFilters(
        state=g.get("state", ""),
        light=g.get("light", ""),
        category=as_id(g.get("category")),
        street=as_id(g.get("street")),
        unit=as_id(g.get("unit")),
        q=g.get("q", "").strip()[:100],
        duplicates=g.get("duplicates") == "1",
    )


@login_required
def board(request):
    """The dispatch board: open cases with live clocks (the results refresh every 30 s)."""
    user = request.user
    if user.district_id is None:
        raise Http404
    now = timezone.now()
    filters = _filters(request)
    context = {
        "rows": selectors.board_rows(user, filters, now=now),
        "filters": filters,
        "now": now,
        "states": S.choices,
        "categories": Category.objects.filter(district_id=user.district_id, parent__isnull=True),
        "streets": Unit.objects.filter(district_id=user.district_id, kind=Unit.Kind.STREET),
        "is_dispatcher": access.is_dispatcher(user),
        "query": request.GET.urlencode(),
        "model": DispatchModel.objects.filter(district_id=user.district_id).order_by("-trained_at").first(),
        "has_classifier": services._classifier() is not None,
    }
    if request.htmx:
        return render(request, "grid/_board_results.html", context)
    return render(request, "grid/board.html", context)


# --------------------------------------------------------------------------- case page and actions


def _case_context(request, case: Case) -> dict:
    user = request.user
    now = timezone.now()
    assignments = list(case.assignments.select_related("unit", "handled_by").all())
    case._prefetched_objects_cache = {"assignments": assignments}
    selectors.case_clock(case, now)
    ctx = {
        "case": case,
        "assignments": assignments,
        "events": CaseEvent.objects.filter(case=case).select_related("actor", "unit"),
        "photos": list(case.photos.all()),
        "now": now,
        "tile_url": _tile_url(),
        "is_dispatcher": access.is_dispatcher(user),
        "mine": access.handling_assignments(user, case),
        "can_verify": case.state == S.HANDLED and access.can_verify(user, case),
        "can_reopen": case.state == S.CLOSED and (access.is_dispatcher(user) or case.reporter_id == user.pk),
    }
    if ctx["is_dispatcher"] and case.state in (S.REPORTED, S.REGISTERED, S.RETURNED):
        ctx["proposed"] = routing().units_for_case(case)
        ctx["suggested"] = selectors.suggest_units(case)
        ctx["units"] = Unit.objects.filter(district_id=case.district_id, is_active=True).exclude(
            kind__in=[Unit.Kind.COMMUNITY, Unit.Kind.LEADERSHIP]
        )
    if case.possible_duplicate_of_id:
        ctx["duplicate"] = access.cases_for(user).filter(pk=case.possible_duplicate_of_id).first()
    return ctx


@login_required
def case_detail(request, pk: int):
    case = access.access_case(request.user, pk)
    return render(request, "grid/case.html", _case_context(request, case))


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    """Apply one action of the closed loop; the services refuse what is illegal."""
    user = request.user
    case = access.access_case(user, pk)
    post = request.POST
    version = as_version(post.get("version"))
    try:
        if action == "register":
            services.case_register(actor=user, case=case, expected_version=version, note=post.get("note", ""))
        elif action == "dispatch":
            ids = as_ids(post.getlist("units"))
            units = list(Unit.objects.filter(district_id=user.district_id, pk__in=ids))
            units.sort(key=lambda u: ids.index(u.pk))
            services.case_dispatch_confirm(
                actor=user, case=case, units=units, expected_version=version, note=post.get("note", "")
            )
        elif action == "reject":
            services.case_reject(actor=user, case=case, reason=post.get("reason", ""), expected_version=version)
        elif action == "accept":
            services.case_accept(actor=user, case=case)
        elif action == "return":
            services.case_return(actor=user, case=case, reason=post.get("reason", ""))
        elif action == "handle":
            services.case_handle(
                actor=user, case=case, result=post.get("result", ""), photos=request.FILES.getlist("photos")
            )
        elif action == "verify":
            services.case_verify(actor=user, case=case, passed=post.get("passed") == "1", note=post.get("note", ""))
        elif action == "reopen":
            services.case_reopen(actor=user, case=case, reason=post.get("reason", ""))
        elif action == "merge":
            into = access.cases_for(user).filter(pk=as_id(post.get("into"))).first()
            if into is None:
                raise ValidationError(_("Choose another case of the district to merge into."))
            services.case_merge(actor=user, case=case, into=into, expected_version=version)
        else:
            raise Http404
    except services.ConcurrentCaseError as exc:
        messages.error(request, str(exc))
        return redirect("grid:case", pk=pk)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
        return redirect("grid:case", pk=pk)
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return redirect("grid:case", pk=pk)
    messages.success(request, _("Saved."))
    if action in ("accept", "return", "handle") and not access.cases_for(user).filter(pk=pk).exists():
        return redirect("grid:inbox")
    return redirect("grid:case", pk=pk)


@login_required
def photo(request, pk: int):
    row = get_object_or_404(CasePhoto, pk=pk)
    access.access_case(request.user, row.case_id)
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
def inbox(request):
    return render(request, "grid/inbox.html", {"rows": selectors.inbox_for(request.user)})


@login_required
def verify_list(request):
    return render(request, "grid/verify.html", {"rows": selectors.awaiting_verification(request.user)})


@login_required
def mine(request):
    return render(request, "grid/mine.html", {"rows": selectors.my_reports(request.user)})


# --------------------------------------------------------------------------- reporting


def _report_context(form, district_id: int) -> dict:
    return {"form": form, "tile_url": _tile_url(), "cells": _cells_geojson(district_id)}


@login_required
def report(request):
    """The grid worker's phone page: type, description, photos, a tap on the map or GPS, urgency."""
    user = request.user
    if user.role not in (Role.GRID_WORKER, Role.DISPATCHER) or user.district_id is None:
        raise PermissionDenied
    if request.method == "POST":
        form = ReportForm(request.POST, district_id=user.district_id)
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.case_report(
                    district=user.district,
                    category=d["category"],
                    description=d["description"],
                    lat=d["lat"],
                    lng=d["lng"],
                    address=d["address"],
                    urgency=d["urgency"],
                    source=Case.Source.GRID_WORKER if user.role == Role.GRID_WORKER else Case.Source.CENTRE,
                    reporter=user,
                    photos=request.FILES.getlist("photos"),
                    idempotency_key=f"web:{user.pk}:{d['token']}",
                )
            except ValidationError as exc:
                for m in _errors(exc):
                    form.add_error(None, m)
            else:
                messages.success(request, _("Case #%(id)s reported.") % {"id": case.pk})
                return redirect("grid:case", pk=case.pk)
    else:
        form = ReportForm(district_id=user.district_id, initial={"token": uuid.uuid4().hex})
    return render(request, "grid/report.html", _report_context(form, user.district_id))


def _public_district() -> District:
    code = getattr(settings, "TAIZHANG_GRID", {}).get("PUBLIC_DISTRICT")
    qs = District.objects.all()
    district = qs.filter(code=code).first() if code else qs.filter(grid_categories__isnull=False).first()
    if district is None:
        raise Http404
    return district


def _limit(request, scope: str, default: tuple[int, int]) -> bool:
    limit, window = getattr(settings, "TAIZHANG_GRID", {}).get(f"RATE_{scope.upper()}", default)
    return ratelimit.hit(scope, ratelimit.client_ip(request), limit=limit, window=window)


def public_report(request):
    """Citizens report without an account; they get a tracking code to follow their case."""
    district = _public_district()
    if request.method == "POST":
        form = PublicReportForm(request.POST, district_id=district.pk)
        if not _limit(request, "public_report", (10, 3600)):
            return render(
                request, "grid/public_report.html", {**_report_context(form, district.pk), "limited": True}, status=429
            )
        if form.is_valid():
            d = form.cleaned_data
            if d.get("website"):  # the honeypot: pretend success, record nothing
                return render(request, "grid/public_done.html", {"code": services.tracking_code_new()})
            try:
                case = services.case_report(
                    district=district,
                    category=d["category"],
                    description=d["description"],
                    lat=d["lat"],
                    lng=d["lng"],
                    address=d["address"],
                    urgency=d["urgency"],
                    source=Case.Source.CITIZEN,
                    contact_name=d["contact_name"],
                    contact_phone=d["contact_phone"],
                    photos=request.FILES.getlist("photos"),
                    idempotency_key=f"public:{d['token']}",
                )
            except ValidationError as exc:
                for m in _errors(exc):
                    form.add_error(None, m)
            else:
                return render(request, "grid/public_done.html", {"code": case.tracking_code})
    else:
        form = PublicReportForm(district_id=district.pk, initial={"token": uuid.uuid4().hex})
    return render(request, "grid/public_report.html", {**_report_context(form, district.pk), "district": district})


def _public_view(case: Case) -> dict:
    """What a citizen may see of their case: no staff names, no other people's data."""
    events = [
        {"at": e.at, "label": e.label}
        for e in CaseEvent.objects.filter(case=case).exclude(action__in=["escalate", "absorb"])
    ]
    results = [a.result for a in case.assignments.all() if a.result]
    window = services.grid_setting("REOPEN_DAYS", 10)
    reopenable = (
        case.state == S.CLOSED and case.closed_at and timezone.now() <= case.closed_at + dt.timedelta(days=window)
    )
    return {"case": case, "events": events, "results": results, "reopenable": reopenable}


def track(request):
    """Follow a case by its tracking code. Unknown codes get one identical answer (no enumeration)."""
    context: dict = {"form": TrackForm()}
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        context["form"] = form
        if not _limit(request, "track", (30, 600)):
            return render(request, "grid/track.html", {**context, "limited": True}, status=429)
        code = services.tracking_code_normalise(request.POST.get("code", ""))
        case = Case.objects.filter(tracking_code=code).select_related("category").first() if code else None
        if case is None:
            context["not_found"] = True
        else:
            action = request.POST.get("action", "")
            try:
                if action == "rate":
                    services.case_rate(case=case, satisfaction=request.POST.get("satisfaction"))
                    context["done"] = _("Thank you for your rating.")
                elif action == "reopen":
                    services.case_reopen(case=case, reason=request.POST.get("reason", ""))
                    context["done"] = _("Your case was reopened.")
            except ValidationError as exc:
                context["errors"] = _errors(exc)
            case.refresh_from_db()
            context.update(_public_view(case))
            context["code"] = code
            context["form"] = TrackForm(initial={"code": code})
    return render(request, "grid/track.html", context, status=status)


# --------------------------------------------------------------------------- maps and statistics


def _cells_geojson(district_id: int) -> dict:
    """The district's cells as GeoJSON (cached per process like the intake's cells: cleared on save)."""
    return services.cached(services.geojson_cache, district_id, lambda: _cells_geojson_build(district_id))


def _cells_geojson_build(district_id: int) -> dict:
    cells = GridCell.objects.filter(district_id=district_id).select_related("street", "community")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": c.geometry,
                "properties": {"code": c.code, "name": c.name, "street": c.street.name},
            }
            for c in cells
        ],
    }


@login_required
def cells(request):
    user = request.user
    if user.district_id is None:
        raise Http404
    return render(request, "grid/cells.html", {"cells": _cells_geojson(user.district_id), "tile_url": _tile_url()})


@login_required
def cells_geojson(request):
    if request.user.district_id is None:
        raise Http404
    return JsonResponse(_cells_geojson(request.user.district_id))


def _date(value, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@login_required
def stats(request):
    user = request.user
    if user.district_id is None or not access.grid_scope(user).whole_district:
        raise PermissionDenied
    today = local_today()
    date_from = _date(request.GET.get("from"), today.replace(month=1, day=1))
    date_to = _date(request.GET.get("to"), today)
    args = {"district_id": user.district_id, "date_from": date_from, "date_to": date_to}
    tables = selectors.stats_tables(**args)
    context = {
        "date_from": date_from,
        "date_to": date_to,
        "tables": [
            (_("By department"), tables["unit"]),
            (_("By street"), tables["street"]),
            (_("By incident class"), tables["category"]),
        ],
        "trend": selectors.stats_trend(**args),
        "heat": selectors.stats_heat(**args),
        "cells": _cells_geojson(user.district_id),
        "tile_url": _tile_url(),
    }
    return render(request, "grid/stats.html", context)


@login_required
@require_POST
def train(request):
    """Retrain the department-suggestion model now (queued as a task)."""
    if not access.is_dispatcher(request.user):
        raise PermissionDenied
    from .tasks import grid_train

    district_id = request.user.district_id
    transaction.on_commit(lambda: grid_train.enqueue(district_id))
    messages.success(request, _("Retraining of the suggestion model was queued."))
    return redirect("grid:board")


# --------------------------------------------------------------------------- catalogue


def _require_catalogue_reader(person) -> None:
    if person.district_id is None or not (access.is_dispatcher(person) or person.role in CATALOGUE_READERS):
        raise PermissionDenied


@login_required
def catalogue(request):
    """The incident catalogue with its time limits and routing; the command centre imports it from .xlsx."""
    person = request.user
    _require_catalogue_reader(person)
    result = None
    form = XlsxUploadForm()
    if request.method == "POST":
        if not access.is_dispatcher(person):
            raise PermissionDenied
        form = XlsxUploadForm(request.POST, request.FILES)
        if form.is_valid():
            result = grid_xlsx.catalogue_import(district=person.district, file=form.cleaned_data["file"])
            if result.ok:
                messages.success(
                    request,
                    _("Catalogue imported: %(created)d types added, %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("grid:catalogue")
    return render(
        request,
        "grid/catalogue.html",
        {
            "classes": selectors.catalogue(person.district_id),
            "form": form,
            "result": result,
            "can_import": access.is_dispatcher(person),
            "active": "catalogue",
        },
        status=422 if result is not None and not result.ok else 200,
    )


@login_required
def catalogue_xlsx(request):
    person = request.user
    _require_catalogue_reader(person)
    return grid_xlsx.export_response(person.district)
