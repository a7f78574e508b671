"""Read-only API: the latest published rankings of the caller's district, with movement."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from .selectors import latest_rankings


class RankingRowSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_id = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=7, decimal_places=2)
    rank = serializers.IntegerField()
    previous_rank = serializers.IntegerField(allow_null=True)
    movement = serializers.IntegerField(allow_null=True, help_text="Places moved up (+) or down (−); null if new.")


class RankingGroupSerializer(serializers.Serializer):
    group = serializers.CharField()
    group_id = serializers.IntegerField()
    period = serializers.CharField()
    rows = RankingRowSerializer(many=True)


class RankingViewSet(viewsets.ViewSet):
    """Rankings of the latest published quarter (units see the same published rankings as leaders)."""

    @extend_schema(summary="Latest published assessment rankings", responses=RankingGroupSerializer(many=True))
    def list(self, request: Request) -> Response:
        person = request.user
        groups = latest_rankings(person.district) if person.district_id else []
        return Response(RankingGroupSerializer(groups, many=True).data)


def register(router) -> None:
    """Add this app's API routes to the shared router."""
    router.register("assessment/rankings", RankingViewSet, basename="api-assessment-rankings")
