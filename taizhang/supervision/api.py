"""Read-only API of supervision notices, plus the addressee unit's reply.

Scope is the web's: whole-district roles see every notice of their district, unit
roles the notices addressed to units in their scope; anything else is 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from taizhang.core.calendar import today as local_today

from . import services
from .access import can_reply_notice
from .models import SupervisionNotice
from .selectors import NoticeFilters, notices_for_list
from .serializers import NoticeReplySerializer, NoticeSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Supervision notices the caller may see",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=list(SupervisionNotice.State.values)),
            OpenApiParameter("unit", OpenApiTypes.INT, description="Only notices addressed to this unit."),
            OpenApiParameter("flagged", OpenApiTypes.BOOL, description="Only notices unanswered past the reply date."),
            OpenApiParameter("month", OpenApiTypes.STR, description="Supervision month, YYYY-MM."),
        ],
    ),
    retrieve=extend_schema(summary="One supervision notice"),
)
class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    """Supervision notices (督办单) sent to lead units of lagging items."""

    queryset = SupervisionNotice.objects.none()  # for the schema; reads go through get_queryset
    serializer_class = NoticeSerializer

    def get_queryset(self) -> QuerySet:
        filters = NoticeFilters.from_params(self.request.query_params) if self.action == "list" else NoticeFilters()
        return notices_for_list(self.request.user, filters, self._today())

    def _today(self):
        if not hasattr(self, "_today_value"):
            self._today_value = local_today()
        return self._today_value

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": self._today()}

    @extend_schema(
        summary="Reply to a notice (addressee unit only, once)",
        request=NoticeReplySerializer,
        responses={200: NoticeSerializer},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk=None) -> Response:
        notice = self.get_object()
        if not can_reply_notice(request.user, notice):
            raise exceptions.PermissionDenied("Only the addressee unit may reply to this notice.")
        body = NoticeReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            notice = services.notice_reply(actor=request.user, notice=notice, text=body.validated_data["text"])
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"detail": exc.messages}) from None
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        notice = notices_for_list(request.user, NoticeFilters(), self._today()).get(pk=notice.pk)
        return Response(NoticeSerializer(notice, context=self.get_serializer_context()).data)


def register(router) -> None:
    """Add this app's API routes to the shared router."""
    router.register("notices", NoticeViewSet, basename="api-notice")
