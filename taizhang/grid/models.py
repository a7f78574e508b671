"""Grid governance (网格化管理): cells, incident catalogue, cases and their closed loop.

A case (事件) moves through the states of :class:`Case.State`; the only code that
changes ``state`` is ``grid.services`` (see its docstring for the transition table).
Each department a case is dispatched to gets a :class:`CaseAssignment` with its own
clock, so a joint dispatch (吹哨) runs one clock per department.

Deadlines are computed once, when a clock starts (``clocks.py``), and stored with the
moment the clock turns amber: the board and the statistics then compare timestamps
in SQL, which stays fast at a million cases.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.org.models import District, Unit

from .querysets import OPEN_STATES, CaseQuerySet

MEDIA_URL_MAX_LENGTH = 500


class GridCell(models.Model):
    """A grid cell (网格): a polygon under a community, under a street."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="grid_cells")
    street = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("community")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    # GeoJSON geometry (Polygon or MultiPolygon), coordinates [lng, lat].
    geometry = models.JSONField(_("boundary"))
    # Bounding box: the indexed pre-filter of point-in-polygon placement.
    min_lat = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    min_lng = models.FloatField(editable=False)
    max_lng = models.FloatField(editable=False)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_grid_cells",
        verbose_name=_("grid head"),
    )

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="grid_cell_unique_code")]
        indexes = [models.Index(fields=["district", "min_lat", "max_lat"], name="grid_cell_bbox")]
        verbose_name = _("grid cell")
        verbose_name_plural = _("grid cells")

    def __str__(self) -> str:
        return self.name


class GridMember(models.Model):
    """A grid worker's assignment to a cell."""

    class Kind(models.TextChoices):
        FULL_TIME = "full", _("Full-time")
        PART_TIME = "part", _("Part-time")

    cell = models.ForeignKey(GridCell, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grid_memberships")
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.FULL_TIME)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cell", "person"], name="grid_member_unique")]
        verbose_name = _("grid worker assignment")
        verbose_name_plural = _("grid worker assignments")

    def __str__(self) -> str:
        return f"{self.person} @ {self.cell}"


class LimitUnit(models.TextChoices):
    HOURS = "hours", _("working hours")
    DAYS = "days", _("working days")


class Category(models.Model):
    """An incident type in a two-level catalogue (大类 → 小类), after GB/T 30428."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="grid_categories")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("class")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=60)
    dispatch_limit = models.PositiveIntegerField(_("dispatch time limit"), default=2)
    dispatch_unit = models.CharField(_("dispatch limit in"), max_length=5, choices=LimitUnit.choices, default="hours")
    handle_limit = models.PositiveIntegerField(_("handling time limit"), default=3)
    handle_unit = models.CharField(_("handling limit in"), max_length=5, choices=LimitUnit.choices, default="days")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="grid_category_unique_code")]
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent else self.name


class RoutingRule(models.Model):
    """Category (× street) → responsible unit. Rules for a street replace the district-wide ones."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="grid_routing_rules")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules")
    street = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street"),
        help_text=_("Empty: the whole district."),
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("responsible unit"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "street", "unit"], name="grid_routing_unique"),
        ]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.category} → {self.unit}"


