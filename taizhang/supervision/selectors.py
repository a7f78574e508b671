"""Reads of the supervision office: the weekly dispatch bulletin (周调度通报), the
notice lists and the supervision board.

``weekly_bulletin_build`` is built on the ledger's scoped selectors
(``items_for_list``, ``reports_of_week``, ``missing_reports``, ``whistles_open_for``),
so a unit reporter's bulletin holds exactly the items they may see. It runs a fixed
number of queries whatever the number of items: every relation a line shows is
joined or prefetched once, and everything else is grouped in Python.

Statuses are not historical: "behind" lists the items red or amber *now*, and open
whistles are those still open now (raised before the end of the week shown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from taizhang.core.calendar import today as local_today
from taizhang.core.calendar import work_calendar
from taizhang.core.workdays import report_due_date
from taizhang.core.workdays import week_start as monday_of
from taizhang.ledger.models import Item, ProgressReport, Status, Whistle
from taizhang.ledger.selectors import (
    ItemFilters,
    items_for_list,
    missing_reports,
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
    leaders: list[Person]
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
        project = getattr(self.item, "keyproject", None) if self.item.kind == Item.Kind.PROJECT else None
        return project.planned_investment_year if project else None


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


def _leaders_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(
        f"{prefix}leaders",
        queryset=Person.objects.select_related(None).only("id", "full_name", "username").order_by("id"),
    )


def _sort_key(line: BulletinLine):
    return (line.unit.sort_order, line.unit.id, line.item.code, line.item.id)


def _group(lines_by_section: dict[str, list[BulletinLine]], items: list[Item]) -> tuple[list, list]:
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

    def leader_groups(people: list[Person]) -> list[BulletinGroup]:
        if not people:
            return [leaders.setdefault(0, BulletinGroup(key=0, label=no_leader))]
        return [leaders.setdefault(p.id, BulletinGroup(key=p.id, label=p.display_name)) for p in people]

    for item in items:
        people = list(item.leaders.all())
        for g in [unit_group(item.lead_unit), *leader_groups(people)]:
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
    items = list(
        items_for_list(person, Item, ItemFilters(year=week.year))
        .select_related("keyproject")
        .prefetch_related(None)
        .prefetch_related(_leaders_prefetch())
    )
    by_id = {i.id: i for i in items}
    bulletin.items = len(items)
    bulletin.red = sum(i.status == Status.RED for i in items)
    bulletin.amber = sum(i.status == Status.AMBER for i in items)
    bulletin.green = bulletin.items - bulletin.red - bulletin.amber
    bulletin.overdue = sum(bool(i.is_overdue) for i in items)

    def line(item: Item, **kw) -> BulletinLine:
        return BulletinLine(item=item, unit=item.lead_unit, leaders=list(item.leaders.all()), **kw)

    # 进展情况 and 存在问题: the reports filed for the week.
    reports = (
        reports_of_week(person, week)
        .select_related("item__lead_unit", "item__keyproject")
        .prefetch_related(_leaders_prefetch("item__"))
    )
    for report in reports:
        item = by_id.get(report.item_id, report.item)
        row = line(item, report=report)
        bulletin.moved.append(row)
        if report.problems.strip():
            bulletin.problems.append(row)

    # 滞后事项: red and amber items with their reasons.
    for item in items:
        if item.status in LAGGING and item.completed_on is None:
            reasons = [reason_text(r) for r in item.status_reasons or [] if r.get("level") in LAGGING]
            bulletin.behind.append(line(item, reasons=reasons))

    # 吹哨报到: whistles still open that were raised by the end of the week.
    whistles = (
        whistles_open_for(person)
        .filter(raised_at__date__lte=week_end)
        .select_related("item__lead_unit")
        .prefetch_related(_leaders_prefetch("item__"))
    )
    for whistle in whistles:
        responses = list(whistle.responses.all())
        item = by_id.get(whistle.item_id, whistle.item)
        bulletin.whistles.append(
            line(
                item,
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
    missing = missing_reports(person, week, today)
    bulletin.reports_due = _due_passed(week, today)
    for m in missing:
        item = by_id.get(m.item.id, m.item)
        bulletin.missing.append(line(item, due=m.due))

    for section in ("moved", "behind", "problems", "missing"):
        getattr(bulletin, section).sort(key=_sort_key)
    bulletin.by_unit, bulletin.by_leader = _group({s: getattr(bulletin, s) for s in SECTIONS}, items)
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
        try:
            unit = int(params.get("unit") or "")
        except ValueError:
            unit = None
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
