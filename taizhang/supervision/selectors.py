"""Reads of the supervision office: the weekly dispatch bulletin (周调度通报), the
notice lists and the supervision board.

``weekly_bulletin_build`` is built on the ledger's scoped selectors
(``items_for_list``, ``reports_of_week``, ``whistles_open_for``; missing reports by
the rule of ``missing_reports``), so a unit reporter's bulletin holds exactly the
items they may see. It runs a fixed
number of queries whatever the number of items: every relation a line shows is
joined or prefetched once, and everything else is grouped in Python.

Statuses are not historical: "behind" lists the items red or amber *now*, and open
whistles are those still open now (raised before the end of the week shown).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from taizhang.core.calendar import today as local_today
from taizhang.core.calendar import work_calendar
from taizhang.core.forms import as_id
from taizhang.core.workdays import report_due_date
from taizhang.core.workdays import week_start as monday_of
from taizhang.ledger.models import Item, ProgressReport, Status, Whistle
from taizhang.ledger.selectors import (
    ItemFilters,
    items_for_list,
    reports_of_week,
    whistles_open_for,
)
from taizhang.ledger.status import reason_text
from taizhang.org.access import scope_for
from taizhang.org.models import Person, Unit

from .access import notices_visible_to
from .models import SupervisionNotice

DEFAULT_ISSUER = "区委办督查室"
LAGGING = (Status.RED, Status.AMBER)


# --------------------------------------------------------------------------- weekly bulletin


@dataclass
class BulletinLine:
    """One row of a bulletin section: an item and what the section says about it."""

    item: Item
    unit: Unit
    leaders: list  # of LeaderRef
    report: ProgressReport | None = None
    reasons: list[str] = field(default_factory=list)
    whistle: Whistle | None = None
    summoned: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    escalated: bool = False
    overdue: bool = False
    due: dt.date | None = None

    @property
    def planned_investment_year(self):
        return getattr(self.item, "planned_year", None)


@dataclass
class BulletinGroup:
    """The bulletin restricted to one lead unit, or to one leader's items."""

    key: int
    label: str
    items: int = 0
    red: int = 0
    amber: int = 0
    overdue: int = 0
    moved: list[BulletinLine] = field(default_factory=list)
    behind: list[BulletinLine] = field(default_factory=list)
    problems: list[BulletinLine] = field(default_factory=list)
    whistles: list[BulletinLine] = field(default_factory=list)
    missing: list[BulletinLine] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.moved or self.behind or self.problems or self.whistles or self.missing)


SECTIONS = ("moved", "behind", "problems", "whistles", "missing")


@dataclass
class Bulletin:
    week_start: dt.date
    week_end: dt.date
    year: int
    issue_number: int  # 第N期: the ISO week number
    issuer: str
    issued_on: dt.date
    district_name: str
    items: int = 0
    red: int = 0
    amber: int = 0
    green: int = 0
    overdue: int = 0
    reports_due: bool = True
    moved: list[BulletinLine] = field(default_factory=list)
    behind: list[BulletinLine] = field(default_factory=list)
    problems: list[BulletinLine] = field(default_factory=list)
    whistles: list[BulletinLine] = field(default_factory=list)
    missing: list[BulletinLine] = field(default_factory=list)
    by_unit: list[BulletinGroup] = field(default_factory=list)
    by_leader: list[BulletinGroup] = field(default_factory=list)

    @property
    def reports_filed(self) -> int:
        return len(self.moved)

    @property
    def escalated_whistles(self) -> int:
        return sum(1 for w in self.whistles if w.escalated)

    @property
    def overdue_whistles(self) -> int:
        return sum(1 for w in self.whistles if w.overdue)

    @property
    def prev_week(self) -> dt.date:
        return self.week_start - dt.timedelta(days=7)

    @property
    def next_week(self) -> dt.date:
        return self.week_start + dt.timedelta(days=7)


@dataclass(frozen=True)
class LeaderRef:
    """A responsible leader as the bulletin shows them (id and name only)."""

    id: int
    display_name: str


