"""Open311 GeoReport v2 (JSON) over the grid intake: https://wiki.open311.org/GeoReport_v2

    GET  services.json                   the incident types (second level of the catalogue)
    GET  services/{service_code}.json    one type's definition (no extra attributes)
    POST requests.json                   report (form-encoded per the spec); ``Idempotency-Key`` honoured
    GET  requests.json                   recent requests (filters: service_request_id, service_code,
                                         start_date, end_date, status); at most 1000
    GET  requests/{service_request_id}.json

``jurisdiction_id`` is the district code; it may be omitted when
``TAIZHANG_GRID["PUBLIC_DISTRICT"]`` names the default district. ``api_key`` is
optional unless ``TAIZHANG_GRID["OPEN311_REQUIRE_KEY"]`` is set; a known key
(``TAIZHANG_GRID["OPEN311_API_KEYS"]``) lifts the per-address rate limit, so a
partner system can post at full speed. Responses never carry the reporter's
contact details or the citizen's tracking code.

``media_url`` is stored as a link (an http(s) URL, checked, at most
``MEDIA_URL_MAX_LENGTH`` characters) and returned as given; the server never fetches
it (docs/adr/0002-open311-media-url.md). Photos themselves come in through the
Taizhang API and pages, where their content is checked.
"""

from __future__ import annotations

import datetime as dt
import hmac

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from taizhang.org.models import District

from . import ratelimit, services
from .models import MEDIA_URL_MAX_LENGTH, Case, CaseAssignment, Category

MAX_REQUESTS = 1000
CLOSED_STATES = (Case.State.CLOSED, Case.State.REJECTED, Case.State.MERGED)


def _error(status: int, description: str, code: int | None = None) -> JsonResponse:
    return JsonResponse([{"code": code or status, "description": description}], status=status, safe=False)


def _district(request) -> District | None:
    code = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if code:
        return District.objects.filter(code=code).first()
    default = services.grid_setting("PUBLIC_DISTRICT", None)
    if default:
        return District.objects.filter(code=default).first()
    districts = list(District.objects.filter(grid_categories__isnull=False).distinct()[:2])
    return districts[0] if len(districts) == 1 else None


