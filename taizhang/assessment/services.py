"""Writes of assessment: schemes, scores, bonuses/deductions, objections, observation.

Every function is atomic, takes keyword-only arguments and refuses what the actor
may not do (``PermissionDenied``) or what is wrong (``ValidationError`` with a
message the user can act on).

``scores_recompute`` is the only writer of ``ScoreRun``/``UnitScore``/``RuleScore``.
It is idempotent: it computes every unit's points from the data, fingerprints the
result and rewrites the rows only when the fingerprint changed (``revision`` + 1).
A published run keeps its "data as of" day, so recomputing it after an accepted
objection changes nothing but the corrected score.

Mid-year joiners (``GroupMember.joined_on``): a unit is scored on the periods it was
a member for, from the day it joined — it is not ranked in a period that ended
before it joined, and its automatic rules measure only from ``joined_on``. Rates are
naturally comparable; counts (deductions) are not pro-rated: a unit that joined late
simply had fewer weeks in which to miss a report. No points are invented for the
time before it joined.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.calendar import today as local_today
from taizhang.core.calendar import work_calendar
from taizhang.ledger.models import Item
from taizhang.org.models import District, Person, Unit

from . import scoring
from .access import can_object_for, is_supervisor
from .metrics import METRICS
from .models import (
    Adjustment,
    Category,
    Criterion,
    GroupMember,
    JudgeScore,
    ManualScore,
    Objection,
    ObjectionEvent,
    ObservationSession,
    Period,
    Rule,
    RuleScore,
    Scheme,
    ScoreRun,
    Subject,
    UnitGroup,
    UnitScore,
)

FOUR_LOOKS = [
    ("看谋划比落地", Decimal("25")),
    ("看进度比位次", Decimal("25")),
    ("看增量比贡献", Decimal("25")),
    ("看亩均比效益", Decimal("25")),
]


def _require_supervisor(actor: Person, district_id: int) -> None:
    if not is_supervisor(actor) or actor.district_id != district_id:
        raise PermissionDenied(_("Only the supervision office may do this."))


def _require_draft(scheme: Scheme) -> None:
    if not scheme.is_draft:
        raise ValidationError(_("The scheme is published and can no longer be changed."))


def _points(value, field: str = "points") -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None


# --------------------------------------------------------------------------- schemes


@transaction.atomic
def scheme_create(*, actor: Person, district: District, year: int, name: str, objection_workdays: int = 5) -> Scheme:
    """Create a draft scheme with its periods: the four quarters and the whole year."""
    _require_supervisor(actor, district.pk)
    if not name:
        raise ValidationError({"name": _("Give the scheme a name.")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("The year must be between 2000 and 2100.")})
    if Scheme.objects.filter(district=district, year=year, name=name).exists():
        raise ValidationError({"name": _("A scheme with this name already exists for that year.")})
    scheme = Scheme.objects.create(district=district, year=year, name=name, objection_workdays=objection_workdays)
    quarters = [(1, 1, 3, 31), (2, 4, 6, 30), (3, 7, 9, 30), (4, 10, 12, 31)]
    Period.objects.bulk_create(
        [
            Period(
                scheme=scheme,
                kind=Period.Kind.QUARTER,
                number=n,
                start=dt.date(year, m1, 1),
                end=dt.date(year, m2, d2),
            )
            for n, m1, m2, d2 in quarters
        ]
        + [Period(scheme=scheme, kind=Period.Kind.YEAR, number=0, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))]
    )
    return scheme


@transaction.atomic
def group_create(
    *, actor: Person, scheme: Scheme, name: str, units: Iterable[Unit] = (), sort_order: int = 0
) -> UnitGroup:
    _require_supervisor(actor, scheme.district_id)
    _require_draft(scheme)
    if scheme.groups.filter(name=name).exists():
        raise ValidationError({"name": _("This scheme already has a group with that name.")})
    group = UnitGroup.objects.create(scheme=scheme, name=name, sort_order=sort_order)
    for unit in units:
        group_member_add(actor=actor, group=group, unit=unit)
    return group


@transaction.atomic
def group_member_add(*, actor: Person, group: UnitGroup, unit: Unit, joined_on: dt.date | None = None) -> GroupMember:
    """Add a unit to a group; ``joined_on`` for a unit that joins mid-year (allowed after publication)."""
    scheme = group.scheme
    _require_supervisor(actor, scheme.district_id)
    if unit.district_id != scheme.district_id:
        raise ValidationError({"unit": _("The unit belongs to another district.")})
    if GroupMember.objects.filter(group__scheme=scheme, unit=unit).exists():
        raise ValidationError({"unit": _("%(unit)s is already in a group of this scheme.") % {"unit": unit.name}})
    if joined_on is not None and joined_on.year != scheme.year:
        raise ValidationError({"joined_on": _("The joining date must fall in the scheme's year.")})
    if joined_on is None and not scheme.is_draft:
        raise ValidationError({"joined_on": _("A unit added to a published scheme needs its joining date.")})
    return GroupMember.objects.create(group=group, unit=unit, joined_on=joined_on)


@transaction.atomic
def category_create(*, actor: Person, group: UnitGroup, name: str, weight, sort_order: int = 0) -> Category:
    _require_supervisor(actor, group.scheme.district_id)
    _require_draft(group.scheme)
    weight = _points(weight, "weight")
    if weight < 0:
        raise ValidationError({"weight": _("The weight cannot be negative.")})
    return Category.objects.create(group=group, name=name, weight=weight, sort_order=sort_order)


@transaction.atomic
def rule_create(
    *,
    actor: Person,
    category: Category,
    name: str,
    kind: str,
    max_points,
    metric: str = "",
    formula: str = "",
    params: Mapping | None = None,
    missing: str = Rule.Missing.FULL,
    assessors: Iterable[Person] = (),
    sort_order: int = 0,
) -> Rule:
    scheme = category.group.scheme
    _require_supervisor(actor, scheme.district_id)
    _require_draft(scheme)
    rule = Rule(
        category=category,
        name=name,
        kind=kind,
        max_points=_points(max_points, "max_points"),
        metric=metric,
        formula=formula,
        params=dict(params or {}),
        missing=missing,
        sort_order=sort_order,
    )
    errors = _rule_errors(rule)
    if errors:
        raise ValidationError(errors)
    rule.save()
    assessors = list(assessors)
    if any(p.district_id != scheme.district_id for p in assessors):
        raise ValidationError({"assessors": _("Assessors must belong to the district.")})
    rule.assessors.set(assessors)
    return rule


@transaction.atomic
def rule_delete(*, actor: Person, rule: Rule) -> None:
    scheme = rule.category.group.scheme
    _require_supervisor(actor, scheme.district_id)
    _require_draft(scheme)
    rule.delete()


def _rule_errors(rule: Rule) -> list[str]:
    label = rule.name or _("(unnamed rule)")
    if rule.kind not in Rule.Kind.values:
        return [_("Rule “%(rule)s”: unknown kind.") % {"rule": label}]
    if rule.max_points is None or rule.max_points <= 0:
        return [_("Rule “%(rule)s”: the maximum points must be positive.") % {"rule": label}]
    if rule.kind == Rule.Kind.AUTO:
        if rule.metric not in METRICS:
            return [
                _("Rule “%(rule)s” refers to the metric “%(metric)s”, which does not exist.")
                % {"rule": label, "metric": rule.metric or "—"}
            ]
        return [
            _("Rule “%(rule)s”: %(error)s") % {"rule": label, "error": e}
            for e in scoring.formula_errors(rule.formula, rule.params or {})
        ]
    return []


def scheme_errors(scheme: Scheme) -> list[str]:
    """Everything that stops the scheme from being published (empty: ready)."""
    errors: list[str] = []
    groups = list(scheme.groups.prefetch_related("categories__rules", "members"))
    if not groups:
        errors.append(_("The scheme has no unit group."))
    for group in groups:
        if not group.members.all():
            errors.append(_("Group “%(group)s” has no units.") % {"group": group.name})
        categories = list(group.categories.all())
        if not categories:
            errors.append(_("Group “%(group)s” has no categories.") % {"group": group.name})
            continue
        total = sum((c.weight for c in categories), Decimal(0))
        if total != 100:
            errors.append(
                _("The category weights of group “%(group)s” add up to %(total)s, not 100.")
                % {"group": group.name, "total": scoring.q(total)}
            )
        for category in categories:
            rules = list(category.rules.all())
            scored = [r for r in rules if r.kind != Rule.Kind.ADJUSTMENT]
            if category.weight and not scored:
                errors.append(_("Category “%(category)s” has no rules.") % {"category": category.name})
            elif scored:
                points = sum((r.max_points for r in scored), Decimal(0))
                if points != category.weight:
                    errors.append(
                        _("The rules of category “%(category)s” give %(points)s points, but its weight is %(weight)s.")
                        % {"category": category.name, "points": scoring.q(points), "weight": scoring.q(category.weight)}
                    )
            for rule in rules:
                errors.extend(_rule_errors(rule))
                if rule.kind == Rule.Kind.MANUAL and not rule.assessors.exists():
                    errors.append(_("Manual rule “%(rule)s” has no assessor.") % {"rule": rule.name})
    return errors


@transaction.atomic
def scheme_publish(*, actor: Person, scheme: Scheme) -> Scheme:
    _require_supervisor(actor, scheme.district_id)
    locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
    _require_draft(locked)
    errors = scheme_errors(locked)
    if errors:
        raise ValidationError(errors)
    scheme.state = Scheme.State.PUBLISHED
    scheme.published_at = timezone.now()
    scheme.save(update_fields=["state", "published_at"])
    from .tasks import published_scheme_cache_clear

    transaction.on_commit(lambda: published_scheme_cache_clear(scheme.district_id))
    published_scheme_cache_clear(scheme.district_id)
    return scheme


# --------------------------------------------------------------------------- manual scores, adjustments


def _check_scorable(rule: Rule, period: Period, unit: Unit) -> None:
    scheme = Scheme.objects.get(pk=period.scheme_id)
    if rule.category.group.scheme_id != scheme.pk:
        raise ValidationError(_("The rule and the period belong to different schemes."))
    if scheme.is_draft:
        raise ValidationError(_("Scores are entered once the scheme is published."))
    if not GroupMember.objects.filter(group_id=rule.category.group_id, unit=unit).exists():
        raise ValidationError(_("%(unit)s is not assessed by this rule.") % {"unit": unit.name})
    run = ScoreRun.objects.filter(period=period).first()
    if run is not None and run.is_published:
        raise ValidationError(
            _("The scores of %(period)s are published: file an objection instead.") % {"period": period.label}
        )


@transaction.atomic
def manual_score_enter(*, actor: Person, rule: Rule, period: Period, unit: Unit, points, note: str = "") -> ManualScore:
    """An assessor's score for one unit on one manual rule (correctable until publication)."""
    if rule.kind != Rule.Kind.MANUAL:
        raise ValidationError(_("Only manual rules take scores from assessors."))
    if not rule.assessors.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("You are not an assessor of this rule."))
    _check_scorable(rule, period, unit)
    points = _points(points)
    if points < 0 or points > rule.max_points:
        raise ValidationError(
            {"points": _("The score must be between 0 and %(max)s.") % {"max": scoring.q(rule.max_points)}}
        )
    score, _created = ManualScore.objects.update_or_create(
        rule=rule, period=period, unit=unit, assessor=actor, defaults={"points": points, "note": note}
    )
    _recompute_if_run(period)
    return score


