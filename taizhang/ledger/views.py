"""Ledger pages. Views parse input, call one selector or service, render.

Every item is fetched through ``ledger.access`` (404 outside the person's scope);
lists come from ``selectors.items_for_list`` so pages, API and exports agree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.core.calendar import today as local_today
from taizhang.core.calendar import work_calendar
from taizhang.core.workdays import report_due_date, week_start
from taizhang.core.xlsx import xlsx_response
from taizhang.org.access import scope_for
from taizhang.org.models import Role
from taizhang.org.selectors import district_choices

from . import selectors, services
from .access import (
    access_item,
    access_whistle,
    can_create_items,
    can_edit_item,
    can_import_ledger,
    can_report_on_item,
    visible_item_ids,
)
from .forms import (
    DoneForm,
    MilestoneFormSet,
    ProjectForm,
    ReportForm,
    TaskForm,
    TextForm,
    WhistleForm,
    milestones_from_formset,
)
from .models import Item, KeyProject, KeyTask, Status, Whistle
from .rows import render_filter_form, render_item_table
from .status import reason_text, time_progress

PAGE_SIZE = 50


@login_required
def home(request):
    person = request.user
    today = local_today()
    items = selectors.items_for_list(person)
    counts = {row["status"]: row["n"] for row in items.order_by().values("status").annotate(n=Count("id"))}
    projects = selectors.items_for_list(person, KeyProject)
    money = projects.order_by().aggregate(planned=Sum("planned_investment_year"), done=Sum("completed_investment_year"))
    planned, done = money["planned"] or Decimal("0"), money["done"] or Decimal("0")
    completion = (done * 100 / planned).quantize(Decimal("0.1")) if planned else None
    tp = time_progress(today.year, today)
    week = selectors.reports_due_week(today)
    mine = items.filter(leaders__id=person.id)[:20] if person.is_leader else None
    return render(
        request,
        "ledger/home.html",
        {
            "counts": {s: counts.get(s, 0) for s in Status.values},
            "total": sum(counts.values()),
            "overdue": items.filter(is_overdue=True).count(),
            "planned": planned,
            "done": done,
            "completion": completion,
            "time_progress": tp,
            "lag": (completion - tp) if completion is not None else None,
            "missing_count": len(selectors.missing_reports(person, week, today)),
            "week": week,
            "whistles": selectors.whistles_open_for(person)[:8],
            "mine": mine,
            "recent": items.exclude(last_report_at=None).order_by("-last_report_at")[:8],
            "can_create": can_create_items(person),
            "can_import": can_import_ledger(person),
        },
    )


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def _list(request, model, template_title: str, kind: str):
    person = request.user
    filters = selectors.ItemFilters.from_params(request.GET)
    qs = selectors.items_for_page(person, model, filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "table_html": render_item_table(page.object_list, kind),
        "filters": filters,
        "kind": kind,
        "title": template_title,
        "query_no_page": _without_page(request.GET),
        "can_create": can_create_items(person),
    }
    if request.htmx:
        # A filter change swaps in the results only: no menu, so no context processors.
        response = HttpResponse(render_to_string("ledger/item_list_results.html", context))
    else:
        form = render_filter_form(filters, kind, district_choices(person.district_id))
        response = render(request, "ledger/item_list.html", {**context, "filter_form": form})
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers a page or a fragment
    return response


@login_required
def project_list(request):
    return _list(request, KeyProject, _("Key projects"), "project")


@login_required
def task_list(request):
    return _list(request, KeyTask, _("Key tasks"), "task")


@login_required
def project_map(request):
    rows = [
        {
            "id": p.id,
            "name": p.name,
            "lat": float(p.latitude),
            "lng": float(p.longitude),
            "status": p.status,
            "url": p.get_absolute_url(),
        }
        for p in selectors.projects_for_map(request.user)
    ]
    from django.conf import settings

    return render(
        request, "ledger/project_map.html", {"points": rows, "tile_url": getattr(settings, "TAIZHANG_TILE_URL", "")}
    )


def _concrete(item: Item) -> Item:
    return item.keyproject if item.kind == Item.Kind.PROJECT else item.keytask


@login_required
def item_detail(request, pk):
    person = request.user
    item = _concrete(access_item(person, pk))
    detail = selectors.item_detail(item)
    can_edit = can_edit_item(person, item)
    scope = scope_for(person)
    summoned_whistles = {
        w.id
        for w in detail["whistles"]
        if scope.unit_ids is not None
        and any(r.unit_id in scope.unit_ids and r.responded_at is None for r in w.responses.all())
    }
    return render(
        request,
        "ledger/item_detail.html",
        {
            "item": item,
            "is_project": item.kind == Item.Kind.PROJECT,
            "reasons": [reason_text(r) for r in item.status_reasons],
            "can_edit": can_edit,
            "can_report": can_report_on_item(person, item),
            "summoned_whistles": summoned_whistles,
            "today": local_today(),
            **detail,
        },
    )


def _item_form_view(request, *, item: Item | None, kind: str):
    person = request.user
    form_class = ProjectForm if kind == Item.Kind.PROJECT else TaskForm
    model = KeyProject if kind == Item.Kind.PROJECT else KeyTask
    # The form works on its own copy so the service can still see the old values.
    instance = (
        model.objects.get(pk=item.pk) if item else model(district=person.district, kind=kind, year=local_today().year)
    )
    initial_ms = (
        [{"name": m.name, "planned_date": m.planned_date, "actual_date": m.actual_date} for m in item.milestones.all()]
        if item
        else []
    )
    conflict = False
    if request.method == "POST":
        form = form_class(request.POST, instance=instance, person=person)
        formset = MilestoneFormSet(request.POST, initial=initial_ms, prefix="ms")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                if item is None:
                    item = services.item_create(
                        actor=person,
                        kind=kind,
                        district=person.district,
                        values=form.service_values(),
                        cooperating_units=list(data["cooperating_units"]),
                        leaders=list(data["leaders"]),
                        milestones=milestones_from_formset(formset),
                    )
                    messages.success(request, _("Saved."))
                    return redirect(item.get_absolute_url())
                services.item_update(
                    actor=person,
                    item=item,
                    expected_version=data.get("version") or 0,
                    values=form.service_values(),
                    cooperating_units=list(data["cooperating_units"]),
                    leaders=list(data["leaders"]),
                    milestones=milestones_from_formset(formset),
                )
                messages.success(request, _("Saved."))
                return redirect(item.get_absolute_url())
            except services.ConcurrentEditError as exc:
                conflict = True
                form.add_error(None, str(exc))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errs in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errs)
                else:
                    form.add_error(None, exc.messages)
        status = 409 if conflict else 400
    else:
        form = form_class(instance=instance, person=person)
        formset = MilestoneFormSet(initial=initial_ms, prefix="ms")
        status = 200
    return render(
        request, "ledger/item_form.html", {"form": form, "formset": formset, "item": item, "kind": kind}, status=status
    )


@login_required
def project_create(request):
    if not can_create_items(request.user):
        raise PermissionDenied
    return _item_form_view(request, item=None, kind=Item.Kind.PROJECT)


@login_required
def task_create(request):
    if not can_create_items(request.user):
        raise PermissionDenied
    return _item_form_view(request, item=None, kind=Item.Kind.TASK)


@login_required
def item_edit(request, pk):
    item = _concrete(access_item(request.user, pk, for_edit=True))
    return _item_form_view(request, item=item, kind=item.kind)


@login_required
@require_POST
def milestone_done(request, pk, milestone_pk):
    item = access_item(request.user, pk, for_edit=True)
    milestone = get_object_or_404(item.milestones, pk=milestone_pk)
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_mark_done(
                actor=request.user, milestone=milestone, actual_date=form.cleaned_data["actual_date"]
            )
            messages.success(request, _("Milestone marked as reached."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Enter a valid date."))
    return redirect(item.get_absolute_url())


@login_required
def report_create(request, pk):
    person = request.user
    item = _concrete(access_item(person, pk))
    if not can_report_on_item(person, item):
        raise PermissionDenied
    is_project = item.kind == Item.Kind.PROJECT
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, is_project=is_project)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_submit(
                    actor=person,
                    item=item,
                    week=data["week"],
                    done=data["done"],
                    progress_pct=data.get("progress_pct"),
                    investment_completed_year=data.get("investment_completed_year"),
                    problems=data["problems"],
                    next_steps=data["next_steps"],
                    attachments=data["attachments"],
                )
                messages.success(request, _("Progress report filed."))
                return redirect(item.get_absolute_url())
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errs in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errs)
                else:
                    form.add_error(None, exc.messages)
        status = 400
    else:
        initial = {"week": local_today(), "progress_pct": item.progress_pct}
        if is_project:
            initial["investment_completed_year"] = item.completed_investment_year
        form = ReportForm(initial=initial, is_project=is_project)
        status = 200
    return render(request, "ledger/report_form.html", {"form": form, "item": item}, status=status)


@login_required
def whistle_create(request, pk):
    person = request.user
    item = access_item(person, pk)
    if not can_edit_item(person, item):
        raise PermissionDenied
    if request.method == "POST":
        form = WhistleForm(request.POST, person=person)
        if form.is_valid():
            try:
                services.whistle_raise(
                    actor=person,
                    item=item,
                    problem=form.cleaned_data["problem"],
                    units=list(form.cleaned_data["units"]),
                    respond_within_workdays=form.cleaned_data["days"],
                )
                messages.success(request, _("Whistle blown: the units have been notified."))
                return redirect(item.get_absolute_url())
            except ValidationError as exc:
                form.add_error(None, exc.messages)
        status = 400
    else:
        form = WhistleForm(person=person, initial={"days": 3})
        status = 200
    return render(request, "ledger/whistle_form.html", {"form": form, "item": item}, status=status)


@login_required
def whistle_list(request):
    whistles = selectors.whistles_open_for(request.user)
    if request.GET.get("format") == "xlsx":
        today = local_today()
        return xlsx_response(
            filename=f"吹哨报到_{today.isoformat()}.xlsx",
            sheet_title="吹哨报到",
            columns=[
                ("事项", lambda w: w.item.name),
                ("吹哨单位", lambda w: w.raised_by_unit.name),
                ("问题", lambda w: w.problem),
                ("吹哨时间", lambda w: timezone.localtime(w.raised_at).replace(tzinfo=None)),
                ("报到时限", lambda w: w.respond_by),
                ("未报到单位", lambda w: "、".join(r.unit.name for r in w.responses.all() if r.responded_at is None)),
                ("已报到单位", lambda w: "、".join(r.unit.name for r in w.responses.all() if r.responded_at)),
                ("状态", lambda w: w.get_state_display()),
                ("已升级", lambda w: "是" if w.escalated_at else ""),
            ],
            rows=whistles,
        )
    whistles = list(whistles)
    return render(
        request,
        "ledger/whistle_list.html",
        {
            "whistles": whistles,
            "visible_items": visible_item_ids(request.user, {w.item_id for w in whistles}),
            "today": local_today(),
        },
    )


@login_required
def whistle_detail(request, pk):
    person = request.user
    whistle = access_whistle(person, pk)
    scope = scope_for(person)
    my_row = None
    if scope.unit_ids is not None and person.unit_id:
        my_row = whistle.responses.filter(unit_id=person.unit_id).first()
    can_close = whistle.state != Whistle.State.CLOSED and (
        person.role == Role.SUPERVISOR
        or (person.unit_id == whistle.raised_by_unit_id and person.role in (Role.UNIT_ADMIN, Role.REPORTER))
    )
    if request.method == "POST":
        form = TextForm(request.POST)
        if form.is_valid():
            try:
                if request.POST.get("action") == "close":
                    if not can_close:
                        raise PermissionDenied
                    services.whistle_close(actor=person, whistle=whistle, resolution=form.cleaned_data["text"])
                    messages.success(request, _("Whistle resolved."))
                else:
                    if my_row is None or person.role not in (Role.UNIT_ADMIN, Role.REPORTER):
                        raise PermissionDenied
                    services.whistle_respond(actor=person, whistle=whistle, response=form.cleaned_data["text"])
                    messages.success(request, _("Response recorded."))
                return redirect("ledger:whistle", pk=whistle.pk)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, _("Write something first."))
    return render(
        request,
        "ledger/whistle_detail.html",
        {
            "whistle": whistle,
            "item_visible": bool(visible_item_ids(person, [whistle.item_id])),
            "responses": whistle.responses.select_related("unit", "responder"),
            "my_row": my_row,
            "can_respond": my_row is not None and my_row.responded_at is None and whistle.state != Whistle.State.CLOSED,
            "can_close": can_close,
            "today": local_today(),
        },
    )


@login_required
def reports_missing(request):
    person = request.user
    today = local_today()
    try:
        week = week_start(dt.date.fromisoformat(request.GET["week"]))
    except (KeyError, ValueError):
        week = selectors.reports_due_week(today)
    rows = selectors.missing_reports(person, week, today)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"未报送周报_{week.isoformat()}.xlsx",
            sheet_title="未报送",
            columns=[
                ("牵头单位", lambda r: r.item.lead_unit.name),
                ("编号", lambda r: r.item.code),
                ("事项", lambda r: r.item.name),
                ("所在周", lambda r: r.week_start),
                ("应报日期", lambda r: r.due),
            ],
            rows=sorted(rows, key=lambda r: (r.item.lead_unit.name, r.item.code)),
        )
    by_unit: dict[str, list] = {}
    for row in rows:
        by_unit.setdefault(row.item.lead_unit.name, []).append(row.item)
    return render(
        request,
        "ledger/reports_missing.html",
        {
            "week": week,
            "week_end": week + dt.timedelta(days=6),
            "due": report_due_date(work_calendar(), week),
            "by_unit": sorted(by_unit.items(), key=lambda kv: -len(kv[1])),
            "count": len(rows),
            "prev": week - dt.timedelta(days=7),
            "next": week + dt.timedelta(days=7) if week + dt.timedelta(days=7) <= week_start(today) else None,
        },
    )
