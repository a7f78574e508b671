"""Generate a district's year of grid cases (网格化管理) for the grid benchmark.

Default shape: 6 streets × 3 communities × 10 cells (180 grid cells, one grid worker
each), 9 handling departments, a two-level incident catalogue after GB/T 30428
(7 classes, 32 types, each routed to a department) and ``n`` cases (default
1,000,000) over the last 365 days, with what a real centre sees:

* volume follows the working week and the working day (fewer cases at weekends
  and at night);
* the type mix is skewed (占道经营 and 暴露垃圾 dominate, 井盖 and 路灯 follow);
* the state depends on age: almost everything older than two weeks is closed
  (about 2.5 % not accepted, 1.5 % merged, 0.3 % stuck open long overdue), the last
  days hold the live work — about 15,000 open cases at the centre and at departments;
* every dispatched case has one lead assignment with its handling clock (about 5 %
  are joint dispatches with a second department), an ``on_time`` flag once handled,
  and closed cases carry a satisfaction score.

The organisation goes through the org services (a few hundred rows); cells,
catalogue and routing through the ORM; cases and assignments with PostgreSQL
``COPY`` (SQLite, for a smoke run: ``bulk_create``). Deadlines come from the real
clocks (``taizhang.grid.clocks.deadline`` on the district calendar), memoised on
the start time rounded to half an hour; each case's running clock (``clock_due``,
``clock_amber_at``) is filled as the services would keep it. After the load the
statistics rollup (``grid.rollup.rollup_rebuild``: one GROUP BY per kind of row) is
computed. Case history (``CaseEvent``) is not generated: neither the board nor the
statistics read it.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
import time
from dataclasses import dataclass, field

BENCH_CODE = "gridbench"
SEED = 11
PASSWORD = "bench-2026!"

# fmt: off
DEPARTMENTS = ["城管局", "住建局", "市政设施管理中心", "水务局", "交通运输局", "生态环境分局", "园林绿化中心", "市场监管局", "应急管理局"]
STREETS = [
    ("金台街道", ["金台社区", "北坡社区", "陈仓社区"]),
    ("渭滨街道", ["渭滨社区", "清姜社区", "神农社区"]),
    ("东风路街道", ["东风路社区", "火车站社区", "新华社区"]),
    ("西关街道", ["西关社区", "仓颉社区", "十里铺社区"]),
    ("桥南街道", ["桥南社区", "红旗社区", "英达社区"]),
    ("高新街道", ["高新社区", "马营社区", "石坝河社区"]),
]
CELLS_PER_COMMUNITY = 10
ROADS = "人民路 解放路 渭滨路 宝光路 清姜路 经二路 高新大道 英达路 石鼓路 公园路 西关街 火炬路 红旗路 新华路 东风路 滨河路".split()
ESTATES = "锦绣苑 金台花园 渭水家园 清姜小区 铁路新村 阳光城 枫叶小区 长寿沟小区 引渭路小区 龙湾小区 馨园 丽景苑".split()
PLACES = ["门口", "北侧", "南门", "东侧人行道", "西侧", "附近", "对面", "路段", "3号楼下", "菜市场旁", "公交站旁", "学校门口"]
TAILS = ["", "", "", "，请尽快处理", "，群众反映强烈", "，已持续多日", "，存在安全隐患", "，影响居民出行", "，多次反映未解决"]

# GB/T 30428-style catalogue: (class code, class name, [(type code, type name, department, weight,
#   dispatch limit, dispatch unit, handle limit, handle unit, [problem phrases])])
CATALOGUE = [
    ("01", "市容环境", [
        ("0101", "暴露垃圾", "城管局", 90, 2, "hours", 1, "days", ["暴露垃圾未清运", "垃圾桶满溢", "垃圾堆放发臭"]),
        ("0102", "积存垃圾渣土", "城管局", 30, 2, "hours", 2, "days", ["建筑垃圾乱倒", "渣土堆积未清理"]),
        ("0103", "道路不洁", "城管局", 40, 2, "hours", 1, "days", ["路面油污", "道路有大量垃圾杂物"]),
        ("0104", "焚烧垃圾", "生态环境分局", 15, 1, "hours", 1, "days", ["露天焚烧垃圾", "焚烧树叶浓烟"]),
        ("0105", "河道漂浮物", "水务局", 10, 2, "hours", 3, "days", ["河道漂浮物发臭", "河面大量垃圾"]),
    ]),
    ("02", "宣传广告", [
        ("0201", "违规户外广告", "城管局", 25, 2, "hours", 3, "days", ["违规设置户外广告牌", "广告牌破损悬挂"]),
        ("0202", "非法小广告", "城管局", 35, 2, "hours", 2, "days", ["墙面张贴小广告", "电线杆小广告"]),
    ]),
    ("03", "施工管理", [
        ("0301", "施工扬尘", "住建局", 25, 2, "hours", 1, "days", ["工地扬尘未覆盖", "施工车辆带泥上路"]),
        ("0302", "夜间施工", "生态环境分局", 20, 1, "hours", 1, "days", ["夜间施工噪音扰民", "深夜施工机械轰鸣"]),
        ("0303", "围挡破损", "住建局", 12, 2, "hours", 2, "days", ["在建工地围挡倒塌", "工地围挡破损"]),
        ("0304", "违法建设", "城管局", 20, 2, "hours", 5, "days", ["私搭乱建彩钢棚", "楼顶违建加盖"]),
    ]),
    ("04", "街面秩序", [
        ("0401", "占道经营", "城管局", 110, 1, "hours", 1, "days", ["占道经营", "流动摊贩占道", "夜市摊点占道"]),
        ("0402", "店外经营", "城管局", 60, 1, "hours", 1, "days", ["门店出店经营", "商铺占用人行道摆放商品"]),
        ("0403", "乱堆物料", "城管局", 40, 2, "hours", 2, "days", ["乱堆乱放杂物", "楼道堆放杂物"]),
        ("0404", "机动车乱停", "交通运输局", 45, 1, "hours", 1, "days", ["机动车乱停乱放堵塞通道", "车辆占用盲道停放"]),
        ("0405", "餐饮油烟", "生态环境分局", 20, 2, "hours", 3, "days", ["餐馆油烟直排", "烧烤油烟扰民"]),
        ("0406", "无照经营", "市场监管局", 15, 2, "hours", 5, "days", ["无照经营门店", "流动商贩无证售卖食品"]),
    ]),
    ("05", "公用设施", [
        ("0501", "井盖", "市政设施管理中心", 55, 1, "hours", 1, "days", ["井盖缺失", "井盖破损松动", "井盖下沉"]),
        ("0502", "路灯", "市政设施管理中心", 40, 2, "hours", 2, "days", ["路灯不亮", "路灯杆倾斜", "路灯白天长亮"]),
        ("0503", "道路破损", "市政设施管理中心", 45, 2, "hours", 5, "days", ["道路坑洼破损", "路面塌陷", "人行道砖松动"]),
        ("0504", "护栏", "市政设施管理中心", 15, 2, "hours", 3, "days", ["护栏损坏", "隔离护栏倒伏"]),
        ("0505", "供水管网", "水务局", 20, 1, "hours", 1, "days", ["供水管道破裂漏水", "小区停水", "消防栓漏水"]),
        ("0506", "排水设施", "水务局", 35, 1, "hours", 2, "days", ["雨水管道堵塞污水外溢", "下水道堵塞返水", "污水井冒水"]),
        ("0507", "积水", "水务局", 15, 1, "hours", 1, "days", ["低洼处积水严重", "路面积水", "门口积水"]),
    ]),
    ("06", "交通设施", [
        ("0601", "信号灯", "交通运输局", 15, 1, "hours", 1, "days", ["信号灯故障", "红绿灯不亮"]),
        ("0602", "交通标志", "交通运输局", 12, 2, "hours", 3, "days", ["交通标志牌倒伏", "斑马线标线模糊"]),
        ("0603", "公交站亭", "交通运输局", 8, 2, "hours", 3, "days", ["公交站牌损坏", "候车亭玻璃破碎"]),
    ]),
    ("07", "园林绿化", [
        ("0701", "树木倒伏", "园林绿化中心", 15, 1, "hours", 1, "days", ["行道树倒伏", "大风刮断树枝"]),
        ("0702", "绿地破坏", "园林绿化中心", 15, 2, "hours", 3, "days", ["绿化带毁绿种菜", "草坪被踩踏破坏"]),
        ("0703", "树木修剪", "园林绿化中心", 12, 2, "hours", 5, "days", ["树枝遮挡路灯", "树枝遮挡交通标志"]),
        ("0704", "安全隐患", "应急管理局", 10, 1, "hours", 1, "days", ["楼道电动车充电隐患", "燃气管道异味"]),
    ]),
]
# fmt: on
SOURCE_WEIGHTS = [("grid", 70), ("citizen", 12), ("open311", 10), ("centre", 8)]
MISROUTED = 0.06  # cases a dispatcher sent to another department than the catalogue's (dispatch history is messy)


@dataclass
class GridWorld:
    district_id: int
    dispatcher_id: int
    department_ids: dict[str, int]
    category_ids: list[int]
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


def case_text(rng: random.Random, problem: str) -> tuple[str, str]:
    """(address, description) as a grid worker types them."""
    roll = rng.random()
    if roll < 0.45:
        where = f"{rng.choice(ROADS)}与{rng.choice(ROADS)}交叉口"
    elif roll < 0.75:
        where = f"{rng.choice(ESTATES)}{rng.choice(PLACES)}"
    else:
        where = f"{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.choice(PLACES)}"
    return where, f"{where}{problem}{rng.choice(TAILS)}"


def dispatch_history(n: int, *, seed: int = SEED) -> tuple[list[str], list[str]]:
    """``n`` (text, department) pairs drawn like the generated cases: the classifier benchmark's corpus."""
    rng = random.Random(seed)
    types = [t for _c, _n, ts in CATALOGUE for t in ts]
    weights = [t[3] for t in types]
    texts, labels = [], []
    for _ in range(n):
        t = rng.choices(types, weights)[0]
        texts.append(case_text(rng, rng.choice(t[8]))[1])
        labels.append(rng.choice(DEPARTMENTS) if rng.random() < MISROUTED else t[2])
    return texts, labels


