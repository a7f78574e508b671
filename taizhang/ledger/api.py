"""The ledger REST API (mounted at /api/ by ``taizhang.api_urls``).

Routes::

    /api/projects/                     GET list (filters as on the pages), POST create
    /api/projects/{id}/                GET, PUT, PATCH (optimistic locking, see below)
    /api/projects/{id}/reports/        GET the item's progress reports, POST one (multipart for attachments)
    /api/projects/{id}/history/        GET the item's history (read-only)
    /api/tasks/…                       the same for key tasks
    /api/whistles/                     GET open whistles the caller sees, POST raise one (吹哨)
    /api/whistles/{id}/                GET one (also when closed)
    /api/whistles/{id}/respond/        POST the caller's unit's response (报到)

Every read goes through ``ledger.selectors`` and every fetch of one object through
``ledger.access``: an object outside the caller's scope is 404, one they see but may
not change is 403. Every write goes through ``ledger.services``; a Django
``ValidationError`` raised there becomes 400 with field errors in the request's
language, and since each service is atomic nothing is saved.

Optimistic locking: an update must carry the ``version`` the client read, in the body
or as ``If-Match: "<version>"`` (the ETag of GET detail). The body wins when both are
sent. No version → 428; a stale one → 409 and nothing is changed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from taizhang.core.calendar import today as local_today
from taizhang.org.access import scope_for

from . import access
from .models import Item, KeyProject, KeyTask, Whistle
from .selectors import ItemFilters, items_for_list, whistles_open_for
from .serializers import (
    DetailSerializer,
    ItemEventSerializer,
    ProgressReportSerializer,
    ProjectSerializer,
    ReportSubmitSerializer,
    TaskSerializer,
    VersionConflictSerializer,
    WhistleRaiseSerializer,
    WhistleRespondSerializer,
    WhistleSerializer,
)
from .services import ConcurrentEditError, item_create, item_update, report_submit, whistle_raise, whistle_respond


class ServiceErrorsMixin:
    """Turn a Django ``ValidationError`` from a service into a 400 with field errors."""

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            detail = as_serializer_error(exc)
            if "__all__" in detail:
                detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop("__all__")
            exc = ValidationError(detail)
        return super().handle_exception(exc)


def _filter_parameters(*, project: bool) -> list[OpenApiParameter]:
    params = [
        OpenApiParameter("q", OpenApiTypes.STR, description="Search name, number and content."),
        OpenApiParameter("unit", OpenApiTypes.INT, description="Items led by or with cooperation from this unit."),
        OpenApiParameter("leader", OpenApiTypes.INT, description="Items owned by this district leader."),
        OpenApiParameter("status", OpenApiTypes.STR, enum=["green", "amber", "red"]),
        OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only items past their deadline."),
        OpenApiParameter("year", OpenApiTypes.INT, description="Ledger year."),
        OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only items the caller owns as a leader."),
    ]
    if project:
        params += [
            OpenApiParameter("phase", OpenApiTypes.STR, enum=list(KeyProject.Phase.values)),
            OpenApiParameter("category", OpenApiTypes.STR, enum=list(KeyProject.Category.values)),
        ]
    return params


def _etag(item: Item) -> str:
    return f'"{item.version}"'


def _expected_version(request) -> int | None:
    """The version the client edited: body ``version`` first, else ``If-Match``; None when absent."""
    raw = request.data.get("version") if hasattr(request.data, "get") else None
    if raw in (None, ""):
        raw = request.headers.get("If-Match", "").strip()
        if raw.startswith("W/"):
            raw = raw[2:]
        raw = raw.strip('"')
        if not raw:
            return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({"version": [_("The version must be a whole number.")]}) from None
    if value < 1:
        raise ValidationError({"version": [_("The version must be a whole number.")]})
    return value


_UPDATE_RESPONSES = {
    200: None,  # filled per view set
    400: OpenApiResponse(description="Invalid values; field errors in the request language. Nothing was saved."),
    403: OpenApiResponse(DetailSerializer, description="The caller sees the item but may not change it."),
    404: OpenApiResponse(DetailSerializer, description="No such item in the caller's scope."),
    409: OpenApiResponse(
        VersionConflictSerializer, description="Someone changed the item after the client read it. Nothing was saved."
    ),
    428: OpenApiResponse(DetailSerializer, description="No version sent (body `version` or `If-Match` header)."),
}
_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description='The version read, as returned in ETag (e.g. "3"). Alternative to the body field `version`.',
)


def _item_schema(serializer, *, project: bool, noun: str):
    update = {**_UPDATE_RESPONSES, 200: serializer}
    return extend_schema_view(
        list=extend_schema(summary=f"List {noun}s the caller may see", parameters=_filter_parameters(project=project)),
        retrieve=extend_schema(summary=f"One {noun}", responses={200: serializer, 404: DetailSerializer}),
        create=extend_schema(
            summary=f"Create a {noun}",
            description="Supervision and policy offices, and unit admins for items led by their own unit.",
            responses={201: serializer, 400: OpenApiResponse(description="Invalid values."), 403: DetailSerializer},
        ),
        update=extend_schema(summary=f"Replace a {noun}", parameters=[_IF_MATCH], responses=update),
        partial_update=extend_schema(
            summary=f"Change some fields of a {noun}", parameters=[_IF_MATCH], responses=update
        ),
    )


class ItemViewSet(
    ServiceErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Shared behaviour of /api/projects/ and /api/tasks/."""

    model: type[Item] = Item
    kind: str = ""
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def access(self, pk, *, for_edit: bool = False) -> Item:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        filters = ItemFilters.from_params(self.request.query_params)
        return items_for_list(self.request.user, self.model, filters).prefetch_related("milestones")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": local_today()}

    def get_object(self) -> Item:
        return self.access(self.kwargs["pk"], for_edit=self.request.method not in SAFE_METHODS)

    def _detail_response(self, pk, *, status_code=status.HTTP_200_OK) -> Response:
        item = self.access(pk)
        response = Response(self.get_serializer(item).data, status=status_code)
        response["ETag"] = _etag(item)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._detail_response(self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        person = request.user
        if not access.can_create_items(person):
            raise PermissionDenied(_("Your role cannot create ledger items."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values.pop("version", None)
        cooperating = values.pop("cooperating_units", [])
        leaders = values.pop("leaders", [])
        milestones = values.pop("milestones", [])
        scope = scope_for(person)
        if scope.unit_ids is not None and values["lead_unit"].id not in scope.unit_ids:
            raise PermissionDenied(_("Unit admins may only create items led by their own unit."))
        item = item_create(
            actor=person,
            kind=self.kind,
            district=person.district,
            values=values,
            cooperating_units=cooperating,
            leaders=leaders,
            milestones=[dict(m) for m in milestones],
        )
        return self._detail_response(item.pk, status_code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        item = self.get_object()
        expected = _expected_version(request)
        if expected is None:
            return Response(
                {"detail": _("Send the version you read, in the field “version” or an If-Match header.")},
                status=status.HTTP_428_PRECONDITION_REQUIRED,
            )
        serializer = self.get_serializer(item, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values.pop("version", None)
        cooperating = values.pop("cooperating_units", None)
        leaders = values.pop("leaders", None)
        milestones = values.pop("milestones", None)
        scope = scope_for(request.user)
        new_lead = values.get("lead_unit")
        if (
            new_lead is not None
            and new_lead.id != item.lead_unit_id
            and scope.unit_ids is not None
            and new_lead.id not in scope.unit_ids
        ):
            raise PermissionDenied(_("You may only hand the lead to a unit of your own."))
        try:
            item_update(
                actor=request.user,
                item=item,
                expected_version=expected,
                values=values,
                cooperating_units=cooperating,
                leaders=leaders,
                milestones=None if milestones is None else [dict(m) for m in milestones],
            )
        except ConcurrentEditError as exc:
            current = Item.objects.filter(pk=item.pk).values_list("version", flat=True).first()
            return Response({"detail": str(exc), "current_version": current}, status=status.HTTP_409_CONFLICT)
        return self._detail_response(item.pk)

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @extend_schema(
        methods=["GET"],
        summary="Progress reports of the item, newest week first",
        responses={200: ProgressReportSerializer(many=True), 404: DetailSerializer},
    )
    @extend_schema(
        methods=["POST"],
        summary="Submit (or revise) a week's progress report",
        description="Send multipart/form-data to attach files (field `attachments`, repeatable). "
        "The reported progress and investment are carried onto the item.",
        request={"multipart/form-data": ReportSubmitSerializer, "application/json": ReportSubmitSerializer},
        responses={
            201: ProgressReportSerializer,
            400: OpenApiResponse(description="Invalid report; nothing was saved."),
            403: DetailSerializer,
            404: DetailSerializer,
        },
    )
    @action(detail=True, methods=["get", "post"], serializer_class=ProgressReportSerializer)
    def reports(self, request, pk=None):
        """GET: the item's progress reports. POST: report this week's progress (units on the item)."""
        item = self.get_object()
        if request.method == "GET":
            reports = item.reports.select_related("unit", "author").prefetch_related("attachments")
            page = self.paginate_queryset(reports)
            return self.get_paginated_response(
                ProgressReportSerializer(page, many=True, context=self.get_serializer_context()).data
            )
        form = ReportSubmitSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        report = report_submit(
            actor=request.user,
            item=item,
            week=data.get("week") or local_today(),
            done=data["done"],
            progress_pct=data.get("progress_pct"),
            investment_completed_year=data.get("investment_completed_year"),
            problems=data.get("problems", ""),
            next_steps=data.get("next_steps", ""),
            attachments=data.get("attachments", []),
        )
        report = item.reports.select_related("unit", "author").prefetch_related("attachments").get(pk=report.pk)
        return Response(
            ProgressReportSerializer(report, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="History of the item (immutable), newest first",
        responses={200: ItemEventSerializer(many=True), 404: DetailSerializer},
    )
    @action(detail=True, methods=["get"], serializer_class=ItemEventSerializer)
    def history(self, request, pk=None):
        """Who changed what and when; read-only."""
        item = self.get_object()
        page = self.paginate_queryset(item.events.select_related("actor"))
        return self.get_paginated_response(ItemEventSerializer(page, many=True).data)


@_item_schema(ProjectSerializer, project=True, noun="key project")
class ProjectViewSet(ItemViewSet):
    """Key projects (重点项目). Reports: /api/projects/{id}/reports/; history: /api/projects/{id}/history/."""

    queryset = KeyProject.objects.none()  # for the schema; reads go through get_queryset
    serializer_class = ProjectSerializer
    model = KeyProject
    kind = Item.Kind.PROJECT

    def access(self, pk, *, for_edit: bool = False) -> Item:
        return access.access_project(self.request.user, pk, for_edit=for_edit)


@_item_schema(TaskSerializer, project=False, noun="key task")
class TaskViewSet(ItemViewSet):
    """Key tasks (重点任务). Reports: /api/tasks/{id}/reports/; history: /api/tasks/{id}/history/."""

    queryset = KeyTask.objects.none()
    serializer_class = TaskSerializer
    model = KeyTask
    kind = Item.Kind.TASK

    def access(self, pk, *, for_edit: bool = False) -> Item:
        return access.access_task(self.request.user, pk, for_edit=for_edit)


@extend_schema_view(
    list=extend_schema(summary="Open whistles the caller sees (on their items, or summoning their unit)"),
    retrieve=extend_schema(summary="One whistle", responses={200: WhistleSerializer, 404: DetailSerializer}),
    create=extend_schema(
        summary="Raise a whistle (吹哨) on an item the caller may edit",
        request=WhistleRaiseSerializer,
        responses={
            201: WhistleSerializer,
            400: OpenApiResponse(description="Invalid."),
            403: DetailSerializer,
            404: DetailSerializer,
        },
    ),
)
class WhistleViewSet(ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Whistles (吹哨报到). The item of a new whistle is fetched like an edit: 404 outside the
    caller's scope, 403 when they only see it."""

    queryset = Whistle.objects.none()  # for the schema; reads go through get_queryset
    serializer_class = WhistleSerializer

    def get_queryset(self) -> QuerySet:
        return whistles_open_for(self.request.user).select_related("raised_by")

    def get_object(self):
        return access.access_whistle(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        form = WhistleRaiseSerializer(data=request.data, context=self.get_serializer_context())
        valid = form.is_valid()
        if "item" not in form.errors and hasattr(form.initial_data, "get"):
            # The item decides first: 404 outside the caller's scope whatever else was sent.
            item = access.access_item(request.user, form.initial_data.get("item"), for_edit=True)
        if not valid:
            raise ValidationError(form.errors)
        data = form.validated_data
        whistle = whistle_raise(
            actor=request.user,
            item=item,
            problem=data["problem"],
            units=data["units"],
            respond_within_workdays=data.get("respond_within_workdays"),
        )
        whistle = access.access_whistle(request.user, whistle.pk)
        return Response(WhistleSerializer(whistle).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Report in (报到) for the caller's summoned unit",
        request=WhistleRespondSerializer,
        responses={
            200: WhistleSerializer,
            400: OpenApiResponse(description="Empty response, or the whistle is already resolved."),
            403: OpenApiResponse(DetailSerializer, description="The caller's unit was not summoned."),
            404: DetailSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """The summoned unit's answer; when every unit has answered the whistle becomes "answered"."""
        whistle = self.get_object()
        form = WhistleRespondSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        whistle_respond(actor=request.user, whistle=whistle, response=form.validated_data["response"])
        return Response(WhistleSerializer(access.access_whistle(request.user, whistle.pk)).data)


def register(router) -> None:
    """Add this app's API routes to the shared router."""
    router.register("projects", ProjectViewSet, basename="api-project")
    router.register("tasks", TaskViewSet, basename="api-task")
    router.register("whistles", WhistleViewSet, basename="api-whistle")
