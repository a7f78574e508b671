"""The bulletin runs a fixed number of queries, however many items it covers."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from taizhang.core.testing import make_person, make_project, make_task, make_unit
from taizhang.ledger.services import report_submit, whistle_raise
from taizhang.supervision.documents import bulletin_docx
from taizhang.supervision.selectors import weekly_bulletin_build

from .conftest import TODAY, WEEK, at


def add_items(world, n):
    leader = make_person(world.district, "leader", name=f"副区长{n}")
    for i in range(n):
        unit = make_unit(world.district)
        reporter = make_person(world.district, "reporter", unit)
        maker = make_project if i % 2 else make_task
        item = maker(world.district, unit, cooperating=[world.dept_a], leaders=[leader, world.leader])
        report_submit(
            actor=reporter,
            item=item,
            week=WEEK,
            done=f"进展{i}",
            problems=f"问题{i}",
            progress_pct=Decimal("10"),
            now=at(dt.date(2026, 6, 5)),
        )
        whistle_raise(actor=reporter, item=item, problem=f"吹哨{i}", units=[world.dept_b], now=at(WEEK))


def queries_for_bulletin(person):
    weekly_bulletin_build(person=person, week_start=WEEK, today=TODAY)  # warm the daily status refresh
    with CaptureQueriesContext(connection) as ctx:
        bulletin_docx(weekly_bulletin_build(person=person, week_start=WEEK, today=TODAY))
    return len(ctx.captured_queries)


def test_bulletin_query_count_does_not_grow_with_items(world, django_assert_max_num_queries):
    add_items(world, 2)
    small = queries_for_bulletin(world.supervisor)
    small_unit = queries_for_bulletin(world.reporter_a)
    add_items(world, 12)
    assert queries_for_bulletin(world.supervisor) == small
    assert queries_for_bulletin(world.reporter_a) == small_unit
    b = weekly_bulletin_build(person=world.supervisor, week_start=WEEK, today=TODAY)
    assert len(b.moved) == 14 and len(b.whistles) == 14
    with django_assert_max_num_queries(16):
        bulletin_docx(weekly_bulletin_build(person=world.supervisor, week_start=WEEK, today=TODAY))
