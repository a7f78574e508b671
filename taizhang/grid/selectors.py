"""Reads for grid governance: the board, inboxes, statistics, suggestions. Always scoped.

Statistics (issue #4, §6), over cases reported in [date_from, date_to]:

* cases — cases reported (merged duplicates and rejected reports excluded);
* on-time handling rate (按期处置率) — department assignments handled by their
  deadline ÷ assignments that were due (handled, or still open past their deadline);
* closure rate (结案率) — closed cases ÷ cases;
* return rate — returned assignments ÷ assignments; rework rate — cases sent back at
  least once ÷ cases; satisfaction — mean rating (1-5) of rated cases.

Department rows count the cases a department kept (dispatched to it and not returned);
street and category rows count cases (a joint case counts once for its street and
once for each of its departments).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from taizhang.org.models import Person, Unit

from . import rollup
from .access import grid_scope
from .models import Case, CaseAssignment, CaseStatDay, Category, DispatchModel, GridCell
from .querysets import DEPARTMENT_STATES
from .rollup import day_bounds

A = CaseAssignment.State
S = Case.State
COUNTED = ~Q(state__in=[S.MERGED, S.REJECTED])


@dataclass
class CaseFilters:
    state: str = ""
    light: str = ""
    category: int | None = None
    street: int | None = None
    unit: int | None = None
    q: str = ""
    duplicates: bool = False


def cases_for_list(person: Person, filters: CaseFilters | None = None, *, now: dt.datetime | None = None):
    """The scoped, filtered case list behind the board and the API."""
    filters = filters or CaseFilters()
    now = now or timezone.now()
    qs = Case.objects.filter(grid_scope(person).cases_q())
    if filters.state == "centre":
        qs = qs.at_centre()
    elif filters.state == "department":
        qs = qs.with_department()
    elif filters.state == "open":
        qs = qs.open()
    elif filters.state in S.values:
        qs = qs.filter(state=filters.state)
    if filters.light in ("amber", "red"):
        qs = qs.light(filters.light, now)
        if not filters.state:
            qs = qs.open()  # matches the board's partial index
    if filters.category:
        qs = qs.filter(Q(category_id=filters.category) | Q(category__parent_id=filters.category))
    if filters.street:
        qs = qs.filter(street_id=filters.street)
    if filters.unit:
        qs = qs.filter(Exists(CaseAssignment.objects.filter(case_id=OuterRef("pk"), unit_id=filters.unit)))
    if filters.q:
        qs = qs.filter(Q(description__icontains=filters.q) | Q(address__icontains=filters.q))
    if filters.duplicates:
        qs = qs.filter(possible_duplicate_of__isnull=False).open()
    return qs.select_related("category__parent", "street", "cell").defer("cell__geometry")


BOARD_FIELDS = (
    "urgency",
    "possible_duplicate_of_id",
    "category__name",
    "description",
    "street__name",
    "state",
    "clock_due",
    "clock_amber_at",
    "created_at",
)


def board_rows(person: Person, filters: CaseFilters, *, now: dt.datetime | None = None, limit: int = 100) -> list:
    """Open cases by running clock, most urgent first, with their assignments prefetched (3 queries)."""
    from django.db.models import Prefetch

    now = now or timezone.now()
    qs = cases_for_list(person, filters, now=now)
    if not filters.state and filters.light not in ("amber", "red"):
        qs = qs.open()
    # Only what a board row shows: a row is a few hundred bytes, not the cell's boundary.
    assignments = CaseAssignment.objects.select_related("unit").only(
        "case_id", "unit__name", "state", "due_at", "amber_at"
    )
    qs = (
        qs.select_related(None)
        .select_related("category", "street")
        .only(*BOARD_FIELDS)
        .order_by(F("clock_due").asc(nulls_last=True), "-created_at", "-id")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
    )
    rows = list(qs[:limit])
    # Labels and links once per page, not through get_FOO_display()/{% url %} per row.
    states, urgencies = dict(S.choices), dict(Case.Urgency.choices)
    prefix = reverse("grid:case", args=[0])[: -len("0/")]
    for case in rows:
        case_clock(case, now)
        case.state_label = states.get(case.state, case.state)
        case.urgency_label = urgencies.get(case.urgency, case.urgency)
        case.url = f"{prefix}{case.pk}/"
    return rows


def case_clock(case: Case, now: dt.datetime) -> None:
    """Attach ``clock_light`` (of the stored running clock) and each active assignment's ``light``."""
    from .clocks import light

    if case.state in DEPARTMENT_STATES:
        for a in case.assignments.all():
            a.light = light(now, a.amber_at, a.due_at) if a.state in CaseAssignment.ACTIVE else ""
    case.clock_light = light(now, case.clock_amber_at, case.clock_due)


