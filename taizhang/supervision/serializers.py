"""API shapes of supervision notices. Serializers only shape data; the reply goes
through ``services.notice_reply``."""

from __future__ import annotations

from rest_framework import serializers

from .models import SupervisionNotice


class NoticeSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    issued_by_name = serializers.CharField(source="issued_by.display_name", read_only=True)
    replied_by_name = serializers.CharField(source="replied_by.display_name", read_only=True, allow_null=True)
    flagged = serializers.SerializerMethodField(help_text="Unanswered and past the reply date.")

    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "number",
            "month",
            "item",
            "item_name",
            "unit",
            "unit_name",
            "reason",
            "requirement",
            "issued_by",
            "issued_by_name",
            "issued_at",
            "reply_due",
            "state",
            "flagged",
            "reply_text",
            "replied_at",
            "replied_by",
            "replied_by_name",
            "closed_at",
        ]
        read_only_fields = fields

    def get_flagged(self, obj: SupervisionNotice) -> bool:
        return obj.is_flagged(self.context["today"])


class NoticeReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, help_text="The addressee unit's reply.")
