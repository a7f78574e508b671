"""Grid governance demo data for 秦川区: grid cells, the command centre, grid workers and
a year of cases in every state, all written through ``grid.services`` with the moment of
each step passed as ``now=`` (so clocks, on-time flags and history read as lived).

Logins added (password ``core.demo.DEMO_PASSWORD``): ``zhihui_dd`` and ``zhihui_dd2``
(command-centre dispatchers), ``wangge_01`` … ``wangge_16`` (grid workers, one per cell).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from taizhang.core.calendar import work_calendar
from taizhang.org.models import District, Person, Role, Unit
from taizhang.org.services import person_create, unit_create

from . import services
from .clocks import TZ
from .models import Case, CaseAssignment, Category, GridMember, UnitLeader
from .testing import square

CASES = 800
SEED = 20260401
CENTRE_NAME = "区城市运行管理指挥中心"
STREET_OFFSETS = {
    "金台街道": (0.012, -0.024),
    "渭滨街道": (-0.012, -0.024),
    "东风路街道": (0.012, 0.024),
    "西关街道": (-0.012, 0.024),
}
# Incident type code → responsible units (lead first).
ROUTES = {
    "01": ["城管局"], "02": ["城管局"], "0301": ["生态环境分局"], "0302": ["城管局"], "0303": ["住建局"],
    "0304": ["自然资源局", "城管局"], "0401": ["住建局"], "0402": ["住建局", "交通运输局"], "0403": ["城管局"],
    "0404": ["应急管理局"], "05": ["城管局"], "0504": ["交通运输局"], "06": ["城管局"], "0603": ["应急管理局"],
    "07": ["城管局"], "0801": ["生态环境分局"], "0802": ["生态环境分局"], "0803": ["市场监管局"],
}  # fmt: skip
# Local variation: in 西关街道 the street itself handles illegal construction in the historic quarter.
STREET_ROUTES = {("0304", "西关街道"): ["西关街道"]}
TEXTS = {
    "0101": ["{p}路边垃圾桶满溢，垃圾散落地面", "{p}绿化带内有成堆生活垃圾未清运"],
    "0102": ["{p}建筑垃圾渣土堆放多日无人清理"],
    "0103": ["{p}路面油污严重，行人易滑倒", "{p}人行道落叶和泥土覆盖"],
    "0104": ["{p}河道漂浮物较多，有异味"],
    "0105": ["{p}绿地内垃圾杂物较多"],
    "0106": ["{p}商户私自在人行道修建坡道"],
    "0201": ["{p}墙面和电线杆上张贴大量小广告", "{p}单元门口被喷涂办证小广告"],
    "0202": ["{p}门店违规悬挂大型广告牌"],
    "0203": ["{p}占用人行道摆放广告牌"],
    "0301": ["{p}工地夜间施工噪音扰民", "{p}工地晚上十点后仍在打桩"],
    "0302": ["{p}工地废弃料堆放在路边"],
    "0303": ["{p}路面坑洼破损，车辆通行颠簸", "{p}人行道地砖破损松动", "{p}沥青路面出现裂缝和坑槽"],
    "0304": ["{p}楼顶新搭建彩钢房", "{p}一楼住户私自扩建院墙"],
    "0401": ["{p}地下水管破裂，路面冒水", "{p}污水管道堵塞外溢"],
    "0402": ["{p}路面出现塌陷坑，存在安全隐患"],
    "0403": ["{p}下雨后路面大面积积水"],
    "0404": ["{p}楼道堆放杂物和电动车充电，存在火灾隐患"],
    "0501": ["{p}流动摊贩占道经营", "{p}早市摊点占用机动车道"],
    "0502": ["{p}餐馆在店外摆放桌椅经营"],
    "0503": ["{p}无照游商聚集叫卖"],
    "0504": ["{p}机动车违停占用消防通道", "{p}车辆长期停放在人行道上"],
    "0505": ["{p}共享单车堆放堵塞人行道"],
    "0601": ["{p}井盖缺失，行人容易跌落", "{p}井盖破损下沉"],
    "0602": ["{p}路灯不亮已有一周", "{p}多盏路灯夜间不亮"],
    "0603": ["{p}消防栓被撞倒漏水"],
    "0701": ["{p}绿地被踩踏破坏，草皮裸露"],
    "0702": ["{p}大风后行道树倒伏压在路上"],
    "0801": ["{p}广场舞音响声音过大扰民"],
    "0802": ["{p}烧烤店油烟直排，居民反映强烈"],
    "0803": ["{p}居民反映小区周边问题需协调解决"],
}
PLACES = ["金台路", "宝光路", "经二路", "渭滨大道", "清姜路", "东风路", "火车站广场", "西关正街", "仓颉路", "北坡巷",
          "新华路", "红旗路", "建设路", "公园南路"]  # fmt: skip
WEIGHTS = {"01": 5, "02": 2, "03": 4, "04": 2, "05": 5, "06": 3, "07": 1, "08": 2}


def _person(username: str, role: str, unit: Unit, district: District, full_name: str, title: str) -> Person:
    return person_create(
        username=username, password=None, district=district, role=role, unit=unit, full_name=full_name, title=title
    )


def load(*, district: District, today: dt.date, people: dict, cases: int | None = None, seed: int = SEED) -> None:
    """Add the grid demo; ``cases`` defaults to ``TAIZHANG_GRID["DEMO_CASES"]`` (800)."""
    if cases is None:
        cases = services.grid_setting("DEMO_CASES", CASES)
    rng = random.Random(seed)
    units = {u.name: u for u in Unit.objects.filter(district=district)}
    with transaction.atomic():
        services.categories_load_default(district=district)
        cats = {c.code: c for c in Category.objects.filter(district=district)}
        for code, names in ROUTES.items():
            for name in names:
                if name in units:
                    services.routing_rule_add(category=cats[code], unit=units[name])
        for (code, street), names in STREET_ROUTES.items():
            for name in names:
                services.routing_rule_add(category=cats[code], unit=units[name], street=units[street])
        centre = units.get(CENTRE_NAME) or unit_create(
            district=district, name=CENTRE_NAME, kind=Unit.Kind.DEPARTMENT, sort_order=900
        )
        new_people = [
            _person("zhihui_dd", Role.DISPATCHER, centre, district, "韩雪", "指挥中心调度员"),
            _person("zhihui_dd2", Role.DISPATCHER, centre, district, "邓凯", "指挥中心调度员"),
        ]
        dispatchers = list(new_people)
        cells, workers = [], {}
        n = 0
        for street_name, (dlat, dlng) in STREET_OFFSETS.items():
            street = units[street_name]
            communities = [u for u in units.values() if u.parent_id == street.pk]
            for ci, community in enumerate(communities):
                for k in range(2):
                    n += 1
                    lat = 34.36 + dlat + (k - 0.5) * 0.01
                    lng = 107.14 + dlng + (ci - 0.5) * 0.02
                    worker = _person(
                        f"wangge_{n:02d}", Role.GRID_WORKER, community, district, f"网格员{n:02d}", "专职网格员"
                    )
                    new_people.append(worker)
                    cell = services.cell_save(
                        district=district,
                        code=f"G{n:02d}",
                        name=f"{community.name}第{k + 1}网格",
                        street=street,
                        community=community,
                        geometry=square(lat, lng, 0.005),
                        head=worker,
                    )
                    kind = GridMember.Kind.FULL_TIME if n % 3 else GridMember.Kind.PART_TIME
                    services.member_assign(cell=cell, person=worker, kind=kind)
                    cells.append((cell, lat, lng))
                    workers[cell.pk] = worker
        Person.objects.filter(pk__in=[p.pk for p in new_people]).update(password=make_password(_demo_password()))
        for p in new_people:
            people[p.username] = p
        leader = people.get("fuquzhang_zhao")
        if leader is not None:
            for name in ("城管局", "住建局", "交通运输局"):
                if name in units:
                    UnitLeader.objects.get_or_create(unit=units[name], defaults={"leader": leader})
            # The leader in charge of the command centre: told of cases it leaves undispatched too long.
            UnitLeader.objects.get_or_create(unit=centre, defaults={"leader": leader})
        handlers = {}
        for p in Person.objects.filter(district=district, role__in=[Role.REPORTER, Role.UNIT_ADMIN]).order_by("role"):
            handlers.setdefault(p.unit_id, p)
        _Story(rng, district, today, cats, cells, workers, dispatchers, handlers, units).run(cases)
        services.dispatch_model_train(district=district)
        # Notifications are written after commit (``services._notify``): tidy them after those.
        transaction.on_commit(lambda: _read_settled_notifications(district))


def _read_settled_notifications(district: District) -> None:
    """A year of cases is simulated in one go; people would long have read what concerns
    cases that are settled since. Leave unread only what is about open cases."""
    from django.urls import reverse
    from django.utils import timezone

    from taizhang.core.models import Notification

    settled = Case.objects.filter(
        district=district, state__in=[Case.State.CLOSED, Case.State.REJECTED, Case.State.MERGED]
    )
    urls = [reverse("grid:case", args=[pk]) for pk in settled.values_list("pk", flat=True)]
    now = timezone.now()
    for start in range(0, len(urls), 500):
        Notification.objects.filter(url__in=urls[start : start + 500], read_at__isnull=True).update(read_at=now)


def _demo_password() -> str:
    from taizhang.core.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


class _Story:
    def __init__(self, rng, district, today, cats, cells, workers, dispatchers, handlers, units):
        self.rng, self.district, self.today = rng, district, today
        self.leaf = [c for c in cats.values() if c.parent_id]
        self.weights = [WEIGHTS.get(c.code[:2], 1) for c in self.leaf]
        self.cells, self.workers, self.dispatchers, self.handlers = cells, workers, dispatchers, handlers
        self.units = units
        self.real_now = timezone.now()
        self.cal = work_calendar()
        self.hotspots = [self.rng.choice(cells) for _ in range(4)]

    def moment(self, days_ago: float) -> dt.datetime:
        day = self.today - dt.timedelta(days=int(days_ago))
        t = dt.datetime.combine(day, dt.time(8), tzinfo=TZ) + dt.timedelta(minutes=self.rng.randint(0, 12 * 60))
        return min(t, self.real_now - dt.timedelta(minutes=self.rng.randint(30, 600)))

    def later(self, t: dt.datetime, hours: float) -> dt.datetime | None:
        """``t`` plus some hours, or None if that is still in the future."""
        nxt = t + dt.timedelta(hours=hours)
        return nxt if nxt < self.real_now else None

    def point(self):
        cell, lat, lng = self.rng.choice(self.hotspots) if self.rng.random() < 0.3 else self.rng.choice(self.cells)
        return cell, lat + self.rng.uniform(-0.0045, 0.0045), lng + self.rng.uniform(-0.0045, 0.0045)

    def run(self, n: int) -> None:
        rng = self.rng
        for _ in range(n):
            days_ago = rng.random() ** 1.3 * 360
            self.one(self.moment(days_ago))
        self.waiting()
        services.cases_escalate(now=self.real_now)

    def waiting(self) -> None:
        """A few reports of the last days still waiting at the centre, past their dispatch time (escalated)."""
        rng = self.rng
        for days_ago, register in ((2, False), (3, True), (4, False)):
            cat = rng.choices(self.leaf, self.weights)[0]
            cell, lat, lng = self.point()
            t = self.moment(days_ago)
            case = services.case_report(
                district=self.district,
                category=cat,
                description=rng.choice(TEXTS.get(cat.code, ["{p}发现问题需处理"])).format(p=rng.choice(PLACES)),
                lat=lat,
                lng=lng,
                address=f"{rng.choice(PLACES)}{rng.randint(1, 200)}号",
                reporter=self.workers[cell.pk],
                now=t,
            )
            if register and (t := self.later(t, 0.5)) is not None:
                services.case_register(actor=rng.choice(self.dispatchers), case=case, now=t)

    def one(self, t: dt.datetime) -> None:
        rng = self.rng
        cat = rng.choices(self.leaf, self.weights)[0]
        cell, lat, lng = self.point()
        worker = self.workers[cell.pk]
        source = rng.choices(["grid", "citizen", "open311"], [70, 22, 8])[0]
        text = rng.choice(TEXTS.get(cat.code, ["{p}发现问题需处理"])).format(p=rng.choice(PLACES))
        case = services.case_report(
            district=self.district,
            category=cat,
            description=text,
            lat=lat,
            lng=lng,
            source=source,
            urgency=rng.choices(["normal", "urgent", "critical"], [85, 12, 3])[0],
            address=f"{rng.choice(PLACES)}{rng.randint(1, 200)}号",
            reporter=worker if source == "grid" else None,
            contact_phone=f"139{rng.randint(10000000, 99999999)}" if source == "citizen" else "",
            now=t,
        )
        dispatcher = rng.choice(self.dispatchers)
        if rng.random() < 0.04:  # a neighbour reports the same problem: flagged, then merged
            t_dup = self.later(t, rng.uniform(0.2, 2))
            if t_dup is not None:
                dup = services.case_report(
                    district=self.district,
                    category=cat,
                    description=text,
                    lat=lat + 0.0001,
                    lng=lng,
                    source="citizen",
                    now=t_dup,
                )
                t_merge = self.later(t_dup, 0.5)
                if dup.possible_duplicate_of_id == case.pk and t_merge is not None:
                    services.case_merge(actor=dispatcher, case=dup, into=case, now=t_merge)
        # The centre's decision.
        t = self.later(t, rng.uniform(0.1, 3))
        if t is None:
            return
        if case.possible_duplicate_of_id and rng.random() < 0.8:
            into = Case.objects.get(pk=case.possible_duplicate_of_id)
            services.case_merge(actor=dispatcher, case=case, into=into, now=t)
            return
        if rng.random() < 0.03:
            services.case_reject(actor=dispatcher, case=case, reason="经核实不属于城市管理事项", now=t)
            return
        case = services.case_register(actor=dispatcher, case=case, now=t)
        t = self.later(t, rng.uniform(0.05, 1.5))
        if t is None:
            return
        from .routing import routing

        proposed = routing().units_for_case(case) or [self.units["城管局"]]
        wrong = rng.random() < 0.06
        if wrong:
            proposed = [rng.choice([u for u in (self.units.get(x) for x in ("住建局", "城管局", "交通运输局")) if u])]
        if rng.random() < 0.05 and len(proposed) == 1:
            proposed = proposed + [cell.street]
        case = services.case_dispatch(actor=dispatcher, case=case, units=proposed, now=t)
        # Each department's part.
        late = rng.random() < 0.15
        for a in list(CaseAssignment.objects.filter(case=case, state=CaseAssignment.State.PENDING)):
            staff = self.handlers.get(a.unit_id)
            if staff is None:
                continue
            t2 = self.later(t, rng.uniform(0.2, 4))
            if t2 is None:
                return
            if wrong and a.is_lead and rng.random() < 0.7:
                case = services.case_return(actor=staff, case=case, reason="经核实不属于本单位职责范围", now=t2)
                continue
            case = services.case_accept(actor=staff, case=case, now=t2)
            span = (a.due_at - a.assigned_at).total_seconds() / 3600
            t3 = self.later(t2, span * (rng.uniform(1.1, 3) if late else rng.uniform(0.1, 0.7)))
            if t3 is None:
                return
            case = services.case_handle(actor=staff, case=case, result="已到现场处置完毕，问题已解决。", now=t3)
            t = max(t, t3)
        if case.state == Case.State.RETURNED:
            if self.real_now - t < dt.timedelta(days=3):
                return  # still at the centre
            t = self.later(t, rng.uniform(0.2, 2))
            if t is None:
                return
            units = routing().units_for_case(case) or [self.units["城管局"]]
            case = services.case_dispatch(actor=dispatcher, case=case, units=units, now=t)
            staff = self.handlers.get(units[0].pk)
            t = self.later(t, rng.uniform(1, 20))
            if t is None or staff is None:
                return
            case = services.case_handle(actor=staff, case=case, result="已处置完毕。", now=t)
        if case.state != Case.State.HANDLED:
            return
        verifier = case.reporter if case.reporter_id else dispatcher
        t = self.later(t, rng.uniform(0.5, 24))
        if t is None:
            return
        if rng.random() < 0.07:
            case = services.case_verify(actor=verifier, case=case, passed=False, note="现场核查问题仍存在", now=t)
            t = self.later(t, rng.uniform(1, 30))
            if t is None:
                return
            for a in list(case.assignments.filter(state=CaseAssignment.State.HANDLING)):
                staff = self.handlers.get(a.unit_id)
                if staff is None:
                    return
                case = services.case_handle(actor=staff, case=case, result="已二次处置。", now=t)
            t = self.later(t, rng.uniform(0.5, 24))
            if t is None:
                return
        case = services.case_verify(actor=verifier, case=case, passed=True, now=t)
        t = self.later(t, rng.uniform(1, 72))
        if t is not None and rng.random() < 0.6:
            services.case_rate(case=case, satisfaction=rng.choices([5, 4, 3, 2, 1], [55, 28, 10, 4, 3])[0], now=t)
        if t is not None and rng.random() < 0.02:
            t = self.later(t, rng.uniform(1, 48))
            if t is not None:
                case = services.case_reopen(case=case, reason="问题反弹，群众再次反映", now=t)
                self.redo(case, dispatcher, verifier, t)

    def redo(self, case, dispatcher, verifier, t: dt.datetime) -> None:
        """A reopened case goes round the loop again (unless it was reopened just now)."""
        from .routing import routing

        t = self.later(t, self.rng.uniform(0.2, 3))
        if t is None:
            return
        units = routing().units_for_case(case) or [self.units["城管局"]]
        case = services.case_dispatch(actor=dispatcher, case=case, units=units[:1], now=t)
        staff = self.handlers.get(units[0].pk)
        t = self.later(t, self.rng.uniform(1, 20))
        if t is None or staff is None:
            return
        case = services.case_accept(actor=staff, case=case, now=t)
        case = services.case_handle(actor=staff, case=case, result="已再次处置完毕。", now=t)
        t = self.later(t, self.rng.uniform(0.5, 24))
        if t is not None:
            services.case_verify(actor=verifier, case=case, passed=True, now=t)
