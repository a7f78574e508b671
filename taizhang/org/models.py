"""Districts, their units and people.

A District is the tenant: nothing crosses its boundary. Units form a tree (a street
and its communities); ``Unit.path`` materialises the ancestry so "this unit and
everything below it" is one indexed prefix query.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    # The day for which item statuses were last recomputed (statuses move with time).
    statuses_as_of = models.DateField(_("statuses as of"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("Leadership body")
        DEPARTMENT = "department", _("Department")
        STREET = "street", _("Street")
        TOWN = "town", _("Town")
        COMMUNITY = "community", _("Community / village")
        OTHER = "other", _("Other")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="units", verbose_name=_("district"))
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="unit_unique_name_in_district")]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    LEADER = "leader", _("District leader")
    SUPERVISOR = "supervisor", _("Supervision office")
    POLICY = "policy", _("Policy research office")
    UNIT_ADMIN = "unit_admin", _("Unit admin")
    REPORTER = "reporter", _("Unit reporter")
    VIEWER = "viewer", _("Viewer")
    DISPATCHER = "dispatcher", _("Command-centre dispatcher")
    GRID_WORKER = "grid_worker", _("Grid worker")


class Person(AbstractUser):
    """A user of the platform: belongs to one district and (except leaders) one unit."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("district")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    full_name = models.CharField(_("full name"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=60, blank=True, help_text=_("e.g. Deputy District Mayor"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_username()

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def sees_whole_district(self) -> bool:
        return self.role in (Role.LEADER, Role.SUPERVISOR, Role.POLICY)
