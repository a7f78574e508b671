"""The Open311 GeoReport v2 interface: shapes per the spec, idempotency, limits."""

from django.test import Client, override_settings

from taizhang.grid.models import Case

BASE = "/open311/v2"


def post(g, client=None, headers=None, **kw):
    data = {
        "jurisdiction_id": g.world.district.code,
        "service_code": "0303",
        "lat": str(g.inside[0]),
        "long": str(g.inside[1]),
        "description": "人行道破损",
        "address_string": "金台路",
        "phone": "13800000000",
    }
    data.update(kw)
    return (client or Client()).post(f"{BASE}/requests.json", data, headers=headers or {})


def test_services_list_the_second_level_types(g):
    r = Client().get(f"{BASE}/services.json", {"jurisdiction_id": g.world.district.code})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    services = r.json()
    road = next(s for s in services if s["service_code"] == "0303")
    assert road == {
        "service_code": "0303",
        "service_name": "道路破损",
        "description": "施工管理 / 道路破损",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "施工管理",
    }
    assert all(len(s["service_code"]) == 4 for s in services)
    assert Client().get(f"{BASE}/services/0303.json", {"jurisdiction_id": g.world.district.code}).json() == {
        "service_code": "0303",
        "attributes": [],
    }


def test_post_creates_a_request_and_get_returns_it(g):
    r = post(g)
    assert r.status_code == 201
    body = r.json()
    assert set(body[0]) == {"service_request_id", "service_notice", "account_id"}
    case = Case.objects.get()
    assert body[0]["service_request_id"] == str(case.pk) and case.source == "open311" and case.cell == g.cell
    one = Client().get(f"{BASE}/requests/{case.pk}.json", {"jurisdiction_id": g.world.district.code}).json()
    assert len(one) == 1
    req = one[0]
    for key in (
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ):
        assert key in req, key
    assert req["status"] == "open" and req["lat"] == g.inside[0] and req["long"] == g.inside[1]
    assert "13800000000" not in str(one) and case.tracking_code not in str(one)  # no personal data, no code
    listing = Client().get(f"{BASE}/requests.json", {"jurisdiction_id": g.world.district.code, "status": "open"})
    assert [x["service_request_id"] for x in listing.json()] == [str(case.pk)]
    closed = Client().get(f"{BASE}/requests.json", {"jurisdiction_id": g.world.district.code, "status": "closed"})
    assert closed.json() == []


def test_errors_follow_the_spec_shape(g):
    r = post(g, service_code="9999")
    assert r.status_code == 400 and set(r.json()[0]) == {"code", "description"}
    assert post(g, lat="").status_code == 400
    assert post(g, description="").status_code == 400
    missing = Client().get(f"{BASE}/requests/999999.json", {"jurisdiction_id": g.world.district.code})
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404
    assert Client().get(f"{BASE}/services.json", {"jurisdiction_id": "nowhere"}).status_code == 404
    assert Case.objects.count() == 0


def test_idempotency_key_header_records_once(g):
    first = post(g, headers={"Idempotency-Key": "abc-123"})
    again = post(g, headers={"Idempotency-Key": "abc-123"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json() == again.json()
    assert post(g, headers={"Idempotency-Key": "other"}).status_code == 201
    assert Case.objects.count() == 2


@override_settings(TAIZHANG_GRID={"RATE_OPEN311": (2, 3600), "OPEN311_API_KEYS": ["partner-key"]})
def test_anonymous_posts_are_rate_limited_and_a_key_lifts_the_limit(g):
    c = Client(REMOTE_ADDR="10.1.1.1")
    assert [post(g, client=c).status_code for _ in range(3)] == [201, 201, 429]
    assert post(g, client=c, api_key="partner-key").status_code == 201
    assert post(g, client=c, api_key="wrong").status_code == 403
    assert Case.objects.count() == 3


@override_settings(TAIZHANG_GRID={"OPEN311_REQUIRE_KEY": True, "OPEN311_API_KEYS": ["k"]})
def test_api_key_can_be_required(g):
    assert post(g).status_code == 403
    assert post(g, api_key="k").status_code == 201
