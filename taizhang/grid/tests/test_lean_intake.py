"""The lean intake path of ``POST /api/grid/cases/``: same answers as the DRF view, which keeps everything else."""

import json

import pytest
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from taizhang.grid.api import CaseSerializer, intake_fast
from taizhang.grid.models import Case

URL = "/api/grid/cases/"


def body(g, **kw):
    return {"category": g.road.pk, "description": "  路面塌陷  ", "lat": g.inside[0], "lng": g.inside[1], **kw}


def token_post(client, token, data, key=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}", **extra}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    raw = data if isinstance(data, str) else json.dumps(data)
    return client.post(URL, raw, content_type="application/json", **headers)


def stored_body(pk):
    case = Case.objects.select_related("category").prefetch_related("assignments__unit").get(pk=pk)
    return CaseSerializer(case).data


def test_plain_json_report_takes_the_lean_path_and_answers_like_the_serializer(g):
    token = Token.objects.create(user=g.worker)
    request = RequestFactory().post(
        URL,
        json.dumps(body(g, address=" 解放路 ", urgency="urgent")),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
        HTTP_IDEMPOTENCY_KEY="lean-1",
    )
    response = intake_fast(request)
    assert response is not None and response.status_code == 201
    assert response["Content-Type"] == "application/json"
    doc = json.loads(response.content)
    assert doc == stored_body(doc["id"])
    case = Case.objects.get(pk=doc["id"])
    assert (case.description, case.address, case.urgency) == ("路面塌陷", "解放路", "urgent")
    assert case.source == Case.Source.GRID_WORKER and case.reporter == g.worker
    assert case.idempotency_key == f"api:{g.worker.pk}:lean-1"


def test_lean_and_drf_paths_record_the_same_report(g, client):
    token = Token.objects.create(user=g.worker)
    lean = token_post(client, token, body(g), key="same-1")
    drf = APIClient()
    drf.force_authenticate(g.worker)
    full = drf.post(URL, body(g), format="json", headers={"Idempotency-Key": "same-2"})
    assert lean.status_code == full.status_code == 201
    a, b = lean.json(), full.json()
    assert a == stored_body(a["id"]) and b == stored_body(b["id"])
    differ = {"id", "created_at", "updated_at", "dispatch_due", "possible_duplicate_of"}
    assert {k: v for k, v in a.items() if k not in differ} == {k: v for k, v in b.items() if k not in differ}
    assert b["possible_duplicate_of"] == a["id"]  # same type, same spot, minutes apart


def test_a_repeated_key_returns_the_first_case_once(g, client):
    token = Token.objects.create(user=g.worker)
    first = token_post(client, token, body(g), key="again")
    second = token_post(client, token, body(g, description="别的描述"), key="again")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == first.json() == stored_body(first.json()["id"])
    assert Case.objects.filter(idempotency_key=f"api:{g.worker.pk}:again").count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"lat": 200},
        {"lat": None},
        {"category": 999999},
        {"category": True},
        {"category": "abc"},
        {"description": "   "},
        {"description": "x" * 2001},
        {"description": "坏\x00字"},
        {"address": "路" * 201},
        {"urgency": "whenever"},
        {"photos": ["not a file"]},
    ],
)
def test_anything_the_lean_check_refuses_gets_drfs_exact_error(g, client, change):
    token = Token.objects.create(user=g.worker)
    drf = APIClient()
    drf.force_authenticate(g.worker)
    before = Case.objects.count()
    lean = token_post(client, token, body(g, **change), key="bad")
    full = drf.post(URL, body(g, **change), format="json", headers={"Idempotency-Key": "bad-drf"})
    assert lean.status_code == full.status_code == 400
    assert lean.json() == full.json() and lean.json()
    assert Case.objects.count() == before


def test_numbers_as_strings_are_left_to_the_serializer_which_accepts_them(g, client):
    token = Token.objects.create(user=g.worker)
    data = body(g, lat=str(g.inside[0]), category=str(g.road.pk))
    factory_request = RequestFactory().post(
        URL, json.dumps(data), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert intake_fast(factory_request) is None
    r = token_post(client, token, data)
    assert r.status_code == 201 and r.json() == stored_body(r.json()["id"])


def test_bad_or_inactive_tokens_are_refused_as_before(g, client):
    assert client.post(URL, json.dumps(body(g)), content_type="application/json").status_code in (401, 403)
    r = client.post(URL, json.dumps(body(g)), content_type="application/json", HTTP_AUTHORIZATION="Token nope")
    assert r.status_code == 401
    g.worker2.is_active = False
    g.worker2.save(update_fields=["is_active"])
    token = Token.objects.create(user=g.worker2)
    assert token_post(client, token, body(g)).status_code == 401
    assert not Case.objects.filter(reporter=g.worker2).exists()


def test_a_session_user_still_reports_through_the_drf_view(g, client):
    client.force_login(g.worker)
    r = client.post(URL, json.dumps(body(g)), content_type="application/json")
    assert r.status_code == 201 and r.json() == stored_body(r.json()["id"])
