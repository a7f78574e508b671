"""Read-only indicator API: /api/indicators/ and /api/indicators/{id}/ (the caller's district only).

Each indicator comes with its latest month's figures and computed columns
(completion, lead against time progress, gap to the city, rank, flags).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from . import selectors
from .models import Indicator


class IndicatorSerializer(serializers.ModelSerializer):
    direction = serializers.CharField(read_only=True, help_text="higher or lower (is better)")
    latest = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "unit", "direction", "is_cumulative", "latest"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_latest(self, obj):
        rows = self.context.get("rows") or {}
        row = rows.get(obj.id)
        if row is None:
            return None

        def s(v):
            return None if v is None else str(v)

        return {
            "year": row.year,
            "month": row.month,
            "target": s(row.target),
            "actual": s(row.actual),
            "yoy_growth": s(row.growth),
            "city_avg_growth": s(row.city_growth),
            "completion_pct": s(row.completion),
            "time_progress_pct": s(row.time_progress),
            "lead_points": s(row.lead),
            "gap_to_city_points": s(row.gap),
            "rank": row.rank.position if row.rank else None,
            "ranked_districts": row.rank.of if row.rank else None,
            "trend": row.trend,
            "flags": row.flags,
        }


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Indicator.objects.none()
        return selectors.indicators_of(getattr(self.request.user, "district_id", None))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False) or not self.request.user.is_authenticated:
            return context
        context["rows"] = {r.indicator.id: r for r in selectors.indicator_table(self.request.user.district_id)}
        return context


def register(router) -> None:
    """Add this app's API routes to the shared router."""
    router.register("indicators", IndicatorViewSet, basename="indicator")