def _service(c: Category) -> dict:
    return {
        "service_code": c.code,
        "service_name": c.name,
        "description": f"{c.parent.name} / {c.name}" if c.parent_id else c.name,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": c.parent.name if c.parent_id else "",
    }


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _request_json(case: Case, agencies: list[str]) -> dict:
    status = "closed" if case.state in CLOSED_STATES else "open"
    return {
        "service_request_id": str(case.pk),
        "status": status,
        "status_notes": case.get_state_display(),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description,
        "agency_responsible": "、".join(agencies),
        "service_notice": "",
        "requested_datetime": _iso(case.created_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": None,
        "address": case.address,
        "address_id": None,
        "zipcode": None,
        "lat": case.lat,
        "long": case.lng,
        "media_url": case.media_url or None,
    }


def _requests_json(cases: list[Case]) -> list[dict]:
    agencies: dict[int, list[str]] = {}
    rows = (
        CaseAssignment.objects.filter(case__in=cases)
        .exclude(state__in=[CaseAssignment.State.RETURNED, CaseAssignment.State.WITHDRAWN])
        .values_list("case_id", "unit__name")
    )
    for case_id, name in rows:
        agencies.setdefault(case_id, []).append(name)
    return [_request_json(c, agencies.get(c.pk, [])) for c in cases]


def _api_key_ok(key: str) -> bool:
    keys = services.grid_setting("OPEN311_API_KEYS", ())
    return bool(key) and any(hmac.compare_digest(key, k) for k in keys)


@require_GET
def services_list(request):
    district = _district(request)
    if district is None:
        return _error(404, "Unknown jurisdiction_id.")
    cats = Category.objects.filter(district=district, is_active=True, parent__isnull=False).select_related("parent")
    return JsonResponse([_service(c) for c in cats], safe=False)


@require_GET
def service_definition(request, code: str):
    district = _district(request)
    cat = Category.objects.filter(district=district, code=code, is_active=True).first() if district else None
    if cat is None:
        return _error(404, "Unknown service_code.")
    return JsonResponse({"service_code": cat.code, "attributes": []})


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _create(request):
    post = request.POST
    key = post.get("api_key", "")
    if key and not _api_key_ok(key):
        return _error(403, "Invalid api_key.")
    if not key and services.grid_setting("OPEN311_REQUIRE_KEY", False):
        return _error(403, "api_key required.")
    if not key:
        limit, window = services.grid_setting("RATE_OPEN311", (30, 3600))
        if not ratelimit.hit("open311", ratelimit.client_ip(request), limit=limit, window=window):
            return _error(429, "Too many requests.")
    district = _district(request)
    if district is None:
        return _error(404, "Unknown jurisdiction_id.")
    category = Category.objects.filter(district=district, code=post.get("service_code", ""), is_active=True).first()
    if category is None:
        return _error(400, "service_code is missing or unknown.", 404)
    lat, lng = _float(post.get("lat")), _float(post.get("long"))
    if lat is None or lng is None:
        return _error(400, "lat and long are required.")
    try:
        media_url = services.media_url_check(post.get("media_url", ""))
    except ValidationError:
        return _error(400, f"media_url must be an http or https URL of at most {MEDIA_URL_MAX_LENGTH} characters.")
    name = " ".join(x for x in (post.get("last_name", ""), post.get("first_name", "")) if x).strip()
    idem = request.headers.get("Idempotency-Key", "").strip()
    try:
        case = services.case_report(
            district=district,
            category=category,
            description=post.get("description", ""),
            lat=lat,
            lng=lng,
            address=post.get("address_string", ""),
            source=Case.Source.OPEN311,
            contact_name=name,
            contact_phone=post.get("phone", "") or post.get("email", ""),
            idempotency_key=f"open311:{idem}" if idem else None,
            media_url=media_url,
        )
    except ValidationError as exc:
        return _error(400, " ".join(exc.messages))
    body = [{"service_request_id": str(case.pk), "service_notice": "", "account_id": None}]
    return JsonResponse(body, safe=False, status=200 if case.replayed else 201)


def _list(request):
    district = _district(request)
    if district is None:
        return _error(404, "Unknown jurisdiction_id.")
    g = request.GET
    qs = Case.objects.filter(district=district).select_related("category")
    if g.get("service_request_id"):
        ids = [int(x) for x in g["service_request_id"].split(",") if x.strip().isdigit()]
        qs = qs.filter(pk__in=ids)
    else:
        now = timezone.now()
        try:
            end = dt.datetime.fromisoformat(g["end_date"]) if g.get("end_date") else now
            start = dt.datetime.fromisoformat(g["start_date"]) if g.get("start_date") else end - dt.timedelta(days=90)
        except ValueError:
            return _error(400, "start_date and end_date must be ISO 8601.")
        if timezone.is_naive(start):
            start = timezone.make_aware(start)
        if timezone.is_naive(end):
            end = timezone.make_aware(end)
        qs = qs.filter(created_at__gte=start, created_at__lte=end)
        if g.get("service_code"):
            qs = qs.filter(category__code__in=g["service_code"].split(","))
        if g.get("status") == "open":
            qs = qs.exclude(state__in=CLOSED_STATES)
        elif g.get("status") == "closed":
            qs = qs.filter(state__in=CLOSED_STATES)
    cases = list(qs.order_by("-created_at")[:MAX_REQUESTS])
    return JsonResponse(_requests_json(cases), safe=False)


@csrf_exempt  # a machine interface without cookies: nothing for a forged request to ride on
@require_http_methods(["GET", "POST"])
def requests_view(request):
    return _create(request) if request.method == "POST" else _list(request)


@require_GET
def request_detail(request, pk: int):
    district = _district(request)
    case = Case.objects.filter(district=district, pk=pk).select_related("category").first() if district else None
    if case is None:
        return _error(404, "Unknown service_request_id.")
    return JsonResponse(_requests_json([case]), safe=False)
