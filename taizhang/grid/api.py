"""The grid REST API (mounted at /api/ by ``taizhang.api_urls``).

Routes::

    /api/grid/cases/               GET cases the caller sees (filters as on the board), POST report one
    /api/grid/cases/{id}/          GET one case with its departments
    /api/grid/cases/{id}/history/  GET its history

Scope as on the pages (``grid.access``): outside it is 404. A report goes through
``grid.services.case_report``; send an ``Idempotency-Key`` header and a retried POST
returns the first case (200) instead of recording it twice (201 the first time).

Sustained intake (grid workers' apps, hundreds of reports a second) takes a lean path
(``intake_fast``): a JSON report with ``Authorization: Token …`` that passes a small
explicit check is recorded without DRF's request, negotiation and serializer machinery,
with the same service, the same answer and the same permission (any active user with a
valid token). Everything else — session authentication, multipart photos, anything the
small check does not accept, every error — goes through the DRF view unchanged, so error
answers are exactly DRF's.
"""

from __future__ import annotations

import functools
import json
import re
import time

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import ISO_8601, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from . import access, selectors, services
from .models import Case, CaseAssignment, CaseEvent


class AssignmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    assignment_state = serializers.CharField(source="state", read_only=True)

    class Meta:
        model = CaseAssignment
        fields = ["unit", "unit_name", "is_lead", "assignment_state", "assigned_at", "due_at", "handled_at", "on_time"]


class CaseSerializer(serializers.ModelSerializer):
    case_state = serializers.CharField(
        source="state",
        read_only=True,
        help_text="reported, registered, dispatched, returned, handling, handled, rework, closed, rejected or merged",
    )
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    category_code = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    case_source = serializers.CharField(source="source", read_only=True)
    case_urgency = serializers.CharField(source="urgency", read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "case_state",
            "state_display",
            "version",
            "category",
            "category_code",
            "category_name",
            "description",
            "address",
            "lat",
            "lng",
            "case_urgency",
            "case_source",
            "cell",
            "street",
            "created_at",
            "updated_at",
            "dispatch_due",
            "dispatched_at",
            "handled_at",
            "closed_at",
            "satisfaction",
            "possible_duplicate_of",
            "merged_into",
            "assignments",
        ]
        read_only_fields = fields


_when = serializers.DateTimeField()


def new_case_body(case: Case) -> dict:
    """``CaseSerializer(case).data`` for a case just reported, built from memory.

    Sustained intake answers hundreds of reports a second; building the model
    serializer's fields costs more than the rest of the request. A test pins the
    two to the same output.
    """

    # ``DateTimeField.to_representation`` inlined for the usual settings (ISO 8601, time
    # zones on): the same string, without its per-value settings and time-zone look-ups.
    tz = timezone.get_current_timezone() if settings.USE_TZ else None
    iso = tz is not None and str(api_settings.DATETIME_FORMAT).lower() == ISO_8601

    def when(value):
        if value is None:
            return None
        if iso and timezone.is_aware(value):
            text = value.astimezone(tz).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return _when.to_representation(value)

    return {
        "id": case.pk,
        "case_state": case.state,
        "state_display": str(Case.State(case.state).label),
        "version": case.version,
        "category": case.category_id,
        "category_code": case.category.code,
        "category_name": case.category.name,
        "description": case.description,
        "address": case.address,
        "lat": case.lat,
        "lng": case.lng,
        "case_urgency": case.urgency,
        "case_source": case.source,
        "cell": case.cell_id,
        "street": case.street_id,
        "created_at": when(case.created_at),
        "updated_at": when(case.updated_at),
        "dispatch_due": when(case.dispatch_due),
        "dispatched_at": when(case.dispatched_at),
        "handled_at": when(case.handled_at),
        "closed_at": when(case.closed_at),
        "satisfaction": case.satisfaction,
        "possible_duplicate_of": case.possible_duplicate_of_id,
        "merged_into": case.merged_into_id,
        "assignments": [],
    }


