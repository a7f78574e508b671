"""The key-work ledger (台账): key projects, key tasks and what hangs off them.

``Item`` is the concrete base of ``KeyProject`` and ``KeyTask`` (multi-table
inheritance). Milestones, progress reports, whistles, supervision notices and the
history all point at ``Item``, so one foreign key serves both kinds and the weekly
bulletin reads one table. The price — a join on the child table for kind-specific
lists — is measured in bench/.

``status`` is never typed by anyone: it is computed by ``ledger.status`` and stored
so lists can filter on it; ``version`` guards against lost updates.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.org.models import District, Unit

from .querysets import ItemQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Status(models.TextChoices):
    GREEN = "green", _("On track")
    AMBER = "amber", _("At risk")
    RED = "red", _("Behind")


class Item(models.Model):
    class Kind(models.TextChoices):
        PROJECT = "project", _("Key project")
        TASK = "task", _("Key task")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="items", verbose_name=_("district"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, editable=False)
    year = models.PositiveIntegerField(_("ledger year"))
    code = models.CharField(_("number"), max_length=30, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("content"), blank=True)
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="led_items", verbose_name=_("lead unit"))
    cooperating_units = models.ManyToManyField(
        Unit, blank=True, related_name="cooperating_items", verbose_name=_("cooperating units")
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="owned_items", verbose_name=_("responsible leaders")
    )
    responsible_person = models.CharField(_("person responsible"), max_length=60, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    progress_pct = models.DecimalField(
        _("progress (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.GREEN, editable=False)
    status_reasons = models.JSONField(_("status reasons"), default=list, editable=False)
    is_overdue = models.BooleanField(_("overdue"), default=False, editable=False)
    lag_points = models.DecimalField(
        _("lead (+) / lag (−) against time progress, points"), max_digits=6, decimal_places=1, null=True, editable=False
    )

    version = models.PositiveIntegerField(default=1, editable=False)
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    last_report_at = models.DateTimeField(_("last report at"), null=True, blank=True, editable=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["code", "id"]
        indexes = [
            models.Index(fields=["district", "year", "kind", "status"]),
            models.Index(fields=["district", "lead_unit"]),
            models.Index(fields=["district", "deadline"]),
        ]
        verbose_name = _("ledger item")
        verbose_name_plural = _("ledger items")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ledger:item", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.deadline and self.deadline < self.start_date:
            errors["deadline"] = _("The deadline cannot be before the start date.")
        if self.lead_unit_id and self.district_id and self.lead_unit.district_id != self.district_id:
            errors["lead_unit"] = _("The lead unit belongs to another district.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None


class KeyProject(Item):
    class Category(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        URBAN = "urban", _("Urban construction")
        LIVELIHOOD = "livelihood", _("Livelihood")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")
        AGRICULTURE = "agriculture", _("Agriculture and rural")
        SERVICES = "services", _("Modern services")
        ECOLOGY = "ecology", _("Ecology and environment")
        SOCIAL = "social", _("Social undertakings")

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provincial key project")
        CITY = "city", _("City key project")
        DISTRICT = "district", _("District key project")

    class ConstructionType(models.TextChoices):
        NEW = "new", _("New")
        CONTINUING = "continuing", _("Continuing")

    class Phase(models.TextChoices):
        CONCEIVED = "conceived", _("Conceived")
        RESERVE = "reserve", _("Reserve")
        PREPARATORY = "preparatory", _("Preparatory")
        GROUNDBREAKING = "groundbreaking", _("Groundbreaking")
        CONSTRUCTION = "construction", _("Under construction")
        COMPLETED = "completed", _("Completed")
        PRODUCTION = "production", _("In production")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.DISTRICT)
    construction_type = models.CharField(
        _("new or continuing"), max_length=12, choices=ConstructionType.choices, default=ConstructionType.NEW
    )
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.PREPARATORY)
    total_investment = models.DecimalField(_("total investment (10k yuan)"), validators=NON_NEGATIVE, **MONEY)
    planned_investment_year = models.DecimalField(
        _("planned investment this year (10k yuan)"), validators=NON_NEGATIVE, default=Decimal("0"), **MONEY
    )
    completed_investment_year = models.DecimalField(
        _("investment completed this year (10k yuan)"), validators=NON_NEGATIVE, default=Decimal("0"), **MONEY
    )
    completed_investment_total = models.DecimalField(
        _("investment completed, cumulative (10k yuan)"), validators=NON_NEGATIVE, default=Decimal("0"), **MONEY
    )
    land_area_mu = models.DecimalField(
        _("land area (mu)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=NON_NEGATIVE
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )

    class Meta:
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")

    def clean(self):
        super().clean()
        errors = {}
        total = self.total_investment
        if total is not None:
            if self.planned_investment_year is not None and self.planned_investment_year > total:
                errors["planned_investment_year"] = _(
                    "This year's planned investment cannot exceed the total investment."
                )
            if self.completed_investment_total is not None and self.completed_investment_total > total:
                errors["completed_investment_total"] = _(
                    "Cumulative investment completed cannot exceed the total investment."
                )
        if (
            self.completed_investment_year is not None
            and self.completed_investment_total is not None
            and self.completed_investment_year > self.completed_investment_total
        ):
            errors["completed_investment_year"] = _(
                "Investment completed this year cannot exceed the cumulative investment completed."
            )
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def year_completion_pct(self) -> Decimal | None:
        if not self.planned_investment_year:
            return None
        return (self.completed_investment_year * 100 / self.planned_investment_year).quantize(Decimal("0.1"))


class KeyTask(Item):
    source_title = models.CharField(_("source (meeting or document)"), max_length=200, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    source_quote = models.TextField(_("quoted sentence"), blank=True)

    class Meta:
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")


class Milestone(models.Model):
    """A node (节点) on the backwards schedule (倒排工期) of an item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("item"))
    name = models.CharField(_("milestone"), max_length=120)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)

    class Meta:
        ordering = ["planned_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.actual_date and self.actual_date > timezone.localdate():
            raise ValidationError({"actual_date": _("The actual date cannot be in the future.")})


class ProgressReport(models.Model):
    """One week's progress on one item (one report per item and week; resubmitting revises it)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reports", verbose_name=_("item"))
    week_start = models.DateField(_("week (Monday)"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("reporting unit"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports", verbose_name=_("author")
    )
    done = models.TextField(_("work done"))
    progress_pct = models.DecimalField(
        _("progress (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    investment_completed_year = models.DecimalField(
        _("investment completed this year to date (10k yuan)"),
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        **MONEY,
    )
    problems = models.TextField(_("problems met"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        ordering = ["-week_start", "-id"]
        constraints = [models.UniqueConstraint(fields=["item", "week_start"], name="report_one_per_item_week")]
        indexes = [models.Index(fields=["week_start", "item"])]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.item} {self.week_start}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Whistle(models.Model):
    """吹哨报到: a problem on an item that needs other departments to report in."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for responses")
        ANSWERED = "answered", _("All units responded")
        CLOSED = "closed", _("Resolved")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="whistles", verbose_name=_("item"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    raised_by_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="raised_whistles", verbose_name=_("raising unit")
    )
    problem = models.TextField(_("problem"))
    raised_at = models.DateTimeField(_("raised at"))
    respond_by = models.DateField(_("respond by"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["state", "respond_by"])]
        verbose_name = _("whistle")
        verbose_name_plural = _("whistles")

    def __str__(self) -> str:
        return self.problem[:40]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ledger:whistle", args=[self.pk])


class WhistleResponse(models.Model):
    """One summoned unit's 报到 on a whistle."""

    whistle = models.ForeignKey(Whistle, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="whistle_responses", verbose_name=_("unit"))
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["whistle", "unit"], name="whistle_unit_once")]
        verbose_name = _("whistle response")
        verbose_name_plural = _("whistle responses")

    def __str__(self) -> str:
        return f"{self.whistle_id}:{self.unit_id}"


class ItemEvent(models.Model):
    """An immutable line of an item's history: who did what, when, old → new.

    ``save`` refuses updates and ``delete`` refuses outright: the application can
    only append to history.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        REPORTED = "reported", _("Progress reported")
        WHISTLE = "whistle", _("Whistle")
        NOTICE = "notice", _("Supervision notice")
        IMPORTED = "imported", _("Imported")
        STATUS = "status", _("Status changed")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["item", "-at"])]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("History entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("History entries cannot be deleted.")
