"""Writes to the ledger. Each function is one atomic action: it validates, saves
inside a transaction, appends history, recomputes status and schedules
notifications after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.calendar import today as local_today
from taizhang.core.calendar import work_calendar
from taizhang.core.models import Notification
from taizhang.core.workdays import report_due_date, week_start
from taizhang.org.models import District, Person, Unit

from . import status as status_rules
from .models import (
    Item,
    ItemEvent,
    KeyProject,
    KeyTask,
    Milestone,
    ProgressReport,
    ReportAttachment,
    Whistle,
    WhistleResponse,
)


class ConcurrentEditError(Exception):
    """The item changed since the editor loaded it (optimistic locking)."""

    def __init__(self, item: Item):
        self.item = item
        super().__init__(
            _(
                "This item was changed by someone else after you opened it. Reload the page, check the latest values and save again."
            )
        )


# --------------------------------------------------------------------------- status


def _thresholds() -> status_rules.Thresholds:
    return status_rules.Thresholds(**getattr(settings, "TAIZHANG_STATUS", {}))


def _facts(item: Item) -> status_rules.ItemFacts:
    project = None
    if item.kind == Item.Kind.PROJECT:
        project = item if isinstance(item, KeyProject) else item.keyproject
    return status_rules.ItemFacts(
        kind=item.kind,
        year=item.year,
        start_date=item.start_date,
        deadline=item.deadline,
        completed_on=item.completed_on,
        progress_pct=item.progress_pct,
        planned_investment_year=project.planned_investment_year if project else None,
        completed_investment_year=project.completed_investment_year if project else None,
        milestones=[status_rules.MilestoneFacts(m.name, m.planned_date, m.actual_date) for m in item.milestones.all()],
    )


def _apply_status(item: Item, result: status_rules.StatusResult) -> list[str]:
    changed = []
    overdue = any(r["code"] == "deadline_passed" for r in result.reasons)
    for field, value in (
        ("status", result.status),
        ("status_reasons", result.reasons),
        ("lag_points", result.lag_points),
        ("is_overdue", overdue),
    ):
        if getattr(item, field) != value:
            setattr(item, field, value)
            changed.append(field)
    return changed


def item_refresh_status(*, item: Item, today: dt.date | None = None, actor: Person | None = None) -> Item:
    """Recompute and store one item's status; record a history line if the colour changed."""
    today = today or local_today()
    cal = work_calendar()
    before = item.status
    result = status_rules.compute_status(_facts(item), today, cal, _thresholds())
    changed = _apply_status(item, result)
    if changed:
        Item.objects.filter(pk=item.pk).update(**{f: getattr(item, f) for f in changed})
    if before != item.status:
        ItemEvent.objects.create(
            item=item,
            actor=actor,
            kind=ItemEvent.Kind.STATUS,
            changes={"status": [before, item.status]},
            summary=_("Status changed"),
        )
    return item


def statuses_refresh(*, district_id: int, today: dt.date | None = None) -> int:
    """Recompute every live item's status in a district (time moves statuses). Returns changes."""
    today = today or local_today()
    cal = work_calendar()
    th = _thresholds()
    items = (
        Item.objects.filter(district_id=district_id, is_archived=False)
        .select_related("keyproject")
        .prefetch_related("milestones")
    )
    to_update: list[Item] = []
    events: list[ItemEvent] = []
    for item in items.iterator(chunk_size=500):
        before = item.status
        result = status_rules.compute_status(_facts(item), today, cal, th)
        if _apply_status(item, result):
            to_update.append(item)
            if before != item.status:
                events.append(
                    ItemEvent(
                        item=item,
                        kind=ItemEvent.Kind.STATUS,
                        changes={"status": [before, item.status]},
                        summary=_("Status changed"),
                    )
                )
    with transaction.atomic():
        Item.objects.bulk_update(to_update, ["status", "status_reasons", "lag_points", "is_overdue"], batch_size=500)
        ItemEvent.objects.bulk_create(events, batch_size=500)
        District.objects.filter(pk=district_id).update(statuses_as_of=today)
    return len(to_update)