class UnitLeader(models.Model):
    """The district leader in charge of a department: overdue cases escalate to them."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="grid_leader")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("responsible leader")
        verbose_name_plural = _("responsible leaders")

    def __str__(self) -> str:
        return f"{self.unit} → {self.leader}"


class Case(models.Model):
    class State(models.TextChoices):
        REPORTED = "reported", _("Reported")
        REGISTERED = "registered", _("Registered")
        DISPATCHED = "dispatched", _("Dispatched")
        RETURNED = "returned", _("Returned to the centre")
        HANDLING = "handling", _("Being handled")
        HANDLED = "handled", _("Handled, awaiting verification")
        REWORK = "rework", _("Sent back for rework")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Not accepted")
        MERGED = "merged", _("Merged into another case")

    class Source(models.TextChoices):
        GRID_WORKER = "grid", _("Grid worker")
        CITIZEN = "citizen", _("Citizen")
        OPEN311 = "open311", _("Open311")
        API = "api", _("API")
        CENTRE = "centre", _("Command centre")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")
        CRITICAL = "critical", _("Critical")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="grid_cases")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("type"))
    description = models.TextField(_("description"), max_length=2000)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    cell = models.ForeignKey(
        GridCell, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases", verbose_name=_("grid cell")
    )
    street = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("street")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_grid_cases",
        verbose_name=_("reported by"),
    )
    contact_name = models.CharField(_("contact name"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    # A link to a photo held elsewhere (Open311 ``media_url``): stored, validated and shown
    # as a link, never fetched by the server (docs/adr/0002-open311-media-url.md).
    media_url = models.CharField(
        _("media URL"), max_length=MEDIA_URL_MAX_LENGTH, blank=True, default="", db_default="", editable=False
    )
    tracking_code = models.CharField(max_length=16, unique=True, editable=False)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, editable=False)

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REPORTED)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("reported at"))
    updated_at = models.DateTimeField(_("updated at"))
    # The dispatch clock (report → dispatch); cleared once dispatched.
    dispatch_due = models.DateTimeField(_("dispatch due"), null=True, blank=True)
    dispatch_amber_at = models.DateTimeField(null=True, blank=True, editable=False)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    # The running clock, kept by ``services._save`` at every transition: the dispatch
    # deadline while the case waits at the centre, the earliest active department
    # deadline while departments have it, empty otherwise. The board sorts and
    # colours by these two columns alone (no join to the assignments).
    clock_due = models.DateTimeField(_("clock due"), null=True, blank=True, editable=False)
    clock_amber_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the overdue dispatch clock was escalated (``services.cases_escalate``); cleared
    # with every new dispatch clock, so each time the case comes back to the centre and
    # overruns again is escalated again, once.
    centre_escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    return_count = models.PositiveIntegerField(default=0)
    rework_count = models.PositiveIntegerField(default=0)
    reopen_count = models.PositiveIntegerField(default=0)
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("possible duplicate of"),
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_cases"
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="grid_case_unique_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="grid_case_satisfaction_1_5",
            ),
        ]
        indexes = [
            # The dispatch board: open cases, most urgent running clock first (a partial
            # index: ≈2 % of a year's cases are open).
            models.Index(
                fields=["district", "clock_due", "-created_at"],
                condition=Q(state__in=OPEN_STATES),
                name="grid_case_board_clock",
            ),
            # The duplicate search of every report: open cases of a type near a latitude.
            models.Index(
                fields=["district", "category", "lat"],
                condition=Q(state__in=OPEN_STATES),
                name="grid_case_nearby_open",
            ),
            models.Index(fields=["district", "created_at"], name="grid_case_created"),
            models.Index(fields=["district", "category", "created_at"], name="grid_case_category"),
            models.Index(fields=["district", "street", "created_at"], name="grid_case_street"),
            models.Index(fields=["cell", "created_at"], name="grid_case_cell"),
            models.Index(fields=["reporter", "created_at"], name="grid_case_reporter"),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return f"#{self.pk} {self.category.name if self.category_id else ''}"

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.CLOSED, self.State.REJECTED, self.State.MERGED)


class CaseAssignment(models.Model):
    """One department's part in a case, with its own handling clock."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting acceptance")
        HANDLING = "handling", _("Being handled")
        HANDLED = "handled", _("Handled")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ACTIVE = (State.PENDING, State.HANDLING)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="grid_assignments", verbose_name=_("unit"))
    is_lead = models.BooleanField(_("lead"), default=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    assigned_at = models.DateTimeField(_("dispatched at"))
    due_at = models.DateTimeField(_("due"))
    amber_at = models.DateTimeField(editable=False)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on_time = models.BooleanField(null=True, editable=False)
    result = models.TextField(_("result"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["assigned_at", "id"]
        indexes = [
            models.Index(fields=["unit", "state", "due_at"], name="grid_assign_inbox"),
            models.Index(fields=["state", "due_at"], name="grid_assign_due"),
            models.Index(fields=["unit", "assigned_at"], name="grid_assign_stats"),
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.unit}"


def photo_path(instance: CasePhoto, filename: str) -> str:
    return f"grid/{instance.case.created_at:%Y/%m}/{filename}"


class CasePhoto(models.Model):
    class Stage(models.TextChoices):
        REPORT = "report", _("Reported")
        FIX = "fix", _("After handling")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(max_length=6, choices=Stage.choices, default=Stage.REPORT)
    file = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.file.name


class CaseEvent(models.Model):
    """An immutable line of a case's history: who moved it from which state to which, when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="grid_event_case")]
        verbose_name = _("case history entry")
        verbose_name_plural = _("case history")

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("case history is append-only")
        super().save(*args, **kwargs)

    LABELS = {
        "report": _("reported"),
        "register": _("registered"),
        "reject": _("not accepted"),
        "dispatch": _("dispatched"),
        "accept": _("accepted"),
        "return": _("returned"),
        "handle": _("handled"),
        "verify": _("verified"),
        "rework": _("sent back for rework"),
        "rate": _("rated"),
        "reopen": _("reopened"),
        "merge": _("merged"),
        "absorb": _("absorbed a duplicate"),
        "escalate": _("escalated"),
    }

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action)

    @property
    def actor_label(self) -> str:
        """Who acted: a person, the platform itself (escalations), or a citizen or other system."""
        if self.actor_id:
            return self.actor.display_name
        if self.action == "escalate":
            return str(_("Taizhang (automatic)"))
        return str(_("citizen / system"))

    @property
    def to_state_label(self) -> str:
        return Case.State(self.to_state).label if self.to_state in Case.State.values else self.to_state


class DispatchModel(models.Model):
    """A department-suggestion classifier trained on the district's own dispatch history."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="grid_dispatch_models")
    trained_at = models.DateTimeField()
    n_cases = models.PositiveIntegerField()
    accuracy = models.FloatField(null=True, help_text=_("On a held-out fifth of the cases."))
    blob = models.BinaryField()

    class Meta:
        ordering = ["-trained_at"]
        get_latest_by = "trained_at"
        verbose_name = _("dispatch model")
        verbose_name_plural = _("dispatch models")

    def __str__(self) -> str:
        return f"{self.district} {self.trained_at:%Y-%m-%d %H:%M}"


class CaseStatDay(models.Model):
    """The statistics rollup: one day's cases (by report day) counted by street, class and unit.

    Maintained by ``grid.rollup`` in the transaction of every transition (each case's
    contribution is recomputed and the difference added), so it always equals the
    live aggregation in ``selectors`` except for what depends on the clock of the
    moment (open assignments past their deadline), which the statistics add live.
    Key columns hold ids with 0 for "none" (a unique key with NULLs would not
    conflict). One row per day and ``kind`` — 1: a street, 2: an incident class
    (cases and their departments' assignments), 3: a department (its assignments;
    the case counters count the cases it kept), 4: a grid cell (cases, for the heat
    map) — about 200 rows a day for a district of 180 cells, all in ``day`` order.
    """

    district_id = models.IntegerField()
    day = models.DateField()
    kind = models.PositiveSmallIntegerField()
    street_id = models.IntegerField(default=0)
    class_id = models.IntegerField(default=0)
    unit_id = models.IntegerField(default=0)
    cell_id = models.IntegerField(default=0)
    cases = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    satisfaction_sum = models.IntegerField(default=0)
    assignments = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    handled = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district_id", "kind", "day", "street_id", "class_id", "unit_id", "cell_id"],
                name="grid_stat_day_key",
            )
        ]
        verbose_name = _("daily case statistics")
        verbose_name_plural = _("daily case statistics")

    def __str__(self) -> str:
        return f"{self.district_id} {self.day} {self.kind}"
