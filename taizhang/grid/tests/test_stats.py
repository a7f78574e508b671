"""Statistics pinned on a small hand-computed set of cases (March 2026)."""

import datetime as dt

import pytest

from taizhang.grid import selectors, services
from taizhang.grid.clocks import TZ

MARCH = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 3, 31)}
NOW = dt.datetime(2026, 4, 30, 12, 0, tzinfo=TZ)


def at(day, hour, minute=0):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def cases(g):
    w = g.world
    t = at(2, 10)

    def rep(category, point, when=t):
        return services.case_report(
            district=w.district,
            category=category,
            description="x",
            lat=point[0],
            lng=point[1],
            reporter=g.worker if point == g.inside else g.worker2,
            now=when,
        )

    def dispatch(case, units, when=t):
        return services.case_dispatch_confirm(actor=g.dispatcher, case=case, units=units, now=when)

    # 1: road, 金台, dept_b on time, closed, rated 5.
    c1 = dispatch(rep(g.road, g.inside), [w.dept_b])
    c1 = services.case_handle(actor=w.reporter_b, case=c1, result="ok", now=at(3, 10))
    c1 = services.case_verify(actor=g.worker, case=c1, passed=True, now=at(3, 11))
    services.case_rate(case=c1, satisfaction=5, now=at(3, 12))
    # 2: road, 金台, dept_b late (due 9 March 17:30), closed, rated 3.
    c2 = dispatch(rep(g.road, (34.3605, 107.1405)), [w.dept_b])
    c2 = services.case_handle(actor=w.reporter_b, case=c2, result="ok", now=at(23, 10))
    c2 = services.case_verify(actor=g.dispatcher, case=c2, passed=True, now=at(23, 11))
    services.case_rate(case=c2, satisfaction=3, now=at(23, 12))
    # 3: litter, 渭滨, returned by dept_a, redispatched to dept_b, rework, closed.
    c3 = dispatch(rep(g.litter, g.inside2), [w.dept_a])
    c3 = services.case_return(actor=w.reporter_a, case=c3, reason="非本单位", now=at(2, 11))
    c3 = services.case_dispatch(actor=g.dispatcher, case=c3, units=[w.dept_b], now=at(2, 11, 30))
    c3 = services.case_handle(actor=w.reporter_b, case=c3, result="ok", now=at(2, 13, 40))
    c3 = services.case_verify(actor=g.worker2, case=c3, passed=False, note="没扫干净", now=at(2, 14))
    c3 = services.case_handle(actor=w.reporter_b, case=c3, result="ok", now=at(3, 9))
    services.case_verify(actor=g.dispatcher, case=c3, passed=True, now=at(3, 10))
    # 4: litter, 渭滨, dept_a accepted and never handled: overdue.
    c4 = dispatch(rep(g.litter, (34.3815, 107.1615)), [w.dept_a])
    services.case_accept(actor=w.reporter_a, case=c4, now=at(2, 10, 5))
    # 5: road, 金台, only reported. 6: a duplicate of 1, merged (not counted).
    rep(g.road, (34.3615, 107.1415))
    c6 = rep(g.road, g.inside)
    services.case_merge(actor=g.dispatcher, case=c6, into=c1, now=at(2, 12))
    # Outside the period: not counted.
    rep(g.road, g.inside, when=dt.datetime(2026, 4, 2, 10, tzinfo=TZ))
    return g


def table(g, by):
    rows = selectors.stats_table(district_id=g.world.district.pk, by=by, now=NOW, **MARCH)
    return {
        r.name: (r.cases, r.on_time_rate, r.closure_rate, r.return_rate, r.rework_rate, r.satisfaction) for r in rows
    }


def test_by_department(cases):
    assert table(cases, "unit") == {
        "住建局": (3, 66.7, 100.0, 0.0, 33.3, 4.0),
        "发改局": (1, 0.0, 0.0, 50.0, 0.0, None),
    }


def test_by_street(cases):
    assert table(cases, "street") == {
        "金台街道": (3, 50.0, 66.7, 0.0, 0.0, 4.0),
        "渭滨街道": (2, 50.0, 50.0, 33.3, 50.0, None),
    }


def test_by_incident_class(cases):
    assert table(cases, "category") == {
        "施工管理": (3, 50.0, 66.7, 0.0, 0.0, 4.0),
        "市容环境": (2, 50.0, 50.0, 33.3, 50.0, None),
    }


def test_trend_and_heat(cases):
    d = cases.world.district.pk
    assert selectors.stats_trend(district_id=d, **MARCH) == [{"month": "2026-03", "cases": 5, "closed": 3}]
    heat = selectors.stats_heat(district_id=d, **MARCH)
    assert sum(p["n"] for p in heat) == 5


def test_board_light_filters(cases):
    from taizhang.grid.models import Case

    red = Case.objects.filter(district=cases.world.district).light("red", NOW)
    # Case 4 (dept_a overdue), case 5 and the April report (never dispatched) are red.
    assert red.count() == 3
    # At 15:00 on 2 March case 4's 4 working hours (due 15:30) are past 80 %: amber.
    amber = Case.objects.filter(district=cases.world.district).light("amber", at(2, 15))
    assert [c.description for c in amber] == ["x"] and amber[0].state == "handling"
