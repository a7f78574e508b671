"""A week of real ledger activity on top of the shared world.

Week of Monday 2026-06-01 (ISO week 23, no holidays); "today" for the bulletin is
Monday 2026-06-08, after the week's Friday report deadline. Everything is written
through the ledger services with explicit dates, so nothing depends on the clock
except the stored red/amber/green colours, which the fixture pins with projects
whose numbers are unambiguous (nothing completed vs. everything completed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from taizhang.core.testing import make_project, make_task
from taizhang.ledger.services import report_submit, whistle_raise, whistles_escalate

SH = ZoneInfo("Asia/Shanghai")
WEEK = dt.date(2026, 6, 1)
TODAY = dt.date(2026, 6, 8)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SH)


@dataclass
class Activity:
    lagging: object  # dept_b, nothing invested: red
    green: object  # dept_a, the year's plan already invested: green
    secret_a: object  # dept_a only, reported with a problem
    done: object  # dept_a, completed: green
    overdue_task: object  # dept_b, deadline long past: red + overdue
    report_a: object
    report_coop: object
    whistle_escalated: object
    whistle_open: object


@pytest.fixture
def activity(world) -> Activity:
    w = world
    lagging = make_project(
        w.district,
        w.dept_b,
        name="滞后的污水处理厂",
        completed_investment_year=Decimal("0"),
        completed_investment_total=Decimal("0"),
    )
    green = make_project(
        w.district,
        w.dept_a,
        name="提前完成的物流园",
        completed_investment_year=Decimal("12000"),
        completed_investment_total=Decimal("12000"),
    )
    secret_a = make_project(
        w.district,
        w.dept_a,
        name="发改局独办的数据中心",
        completed_investment_year=Decimal("12000"),
        completed_investment_total=Decimal("12000"),
    )
    done = make_project(
        w.district,
        w.dept_a,
        name="已竣工的体育馆",
        completed_on=dt.date(2026, 5, 20),
        completed_investment_year=Decimal("12000"),
        completed_investment_total=Decimal("12000"),
    )
    overdue_task = make_task(
        w.district,
        w.dept_b,
        name="一季度完成的征迁任务",
        start_date=dt.date(2026, 1, 5),
        deadline=dt.date(2026, 3, 31),
    )
    report_a = report_submit(
        actor=w.reporter_a,
        item=w.project_a,
        week=WEEK,
        done="完成主体结构封顶",
        progress_pct=Decimal("45"),
        investment_completed_year=Decimal("7000"),
        problems="征地拆迁尚未完成",
        next_steps="协调住建局加快征迁",
        now=at(dt.date(2026, 6, 5)),
    )
    report_coop = report_submit(
        actor=w.reporter_b,
        item=w.task_coop,
        week=WEEK,
        done="出台优化营商环境十条措施",
        progress_pct=Decimal("60"),
        now=at(dt.date(2026, 6, 4)),
    )
    report_submit(
        actor=w.reporter_a,
        item=secret_a,
        week=WEEK,
        done="机房土建完成",
        problems="电力扩容审批慢",
        now=at(dt.date(2026, 6, 5)),
    )
    whistle_escalated = whistle_raise(
        actor=w.reporter_a,
        item=w.project_a,
        problem="项目红线内管线迁改需住建局配合",
        units=[w.dept_b],
        now=at(dt.date(2026, 6, 1)),
    )
    whistles_escalate(today=TODAY)
    whistle_open = whistle_raise(
        actor=w.reporter_b,
        item=w.task_coop,
        problem="街道需配合摸排企业诉求",
        units=[w.street],
        now=at(dt.date(2026, 6, 3)),
    )
    whistle_escalated.refresh_from_db()
    return Activity(
        lagging, green, secret_a, done, overdue_task, report_a, report_coop, whistle_escalated, whistle_open
    )