def statuses_refresh_if_stale(*, district_id: int) -> None:
    """Statuses depend on the date: recompute once per day, on first read.

    The answer "already fresh today" is cached so list pages do not ask the database
    on every request; the database column stays the source of truth across processes.
    """
    today = local_today()
    key = f"taizhang:statuses-fresh:{district_id}:{today.isoformat()}"
    if cache.get(key):
        return
    if not District.objects.filter(pk=district_id, statuses_as_of=today).exists():
        statuses_refresh(district_id=district_id, today=today)
    cache.set(key, True, 3600)


# --------------------------------------------------------------------------- history


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (Unit, Person)):
        return str(value)
    return value


def _record(item: Item, actor: Person | None, kind: str, summary: str = "", changes: dict | None = None) -> None:
    ItemEvent.objects.create(item=item, actor=actor, kind=kind, summary=summary[:300], changes=changes or {})


# --------------------------------------------------------------------------- items

# The fields a service may set, per kind (everything else is computed or relational).
ITEM_FIELDS = (
    "year", "code", "name", "description", "lead_unit", "responsible_person",
    "start_date", "deadline", "progress_pct", "completed_on",
)  # fmt: skip
PROJECT_FIELDS = (
    *ITEM_FIELDS, "category", "level", "construction_type", "phase", "total_investment",
    "planned_investment_year", "completed_investment_year", "completed_investment_total",
    "land_area_mu", "latitude", "longitude",
)  # fmt: skip
TASK_FIELDS = (*ITEM_FIELDS, "source_title", "source_date", "source_quote")


def _check_units(district: District, units: Iterable[Unit]) -> None:
    for unit in units:
        if unit.district_id != district.id:
            raise ValidationError(
                {"cooperating_units": _("Unit “%(unit)s” belongs to another district.") % {"unit": unit}}
            )


def _check_leaders(district: District, leaders: Iterable[Person]) -> None:
    for leader in leaders:
        if leader.district_id != district.id or not leader.is_leader:
            raise ValidationError({"leaders": _("“%(person)s” is not a leader of this district.") % {"person": leader}})


def _set_milestones(item: Item, milestones: Sequence[dict] | None) -> dict | None:
    """Replace the milestone list; returns a history diff or None when unchanged."""
    if milestones is None:
        return None
    old = [(m.name, m.planned_date, m.actual_date) for m in item.milestones.all()]
    new = [(m["name"], m["planned_date"], m.get("actual_date")) for m in milestones]
    if old == new:
        return None
    item.milestones.all().delete()
    objs = [Milestone(item=item, name=n, planned_date=p, actual_date=a) for n, p, a in new]
    for obj in objs:
        obj.full_clean(exclude=["item"])
    Milestone.objects.bulk_create(objs)
    return {"milestones": [[f"{n} {p}" for n, p, _a in old], [f"{n} {p}" for n, p, _a in new]]}


@transaction.atomic
def item_create(
    *,
    actor: Person | None,
    kind: str,
    district: District,
    values: dict,
    cooperating_units: Sequence[Unit] = (),
    leaders: Sequence[Person] = (),
    milestones: Sequence[dict] = (),
    event_kind: str = ItemEvent.Kind.CREATED,
) -> Item:
    model = KeyProject if kind == Item.Kind.PROJECT else KeyTask
    fields = PROJECT_FIELDS if model is KeyProject else TASK_FIELDS
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    item = model(district=district, kind=kind, **values)
    item.full_clean()
    _check_units(district, cooperating_units)
    _check_leaders(district, leaders)
    item.save()
    item.cooperating_units.set(cooperating_units)
    item.leaders.set(leaders)
    _set_milestones(item, milestones)
    _record(item, actor, event_kind, summary=item.name)
    item_refresh_status(item=item)
    return item


