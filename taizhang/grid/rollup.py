"""The statistics rollup (:class:`~taizhang.grid.models.CaseStatDay`): each case's contribution, kept current.

The statistics count cases by the day they were reported, in their *current* state,
so a transition months later changes the counts of the day the case came in. Rather
than reason about each transition separately, every transition does the same thing
(``services._save``)::

    before = contribution(case as locked, its assignments)
    ... the transition ...
    after = contribution(case as saved, its assignments)
    rollup_add(after - before)

``contribution`` is the live definition of the statistics written for one case, so
the rollup equals the live aggregation by construction (the sum of all cases'
contributions), and ``rollup_rebuild`` recomputes it from scratch for a data
migration or a bulk load. The addition is one ``INSERT … ON CONFLICT DO UPDATE SET
n = n + excluded.n`` statement (SQLite ≥ 3.24 and PostgreSQL): concurrent transitions
touching the same row serialise on its row lock and both increments survive; rows
are sent in key order so two transactions never wait on each other in a cycle.

What depends on the clock of the moment (an open assignment past its deadline
counts as "due") is not stored: the statistics add it with a live query over the
few open assignments.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

STREET, CLASS, UNIT, CELL = 1, 2, 3, 4
KEYS = ("kind", "day", "street_id", "class_id", "unit_id", "cell_id")
COUNTERS = (
    "cases",
    "closed",
    "reworked",
    "rated",
    "satisfaction_sum",
    "assignments",
    "returned",
    "handled",
    "on_time",
)
CASE_COUNTERS = COUNTERS[:5]
ASSIGNMENT_COUNTERS = COUNTERS[5:]
NOT_COUNTED = ("merged", "rejected")
Key = tuple  # (kind, day, street_id, class_id, unit_id, cell_id)


def contribution(case, assignments: Iterable) -> dict[Key, Counter]:
    """What one case adds to the rollup. ``assignments``: objects with ``unit_id``, ``state``, ``on_time``."""
    if case.state in NOT_COUNTED:
        return {}
    day = timezone.localtime(case.created_at).date()
    outcome = Counter(
        cases=1,
        closed=int(case.state == "closed"),
        reworked=int(case.rework_count > 0),
        rated=int(case.satisfaction is not None),
        satisfaction_sum=case.satisfaction or 0,
    )
    by_street = (STREET, day, case.street_id or 0, 0, 0, 0)
    by_class = (CLASS, day, 0, case.category.parent_id or 0, 0, 0)
    out: dict[Key, Counter] = {by_street: Counter(outcome), by_class: Counter(outcome)}
    if case.cell_id:
        out[(CELL, day, 0, 0, 0, case.cell_id)] = Counter(cases=1)
    for a in assignments:
        if a.state == "withdrawn":
            continue
        work = Counter(
            assignments=1,
            returned=int(a.state == "returned"),
            handled=int(a.state == "handled"),
            on_time=int(a.state == "handled" and bool(a.on_time)),
        )
        out[by_street].update(work)
        out[by_class].update(work)
        unit = out.setdefault((UNIT, day, 0, 0, a.unit_id, 0), Counter())
        unit.update(work)
        if a.state != "returned":  # the cases a department kept: their outcome counts for it
            unit.update(outcome)
    return out


def difference(after: dict[Key, Counter], before: dict[Key, Counter]) -> dict[Key, dict]:
    out = {}
    for key in after.keys() | before.keys():
        a, b = after.get(key, Counter()), before.get(key, Counter())
        delta = {name: a[name] - b[name] for name in COUNTERS if a[name] != b[name]}
        if delta:
            out[key] = delta
    return out


def rollup_add(district_id: int, deltas: dict[Key, dict]) -> None:
    """Add the deltas to the rollup rows (created when missing): one statement."""
    if not deltas:
        return
    from .models import CaseStatDay

    table = connection.ops.quote_name(CaseStatDay._meta.db_table)
    columns = ("district_id", *KEYS, *COUNTERS)
    values, params = [], []
    for key in sorted(deltas, key=lambda k: (k[0], k[1].isoformat(), *k[2:])):
        kind, day, *ids = key
        values.append("(" + ", ".join(["%s"] * len(columns)) + ")")
        params += [district_id, kind, day.isoformat(), *ids, *(deltas[key].get(name, 0) for name in COUNTERS)]
    conflict = ", ".join(("district_id", *KEYS))
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COUNTERS)
    # Identifiers are this module's constants; every value is a parameter.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join(values)} "  # noqa: S608
    sql += f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rollup_rebuild(*, district_id: int | None = None, models=None) -> int:
    """Recompute the rollup from the cases (all districts, or one). Returns the rows written.

    ``models``: (Case, CaseAssignment, CaseStatDay), historical ones in a migration.
    """
    if models is None:
        from .models import Case, CaseAssignment, CaseStatDay
    else:
        Case, CaseAssignment, CaseStatDay = models
    cases = Case.objects.exclude(state__in=NOT_COUNTED)
    assigns = CaseAssignment.objects.exclude(case__state__in=NOT_COUNTED).exclude(state="withdrawn")
    old = CaseStatDay.objects.all()
    if district_id is not None:
        cases, assigns = cases.filter(district_id=district_id), assigns.filter(case__district_id=district_id)
        old = old.filter(district_id=district_id)
    old.delete()
    rows: dict[Key, Counter] = {}

    def add(key: tuple, r: dict, names) -> None:
        c = rows.setdefault((r["d"], *key), Counter())
        c.update({name: r[name] or 0 for name in names})

    case_counts = {
        "cases": Count("id"),
        "closed": Count("id", filter=Q(state="closed")),
        "reworked": Count("id", filter=Q(rework_count__gt=0)),
        "rated": Count("satisfaction"),
        "satisfaction_sum": Sum("satisfaction"),
    }
    work_counts = {
        "assignments": Count("id"),
        "returned": Count("id", filter=Q(state="returned")),
        "handled": Count("id", filter=Q(state="handled")),
        "on_time": Count("id", filter=Q(state="handled", on_time=True)),
    }
    kept = ~Q(state="returned")
    kept_counts = {
        "cases": Count("id", filter=kept),
        "closed": Count("id", filter=kept & Q(case__state="closed")),
        "reworked": Count("id", filter=kept & Q(case__rework_count__gt=0)),
        "rated": Count("case__satisfaction", filter=kept),
        "satisfaction_sum": Sum("case__satisfaction", filter=kept),
    }
    cases = cases.annotate(day=TruncDate("created_at")).order_by()
    assigns = assigns.annotate(day=TruncDate("case__created_at")).order_by()
    for kind, column in ((STREET, "street_id"), (CLASS, "category__parent_id")):
        for r in cases.values("day", d=F("district_id"), g=F(column)).annotate(**case_counts):
            key = (kind, r["day"], r["g"] or 0, 0, 0, 0) if kind == STREET else (kind, r["day"], 0, r["g"] or 0, 0, 0)
            add(key, r, CASE_COUNTERS)
        for r in assigns.values("day", d=F("case__district_id"), g=F(f"case__{column}")).annotate(**work_counts):
            key = (kind, r["day"], r["g"] or 0, 0, 0, 0) if kind == STREET else (kind, r["day"], 0, r["g"] or 0, 0, 0)
            add(key, r, ASSIGNMENT_COUNTERS)
    by_unit = assigns.values("day", d=F("case__district_id"), g=F("unit_id"))
    for r in by_unit.annotate(**work_counts, **kept_counts):
        add((UNIT, r["day"], 0, 0, r["g"], 0), r, COUNTERS)
    by_cell = cases.filter(cell_id__isnull=False).values("day", d=F("district_id"), g=F("cell_id"))
    for r in by_cell.annotate(cases=Count("id")):
        add((CELL, r["day"], 0, 0, 0, r["g"]), r, ("cases",))
    objs = [
        CaseStatDay(**dict(zip(("district_id", *KEYS), key, strict=True)), **{n: c[n] for n in COUNTERS})
        for key, c in rows.items()
    ]
    CaseStatDay.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


def day_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start, end
