"""Builders for tests and benchmarks: a small district with named people.

Plain functions over the real services (no mocks), so tests exercise the same
write paths as the product.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter, deque
from dataclasses import dataclass
from decimal import Decimal

from taizhang.org.models import District, Person, Role, Unit
from taizhang.org.services import person_create, unit_create

_seq = itertools.count(1)
PASSWORD = "Taizhang#2026"  # noqa: S105 - test-only fixture password


def make_district(name: str | None = None) -> District:
    n = next(_seq)
    return District.objects.create(name=name or f"测试区{n}", code=f"d{n}", city="测试市")


def make_unit(district: District, name: str | None = None, kind: str = Unit.Kind.DEPARTMENT, parent=None) -> Unit:
    return unit_create(district=district, name=name or f"单位{next(_seq)}", kind=kind, parent=parent)


def make_person(district: District, role: str, unit: Unit | None = None, name: str | None = None, **kw) -> Person:
    n = next(_seq)
    return person_create(
        username=f"u{n}",
        password=PASSWORD,
        district=district,
        role=role,
        unit=unit,
        full_name=name or f"用户{n}",
        **kw,
    )


def make_project(
    district: District, lead_unit: Unit, *, actor=None, cooperating=(), leaders=(), milestones=(), **values
):
    from taizhang.ledger.models import Item
    from taizhang.ledger.services import item_create

    defaults = {
        "year": 2026,
        "name": f"重点项目{next(_seq)}",
        "lead_unit": lead_unit,
        "category": "industry",
        "level": "district",
        "construction_type": "new",
        "phase": "construction",
        "total_investment": Decimal("50000"),
        "planned_investment_year": Decimal("12000"),
        "completed_investment_year": Decimal("6000"),
        "completed_investment_total": Decimal("6000"),
        "start_date": dt.date(2026, 3, 1),
        "deadline": dt.date(2027, 12, 31),
    }
    defaults.update(values)
    return item_create(
        actor=actor,
        kind=Item.Kind.PROJECT,
        district=district,
        values=defaults,
        cooperating_units=list(cooperating),
        leaders=list(leaders),
        milestones=list(milestones),
    )


def make_task(district: District, lead_unit: Unit, *, actor=None, cooperating=(), leaders=(), milestones=(), **values):
    from taizhang.ledger.models import Item
    from taizhang.ledger.services import item_create

    defaults = {
        "year": 2026,
        "name": f"重点任务{next(_seq)}",
        "lead_unit": lead_unit,
        "deadline": dt.date(2026, 12, 31),
        "source_title": "区委经济工作会议",
    }
    defaults.update(values)
    return item_create(
        actor=actor,
        kind=Item.Kind.TASK,
        district=district,
        values=defaults,
        cooperating_units=list(cooperating),
        leaders=list(leaders),
        milestones=list(milestones),
    )


@dataclass
class World:
    """Two districts; in the first, two departments and a street, and one person per role."""

    district: District
    other_district: District
    dept_a: Unit
    dept_b: Unit
    street: Unit
    community: Unit
    leader: Person
    supervisor: Person
    policy: Person
    admin_a: Person
    reporter_a: Person
    viewer_a: Person
    reporter_b: Person
    street_admin: Person
    outsider: Person
    project_a: object  # led by dept_a
    project_b: object  # led by dept_b, dept_a not involved
    task_coop: object  # led by dept_b with dept_a cooperating
    foreign_project: object  # in the other district


def build_world() -> World:
    d = make_district("秦川区")
    other = make_district("渭水区")
    dept_a = make_unit(d, "发改局")
    dept_b = make_unit(d, "住建局")
    street = make_unit(d, "金台街道", kind=Unit.Kind.STREET)
    community = make_unit(d, "金台社区", kind=Unit.Kind.COMMUNITY, parent=street)
    leader = make_person(d, Role.LEADER, name="王区长", title="区长")
    supervisor = make_person(d, Role.SUPERVISOR, unit=None, name="督查员")
    policy = make_person(d, Role.POLICY, name="政研员")
    admin_a = make_person(d, Role.UNIT_ADMIN, dept_a, name="发改管理员")
    reporter_a = make_person(d, Role.REPORTER, dept_a, name="发改填报员")
    viewer_a = make_person(d, Role.VIEWER, dept_a, name="发改查看员")
    reporter_b = make_person(d, Role.REPORTER, dept_b, name="住建填报员")
    street_admin = make_person(d, Role.UNIT_ADMIN, street, name="街道管理员")
    other_unit = make_unit(other, "发改局")
    outsider = make_person(other, Role.SUPERVISOR, name="外区督查")
    project_a = make_project(d, dept_a, leaders=[leader], name="智能装备产业园")
    project_b = make_project(d, dept_b, name="老旧小区改造")
    task_coop = make_task(d, dept_b, cooperating=[dept_a], name="优化营商环境")
    foreign = make_project(other, other_unit, name="外区项目")
    return World(
        d,
        other,
        dept_a,
        dept_b,
        street,
        community,
        leader,
        supervisor,
        policy,
        admin_a,
        reporter_a,
        viewer_a,
        reporter_b,
        street_admin,
        outsider,
        project_a,
        project_b,
        task_coop,
        foreign,
    )


# --------------------------------------------------------------------------- links

NOT_PAGES = ("/static/", "/i18n/", "/logout/", "/admin/", "/api/", "/media/")
DOWNLOADS = (".xlsx", ".docx", ".json", ".geojson")


def broken_links(person: Person, *, start: str = "/", per_pattern: int = 2, max_pages: int = 120) -> list[str]:
    """Follow the links ``person`` is shown, from ``start``, and list those that answer an
    error ("url → status (linked from page)"). Pages differing only in ids count as one
    pattern, of which ``per_pattern`` are visited."""
    from django.test import Client

    client = Client()
    client.force_login(person)
    queue, seen, visits, broken = deque([(start, "(start)")]), set(), Counter(), []
    while queue and len(seen) < max_pages:
        url, came_from = queue.popleft()
        pattern = re.sub(r"\d+", "N", url)
        if url in seen or visits[pattern] >= per_pattern:
            continue
        seen.add(url)
        visits[pattern] += 1
        response = client.get(url, follow=True)
        if response.status_code != 200:
            broken.append(f"{url} → {response.status_code} (linked from {came_from})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="(/[^"#?]*)', response.content.decode()):
            if not href.startswith(NOT_PAGES) and not href.endswith(DOWNLOADS) and href not in seen:
                queue.append((href, url))
    assert len(seen) > 5, "the crawl found almost nothing to follow"
    return broken
