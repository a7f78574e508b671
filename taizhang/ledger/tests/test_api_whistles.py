"""Whistles (吹哨报到) through the API: who sees them, who raises, who reports in."""

from rest_framework.test import APIClient

from taizhang.ledger.models import Whistle, WhistleResponse
from taizhang.org.models import Unit


def client_for(person) -> APIClient:
    client = APIClient()
    client.force_login(person)
    return client


def raise_whistle(world, person=None, item=None, units=None):
    return client_for(person or world.reporter_a).post(
        "/api/whistles/",
        {
            "item": (item or world.project_a).pk,
            "problem": "施工用水接入需住建局协调",
            "units": [u.pk for u in (units or [world.dept_b])],
            "respond_within_workdays": 3,
        },
        format="json",
    )


def listed(person) -> set[int]:
    response = client_for(person).get("/api/whistles/")
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_raise_and_see_a_whistle(world):
    response = raise_whistle(world)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "open"
    assert body["raised_by_unit"] == world.dept_a.pk
    assert [(r["unit"], r["responded_at"]) for r in body["responses"]] == [(world.dept_b.pk, None)]
    pk = body["id"]
    # On the item's side, the summoned side, the whole district; nobody else.
    for person in (world.reporter_a, world.viewer_a, world.reporter_b, world.leader, world.supervisor):
        assert pk in listed(person)
        assert client_for(person).get(f"/api/whistles/{pk}/").status_code == 200
    for person in (world.street_admin, world.outsider):
        assert pk not in listed(person)
        assert client_for(person).get(f"/api/whistles/{pk}/").status_code == 404


def test_raising_needs_edit_rights_on_the_item(world):
    assert raise_whistle(world, person=world.viewer_a).status_code == 403
    assert raise_whistle(world, person=world.leader).status_code == 403
    assert raise_whistle(world, person=world.reporter_b).status_code == 404  # project_a is not theirs
    assert raise_whistle(world, person=world.outsider).status_code == 404
    assert not Whistle.objects.exists()


def test_raising_with_bad_input_is_400(world):
    other_unit = Unit.objects.get(district=world.other_district)
    for units in ([world.dept_a], [other_unit]):  # only one's own unit; another district's unit
        response = raise_whistle(world, units=units)
        assert response.status_code == 400
        assert "units" in response.json()
    response = client_for(world.reporter_a).post(
        "/api/whistles/", {"item": world.project_a.pk, "problem": " ", "units": [world.dept_b.pk]}, format="json"
    )
    assert response.status_code == 400 and "problem" in response.json()
    assert not Whistle.objects.exists()


def test_summoned_unit_reports_in(world):
    pk = raise_whistle(world).json()["id"]
    url = f"/api/whistles/{pk}/respond/"
    # Sees the whistle but was not summoned.
    response = client_for(world.reporter_a).post(url, {"response": "已知悉"}, format="json")
    assert response.status_code == 403
    assert client_for(world.street_admin).post(url, {"response": "已知悉"}, format="json").status_code == 404
    assert client_for(world.reporter_b).post(url, {"response": ""}, format="json").status_code == 400

    response = client_for(world.reporter_b).post(url, {"response": "已安排水务专班对接"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "answered"
    row = WhistleResponse.objects.get(whistle_id=pk)
    assert (row.response, row.responder) == ("已安排水务专班对接", world.reporter_b)


def test_closed_whistles_leave_the_list_but_stay_readable(world):
    from taizhang.ledger.services import whistle_close

    pk = raise_whistle(world).json()["id"]
    whistle_close(actor=world.supervisor, whistle=Whistle.objects.get(pk=pk), resolution="已解决")
    assert pk not in listed(world.reporter_a)
    assert client_for(world.reporter_a).get(f"/api/whistles/{pk}/").json()["state"] == "closed"
    response = client_for(world.reporter_b).post(f"/api/whistles/{pk}/respond/", {"response": "迟到"}, format="json")
    assert response.status_code == 400
