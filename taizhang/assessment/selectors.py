"""Reads of assessment: rankings with movement, a unit's drill-down, objections."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from taizhang.org.models import District, Person

from .access import can_see_unit, sees_drafts
from .metrics import FACT_LINKERS, METRICS
from .models import Adjustment, Objection, Period, Rule, RuleScore, Scheme, ScoreRun, UnitGroup, UnitScore
from .scoring import movement


def current_scheme(district: District | int, *, published_only: bool = True) -> Scheme | None:
    """The district's scheme of the latest year (published unless asked otherwise)."""
    district_id = district if isinstance(district, int) else district.pk
    qs = Scheme.objects.filter(district_id=district_id)
    if published_only:
        qs = qs.filter(state=Scheme.State.PUBLISHED)
    return qs.order_by("-year", "-published_at", "-id").first()


def runs_of(scheme: Scheme, *, published_only: bool) -> list[ScoreRun]:
    qs = ScoreRun.objects.filter(scheme=scheme).select_related("period")
    if published_only:
        qs = qs.filter(published_at__isnull=False)
    return list(qs.order_by("period__start", "period__kind"))


def previous_run(run: ScoreRun, *, published_only: bool = True) -> ScoreRun | None:
    """The run of the quarter before (None for Q1 and for the whole year)."""
    if run.period.kind != Period.Kind.QUARTER or run.period.number == 1:
        return None
    qs = ScoreRun.objects.filter(
        scheme_id=run.scheme_id, period__kind=Period.Kind.QUARTER, period__number=run.period.number - 1
    )
    if published_only:
        qs = qs.filter(published_at__isnull=False)
    return qs.select_related("period").first()


def ranking_groups(run: ScoreRun, previous: ScoreRun | None) -> list[dict]:
    """``[{group, group_id, period, rows: [{unit, unit_id, total, rank, previous_rank, movement}]}]``."""
    before = {}
    if previous is not None:
        before = {(g, u): r for g, u, r in previous.unit_scores.values_list("group_id", "unit_id", "rank")}
    groups = {g.pk: g for g in UnitGroup.objects.filter(scheme_id=run.scheme_id)}
    rows_by_group: dict[int, list] = defaultdict(list)
    for us in run.unit_scores.select_related("unit").order_by("rank", "unit__sort_order", "unit_id"):
        prev = before.get((us.group_id, us.unit_id))
        rows_by_group[us.group_id].append(
            {
                "unit": us.unit.name,
                "unit_id": us.unit_id,
                "total": us.total,
                "rank": us.rank,
                "previous_rank": prev,
                "movement": movement(us.rank, prev),
            }
        )
    ordered = sorted(groups.values(), key=lambda g: (g.sort_order, g.pk))
    return [
        {"group": g.name, "group_id": g.pk, "period": run.period.label, "rows": rows_by_group.get(g.pk, [])}
        for g in ordered
    ]


def latest_rankings(district: District) -> list[dict]:
    """Rankings of the latest published quarter of the current scheme, with movement.

    ``[{group, rows: [{unit, unit_id, total, rank, previous_rank, movement}]}]`` —
    ``movement`` is places moved up (+) or down (−) since the previous quarter, None
    for a unit not ranked then. Empty list when nothing is published.
    """
    scheme = current_scheme(district)
    if scheme is None:
        return []
    run = (
        ScoreRun.objects.filter(scheme=scheme, period__kind=Period.Kind.QUARTER, published_at__isnull=False)
        .select_related("period")
        .order_by("-period__number")
        .first()
    )
    if run is None:
        return []
    return ranking_groups(run, previous_run(run))


def visible_runs(person: Person, scheme: Scheme) -> list[ScoreRun]:
    return runs_of(scheme, published_only=not sees_drafts(person))


# --------------------------------------------------------------------------- drill-down


@dataclass
class FactLink:
    label: str
    url: str


@dataclass
class RuleLine:
    score: RuleScore
    rule: Rule
    metric_label: str = ""
    links: list[FactLink] = field(default_factory=list)
    objection: Objection | None = None


@dataclass
class CategoryBlock:
    name: str
    weight: Decimal
    points: Decimal
    lines: list[RuleLine]


def unit_drilldown(unit_score: UnitScore) -> list[CategoryBlock]:
    """A unit's total split into categories and rules, each with the items behind it."""
    scores = list(
        RuleScore.objects.filter(unit_score=unit_score)
        .select_related("rule__category")
        .order_by("rule__category__sort_order", "rule__category_id", "rule__sort_order", "rule_id")
    )
    ids_by_kind: dict[str, set[int]] = defaultdict(set)
    for s in scores:
        kind = s.facts.get("fact_kind")
        if kind:
            ids_by_kind[kind].update(s.facts.get("ids", []))
    links = {kind: FACT_LINKERS[kind](ids) for kind, ids in ids_by_kind.items() if kind in FACT_LINKERS}
    objections = {
        o.rule_id: o
        for o in Objection.objects.filter(period_id=unit_score.run.period_id, unit_id=unit_score.unit_id).order_by(
            "filed_at", "id"
        )
    }
    blocks: dict[int, CategoryBlock] = {}
    for s in scores:
        cat = s.rule.category
        block = blocks.setdefault(cat.pk, CategoryBlock(cat.name, cat.weight, Decimal(0), []))
        block.points += s.points
        line = RuleLine(score=s, rule=s.rule, objection=objections.get(s.rule_id))
        metric = METRICS.get(s.rule.metric)
        if metric is not None:
            line.metric_label = str(metric.label)
        known = links.get(s.facts.get("fact_kind"), {})
        for pk in s.facts.get("ids", []):
            if pk in known:
                line.links.append(FactLink(*known[pk]))
        block.lines.append(line)
    return list(blocks.values())


# --------------------------------------------------------------------------- objections, adjustments


def objections_for(person: Person) -> QuerySet:
    qs = Objection.objects.filter(scheme__district_id=person.district_id)
    if not sees_drafts(person):
        qs = qs.filter(unit_id=person.unit_id) if person.unit_id else qs.none()
    return qs.select_related("rule", "unit", "period", "filed_by", "resolved_by")


def adjustments_for(person: Person, scheme: Scheme) -> QuerySet:
    qs = Adjustment.objects.filter(period__scheme=scheme)
    if not sees_drafts(person):
        qs = qs.filter(Q(unit_id=person.unit_id) & Q(state=Adjustment.State.APPROVED))
    return qs.select_related("rule", "unit", "period", "proposed_by", "decided_by")


def unit_score_for(person: Person, run: ScoreRun, unit_id: int) -> UnitScore | None:
    if not can_see_unit(person, unit_id):
        return None
    return run.unit_scores.select_related("unit", "group").filter(unit_id=unit_id).first()