def _leaders_by_item(item_ids) -> dict[int, list[LeaderRef]]:
    """Leaders of the given items (a queryset of ids), read once from the M2M table.

    Cheaper than ``prefetch_related`` for thousands of items: no related manager
    per item and no IN list of thousands of parameters.
    """
    rows = (
        Item.leaders.through.objects.filter(item_id__in=item_ids)
        .order_by("person_id")
        .values_list("item_id", "person_id", "person__full_name", "person__username")
    )
    leaders: dict[int, list[LeaderRef]] = defaultdict(list)
    for item_id, person_id, full_name, username in rows:
        leaders[item_id].append(LeaderRef(person_id, full_name or username))
    return leaders


def _for_lines(qs: QuerySet) -> QuerySet:
    """Item rows as bulletin lines need them: no description, the year's planned
    investment of projects as a column (no KeyProject instance per row); lead units
    come from one per-district dictionary rather than a join per row."""
    return qs.select_related(None).defer("description").annotate(planned_year=F("keyproject__planned_investment_year"))


def _sort_key(line: BulletinLine):
    return (line.unit.sort_order, line.unit.id, line.item.code, line.item.id)


def _group(
    lines_by_section: dict[str, list[BulletinLine]], items: list[Item], leaders_of, units_by_id: dict[int, Unit]
) -> tuple[list, list]:
    """Regroup the section lines by lead unit and by responsible leader."""
    no_leader = _("No responsible leader")
    units: dict[int, BulletinGroup] = {}
    leaders: dict[int, BulletinGroup] = {}
    unit_order: dict[int, tuple] = {}

    def unit_group(unit: Unit) -> BulletinGroup:
        if unit.id not in units:
            units[unit.id] = BulletinGroup(key=unit.id, label=unit.name)
            unit_order[unit.id] = (unit.sort_order, unit.id)
        return units[unit.id]

    def leader_groups(people: list[LeaderRef]) -> list[BulletinGroup]:
        if not people:
            return [leaders.setdefault(0, BulletinGroup(key=0, label=no_leader))]
        return [leaders.setdefault(p.id, BulletinGroup(key=p.id, label=p.display_name)) for p in people]

    for item in items:
        for g in [unit_group(units_by_id[item.lead_unit_id]), *leader_groups(leaders_of(item.id))]:
            g.items += 1
            g.red += item.status == Status.RED
            g.amber += item.status == Status.AMBER
            g.overdue += item.is_overdue
    for section, lines in lines_by_section.items():
        for line in lines:
            for g in [unit_group(line.unit), *leader_groups(line.leaders)]:
                getattr(g, section).append(line)
    by_unit = sorted(units.values(), key=lambda g: unit_order[g.key])
    by_leader = sorted(leaders.values(), key=lambda g: (g.key == 0, g.label))
    return by_unit, by_leader


def bulletin_week(value: str | None, today: dt.date | None = None) -> dt.date:
    """The Monday of the week named by ``?week=YYYY-MM-DD`` (any day of it), else this week."""
    today = today or local_today()
    if value:
        try:
            return monday_of(dt.date.fromisoformat(value))
        except ValueError:
            pass
    return monday_of(today)


