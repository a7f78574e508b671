"""The list pages' hand-written SQL (``ledger.listing``) must return exactly what the ORM
selector ``items_for_list`` returns — same rows, same order, same values — for every
role and every filter, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.paginator import Paginator

from taizhang.core.testing import make_person, make_project, make_task, make_unit
from taizhang.ledger import selectors
from taizhang.ledger.models import Item, KeyProject, KeyTask
from taizhang.ledger.selectors import ItemFilters
from taizhang.org.models import Role, Unit


@pytest.fixture
def rich(world):
    """About forty items that differ in every column a filter or the ordering reads."""
    w = world
    deputy = make_person(w.district, Role.LEADER, name="李副区长")
    unnamed = make_person(w.district, Role.LEADER, name="")
    dept_c = make_unit(w.district, "城管局")
    town = make_unit(w.district, "马营镇", kind=Unit.Kind.TOWN)
    units = [w.dept_a, w.dept_b, dept_c, w.street, w.community, town]
    leaders = [w.leader, deputy, unnamed]
    categories = [c for c, _ in KeyProject.Category.choices]
    phases = [p for p, _ in KeyProject.Phase.choices]
    names = ["ABC智慧园区", "abc物流港", "100%达标工程", "a_b管网改造", "污水处理厂", "体育中心"]
    for n in range(24):
        make_project(
            w.district,
            units[n % len(units)],
            cooperating=[units[(n + 2) % len(units)], units[(n + 3) % len(units)]] if n % 3 else [],
            leaders=leaders[: n % 4],
            name=f"{names[n % len(names)]}{n}",
            code=f"XM-{n % 7:02d}" if n % 5 else "",  # duplicate and empty codes: the id breaks ties
            description="涉及征地拆迁" if n % 4 == 0 else "",
            category=categories[n % len(categories)],
            phase=phases[n % len(phases)],
            year=2026 if n % 6 else 2025,
            completed_investment_year=Decimal(n * 137) + Decimal("0.5"),
        )
    for n in range(16):
        make_task(
            w.district,
            units[(n + 1) % len(units)],
            cooperating=[units[n % len(units)]] if n % 2 else [],
            leaders=leaders[: (n + 1) % 3],
            name=f"{names[n % len(names)]}任务{n}",
            code=f"RW-{n % 5}",
            deadline=dt.date(2026, 3, 1) + dt.timedelta(days=20 * n),
            progress_pct=Decimal(n * 6) + Decimal("0.5"),
        )
    # Statuses are computed once a day; spread them by hand after that run.
    selectors.items_for_page(w.supervisor, KeyProject)
    items = list(Item.objects.filter(district=w.district).order_by("id"))
    for n, item in enumerate(items):
        Item.objects.filter(pk=item.pk).update(
            status=["green", "amber", "red"][n % 3],
            is_overdue=n % 4 == 1,
            lag_points=None if n % 5 == 0 else Decimal(n - 20) + Decimal("0.3"),
        )
    Item.objects.filter(pk=items[3].pk).update(is_archived=True)
    return w, deputy, dept_c, town


def _reference(person, model, filters) -> list[tuple]:
    qs = selectors.items_for_list(person, model, filters).order_by("code", "id")
    return [_row_of_item(i, model) for i in qs]


def _names(value) -> frozenset:
    # SQLite's GROUP_CONCAT has no ORDER BY: compare the names, not their order.
    return frozenset(value.split("、")) if value else frozenset()


def _row_of_item(i, model) -> tuple:
    coop = _names("、".join(u.name for u in i.cooperating_units.all()))
    leaders = _names("、".join(p.full_name or p.username for p in i.leaders.all()))
    row = (i.id, i.kind, i.status, i.code, i.name, i.lead_unit.name, i.progress_pct, i.lag_points, i.is_overdue)
    row += (i.deadline, coop, leaders)
    if model is KeyProject:
        row += (i.phase, i.planned_investment_year, i.completed_investment_year)
    return row


def _row_of_list_row(r, model) -> tuple:
    row = (r.id, r.kind, r.status, r.code, r.name, r.lead_unit_name, r.progress_pct, r.lag_points, r.is_overdue)
    row += (r.deadline, _names(r.coop_names), _names(r.leader_names))
    if model is KeyProject:
        row += (r.phase, r.planned_investment_year, r.completed_investment_year)
    return row


def _filters(w, deputy, dept_c, town) -> list[ItemFilters]:
    single = [
        ItemFilters(),
        ItemFilters(q="abc"),  # matches ABC… and abc… (case-insensitive, as icontains)
        ItemFilters(q="100%"),  # LIKE wildcards in the search are literal
        ItemFilters(q="a_b"),
        ItemFilters(q="XM-03"),  # the number
        ItemFilters(q="征地"),  # the content
        ItemFilters(unit=w.dept_a.id),
        ItemFilters(unit=town.id),
        ItemFilters(unit=w.community.id),
        ItemFilters(leader=w.leader.id),
        ItemFilters(leader=deputy.id),
        ItemFilters(mine=True),
        ItemFilters(status="red"),
        ItemFilters(overdue=True),
        ItemFilters(year=2025),
        ItemFilters(phase="construction"),
        ItemFilters(category="industry"),
    ]
    combos = [
        ItemFilters(status="red", category="industry"),
        ItemFilters(unit=dept_c.id, status="amber", overdue=True),
        ItemFilters(leader=deputy.id, mine=True),
        ItemFilters(q="园", unit=w.dept_b.id, year=2026, phase="construction"),
        ItemFilters(unit=999999),
    ]
    return single + combos


@pytest.mark.parametrize("model", [KeyProject, KeyTask])
def test_sql_rows_equal_the_orm_selector_for_every_role_and_filter(rich, model):
    w, deputy, dept_c, town = rich
    people = [w.supervisor, w.leader, w.policy, w.admin_a, w.reporter_a, w.viewer_a, w.reporter_b, w.street_admin]
    people += [w.outsider, deputy]
    checked = 0
    for person, filters in itertools.product(people, _filters(w, deputy, dept_c, town)):
        expected = _reference(person, model, filters)
        source = selectors.items_for_page(person, model, filters)
        got = [_row_of_list_row(r, model) for r in source[0 : source.count()]]
        assert got == expected, (person.full_name, filters)
        assert source.count() == len(expected)
        checked += len(expected)
    assert checked > 500  # the fixture really exercises the filters


def test_pages_slice_like_the_orm(rich):
    w, *_ = rich
    expected = [r[0] for r in _reference(w.supervisor, KeyProject, ItemFilters())]
    paginator = Paginator(selectors.items_for_page(w.supervisor, KeyProject, ItemFilters()), 7)
    got = [row.id for n in paginator.page_range for row in paginator.page(n).object_list]
    assert got == expected
    assert paginator.count == len(expected) == 25  # the world's 2 and 24 more projects, one archived


def test_archived_and_foreign_items_never_listed(rich):
    w, *_ = rich
    archived = Item.objects.get(is_archived=True)
    ids = {r.id for r in selectors.items_for_page(w.supervisor, KeyProject)[0:1000]}
    ids |= {r.id for r in selectors.items_for_page(w.supervisor, KeyTask)[0:1000]}
    assert archived.id not in ids
    assert w.foreign_project.id not in ids
    outsider_ids = {r.id for r in selectors.items_for_page(w.outsider, KeyProject)[0:1000]}
    assert outsider_ids == {w.foreign_project.id}


def test_list_page_renders_sql_rows_escaped(rich, client):
    w, *_ = rich
    make_project(w.district, w.dept_a, name="<script>alert(1)</script>园区", code="ZZ-99")
    client.force_login(w.reporter_a)
    r = client.get("/projects/", {"q": "alert"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;园区" in body
    assert "<script>alert(1)" not in body


def test_filter_drop_downs_keep_the_choice_and_escape_names(rich, client):
    w, deputy, dept_c, town = rich
    odd = make_unit(w.district, '"><b>自然资源局')
    client.force_login(w.supervisor)
    body = client.get("/projects/", {"unit": dept_c.id, "leader": deputy.id, "phase": "construction"}).content.decode()
    assert f'<option value="{dept_c.id}" selected>城管局</option>' in body
    assert f'<option value="{deputy.id}" selected>李副区长</option>' in body
    assert '<option value="construction" selected>' in body
    assert f'<option value="{odd.id}">&quot;&gt;&lt;b&gt;自然资源局</option>' in body
    assert f'<option value="{town.id}">马营镇</option>' in body  # not selected
    tasks = client.get("/tasks/").content.decode()
    assert 'name="phase"' not in tasks  # phase and category filter key projects only


def test_filter_change_answers_the_results_fragment_only(rich, client):
    w, *_ = rich
    client.force_login(w.reporter_a)
    r = client.get("/projects/", {"status": "red"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "<table" in body and '<nav class="navbar' not in body and "<select" not in body
    assert "HX-Request" in r["Vary"]
    full = client.get("/projects/", {"status": "red"})
    assert "<select" in full.content.decode() and "HX-Request" in full["Vary"]


def test_drop_downs_are_cached_but_follow_every_change_to_units_and_leaders(rich, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w, deputy, dept_c, town = rich
    client.force_login(w.supervisor)
    client.get("/projects/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/projects/")
    # Served from the cache: no ORM query on units (the person statement aliases the table).
    assert not any('"org_unit".' in q["sql"] for q in ctx.captured_queries)
    new = make_unit(w.district, "数据局")
    dept_c.name = "城市管理局"
    dept_c.save()
    newcomer = make_person(w.district, Role.LEADER, name="新任区长")
    body = client.get("/projects/").content.decode()
    assert f'<option value="{new.id}">数据局</option>' in body
    assert f'<option value="{dept_c.id}">城市管理局</option>' in body and ">城管局<" not in body
    assert f'<option value="{newcomer.id}">新任区长</option>' in body
    make_unit(w.other_district, "外区数据局")
    assert "外区数据局" not in client.get("/projects/").content.decode()
    Unit.objects.filter(pk=new.pk).delete()
    assert "数据局</option>" not in client.get("/projects/").content.decode()


def test_filters_no_row_can_match_are_ignored_not_crashed_on(rich, client):
    w, *_ = rich
    client.force_login(w.supervisor)
    huge = "99999999999999999999999"  # beyond a 64-bit id: SQLite cannot bind it
    for path in ("/projects/", "/tasks/", "/supervision/notices/", "/projects/export.xlsx"):
        r = client.get(path, {"unit": huge, "leader": huge, "year": huge, "page": huge})
        assert r.status_code == 200, path


def test_row_links_follow_the_deployments_script_prefix(rich, client):
    from django.urls import set_script_prefix

    w, *_ = rich
    client.force_login(w.supervisor)
    set_script_prefix("/taizhang/")  # served under a path on the intranet portal (WSGI sets it)
    try:
        body = client.get("/projects/").content.decode()
    finally:
        set_script_prefix("/")
    assert f'href="/taizhang/items/{w.project_a.pk}/"' in body
    assert 'href="/items/' not in body and 'href="/taizhang/projects/"' in body  # rows and menu alike
