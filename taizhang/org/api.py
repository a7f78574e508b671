"""Read-only API of the caller's district: its units and its people.

Clients use these to turn names into the ids the ledger API takes (lead unit,
cooperating units, leaders). Nothing of another district is ever listed; a person
without a district gets empty lists.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from .models import Person, Role, Unit
from .serializers import PersonSerializer, UnitSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Units of the caller's district",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(Unit.Kind.values)),
            OpenApiParameter("active", OpenApiTypes.BOOL, description="Only active units (default: all)."),
        ],
    ),
    retrieve=extend_schema(summary="One unit of the caller's district"),
)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units (departments, streets, communities…) of the caller's district."""

    queryset = Unit.objects.none()  # for the schema; reads go through get_queryset
    serializer_class = UnitSerializer

    def get_queryset(self) -> QuerySet:
        qs = Unit.objects.filter(district_id=self.request.user.district_id)
        kind = self.request.query_params.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        if self.request.query_params.get("active") in ("1", "true"):
            qs = qs.filter(is_active=True)
        return qs


@extend_schema_view(
    list=extend_schema(
        summary="People of the caller's district",
        parameters=[
            OpenApiParameter("role", OpenApiTypes.STR, enum=list(Role.values)),
            OpenApiParameter("unit", OpenApiTypes.INT, description="Only people of this unit."),
        ],
    ),
    retrieve=extend_schema(summary="One person of the caller's district"),
)
class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """Active people of the caller's district (``role=leader`` lists the district leaders)."""

    queryset = Person.objects.none()
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet:
        qs = Person.objects.filter(district_id=self.request.user.district_id, is_active=True).order_by("unit_id", "id")
        role = self.request.query_params.get("role")
        if role:
            qs = qs.filter(role=role)
        unit = self.request.query_params.get("unit")
        if unit and unit.isdigit():
            qs = qs.filter(unit_id=int(unit))
        return qs


def register(router) -> None:
    """Add this app's API routes to the shared router."""
    router.register("units", UnitViewSet, basename="api-unit")
    router.register("people", PersonViewSet, basename="api-person")
