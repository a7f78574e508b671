"""Speeches and work reports turned into proposed key tasks (讲话 → 台账).

A ``SourceDocument`` keeps the cleaned text of an uploaded speech and the full result of
``speech.extract``; each directive sentence becomes a ``ProposedTask`` that the policy
research office (政研室) or the supervision office accepts into the ledger or rejects.
The extraction library itself (``speech/extract``) knows nothing about Django.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.org.models import District, Unit


class SourceDocument(models.Model):
    class State(models.TextChoices):
        EXTRACTED = "extracted", _("Awaiting review")
        REVIEWED = "reviewed", _("Reviewed")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="speech_documents", verbose_name=_("district")
    )
    title = models.CharField(_("title"), max_length=200)
    occasion = models.CharField(
        _("occasion"), max_length=200, blank=True, help_text=_("e.g. the district economic work conference")
    )
    doc_date = models.DateField(_("date of the speech"))
    original_name = models.CharField(_("original file name"), max_length=255)
    clean_text = models.TextField(_("text"))
    result = models.JSONField(_("extraction result"), default=dict)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.EXTRACTED)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["district", "-uploaded_at"])]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("speech:document", args=[self.pk])

    @property
    def source_title(self) -> str:
        """What a key task created from this document gives as its source (会议或文件)."""
        return self.occasion or self.title


class ProposedTask(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    document = models.ForeignKey(
        SourceDocument, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("source document")
    )
    index = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("sentence"))
    suggested_name = models.CharField(_("suggested name"), max_length=200, blank=True)
    span_start = models.PositiveIntegerField()
    span_end = models.PositiveIntegerField()
    owners = models.JSONField(_("owners as written"), default=list)
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lead unit")
    )
    cooperating_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("cooperating units"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible leader"),
    )
    deadline_start = models.DateField(_("deadline window start"), null=True, blank=True)
    deadline_end = models.DateField(_("deadline"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_item = models.ForeignKey(
        "ledger.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speech_proposals",
        verbose_name=_("ledger item"),
    )

    class Meta:
        ordering = ["document", "index"]
        constraints = [models.UniqueConstraint(fields=["document", "index"], name="speech_proposal_unique_index")]
        verbose_name = _("proposed task")
        verbose_name_plural = _("proposed tasks")

    def __str__(self) -> str:
        return self.suggested_name or self.text[:40]