# --------------------------------------------------------------------------- organisation


def _organisation(log) -> tuple:
    from taizhang.grid import geo
    from taizhang.grid.models import Category, GridCell, GridMember, RoutingRule
    from taizhang.org.models import District, Role, Unit
    from taizhang.org.services import person_create, unit_create

    d = District.objects.create(name="网格基准区", city="基准市", code=BENCH_CODE)
    order = 0

    def unit(name, kind, parent=None):
        nonlocal order
        order += 10
        return unit_create(district=d, name=name, kind=kind, parent=parent, sort_order=order)

    centre = unit("区城市运行指挥中心", Unit.Kind.OTHER)
    departments = {name: unit(name, Unit.Kind.DEPARTMENT) for name in DEPARTMENTS}
    dispatcher = person_create(
        username="zhihui", password=PASSWORD, district=d, role=Role.DISPATCHER, unit=centre, full_name="调度员"
    )
    for i, dept in enumerate(departments.values()):
        person_create(username=f"dept{i}", password=PASSWORD, district=d, role=Role.REPORTER, unit=dept)

    # Cells: a 18 × 10 lattice of 500 m squares around 34.36N 107.14E.
    cells, n = [], 0
    lat0, lng0, step = 34.30, 107.05, 0.0045
    for s, (street_name, communities) in enumerate(STREETS):
        street = unit(street_name, Unit.Kind.STREET)
        for c, community_name in enumerate(communities):
            community = unit(community_name, Unit.Kind.COMMUNITY, parent=street)
            row = s * len(communities) + c
            for k in range(CELLS_PER_COMMUNITY):
                lat, lng = lat0 + row * step, lng0 + k * step
                ring = [[lng, lat], [lng + step, lat], [lng + step, lat + step], [lng, lat + step], [lng, lat]]
                geometry = {"type": "Polygon", "coordinates": [ring]}
                min_lat, max_lat, min_lng, max_lng = geo.bbox(geometry)
                n += 1
                cells.append(
                    GridCell(
                        district=d,
                        street=street,
                        community=community,
                        code=f"{s + 1:02d}{c + 1:02d}{k + 1:02d}",
                        name=f"{community_name}第{k + 1}网格",
                        geometry=geometry,
                        min_lat=min_lat,
                        max_lat=max_lat,
                        min_lng=min_lng,
                        max_lng=max_lng,
                    )
                )
    GridCell.objects.bulk_create(cells)
    cells = list(GridCell.objects.filter(district=d).order_by("code"))
    workers = []
    for i, cell in enumerate(cells):
        worker = person_create(
            username=f"wgy{i:03d}",
            password=PASSWORD,
            district=d,
            role=Role.GRID_WORKER,
            unit=None,
            full_name=f"网格员{i}",
        )
        workers.append(worker)
        GridMember.objects.create(cell=cell, person=worker)

    leaves = []
    for class_code, class_name, types in CATALOGUE:
        parent = Category.objects.create(district=d, code=class_code, name=class_name)
        for code, name, dept, weight, dl, du, hl, hu, problems in types:
            cat = Category.objects.create(
                district=d,
                parent=parent,
                code=code,
                name=name,
                dispatch_limit=dl,
                dispatch_unit=du,
                handle_limit=hl,
                handle_unit=hu,
            )
            RoutingRule.objects.create(district=d, category=cat, unit=departments[dept])
            leaves.append((cat, departments[dept], weight, problems))
    log(f"  organisation: {len(departments)} departments, {len(cells)} cells, {len(leaves)} incident types")
    return d, dispatcher, departments, cells, workers, leaves


