"""The leaders' cockpit (领导驾驶舱): every panel in a small, fixed number of queries.

Each panel is one aggregate (``.values().annotate()``) or one short slice; nothing
loops over items, so the query count does not grow with the ledger (tested). Every
number carries the list URL behind it, built from the ledger's own filters
(``ItemFilters``), so a click shows exactly the rows that were counted.

Scope: leaders and both offices see the whole district; other roles get the reduced
view of their own units' items (``org.access.scope_for``) and no indicators.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from django.db.models import Case, Count, F, Q, Sum, When
from django.urls import reverse

from taizhang.core.calendar import today as local_today
from taizhang.indicators.selectors import IndicatorRow, indicator_table
from taizhang.ledger.models import Item, ItemEvent, KeyProject, Status, Whistle
from taizhang.ledger.services import statuses_refresh_if_stale
from taizhang.ledger.status import time_progress
from taizhang.org.access import scope_for
from taizhang.org.models import Person, Role

FULL_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR, Role.POLICY})
TOP = 10  # rows per ranked panel


@lru_cache(maxsize=32)
def _path(name: str) -> str:
    return reverse(name)


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return _path(name) + (f"?{query}" if query else "")


def pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class Cockpit:
    person: Person
    full: bool
    today: dt.date
    time_progress: Decimal
    status_counts: dict = field(default_factory=dict)  # kind -> {status: n, "total": n}
    investment: dict = field(default_factory=dict)
    lagging_projects: list = field(default_factory=list)
    overdue_by_unit: list = field(default_factory=list)
    overdue_by_leader: list = field(default_factory=list)
    overdue_total: int = 0
    whistles_waiting: int = 0
    whistles_escalated: int = 0
    mine: dict | None = None  # kind -> status counts of the leader's own (包抓) items
    mine_overdue: int = 0
    mine_items: list = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    rankings: list | None = None  # [{title, rows: [{rank, name, score, movement}]}], None: nothing published
    recent: list = field(default_factory=list)

    @property
    def indicators_behind(self) -> int:
        return sum(1 for r in self.indicators if r.behind)

    @property
    def lights(self) -> dict:
        """Red/amber/green over projects and tasks together."""
        out = {s: 0 for s in Status.values}
        for counts in self.status_counts.values():
            for s in Status.values:
                out[s] += counts.get(s, 0)
        return out


def _status_counts(items, **params) -> dict:
    """Counts by kind and status, and overdue counts by kind (``"overdue"``), in one query."""
    out = {kind: {s: 0 for s in Status.values} | {"overdue": 0} for kind in Item.Kind.values}
    for row in items.order_by().values("kind", "status", "is_overdue").annotate(n=Count("id")):
        out[row["kind"]][row["status"]] += row["n"]
        if row["is_overdue"]:
            out[row["kind"]]["overdue"] += row["n"]
    for kind, counts in out.items():
        counts["total"] = sum(counts[s] for s in Status.values)
        counts["urls"] = {
            s: _url("ledger:projects" if kind == Item.Kind.PROJECT else "ledger:tasks", status=s, **params)
            for s in Status.values
        }
    return out


def _investment(projects, tp: Decimal) -> tuple[dict, list]:
    money = projects.order_by().aggregate(
        planned=Sum("planned_investment_year"), done=Sum("completed_investment_year"), n=Count("id")
    )
    completion = pct(money["done"], money["planned"])
    summary = {
        "planned": money["planned"] or Decimal(0),
        "done": money["done"] or Decimal(0),
        "count": money["n"],
        "completion": completion,
        "lead": (completion - tp) if completion is not None else None,
        "url": _url("ledger:projects"),
    }
    lagging = list(
        projects.filter(planned_investment_year__gt=0, completed_on__isnull=True)
        .annotate(
            completion=F("completed_investment_year") * 100 / F("planned_investment_year"),
        )
        .order_by("completion", "code")
        .select_related("lead_unit")
        .only(
            "id",
            "name",
            "code",
            "status",
            "level",
            "lead_unit__name",
            "planned_investment_year",
            "completed_investment_year",
        )[:TOP]
    )
    for p in lagging:
        p.completion_pct = p.year_completion_pct
        p.lead = (p.completion_pct - tp) if p.completion_pct is not None else None
    return summary, lagging


def _overdue_by_unit(overdue) -> list[dict]:
    """Overdue items by lead unit, tasks and projects apart (each number links to its list)."""
    rows: dict[int, dict] = {}
    for r in overdue.order_by().values("lead_unit_id", "lead_unit__name", "kind").annotate(n=Count("id")):
        row = rows.setdefault(
            r["lead_unit_id"], {"unit_id": r["lead_unit_id"], "name": r["lead_unit__name"], "task": 0, "project": 0}
        )
        row[r["kind"]] = r["n"]
    out = sorted(rows.values(), key=lambda r: (-(r["task"] + r["project"]), r["name"]))[:TOP]
    for r in out:
        r["total"] = r["task"] + r["project"]
        r["task_url"] = _url("ledger:tasks", overdue=1, unit=r["unit_id"])
        r["project_url"] = _url("ledger:projects", overdue=1, unit=r["unit_id"])
    return out


def _overdue_by_leader(overdue) -> list[dict]:
    rows: dict[int, dict] = {}
    qs = (
        overdue.filter(leaders__isnull=False)
        .order_by()
        .values("leaders__id", "leaders__full_name", "leaders__username", "kind")
        .annotate(n=Count("id", distinct=True))
    )
    for r in qs:
        row = rows.setdefault(
            r["leaders__id"],
            {
                "leader_id": r["leaders__id"],
                "name": r["leaders__full_name"] or r["leaders__username"],
                "task": 0,
                "project": 0,
            },
        )
        row[r["kind"]] = r["n"]
    out = sorted(rows.values(), key=lambda r: (-(r["task"] + r["project"]), r["name"]))[:TOP]
    for r in out:
        r["total"] = r["task"] + r["project"]
        r["task_url"] = _url("ledger:tasks", overdue=1, leader=r["leader_id"])
        r["project_url"] = _url("ledger:projects", overdue=1, leader=r["leader_id"])
    return out


def _whistles(person: Person, scope) -> tuple[int, int]:
    qs = Whistle.objects.filter(item__district_id=scope.district_id, item__is_archived=False).exclude(
        state=Whistle.State.CLOSED
    )
    if scope.unit_ids is not None:
        visible = Item.objects.for_scope(scope).values("pk")
        qs = qs.filter(Q(item__in=visible) | Q(responses__unit_id__in=scope.unit_ids))
    counts = qs.order_by().aggregate(
        waiting=Count("id", distinct=True), escalated=Count("id", distinct=True, filter=Q(escalated_at__isnull=False))
    )
    return counts["waiting"], counts["escalated"]


def _ranking_row(r, i: int) -> dict:
    get = r.get if isinstance(r, dict) else (lambda k, default=None, r=r: getattr(r, k, default))
    score = get("total")
    return {
        "rank": get("rank") or i,
        "name": str(get("unit") or get("name") or ""),
        "score": score if score is not None else get("score"),
        "movement": get("movement"),
    }


def _rankings(person: Person) -> list[dict] | None:
    """The assessment app's latest published ranking, if that app provides one.

    ``taizhang.assessment.selectors.latest_rankings(district)`` returns groups
    ``[{group, rows: [{unit, unit_id, total, rank, previous_rank, movement}]}]``; a flat
    list of rows is accepted too. Returns ``[{title, rows: [{rank, name, score, movement}]}]``.
    """
    try:
        from taizhang.assessment import selectors as assessment
    except ImportError:
        return None
    if not hasattr(assessment, "latest_rankings"):
        return None
    result = list(assessment.latest_rankings(person.district) or [])
    if not result:
        return None
    if isinstance(result[0], dict) and "rows" in result[0]:
        groups = [(g.get("group"), g.get("rows") or []) for g in result]
    else:
        groups = [("", result)]
    return [
        {"title": str(title or ""), "rows": [_ranking_row(r, i) for i, r in enumerate(list(rows)[:TOP], start=1)]}
        for title, rows in groups
    ]


def cockpit_for(person: Person, *, today: dt.date | None = None, with_indicators: bool = True) -> Cockpit:
    """Everything on the cockpit for ``person`` (whole district for leaders and the offices)."""
    today = today or local_today()
    scope = scope_for(person)
    full = person.role in FULL_ROLES
    if person.district_id:
        statuses_refresh_if_stale(district_id=person.district_id)
    items = Item.objects.live().for_scope(scope)
    projects = KeyProject.objects.live().for_scope(scope)
    tp = time_progress(today.year, today)
    c = Cockpit(person=person, full=full, today=today, time_progress=tp)
    c.status_counts = _status_counts(items)
    c.investment, c.lagging_projects = _investment(projects.filter(year=today.year), tp)
    overdue = items.filter(is_overdue=True)
    c.overdue_total = sum(counts["overdue"] for counts in c.status_counts.values())
    c.overdue_by_unit = _overdue_by_unit(overdue)
    c.overdue_by_leader = _overdue_by_leader(overdue) if full else []
    c.whistles_waiting, c.whistles_escalated = _whistles(person, scope)
    if person.is_leader:
        mine = items.filter(leaders__id=person.id)
        c.mine = _status_counts(mine, mine=1)
        c.mine_overdue = sum(counts["overdue"] for counts in c.mine.values())
        # Red first, then amber: what the leader should look at today.
        c.mine_items = list(
            mine.exclude(status=Status.GREEN)
            .select_related("lead_unit")
            .only("id", "name", "kind", "status", "lag_points", "is_overdue", "deadline", "lead_unit__name")
            .annotate(severity=Case(When(status=Status.RED, then=0), default=1))
            .order_by("severity", F("lag_points").asc(nulls_last=True), "code")[:TOP]
        )
    if full and with_indicators:
        c.indicators = indicator_table(person.district_id)
        c.rankings = _rankings(person)
    # History is append-only (ItemEvent refuses updates), so the primary key orders it by
    # insertion: walking the pk index backwards avoids sorting the district's whole history.
    events = ItemEvent.objects.filter(item__district_id=scope.district_id, item__is_archived=False)
    if scope.unit_ids is not None:
        events = events.filter(item__in=items.values("pk"))
    c.recent = list(
        events.select_related("item", "actor")
        .only(
            "id",
            "at",
            "kind",
            "summary",
            "item__id",
            "item__name",
            "item__status",
            "actor__full_name",
            "actor__username",
        )
        .order_by("-id")[:TOP]
    )
    return c
