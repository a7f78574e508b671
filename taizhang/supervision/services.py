"""Writes of the supervision office: issue, generate, reply to and close notices.

Each function is one atomic action. Illegal transitions (reply twice, close before
the reply) raise ``ValidationError``; acting without the role raises
``PermissionDenied``. Every step appends a "notice" line to the item's history and
tells the other side after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.calendar import today as local_today
from taizhang.core.calendar import work_calendar
from taizhang.core.models import Notification
from taizhang.ledger.models import Item, ItemEvent, Status
from taizhang.ledger.status import reason_text
from taizhang.org.models import District, Person, Role

from .access import can_close_notice, can_reply_notice, is_supervisor
from .models import SupervisionNotice

LAGGING = (Status.RED, Status.AMBER)
NUMBER_FORMAT = "督办〔{year}〕{serial}号"


def notice_number(year: int, serial: int) -> str:
    """The official document number, e.g. 督办〔2026〕12号 (format: TAIZHANG_NOTICE_NUMBER_FORMAT)."""
    fmt = getattr(settings, "TAIZHANG_NOTICE_NUMBER_FORMAT", NUMBER_FORMAT)
    return fmt.format(year=year, serial=serial)


def notice_reason(item: Item) -> str:
    """Why the item is supervised: its red/amber status reasons, one per line."""
    lines = [reason_text(r) for r in item.status_reasons or [] if r.get("level") in LAGGING]
    return "\n".join(lines)


def _notify(people: Iterable[Person], text: str, url: str) -> None:
    rows = [Notification(recipient=p, text=text[:300], url=url) for p in people]
    if rows:
        transaction.on_commit(lambda: Notification.objects.bulk_create(rows))


def _record(notice: SupervisionNotice, actor: Person | None, summary: str, changes: dict | None = None) -> None:
    ItemEvent.objects.create(
        item_id=notice.item_id,
        actor=actor,
        kind=ItemEvent.Kind.NOTICE,
        summary=summary[:300],
        changes={"notice": notice.number, **(changes or {})},
    )


def _require_supervisor(actor: Person, district_id: int) -> None:
    if not is_supervisor(actor) or actor.district_id != district_id:
        raise PermissionDenied(_("Only the supervision office may issue or close supervision notices."))


def _next_serial(district_id: int, year: int) -> int:
    # Lock the district row so two issuers never draw the same serial (PostgreSQL);
    # SQLite serialises writers anyway.
    District.objects.select_for_update().filter(pk=district_id).first()
    top = SupervisionNotice.objects.filter(district_id=district_id, year=year).aggregate(m=Max("serial"))["m"]
    return (top or 0) + 1


def _issue(
    *, actor: Person, item: Item, requirement: str, days: int, month: dt.date, today: dt.date, now: dt.datetime
) -> SupervisionNotice:
    if SupervisionNotice.objects.filter(item=item).exclude(state=SupervisionNotice.State.CLOSED).exists():
        raise ValidationError(_("“%(item)s” already has an open supervision notice.") % {"item": item.name})
    serial = _next_serial(item.district_id, today.year)
    notice = SupervisionNotice.objects.create(
        district_id=item.district_id,
        item=item,
        unit_id=item.lead_unit_id,
        year=today.year,
        serial=serial,
        number=notice_number(today.year, serial),
        month=month.replace(day=1),
        reason=notice_reason(item),
        requirement=requirement,
        issued_by=actor,
        issued_at=now,
        reply_due=work_calendar().add_workdays(today, days),
    )
    _record(
        notice,
        actor,
        _("Supervision notice %(number)s issued, reply due %(date)s")
        % {"number": notice.number, "date": notice.reply_due.isoformat()},
    )
    addressees = Person.objects.filter(unit_id=notice.unit_id, role__in=[Role.UNIT_ADMIN, Role.REPORTER])
    _notify(
        addressees,
        _("Supervision notice %(number)s on “%(item)s”: reply by %(date)s")
        % {"number": notice.number, "item": item.name, "date": notice.reply_due.isoformat()},
        notice.get_absolute_url(),
    )
    return notice


def _reply_days(reply_within_workdays: int | None) -> int:
    days = reply_within_workdays or settings.TAIZHANG_NOTICE_DEFAULT_DAYS
    if not 1 <= days <= 30:
        raise ValidationError({"reply_within_workdays": _("The reply time must be between 1 and 30 working days.")})
    return days


def default_requirement() -> str:
    return _(
        "Analyse the causes of the delay, take effective measures to catch up, "
        "and reply in writing on the measures and their results by the deadline."
    )


@transaction.atomic
def notice_issue(
    *,
    actor: Person,
    item: Item,
    requirement: str,
    reply_within_workdays: int | None = None,
    month: dt.date | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> SupervisionNotice:
    """Send a supervision notice about ``item`` to its lead unit."""
    _require_supervisor(actor, item.district_id)
    if item.is_archived:
        raise ValidationError(_("Archived items cannot be supervised."))
    today = today or local_today()
    now = now or timezone.now()
    days = _reply_days(reply_within_workdays)
    requirement = (requirement or "").strip() or default_requirement()
    return _issue(
        actor=actor, item=item, requirement=requirement, days=days, month=month or today, today=today, now=now
    )


def items_needing_notice(*, district: District, month: dt.date) -> QuerySet:
    """Live, unfinished items that are red, amber or overdue and have no open notice
    and no notice for ``month`` yet."""
    month = month.replace(day=1)
    noticed = SupervisionNotice.objects.filter(
        Q(month=month) | ~Q(state=SupervisionNotice.State.CLOSED), district=district
    ).values("item_id")
    return (
        Item.objects.live()
        .filter(district=district, completed_on__isnull=True)
        .filter(Q(status__in=LAGGING) | Q(is_overdue=True))
        .exclude(pk__in=noticed)
        .select_related("lead_unit")
        .order_by("lead_unit__sort_order", "lead_unit_id", "code", "id")
    )


@transaction.atomic
def notices_generate_for_month(
    *,
    actor: Person,
    district: District,
    month: dt.date,
    reply_within_workdays: int | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[SupervisionNotice]:
    """Issue one notice per lagging or overdue item that has none open (idempotent)."""
    from taizhang.ledger.services import statuses_refresh

    _require_supervisor(actor, district.id)
    today = today or local_today()
    now = now or timezone.now()
    days = _reply_days(reply_within_workdays)
    statuses_refresh(district_id=district.id, today=today)
    requirement = default_requirement()
    return [
        _issue(actor=actor, item=item, requirement=requirement, days=days, month=month, today=today, now=now)
        for item in items_needing_notice(district=district, month=month)
    ]


@transaction.atomic
def notice_reply(
    *, actor: Person, notice: SupervisionNotice, text: str, now: dt.datetime | None = None
) -> SupervisionNotice:
    """The addressee unit answers the notice (once)."""
    if not can_reply_notice(actor, notice):
        raise PermissionDenied(_("Only the addressee unit may reply to this notice."))
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.state != SupervisionNotice.State.ISSUED:
        raise ValidationError(_("This notice has already been replied to; it cannot be answered again."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"reply_text": _("Write your unit's reply.")})
    notice.state = SupervisionNotice.State.REPLIED
    notice.reply_text = text
    notice.replied_at = now or timezone.now()
    notice.replied_by = actor
    notice.save(update_fields=["state", "reply_text", "replied_at", "replied_by"])
    _record(
        notice,
        actor,
        _("%(unit)s replied to supervision notice %(number)s: %(text)s")
        % {"unit": notice.unit, "number": notice.number, "text": text[:100]},
    )
    _notify(
        [notice.issued_by],
        _("%(unit)s replied to supervision notice %(number)s") % {"unit": notice.unit, "number": notice.number},
        notice.get_absolute_url(),
    )
    return notice


@transaction.atomic
def notice_close(*, actor: Person, notice: SupervisionNotice, now: dt.datetime | None = None) -> SupervisionNotice:
    """The supervision office closes a notice once the unit has replied."""
    if not can_close_notice(actor, notice):
        raise PermissionDenied(_("Only the supervision office may close supervision notices."))
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.state == SupervisionNotice.State.CLOSED:
        raise ValidationError(_("This notice is already closed."))
    if notice.state != SupervisionNotice.State.REPLIED:
        raise ValidationError(_("A notice can only be closed after the unit has replied."))
    notice.state = SupervisionNotice.State.CLOSED
    notice.closed_at = now or timezone.now()
    notice.closed_by = actor
    notice.save(update_fields=["state", "closed_at", "closed_by"])
    _record(notice, actor, _("Supervision notice %(number)s closed") % {"number": notice.number})
    return notice
