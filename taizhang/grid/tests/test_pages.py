"""Staff pages over HTTP: who sees which case, the board, the closed loop through the forms."""

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.core.testing import make_person
from taizhang.grid import services
from taizhang.grid.models import Case, CaseAssignment, CasePhoto
from taizhang.org.models import Role

from .helpers import png


def client_for(person):
    c = Client()
    c.force_login(person)
    return c


def report(g, point=None, category=None, reporter=None):
    lat, lng = point or g.inside
    return services.case_report(
        district=g.world.district,
        category=category or g.road,
        description="井盖缺失",
        lat=lat,
        lng=lng,
        reporter=reporter or g.worker,
    )


def test_grid_worker_reports_from_the_phone_page(g):
    c = client_for(g.worker)
    page = c.get(reverse("grid:report"))
    assert page.status_code == 200 and "navigator.geolocation" not in page.content.decode()  # in grid.js
    data = {
        "category": g.road.pk,
        "description": "路面坑洞",
        "lat": "34.3612",
        "lng": "107.1405",
        "urgency": "urgent",
        "token": "abc",
        "photos": [png(), png("b.png")],
    }
    r = c.post(reverse("grid:report"), data)
    case = Case.objects.get()
    assert r.status_code == 302 and r.url == reverse("grid:case", args=[case.pk])
    assert case.reporter == g.worker and case.cell == g.cell and case.urgency == "urgent"
    assert CasePhoto.objects.filter(case=case).count() == 2
    photo = CasePhoto.objects.filter(case=case).first()
    resp = c.get(reverse("grid:photo", args=[photo.pk]))
    assert resp.status_code == 200 and resp["X-Content-Type-Options"] == "nosniff"
    assert client_for(g.world.reporter_a).get(reverse("grid:photo", args=[photo.pk])).status_code == 404


def test_report_page_without_location_asks_for_it(g):
    c = client_for(g.worker)
    r = c.post(reverse("grid:report"), {"category": g.road.pk, "description": "x", "urgency": "normal", "token": "t"})
    assert r.status_code == 200 and Case.objects.count() == 0


def test_department_staff_see_only_cases_assigned_to_their_unit(g):
    w = g.world
    mine = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g), units=[w.dept_a])
    theirs = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g, point=g.inside2), units=[w.dept_b])
    a = client_for(w.reporter_a)
    assert a.get(reverse("grid:case", args=[mine.pk])).status_code == 200
    assert a.get(reverse("grid:case", args=[theirs.pk])).status_code == 404
    assert a.post(reverse("grid:case_act", args=[theirs.pk, "accept"])).status_code == 404
    board = a.get(reverse("grid:board")).content.decode()
    assert f'href="{reverse("grid:case", args=[mine.pk])}"' in board
    assert f'href="{reverse("grid:case", args=[theirs.pk])}"' not in board
    inbox = a.get(reverse("grid:inbox")).content.decode()
    assert f"/grid/cases/{mine.pk}/" in inbox and f"/grid/cases/{theirs.pk}/" not in inbox
    # Another district never sees it; grid workers see their cells and own reports.
    assert client_for(w.outsider).get(reverse("grid:case", args=[mine.pk])).status_code == 404
    assert client_for(g.worker2).get(reverse("grid:case", args=[mine.pk])).status_code == 404
    assert client_for(g.worker2).get(reverse("grid:case", args=[theirs.pk])).status_code == 200  # in their cell
    assert client_for(w.supervisor).get(reverse("grid:case", args=[theirs.pk])).status_code == 200


def test_closed_loop_through_the_pages(g, django_assert_max_num_queries):
    w = g.world
    case = report(g)
    d = client_for(g.dispatcher)
    page = d.get(reverse("grid:case", args=[case.pk])).content.decode()
    assert "住建局" in page  # the routing rule proposes the responsible department
    r = d.post(reverse("grid:case_act", args=[case.pk, "dispatch"]), {"units": [w.dept_b.pk], "version": case.version})
    assert r.status_code == 302
    b = client_for(w.reporter_b)
    b.post(reverse("grid:case_act", args=[case.pk, "accept"]))
    b.post(reverse("grid:case_act", args=[case.pk, "handle"]), {"result": "已补装井盖", "photos": png()})
    assert Case.objects.get(pk=case.pk).state == Case.State.HANDLED
    # The handler cannot verify; the reporting grid worker can.
    r = b.post(reverse("grid:case_act", args=[case.pk, "verify"]), {"passed": "1"}, follow=True)
    assert Case.objects.get(pk=case.pk).state == Case.State.HANDLED
    client_for(g.worker).post(reverse("grid:case_act", args=[case.pk, "verify"]), {"passed": "1"})
    assert Case.objects.get(pk=case.pk).state == Case.State.CLOSED
    with django_assert_max_num_queries(12):
        assert d.get(reverse("grid:case", args=[case.pk])).status_code == 200


