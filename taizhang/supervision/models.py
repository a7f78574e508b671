"""Monthly supervision (月督办): the supervision notice (督办单) sent to the lead unit
of a lagging ledger item, and the unit's reply.

A notice moves issued → replied → closed and never back; the transitions live in
``services``. Its number (督办〔2026〕12号) is unique per district and year: the
serial is allocated by ``services`` under a lock on the district row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taizhang.ledger.models import Item
from taizhang.org.models import District, Unit


class SupervisionNotice(models.Model):
    class State(models.TextChoices):
        ISSUED = "issued", _("Awaiting reply")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="supervision_notices", verbose_name=_("district")
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="notices", verbose_name=_("item"))
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="supervision_notices", verbose_name=_("addressee unit")
    )
    year = models.PositiveIntegerField(_("year"), editable=False)
    serial = models.PositiveIntegerField(_("serial number"), editable=False)
    number = models.CharField(_("notice number"), max_length=40, editable=False)
    month = models.DateField(_("month"), help_text=_("First day of the supervision month."))
    reason = models.TextField(_("reason for supervision"), blank=True)
    requirement = models.TextField(_("requirement"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"))
    reply_due = models.DateField(_("reply due"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ISSUED)
    reply_text = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "serial"], name="notice_serial_per_district_year"),
            models.UniqueConstraint(fields=["district", "number"], name="notice_number_per_district"),
            # At most one open notice per item: generation stays idempotent even
            # when two supervisors press the button at once.
            models.UniqueConstraint(fields=["item"], condition=~Q(state="closed"), name="notice_one_open_per_item"),
        ]
        indexes = [
            models.Index(fields=["district", "state", "reply_due"]),
            models.Index(fields=["district", "unit"]),
            models.Index(fields=["district", "month"]),
        ]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("supervision:notice", args=[self.pk])

    def is_flagged(self, today) -> bool:
        """Unanswered and past its reply date."""
        return self.state == self.State.ISSUED and self.reply_due < today
