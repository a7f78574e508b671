"""Points-based assessment of units (积分制考核), quarterly observation (季观摩) and
objections (申诉).

A ``Scheme`` is one district's assessment design for one year. Its units are
assessed in ``UnitGroup``s (streets/towns apart from departments); each group has its
own ``Category``s whose weights sum to 100, and each category is filled by ``Rule``s
whose ``max_points`` sum to the category's weight. A rule is one of three kinds:

* ``auto``: points from a metric the platform computes (``assessment.metrics``) and
  a formula (``assessment.scoring``);
* ``manual``: points entered by the rule's named assessors (the mean of their scores);
* ``adjustment``: approved bonuses and deductions (加分/扣分), capped at ± max_points
  and outside the 100.

Scores are never typed into ``UnitScore``/``RuleScore``: ``services.scores_recompute``
derives them for one ``Period`` and stores the facts each point came from.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taizhang.ledger.models import Item
from taizhang.org.models import District, Unit

POINTS = {"max_digits": 7, "decimal_places": 2}


class Scheme(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="assessment_schemes", verbose_name=_("district")
    )
    year = models.PositiveIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=120)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    objection_workdays = models.PositiveSmallIntegerField(
        _("objection window (working days)"),
        default=5,
        help_text=_("Units may object to a score within this many working days after publication."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["district", "year", "name"], name="scheme_unique_name_year")]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:scheme", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class UnitGroup(models.Model):
    """Units assessed and ranked together (e.g. streets and towns; departments)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="groups", verbose_name=_("scheme"))
    name = models.CharField(_("name"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    units = models.ManyToManyField(Unit, through="GroupMember", related_name="+", verbose_name=_("units"))

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="group_unique_name_in_scheme")]
        verbose_name = _("unit group")
        verbose_name_plural = _("unit groups")

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A unit's membership of a group; ``joined_on`` set for a unit that joined mid-year."""

    group = models.ForeignKey(UnitGroup, on_delete=models.CASCADE, related_name="members")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="assessment_memberships")
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        ordering = ["unit__sort_order", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["group", "unit"], name="group_member_once")]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return f"{self.group}: {self.unit}"


class Category(models.Model):
    group = models.ForeignKey(UnitGroup, on_delete=models.CASCADE, related_name="categories", verbose_name=_("group"))
    name = models.CharField(_("name"), max_length=60)
    weight = models.DecimalField(_("weight"), validators=[MinValueValidator(Decimal("0"))], **POINTS)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    class Kind(models.TextChoices):
        AUTO = "auto", _("Automatic (from platform data)")
        MANUAL = "manual", _("Manual (entered by assessors)")
        ADJUSTMENT = "adjustment", _("Bonus / deduction")

    class Formula(models.TextChoices):
        LINEAR = "linear", _("Linear between bounds")
        PER_OCCURRENCE = "per_occurrence", _("Deduction per occurrence")

    class Missing(models.TextChoices):
        FULL = "full", _("Full points")
        ZERO = "zero", _("No points")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rules", verbose_name=_("category"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    max_points = models.DecimalField(_("maximum points"), validators=[MinValueValidator(Decimal("0"))], **POINTS)
    metric = models.CharField(_("metric"), max_length=40, blank=True)
    formula = models.CharField(_("formula"), max_length=20, choices=Formula.choices, blank=True)
    params = models.JSONField(_("formula parameters"), default=dict, blank=True)
    missing = models.CharField(
        _("when there is no data"),
        max_length=6,
        choices=Missing.choices,
        default=Missing.FULL,
        help_text=_("Points for a unit with nothing to measure (e.g. no task was due)."),
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assessment_rules", verbose_name=_("assessors")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.name

    @property
    def metric_label(self) -> str:
        from .metrics import METRICS

        metric = METRICS.get(self.metric)
        return str(metric.label) if metric else self.metric

    @property
    def formula_text(self) -> str:
        """The formula's parameters in words (``scoring`` applies them)."""
        p = self.params or {}
        if self.formula == self.Formula.LINEAR and {"low", "high"} <= p.keys():
            return _("%(low)s gives no points, %(high)s full points") % {"low": p["low"], "high": p["high"]}
        if self.formula == self.Formula.PER_OCCURRENCE and "points_each" in p:
            return _("%(points)s points off each time") % {"points": p["points_each"]}
        return ""


class Period(models.Model):
    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="periods", verbose_name=_("scheme"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Quarter 1–4; 0 for the whole year."))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["start", "kind"]
        constraints = [models.UniqueConstraint(fields=["scheme", "kind", "number"], name="period_once_per_scheme")]
        verbose_name = _("period")
        verbose_name_plural = _("periods")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == self.Kind.YEAR:
            return _("%(year)s, whole year") % {"year": self.start.year}
        return _("%(year)s Q%(n)s") % {"year": self.start.year, "n": self.number}


class ManualScore(models.Model):
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="manual_scores", verbose_name=_("rule"))
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+", verbose_name=_("period"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessor")
    )
    points = models.DecimalField(_("points"), **POINTS)
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "period", "unit", "assessor"], name="manual_score_once"),
        ]
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")

    def __str__(self) -> str:
        return f"{self.rule} {self.unit} {self.points}"