# --------------------------------------------------------------------------- cases


def _state_for(rng: random.Random, age_days: float) -> str:
    if age_days < 0.1:
        return rng.choices(["reported", "registered", "dispatched", "handling"], [25, 15, 40, 20])[0]
    if age_days < 3:
        return rng.choices(
            ["registered", "returned", "dispatched", "handling", "handled", "rework", "closed", "rejected"],
            [1, 2, 12, 40, 20, 3, 20, 2],
        )[0]
    if age_days < 14:
        return rng.choices(["handling", "handled", "rework", "closed", "rejected", "merged"], [9, 8, 1, 78, 2.5, 1.5])[
            0
        ]
    return rng.choices(["handling", "closed", "rejected", "merged"], [0.3, 95.7, 2.5, 1.5])[0]


def generate(*, n: int = 1_000_000, seed: int = SEED, log=print) -> GridWorld:
    """Create the bench district and ``n`` cases; returns ids the benchmark needs."""
    from django.db import connection, transaction
    from django.utils import timezone

    from taizhang.core.calendar import work_calendar
    from taizhang.grid import clocks, rollup
    from taizhang.grid.models import Case, CaseAssignment

    rng = random.Random(seed)
    cal = work_calendar()
    tz = clocks.TZ
    now = timezone.now().astimezone(tz)
    seconds, t0 = {}, time.perf_counter()

    @functools.lru_cache(maxsize=400_000)
    def clock(start_slot: int, amount: int, unit: str) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.fromtimestamp(start_slot * 1800, tz)
        d = clocks.deadline(cal, start, amount, unit)
        return d.due, d.amber

    def deadline(start: dt.datetime, amount: int, unit: str):
        return clock(int(start.timestamp()) // 1800, amount, unit)

    with transaction.atomic():
        d, dispatcher, departments, cells, workers, leaves = _organisation(log)
        dept_list = list(departments.values())
        seconds["organisation"] = round(time.perf_counter() - t0, 1)

        # Arrival times: a weekday/weekend and hour-of-day profile over 365 days.
        hour_w = [1, 0.5, 0.3, 0.3, 0.4, 1, 3, 6, 9, 10, 10, 9, 6, 7, 9, 9, 8, 7, 5, 4, 3, 2, 1.5, 1]
        days = [(now - dt.timedelta(days=i)).date() for i in range(365)]
        # Cumulative weights: ``choices`` would otherwise re-add 365 weights per case.
        day_cw = list(itertools.accumulate(1.0 if cal.is_workday(day) else 0.6 for day in days))
        hour_cw = list(itertools.accumulate(hour_w))
        leaf_cw = list(itertools.accumulate(leaf[2] for leaf in leaves))
        sources = [s for s, _w in SOURCE_WEIGHTS]
        source_cw = list(itertools.accumulate(w for _s, w in SOURCE_WEIGHTS))
        worker_of = {cell.id: worker.id for cell, worker in zip(cells, workers, strict=True)}

        case_cols = [
            "district_id", "source", "category_id", "description", "address", "lat", "lng", "urgency", "cell_id",
            "street_id", "reporter_id", "contact_name", "contact_phone", "tracking_code", "idempotency_key", "state",
            "version", "created_at", "updated_at", "dispatch_due", "dispatch_amber_at", "dispatched_at", "handled_at",
            "closed_at", "verified_by_id", "satisfaction", "return_count", "rework_count", "reopen_count",
            "possible_duplicate_of_id", "merged_into_id", "clock_due", "clock_amber_at",
        ]  # fmt: skip
        assign_cols = [
            "case_id", "unit_id", "is_lead", "state", "assigned_at", "due_at", "amber_at", "handled_at",
            "handled_by_id", "on_time", "result", "return_reason", "escalated_at",
        ]  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM grid_case")
            next_id = cursor.fetchone()[0] + 1
        rebuild = _bulk_load_mode([Case, CaseAssignment])

        case_rows, assign_rows = [], []
        states: dict[str, int] = {}
        for i in range(n):
            case_id = next_id + i
            day = rng.choices(days, cum_weights=day_cw)[0]
            created = dt.datetime.combine(day, dt.time(), tzinfo=tz) + dt.timedelta(
                hours=rng.choices(range(24), cum_weights=hour_cw)[0], seconds=rng.randrange(3600)
            )
            if created > now:
                created = now - dt.timedelta(seconds=rng.randrange(1, 7200))
            age = (now - created).total_seconds() / 86400
            cat, dept, _w, problems = rng.choices(leaves, cum_weights=leaf_cw)[0]
            cell = rng.choice(cells)
            address, text = case_text(rng, rng.choice(problems))
            source = rng.choices(sources, cum_weights=source_cw)[0]
            reporter_id = worker_of[cell.id] if source == "grid" else None
            state = _state_for(rng, age)
            states[state] = states.get(state, 0) + 1
            urgency = "urgent" if rng.random() < 0.04 else ("critical" if rng.random() < 0.005 else "normal")

            dispatch_due = dispatch_amber = dispatched = handled = closed = None
            verified_by = satisfaction = None
            if state in ("reported", "registered", "returned"):
                dispatch_due, dispatch_amber = deadline(created, cat.dispatch_limit, cat.dispatch_unit)
            updated = created
            if state not in ("reported", "registered", "rejected"):
                dispatched = created + dt.timedelta(minutes=rng.uniform(5, 200))
                if dispatched > now:
                    dispatched = now
                updated = dispatched
            if state in ("handled", "closed") or (state == "merged" and dispatched):
                due, _amber = deadline(dispatched, cat.handle_limit, cat.handle_unit)
                span = (due - dispatched).total_seconds()
                handled = dispatched + dt.timedelta(seconds=span * rng.lognormvariate(-0.9, 0.7))
                if handled > now:
                    handled = now - dt.timedelta(seconds=rng.randrange(60, 3600))
                    handled = max(handled, dispatched)
                updated = handled
            if state == "closed":
                closed = handled + dt.timedelta(hours=rng.uniform(0.5, 30))
                if closed > now:
                    closed = now
                verified_by = dispatcher.id
                satisfaction = rng.choices([5, 4, 3, 2, 1, None], [55, 25, 8, 3, 2, 7])[0]
                updated = closed
            if state == "rejected":
                closed = created + dt.timedelta(minutes=rng.uniform(5, 120))
                updated = min(closed, now)
                closed = updated
            lead = dept if rng.random() > MISROUTED else rng.choice(dept_list)
            # The running clock (``Case.clock_due``): dispatch at the centre, handling at a department.
            clock_due, clock_amber = dispatch_due, dispatch_amber
            if state in ("dispatched", "handling", "rework"):
                clock_due, clock_amber = deadline(dispatched, cat.handle_limit, cat.handle_unit)
            case_rows.append(
                (
                    d.id, source, cat.id, text, address,
                    cell.min_lat + rng.random() * (cell.max_lat - cell.min_lat),
                    cell.min_lng + rng.random() * (cell.max_lng - cell.min_lng),
                    urgency, cell.id, cell.street_id, reporter_id,
                    "市民" if source == "citizen" else "", "1390917" + f"{rng.randrange(10000):04d}" if source == "citizen" else "",
                    f"B{case_id:011d}", None, state, 1, created, updated, dispatch_due, dispatch_amber, dispatched,
                    handled, closed, verified_by, satisfaction,
                    1 if state == "returned" else 0, 1 if state == "rework" else 0, 0, None, None,
                    clock_due, clock_amber,
                )
            )  # fmt: skip
            if dispatched is not None:
                units = [lead] + ([rng.choice([u for u in dept_list if u != lead])] if rng.random() < 0.05 else [])
                for is_lead, unit in zip((True, False), units, strict=False):
                    due, amber = deadline(dispatched, cat.handle_limit, cat.handle_unit)
                    a_state = {
                        "dispatched": "pending", "handling": "handling", "rework": "handling", "returned": "returned",
                    }.get(state, "handled")  # fmt: skip
                    a_handled = handled if a_state == "handled" else None
                    if a_state == "handled" and a_handled is None:
                        a_handled = dispatched
                    on_time = (a_handled <= due) if a_handled is not None else None
                    assign_rows.append(
                        (case_id, unit.id, is_lead, a_state, dispatched, due, amber, a_handled, None, on_time,
                         "已处置" if a_handled else "", "", None)
                    )  # fmt: skip
            if len(case_rows) >= 20_000:
                _copy(Case, case_cols, case_rows)
                _copy(CaseAssignment, assign_cols, assign_rows)
                case_rows, assign_rows = [], []
                if (i + 1) % 200_000 == 0:
                    log(f"  {i + 1:,} cases ({time.perf_counter() - t0:.0f} s)")
        _copy(Case, case_cols, case_rows)
        _copy(CaseAssignment, assign_cols, assign_rows)
        seconds["cases"] = round(time.perf_counter() - t0 - seconds["organisation"], 1)
        t1 = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('grid_case', 'id'), (SELECT MAX(id) FROM grid_case))"
                )
                for sql in rebuild:
                    cursor.execute(sql)
        seconds["indexes"] = round(time.perf_counter() - t1, 1)

    # The statistics rollup, as the services would have kept it: one GROUP BY per kind of row.
    t1 = time.perf_counter()
    with transaction.atomic():
        rollup_rows = rollup.rollup_rebuild(district_id=d.id)
    seconds["rollup"] = round(time.perf_counter() - t1, 1)
    t1 = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE grid_casestatday")
            cursor.execute("VACUUM ANALYZE grid_case")
            cursor.execute("VACUUM ANALYZE grid_caseassignment")
    seconds["vacuum_analyze"] = round(time.perf_counter() - t1, 1)
    counts = {
        "cases": Case.objects.filter(district=d).count(),
        "assignments": CaseAssignment.objects.filter(case__district=d).count(),
        "open": sum(v for k, v in states.items() if k not in ("closed", "rejected", "merged")),
        "rollup_rows": rollup_rows,
        "states": dict(sorted(states.items())),
    }
    log(f"  {counts['cases']:,} cases, {counts['assignments']:,} assignments, {counts['open']:,} open; {seconds}")
    return GridWorld(
        district_id=d.id,
        dispatcher_id=dispatcher.id,
        department_ids={k: v.id for k, v in departments.items()},
        category_ids=[leaf[0].id for leaf in leaves],
        counts=counts,
        seconds=seconds,
    )


def _bulk_load_mode(models) -> list[str]:
    """On PostgreSQL: switch off FK triggers for this transaction and drop the secondary indexes.

    Returns the statements that recreate the indexes. The data is generated
    consistent, so checking a million foreign keys row by row only costs time; the
    indexes are built once after the load (tighter than a year of inserts would
    leave them; VACUUM ANALYZE follows either way). Constraint indexes (primary
    keys, unique constraints) stay. Needs a superuser, as ``with_postgres.sh``
    gives; otherwise nothing changes and the load is just slower.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return []
        cursor.execute("SET LOCAL session_replication_role = replica")
        tables = [m._meta.db_table for m in models]
        cursor.execute(
            """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
               JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
               WHERE t.relname = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)""",
            [tables],
        )
        rows = cursor.fetchall()
        for name, _sql in rows:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def _copy(model, columns: list[str], rows: list[tuple]) -> None:
    """Append rows: ``COPY`` on PostgreSQL, ``executemany`` elsewhere (smoke runs)."""
    from django.db import connection

    if not rows:
        return
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return

    def value(v):
        return connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v

    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", [[value(v) for v in r] for r in rows]
        )