def inbox_for(person: Person, *, now: dt.datetime | None = None):
    """The assignments of the person's unit (and units below) that still need work, oldest deadline first."""
    from .access import HANDLER_ROLES
    from .clocks import light

    now = now or timezone.now()
    if person.role not in HANDLER_ROLES or person.unit_id is None:
        return []
    units = Unit.objects.filter(district_id=person.district_id, path__startswith=person.unit.path)
    rows = list(
        CaseAssignment.objects.filter(unit__in=units, state__in=CaseAssignment.ACTIVE)
        .select_related("case__category", "case__street", "unit")
        .order_by("due_at")[:200]
    )
    for a in rows:
        a.light = light(now, a.amber_at, a.due_at)
    return rows


def awaiting_verification(person: Person):
    qs = Case.objects.filter(district_id=person.district_id, state=S.HANDLED).select_related("category", "street")
    if person.role == "dispatcher":
        return qs.order_by("handled_at")[:200]
    return qs.filter(reporter=person).order_by("handled_at")[:200]


def my_reports(person: Person):
    return Case.objects.filter(reporter=person).select_related("category").order_by("-created_at")[:50]


# --------------------------------------------------------------------------- statistics


@dataclass
class StatRow:
    key: int | None
    name: str
    cases: int = 0
    closed: int = 0
    reworked: int = 0
    rated: int = 0
    satisfaction: float | None = None
    assignments: int = 0
    returned: int = 0
    due: int = 0
    on_time: int = 0
    extra: dict = field(default_factory=dict)

    @staticmethod
    def _rate(a: int, b: int) -> float | None:
        return round(100 * a / b, 1) if b else None

    @property
    def on_time_rate(self):
        return self._rate(self.on_time, self.due)

    @property
    def closure_rate(self):
        return self._rate(self.closed, self.cases)

    @property
    def return_rate(self):
        return self._rate(self.returned, self.assignments)

    @property
    def rework_rate(self):
        return self._rate(self.reworked, self.cases)


def _case_base(district_id: int, date_from: dt.date, date_to: dt.date):
    start = dt.datetime.combine(date_from, dt.time(), tzinfo=timezone.get_current_timezone())
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=timezone.get_current_timezone())
    return Case.objects.filter(district_id=district_id, created_at__gte=start, created_at__lt=end).filter(COUNTED)


def _assignment_aggregates(now: dt.datetime) -> dict:
    overdue_open = Q(state__in=CaseAssignment.ACTIVE, due_at__lt=now)
    return {
        "n_assign": Count("id"),
        "n_returned": Count("id", filter=Q(state=A.RETURNED)),
        "n_due": Count("id", filter=Q(state=A.HANDLED) | overdue_open),
        "n_on_time": Count("id", filter=Q(state=A.HANDLED, on_time=True)),
    }


def _case_aggregates() -> dict:
    return {
        "n_cases": Count("id"),
        "n_closed": Count("id", filter=Q(state=S.CLOSED)),
        "n_rework": Count("id", filter=Q(rework_count__gt=0)),
        "n_rated": Count("satisfaction"),
        "avg_sat": Avg("satisfaction"),
    }


def _rollup(district_id: int, kind: int, date_from: dt.date, date_to: dt.date):
    return CaseStatDay.objects.filter(district_id=district_id, kind=kind, day__gte=date_from, day__lte=date_to)