def weekly_bulletin_build(*, person: Person, week_start: dt.date, today: dt.date | None = None) -> Bulletin:
    """Compile the weekly dispatch bulletin for the week of ``week_start`` within the person's scope."""
    today = today or local_today()
    week = monday_of(week_start)
    week_end = week + dt.timedelta(days=6)
    bulletin = Bulletin(
        week_start=week,
        week_end=week_end,
        year=week.isocalendar().year,
        issue_number=week.isocalendar().week,
        issuer=getattr(settings, "TAIZHANG_BULLETIN_ISSUER", DEFAULT_ISSUER),
        issued_on=today,
        district_name=person.district.name if person.district_id else "",
    )
    if scope_for(person).is_empty:
        return bulletin

    # The year's ledger items in scope: counts, "behind" and the groups' totals.
    in_scope = items_for_list(person, Item, ItemFilters(year=week.year)).prefetch_related(None)
    items = list(_for_lines(in_scope))
    units = Unit.objects.in_bulk(list(Unit.objects.filter(district_id=person.district_id).values_list("pk", flat=True)))
    by_id = {i.id: i for i in items}
    leaders = _leaders_by_item(in_scope.values("pk"))
    bulletin.items = len(items)
    bulletin.red = sum(i.status == Status.RED for i in items)
    bulletin.amber = sum(i.status == Status.AMBER for i in items)
    bulletin.green = bulletin.items - bulletin.red - bulletin.amber
    bulletin.overdue = sum(bool(i.is_overdue) for i in items)

    def leaders_of(item_id: int) -> list[LeaderRef]:
        return leaders.get(item_id, [])

    def other_items(ids: set[int]) -> None:
        """Items of another ledger year that a report or whistle of the week is about."""
        ids -= by_id.keys()
        if ids:
            extra = _for_lines(Item.objects.filter(pk__in=ids))
            by_id.update({i.id: i for i in extra})
            leaders.update(_leaders_by_item(list(ids)))

    def line(item_id: int, **kw) -> BulletinLine:
        item = by_id[item_id]
        return BulletinLine(item=item, unit=units[item.lead_unit_id], leaders=leaders_of(item_id), **kw)

    # 进展情况 and 存在问题: the reports filed for the week.
    reports = list(
        reports_of_week(person, week)
        .select_related(None)
        .only(
            "id", "item_id", "week_start", "done", "progress_pct", "investment_completed_year", "problems", "next_steps"
        )
    )
    other_items({r.item_id for r in reports})
    for report in reports:
        row = line(report.item_id, report=report)
        bulletin.moved.append(row)
        if report.problems.strip():
            bulletin.problems.append(row)

    # 滞后事项: red and amber items with their reasons.
    for item in items:
        if item.status in LAGGING and item.completed_on is None:
            reasons = [reason_text(r) for r in item.status_reasons or [] if r.get("level") in LAGGING]
            bulletin.behind.append(line(item.id, reasons=reasons))

    # 吹哨报到: whistles still open that were raised by the end of the week.
    whistles = list(whistles_open_for(person).filter(raised_at__date__lte=week_end))
    other_items({w.item_id for w in whistles})
    for whistle in whistles:
        responses = list(whistle.responses.all())
        bulletin.whistles.append(
            line(
                whistle.item_id,
                whistle=whistle,
                summoned=[r.unit.name for r in responses],
                silent=[r.unit.name for r in responses if r.responded_at is None],
                escalated=whistle.escalated_at is not None,
                overdue=whistle.state == Whistle.State.OPEN and whistle.respond_by < today,
                due=whistle.respond_by,
            )
        )
    # Escalated and overdue whistles first, then by deadline.
    bulletin.whistles.sort(key=lambda w: (not w.escalated, not w.overdue, w.due))

    # 未按时报送: items with no report once the week's report is due.
    bulletin.reports_due = _due_passed(week, today)
    # The rule of ``ledger.selectors.missing_reports`` applied to the rows already in
    # hand: that selector prefetches cooperating units and leaders for every missing
    # item, which alone costs a second when a whole district has not reported yet.
    # tests/test_bulletin.py checks both give the same items.
    if bulletin.reports_due:
        due = report_due_date(work_calendar(), week, settings.TAIZHANG_REPORT_DUE_WEEKDAY)
        reported = {r.item_id for r in reports}
        for item in items:
            if (
                item.id not in reported
                and item.completed_on is None
                and (item.start_date is None or item.start_date <= week_end)
            ):
                bulletin.missing.append(line(item.id, due=due))

    for section in ("moved", "behind", "problems", "missing"):
        getattr(bulletin, section).sort(key=_sort_key)
    bulletin.by_unit, bulletin.by_leader = _group({s: getattr(bulletin, s) for s in SECTIONS}, items, leaders_of, units)
    return bulletin


