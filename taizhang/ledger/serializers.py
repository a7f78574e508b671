"""Shapes of the ledger API: what a client reads and what it may send.

Serializers here only translate (types, ids, ranges that the model fields already
declare); every rule that spans fields — dates in order, completed ≤ total, units of
the right district — lives in the models' ``clean`` and in ``ledger.services``, which
the views call. Nothing here saves.

Related ids are limited to the caller's district (``_limit_to_district``), so an id
from another district is rejected as "does not exist" rather than revealed.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from taizhang.core.calendar import today as local_today
from taizhang.org.models import Person, Role, Unit

from . import status as status_rules
from .models import Item, ItemEvent, KeyProject, KeyTask, Milestone, ProgressReport, ReportAttachment, Whistle


def _district_id(serializer: serializers.Serializer) -> int | None:
    request = serializer.context.get("request")
    return getattr(getattr(request, "user", None), "district_id", None)


def _limit_to_district(serializer: serializers.Serializer, district_id: int | None) -> None:
    """Point the related-id fields at the caller's district only."""
    fields = serializer.fields
    if "lead_unit" in fields:
        fields["lead_unit"].queryset = Unit.objects.filter(district_id=district_id)
    if "cooperating_units" in fields:
        fields["cooperating_units"].child_relation.queryset = Unit.objects.filter(district_id=district_id)
    if "leaders" in fields:
        fields["leaders"].child_relation.queryset = Person.objects.filter(district_id=district_id, role=Role.LEADER)


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["name", "planned_date", "actual_date"]

    def validate(self, attrs):
        # Milestones are replaced whole, even inside a PATCH (where DRF makes nested fields optional).
        missing = {
            name: [self.fields[name].error_messages["required"]]
            for name in ("name", "planned_date")
            if name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class StatusReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Machine-readable reason, e.g. investment_behind, deadline_passed."))
    level = serializers.ChoiceField(choices=["green", "amber", "red"])
    text = serializers.CharField(help_text=_("The reason in the request language."))


ITEM_FIELDS = [
    "id",
    "kind",
    "year",
    "code",
    "name",
    "description",
    "lead_unit",
    "lead_unit_name",
    "cooperating_units",
    "leaders",
    "responsible_person",
    "start_date",
    "deadline",
    "progress_pct",
    "completed_on",
    "milestones",
    "status",
    "status_reasons",
    "lag_points",
    "is_overdue",
    "time_progress",
    "version",
    "is_archived",
    "created_at",
    "updated_at",
    "last_report_at",
]
ITEM_READ_ONLY = [
    "id",
    "kind",
    "lead_unit_name",
    "status",
    "status_reasons",
    "lag_points",
    "is_overdue",
    "time_progress",
    "is_archived",
    "created_at",
    "updated_at",
    "last_report_at",
]


class ItemSerializer(serializers.ModelSerializer):
    """Fields common to key projects and key tasks."""

    # A plain string, not an enum: "kind" names other choice sets too (history entries, units).
    kind = serializers.CharField(read_only=True, help_text=_("“project” or “task”."))
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none(), help_text=_("Id of the lead unit."))
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    cooperating_units = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Unit.objects.none(), help_text=_("Ids of the cooperating units.")
    )
    leaders = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Person.objects.none(),
        help_text=_("Ids of the responsible district leaders."),
    )
    milestones = MilestoneSerializer(
        many=True,
        required=False,
        help_text=_("The backwards schedule. When sent, it replaces the whole list."),
    )
    status_reasons = serializers.SerializerMethodField()
    time_progress = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "Edit counter. On update send back the version you read (or an If-Match header): "
            "a stale version is refused with 409."
        ),
    )

    class Meta:
        model = Item
        fields = ITEM_FIELDS
        read_only_fields = ITEM_READ_ONLY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to_district(self, _district_id(self))

    @extend_schema_field(StatusReasonSerializer(many=True))
    def get_status_reasons(self, item: Item) -> list[dict]:
        return [
            {"code": r.get("code", ""), "level": r.get("level", ""), "text": status_rules.reason_text(r)}
            for r in item.status_reasons or []
        ]

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_time_progress(self, item: Item) -> str:
        """Share of the time elapsed, in percent: the year for projects, the item's window for tasks."""
        today = self.context.get("today") or local_today()
        if item.kind == Item.Kind.TASK and item.start_date and item.deadline and item.deadline > item.start_date:
            value = status_rules.window_progress(item.start_date, item.deadline, today)
        else:
            value = status_rules.time_progress(item.year, today)
        return str(value)


