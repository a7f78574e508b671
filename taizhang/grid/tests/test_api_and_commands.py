"""The REST API for cases, the GeoJSON import command and the escalation task."""

import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from taizhang.grid import services
from taizhang.grid.models import Case, GridCell
from taizhang.grid.testing import square


def api(person):
    c = APIClient()
    c.force_authenticate(person)
    return c


def payload(g, **kw):
    return {"category": g.road.pk, "description": "路灯不亮", "lat": g.inside[0], "lng": g.inside[1], **kw}


def test_report_through_the_api_with_idempotency_key(g):
    c = api(g.worker)
    first = c.post("/api/grid/cases/", payload(g), format="json", headers={"Idempotency-Key": "req-1"})
    again = c.post("/api/grid/cases/", payload(g), format="json", headers={"Idempotency-Key": "req-1"})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and first.json()["case_state"] == "reported"
    assert Case.objects.count() == 1
    # Another person's identical key is another request.
    assert (
        api(g.dispatcher)
        .post("/api/grid/cases/", payload(g), format="json", headers={"Idempotency-Key": "req-1"})
        .status_code
        == 201
    )


def test_api_refuses_other_districts_types_and_bad_input(g):
    c = api(g.worker)
    assert c.post("/api/grid/cases/", payload(g, lat=200), format="json").status_code == 400
    assert c.post("/api/grid/cases/", payload(g, category=999999), format="json").status_code == 400
    assert c.post("/api/grid/cases/", payload(g, description=""), format="json").status_code == 400
    assert Case.objects.count() == 0


def test_api_scope_matches_the_pages(g):
    w = g.world
    mine = services.case_dispatch_confirm(
        actor=g.dispatcher,
        case=services.case_report(
            district=w.district, category=g.road, description="a", lat=g.inside[0], lng=g.inside[1]
        ),
        units=[w.dept_a],
    )
    other = services.case_report(
        district=w.district, category=g.road, description="b", lat=g.inside2[0], lng=g.inside2[1]
    )
    ids = [r["id"] for r in api(w.reporter_a).get("/api/grid/cases/").json()["results"]]
    assert ids == [mine.pk]
    assert api(w.reporter_a).get(f"/api/grid/cases/{other.pk}/").status_code == 404
    assert api(w.outsider).get(f"/api/grid/cases/{mine.pk}/").status_code == 404
    hist = api(g.dispatcher).get(f"/api/grid/cases/{mine.pk}/history/").json()
    assert [e["action"] for e in hist] == ["report", "register", "dispatch"]
    assert len(api(g.dispatcher).get("/api/grid/cases/").json()["results"]) == 2


def test_import_geojson_command(g, tmp_path):
    w = g.world
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "JT-09", "name": "金台九网格", "street": "金台街道", "community": "金台社区"},
                "geometry": square(34.40, 107.20),
            }
        ],
    }
    path = tmp_path / "cells.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("grid_import_geojson", w.district.code, str(path))
    cell = GridCell.objects.get(code="JT-09")
    assert cell.street == w.street and cell.community == w.community
    assert services.cell_for_point(district_id=w.district.pk, lat=34.401, lng=107.201) == cell
    data["features"][0]["properties"]["street"] = "不存在街道"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("grid_import_geojson", w.district.code, str(path))


def test_escalation_task_runs(g):
    from taizhang.grid.tasks import grid_escalate

    assert grid_escalate.enqueue().return_value == 0


def test_statistics_page_renders_tables_chart_and_map(g):
    from django.test import Client

    c = Client()
    c.force_login(g.dispatcher)
    services.case_report(district=g.world.district, category=g.road, description="a", lat=g.inside[0], lng=g.inside[1])
    html = c.get("/grid/stats/").content.decode()
    assert "vendor/echarts/echarts.min.js" in html and 'id="heat-map"' in html and "trend-data" in html