class Adjustment(models.Model):
    """A bonus (positive points) or deduction (negative) with reason and evidence."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="adjustments", verbose_name=_("rule"))
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+", verbose_name=_("period"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    points = models.DecimalField(_("points (+ bonus, − deduction)"), **POINTS)
    reason = models.TextField(_("reason"))
    evidence = models.FileField(_("evidence"), upload_to="assessment/evidence/%Y/", blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("bonus or deduction")
        verbose_name_plural = _("bonuses and deductions")

    def __str__(self) -> str:
        return f"{self.unit} {self.points:+}"


class ScoreRun(models.Model):
    """The computed scores of one period; recomputation replaces its rows when they change."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="runs", verbose_name=_("scheme"))
    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="run", verbose_name=_("period"))
    as_of = models.DateField(_("data as of"))
    computed_at = models.DateTimeField(_("computed at"))
    fingerprint = models.CharField(max_length=64, editable=False)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["period__start"]
        verbose_name = _("score run")
        verbose_name_plural = _("score runs")

    def __str__(self) -> str:
        return f"{self.scheme} {self.period}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class UnitScore(models.Model):
    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="unit_scores")
    group = models.ForeignKey(UnitGroup, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    total = models.DecimalField(_("total"), **POINTS)
    rank = models.PositiveIntegerField(_("rank"))

    class Meta:
        ordering = ["group", "rank", "unit__sort_order"]
        constraints = [models.UniqueConstraint(fields=["run", "unit", "group"], name="unit_score_once")]
        verbose_name = _("unit score")
        verbose_name_plural = _("unit scores")

    def __str__(self) -> str:
        return f"{self.unit} {self.total}"


class RuleScore(models.Model):
    unit_score = models.ForeignKey(UnitScore, on_delete=models.CASCADE, related_name="rule_scores")
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("points"), **POINTS)
    value = models.DecimalField(_("measured value"), max_digits=14, decimal_places=2, null=True, blank=True)
    # What produced the points: metric and ids of the ledger rows, assessors' scores,
    # approved adjustments or the accepted objection (see services._rule_facts).
    facts = models.JSONField(_("facts"), default=dict)

    class Meta:
        ordering = ["rule__category__sort_order", "rule__sort_order", "rule_id"]
        verbose_name = _("rule score")
        verbose_name_plural = _("rule scores")

    def __str__(self) -> str:
        return f"{self.rule}: {self.points}"


class Objection(models.Model):
    """申诉: a unit disputes one rule score of a published run."""

    class State(models.TextChoices):
        OPEN = "open", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="objections")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="objections", verbose_name=_("period"))
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="objections", verbose_name=_("rule"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    points_disputed = models.DecimalField(_("points disputed"), **POINTS)
    reason = models.TextField(_("reason"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed at"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    points_after = models.DecimalField(_("corrected points"), null=True, blank=True, **POINTS)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "rule", "unit"], condition=models.Q(state="open"), name="objection_one_open"
            )
        ]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.unit}: {self.rule}"


class ObjectionEvent(models.Model):
    """Append-only history of an objection."""

    class Action(models.TextChoices):
        FILED = "filed", _("filed the objection")
        ACCEPTED = "accepted", _("accepted it")
        REJECTED = "rejected", _("rejected it")

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.objection_id} {self.action}"


class ObservationSession(models.Model):
    """季观摩 / 实绩竞赛: a panel of judges scores projects or units on criteria."""

    class SubjectKind(models.TextChoices):
        PROJECTS = "projects", _("Projects")
        UNITS = "units", _("Units")

    class State(models.TextChoices):
        OPEN = "open", _("Scoring")
        PUBLISHED = "published", _("Published")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="observation_sessions")
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("held on"))
    subject_kind = models.CharField(_("subjects"), max_length=10, choices=SubjectKind.choices)
    trim = models.PositiveSmallIntegerField(
        _("scores dropped at each end"),
        default=1,
        help_text=_("1: drop the highest and the lowest score of each subject (去掉一个最高分和一个最低分)."),
    )
    judges = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="judged_sessions", verbose_name=_("judges"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("observation session")
        verbose_name_plural = _("observation sessions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment:session", args=[self.pk])


class Criterion(models.Model):
    session = models.ForeignKey(ObservationSession, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=60)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    session = models.ForeignKey(ObservationSession, on_delete=models.CASCADE, related_name="subjects")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    sort_order = models.PositiveSmallIntegerField(default=0)
    total = models.DecimalField(_("score"), null=True, blank=True, **POINTS)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return str(self.item or self.unit)

    @property
    def name(self) -> str:
        return self.item.name if self.item_id else self.unit.name


class JudgeScore(models.Model):
    session = models.ForeignKey(ObservationSession, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    points = models.DecimalField(_("points"), **POINTS)
    scored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "judge", "subject", "criterion"], name="judge_scores_once"),
        ]

    def __str__(self) -> str:
        return f"{self.judge_id} {self.subject_id} {self.criterion_id}: {self.points}"