def _sums(*names: str) -> dict:
    return {name: Sum(name) for name in names}


def overdue_open(district_id: int, date_from: dt.date, date_to: dt.date, now: dt.datetime) -> dict[str, dict]:
    """Open assignments now past their deadline (they count as due) by unit, street and class.

    The live part of the statistics: one query over the few open assignments
    (``grid_assign_due`` index), for all three tables.
    """
    start, end = day_bounds(date_from, date_to)
    rows = (
        CaseAssignment.objects.filter(
            state__in=CaseAssignment.ACTIVE,
            due_at__lt=now,
            case__district_id=district_id,
            case__created_at__gte=start,
            case__created_at__lt=end,
        )
        .exclude(case__state__in=[S.MERGED, S.REJECTED])
        .values("unit_id", "case__street_id", "case__category__parent_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[str, dict] = {"unit": {}, "street": {}, "category": {}}
    for r in rows:
        for by, key in (("unit", "unit_id"), ("street", "case__street_id"), ("category", "case__category__parent_id")):
            k = r[key] or 0
            out[by][k] = out[by].get(k, 0) + r["n"]
    return out


STAT_KEYS = {
    "unit": (rollup.UNIT, "unit_id"),
    "street": (rollup.STREET, "street_id"),
    "category": (rollup.CLASS, "class_id"),
}


def stats_table(
    *,
    district_id: int,
    by: str,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
    overdue: dict | None = None,
    names: dict | None = None,
) -> list[StatRow]:
    """One row per department (``by="unit"``), street (``"street"``) or incident class (``"category"``).

    Read from the daily rollup (``grid.rollup``: a few rows a day) plus the open
    assignments now past their deadline (``overdue_open``; pass it in to share it).
    """
    now = now or timezone.now()
    if by not in STAT_KEYS:
        raise ValueError(by)
    kind, key = STAT_KEYS[by]
    if names is None:
        model = Category if by == "category" else Unit
        names = dict(model.objects.filter(district_id=district_id).values_list("id", "name"))
    if overdue is None:
        overdue = overdue_open(district_id, date_from, date_to, now)
    late = overdue[by]
    rows = []
    sums = _rollup(district_id, kind, date_from, date_to).values(key).annotate(**_sums(*rollup.COUNTERS))
    for r in sums.order_by():
        if not (r["cases"] or r["assignments"]):
            continue
        k = r[key]
        rows.append(
            StatRow(
                key=k or None,
                name=names.get(k) or "—",
                cases=r["cases"],
                closed=r["closed"],
                reworked=r["reworked"],
                rated=r["rated"],
                satisfaction=round(r["satisfaction_sum"] / r["rated"], 2) if r["rated"] else None,
                assignments=r["assignments"],
                returned=r["returned"],
                due=r["handled"] + late.get(k, 0),
                on_time=r["on_time"],
            )
        )
    return sorted(rows, key=lambda s: (-s.cases, s.name))


def stats_tables(*, district_id: int, date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None) -> dict:
    """The three tables of the statistics page (by department, street, incident class) in 6 queries."""
    now = now or timezone.now()
    overdue = overdue_open(district_id, date_from, date_to, now)
    units = dict(Unit.objects.filter(district_id=district_id).values_list("id", "name"))
    classes = dict(Category.objects.filter(district_id=district_id, parent__isnull=True).values_list("id", "name"))
    args = {"district_id": district_id, "date_from": date_from, "date_to": date_to, "now": now, "overdue": overdue}
    return {
        "unit": stats_table(by="unit", names=units, **args),
        "street": stats_table(by="street", names=units, **args),
        "category": stats_table(by="category", names=classes, **args),
    }


def stats_trend(*, district_id: int, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Cases reported and closed per month (from the rollup)."""
    months: dict[str, list[int]] = {}
    by_day = _rollup(district_id, rollup.STREET, date_from, date_to).values("day")
    for r in by_day.annotate(**_sums("cases", "closed")).order_by("day"):
        m = months.setdefault(r["day"].strftime("%Y-%m"), [0, 0])
        m[0] += r["cases"]
        m[1] += r["closed"]
    return [{"month": k, "cases": n, "closed": c} for k, (n, c) in sorted(months.items()) if n]


def stats_heat(*, district_id: int, date_from: dt.date, date_to: dt.date, precision: int = 3) -> list[dict]:
    """Case density by grid cell (at the cell's centre; from the rollup) and, for cases outside
    every cell, on a ~100 m grid of rounded coordinates. The map draws circles by count."""
    from django.db.models import FloatField
    from django.db.models.functions import Cast, Round

    centres = {
        pk: ((a + b) / 2, (c + d) / 2)
        for pk, a, b, c, d in GridCell.objects.filter(district_id=district_id).values_list(
            "id", "min_lat", "max_lat", "min_lng", "max_lng"
        )
    }
    points = []
    by_cell = _rollup(district_id, rollup.CELL, date_from, date_to).values("cell_id")
    for r in by_cell.annotate(n=Sum("cases")).order_by():
        if r["n"] and r["cell_id"] in centres:
            lat, lng = centres[r["cell_id"]]
            points.append({"lat": round(lat, 6), "lng": round(lng, 6), "n": r["n"]})
    outside = (
        _case_base(district_id, date_from, date_to)
        .filter(cell__isnull=True)
        .annotate(rlat=Round(Cast("lat", FloatField()), precision), rlng=Round(Cast("lng", FloatField()), precision))
        .values("rlat", "rlng")
        .annotate(n=Count("id"))
        .order_by("-n")[:2000]
    )
    points += [{"lat": float(r["rlat"]), "lng": float(r["rlng"]), "n": r["n"]} for r in outside]
    return sorted(points, key=lambda p: -p["n"])[:2000]


def stats_table_live(
    *, district_id: int, by: str, date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None
) -> list[StatRow]:
    """``stats_table`` computed from the cases themselves (the reference the rollup is tested against)."""
    now = now or timezone.now()
    cases = _case_base(district_id, date_from, date_to)
    assigns = CaseAssignment.objects.filter(case__in=cases).exclude(state=A.WITHDRAWN)
    rows: dict = {}

    def row(key, name):
        if key not in rows:
            rows[key] = StatRow(key=key, name=name or "—")
        return rows[key]

    if by == "unit":
        names = dict(Unit.objects.filter(district_id=district_id).values_list("id", "name"))
        kept = ~Q(state=A.RETURNED)
        unit_rows = (
            assigns.values("unit_id")
            .annotate(
                **_assignment_aggregates(now),
                n_closed=Count("id", filter=kept & Q(case__state=S.CLOSED)),
                n_rework=Count("id", filter=kept & Q(case__rework_count__gt=0)),
                n_rated=Count("case__satisfaction", filter=kept),
                avg_sat=Avg("case__satisfaction", filter=kept),
            )
            .order_by()
        )
        for r in unit_rows:
            s = row(r["unit_id"], names.get(r["unit_id"]))
            s.assignments, s.returned, s.due, s.on_time = r["n_assign"], r["n_returned"], r["n_due"], r["n_on_time"]
            s.cases = r["n_assign"] - r["n_returned"]
            s.closed, s.reworked, s.rated, s.satisfaction = r["n_closed"], r["n_rework"], r["n_rated"], r["avg_sat"]
    else:
        if by == "street":
            key = "street_id"
            names = dict(Unit.objects.filter(district_id=district_id).values_list("id", "name"))
        elif by == "category":
            key = "category__parent_id"
            names = dict(Category.objects.filter(district_id=district_id).values_list("id", "name"))
        else:
            raise ValueError(by)
        for r in cases.values(key).annotate(**_case_aggregates()).order_by():
            s = row(r[key], names.get(r[key]))
            s.cases, s.closed, s.reworked, s.rated = r["n_cases"], r["n_closed"], r["n_rework"], r["n_rated"]
            s.satisfaction = r["avg_sat"]
        akey = f"case__{key}"
        for r in assigns.values(akey).annotate(**_assignment_aggregates(now)).order_by():
            s = row(r[akey], names.get(r[akey]))
            s.assignments, s.returned, s.due, s.on_time = r["n_assign"], r["n_returned"], r["n_due"], r["n_on_time"]
    for s in rows.values():
        if s.satisfaction is not None:
            s.satisfaction = round(float(s.satisfaction), 2)
    return sorted(rows.values(), key=lambda s: (-s.cases, s.name))


def stats_trend_live(*, district_id: int, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """``stats_trend`` computed from the cases themselves."""
    cases = _case_base(district_id, date_from, date_to)
    rows = (
        cases.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("id"), closed=Count("id", filter=Q(state=S.CLOSED)))
        .order_by("month")
    )
    return [{"month": r["month"].strftime("%Y-%m"), "cases": r["n"], "closed": r["closed"]} for r in rows]


def stats_heat_live(*, district_id: int, date_from: dt.date, date_to: dt.date, precision: int = 3) -> list[dict]:
    """Case density on a ~100 m grid of rounded coordinates, computed from the cases (a year: seconds)."""
    from django.db.models import FloatField
    from django.db.models.functions import Cast, Round

    cases = _case_base(district_id, date_from, date_to)
    rows = (
        cases.annotate(
            rlat=Round(Cast("lat", FloatField()), precision), rlng=Round(Cast("lng", FloatField()), precision)
        )
        .values("rlat", "rlng")
        .annotate(n=Count("id"))
        .order_by("-n")[:2000]
    )
    return [{"lat": float(r["rlat"]), "lng": float(r["rlng"]), "n": r["n"]} for r in rows]


# --------------------------------------------------------------------------- suggestions


def suggest_units(case: Case, *, limit: int = 3) -> list[tuple[Unit, float]]:
    """Departments the district's dispatch history suggests for this case, with probabilities."""
    from .services import _classifier, case_text

    classifier = _classifier()
    if classifier is None:
        return []
    stored = DispatchModel.objects.filter(district_id=case.district_id).order_by("-trained_at").first()
    if stored is None:
        return []
    model = _load_model(stored.pk, bytes(stored.blob), classifier)
    ranked = model.suggest(case_text(case.category.name, case.description))[:limit]
    units = Unit.objects.in_bulk([int(label) for label, _p in ranked if str(label).isdigit()])
    return [(units[int(label)], float(p)) for label, p in ranked if str(label).isdigit() and int(label) in units]


_MODEL_CACHE: dict[int, object] = {}


def _load_model(pk: int, blob: bytes, classifier):
    model = _MODEL_CACHE.get(pk)
    if model is None:
        try:
            model = classifier.Model.loads(blob)
        except TypeError:
            model = classifier.Model.loads(blob.decode())
        _MODEL_CACHE.clear()
        _MODEL_CACHE[pk] = model
    return model


def catalogue(district_id: int) -> list[Category]:
    """The catalogue's classes with their types (``types``) and the routing of each (``units``, ``street_rules``).

    A type without rules of its own is routed by its class's (``routing.Routing``)."""
    from django.db.models import Prefetch

    from .models import RoutingRule

    rules = RoutingRule.objects.select_related("unit", "street").order_by("street_id", "unit__sort_order", "unit_id")
    types = Category.objects.order_by("code").prefetch_related(Prefetch("routing_rules", queryset=rules))
    classes = list(
        Category.objects.filter(district_id=district_id, parent__isnull=True)
        .order_by("code")
        .prefetch_related(
            Prefetch("routing_rules", queryset=rules), Prefetch("children", queryset=types, to_attr="types")
        )
    )
    for entry in [*classes, *(t for c in classes for t in c.types)]:
        entry.units = [r.unit for r in entry.routing_rules.all() if r.street_id is None]
        entry.street_rules = [r for r in entry.routing_rules.all() if r.street_id is not None]
    return classes
