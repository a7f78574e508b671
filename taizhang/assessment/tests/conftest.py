import datetime as dt
from dataclasses import dataclass

import pytest

from taizhang.assessment import services
from taizhang.core.testing import make_person, make_task, make_unit
from taizhang.org.models import Role, Unit


@dataclass
class Setup:
    world: object
    scheme: object
    depts: object
    streets: object
    dept_c: Unit
    dept_d: Unit
    supervisor2: object
    r_rate: object
    r_overdue: object
    r_manual: object
    r_adjust: object
    q1: object
    q2: object


def d(m, day):
    return dt.date(2026, m, day)


def build_setup(world) -> Setup:
    sup = world.supervisor
    dist = world.district
    dept_c = make_unit(dist, "商务局")
    dept_d = make_unit(dist, "工信局")
    supervisor2 = make_person(dist, Role.SUPERVISOR, name="督查员二")
    scheme = services.scheme_create(actor=sup, district=dist, year=2026, name="2026年度积分制考核")
    depts = services.group_create(actor=sup, scheme=scheme, name="区直部门", units=[world.dept_a, world.dept_b, dept_d])
    streets = services.group_create(actor=sup, scheme=scheme, name="镇街", units=[world.street], sort_order=1)
    work = services.category_create(actor=sup, group=depts, name="重点工作", weight=60)
    party = services.category_create(actor=sup, group=depts, name="党的建设", weight=40)
    bonus = services.category_create(actor=sup, group=depts, name="加减分", weight=0)
    r_rate = services.rule_create(
        actor=sup,
        category=work,
        name="重点任务按时完成率",
        kind="auto",
        max_points=30,
        metric="task_on_time_rate",
        formula="linear",
        params={"low": 0, "high": 100},
    )
    r_overdue = services.rule_create(
        actor=sup,
        category=work,
        name="逾期事项",
        kind="auto",
        max_points=30,
        metric="overdue_items",
        formula="per_occurrence",
        params={"points_each": 10},
    )
    r_manual = services.rule_create(
        actor=sup,
        category=party,
        name="党建工作评价",
        kind="manual",
        max_points=40,
        missing="zero",
        assessors=[world.policy],
    )
    r_adjust = services.rule_create(actor=sup, category=bonus, name="加减分", kind="adjustment", max_points=5)
    all_in = services.category_create(actor=sup, group=streets, name="综合", weight=100)
    services.rule_create(
        actor=sup,
        category=all_in,
        name="逾期事项",
        kind="auto",
        max_points=100,
        metric="overdue_items",
        formula="per_occurrence",
        params={"points_each": 20},
    )
    services.scheme_publish(actor=sup, scheme=scheme)
    # dept_c joins the department group on 15 May (mid-Q2).
    services.group_member_add(actor=sup, group=depts, unit=dept_c, joined_on=d(5, 15))

    # Q1 facts. dept_a: one task on time, one late → 50 %, 1 overdue.
    make_task(dist, world.dept_a, deadline=d(3, 10), completed_on=d(3, 9))
    make_task(dist, world.dept_a, deadline=d(3, 20), completed_on=d(3, 25))
    # dept_b: nothing due in Q1 (missing data → full points). dept_d: one task missed.
    make_task(dist, dept_d, deadline=d(3, 1))
    # Q2 facts. dept_c: a task missed before it joined (not counted), one on time after.
    make_task(dist, dept_c, deadline=d(5, 1))
    make_task(dist, dept_c, deadline=d(6, 1), completed_on=d(5, 30))

    periods = {(p.kind, p.number): p for p in scheme.periods.all()}
    return Setup(
        world,
        scheme,
        depts,
        streets,
        dept_c,
        dept_d,
        supervisor2,
        r_rate,
        r_overdue,
        r_manual,
        r_adjust,
        periods[("quarter", 1)],
        periods[("quarter", 2)],
    )


@pytest.fixture
def setup(world):
    return build_setup(world)


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests pin the English message texts; the Chinese ones are checked by the i18n tests."""
    from django.utils import translation

    with translation.override("en"):
        yield
