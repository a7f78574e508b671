"""Open311 ``media_url``: a checked http(s) link, stored and returned, never fetched, escaped on the case page."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from taizhang.core.testing import PASSWORD
from taizhang.grid import services
from taizhang.grid.models import Case

from .test_open311 import BASE, post

PHOTO = "https://files.example.gov.cn/grid/2026/11/pothole.jpg?size=large&v=2"


def get_one(g, pk):
    return Client().get(f"{BASE}/requests/{pk}.json", {"jurisdiction_id": g.world.district.code}).json()[0]


def test_media_url_round_trips_in_get(g):
    r = post(g, media_url=PHOTO)
    assert r.status_code == 201
    case = Case.objects.get()
    assert case.media_url == PHOTO
    assert get_one(g, case.pk)["media_url"] == PHOTO
    listing = Client().get(f"{BASE}/requests.json", {"jurisdiction_id": g.world.district.code}).json()
    assert [x["media_url"] for x in listing] == [PHOTO]


def test_without_media_url_get_returns_null(g):
    assert post(g).status_code == 201
    assert get_one(g, Case.objects.get().pk)["media_url"] is None


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "JavaScript://example.com/%0Aalert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        "ftp://files.example.gov.cn/a.jpg",
        "//files.example.gov.cn/a.jpg",
        "https://user:secret@files.example.gov.cn/a.jpg",
        "https:///a.jpg",
        "https://files.example.gov.cn/a b.jpg",
        "https://files.example.gov.cn:99999/a.jpg",
        "https://files.example.gov.cn/" + "a" * 500,
    ],
)
def test_a_bad_media_url_is_refused_with_an_open311_error(g, bad):
    r = post(g, media_url=bad)
    assert r.status_code == 400
    body = r.json()
    assert set(body[0]) == {"code", "description"} and body[0]["code"] == 400
    assert "media_url" in body[0]["description"]
    assert Case.objects.count() == 0


def test_the_service_checks_too(g):
    lat, lng = g.inside
    with pytest.raises(ValidationError):
        services.case_report(
            district=g.world.district, category=g.road, description="x", lat=lat, lng=lng, media_url="javascript:1"
        )
    ok = "http://10.20.1.5:8080/media/1.png"  # an intranet address is fine: it is only a link
    assert services.media_url_check(f"  {ok} ") == ok
    assert services.media_url_check("") == ""


def test_the_case_page_shows_the_link_escaped_and_without_referrer(g):
    url = 'https://files.example.gov.cn/a.jpg?x="><script>alert(1)</script>'
    assert post(g, media_url=url).status_code == 201
    case = Case.objects.get()
    staff = Client()
    assert staff.login(username=g.dispatcher.username, password=PASSWORD)
    html = staff.get(f"/grid/cases/{case.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    escaped = "https://files.example.gov.cn/a.jpg?x=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f'<a href="{escaped}" target="_blank" rel="noopener noreferrer nofollow">{escaped}</a>' in html
