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


def _crawl(client, start: str, per_pattern: int, max_pages: int):
    """Yield (url, response, came_from) for the pages reachable by links from ``start``;
    pages differing only in ids count as one pattern, of which ``per_pattern`` are visited."""
    queue, seen, visits = deque([(start, "(start)")]), set(), Counter()
    while queue and len(seen) < max_pages:
        url, came_from = queue.popleft()
        pattern = re.sub(r"\d+", "N", url)
        if url in seen or visits[pattern] >= per_pattern:
            continue
        seen.add(url)
        visits[pattern] += 1
        response = client.get(url, follow=True)
        yield url, response, came_from
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"#?]*)', response.content.decode()):
                if not href.startswith(NOT_PAGES) and not href.endswith(DOWNLOADS) and href not in seen:
                    queue.append((href, url))
    assert len(seen) > 5, "the crawl found almost nothing to follow"


def broken_links(person: Person, *, start: str = "/", per_pattern: int = 2, max_pages: int = 120) -> list[str]:
    """Follow the links ``person`` is shown, from ``start``, and list those that answer an
    error: "url → status (linked from page)"."""
    from django.test import Client

    client = Client()
    client.force_login(person)
    return [
        f"{url} → {response.status_code} (linked from {came_from})"
        for url, response, came_from in _crawl(client, start, per_pattern, max_pages)
        if response.status_code != 200
    ]


JUNK = ("", "abc", "-1", "99999999999999999999999", "2026-02-30", "1e309", "<b>'\"" * 400)


def forms_that_crash(person: Person, *, start: str = "/", max_pages: int = 80) -> list[str]:
    """Post every form ``person`` is shown (one per action pattern) with each value of
    ``JUNK`` in every field, keeping hidden fields (CSRF token, version) and the button's
    value; list the posts answered with a server error: "action ← value"."""
    import html

    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(person)
    posted, crashed = set(), []
    pages = [(url, r.content.decode()) for url, r, _ in _crawl(client, start, 1, max_pages) if _is_page(r)]
    for url, page in pages:
        for form in re.finditer(r'<form[^>]*method="post"[^>]*>(.*?)</form>', page, re.S | re.I):
            tag = form.group(0)[: form.group(0).index(">") + 1]
            action = re.search(r'action="([^"]*)"', tag)
            action = html.unescape(action.group(1)) if action and action.group(1) else url
            pattern = re.sub(r"\d+", "N", action)
            if not action.startswith("/") or action.startswith(NOT_PAGES) or pattern in posted:
                continue
            posted.add(pattern)
            body, fixed = form.group(1), {}
            for field in re.finditer(r"<input[^>]*>", body):
                name, value = (
                    re.search(r'name="([^"]+)"', field.group(0)),
                    re.search(r'value="([^"]*)"', field.group(0)),
                )
                if name and 'type="hidden"' in field.group(0):
                    fixed[name.group(1)] = html.unescape(value.group(1)) if value else ""
            for button in re.finditer(r'<button[^>]*name="([^"]+)"[^>]*value="([^"]*)"', body):
                fixed.setdefault(button.group(1), button.group(2))
            names = set(re.findall(r'<(?:input|textarea|select)[^>]*name="([^"]+)"', body)) - set(fixed)
            for junk in JUNK:
                if client.post(action, {**fixed, **dict.fromkeys(names, junk)}).status_code >= 500:
                    crashed.append(f"{action} ← {junk[:20]!r}")
    return crashed


def _is_page(response) -> bool:
    return response.status_code == 200 and "text/html" in response.get("Content-Type", "")
