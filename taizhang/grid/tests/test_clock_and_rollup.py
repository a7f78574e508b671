"""The stored running clock (board order and colours) and the statistics rollup (= the live numbers)."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taizhang.grid import rollup, selectors, services
from taizhang.grid.clocks import TZ
from taizhang.grid.models import Case, CaseAssignment, CaseStatDay
from taizhang.grid.selectors import CaseFilters

S = Case.State


def at(day, hour, minute=0):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TZ)


def report(g, when, *, category=None, point=None):
    lat, lng = point or g.inside
    return services.case_report(
        district=g.world.district,
        category=category or g.road,
        description="路面破损",
        lat=lat,
        lng=lng,
        reporter=g.worker,
        now=when,
    )


def clock(case):
    case = Case.objects.get(pk=case.pk)
    return case.clock_due, case.clock_amber_at


def active_assignments(case):
    return list(CaseAssignment.objects.filter(case=case, state__in=CaseAssignment.ACTIVE))


def test_clock_follows_the_case_through_every_transition(g):
    w = g.world
    case = report(g, at(2, 10))
    assert clock(case) == (case.dispatch_due, case.dispatch_amber_at) and case.clock_due == at(2, 12)
    case = services.case_register(actor=g.dispatcher, case=case, now=at(2, 10, 5))
    assert clock(case) == (at(2, 12), case.dispatch_amber_at)
    # Joint dispatch: the clock is the earliest active department deadline.
    case = services.case_dispatch(actor=g.dispatcher, case=case, units=[w.dept_b, w.dept_a], now=at(2, 10, 30))
    due = active_assignments(case)[0].due_at
    assert clock(case)[0] == due and clock(case)[1] < due
    case = services.case_accept(actor=w.reporter_b, case=case, now=at(2, 11))
    assert clock(case)[0] == due
    # One department handles: the other's clock still runs.
    case = services.case_handle(actor=w.reporter_b, case=case, result="修好", now=at(2, 14))
    assert case.state == S.HANDLING and clock(case)[0] == due
    # The other returns it: handled by the one left, no clock while awaiting verification.
    case = services.case_return(actor=w.reporter_a, case=case, reason="不归我们", now=at(2, 15))
    assert case.state == S.HANDLED and clock(case) == (None, None)
    # Verification fails: rework runs a new handling clock from now.
    case = services.case_verify(actor=g.dispatcher, case=case, passed=False, note="没修好", now=at(3, 9))
    rework_due = active_assignments(case)[0].due_at
    assert case.state == S.REWORK and rework_due > due and clock(case)[0] == rework_due
    case = services.case_handle(actor=w.reporter_b, case=case, result="修好", now=at(3, 10))
    case = services.case_verify(actor=g.dispatcher, case=case, passed=True, now=at(3, 11))
    assert case.state == S.CLOSED and clock(case) == (None, None)
    # Reopened: back at the centre with a dispatch clock from now.
    case = services.case_reopen(case=case, reason="又坏了", actor=g.dispatcher, now=at(4, 9))
    assert case.state == S.REGISTERED and clock(case) == (case.dispatch_due, case.dispatch_amber_at)
    assert clock(case)[0] == at(4, 11)


def test_clock_when_all_departments_return_merge_and_reject(g):
    w = g.world
    case = services.case_dispatch_confirm(
        actor=g.dispatcher, case=report(g, at(2, 10)), units=[w.dept_b], now=at(2, 10)
    )
    case = services.case_return(actor=w.reporter_b, case=case, reason="非本单位", now=at(2, 10, 30))
    assert case.state == S.RETURNED and clock(case) == (case.dispatch_due, case.dispatch_amber_at)
    assert clock(case)[0] == at(2, 14)  # 2 working hours from 10:30, lunch excluded
    other = report(g, at(2, 11))
    services.case_merge(actor=g.dispatcher, case=other, into=case, now=at(2, 11, 30))
    assert clock(other) == (None, None)
    rejected = services.case_reject(actor=g.dispatcher, case=report(g, at(2, 11)), reason="无问题", now=at(2, 12))
    assert clock(rejected) == (None, None)


def test_board_orders_by_running_clock_department_cases_included(g):
    w = g.world
    now = at(5, 16)
    # A department case whose handling clock ran out on 3 March…
    dept_case = services.case_dispatch_confirm(
        actor=g.dispatcher, case=report(g, at(2, 9), category=g.litter), units=[w.dept_a], now=at(2, 9)
    )
    # …a centre case due today at 11:00, a newer centre case due later, a handled case (no clock).
    centre_old = report(g, at(5, 9))
    centre_new = report(g, at(5, 15))
    handled = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g, at(2, 8)), units=[w.dept_b], now=now)
    handled = services.case_handle(actor=w.reporter_b, case=handled, result="ok", now=now)
    rows = selectors.board_rows(g.dispatcher, CaseFilters(), now=now)
    assert [c.pk for c in rows] == [dept_case.pk, centre_old.pk, centre_new.pk, handled.pk]
    assert [c.clock_light for c in rows] == ["red", "red", "green", ""]
    red = selectors.board_rows(g.dispatcher, CaseFilters(light="red"), now=now)
    assert [c.pk for c in red] == [dept_case.pk, centre_old.pk]
    # The new centre case (2 working hours from 15:00, due 17:00) is not amber at 16:00;
    # at 16:40 it is (80 % = 96 minutes gone at 16:36).
    assert selectors.board_rows(g.dispatcher, CaseFilters(light="amber"), now=now) == []
    amber = selectors.board_rows(g.dispatcher, CaseFilters(light="amber"), now=at(5, 16, 40))
    assert [c.pk for c in amber] == [centre_new.pk]
    centre = selectors.board_rows(g.dispatcher, CaseFilters(state="centre"), now=now)
    assert [c.pk for c in centre] == [centre_old.pk, centre_new.pk]


def test_board_reads_no_assignment_join_and_no_cell_boundary(g):
    report(g, at(5, 9))
    with CaptureQueriesContext(connection) as ctx:
        selectors.board_rows(g.dispatcher, CaseFilters(light="red"), now=at(6, 9))
    main = ctx.captured_queries[0]["sql"]
    assert "DISTINCT" not in main and "grid_caseassignment" not in main
    assert '"geometry"' not in main and "clock_due" in main


def test_new_report_is_answered_from_memory_in_few_queries(g, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=g.worker)
    body = {"category": g.road.pk, "description": "井盖缺失", "lat": g.inside[0], "lng": g.inside[1]}
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_IDEMPOTENCY_KEY": "k-1"}
    client.post("/api/grid/cases/", body, content_type="application/json", **headers)  # warms the caches
    headers["HTTP_IDEMPOTENCY_KEY"] = "k-2"
    with CaptureQueriesContext(connection) as ctx:
        r = client.post("/api/grid/cases/", body, content_type="application/json", **headers)
    assert r.status_code == 201 and r.json()["category_code"] == "0303" and r.json()["assignments"] == []
    # The duplicate search, three inserts — on PostgreSQL one statement (the token was looked up
    # by the first request and is cached); no key look-up, no type/cell/district read and no
    # re-read of the case (other modules listening to the history may add their own).
    sqls = [q["sql"] for q in ctx.captured_queries]
    if connection.vendor == "postgresql":
        writes = [sql for sql in sqls if sql.startswith(("INSERT", "UPDATE", "WITH"))]
        assert len(writes) == 1 and writes[0].startswith('WITH c AS (INSERT INTO "grid_case"')
        assert all(f"INSERT INTO {t}" in writes[0] for t in ('"grid_caseevent"', '"grid_casestatday"'))
    else:
        inserts = [sql.split(" (")[0] for sql in sqls if sql.startswith("INSERT")]
        assert inserts == ['INSERT INTO "grid_case"', 'INSERT INTO "grid_caseevent"', 'INSERT INTO "grid_casestatday"']
    assert sum(sql.startswith("SELECT id, lat, lng FROM grid_case") for sql in sqls) == 1
    assert sum("authtoken_token" in sql for sql in sqls) == 0
    for table in ("grid_category", "grid_gridcell", "org_district", "grid_caseassignment"):
        assert not any(sql.startswith("SELECT") and table in sql for sql in sqls), table
    assert not any(sql.startswith('SELECT "grid_case"."id"') for sql in sqls)
    again = client.post("/api/grid/cases/", body, content_type="application/json", **headers)
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    assert Case.objects.filter(idempotency_key__endswith=":k-2").count() == 1


def test_type_cache_sees_a_deactivated_type(g):
    assert services.category_active(district_id=g.world.district.pk, pk=g.road.pk) == g.road
    g.road.is_active = False
    g.road.save()
    assert services.category_active(district_id=g.world.district.pk, pk=g.road.pk) is None


# --------------------------------------------------------------------------- rollup


def _random_history(g, seed: int, n: int = 40) -> None:
    """Cases through a random mix of every transition over March 2026."""
    w = g.world
    rng = random.Random(seed)
    departments = [w.dept_a, w.dept_b]
    staff = {w.dept_a.pk: w.reporter_a, w.dept_b.pk: w.reporter_b}
    cases = []
    for i in range(n):
        when = at(1 + i % 28, 9 + i % 8, rng.randrange(60))
        point = rng.choice([g.inside, g.inside2, (34.5, 107.5)])  # the last one is outside every cell
        cases.append(report(g, when, category=rng.choice([g.road, g.litter]), point=point))
    later = dt.datetime(2026, 4, 1, 9, tzinfo=TZ)
    for step in range(n * 6):
        case = Case.objects.get(pk=rng.choice(cases).pk)
        now = later + dt.timedelta(minutes=step)
        try:
            if case.state in (S.REPORTED, S.REGISTERED, S.RETURNED):
                pick = rng.random()
                if pick < 0.08:
                    services.case_reject(actor=g.dispatcher, case=case, reason="无", now=now)
                elif pick < 0.14:
                    into = rng.choice([c for c in cases if c.pk != case.pk])
                    services.case_merge(actor=g.dispatcher, case=case, into=into, now=now)
                else:
                    units = rng.sample(departments, rng.choice([1, 1, 2]))
                    services.case_dispatch_confirm(actor=g.dispatcher, case=case, units=units, now=now)
            elif case.state in (S.DISPATCHED, S.HANDLING, S.REWORK):
                mine = rng.choice(active_assignments(case))
                actor = staff[mine.unit_id]
                pick = rng.random()
                if pick < 0.2 and case.state != S.REWORK:
                    services.case_return(actor=actor, case=case, reason="非本单位", now=now)
                elif pick < 0.4 and mine.state == CaseAssignment.State.PENDING:
                    services.case_accept(actor=actor, case=case, now=now)
                else:
                    # Some on time, some late: jump up to two weeks ahead.
                    late = now + dt.timedelta(days=rng.choice([0, 0, 14]))
                    services.case_handle(actor=actor, case=case, result="ok", now=late)
            elif case.state == S.HANDLED:
                passed = rng.random() < 0.7
                services.case_verify(actor=g.dispatcher, case=case, passed=passed, note="再查", now=now)
            elif case.state == S.CLOSED:
                if case.satisfaction is None and rng.random() < 0.6:
                    services.case_rate(case=case, satisfaction=rng.randint(1, 5), now=now)
                elif rng.random() < 0.3:
                    services.case_reopen(case=case, reason="又坏了", actor=g.dispatcher, now=case.closed_at)
        except services.IllegalTransition:  # pragma: no cover - every branch above is legal
            raise


def _rows():
    fields = ("district_id", *rollup.KEYS)
    out = {}
    for r in CaseStatDay.objects.values(*fields, *rollup.COUNTERS):
        counts = tuple(r[c] for c in rollup.COUNTERS)
        if any(counts):
            out[tuple(r[f] for f in fields)] = counts
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollup_equals_the_live_statistics_after_random_transitions(g, seed):
    _random_history(g, seed)
    states = set(Case.objects.values_list("state", flat=True))
    assert {S.CLOSED, S.HANDLED, S.REJECTED, S.MERGED} & states and len(states) >= 4
    d = g.world.district.pk
    period = {"district_id": d, "date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}
    for now in (dt.datetime(2026, 4, 2, 9, tzinfo=TZ), dt.datetime(2026, 6, 1, tzinfo=TZ)):
        page = selectors.stats_tables(now=now, **period)
        for by in ("unit", "street", "category"):
            fast = selectors.stats_table(by=by, now=now, **period)
            live = selectors.stats_table_live(by=by, now=now, **period)
            assert [vars(r) for r in fast] == [vars(r) for r in live], by
            assert [vars(r) for r in page[by]] == [vars(r) for r in live], by
    assert selectors.stats_trend(**period) == selectors.stats_trend_live(**period)
    assert sum(p["n"] for p in selectors.stats_heat(**period)) == sum(
        p["n"] for p in selectors.stats_heat_live(**period)
    )
    # Kept in step transition by transition = recomputed from scratch.
    incremental = _rows()
    rollup.rollup_rebuild(district_id=d)
    assert _rows() == incremental


def test_new_report_body_is_what_the_serializer_gives(g):
    from taizhang.grid.api import CaseSerializer, new_case_body

    case = report(g, at(2, 10))
    dup = report(g, at(2, 11))
    for c in (case, dup):
        stored = Case.objects.select_related("category").prefetch_related("assignments__unit").get(pk=c.pk)
        assert new_case_body(c) == CaseSerializer(stored).data
    assert new_case_body(dup)["possible_duplicate_of"] == case.pk