@transaction.atomic
def item_update(
    *,
    actor: Person,
    item: Item,
    expected_version: int,
    values: dict,
    cooperating_units: Sequence[Unit] | None = None,
    leaders: Sequence[Person] | None = None,
    milestones: Sequence[dict] | None = None,
) -> Item:
    """Apply an edit made on version ``expected_version``; refuse it if the item moved on."""
    fields = PROJECT_FIELDS if isinstance(item, KeyProject) else TASK_FIELDS
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    # Claim the version first: a concurrent editor who loaded the same version now
    # updates zero rows and gets ConcurrentEditError instead of overwriting us.
    claimed = Item.objects.filter(pk=item.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        raise ConcurrentEditError(item)
    changes = {}
    for field, value in values.items():
        old = getattr(item, field)
        if old != value:
            changes[field] = [_jsonable(old), _jsonable(value)]
            setattr(item, field, value)
    item.version = expected_version + 1
    item.full_clean()
    if cooperating_units is not None:
        _check_units(item.district, cooperating_units)
        old_units = sorted(u.name for u in item.cooperating_units.all())
        new_units = sorted(u.name for u in cooperating_units)
        if old_units != new_units:
            changes["cooperating_units"] = [old_units, new_units]
            item.cooperating_units.set(cooperating_units)
    if leaders is not None:
        _check_leaders(item.district, leaders)
        old_leaders = sorted(p.display_name for p in item.leaders.all())
        new_leaders = sorted(p.display_name for p in leaders)
        if old_leaders != new_leaders:
            changes["leaders"] = [old_leaders, new_leaders]
            item.leaders.set(leaders)
    milestone_diff = _set_milestones(item, milestones)
    if milestone_diff:
        changes.update(milestone_diff)
    item.save()
    if changes:
        _record(item, actor, ItemEvent.Kind.UPDATED, changes=changes)
    if hasattr(item, "_prefetched_objects_cache"):
        item._prefetched_objects_cache.pop("milestones", None)
    item_refresh_status(item=item, actor=actor)
    return item


@transaction.atomic
def milestone_mark_done(*, actor: Person, milestone: Milestone, actual_date: dt.date) -> Milestone:
    if actual_date > local_today():
        raise ValidationError({"actual_date": _("The actual date cannot be in the future.")})
    old = milestone.actual_date
    milestone.actual_date = actual_date
    milestone.save(update_fields=["actual_date"])
    Item.objects.filter(pk=milestone.item_id).update(version=F("version") + 1)
    _record(
        milestone.item,
        actor,
        ItemEvent.Kind.UPDATED,
        changes={f"milestone:{milestone.name}": [_jsonable(old), _jsonable(actual_date)]},
    )
    item_refresh_status(item=milestone.item, actor=actor)
    return milestone


# --------------------------------------------------------------------------- progress reports

ALLOWED_ATTACHMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt", ".zip"}


def _check_attachment(f) -> None:
    import os

    name = getattr(f, "name", "")
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED_ATTACHMENT_EXTENSIONS:
        raise ValidationError(_("File type “%(ext)s” is not allowed.") % {"ext": ext or name})
    limit = settings.TAIZHANG_MAX_ATTACHMENT_BYTES
    if f.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; attachments may be at most %(limit)d MB.")
            % {"name": name, "size": f.size / 1048576, "limit": limit // 1048576}
        )


@transaction.atomic
def report_submit(
    *,
    actor: Person,
    item: Item,
    week: dt.date,
    done: str,
    progress_pct: Decimal | None = None,
    investment_completed_year: Decimal | None = None,
    problems: str = "",
    next_steps: str = "",
    attachments: Sequence = (),
    now: dt.datetime | None = None,
) -> ProgressReport:
    """File (or revise) the week's progress report and carry its figures onto the item."""
    now = now or timezone.now()
    week = week_start(week)
    if not done.strip():
        raise ValidationError({"done": _("Describe the work done this week.")})
    if week > week_start(timezone.localdate(now)):
        raise ValidationError({"week_start": _("You cannot report on a future week.")})
    for f in attachments:
        _check_attachment(f)
    unit = actor.unit if actor.unit_id else item.lead_unit
    report, created = ProgressReport.objects.select_for_update().get_or_create(
        item=item,
        week_start=week,
        defaults={"unit": unit, "author": actor, "done": done, "submitted_at": now},
    )
    report.unit, report.author, report.done = unit, actor, done
    report.progress_pct = progress_pct
    report.investment_completed_year = investment_completed_year
    report.problems, report.next_steps = problems, next_steps
    report.submitted_at = now
    due = report_due_date(work_calendar(), week, settings.TAIZHANG_REPORT_DUE_WEEKDAY)
    report.is_late = timezone.localdate(now) > due
    report.full_clean()
    report.save()
    for f in attachments:
        ReportAttachment.objects.create(report=report, file=f, original_name=f.name[:200], size=f.size)

    # Carry the reported figures onto the item, through the same version counter
    # that protects edits, so a concurrent edit form cannot silently overwrite them.
    changes = {}
    if progress_pct is not None and progress_pct != item.progress_pct:
        changes["progress_pct"] = [str(item.progress_pct), str(progress_pct)]
        item.progress_pct = progress_pct
    if investment_completed_year is not None and item.kind == Item.Kind.PROJECT:
        project = item if isinstance(item, KeyProject) else item.keyproject
        delta = investment_completed_year - project.completed_investment_year
        if delta:
            changes["completed_investment_year"] = [
                str(project.completed_investment_year),
                str(investment_completed_year),
            ]
            project.completed_investment_year = investment_completed_year
            project.completed_investment_total = project.completed_investment_total + delta
            if project.completed_investment_total > project.total_investment:
                raise ValidationError(
                    {"investment_completed_year": _("Cumulative investment would exceed the total investment.")}
                )
            KeyProject.objects.filter(pk=project.pk).update(
                completed_investment_year=project.completed_investment_year,
                completed_investment_total=project.completed_investment_total,
            )
            item = project
    Item.objects.filter(pk=item.pk).update(progress_pct=item.progress_pct, last_report_at=now, version=F("version") + 1)
    item.version += 1
    _record(
        item,
        actor,
        ItemEvent.Kind.REPORTED,
        summary=_("Week of %(week)s: %(done)s") % {"week": week.isoformat(), "done": done[:120]},
        changes=changes,
    )
    item_refresh_status(item=item, actor=actor)
    return report


# --------------------------------------------------------------------------- whistles


def _notify(people: Iterable[Person], text: str, url: str) -> None:
    # In-app notifications are rows in the same transaction: they exist exactly when
    # the action that caused them does.
    Notification.objects.bulk_create([Notification(recipient=p, text=text[:300], url=url) for p in people])


@transaction.atomic
def whistle_raise(
    *,
    actor: Person,
    item: Item,
    problem: str,
    units: Sequence[Unit],
    respond_within_workdays: int | None = None,
    now: dt.datetime | None = None,
) -> Whistle:
    now = now or timezone.now()
    if not problem.strip():
        raise ValidationError({"problem": _("Describe the problem that needs other departments.")})
    units = [u for u in units if u.id != (actor.unit_id or 0)]
    if not units:
        raise ValidationError({"units": _("Name at least one other unit that must respond.")})
    _check_units(item.district, units)
    days = respond_within_workdays or settings.TAIZHANG_WHISTLE_DEFAULT_DAYS
    if not 1 <= days <= 30:
        raise ValidationError({"days": _("The response time must be between 1 and 30 working days.")})
    respond_by = work_calendar().add_workdays(timezone.localdate(now), days)
    whistle = Whistle.objects.create(
        item=item,
        raised_by=actor,
        raised_by_unit=actor.unit or item.lead_unit,
        problem=problem,
        raised_at=now,
        respond_by=respond_by,
    )
    WhistleResponse.objects.bulk_create([WhistleResponse(whistle=whistle, unit=u) for u in units])
    _record(
        item,
        actor,
        ItemEvent.Kind.WHISTLE,
        summary=_("Whistle raised to %(units)s: %(problem)s")
        % {"units": "、".join(u.name for u in units), "problem": problem[:100]},
    )
    summoned = Person.objects.filter(unit__in=units, role__in=["unit_admin", "reporter"])
    _notify(
        summoned,
        _("Whistle on “%(item)s”: respond by %(date)s") % {"item": item.name, "date": respond_by},
        whistle.get_absolute_url(),  # where they respond; the item may be outside their scope
    )
    return whistle


@transaction.atomic
def whistle_respond(
    *, actor: Person, whistle: Whistle, response: str, now: dt.datetime | None = None
) -> WhistleResponse:
    now = now or timezone.now()
    if not response.strip():
        raise ValidationError({"response": _("Write your unit's response.")})
    if whistle.state == Whistle.State.CLOSED:
        raise ValidationError(_("This whistle is already resolved."))
    try:
        row = WhistleResponse.objects.select_for_update().get(whistle=whistle, unit_id=actor.unit_id)
    except WhistleResponse.DoesNotExist:
        raise PermissionDenied(_("Your unit was not summoned by this whistle.")) from None
    row.response, row.responded_at, row.responder = response, now, actor
    row.save()
    if not whistle.responses.filter(responded_at__isnull=True).exists():
        whistle.state = Whistle.State.ANSWERED
        whistle.save(update_fields=["state"])
    _record(
        whistle.item,
        actor,
        ItemEvent.Kind.WHISTLE,
        summary=_("%(unit)s reported in: %(response)s") % {"unit": actor.unit, "response": response[:100]},
    )
    return row


@transaction.atomic
def whistle_close(*, actor: Person, whistle: Whistle, resolution: str, now: dt.datetime | None = None) -> Whistle:
    if whistle.state == Whistle.State.CLOSED:
        raise ValidationError(_("This whistle is already resolved."))
    whistle.state = Whistle.State.CLOSED
    whistle.resolution = resolution
    whistle.closed_at = now or timezone.now()
    whistle.save(update_fields=["state", "resolution", "closed_at"])
    _record(whistle.item, actor, ItemEvent.Kind.WHISTLE, summary=_("Whistle resolved: %(r)s") % {"r": resolution[:100]})
    return whistle


def whistles_escalate(*, today: dt.date | None = None) -> int:
    """Escalate whistles whose summoned units did not respond in time to the item's leaders."""
    today = today or local_today()
    count = 0
    due = (
        Whistle.objects.filter(state=Whistle.State.OPEN, respond_by__lt=today, escalated_at__isnull=True)
        .select_related("item")
        .prefetch_related("item__leaders", "responses__unit")
    )
    for whistle in due:
        with transaction.atomic():
            if not Whistle.objects.filter(pk=whistle.pk, escalated_at__isnull=True).update(escalated_at=timezone.now()):
                continue  # another worker got there first
            silent = [r.unit.name for r in whistle.responses.all() if r.responded_at is None]
            _record(
                whistle.item,
                None,
                ItemEvent.Kind.WHISTLE,
                summary=_("Whistle escalated: no response from %(units)s") % {"units": "、".join(silent)},
            )
            _notify(
                whistle.item.leaders.all(),
                _("Escalated whistle on “%(item)s”: %(units)s did not respond by %(date)s")
                % {"item": whistle.item.name, "units": "、".join(silent), "date": whistle.respond_by},
                whistle.get_absolute_url(),
            )
            count += 1
    return count
