"""Metrics an automatic rule can score: facts per unit for a period, from ledger data.

``METRICS`` is the pluggable registry: a key (stored on ``Rule.metric``) → ``Metric``
(label, what its fact ids point at, the function). Another module adds its own with
``register(...)`` — no scoring code changes.

A metric function takes keyword arguments ``district_id, year, unit_ids, start,
end, as_of`` and returns ``{unit_id: (value, [fact ids])}`` for every unit asked
about, in a few aggregate queries whatever the number of units. The window is
``start``..``min(end, as_of)``: nothing after the "data as of" day counts, which is
what makes a recomputation of a past quarter give the same scores later.
``value`` is ``None`` when there was nothing to measure (a rate with no
denominator); counts are 0, never ``None``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.calendar import work_calendar
from taizhang.core.workdays import report_due_date
from taizhang.ledger.models import Item, KeyProject, Milestone, ProgressReport, WhistleResponse

from .scoring import q, year_elapsed_share

Facts = dict[int, tuple[Decimal | None, list[int]]]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    fact_kind: str  # "item", "whistle" or "notice": what the fact ids are
    unit: str  # "%" or "count"
    fn: Callable[..., Facts]


METRICS: dict[str, Metric] = {}


def register(key: str, label, fact_kind: str, unit: str):
    def wrap(fn):
        METRICS[key] = Metric(key, label, fact_kind, unit, fn)
        return fn

    return wrap


# fact kind → fn(ids) -> {id: (label, url)}: how a drill-down links a fact to its page.
FACT_LINKERS: dict[str, Callable[[set[int]], dict[int, tuple[str, str]]]] = {}


def register_fact_linker(kind: str):
    def wrap(fn):
        FACT_LINKERS[kind] = fn
        return fn

    return wrap


@register_fact_linker("item")
def _item_links(ids):
    from django.urls import reverse

    return {
        i.pk: (i.name, reverse("ledger:item", args=[i.pk])) for i in Item.objects.filter(pk__in=ids).only("id", "name")
    }


@register_fact_linker("whistle")
def _whistle_links(ids):
    from django.urls import reverse

    from taizhang.ledger.models import Whistle

    rows = Whistle.objects.filter(pk__in=ids).select_related("item").only("id", "problem", "item__name")
    return {w.pk: (f"{w.item.name}：{w.problem[:30]}", reverse("ledger:whistle", args=[w.pk])) for w in rows}


@register_fact_linker("notice")
def _notice_links(ids):
    from django.urls import reverse

    from taizhang.supervision.models import SupervisionNotice

    rows = SupervisionNotice.objects.filter(pk__in=ids).only("id", "number")
    return {n.pk: (n.number, reverse("supervision:notice", args=[n.pk])) for n in rows}


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in METRICS.values()]


def _window_end(end: dt.date, as_of: dt.date) -> dt.date:
    return min(end, as_of)


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def _counts(unit_ids: Iterable[int], hits: dict[int, list[int]]) -> Facts:
    return {u: (Decimal(len(hits.get(u, []))), sorted(hits.get(u, []))) for u in unit_ids}


def _items(district_id: int, year: int, unit_ids):
    return Item.objects.filter(district_id=district_id, year=year, lead_unit_id__in=unit_ids, is_archived=False)


@register("task_on_time_rate", _("On-time rate of key tasks (%)"), "item", "%")
def task_on_time_rate(*, district_id, year, unit_ids, start, end, as_of) -> Facts:
    """Share of key-task nodes due in the window met on time: milestones and task deadlines."""
    last = _window_end(end, as_of)
    nodes: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    tasks = _items(district_id, year, unit_ids).filter(kind=Item.Kind.TASK)
    for unit_id, item_id, planned, actual in Milestone.objects.filter(
        item__in=tasks.values("pk"), planned_date__gte=start, planned_date__lte=last
    ).values_list("item__lead_unit_id", "item_id", "planned_date", "actual_date"):
        nodes[unit_id].append((item_id, actual is not None and actual <= planned))
    for unit_id, item_id, deadline, done in tasks.filter(deadline__gte=start, deadline__lte=last).values_list(
        "lead_unit_id", "id", "deadline", "completed_on"
    ):
        nodes[unit_id].append((item_id, done is not None and done <= deadline))
    out: Facts = {}
    for u in unit_ids:
        rows = nodes.get(u, [])
        if not rows:
            out[u] = (None, [])
            continue
        on_time = sum(1 for _i, ok in rows if ok)
        out[u] = (q(Decimal(on_time * 100) / len(rows)), sorted({i for i, _ok in rows}))
    return out


@register("project_investment_vs_plan", _("Investment completed against plan to date (%)"), "item", "%")
def project_investment_vs_plan(*, district_id, year, unit_ids, start, end, as_of) -> Facts:
    """Investment completed this year ÷ (planned for the year × time progress) × 100.

    Investment completed is the figure of the latest progress report up to the end of
    the window (the project's stored figure if it never reported one), so 100 means
    "on schedule", 120 "20 % ahead of time progress".
    """
    last = _window_end(end, as_of)
    share = year_elapsed_share(last, year)
    latest = (
        ProgressReport.objects.filter(
            item_id=OuterRef("pk"), week_start__lte=last, investment_completed_year__isnull=False
        )
        .order_by("-week_start")
        .values("investment_completed_year")[:1]
    )
    rows = (
        KeyProject.objects.filter(district_id=district_id, year=year, lead_unit_id__in=unit_ids, is_archived=False)
        .annotate(done=Coalesce(Subquery(latest), "completed_investment_year", output_field=DecimalField()))
        .values_list("lead_unit_id", "id", "planned_investment_year", "done")
    )
    sums: dict[int, list] = defaultdict(lambda: [Decimal(0), Decimal(0), []])
    for unit_id, item_id, planned, done in rows:
        acc = sums[unit_id]
        acc[0] += planned or 0
        acc[1] += done or 0
        acc[2].append(item_id)
    out: Facts = {}
    for u in unit_ids:
        planned, done, ids = sums.get(u, (Decimal(0), Decimal(0), []))
        if not planned or not share:
            out[u] = (None, sorted(ids))
        else:
            out[u] = (q(done * 100 / (planned * share)), sorted(ids))
    return out


@register("overdue_items", _("Items overdue (count)"), "item", "count")
def overdue_items(*, district_id, year, unit_ids, start, end, as_of) -> Facts:
    """Items whose deadline fell in the window and were not completed by it."""
    last = _window_end(end, as_of)
    hits: dict[int, list[int]] = defaultdict(list)
    for unit_id, item_id, deadline, done in (
        _items(district_id, year, unit_ids)
        .filter(deadline__gte=start, deadline__lte=last)
        .values_list("lead_unit_id", "id", "deadline", "completed_on")
    ):
        if done is None or done > deadline:
            hits[unit_id].append(item_id)
    return _counts(unit_ids, hits)


@register("unanswered_whistles", _("Whistles not answered in time (count)"), "whistle", "count")
def unanswered_whistles(*, district_id, year, unit_ids, start, end, as_of) -> Facts:
    """Whistles the unit was summoned to and did not report in to by the respond-by day."""
    hits: dict[int, list[int]] = defaultdict(list)
    for unit_id, whistle_id, due, answered in WhistleResponse.objects.filter(
        whistle__item__district_id=district_id,
        unit_id__in=unit_ids,
        whistle__respond_by__gte=start,
        whistle__respond_by__lte=end,
        whistle__respond_by__lt=as_of,
    ).values_list("unit_id", "whistle_id", "whistle__respond_by", "responded_at"):
        answered_on = _local_date(answered)
        if answered_on is None or answered_on > due:
            hits[unit_id].append(whistle_id)
    return _counts(unit_ids, hits)


@register("unanswered_notices", _("Supervision notices not replied in time (count)"), "notice", "count")
def unanswered_notices(*, district_id, year, unit_ids, start, end, as_of) -> Facts:
    """Supervision notices addressed to the unit and not replied to by their reply date."""
    from taizhang.supervision.models import SupervisionNotice

    hits: dict[int, list[int]] = defaultdict(list)
    for unit_id, notice_id, due, replied in SupervisionNotice.objects.filter(
        district_id=district_id, unit_id__in=unit_ids, reply_due__gte=start, reply_due__lte=end, reply_due__lt=as_of
    ).values_list("unit_id", "id", "reply_due", "replied_at"):
        replied_on = _local_date(replied)
        if replied_on is None or replied_on > due:
            hits[unit_id].append(notice_id)
    return _counts(unit_ids, hits)


@register("missing_reports", _("Weekly reports missing or late (count)"), "item", "count")
def missing_reports(*, district_id, year, unit_ids, start, end, as_of) -> Facts:
    """Item-weeks in the window, due by ``as_of``, without a report filed on time.

    The rule of ``ledger.selectors.missing_reports``: an item owes a report for every
    week from its start date until it is completed.
    """
    last = _window_end(end, as_of)
    cal = work_calendar()
    monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    weeks = []
    while monday <= last:
        if report_due_date(cal, monday, settings.TAIZHANG_REPORT_DUE_WEEKDAY) <= as_of:
            weeks.append(monday)
        monday += dt.timedelta(days=7)
    if not weeks:
        return _counts(unit_ids, {})
    items = list(_items(district_id, year, unit_ids).values_list("id", "lead_unit_id", "start_date", "completed_on"))
    on_time = dict(
        ProgressReport.objects.filter(
            item__in=_items(district_id, year, unit_ids).values("pk"),
            week_start__gte=weeks[0],
            week_start__lte=weeks[-1],
            is_late=False,
        )
        .values("item_id")
        .annotate(n=Count("id"))
        .values_list("item_id", "n")
    )
    missing: dict[int, int] = defaultdict(int)
    ids: dict[int, list[int]] = defaultdict(list)
    for item_id, unit_id, started, completed in items:
        # Weeks owed: Mondays w with started <= w + 6 days and w < completed (weeks is sorted).
        lo = 0 if started is None else bisect_left(weeks, started - dt.timedelta(days=6))
        hi = len(weeks) if completed is None else bisect_left(weeks, completed)
        owed = max(0, hi - lo)
        gap = max(0, owed - on_time.get(item_id, 0))
        if gap:
            missing[unit_id] += gap
            ids[unit_id].append(item_id)
    return {u: (Decimal(missing.get(u, 0)), sorted(ids.get(u, []))) for u in unit_ids}