class ProjectSerializer(ItemSerializer):
    """A key project (重点项目); money in 10k yuan (万元)."""

    year_completion_pct = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True, allow_null=True)

    class Meta(ItemSerializer.Meta):
        model = KeyProject
        fields = [
            *ITEM_FIELDS,
            "category",
            "level",
            "construction_type",
            "phase",
            "total_investment",
            "planned_investment_year",
            "completed_investment_year",
            "completed_investment_total",
            "year_completion_pct",
            "land_area_mu",
            "latitude",
            "longitude",
        ]


class TaskSerializer(ItemSerializer):
    """A key task (重点任务) from the year's task list."""

    class Meta(ItemSerializer.Meta):
        model = KeyTask
        fields = [*ITEM_FIELDS, "source_title", "source_date", "source_quote"]


class VersionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


# --------------------------------------------------------------------------- reports


class ReportAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="file", read_only=True, use_url=True)

    class Meta:
        model = ReportAttachment
        fields = ["id", "original_name", "size", "url", "uploaded_at"]


class ProgressReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    attachments = ReportAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "item",
            "week_start",
            "unit",
            "unit_name",
            "author",
            "author_name",
            "done",
            "progress_pct",
            "investment_completed_year",
            "problems",
            "next_steps",
            "submitted_at",
            "is_late",
            "attachments",
        ]
        read_only_fields = fields


class ReportSubmitSerializer(serializers.Serializer):
    """A week's progress report; resubmitting for the same week revises it."""

    week = serializers.DateField(
        required=False, help_text=_("Any day of the reported week; defaults to the current week.")
    )
    done = serializers.CharField(help_text=_("Work done this week."))
    progress_pct = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
        allow_null=True,
    )
    investment_completed_year = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        help_text=_("Key projects: investment completed this year to date (10k yuan)."),
    )
    problems = serializers.CharField(required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text=_("Files (send as multipart/form-data).")
    )


# --------------------------------------------------------------------------- history


class ItemEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = ItemEvent
        fields = ["id", "at", "kind", "actor", "actor_name", "summary", "changes"]
        read_only_fields = fields

    def get_actor_name(self, event: ItemEvent) -> str:
        return event.actor.display_name if event.actor_id else ""


# --------------------------------------------------------------------------- whistles


class WhistleResponseSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    response = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)
    responder = serializers.IntegerField(source="responder_id", allow_null=True)


class WhistleSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    raised_by_unit_name = serializers.CharField(source="raised_by_unit.name", read_only=True)
    responses = WhistleResponseSerializer(many=True, read_only=True)

    class Meta:
        model = Whistle
        fields = [
            "id",
            "item",
            "item_name",
            "raised_by",
            "raised_by_unit",
            "raised_by_unit_name",
            "problem",
            "raised_at",
            "respond_by",
            "state",
            "escalated_at",
            "closed_at",
            "resolution",
            "responses",
        ]
        read_only_fields = fields


class WhistleRaiseSerializer(serializers.Serializer):
    """吹哨: name the item, the problem and the units that must report in."""

    item = serializers.IntegerField(help_text=_("Id of the key project or key task."))
    problem = serializers.CharField()
    units = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Unit.objects.none(), help_text=_("Ids of the units that must respond.")
    )
    respond_within_workdays = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].child_relation.queryset = Unit.objects.filter(district_id=_district_id(self))


class WhistleRespondSerializer(serializers.Serializer):
    """报到: the summoned unit's response."""

    response = serializers.CharField()