@transaction.atomic
def adjustment_propose(
    *, actor: Person, rule: Rule, period: Period, unit: Unit, points, reason: str, evidence=None
) -> Adjustment:
    """Propose a bonus (+) or deduction (−); it counts once the supervision office approves it."""
    if rule.kind != Rule.Kind.ADJUSTMENT:
        raise ValidationError(_("Bonuses and deductions go on a bonus/deduction rule."))
    scheme = period.scheme
    if not (is_supervisor(actor) or rule.assessors.filter(pk=actor.pk).exists()) or actor.district_id != (
        scheme.district_id
    ):
        raise PermissionDenied(_("Only the supervision office or the rule's assessors propose bonuses and deductions."))
    _check_scorable(rule, period, unit)
    points = _points(points)
    if points == 0 or abs(points) > rule.max_points:
        raise ValidationError(
            {"points": _("Give a non-zero number of points within ±%(max)s.") % {"max": scoring.q(rule.max_points)}}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    adj = Adjustment(rule=rule, period=period, unit=unit, points=points, reason=reason.strip(), proposed_by=actor)
    if evidence:
        adj.evidence = evidence
    adj.save()
    return adj


@transaction.atomic
def adjustment_decide(*, actor: Person, adjustment: Adjustment, approve: bool, note: str = "") -> Adjustment:
    """Approve or reject a proposal; the proposer cannot approve their own."""
    adjustment = Adjustment.objects.select_for_update().select_related("period__scheme").get(pk=adjustment.pk)
    _require_supervisor(actor, adjustment.period.scheme.district_id)
    if adjustment.state != Adjustment.State.PROPOSED:
        raise ValidationError(_("This proposal has already been decided."))
    if approve and adjustment.proposed_by_id == actor.pk:
        raise PermissionDenied(_("Someone other than the proposer must approve a bonus or deduction."))
    adjustment.state = Adjustment.State.APPROVED if approve else Adjustment.State.REJECTED
    adjustment.decided_by = actor
    adjustment.decided_at = timezone.now()
    adjustment.decision_note = note
    adjustment.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        _recompute_if_run(adjustment.period)
    return adjustment


def _recompute_if_run(period: Period) -> None:
    run = ScoreRun.objects.filter(period=period).first()
    if run is not None:
        scores_recompute(scheme=Scheme.objects.get(pk=period.scheme_id), period=period)


# --------------------------------------------------------------------------- computation


def _members_for(scheme: Scheme, period: Period) -> dict[int, list[tuple[int, dt.date]]]:
    """group id → [(unit id, window start)] of the units assessed in the period."""
    out: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for group_id, unit_id, joined_on in GroupMember.objects.filter(group__scheme=scheme).values_list(
        "group_id", "unit_id", "joined_on"
    ):
        if joined_on is not None and joined_on > period.end:
            continue
        out[group_id].append((unit_id, max(period.start, joined_on) if joined_on else period.start))
    return out


def compute_scores(*, scheme: Scheme, period: Period, as_of: dt.date) -> list[dict]:
    """Every assessed unit's points in the period, rule by rule, with the facts used.

    Returns ``[{group, unit, total, rank, rules: [{rule, points, value, facts}]}]``,
    sorted by group then rank: plain data, ready to store or to compare.
    """
    members = _members_for(scheme, period)
    rules = list(Rule.objects.filter(category__group__scheme=scheme).select_related("category").order_by("id"))
    rules_by_group: dict[int, list[Rule]] = defaultdict(list)
    for rule in rules:
        rules_by_group[rule.category.group_id].append(rule)

    # Automatic rules: one call per metric and window start (all units at once).
    starts: dict[int, dt.date] = {u: s for units in members.values() for u, s in units}
    metric_values: dict[tuple[str, int], tuple] = {}
    for key in sorted({r.metric for r in rules if r.kind == Rule.Kind.AUTO}):
        by_start: dict[dt.date, list[int]] = defaultdict(list)
        for unit_id, start in starts.items():
            by_start[start].append(unit_id)
        for start, unit_ids in sorted(by_start.items()):
            facts = METRICS[key].fn(
                district_id=scheme.district_id,
                year=scheme.year,
                unit_ids=sorted(unit_ids),
                start=start,
                end=period.end,
                as_of=as_of,
            )
            for unit_id, fact in facts.items():
                metric_values[(key, unit_id)] = (start, fact)

    manual: dict[tuple[int, int], list] = defaultdict(list)
    for row in (
        ManualScore.objects.filter(period=period, rule__in=[r.pk for r in rules])
        .order_by("assessor_id")
        .values("rule_id", "unit_id", "assessor_id", "assessor__full_name", "assessor__username", "points")
    ):
        manual[(row["rule_id"], row["unit_id"])].append(row)
    adjustments: dict[tuple[int, int], list] = defaultdict(list)
    for row in (
        Adjustment.objects.filter(period=period, state=Adjustment.State.APPROVED)
        .order_by("id")
        .values("id", "rule_id", "unit_id", "points", "reason")
    ):
        adjustments[(row["rule_id"], row["unit_id"])].append(row)
    overrides = {
        (o["rule_id"], o["unit_id"]): o
        for o in Objection.objects.filter(period=period, state=Objection.State.ACCEPTED, points_after__isnull=False)
        .order_by("resolved_at", "id")
        .values("id", "rule_id", "unit_id", "points_disputed", "points_after")
    }

    results: list[dict] = []
    for group_id in sorted(members):
        rows = []
        for unit_id, start in members[group_id]:
            rule_rows = []
            for rule in rules_by_group.get(group_id, []):
                value = None
                if rule.kind == Rule.Kind.AUTO:
                    metric = METRICS[rule.metric]
                    window_start, (value, ids) = metric_values.get((rule.metric, unit_id), (start, (None, [])))
                    points = scoring.formula_points(rule.formula, rule.params, rule.max_points, value, rule.missing)
                    facts = {
                        "metric": rule.metric,
                        "fact_kind": metric.fact_kind,
                        "value": None if value is None else str(value),
                        "ids": list(ids),
                        "window": [window_start.isoformat(), min(period.end, as_of).isoformat()],
                        "missing": value is None,
                    }
                elif rule.kind == Rule.Kind.MANUAL:
                    entered = manual.get((rule.pk, unit_id), [])
                    points = scoring.manual_points([r["points"] for r in entered], rule.max_points, rule.missing)
                    facts = {
                        "assessors": [
                            {
                                "id": r["assessor_id"],
                                "name": r["assessor__full_name"] or r["assessor__username"],
                                "points": str(r["points"]),
                            }
                            for r in entered
                        ],
                        "missing": not entered,
                    }
                else:
                    approved = adjustments.get((rule.pk, unit_id), [])
                    points = scoring.adjustment_points([a["points"] for a in approved], rule.max_points)
                    facts = {
                        "adjustments": [
                            {"id": a["id"], "points": str(a["points"]), "reason": a["reason"]} for a in approved
                        ]
                    }
                override = overrides.get((rule.pk, unit_id))
                if override is not None:
                    facts["objection"] = {
                        "id": override["id"],
                        "computed": str(points),
                        "points": str(override["points_after"]),
                    }
                    points = scoring.q(override["points_after"])
                rule_rows.append({"rule": rule.pk, "points": points, "value": value, "facts": facts})
            total = scoring.q(sum((r["points"] for r in rule_rows), Decimal(0)))
            rows.append({"group": group_id, "unit": unit_id, "total": total, "rules": rule_rows})
        ranks = scoring.competition_ranks({r["unit"]: r["total"] for r in rows})
        for r in rows:
            r["rank"] = ranks[r["unit"]]
        rows.sort(key=lambda r: (r["rank"], r["unit"]))
        results.extend(rows)
    return results


def _fingerprint(results: list[dict], as_of: dt.date) -> str:
    def default(o):
        return str(o)

    blob = json.dumps({"as_of": as_of.isoformat(), "results": results}, sort_keys=True, default=default)
    return hashlib.sha256(blob.encode()).hexdigest()


@transaction.atomic
def scores_recompute(*, scheme: Scheme, period: Period, as_of: dt.date | None = None) -> ScoreRun:
    """Compute the period's scores and store them if anything changed (idempotent).

    ``as_of``: the last day whose data counts; default ``min(period end, today)``, and
    the stored day for a published run (its scores only change through objections).
    """
    if scheme.is_draft:
        raise ValidationError(_("Publish the scheme before computing scores."))
    run = ScoreRun.objects.select_for_update().filter(period=period).first()
    if run is not None and run.is_published:
        as_of = run.as_of
    as_of = as_of or min(period.end, local_today())
    results = compute_scores(scheme=scheme, period=period, as_of=as_of)
    fingerprint = _fingerprint(results, as_of)
    if run is not None and run.fingerprint == fingerprint:
        return run
    now = timezone.now()
    if run is None:
        run = ScoreRun.objects.create(scheme=scheme, period=period, as_of=as_of, computed_at=now, fingerprint="")
    else:
        run.unit_scores.all().delete()
        run.revision += 1
    run.as_of, run.computed_at, run.fingerprint = as_of, now, fingerprint
    run.save()
    unit_scores = UnitScore.objects.bulk_create(
        [UnitScore(run=run, group_id=r["group"], unit_id=r["unit"], total=r["total"], rank=r["rank"]) for r in results]
    )
    RuleScore.objects.bulk_create(
        [
            RuleScore(unit_score=us, rule_id=rr["rule"], points=rr["points"], value=rr["value"], facts=rr["facts"])
            for us, r in zip(unit_scores, results, strict=True)
            for rr in r["rules"]
        ]
    )
    return run


def scheme_recompute_all(*, scheme: Scheme, today: dt.date | None = None) -> list[ScoreRun]:
    """Recompute every period that has started (draft runs move with the data)."""
    today = today or local_today()
    return [
        scores_recompute(scheme=scheme, period=p, as_of=min(p.end, today))
        for p in scheme.periods.filter(start__lte=today)
    ]


@transaction.atomic
def score_run_publish(*, actor: Person, run: ScoreRun) -> ScoreRun:
    _require_supervisor(actor, run.scheme.district_id)
    run = ScoreRun.objects.select_for_update().get(pk=run.pk)
    if run.is_published:
        raise ValidationError(_("These scores are already published."))
    run.published_at = timezone.now()
    run.published_by = actor
    run.save(update_fields=["published_at", "published_by"])
    return run


def objection_deadline(run: ScoreRun) -> dt.date | None:
    """Last day a unit may object: N working days after the publication day."""
    if run.published_at is None:
        return None
    return work_calendar().add_workdays(timezone.localdate(run.published_at), run.scheme.objection_workdays)


# --------------------------------------------------------------------------- objections


def _objection_event(objection: Objection, actor: Person, action: str, note: str = "") -> None:
    ObjectionEvent.objects.create(objection=objection, at=timezone.now(), actor=actor, action=action, note=note)


@transaction.atomic
def objection_file(*, actor: Person, rule_score: RuleScore, reason: str, today: dt.date | None = None) -> Objection:
    """申诉: a unit disputes one of its rule scores within the window after publication."""
    unit_score = rule_score.unit_score
    run = unit_score.run
    if not can_object_for(actor, unit_score.unit_id) or actor.district_id != run.scheme.district_id:
        raise PermissionDenied(_("Only the unit's own admin or reporter may object to its score."))
    if not run.is_published:
        raise ValidationError(_("Scores can be disputed once they are published."))
    today = today or local_today()
    deadline = objection_deadline(run)
    if today > deadline:
        raise ValidationError(_("The objection window closed on %(day)s.") % {"day": deadline.isoformat()})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the objection.")})
    try:
        with transaction.atomic():
            objection = Objection.objects.create(
                scheme=run.scheme,
                period=run.period,
                rule_id=rule_score.rule_id,
                unit_id=unit_score.unit_id,
                points_disputed=rule_score.points,
                reason=reason.strip(),
                filed_by=actor,
                filed_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(_("An objection to this score is already under review.")) from None
    _objection_event(objection, actor, "filed", objection.reason)
    return objection


@transaction.atomic
def objection_resolve(
    *, actor: Person, objection: Objection, accept: bool, resolution: str, points_after=None
) -> Objection:
    """Accept (optionally with corrected points, then recompute) or reject an objection."""
    objection = Objection.objects.select_for_update().select_related("rule", "period__scheme").get(pk=objection.pk)
    _require_supervisor(actor, objection.scheme.district_id)
    if objection.state != Objection.State.OPEN:
        raise ValidationError(_("This objection has already been resolved."))
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Explain the decision.")})
    if accept and points_after not in (None, ""):
        points_after = _points(points_after, "points_after")
        rule = objection.rule
        low = -rule.max_points if rule.kind == Rule.Kind.ADJUSTMENT else Decimal(0)
        if points_after < low or points_after > rule.max_points:
            raise ValidationError(
                {
                    "points_after": _("The corrected score must be between %(low)s and %(max)s.")
                    % {"low": scoring.q(low), "max": scoring.q(rule.max_points)}
                }
            )
        objection.points_after = points_after
    objection.state = Objection.State.ACCEPTED if accept else Objection.State.REJECTED
    objection.resolution = resolution.strip()
    objection.resolved_by = actor
    objection.resolved_at = timezone.now()
    objection.save()
    _objection_event(objection, actor, objection.state, objection.resolution)
    if accept and objection.points_after is not None:
        scores_recompute(scheme=Scheme.objects.get(pk=objection.scheme_id), period=objection.period)
    return objection


# --------------------------------------------------------------------------- observation


@transaction.atomic
def observation_create(
    *,
    actor: Person,
    district: District,
    title: str,
    held_on: dt.date,
    judges: Sequence[Person],
    items: Sequence[Item] = (),
    units: Sequence[Unit] = (),
    criteria: Sequence[tuple[str, Decimal]] | None = None,
    trim: int = 1,
) -> ObservationSession:
    """Set up a 季观摩 / 实绩竞赛 session: projects (default criteria 四看四比) or units."""
    _require_supervisor(actor, district.pk)
    if bool(items) == bool(units):
        raise ValidationError(_("Pick either projects or units to observe."))
    if not judges:
        raise ValidationError({"judges": _("Name the judges.")})
    if any(j.district_id != district.pk for j in judges):
        raise ValidationError({"judges": _("Judges must belong to the district.")})
    subjects = list(items or units)
    if any(s.district_id != district.pk for s in subjects):
        raise ValidationError(_("Every subject must belong to the district."))
    criteria = list(criteria or FOUR_LOOKS)
    if any(_points(w, "criteria") <= 0 for _n, w in criteria):
        raise ValidationError({"criteria": _("Every criterion needs positive maximum points.")})
    if trim < 0:
        raise ValidationError({"trim": _("The number of scores dropped cannot be negative.")})
    session = ObservationSession.objects.create(
        district=district,
        title=title,
        held_on=held_on,
        subject_kind=ObservationSession.SubjectKind.PROJECTS if items else ObservationSession.SubjectKind.UNITS,
        trim=trim,
        created_by=actor,
    )
    session.judges.set(judges)
    Criterion.objects.bulk_create(
        [Criterion(session=session, name=n, max_points=_points(w), sort_order=i) for i, (n, w) in enumerate(criteria)]
    )
    Subject.objects.bulk_create(
        [
            Subject(session=session, item=s if items else None, unit=s if units else None, sort_order=i)
            for i, s in enumerate(subjects)
        ]
    )
    return session


@transaction.atomic
def judge_score_submit(
    *, actor: Person, session: ObservationSession, subject: Subject, points: Mapping[int, object]
) -> list[JudgeScore]:
    """One judge's scores for one subject, one per criterion; a second submission is refused."""
    session = ObservationSession.objects.get(pk=session.pk)
    if not session.judges.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("You are not a judge of this session."))
    if session.state != ObservationSession.State.OPEN:
        raise ValidationError(_("The session is closed: its results are published."))
    if subject.session_id != session.pk:
        raise ValidationError(_("The subject is not part of this session."))
    criteria = list(session.criteria.all())
    if JudgeScore.objects.filter(session=session, judge=actor, subject=subject).exists():
        raise ValidationError(_("You have already scored %(subject)s.") % {"subject": subject.name})
    errors = {}
    rows = []
    for c in criteria:
        if c.pk not in points or points[c.pk] in (None, ""):
            errors[f"c{c.pk}"] = _("Score “%(criterion)s”.") % {"criterion": c.name}
            continue
        try:
            value = Decimal(str(points[c.pk]))
        except (InvalidOperation, ValueError):
            errors[f"c{c.pk}"] = _("Enter a number.")
            continue
        if value < 0 or value > c.max_points:
            errors[f"c{c.pk}"] = _("“%(criterion)s” is scored from 0 to %(max)s.") % {
                "criterion": c.name,
                "max": scoring.q(c.max_points),
            }
            continue
        rows.append(JudgeScore(session=session, judge=actor, subject=subject, criterion=c, points=value))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return JudgeScore.objects.bulk_create(rows)
    except IntegrityError:
        raise ValidationError(_("You have already scored %(subject)s.") % {"subject": subject.name}) from None


def observation_results(session: ObservationSession) -> list[dict]:
    """Each subject's trimmed mean per criterion, total and rank (not stored)."""
    criteria = list(session.criteria.all())
    subjects = list(session.subjects.select_related("item", "unit"))
    by_cell: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    judged: dict[int, set[int]] = defaultdict(set)
    for subject_id, criterion_id, judge_id, points in JudgeScore.objects.filter(session=session).values_list(
        "subject_id", "criterion_id", "judge_id", "points"
    ):
        by_cell[(subject_id, criterion_id)].append(points)
        judged[subject_id].add(judge_id)
    rows = []
    for s in subjects:
        cells = [scoring.trimmed_mean(by_cell.get((s.pk, c.pk), []), session.trim) for c in criteria]
        total = (
            scoring.q(sum((c for c in cells if c is not None), Decimal(0)))
            if any(c is not None for c in cells)
            else None
        )
        rows.append({"subject": s, "cells": cells, "total": total, "judges": len(judged[s.pk])})
    ranks = scoring.competition_ranks({r["subject"].pk: r["total"] for r in rows if r["total"] is not None})
    for r in rows:
        r["rank"] = ranks.get(r["subject"].pk)
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["subject"].sort_order))
    return rows


@transaction.atomic
def observation_publish(*, actor: Person, session: ObservationSession) -> ObservationSession:
    """Close scoring, store each subject's score and rank, publish the results."""
    _require_supervisor(actor, session.district_id)
    session = ObservationSession.objects.select_for_update().get(pk=session.pk)
    if session.state == ObservationSession.State.PUBLISHED:
        raise ValidationError(_("The results are already published."))
    rows = observation_results(session)
    unscored = [r["subject"].name for r in rows if r["total"] is None]
    if unscored:
        raise ValidationError(_("Not scored yet: %(names)s.") % {"names": "、".join(unscored)})
    for r in rows:
        Subject.objects.filter(pk=r["subject"].pk).update(total=r["total"], rank=r["rank"])
    session.state = ObservationSession.State.PUBLISHED
    session.published_at = timezone.now()
    session.save(update_fields=["state", "published_at"])
    return session
