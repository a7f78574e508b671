"""Generate one district-year of ledger data for benchmarks.

Default shape (``scale=1``): 40 units, 600 key projects, 2,000 key tasks, 52 weekly
progress reports per item (135,200 reports), one history line per report,
milestones, cooperating units, responsible leaders and a few hundred whistles;
then ``statuses_refresh`` through the real service.

The organisation goes through the org services (a few dozen rows). The bulk goes
in with ``bulk_create``: the benchmark measures reads, and replaying 135k reports
through ``report_submit`` would take an hour. Key projects and key tasks are
multi-table children of ``Item``, which ``bulk_create`` refuses, so their child rows
are inserted with ``executemany`` on the columns Django itself would write.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from taizhang.core.calendar import today as local_today
from taizhang.core.calendar import work_calendar
from taizhang.core.workdays import report_due_date

BENCH_CODE = "bench"
SEED = 7
TZ = timezone.get_fixed_timezone(8 * 60)
# fmt: off
EXTRA_DEPARTMENTS = [("民政局", "minzheng"), ("司法局", "sifa"), ("水利局", "shuili"), ("退役军人事务局", "tuiyi")]
CATEGORIES = ["industry", "urban", "livelihood", "infrastructure", "agriculture", "services", "ecology", "social"]
CATEGORY_WEIGHTS = [30, 18, 10, 14, 8, 10, 5, 5]
PHASES = ["preparatory", "groundbreaking", "construction", "construction", "construction", "completed", "production"]
PROJECT_WORDS = ["产业园", "生产线", "综合体", "改造工程", "提升工程", "示范区", "物流园", "基础设施配套", "智慧平台", "安置房"]
PLACES = ["秦川", "渭滨", "金台", "高家", "马营", "石鼓", "东风", "西关", "北坡", "清姜"]
TASK_VERBS = ["推进", "完成", "落实", "深化", "开展", "实施", "打造", "建设"]
TASK_OBJECTS = ["营商环境改革", "老旧小区改造", "招商引资任务", "安全生产专项整治", "背街小巷整治", "农村人居环境整治",
                "数字政府建设", "就业创业服务", "河湖长制工作", "食品安全创建", "统计入库纳统", "土地收储出让"]
DONE = ["主体施工有序推进", "召开专题推进会", "完成阶段目标", "设备安装调试", "办理施工许可", "开展督导检查", "完成管网铺设"]
PROBLEMS = ["用地指标未落实", "资金到位不足", "管线迁改协调难", "征迁户诉求未达成一致", "审批等待上级批复"]
NEXT = ["倒排工期、挂图作战", "协调相关部门加快手续办理", "增加施工作业面", "提请包抓领导专题协调"]
# fmt: on


@dataclass
class Generated:
    district_id: int
    supervisor_id: int
    reporter_id: int
    reporter_unit_id: int
    busy_unit_id: int
    sample_project_id: int
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


def _insert_children(model, objs) -> None:
    """INSERT the child-table rows of multi-table-inheritance objects whose parents exist."""
    fields = [f for f in model._meta.local_concrete_fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = [[f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] for o in objs]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 — names from _meta


def _organisation(rng: random.Random):
    from taizhang.core.demo import DEPARTMENTS, LEADERSHIP, OFFICES, STREETS, TOWNS
    from taizhang.org.models import District, Role, Unit
    from taizhang.org.services import person_create, unit_create

    d = District.objects.create(name="基准区", city="基准市", code=BENCH_CODE)
    units, order = {}, 0

    def add(name, kind, parent=None):
        nonlocal order
        order += 10
        units[name] = unit_create(district=d, name=name, kind=kind, parent=parent, sort_order=order)
        return units[name]

    for name, _py in LEADERSHIP:
        add(name, Unit.Kind.LEADERSHIP)
    for name, _py in OFFICES:
        add(name, Unit.Kind.OTHER)
    for name, _py in DEPARTMENTS + EXTRA_DEPARTMENTS:
        add(name, Unit.Kind.DEPARTMENT)
    for name, _py, communities in STREETS:
        street = add(name, Unit.Kind.STREET)
        add(communities[0], Unit.Kind.COMMUNITY, parent=street)
    for name, _py in TOWNS:
        add(name, Unit.Kind.TOWN)
    assert len(units) == 40, len(units)

    people = {}

    def person(username, role, unit=None, name=""):
        people[username] = person_create(
            username=username, password="bench-2026!", district=d, role=role, unit=unit, full_name=name or username
        )
        return people[username]

    leaders = [person(f"leader{i}", Role.LEADER, units["区政府"], f"领导{i}") for i in range(1, 7)]
    person("duchashi", Role.SUPERVISOR, units["区委办（督查室）"], "督查员")
    person("zhengyan", Role.POLICY, units["区委政研室"], "政研员")
    working = [u for u in units.values() if u.kind in (Unit.Kind.DEPARTMENT, Unit.Kind.STREET, Unit.Kind.TOWN)]
    reporters = {}
    for n, unit in enumerate(working):
        person(f"admin{n}", Role.UNIT_ADMIN, unit)
        reporters[unit.id] = person(f"tb{n}", Role.REPORTER, unit)
    return d, units, working, leaders, people, reporters


def generate(*, scale: float = 1.0, weeks: int = 52, seed: int = SEED, log=print) -> Generated:
    from taizhang.ledger.models import (
        Item,
        ItemEvent,
        KeyProject,
        KeyTask,
        Milestone,
        ProgressReport,
        Whistle,
        WhistleResponse,
    )
    from taizhang.ledger.selectors import reports_due_week
    from taizhang.ledger.services import statuses_refresh

    rng = random.Random(seed)
    today = local_today()
    year = today.year
    cal = work_calendar()
    n_projects, n_tasks = round(600 * scale), round(2000 * scale)
    last_week = reports_due_week(today)
    week_list = [last_week - dt.timedelta(days=7 * i) for i in range(weeks - 1, -1, -1)]
    due = {w: report_due_date(cal, w) for w in week_list}
    seconds, t0 = {}, time.perf_counter()

    with transaction.atomic():
        d, units, working, leaders, people, reporters = _organisation(rng)
        # A few units lead most items (as 住建局 and 发改局 do); the reporter we measure sits in the busiest.
        weights = [8 if i < 4 else 2 for i in range(len(working))]
        now = timezone.now()

        # -- items (parents by bulk_create, children by executemany)
        specs = []
        for i in range(n_projects + n_tasks):
            is_project = i < n_projects
            lead = rng.choices(working, weights)[0]
            item = Item(
                district=d,
                kind=Item.Kind.PROJECT if is_project else Item.Kind.TASK,
                year=year,
                code=f"{'XM' if is_project else 'RW'}{year}-{i + 1:04d}",
                name=(
                    f"{rng.choice(PLACES)}{rng.choice(PROJECT_WORDS)}{i + 1}号"
                    if is_project
                    else f"{rng.choice(TASK_VERBS)}{rng.choice(TASK_OBJECTS)}（{i + 1}）"
                ),
                description="主要建设内容及年度目标。",
                lead_unit=lead,
                responsible_person="责任人",
                start_date=dt.date(year, 1, 1),
                deadline=(
                    dt.date(year, 6, 30)  # a few overdue items
                    if rng.random() < 0.05
                    else dt.date(year + (rng.choice([0, 1, 1, 2]) if is_project else rng.choice([0] * 6 + [1])), 12, 31)
                ),
                created_at=now,
                updated_at=now,
            )
            # Outcome: share of plan (projects) or of the task (tasks) reached by now, relative to time progress.
            specs.append((item, rng.choices(["green", "amber", "red"], [55, 25, 20])[0]))
        Item.objects.bulk_create([s[0] for s in specs], batch_size=1000)

        projects, tasks = [], []
        for item, _outcome in specs:
            if item.kind == Item.Kind.PROJECT:
                total = Decimal(rng.randint(1000, 300000))
                prior = (total * Decimal(rng.uniform(0, 0.3))).quantize(Decimal("1"))
                plan = min(total - prior, (total * Decimal(rng.uniform(0.1, 0.45))).quantize(Decimal("1")))
                p = KeyProject(
                    item_ptr_id=item.pk,
                    category=rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0],
                    level=rng.choices(["province", "city", "district"], [10, 30, 60])[0],
                    construction_type=rng.choice(["new", "continuing"]),
                    phase=rng.choice(PHASES),
                    total_investment=total,
                    planned_investment_year=plan,
                    completed_investment_year=Decimal(0),
                    completed_investment_total=prior,
                    land_area_mu=Decimal(rng.randint(5, 800)),
                    latitude=Decimal("34.36") + Decimal(rng.uniform(-0.05, 0.05)).quantize(Decimal("0.000001")),
                    longitude=Decimal("107.14") + Decimal(rng.uniform(-0.05, 0.05)).quantize(Decimal("0.000001")),
                )
                projects.append(p)
            else:
                tasks.append(
                    KeyTask(
                        item_ptr_id=item.pk,
                        source_title=rng.choice(["区委经济工作会议", f"{year}年区政府工作报告"]),
                        source_date=dt.date(year, 1, 20),
                        source_quote="全年目标任务。",
                    )
                )
        _insert_children(KeyProject, projects)
        _insert_children(KeyTask, tasks)
        project_of = {p.item_ptr_id: p for p in projects}

        coop_rows, leader_rows, milestones = [], [], []
        Coop, Lead = Item.cooperating_units.through, Item.leaders.through
        for item, outcome in specs:
            for u in rng.sample(working, rng.randint(0, 3)):
                if u.id != item.lead_unit_id:
                    coop_rows.append(Coop(item_id=item.pk, unit_id=u.id))
            leader_rows.append(Lead(item_id=item.pk, person_id=rng.choice(leaders).id))
            for k, (m, dd) in enumerate([(3, 31), (6, 30), (9, 30), (12, 31)]):
                planned = dt.date(year, m, dd)
                met = planned < today and not (outcome == "red" and k == 2)
                milestones.append(
                    Milestone(
                        item_id=item.pk,
                        name=["完成前期手续", "开工建设", "主体完工", "完成年度目标"][k],
                        planned_date=planned,
                        actual_date=planned - dt.timedelta(days=rng.randint(0, 10)) if met else None,
                    )
                )
        Coop.objects.bulk_create(coop_rows, batch_size=5000)
        Lead.objects.bulk_create(leader_rows, batch_size=5000)
        Milestone.objects.bulk_create(milestones, batch_size=5000)
        seconds["items"] = time.perf_counter() - t0

        # -- weekly reports and their history lines, a few hundred items at a time
        t1 = time.perf_counter()
        tp_end = Decimal(max(1, (last_week - dt.date(year, 1, 1)).days + 5)) * 100 / 365
        n_reports = 0
        item_updates, project_updates = [], []
        chunk = 200
        for start in range(0, len(specs), chunk):
            reports, events = [], []
            for item, outcome in specs[start : start + chunk]:
                # Tasks turn amber only beyond 10 points behind their window (ledger.status).
                lag = {"green": (-10, -1), "amber": (2, 9) if project_of.get(item.pk) else (12, 25), "red": (12, 35)}
                low, high = lag[outcome]
                final = min(Decimal(100), tp_end - Decimal(rng.uniform(low, high)))
                silent = rng.random() < 0.06
                author = reporters[item.lead_unit_id]
                project = project_of.get(item.pk)
                value, pct, last_at = Decimal(0), Decimal(0), None
                events.append(ItemEvent(item_id=item.pk, actor=people["zhengyan"], kind="created", summary=item.name))
                for idx, week in enumerate(week_list):
                    if silent and idx >= len(week_list) - 2:
                        continue
                    elapsed = Decimal(max(0, (week - dt.date(year, 1, 1)).days + 5)) * 100 / 365
                    share = min(Decimal(1), elapsed / tp_end) if week.year == year else Decimal(0)
                    pct = max(pct, (final * share).quantize(Decimal("0.1")))
                    late = rng.random() < 0.08
                    day = cal.add_workdays(due[week], 1) if late else due[week]
                    submitted = dt.datetime(
                        day.year, day.month, day.day, rng.randint(9, 17), rng.randint(0, 59), tzinfo=TZ
                    )
                    inv = None
                    if project is not None:
                        value = max(value, (project.planned_investment_year * pct / 100).quantize(Decimal("1")))
                        inv = value
                    problems = rng.choice(PROBLEMS) if rng.random() < 0.25 else ""
                    done = f"{rng.choice(DONE)}；{rng.choice(DONE)}。"
                    reports.append(
                        ProgressReport(
                            item_id=item.pk,
                            week_start=week,
                            unit_id=item.lead_unit_id,
                            author=author,
                            done=done,
                            progress_pct=pct,
                            investment_completed_year=inv,
                            problems=problems,
                            next_steps=rng.choice(NEXT),
                            submitted_at=submitted,
                            is_late=late,
                        )
                    )
                    events.append(
                        ItemEvent(item_id=item.pk, actor=author, kind="reported", summary=f"{week.isoformat()}：{done}")
                    )
                    last_at = submitted
                item.progress_pct, item.last_report_at = min(pct, Decimal(100)), last_at
                item_updates.append(item)
                if project is not None:
                    project.completed_investment_year = value
                    project.completed_investment_total = min(
                        project.total_investment, project.completed_investment_total + value
                    )
                    project_updates.append(project)
            ProgressReport.objects.bulk_create(reports, batch_size=5000)
            ItemEvent.objects.bulk_create(events, batch_size=5000)
            n_reports += len(reports)
        Item.objects.bulk_update(item_updates, ["progress_pct", "last_report_at"], batch_size=1000)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {KeyProject._meta.db_table} SET completed_investment_year = %s, completed_investment_total = %s "  # noqa: S608
                "WHERE item_ptr_id = %s",
                [
                    (str(p.completed_investment_year), str(p.completed_investment_total), p.item_ptr_id)
                    for p in project_updates
                ],
            )
        seconds["reports"] = time.perf_counter() - t1

        # -- whistles: resolved, answered, open, escalated
        t2 = time.perf_counter()
        whistles, responses = [], []
        sample = rng.sample([s[0] for s in specs], min(len(specs), round(300 * scale) or 1))
        for item in sample:
            raised_on = today - dt.timedelta(days=rng.randint(1, 200))
            state = rng.choices(["closed", "answered", "open"], [50, 20, 30])[0]
            raised_at = dt.datetime(raised_on.year, raised_on.month, raised_on.day, 10, tzinfo=TZ)
            respond_by = cal.add_workdays(raised_on, 3)
            whistles.append(
                Whistle(
                    item_id=item.pk,
                    raised_by=reporters[item.lead_unit_id],
                    raised_by_unit_id=item.lead_unit_id,
                    problem=rng.choice(PROBLEMS),
                    raised_at=raised_at,
                    respond_by=respond_by,
                    state=state,
                    escalated_at=raised_at + dt.timedelta(days=7) if state == "open" and respond_by < today else None,
                    closed_at=raised_at + dt.timedelta(days=10) if state == "closed" else None,
                    resolution="已协调解决。" if state == "closed" else "",
                )
            )
        Whistle.objects.bulk_create(whistles, batch_size=1000)
        for w in whistles:
            for u in rng.sample([u for u in working if u.id != w.raised_by_unit_id], 2):
                answered = w.state != "open" or rng.random() < 0.5
                responses.append(
                    WhistleResponse(
                        whistle=w,
                        unit=u,
                        response="已对接处理。" if answered else "",
                        responded_at=w.raised_at + dt.timedelta(days=1) if answered else None,
                        responder=reporters[u.id] if answered else None,
                    )
                )
        WhistleResponse.objects.bulk_create(responses, batch_size=5000)
        seconds["whistles"] = time.perf_counter() - t2

    # -- statuses through the real service
    t3 = time.perf_counter()
    statuses_refresh(district_id=d.id, today=today)
    seconds["statuses"] = time.perf_counter() - t3

    busiest = max(working[:4], key=lambda u: Item.objects.filter(lead_unit=u).count())
    reporter = reporters[busiest.id]
    sample_project = (
        KeyProject.objects.filter(district=d, lead_unit=busiest).order_by("code").values_list("pk", flat=True).first()
    )
    counts = {
        "units": len(units),
        "people": len(people),
        "projects": len(projects),
        "tasks": len(tasks),
        "reports": n_reports,
        "history": ItemEvent.objects.filter(item__district=d).count(),
        "milestones": len(milestones),
        "whistles": len(whistles),
    }
    seconds["total"] = time.perf_counter() - t0
    log(f"generated {counts} in {seconds['total']:.1f} s")
    return Generated(
        district_id=d.id,
        supervisor_id=people["duchashi"].id,
        reporter_id=reporter.id,
        reporter_unit_id=busiest.id,
        busy_unit_id=working[1].id,
        sample_project_id=sample_project,
        counts=counts,
        seconds=seconds,
    )
