"""Grid figures feed the unit assessment (按期处置率 and 退单 per department)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from taizhang.assessment.metrics import FACT_LINKERS, METRICS
from taizhang.grid import services


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def dispatched(g, unit, day):
    case = services.case_report(
        district=g.world.district,
        category=g.road,
        description="路面坑洼",
        lat=g.inside[0],
        lng=g.inside[1],
        reporter=g.worker,
        now=at(day, 9),
    )
    case = services.case_register(actor=g.dispatcher, case=case, now=at(day, 9))
    return services.case_dispatch(actor=g.dispatcher, case=case, units=[unit], now=at(day, 9))


def test_on_time_rate_and_returns_per_department(g):
    w = g.world
    day = dt.date(2026, 3, 3)  # a Tuesday
    on_time = dispatched(g, w.dept_b, day)
    services.case_accept(actor=w.reporter_b, case=on_time, now=at(day, 10))
    services.case_handle(actor=w.reporter_b, case=on_time, result="已修复", now=at(day, 11))
    late = dispatched(g, w.dept_b, day)
    services.case_accept(actor=w.reporter_b, case=late, now=at(day, 10))
    services.case_handle(actor=w.reporter_b, case=late, result="已修复", now=at(day + dt.timedelta(days=30), 11))
    returned = dispatched(g, w.dept_a, day)
    services.case_return(actor=w.reporter_a, case=returned, reason="不属于本单位职责", now=at(day, 10))

    args = {
        "district_id": w.district.pk,
        "year": 2026,
        "unit_ids": [w.dept_a.pk, w.dept_b.pk],
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 12, 31),
        "as_of": dt.date(2026, 11, 20),
    }
    rate = METRICS["grid_on_time_rate"].fn(**args)
    assert rate[w.dept_b.pk] == (Decimal("50.00"), [late.pk])  # the late case is the fact behind the points
    assert rate[w.dept_a.pk] == (None, [])  # nothing handled: nothing to measure
    returns = METRICS["grid_returned_cases"].fn(**args)
    assert returns[w.dept_a.pk] == (Decimal(1), [returned.pk]) and returns[w.dept_b.pk] == (Decimal(0), [])
    # The window ends at "data as of": a quarter computed in February knows nothing of March.
    early = METRICS["grid_on_time_rate"].fn(**{**args, "as_of": dt.date(2026, 2, 28)})
    assert early[w.dept_b.pk] == (None, [])
    label, url = FACT_LINKERS["case"]({late.pk})[late.pk]
    assert url == f"/grid/cases/{late.pk}/" and "路面坑洼" in label
