"""The leaders' cockpit: who sees what, click-through numbers, the big screen, query count."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.cockpit.selectors import cockpit_for
from taizhang.core.testing import make_person, make_project, make_task, make_unit
from taizhang.indicators import services as indicator_services
from taizhang.ledger.models import KeyTask
from taizhang.ledger.services import whistle_raise
from taizhang.org.models import Role

PAST = dt.date(2026, 6, 30)


def _indicator(district, code="revenue", growth="3.0"):
    ind = indicator_services.indicator_create(district=district, code=code, name=f"指标{code}", unit="亿元")
    indicator_services.indicator_value_record(
        actor=None,
        indicator=ind,
        year=2026,
        month=10,
        actual=D("20"),
        yoy_growth=D(growth),
        city_avg_growth=D("4.5"),
        target=D("30"),
        comparators=[indicator_services.Comparator("金台区", None, D("5"))],
    )
    return ind


@pytest.fixture
def busy(world):
    """Overdue tasks in two units, one owned by the district mayor; an open whistle; an indicator."""
    make_task(world.district, world.dept_a, name="逾期任务甲", deadline=PAST, leaders=[world.leader])
    make_task(world.district, world.dept_a, name="逾期任务乙", deadline=PAST)
    make_task(world.district, world.dept_b, name="逾期任务丙", deadline=PAST)
    whistle_raise(actor=world.reporter_b, item=world.project_b, problem="管线迁改协调难", units=[world.dept_a])
    _indicator(world.district)
    return world


def test_supervisor_sees_the_whole_district_with_click_through_links(client, busy):
    w = busy
    client.force_login(w.supervisor)
    r = client.get(reverse("cockpit:index"))
    assert r.status_code == 200
    html = r.content.decode()
    for panel in ("panel-lights", "panel-indicators", "panel-investment", "panel-overdue-unit", "panel-overdue-leader"):
        assert f'id="{panel}"' in html
    assert f"/tasks/?overdue=1&amp;unit={w.dept_a.pk}" in html
    assert f"/tasks/?overdue=1&amp;leader={w.leader.pk}" in html
    assert reverse("indicators:detail", args=[w.district.indicators.get().pk]) in html
    assert "/projects/?status=red" in html and reverse("ledger:whistles") in html
    assert "尚未发布排名" in html
    assert "vendor/echarts/echarts.min.js" in html
    c = r.context["c"]
    assert c.overdue_total == 3 and c.whistles_waiting == 1 and c.indicators_behind == 1
    by_unit = {row["unit_id"]: row for row in c.overdue_by_unit}
    assert by_unit[w.dept_a.pk]["task"] == 2 and by_unit[w.dept_b.pk]["task"] == 1


def test_overdue_number_matches_the_list_behind_it(client, busy):
    w = busy
    client.force_login(w.supervisor)
    c = client.get(reverse("cockpit:index")).context["c"]
    row = next(r for r in c.overdue_by_unit if r["unit_id"] == w.dept_a.pk)
    listed = client.get(row["task_url"]).context["page"].paginator.count
    assert listed == row["task"] == 2
    leader_row = next(r for r in c.overdue_by_leader if r["leader_id"] == w.leader.pk)
    assert client.get(leader_row["task_url"]).context["page"].paginator.count == leader_row["task"] == 1
    red_url = c.status_counts["task"]["urls"]["red"]
    assert client.get(red_url).context["page"].paginator.count == c.status_counts["task"]["red"]


def test_leader_sees_own_items_first(client, busy):
    w = busy
    client.force_login(w.leader)
    r = client.get(reverse("cockpit:index"))
    html = r.content.decode()
    assert html.index('id="panel-mine"') < html.index('id="panel-lights"')
    c = r.context["c"]
    assert c.mine_overdue == 1
    assert "逾期任务甲" in [i.name for i in c.mine_items]
    assert {i.pk for i in c.mine_items} <= {
        busy.project_a.pk,
        *KeyTask.objects.filter(leaders=w.leader).values_list("pk", flat=True),
    }
    statuses = [i.status for i in c.mine_items]
    assert statuses == sorted(statuses, key=lambda s: s != "red")  # red first
    assert "mine=1" in c.mine["task"]["urls"]["red"]


def test_reporter_gets_a_reduced_view_of_their_unit(client, busy):
    w = busy
    client.force_login(w.reporter_b)
    r = client.get(reverse("cockpit:index"))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="reduced-note"' in html and 'id="panel-indicators"' not in html
    c = r.context["c"]
    assert c.overdue_total == 1  # only 住建局's overdue task
    assert c.overdue_by_leader == [] and c.indicators == []
    assert c.status_counts["project"]["total"] == 1  # 老旧小区改造


def test_outsider_sees_nothing_of_the_district(busy):
    c = cockpit_for(busy.outsider)
    assert c.overdue_total == 0 and c.whistles_waiting == 0 and c.indicators == []


def test_bigscreen_is_dark_refreshing_and_for_whole_district_roles(client, busy):
    w = busy
    client.force_login(w.reporter_a)
    assert client.get(reverse("cockpit:bigscreen")).status_code == 403
    client.force_login(w.leader)
    r = client.get(reverse("cockpit:bigscreen"))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-bs-theme="dark"' in html and "width=1920" in html
    assert 'hx-trigger="every 60s"' in html and 'http-equiv="refresh" content="60"' in html
    assert "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    partial = client.get(reverse("cockpit:bigscreen"), headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert re.search(r'data-count="red">\d+<', partial.content.decode())


def test_query_count_does_not_grow_with_data(world):
    _indicator(world.district)
    cockpit_for(world.supervisor)  # refresh statuses once
    with CaptureQueriesContext(connection) as small:
        cockpit_for(world.supervisor)
    units = [make_unit(world.district, f"新单位{n}") for n in range(4)]
    leaders = [make_person(world.district, Role.LEADER, name=f"副区长{n}") for n in range(3)]
    for n, unit in enumerate(units):
        make_task(world.district, unit, deadline=PAST, leaders=[leaders[n % 3]], cooperating=[world.dept_a])
        make_project(world.district, unit, leaders=[leaders[n % 3]], deadline=PAST)
        whistle_raise(actor=world.reporter_a, item=world.project_a, problem=f"问题{n}", units=[unit])
    for n in range(3):
        _indicator(world.district, code=f"x{n}", growth="9")
    with CaptureQueriesContext(connection) as large:
        c = cockpit_for(world.supervisor)
    assert c.overdue_total == 8 and len(c.overdue_by_leader) == 3 and len(c.indicators) == 4
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 20
    leader = world.leader
    with CaptureQueriesContext(connection) as as_leader:
        cockpit_for(leader)
    assert len(as_leader.captured_queries) <= 24


def test_cockpit_needs_a_signed_in_person(client):
    r = client.get(reverse("cockpit:index"))
    assert r.status_code == 302
