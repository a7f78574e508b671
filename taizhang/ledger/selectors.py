"""Reads of the ledger. Every list goes through ``items_for_list`` so pages, the API
and exports apply the same scope and the same filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from taizhang.core.calendar import today as local_today
from taizhang.core.calendar import work_calendar
from taizhang.core.forms import as_id
from taizhang.core.workdays import report_due_date, week_start
from taizhang.org.access import scope_for
from taizhang.org.models import Person

from .models import Item, KeyProject, ProgressReport, Whistle


@dataclass(frozen=True)
class ItemFilters:
    q: str = ""
    unit: int | None = None
    leader: int | None = None
    phase: str = ""
    status: str = ""
    category: str = ""
    overdue: bool = False
    year: int | None = None
    mine: bool = False

    @classmethod
    def from_params(cls, params) -> ItemFilters:
        return cls(
            q=(params.get("q") or "").strip()[:100],
            unit=as_id(params.get("unit")),
            leader=as_id(params.get("leader")),
            phase=params.get("phase") or "",
            status=params.get("status") or "",
            category=params.get("category") or "",
            overdue=params.get("overdue") in ("1", "true", "on"),
            year=as_id(params.get("year")),
            mine=params.get("mine") in ("1", "true", "on"),
        )


def _apply_filters(qs: QuerySet, f: ItemFilters, person: Person) -> QuerySet:
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(code__icontains=f.q) | Q(description__icontains=f.q))
    if f.unit:
        qs = qs.involving_units([f.unit])
    if f.leader:
        qs = qs.filter(leaders__id=f.leader)
    if f.mine:
        qs = qs.filter(leaders__id=person.id)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(is_overdue=True)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.phase and qs.model is KeyProject:
        qs = qs.filter(phase=f.phase)
    if f.category and qs.model is KeyProject:
        qs = qs.filter(category=f.category)
    return qs


def items_for_list(person: Person, model=Item, filters: ItemFilters | None = None) -> QuerySet:
    """The items ``person`` may see, filtered, with everything a list row shows."""
    from .services import statuses_refresh_if_stale

    if person.district_id:
        statuses_refresh_if_stale(district_id=person.district_id)
    qs = model.objects.live().for_scope(scope_for(person))
    qs = _apply_filters(qs, filters or ItemFilters(), person)
    return qs.select_related("lead_unit").prefetch_related(
        "cooperating_units", Prefetch("leaders", queryset=Person.objects.only("id", "full_name", "username"))
    )


def items_for_page(person: Person, model=KeyProject, filters: ItemFilters | None = None):
    """The list page's rows: the same scope and filters as ``items_for_list``, as a lazy
    source of :class:`listing.ListRow` for the paginator (hand-written SQL, see ``listing``)."""
    from .listing import ItemPageRows

    if person.district_id:
        from .services import statuses_refresh_if_stale

        statuses_refresh_if_stale(district_id=person.district_id)
    return ItemPageRows(scope=scope_for(person), filters=filters or ItemFilters(), person_id=person.id, model=model)


def item_detail(item: Item) -> dict:
    """Everything the item page shows besides the item itself."""
    return {
        "milestones": list(item.milestones.all()),
        "reports": list(item.reports.select_related("unit", "author").prefetch_related("attachments")[:12]),
        "whistles": list(item.whistles.select_related("raised_by_unit").prefetch_related("responses__unit")[:10]),
        "events": list(item.events.select_related("actor")[:50]),
    }


@dataclass
class MissingReport:
    item: Item
    week_start: dt.date
    due: dt.date


def reports_due_week(today: dt.date | None = None) -> dt.date:
    """The most recent week whose report due date has passed or is today."""
    today = today or local_today()
    cal = work_calendar()
    monday = week_start(today)
    if report_due_date(cal, monday) <= today:
        return monday
    return monday - dt.timedelta(days=7)


def missing_reports(person: Person, week: dt.date, today: dt.date | None = None) -> list[MissingReport]:
    """Items in the person's scope with no report for ``week`` once it is due."""
    today = today or local_today()
    cal = work_calendar()
    due = report_due_date(cal, week)
    if due > today:
        return []
    qs = (
        items_for_list(person)
        .filter(completed_on__isnull=True)
        .exclude(reports__week_start=week)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=week + dt.timedelta(days=6)))
        .filter(year=week.year)
    )
    return [MissingReport(item=i, week_start=week, due=due) for i in qs.order_by("lead_unit__sort_order", "code")]


def whistles_open_for(person: Person) -> QuerySet:
    scope = scope_for(person)
    qs = Whistle.objects.filter(item__district_id=scope.district_id).exclude(state=Whistle.State.CLOSED)
    if scope.unit_ids is not None:
        visible = Item.objects.for_scope(scope).values("pk")
        qs = qs.filter(Q(item__in=visible) | Q(responses__unit_id__in=scope.unit_ids)).distinct()
    return qs.select_related("item", "raised_by_unit").prefetch_related("responses__unit").order_by("respond_by")


def projects_for_map(person: Person) -> QuerySet:
    return (
        KeyProject.objects.live()
        .for_scope(scope_for(person))
        .filter(latitude__isnull=False)
        .only("id", "name", "latitude", "longitude", "status", "phase")
    )


def reports_of_week(person: Person, week: dt.date) -> QuerySet:
    visible = items_for_list(person).values("pk")
    return ProgressReport.objects.filter(week_start=week, item__in=visible).select_related("item", "unit", "author")
