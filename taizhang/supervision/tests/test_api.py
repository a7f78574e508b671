import datetime as dt

import pytest
from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from taizhang.supervision.services import notices_generate_for_month


@pytest.fixture
def generated(world, activity):
    return notices_generate_for_month(
        actor=world.supervisor, district=world.district, month=dt.date(2026, 11, 1), today=dt.date(2026, 11, 2)
    )


def api(person):
    client = APIClient()
    client.force_authenticate(person)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_list_is_scoped(world, generated):
    assert len(results(api(world.leader).get("/api/notices/"))) == 4
    assert {n["item_name"] for n in results(api(world.reporter_a).get("/api/notices/"))} == {"智能装备产业园"}
    assert {n["unit_name"] for n in results(api(world.reporter_b).get("/api/notices/"))} == {"住建局"}
    assert results(api(world.outsider).get("/api/notices/")) == []
    rows = results(api(world.supervisor).get("/api/notices/", {"unit": world.dept_a.pk}))
    assert [n["number"] for n in rows] == [next(g.number for g in generated if g.unit_id == world.dept_a.pk)]
    assert all(n["flagged"] for n in results(api(world.supervisor).get("/api/notices/", {"flagged": "true"})))


def test_reply_through_the_api(world, generated):
    notice = next(n for n in generated if n.unit_id == world.dept_a.pk)
    url = f"/api/notices/{notice.pk}/reply/"
    assert api(world.reporter_b).post(url, {"text": "x"}, format="json").status_code == 404
    assert api(world.viewer_a).post(url, {"text": "x"}, format="json").status_code == 403
    assert api(world.admin_a).post(url, {}, format="json").status_code == 400
    response = api(world.admin_a).post(url, {"text": "已制定追赶计划"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "replied" and response.json()["reply_text"] == "已制定追赶计划"
    again = api(world.reporter_a).post(url, {"text": "再答"}, format="json")
    assert again.status_code == 400
    assert api(world.admin_a).delete(f"/api/notices/{notice.pk}/").status_code == 405


def test_schema_for_notices_has_no_warnings():
    reset_generator_stats()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/notices/{id}/reply/" in schema["paths"]
    ours = [
        m for m in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache] if "otice" in m or "upervision" in m
    ]
    assert ours == []