def test_stale_dispatch_form_is_refused(g):
    w = g.world
    case = services.case_register(actor=g.dispatcher, case=report(g))
    stale = case.version
    client_for(g.dispatcher).post(
        reverse("grid:case_act", args=[case.pk, "dispatch"]), {"units": [w.dept_b.pk], "version": stale}
    )
    r = client_for(g.dispatcher2).post(
        reverse("grid:case_act", args=[case.pk, "dispatch"]), {"units": [w.dept_a.pk], "version": stale}, follow=True
    )
    assert r.status_code == 200
    assert list(CaseAssignment.objects.filter(case=case).values_list("unit_id", flat=True)) == [w.dept_b.pk]


def test_impossible_unit_ids_and_versions_are_refused_not_crashed_on(g):
    case = services.case_register(actor=g.dispatcher, case=report(g))
    huge = "99999999999999999999999"  # beyond a 64-bit id
    for data in ({"units": [huge], "version": case.version}, {"units": [g.world.dept_b.pk], "version": huge}):
        r = client_for(g.dispatcher).post(reverse("grid:case_act", args=[case.pk, "dispatch"]), data, follow=True)
        assert r.status_code == 200
    assert not CaseAssignment.objects.filter(case=case).exists()


def test_board_lists_with_clocks_and_polls_every_30_seconds(g, django_assert_max_num_queries):
    w = g.world
    for i in range(5):
        services.case_dispatch_confirm(
            actor=g.dispatcher, case=report(g, point=(34.361 + i * 0.001, 107.141)), units=[w.dept_b, w.dept_a]
        )
    report(g)
    d = client_for(g.dispatcher)
    with django_assert_max_num_queries(10):
        page = d.get(reverse("grid:board"))
    html = page.content.decode()
    assert 'hx-trigger="every 30s"' in html and html.count("/grid/cases/") >= 6
    partial = d.get(reverse("grid:board") + "?state=centre", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and partial.count("/grid/cases/") == 1


@pytest.mark.parametrize("role", [Role.REPORTER, Role.VIEWER, Role.GRID_WORKER])
def test_only_the_centre_and_leadership_see_statistics(g, role):
    person = make_person(g.world.district, role, g.world.dept_a)
    assert client_for(person).get(reverse("grid:stats")).status_code == 403
    assert client_for(g.dispatcher).get(reverse("grid:stats")).status_code == 200


def test_cells_map_serves_polygons_offline(g, settings):
    c = client_for(g.worker)
    html = c.get(reverse("grid:cells")).content.decode()
    assert "vendor/leaflet/leaflet.js" in html and 'data-tiles=""' in html and "JT-01" in html
    settings.TAIZHANG_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    assert "tiles.example" in c.get(reverse("grid:cells")).content.decode()
    assert c.get(reverse("grid:cells_geojson")).json()["features"][0]["geometry"]["type"] == "Polygon"


@pytest.mark.parametrize("who", ["dispatcher", "worker", "handler", "supervisor"])
def test_no_link_a_grid_role_is_shown_leads_to_an_error(g, who):
    from taizhang.core.testing import broken_links

    w = g.world
    dispatched = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g), units=[w.dept_b])
    services.case_register(actor=g.dispatcher, case=report(g, point=(34.362, 107.142)))
    assert dispatched.state != Case.State.REPORTED
    person = {"dispatcher": g.dispatcher, "worker": g.worker, "handler": w.reporter_b, "supervisor": w.supervisor}[who]
    assert broken_links(person, start=reverse("grid:board") if who != "worker" else "/") == []


@pytest.mark.parametrize("who", ["dispatcher", "worker", "handler"])
def test_no_form_a_grid_role_is_shown_crashes_on_junk(g, who):
    from taizhang.core.testing import forms_that_crash

    w = g.world
    services.case_dispatch_confirm(actor=g.dispatcher, case=report(g), units=[w.dept_b])
    services.case_register(actor=g.dispatcher, case=report(g, point=(34.362, 107.142)))
    person = {"dispatcher": g.dispatcher, "worker": g.worker, "handler": w.reporter_b}[who]
    assert forms_that_crash(person, start=reverse("grid:board") if who != "worker" else "/") == []