def _due_passed(week: dt.date, today: dt.date) -> bool:
    return report_due_date(work_calendar(), week, settings.TAIZHANG_REPORT_DUE_WEEKDAY) <= today


# --------------------------------------------------------------------------- notices


@dataclass(frozen=True)
class NoticeFilters:
    state: str = ""
    unit: int | None = None
    flagged: bool = False
    month: dt.date | None = None
    q: str = ""

    @classmethod
    def from_params(cls, params) -> NoticeFilters:
        unit = as_id(params.get("unit"))
        try:
            month = dt.date.fromisoformat((params.get("month") or "") + "-01") if params.get("month") else None
        except ValueError:
            month = None
        state = params.get("state") or ""
        return cls(
            state=state if state in SupervisionNotice.State.values else "",
            unit=unit,
            flagged=params.get("flagged") in ("1", "true", "on"),
            month=month,
            q=(params.get("q") or "").strip()[:100],
        )


def flagged_q(today: dt.date) -> Q:
    """Unanswered and past the reply date."""
    return Q(state=SupervisionNotice.State.ISSUED, reply_due__lt=today)


def notices_for_list(person: Person, filters: NoticeFilters | None = None, today: dt.date | None = None) -> QuerySet:
    """The notices ``person`` may see, filtered, with what a list row shows."""
    f = filters or NoticeFilters()
    today = today or local_today()
    qs = notices_visible_to(person)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.flagged:
        qs = qs.filter(flagged_q(today))
    if f.month:
        qs = qs.filter(month=f.month)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(item__name__icontains=f.q))
    return qs.select_related("item", "unit", "issued_by", "replied_by").order_by("-issued_at", "-id")


def notices_flagged(person: Person, today: dt.date | None = None) -> QuerySet:
    return notices_for_list(person, NoticeFilters(flagged=True), today).order_by("reply_due", "id")


def notice_units(person: Person) -> QuerySet:
    """Units that have notices the person may see (for the unit filter)."""
    ids = notices_visible_to(person).values("unit_id")
    return Unit.objects.filter(pk__in=ids).order_by("sort_order", "id")


# --------------------------------------------------------------------------- board


@dataclass
class UnitLights:
    unit: Unit
    red: int
    amber: int
    overdue: int


@dataclass
class Board:
    whistles: list[Whistle]
    flagged: list[SupervisionNotice]
    units: list[UnitLights]
    open_notices: int
    today: dt.date


def board_build(*, person: Person, today: dt.date | None = None) -> Board:
    """The supervision office's board: whistles (escalated/overdue first), flagged
    notices, and red/amber/overdue counts per lead unit."""
    today = today or local_today()
    whistles = list(whistles_open_for(person))
    for w in whistles:
        w.is_overdue = w.state == Whistle.State.OPEN and w.respond_by < today
    whistles.sort(key=lambda w: (w.escalated_at is None, not w.is_overdue, w.respond_by))
    counts = (
        items_for_list(person)
        .prefetch_related(None)
        .filter(completed_on__isnull=True)
        .values("lead_unit")
        .annotate(
            red=Count("id", filter=Q(status=Status.RED)),
            amber=Count("id", filter=Q(status=Status.AMBER)),
            overdue=Count("id", filter=Q(is_overdue=True)),
        )
        .order_by()
    )
    rows = {c["lead_unit"]: c for c in counts if c["red"] or c["amber"] or c["overdue"]}
    units = Unit.objects.in_bulk(list(rows))
    lights = [
        UnitLights(unit=units[uid], red=c["red"], amber=c["amber"], overdue=c["overdue"]) for uid, c in rows.items()
    ]
    lights.sort(key=lambda u: (-u.red, -u.overdue, -u.amber, u.unit.sort_order, u.unit.id))
    return Board(
        whistles=whistles,
        flagged=list(notices_flagged(person, today)),
        units=lights,
        open_notices=notices_visible_to(person).exclude(state=SupervisionNotice.State.CLOSED).count(),
        today=today,
    )