class CaseReportSerializer(serializers.Serializer):
    # An incident type id; checked by ``services.case_report`` against the cached catalogue.
    category = serializers.IntegerField(min_value=1)
    description = serializers.CharField(max_length=2000)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Case.Urgency.choices, default=Case.Urgency.NORMAL)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class CaseEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.display_name", read_only=True, default="")

    class Meta:
        model = CaseEvent
        fields = ["at", "action", "from_state", "to_state", "unit", "actor", "actor_name", "note"]


_FILTERS = [
    OpenApiParameter("state", OpenApiTypes.STR, description="A case state, or centre / department / open."),
    OpenApiParameter("light", OpenApiTypes.STR, enum=["amber", "red"]),
    OpenApiParameter("category", OpenApiTypes.INT),
    OpenApiParameter("street", OpenApiTypes.INT),
    OpenApiParameter("unit", OpenApiTypes.INT),
    OpenApiParameter("q", OpenApiTypes.STR),
]


@extend_schema_view(
    list=extend_schema(parameters=_FILTERS),
    create=extend_schema(
        request=CaseReportSerializer,
        responses={201: CaseSerializer, 200: CaseSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
    ),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = CaseSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = Case.objects.none()

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        view = super().as_view(actions, **initkwargs)
        if actions and actions.get("post") == "create":
            view = _with_lean_intake(view)
        return view

    def get_queryset(self):
        user = self.request.user
        g = self.request.query_params
        filters = selectors.CaseFilters(
            state=g.get("state", ""),
            light=g.get("light", ""),
            category=int(g["category"]) if g.get("category", "").isdigit() else None,
            street=int(g["street"]) if g.get("street", "").isdigit() else None,
            unit=int(g["unit"]) if g.get("unit", "").isdigit() else None,
            q=g.get("q", "")[:100],
        )
        return selectors.cases_for_list(user, filters).prefetch_related("assignments__unit").order_by("-id")

    def get_object(self):
        case = access.access_case(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, case)
        return case

    def create(self, request, *args, **kwargs):
        data = CaseReportSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            case = _report_as(request.user, v, request.headers.get("Idempotency-Key"), photos=v["photos"])
        except DjangoValidationError as exc:
            raise ValidationError(as_serializer_error(exc)) from None
        if case.replayed:
            return Response(_replayed_body(case), status=status.HTTP_200_OK)
        return Response(new_case_body(case), status=status.HTTP_201_CREATED)

    @extend_schema(responses=CaseEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        case = self.get_object()
        events = CaseEvent.objects.filter(case=case).select_related("actor")
        return Response(CaseEventSerializer(events, many=True).data)


def _report_as(user, v: dict, idempotency: str | None, photos=()) -> Case:
    """A report through the API as ``user`` (both intake paths: the DRF view and the lean one)."""
    return services.case_report(
        district=user.district_id,
        category=v["category"],
        description=v["description"],
        lat=v["lat"],
        lng=v["lng"],
        address=v["address"],
        urgency=v["urgency"],
        source=Case.Source.GRID_WORKER if user.role == "grid_worker" else Case.Source.API,
        reporter=user,
        photos=photos,
        idempotency_key=f"api:{user.pk}:{idempotency}" if idempotency else None,
    )


def _replayed_body(case: Case) -> dict:
    """A repeated Idempotency-Key answers the case as it is now."""
    case = Case.objects.select_related("category").prefetch_related("assignments__unit").get(pk=case.pk)
    return CaseSerializer(case).data


# --------------------------------------------------------------------------- lean intake

TOKEN_CACHE_SECONDS = 30.0
_tokens: dict[str, tuple[object, float]] = {}  # token key → (active user, valid until, monotonic)
_json = None  # rest_framework.renderers.JSONRenderer, created on first use


def token_user(key: str):
    """The active user of an API token, cached per process for ``TOKEN_CACHE_SECONDS``.

    A revoked token or a deactivated user keeps reporting through the lean path for at
    most that long in a server process that has just seen it; every other endpoint
    checks the token on each request.
    """
    from rest_framework.authtoken.models import Token

    now = time.monotonic()
    hit = _tokens.get(key)
    if hit is not None and hit[1] > now:
        return hit[0]
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        _tokens.pop(key, None)
        return None
    if len(_tokens) > 10_000:
        _tokens.clear()
    _tokens[key] = (token.user, now + TOKEN_CACHE_SECONDS)
    return token.user


def _json_response(data, status_code: int):
    from django.http import HttpResponse
    from rest_framework.renderers import JSONRenderer

    global _json
    if _json is None:
        _json = JSONRenderer()
    response = HttpResponse(_json.render(data), status=status_code, content_type="application/json")
    # What DRF's view adds to the same answer.
    response["Vary"] = "Accept"
    response["Allow"] = "GET, POST, HEAD, OPTIONS"
    return response


_REFUSED_CHARS = re.compile("[\x00\ud800-\udfff]")  # DRF's CharField refuses NUL and lone surrogates


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _lean_report(data) -> dict | None:
    """``CaseReportSerializer``'s validated data for the plain, valid JSON reports; None otherwise.

    Deliberately narrower than the serializer (no strings for numbers, no nulls, no
    photos): whatever it does not accept goes to the serializer, which answers exactly.
    """
    if not isinstance(data, dict):
        return None
    category, description = data.get("category"), data.get("description")
    lat, lng = data.get("lat"), data.get("lng")
    address, urgency = data.get("address", ""), data.get("urgency", Case.Urgency.NORMAL)
    if not (isinstance(category, int) and not isinstance(category, bool) and category >= 1):
        return None
    if not (isinstance(description, str) and isinstance(address, str) and isinstance(urgency, str)):
        return None
    description, address = description.strip(), address.strip()  # CharField trims whitespace
    if not description or len(description) > 2000 or len(address) > 200:
        return None
    if _REFUSED_CHARS.search(description) or _REFUSED_CHARS.search(address):
        return None
    if not (_is_number(lat) and _is_number(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    if urgency not in Case.Urgency.values or data.get("photos", []) != []:
        return None
    return {
        "category": category,
        "description": description,
        "address": address,
        "lat": float(lat),
        "lng": float(lng),
        "urgency": urgency,
    }


def intake_fast(request):
    """Record a plain JSON report with token authentication; None when the DRF view must answer."""
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if not auth.startswith("Token ") or request.content_type != "application/json":
        return None
    if request.content_params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
        return None
    accept = request.META.get("HTTP_ACCEPT", "")
    if accept and accept not in ("*/*", "application/json"):
        return None
    key = auth[6:].strip()
    if not key or " " in key:
        return None
    try:
        data = json.loads(request.body)
    except ValueError:
        return None
    v = _lean_report(data)
    if v is None:
        return None
    user = token_user(key)
    if user is None:
        return None
    try:
        case = _report_as(user, v, request.headers.get("Idempotency-Key"))
    except DjangoValidationError:
        return None  # nothing was written: the DRF view gives the exact error answer
    if case.replayed:
        return _json_response(_replayed_body(case), 200)
    return _json_response(new_case_body(case), 201)


def _with_lean_intake(drf_view):
    """Wrap the collection route's view: a POST tries ``intake_fast`` first."""

    @functools.wraps(drf_view)  # keeps cls, actions, initkwargs (the schema reads them) and csrf_exempt
    def view(request, *args, **kwargs):
        if request.method == "POST":
            response = intake_fast(request)
            if response is not None:
                return response
        return drf_view(request, *args, **kwargs)

    return view


def register(router) -> None:
    """Add this app's API routes to the shared router."""
    router.register("grid/cases", CaseViewSet, basename="grid-case")
