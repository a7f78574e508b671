"""The read-only units and people API: only the caller's own district."""

import pytest
from rest_framework.test import APIClient

from taizhang.org.models import Person, Unit


def client_for(person) -> APIClient:
    client = APIClient()
    client.force_login(person)
    return client


def rows(client, path, **params):
    response = client.get(path, {"limit": 500, **params})
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize("role", ["leader", "reporter_a", "viewer_a", "street_admin"])
def test_units_are_those_of_the_callers_district(world, role):
    client = client_for(getattr(world, role))
    names = {row["name"] for row in rows(client, "/api/units/")}
    assert names == {"发改局", "住建局", "金台街道", "金台社区"}
    community = next(row for row in rows(client, "/api/units/", kind="community"))
    assert community["parent"] == world.street.pk


def test_people_are_those_of_the_callers_district_without_contact_details(world):
    client = client_for(world.reporter_a)
    people = rows(client, "/api/people/")
    assert {p["id"] for p in people} == set(Person.objects.filter(district=world.district).values_list("id", flat=True))
    assert world.outsider.pk not in {p["id"] for p in people}
    assert set(people[0]) == {"id", "display_name", "title", "role", "unit"}
    leaders = rows(client, "/api/people/", role="leader")
    assert [(p["id"], p["display_name"], p["title"]) for p in leaders] == [(world.leader.pk, "王区长", "区长")]
    assert {p["id"] for p in rows(client, "/api/people/", unit=world.dept_a.pk)} == {
        world.admin_a.pk,
        world.reporter_a.pk,
        world.viewer_a.pk,
    }


def test_another_districts_units_and_people_are_not_found(world):
    client = client_for(world.outsider)
    assert {row["name"] for row in rows(client, "/api/units/")} == {"发改局"}
    assert {row["id"] for row in rows(client, "/api/people/")} == {world.outsider.pk}
    assert client.get(f"/api/units/{world.dept_a.pk}/").status_code == 404
    assert client.get(f"/api/people/{world.leader.pk}/").status_code == 404
    own = Unit.objects.get(district=world.other_district)
    assert client.get(f"/api/units/{own.pk}/").status_code == 200


def test_read_only_and_authenticated(world):
    client = client_for(world.supervisor)
    assert client.post("/api/units/", {"name": "新单位", "kind": "department"}, format="json").status_code == 405
    assert client.patch(f"/api/people/{world.leader.pk}/", {"title": "书记"}, format="json").status_code == 405
    assert APIClient().get("/api/units/").status_code == 401
    assert APIClient().get("/api/people/").status_code == 401
