"""The citizen's pages: reporting without an account, following a case by its code."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from taizhang.grid import services
from taizhang.grid.models import Case, CasePhoto

from .helpers import png, without_csrf


def form(g, **kw):
    data = {
        "category": g.road.pk,
        "description": "小区门口路面塌陷",
        "lat": g.inside[0],
        "lng": g.inside[1],
        "address": "金台路12号",
        "urgency": "normal",
        "token": kw.pop("token", "t-1"),
    }
    data.update(kw)
    return data


def test_citizen_reports_without_account_and_gets_a_tracking_code(g):
    c = Client()
    assert c.get(reverse("grid:public_report")).status_code == 200
    r = c.post(reverse("grid:public_report"), form(g, photos=png()))
    assert r.status_code == 200
    case = Case.objects.get()
    assert case.source == "citizen" and case.reporter is None and case.cell == g.cell
    assert case.tracking_code in r.content.decode()
    assert len(case.tracking_code) == 12 and CasePhoto.objects.filter(case=case).count() == 1


def test_double_submit_of_the_same_form_is_recorded_once(g):
    c = Client()
    c.post(reverse("grid:public_report"), form(g, token="same"))
    c.post(reverse("grid:public_report"), form(g, token="same"))
    assert Case.objects.count() == 1


def test_a_jpg_that_is_really_text_is_refused(g):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"this is not an image at all", content_type="image/jpeg")
    r = Client().post(reverse("grid:public_report"), form(g, photos=fake))
    assert r.status_code == 200 and Case.objects.count() == 0
    assert "JPEG" in r.content.decode()
    # JPEG magic bytes followed by garbage: the decoder check refuses it too.
    pytest.importorskip("PIL")
    forged = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 50, content_type="image/jpeg")
    Client().post(reverse("grid:public_report"), form(g, photos=forged, token="t-2"))
    assert Case.objects.count() == 0


@override_settings(TAIZHANG_GRID={"MAX_PHOTO_BYTES": 50})
def test_oversized_photos_are_refused(g):
    Client().post(reverse("grid:public_report"), form(g, photos=png()))
    assert Case.objects.count() == 0


@override_settings(TAIZHANG_GRID={"RATE_PUBLIC_REPORT": (3, 3600)})
def test_reports_are_limited_per_address(g):
    c = Client(REMOTE_ADDR="10.0.0.1")
    codes = [c.post(reverse("grid:public_report"), form(g, token=f"t{i}")).status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert Case.objects.count() == 3
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.post(reverse("grid:public_report"), form(g, token="x")).status_code == 200


def test_input_is_never_rendered_unescaped(g):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    c = Client()
    r = c.post(reverse("grid:public_report"), form(g, description=evil, address=evil))
    case = Case.objects.get()
    assert case.description == evil  # stored as typed
    pages = [
        c.post(reverse("grid:track"), {"code": case.tracking_code}).content.decode(),
    ]
    staff = Client()
    staff.force_login(g.dispatcher)
    pages.append(staff.get(reverse("grid:case", args=[case.pk])).content.decode())
    pages.append(staff.get(reverse("grid:board")).content.decode())
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html
    assert r.status_code == 200


def test_tracking_codes_do_not_enumerate(g):
    c = Client()
    unknown = [c.post(reverse("grid:track"), {"code": code}) for code in ("AAAA2222BBBB", "ZZZZ9999YYYY", "x")]
    assert {r.status_code for r in unknown} == {200}
    bodies = {without_csrf(r.content) for r in unknown}
    assert len(bodies) == 1
    codes = {services.tracking_code_new() for _ in range(200)}
    assert len(codes) == 200 and all(re.fullmatch(r"[2-9A-HJKMNP-Z]{12}", x) for x in codes)


@override_settings(TAIZHANG_GRID={"RATE_TRACK": (5, 600)})
def test_code_guessing_is_rate_limited(g):
    c = Client(REMOTE_ADDR="10.0.0.9")
    statuses = [c.post(reverse("grid:track"), {"code": f"GUESS{i:07d}"}).status_code for i in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]


def test_citizen_follows_rates_and_reopens_by_code(g):
    w = g.world
    c = Client()
    c.post(reverse("grid:public_report"), form(g))
    case = Case.objects.get()
    code = case.tracking_code
    lowercase_spaced = f"{code[:4].lower()} {code[4:8]}-{code[8:]}"
    r = c.post(reverse("grid:track"), {"code": lowercase_spaced})
    assert "小区门口路面塌陷" in r.content.decode()
    case = services.case_dispatch_confirm(actor=g.dispatcher, case=case, units=[w.dept_b])
    case = services.case_handle(actor=w.reporter_b, case=case, result="已回填修复")
    r = c.post(reverse("grid:track"), {"code": code})
    assert w.reporter_b.full_name not in r.content.decode()  # no staff names for the public
    services.case_verify(actor=g.dispatcher, case=case, passed=True)
    c.post(reverse("grid:track"), {"code": code, "action": "rate", "satisfaction": "4"})
    assert Case.objects.get().satisfaction == 4
    c.post(reverse("grid:track"), {"code": code, "action": "reopen", "reason": "又塌了"})
    assert Case.objects.get().state == Case.State.REGISTERED
