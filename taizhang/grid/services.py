"""Writes for grid governance. Each function is one atomic action named after a domain event.

The case state machine (``Case.State``)::

    reported ──register──▶ registered ──dispatch──▶ dispatched ──accept──▶ handling ──handle──▶ handled
       │  └──reject──▶ rejected              ▲                 │                    ▲              │
       │                                     │ (re)dispatch    └──return──▶ returned│          verify
       │                                     └──────────────────────────────┘       │          ┌──┴──┐
       │                                                                    rework ◀┘ fail   pass ▼
       │                                                                                        closed ──reopen──▶ registered
       └── any open state ──merge──▶ merged

* Every change appends a :class:`CaseEvent` (who, when, from, to, note).
* A change is applied with the case row locked and, for the command centre's
  decisions, only if the case still has the ``version`` the dispatcher saw: of two
  dispatchers acting on the same case at once exactly one wins; the other gets
  :class:`ConcurrentCaseError` and nothing changes.
* Illegal transitions (closing an undispatched case, verifying your own handling…)
  raise :class:`IllegalTransition` (a ``ValidationError``) or ``PermissionDenied``.
* A joint dispatch (吹哨) gives each department its own :class:`CaseAssignment` and
  clock; the case is handled when every department still on it has handled it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import secrets
import time
import uuid
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, connection, connections, models, transaction
from django.db.models import F, Q, signals
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.calendar import work_calendar
from taizhang.core.models import Notification
from taizhang.org.models import District, Person, Role, Unit

from . import access, clocks, geo, rollup
from .models import (
    MEDIA_URL_MAX_LENGTH,
    Case,
    CaseAssignment,
    CaseEvent,
    CasePhoto,
    Category,
    DispatchModel,
    GridCell,
    GridMember,
    RoutingRule,
    UnitLeader,
)
from .querysets import CENTRE_STATES, DEPARTMENT_STATES, OPEN_STATES

S = Case.State
A = CaseAssignment.State

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone
TRACKING_LENGTH = 12  # 31^12 ≈ 2^59: not guessable, not enumerable

PHOTO_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


class IllegalTransition(ValidationError):
    """The case is not in a state that allows this action."""


class ConcurrentCaseError(Exception):
    """Someone else changed the case since it was loaded; nothing was saved."""

    def __init__(self, case_id: int):
        self.case_id = case_id
        super().__init__(_("This case was changed by someone else in the meantime. Reload it and try again."))


def grid_setting(name: str, default):
    return getattr(settings, "TAIZHANG_GRID", {}).get(name, default)


def _office_hours() -> clocks.OfficeHours:
    periods = grid_setting("OFFICE_HOURS", None)
    if not periods:
        return clocks.OfficeHours()
    return clocks.OfficeHours(tuple((dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in periods))


def _deadline(start: dt.datetime, amount: int, unit: str) -> clocks.Deadline:
    return clocks.deadline(work_calendar(), start, amount, unit, _office_hours())


# --------------------------------------------------------------------------- grids


def _cell_fields(geometry: dict) -> dict:
    try:
        min_lat, max_lat, min_lng, max_lng = geo.bbox(geometry)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ValidationError({"geometry": _("The boundary must be a GeoJSON Polygon or MultiPolygon.")}) from exc
    return {"geometry": geometry, "min_lat": min_lat, "max_lat": max_lat, "min_lng": min_lng, "max_lng": max_lng}


@transaction.atomic
def cell_save(
    *,
    district: District,
    code: str,
    name: str,
    street: Unit,
    geometry: dict,
    community: Unit | None = None,
    head: Person | None = None,
) -> GridCell:
    """Create or update (by code) a grid cell."""
    for unit in (street, community):
        if unit is not None and unit.district_id != district.pk:
            raise ValidationError(_("The unit belongs to another district."))
    values = {"name": name, "street": street, "community": community, **_cell_fields(geometry)}
    if head is not None:
        values["head"] = head
    cell, _created = GridCell.objects.update_or_create(district=district, code=code, defaults=values)
    return cell


def cells_import_geojson(*, district: District, data: dict) -> int:
    """Import a FeatureCollection; each feature's properties: code, name, street, community (unit names)."""
    if data.get("type") != "FeatureCollection":
        raise ValidationError(_("Expected a GeoJSON FeatureCollection."))
    units = {u.name: u for u in Unit.objects.filter(district=district)}
    count = 0
    with transaction.atomic():
        for i, feature in enumerate(data.get("features") or [], start=1):
            props = feature.get("properties") or {}
            street = units.get(props.get("street", ""))
            if street is None:
                raise ValidationError(
                    _("Feature %(n)s: unknown street %(street)s.") % {"n": i, "street": props.get("street", "")}
                )
            community = units.get(props.get("community", "")) if props.get("community") else None
            cell_save(
                district=district,
                code=str(props.get("code") or f"{street.pk}-{i}"),
                name=str(props.get("name") or props.get("code") or i),
                street=street,
                community=community,
                geometry=feature.get("geometry") or {},
            )
            count += 1
    return count


@transaction.atomic
def member_assign(*, cell: GridCell, person: Person, kind: str = GridMember.Kind.FULL_TIME) -> GridMember:
    if person.district_id != cell.district_id:
        raise ValidationError(_("The person belongs to another district."))
    member, _created = GridMember.objects.update_or_create(cell=cell, person=person, defaults={"kind": kind})
    return member


# Per-process caches of what every report reads: the district's cells (for placing the
# point) and its incident types. Cleared on any save in this process (signals below,
# as admin edits bypass the services) and at most ``CACHE_SECONDS`` stale in another.
CACHE_SECONDS = 60.0
_cells_cache: dict[int, tuple[float, list[GridCell]]] = {}
_category_cache: dict[int, tuple[float, dict[int, Category]]] = {}
geojson_cache: dict[int, tuple[float, dict]] = {}


def caches_clear(**_kwargs) -> None:
    _cells_cache.clear()
    _category_cache.clear()
    geojson_cache.clear()


def cached(cache: dict, district_id: int, load):
    hit = cache.get(district_id)
    clock = time.monotonic()
    if hit is None or hit[0] < clock:
        hit = (clock + CACHE_SECONDS, load())
        cache[district_id] = hit
    return hit[1]


def _district_cells(district_id: int) -> list[GridCell]:
    return cached(
        _cells_cache,
        district_id,
        lambda: list(
            GridCell.objects.filter(district_id=district_id).only(
                "id", "geometry", "street_id", "community_id", "min_lat", "max_lat", "min_lng", "max_lng"
            )
        ),
    )


def category_active(*, district_id: int, pk) -> Category | None:
    """An active incident type of the district by id (cached per process), or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    by_pk = cached(
        _category_cache,
        district_id,
        lambda: {c.pk: c for c in Category.objects.filter(district_id=district_id, is_active=True)},
    )
    return by_pk.get(pk)


def cell_for_point(*, district_id: int, lat: float, lng: float) -> GridCell | None:
    """The grid cell containing the point (bounding boxes, then the exact test, over the cached cells)."""
    for cell in _district_cells(district_id):
        if cell.min_lat <= lat <= cell.max_lat and cell.min_lng <= lng <= cell.max_lng:
            if geo.contains(cell.geometry, lat, lng):
                return cell
    return None


# --------------------------------------------------------------------------- catalogue and routing

# The default catalogue: the event classes of GB/T 30428.2 (城市管理事件) and the most
# common component (部件) problems, with typical time limits.
# (code, name, parent code, dispatch limit, unit, handle limit, unit)
# fmt: off
DEFAULT_CATEGORIES = [
    ("01", "市容环境", None, 2, "hours", 3, "days"),
    ("0101", "暴露垃圾", "01", 1, "hours", 4, "hours"),
    ("0102", "积存垃圾渣土", "01", 1, "hours", 1, "days"),
    ("0103", "道路不洁", "01", 1, "hours", 4, "hours"),
    ("0104", "水域不洁", "01", 2, "hours", 2, "days"),
    ("0105", "绿地脏乱", "01", 2, "hours", 1, "days"),
    ("0106", "违章接坡", "01", 2, "hours", 3, "days"),
    ("02", "宣传广告", None, 2, "hours", 3, "days"),
    ("0201", "非法小广告", "02", 2, "hours", 1, "days"),
    ("0202", "违章张贴悬挂广告牌匾", "02", 2, "hours", 3, "days"),
    ("0203", "占道广告牌", "02", 2, "hours", 3, "days"),
    ("03", "施工管理", None, 2, "hours", 3, "days"),
    ("0301", "施工扰民", "03", 1, "hours", 1, "days"),
    ("0302", "施工废弃料", "03", 2, "hours", 2, "days"),
    ("0303", "道路破损", "03", 2, "hours", 5, "days"),
    ("0304", "违法建设", "03", 2, "hours", 10, "days"),
    ("04", "突发事件", None, 1, "hours", 8, "hours"),
    ("0401", "地下管网破裂", "04", 1, "hours", 8, "hours"),
    ("0402", "路面塌陷", "04", 1, "hours", 8, "hours"),
    ("0403", "道路积水", "04", 1, "hours", 4, "hours"),
    ("0404", "火灾隐患", "04", 1, "hours", 4, "hours"),
    ("05", "街面秩序", None, 2, "hours", 1, "days"),
    ("0501", "占道经营", "05", 1, "hours", 4, "hours"),
    ("0502", "店外经营", "05", 1, "hours", 4, "hours"),
    ("0503", "无照经营游商", "05", 1, "hours", 4, "hours"),
    ("0504", "机动车乱停放", "05", 1, "hours", 4, "hours"),
    ("0505", "非机动车乱停放", "05", 1, "hours", 1, "days"),
    ("06", "公用设施", None, 2, "hours", 3, "days"),
    ("0601", "井盖破损丢失", "06", 1, "hours", 8, "hours"),
    ("0602", "路灯损坏", "06", 2, "hours", 3, "days"),
    ("0603", "消防栓损坏", "06", 2, "hours", 3, "days"),
    ("07", "园林绿化", None, 2, "hours", 5, "days"),
    ("0701", "绿地破坏", "07", 2, "hours", 5, "days"),
    ("0702", "行道树倒伏", "07", 1, "hours", 1, "days"),
    ("08", "扩展事件", None, 2, "hours", 5, "days"),
    ("0801", "噪声扰民", "08", 2, "hours", 2, "days"),
    ("0802", "油烟污染", "08", 2, "hours", 5, "days"),
    ("0803", "群众诉求其他", "08", 2, "hours", 5, "days"),
]
# fmt: on


@transaction.atomic
def categories_import(*, district: District, rows: Iterable[dict]) -> int:
    """Create or update catalogue entries. Row keys: code, name, parent (code or empty), limits."""
    count = 0
    by_code = {c.code: c for c in Category.objects.filter(district=district)}
    for row in rows:
        parent = by_code.get(row.get("parent") or "")
        if row.get("parent") and parent is None:
            raise ValidationError(_("Unknown parent type %(code)s.") % {"code": row["parent"]})
        values = {"name": row["name"], "parent": parent}
        for key in ("dispatch_limit", "dispatch_unit", "handle_limit", "handle_unit"):
            if row.get(key) not in (None, ""):
                values[key] = row[key]
        cat, _created = Category.objects.update_or_create(district=district, code=row["code"], defaults=values)
        by_code[cat.code] = cat
        count += 1
    return count


def categories_load_default(*, district: District) -> int:
    keys = ("code", "name", "parent", "dispatch_limit", "dispatch_unit", "handle_limit", "handle_unit")
    return categories_import(district=district, rows=[dict(zip(keys, row, strict=True)) for row in DEFAULT_CATEGORIES])


@transaction.atomic
def routing_rule_add(*, category: Category, unit: Unit, street: Unit | None = None) -> RoutingRule:
    if unit.district_id != category.district_id or (street and street.district_id != category.district_id):
        raise ValidationError(_("The unit belongs to another district."))
    rule, _created = RoutingRule.objects.get_or_create(
        district_id=category.district_id, category=category, street=street, unit=unit
    )
    return rule


# --------------------------------------------------------------------------- intake


def tracking_code_new() -> str:
    """``TRACKING_LENGTH`` characters drawn uniformly and independently from the alphabet.

    One ``randbelow(31**12)`` written in base 31: the same distribution as twelve
    ``secrets.choice`` calls, at a tenth of the cost (it runs for every report).
    """
    n, base = secrets.randbelow(_TRACKING_SPACE), len(TRACKING_ALPHABET)
    chars = []
    for _i in range(TRACKING_LENGTH):
        n, digit = divmod(n, base)
        chars.append(TRACKING_ALPHABET[digit])
    return "".join(chars)


_TRACKING_SPACE = len(TRACKING_ALPHABET) ** TRACKING_LENGTH


def tracking_code_normalise(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[: TRACKING_LENGTH * 2]


def photo_check(f) -> tuple[str, str]:
    """Refuse anything but a real JPEG/PNG within the size limit, judged by content. Returns (type, ext)."""
    limit = grid_setting("MAX_PHOTO_BYTES", 8 * 1024 * 1024)
    if f.size > limit:
        raise ValidationError(_("A photo may be at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    detected = next(((ct, ext) for magic, ct, ext in PHOTO_SIGNATURES if head.startswith(magic)), None)
    if detected is None:
        raise ValidationError(_("Only JPEG and PNG photos are accepted."))
    content_type, ext = detected
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a dependency; magic bytes still guard
        return content_type, ext
    try:
        with Image.open(f) as img:
            img.verify()
            if img.format not in ("JPEG", "PNG"):
                raise ValueError(img.format)
    except Exception as exc:  # noqa: BLE001 - any decoder error means "not a photo"
        raise ValidationError(_("The photo could not be read as an image.")) from exc
    finally:
        f.seek(0)
    return content_type, ext


def media_url_check(url: str) -> str:
    """A link to media held elsewhere, kept as given if it is a plain http(s) URL ("" for none).

    Never fetched (see docs/adr/0002-open311-media-url.md): the checks only make sure
    the stored text is a web address a browser opens as such, not a ``javascript:`` or
    ``data:`` URL, not an address with credentials, not overlong.
    """
    url = (url or "").strip()
    if not url:
        return ""
    invalid = ValidationError(
        {"media_url": _("Give an http or https address of at most %(n)s characters.") % {"n": MEDIA_URL_MAX_LENGTH}}
    )
    if len(url) > MEDIA_URL_MAX_LENGTH or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise invalid
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise invalid from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        raise invalid
    return url


def _photos_check(photos: Sequence) -> list[tuple]:
    if len(photos) > grid_setting("MAX_PHOTOS", 5):
        raise ValidationError(_("At most %(n)s photos.") % {"n": grid_setting("MAX_PHOTOS", 5)})
    return [(f, *photo_check(f)) for f in photos]


def _photos_save(case: Case, checked: list[tuple], stage: str, actor: Person | None, now: dt.datetime) -> None:
    for f, content_type, ext in checked:
        f.seek(0)
        photo = CasePhoto(
            case=case, stage=stage, content_type=content_type, size=f.size, uploaded_by=actor, uploaded_at=now
        )
        photo.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(f.read()), save=False)
        photo.save()


def _event(case: Case, actor, action: str, before: str, after: str, now, note: str = "", unit=None) -> None:
    CaseEvent.objects.create(
        case=case, actor=actor, at=now, action=action, from_state=before, to_state=after, note=note, unit=unit
    )


def duplicate_candidate(*, case: Case) -> int | None:
    """The id of an open case of the same type reported nearby recently (the window and distance are settings)."""
    metres = grid_setting("DUPLICATE_METRES", 50)
    hours = grid_setting("DUPLICATE_HOURS", 72)
    dlat = metres / 111_000
    dlng = dlat * 1.5  # ≥ 1/cos(latitude) up to ±48°
    # Hand-written SQL: this runs for every report, and compiling the ORM query cost
    # more than running it (the partial index ``grid_case_nearby_open`` serves it).
    ops = connection.ops
    sql = (
        f"SELECT id, lat, lng FROM {Case._meta.db_table} WHERE district_id = %s AND category_id = %s"  # noqa: S608
        f" AND created_at >= %s AND created_at <= %s AND state IN ({', '.join(['%s'] * len(OPEN_STATES))})"
        " AND lat BETWEEN %s AND %s AND lng BETWEEN %s AND %s AND id <> %s ORDER BY created_at LIMIT 20"
    )
    params = [
        case.district_id,
        case.category_id,
        ops.adapt_datetimefield_value(case.created_at - dt.timedelta(hours=hours)),
        ops.adapt_datetimefield_value(case.created_at),
        *OPEN_STATES,
        case.lat - dlat,
        case.lat + dlat,
        case.lng - dlng,
        case.lng + dlng,
        case.pk or 0,
    ]
    for pk, lat, lng in _read_checking_connection(sql, params):
        if geo.distance_m(case.lat, case.lng, lat, lng) <= metres:
            return pk
    return None


def case_report(
    *,
    district: District | int,
    category: Category | int,
    description: str,
    lat: float,
    lng: float,
    source: str = Case.Source.GRID_WORKER,
    urgency: str = Case.Urgency.NORMAL,
    address: str = "",
    reporter: Person | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    photos: Sequence = (),
    idempotency_key: str | None = None,
    media_url: str = "",
    now: dt.datetime | None = None,
) -> Case:
    """Take in a report. With an ``idempotency_key`` a repeated request returns the first case.

    The returned case has ``replayed=True`` when it was already recorded. The path is
    kept lean for sustained intake: the type and the cell come from per-process
    caches, the key is checked by inserting (the unique constraint decides, so two
    copies of a request racing each other still make one case), then one indexed
    query for duplicates and, in one transaction, the case, its history line and the
    statistics row.
    """
    now = now or timezone.now()
    district_id = district if isinstance(district, int) else district.pk
    key = (idempotency_key or "").strip()[:80] or None
    if not isinstance(category, Category):
        category = category_active(district_id=district_id, pk=category)
    if category is None or category.district_id != district_id or not category.is_active:
        if key and (existing := _replayed(district_id, key)):
            return existing
        raise ValidationError({"category": _("Choose a valid incident type.")})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the problem.")})
    if len(description) > 2000:
        raise ValidationError({"description": _("At most 2000 characters.")})
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise ValidationError({"lat": _("Give the location.")}) from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"lat": _("Give the location.")})
    if urgency not in Case.Urgency.values:
        raise ValidationError({"urgency": _("Choose a valid urgency.")})
    if reporter is not None and reporter.district_id != district_id:
        raise PermissionDenied
    media_url = media_url_check(media_url)
    checked = _photos_check(photos)
    cell = cell_for_point(district_id=district_id, lat=lat, lng=lng)
    clock = _deadline(now, category.dispatch_limit, category.dispatch_unit)
    case = Case(
        district_id=district_id,
        source=source,
        category=category,
        description=description,
        address=(address or "")[:200],
        lat=lat,
        lng=lng,
        urgency=urgency,
        cell_id=cell.pk if cell else None,
        street_id=cell.street_id if cell else None,
        reporter=reporter,
        contact_name=(contact_name or "")[:40],
        contact_phone=(contact_phone or "")[:40],
        media_url=media_url,
        tracking_code=tracking_code_new(),
        idempotency_key=key,
        created_at=now,
        updated_at=now,
        dispatch_due=clock.due,
        dispatch_amber_at=clock.amber,
        clock_due=clock.due,
        clock_amber_at=clock.amber,
    )
    case.possible_duplicate_of_id = duplicate_candidate(case=case)
    try:
        _report_write(case, reporter, checked, now)
    except IntegrityError:
        # A key seen before (a retry, or the same request racing itself): the first one is the case.
        if key and (existing := _replayed(district_id, key)):
            return existing
        raise
    case.replayed = False
    return case


# Writing a report. On PostgreSQL a report without photos is one statement: the case,
# its history line and its statistics rows, chained by data-modifying CTEs
# (``_REPORT_SQL``). Outside a transaction that statement is its own transaction (no
# BEGIN/COMMIT round trips); inside one it runs in a savepoint, as ``atomic`` would.
# Everywhere else (photos, SQLite) the ORM writes the same rows in ``atomic``; a test
# compares the two field by field.
REPORT_IN_ONE_STATEMENT = True


def _report_write(case: Case, reporter: Person | None, checked: list[tuple], now: dt.datetime) -> None:
    """Record a new case with its history line, photos and statistics; IntegrityError on a repeated key."""
    deltas = rollup.difference(rollup.contribution(case, []), {})
    if REPORT_IN_ONE_STATEMENT and not checked and connection.vendor == "postgresql":
        if connection.in_atomic_block:
            with transaction.atomic():
                _report_insert(case, reporter, now, deltas)
        else:
            _report_insert(case, reporter, now, deltas)
        return
    with transaction.atomic():
        case.save(force_insert=True)
        _event(case, reporter, "report", "", S.REPORTED, now)
        _photos_save(case, checked, CasePhoto.Stage.REPORT, reporter, now)
        rollup.rollup_add(case.district_id, deltas)


_REPORT_SQL: dict[bool, str] = {}  # with statistics rows? → statement


def _report_fields() -> tuple[list, list]:
    """The columns the ORM would insert for a case and its history line (all concrete fields but the ids)."""
    case_fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    event_fields = [f for f in CaseEvent._meta.concrete_fields if not f.primary_key and f.attname != "case_id"]
    return case_fields, event_fields


def _report_sql(with_rollup: bool) -> str:
    """The statement: ≤ 50 parameters and ≤ 4 kB, so psycopg caches its conversion."""
    sql = _REPORT_SQL.get(with_rollup)
    if sql is not None:
        return sql
    from .models import CaseStatDay

    qn = connection.ops.quote_name
    case_fields, event_fields = _report_fields()
    stat_table = qn(CaseStatDay._meta.db_table)
    stat_columns = ", ".join(("district_id", *rollup.KEYS, *rollup.COUNTERS))
    case_pk = qn(Case._meta.pk.column)
    sql = (
        f"WITH c AS (INSERT INTO {qn(Case._meta.db_table)} ({', '.join(qn(f.column) for f in case_fields)})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(case_fields))}) RETURNING {case_pk}),"
        f" e AS (INSERT INTO {qn(CaseEvent._meta.db_table)}"
        f" ({qn(CaseEvent._meta.get_field('case').column)}, {', '.join(qn(f.column) for f in event_fields)})"
        f" SELECT c.{case_pk}, {', '.join(['%s'] * len(event_fields))} FROM c"
        f" RETURNING {qn(CaseEvent._meta.pk.column)})"
    )
    if with_rollup:
        # As ``rollup.rollup_add``: rows in key order (one JSON parameter, typed by the
        # table's row type), counters added on conflict. The rows go in only once the
        # case row is in (``EXISTS (… c)``): a report repeating a key that a concurrent
        # transaction is inserting waits on that key before it locks any rollup row.
        sql += (
            f", r AS (INSERT INTO {stat_table} ({stat_columns})"  # noqa: S608
            f" SELECT {stat_columns} FROM json_populate_recordset(NULL::{stat_table}, %s)"
            " WHERE EXISTS (SELECT 1 FROM c)"
            f" ON CONFLICT ({', '.join(('district_id', *rollup.KEYS))}) DO UPDATE SET"
            f" {', '.join(f'{n} = {stat_table}.{n} + excluded.{n}' for n in rollup.COUNTERS)})"
        )
    sql += " SELECT c.*, e.* FROM c, e"
    _REPORT_SQL[with_rollup] = sql
    return sql


# Field classes whose ``pre_save`` reads the attribute and whose ``get_db_prep_save`` returns
# a value of the given exact type (or None) unchanged: no need to call them for ~40 values
# per report. Anything else (dates, subclasses, other types) goes through Django's own.
_PLAIN_FIELDS = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.FloatField: float,
    models.ForeignKey: int,
}


def _db_values(obj, fields, conn) -> list:
    """What ``save()`` would send for ``fields`` of a new ``obj`` (``pre_save``, then ``get_db_prep_save``)."""
    values = []
    for f in fields:
        plain = _PLAIN_FIELDS.get(type(f))
        if plain is not None:
            value = getattr(obj, f.attname)
            if value is None or type(value) is plain:
                values.append(value)
                continue
        value = f.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):  # pragma: no cover - no case field defaults to an expression
            raise TypeError(f"{f.name}: expressions are not supported here")
        values.append(f.get_db_prep_save(value, conn))
    return values


def _report_insert(case: Case, reporter: Person | None, now: dt.datetime, deltas: dict) -> None:
    """The case, its "report" history line and its statistics rows in one statement (PostgreSQL).

    Sends the same ``pre_save``/``post_save`` signals as ``save()`` (both ``pre_save``
    before the statement, both ``post_save`` after it), so receivers — the assessment
    module's — see what they saw before.
    """
    conn = connections[connection.alias]  # the wrapper itself: ``connection`` is a proxy, slower per access
    using = conn.alias
    event = CaseEvent(case=case, actor=reporter, at=now, action="report", from_state="", to_state=S.REPORTED)
    signals.pre_save.send(sender=Case, instance=case, raw=False, using=using, update_fields=None)
    signals.pre_save.send(sender=CaseEvent, instance=event, raw=False, using=using, update_fields=None)
    case_fields, event_fields = _report_fields()
    params = _db_values(case, case_fields, conn) + _db_values(event, event_fields, conn)
    if deltas:
        rows = []
        for key in sorted(deltas, key=lambda k: (k[0], k[1].isoformat(), *k[2:])):
            row = dict(zip(rollup.KEYS, key, strict=True))
            row["day"] = row["day"].isoformat()
            row.update({n: deltas[key].get(n, 0) for n in rollup.COUNTERS}, district_id=case.district_id)
            rows.append(row)
        params.append(json.dumps(rows))
    with conn.cursor() as cursor:
        cursor.execute(_report_sql(bool(deltas)), params)
        case_id, event_id = cursor.fetchone()
    case.pk = case_id
    case._state.adding, case._state.db = False, using
    event.case = case  # sets case_id and keeps the case cached on the event (receivers read it)
    event.pk = event_id
    event._state.adding, event._state.db = False, using
    signals.post_save.send(sender=Case, instance=case, created=True, update_fields=None, raw=False, using=using)
    signals.post_save.send(sender=CaseEvent, instance=event, created=True, update_fields=None, raw=False, using=using)


def _read_checking_connection(sql: str, params: list) -> list:
    """Run a read; as the first statement of a request it doubles as the connection's health check.

    With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` on a reused connection before a
    request's first statement, one more round trip for every report. When this read is
    that first statement (outside a transaction), it stands in for the check: if it
    fails and the connection turns out dead (database restarted, idle connection cut),
    the connection is closed and the read sent again on a new one — what the check
    would have done — and any other failure is raised as before. A read is safe to send
    twice.
    """
    conn = connection
    standing_in = (
        conn.connection is not None
        and conn.health_check_enabled
        and not conn.health_check_done
        and not conn.in_atomic_block
    )
    if standing_in:
        conn.health_check_done = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    except (InterfaceError, OperationalError):
        if not standing_in or conn.is_usable():
            raise
    conn.close()
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _replayed(district_id: int, key: str) -> Case | None:
    existing = Case.objects.filter(district_id=district_id, idempotency_key=key).select_related("category").first()
    if existing is not None:
        existing.replayed = True
    return existing


# --------------------------------------------------------------------------- transitions


def _locked(case: Case, expected_version: int | None, allowed: Iterable[str]) -> Case:
    """Lock the case row and check it is still what the actor saw and in an allowed state."""
    current = Case.objects.select_for_update().select_related("category").get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConcurrentCaseError(case.pk)
    if current.state not in allowed:
        raise IllegalTransition(
            _("A case that is “%(state)s” cannot be changed that way.") % {"state": current.get_state_display()}
        )
    # What the case adds to the statistics now; ``_save`` adds the difference.
    current._rollup_before = rollup.contribution(current, _assignments_of(current))
    return current


def _assignments_of(case: Case) -> list[CaseAssignment]:
    return list(
        CaseAssignment.objects.filter(case_id=case.pk).only("id", "unit_id", "state", "on_time", "due_at", "amber_at")
    )


def case_clock_fields(state: str, dispatch_due, dispatch_amber_at, assignments: Iterable[CaseAssignment]) -> dict:
    """The running clock of a case in ``state``: ``clock_due`` and ``clock_amber_at`` (None when none runs)."""
    due = amber = None
    if state in CENTRE_STATES:
        due, amber = dispatch_due, dispatch_amber_at
    elif state in DEPARTMENT_STATES:
        active = [a for a in assignments if a.state in CaseAssignment.ACTIVE]
        if active:
            first = min(active, key=lambda a: (a.due_at, a.amber_at))
            due, amber = first.due_at, min(a.amber_at for a in active)
    return {"clock_due": due, "clock_amber_at": amber}


def _save(case: Case, now: dt.datetime, **fields) -> Case:
    """Apply a transition's changes to the locked case, with its running clock and its statistics."""
    fields["updated_at"] = now
    if "dispatch_due" in fields:
        # A new dispatch clock (back at the centre) or none (dispatched, closed): the
        # next overrun at the centre is a new escalation.
        fields.setdefault("centre_escalated_at", None)
    assignments = _assignments_of(case)
    fields.update(
        case_clock_fields(
            fields.get("state", case.state),
            fields.get("dispatch_due", case.dispatch_due),
            fields.get("dispatch_amber_at", case.dispatch_amber_at),
            assignments,
        )
    )
    rows = Case.objects.filter(pk=case.pk, version=case.version).update(version=F("version") + 1, **fields)
    if rows != 1:  # pragma: no cover - the row is locked; only a database without locks gets here
        raise ConcurrentCaseError(case.pk)
    for k, v in fields.items():
        setattr(case, k, v)
    case.version += 1
    before = getattr(case, "_rollup_before", {})
    rollup.rollup_add(case.district_id, rollup.difference(rollup.contribution(case, assignments), before))
    case._rollup_before = rollup.contribution(case, assignments)
    return case


def _require_dispatcher(actor: Person, case: Case) -> None:
    if not access.is_dispatcher(actor) or actor.district_id != case.district_id:
        raise PermissionDenied(_("Only the command centre may do this."))


def _notify(people: Iterable[Person], text: str, url: str) -> None:
    rows = [Notification(recipient=p, text=text[:300], url=url) for p in people]
    if rows:
        transaction.on_commit(lambda: Notification.objects.bulk_create(rows))


def _dispatchers(district_id: int):
    return Person.objects.filter(district_id=district_id, role=Role.DISPATCHER, is_active=True)


def _unit_staff(unit_ids: Iterable[int]):
    return Person.objects.filter(unit_id__in=list(unit_ids), role__in=access.HANDLER_ROLES, is_active=True)


@functools.cache
def _case_url_prefix() -> str:
    return reverse("grid:case", args=[0])[: -len("0/")]


def _url(case: Case) -> str:
    return f"{_case_url_prefix()}{case.pk}/"


@transaction.atomic
def case_register(*, actor: Person, case: Case, expected_version: int | None = None, note: str = "", now=None) -> Case:
    """The centre accepts the report as a case (立案)."""
    now = now or timezone.now()
    _require_dispatcher(actor, case)
    current = _locked(case, expected_version, [S.REPORTED])
    _save(current, now, state=S.REGISTERED)
    _event(current, actor, "register", S.REPORTED, S.REGISTERED, now, note)
    return current


@transaction.atomic
def case_reject(*, actor: Person, case: Case, reason: str, expected_version: int | None = None, now=None) -> Case:
    """The centre does not accept the report (not a city-management matter, no problem found…)."""
    now = now or timezone.now()
    _require_dispatcher(actor, case)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")})
    current = _locked(case, expected_version, [S.REPORTED, S.REGISTERED, S.RETURNED])
    before = current.state
    _save(current, now, state=S.REJECTED, closed_at=now, dispatch_due=None, dispatch_amber_at=None)
    _event(current, actor, "reject", before, S.REJECTED, now, reason.strip())
    return current


@transaction.atomic
def case_dispatch(
    *,
    actor: Person,
    case: Case,
    units: Sequence[Unit],
    expected_version: int | None = None,
    note: str = "",
    now=None,
) -> Case:
    """Send the case to one or more departments (several: a joint dispatch, 吹哨), each with its own clock."""
    now = now or timezone.now()
    _require_dispatcher(actor, case)
    units = list(dict.fromkeys(units))
    if not units:
        raise ValidationError({"units": _("Choose at least one department.")})
    if any(u.district_id != case.district_id for u in units):
        raise ValidationError({"units": _("The unit belongs to another district.")})
    current = _locked(case, expected_version, [S.REGISTERED, S.RETURNED])
    before = current.state
    category = current.category
    clock = _deadline(now, category.handle_limit, category.handle_unit)
    CaseAssignment.objects.bulk_create(
        [
            CaseAssignment(
                case=current, unit=u, is_lead=(i == 0), assigned_at=now, due_at=clock.due, amber_at=clock.amber
            )
            for i, u in enumerate(units)
        ]
    )
    _save(current, now, state=S.DISPATCHED, dispatched_at=now, dispatch_due=None, dispatch_amber_at=None)
    for u in units:
        _event(current, actor, "dispatch", before, S.DISPATCHED, now, note, unit=u)
    _notify(
        _unit_staff(u.pk for u in units),
        _("Case #%(id)s was dispatched to your unit: %(type)s.") % {"id": current.pk, "type": category.name},
        _url(current),
    )
    return current


def _my_assignments(actor: Person, case: Case, states) -> list[CaseAssignment]:
    mine = [a for a in access.handling_assignments(actor, case) if a.state in states]
    if not mine:
        raise PermissionDenied(_("This case is not assigned to your unit."))
    return mine


@transaction.atomic
def case_accept(*, actor: Person, case: Case, now=None) -> Case:
    """The department takes the case on (签收)."""
    now = now or timezone.now()
    current = _locked(case, None, [S.DISPATCHED, S.HANDLING, S.REWORK])
    mine = _my_assignments(actor, current, [A.PENDING])
    CaseAssignment.objects.filter(pk__in=[a.pk for a in mine]).update(state=A.HANDLING)
    before = current.state
    after = S.HANDLING if before == S.DISPATCHED else before
    _save(current, now, state=after)
    for a in mine:
        _event(current, actor, "accept", before, after, now, unit=a.unit)
    return current


def _settle(case: Case) -> str | None:
    """The case state implied by its assignments after a department acted (None: unchanged)."""
    states = [a.state for a in CaseAssignment.objects.filter(case=case).only("state")]
    live = [s for s in states if s not in (A.RETURNED, A.WITHDRAWN)]
    if not live:
        return S.RETURNED
    if all(s == A.HANDLED for s in live):
        return S.HANDLED
    return None


@transaction.atomic
def case_return(*, actor: Person, case: Case, reason: str, now=None) -> Case:
    """A department that is not responsible returns the case (退单) to the centre, with a reason."""
    now = now or timezone.now()
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")})
    current = _locked(case, None, [S.DISPATCHED, S.HANDLING])
    mine = _my_assignments(actor, current, CaseAssignment.ACTIVE)
    CaseAssignment.objects.filter(pk__in=[a.pk for a in mine]).update(
        state=A.RETURNED, return_reason=reason.strip(), handled_by=actor, handled_at=now
    )
    before = current.state
    after = _settle(current) or before
    fields = {"state": after}
    if after == S.RETURNED:
        # Back at the centre: the dispatch clock runs again.
        clock = _deadline(now, current.category.dispatch_limit, current.category.dispatch_unit)
        fields.update(dispatch_due=clock.due, dispatch_amber_at=clock.amber, return_count=current.return_count + 1)
    elif after == S.HANDLED:
        fields["handled_at"] = now
    _save(current, now, **fields)
    for a in mine:
        _event(current, actor, "return", before, after, now, reason.strip(), unit=a.unit)
    _notify(
        _dispatchers(current.district_id),
        _("Case #%(id)s was returned by %(unit)s.") % {"id": current.pk, "unit": mine[0].unit.name},
        _url(current),
    )
    return current


@transaction.atomic
def case_handle(*, actor: Person, case: Case, result: str, photos: Sequence = (), now=None) -> Case:
    """The department reports the problem fixed, with photos (处置反馈)."""
    now = now or timezone.now()
    if not (result or "").strip():
        raise ValidationError({"result": _("Describe what was done.")})
    checked = _photos_check(photos)
    current = _locked(case, None, [S.DISPATCHED, S.HANDLING, S.REWORK])
    mine = _my_assignments(actor, current, CaseAssignment.ACTIVE)
    for a in mine:
        CaseAssignment.objects.filter(pk=a.pk).update(
            state=A.HANDLED, handled_at=now, handled_by=actor, result=result.strip(), on_time=now <= a.due_at
        )
    _photos_save(current, checked, CasePhoto.Stage.FIX, actor, now)
    before = current.state
    settled = _settle(current)
    after = settled or (S.HANDLING if before == S.DISPATCHED else before)
    fields = {"state": after}
    if after == S.HANDLED:
        fields["handled_at"] = now
    _save(current, now, **fields)
    for a in mine:
        _event(current, actor, "handle", before, after, now, result.strip(), unit=a.unit)
    if after == S.HANDLED:
        verifiers = list(_dispatchers(current.district_id))
        if current.reporter_id:
            verifiers.append(current.reporter)
        _notify(verifiers, _("Case #%(id)s is handled and awaits verification.") % {"id": current.pk}, _url(current))
    return current


@transaction.atomic
def case_verify(*, actor: Person, case: Case, passed: bool, note: str = "", now=None) -> Case:
    """Verify the fix on site (核查): pass closes the case, fail sends it back for rework."""
    now = now or timezone.now()
    current = _locked(case, None, [S.HANDLED])
    if not access.can_verify(actor, current):
        raise PermissionDenied(_("You may not verify this case."))
    if passed:
        _save(current, now, state=S.CLOSED, closed_at=now, verified_by=actor)
        _event(current, actor, "verify", S.HANDLED, S.CLOSED, now, note)
        return current
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what is still wrong.")})
    clock = _deadline(now, current.category.handle_limit, current.category.handle_unit)
    CaseAssignment.objects.filter(case=current, state=A.HANDLED).update(
        state=A.HANDLING, due_at=clock.due, amber_at=clock.amber, escalated_at=None
    )
    _save(current, now, state=S.REWORK, handled_at=None, rework_count=current.rework_count + 1)
    _event(current, actor, "rework", S.HANDLED, S.REWORK, now, note.strip())
    units = CaseAssignment.objects.filter(case=current, state=A.HANDLING).values_list("unit_id", flat=True)
    _notify(_unit_staff(units), _("Case #%(id)s failed verification.") % {"id": current.pk}, _url(current))
    return current


@transaction.atomic
def case_rate(*, case: Case, satisfaction: int, actor: Person | None = None, now=None) -> Case:
    """The reporter (a citizen through the tracking code) rates the result, once, after closure."""
    now = now or timezone.now()
    try:
        satisfaction = int(satisfaction)
    except (TypeError, ValueError):
        satisfaction = 0
    if not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": _("Rate from 1 to 5.")})
    current = _locked(case, None, [S.CLOSED])
    if actor is not None and actor.pk != current.reporter_id:
        raise PermissionDenied
    if current.satisfaction is not None:
        raise IllegalTransition(_("This case has already been rated."))
    _save(current, now, satisfaction=satisfaction)
    _event(current, actor, "rate", S.CLOSED, S.CLOSED, now, str(satisfaction))
    return current


@transaction.atomic
def case_reopen(*, case: Case, reason: str, actor: Person | None = None, now=None) -> Case:
    """Reopen a closed case within the window (``TAIZHANG_GRID["REOPEN_DAYS"]``): back to the centre."""
    now = now or timezone.now()
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")})
    current = _locked(case, None, [S.CLOSED])
    if actor is not None and not (access.is_dispatcher(actor) or actor.pk == current.reporter_id):
        raise PermissionDenied
    if actor is not None and actor.district_id != current.district_id:
        raise PermissionDenied
    days = grid_setting("REOPEN_DAYS", 10)
    if current.closed_at and now > current.closed_at + dt.timedelta(days=days):
        raise IllegalTransition(_("A case can be reopened only within %(n)s days of closure.") % {"n": days})
    clock = _deadline(now, current.category.dispatch_limit, current.category.dispatch_unit)
    CaseAssignment.objects.filter(case=current, state__in=[A.HANDLED, *CaseAssignment.ACTIVE]).update(state=A.WITHDRAWN)
    _save(
        current,
        now,
        state=S.REGISTERED,
        closed_at=None,
        handled_at=None,
        verified_by=None,
        satisfaction=None,
        reopen_count=current.reopen_count + 1,
        dispatch_due=clock.due,
        dispatch_amber_at=clock.amber,
    )
    _event(current, actor, "reopen", S.CLOSED, S.REGISTERED, now, reason.strip())
    _notify(_dispatchers(current.district_id), _("Case #%(id)s was reopened.") % {"id": current.pk}, _url(current))
    return current


@transaction.atomic
def case_merge(*, actor: Person, case: Case, into: Case, expected_version: int | None = None, now=None) -> Case:
    """Merge a duplicate into the case that carries on; the duplicate's departments are withdrawn."""
    now = now or timezone.now()
    _require_dispatcher(actor, case)
    if into.pk == case.pk or into.district_id != case.district_id or into.state == S.MERGED:
        raise ValidationError({"into": _("Choose another case of the district to merge into.")})
    current = _locked(case, expected_version, OPEN_STATES)
    before = current.state
    CaseAssignment.objects.filter(case=current, state__in=CaseAssignment.ACTIVE).update(state=A.WITHDRAWN)
    _save(current, now, state=S.MERGED, merged_into=into, closed_at=now, dispatch_due=None, dispatch_amber_at=None)
    _event(current, actor, "merge", before, S.MERGED, now, f"#{into.pk}")
    _event(into, actor, "absorb", into.state, into.state, now, f"#{current.pk}")
    return current


def case_dispatch_confirm(
    *, actor: Person, case: Case, units: Sequence[Unit], expected_version: int | None = None, note: str = "", now=None
) -> Case:
    """Register (when still only reported) and dispatch in one step, as the board's button does."""
    with transaction.atomic():
        if case.state == S.REPORTED:
            case = case_register(actor=actor, case=case, expected_version=expected_version, now=now)
            expected_version = case.version
        return case_dispatch(actor=actor, case=case, units=units, expected_version=expected_version, note=note, now=now)


# --------------------------------------------------------------------------- escalation


def cases_escalate(*, now: dt.datetime | None = None) -> int:
    """Escalate what is overdue, each once per clock; returns how many escalations were made.

    * A department's overdue assignment (handling stage): the unit's head (unit admins),
      the district leader in charge of the unit (:class:`UnitLeader`) and the centre.
    * A case overdue at the command centre (reported, registered or returned and not
      dispatched by its dispatch deadline): see :func:`_centre_people`. Once per stay
      at the centre: a case returned or reopened later gets a new dispatch clock and
      escalates again if that one runs out too.

    The verification stage (handled) has no clock, so nothing escalates there; closed,
    rejected and merged cases have no running clock. Each escalation is claimed by a
    conditional UPDATE, so concurrent runs escalate each clock exactly once.
    """
    now = now or timezone.now()
    return _centre_escalate(now) + _assignments_escalate(now)


def _assignments_escalate(now: dt.datetime) -> int:
    count = 0
    overdue = (
        CaseAssignment.objects.filter(state__in=CaseAssignment.ACTIVE, due_at__lt=now, escalated_at__isnull=True)
        .select_related("unit__grid_leader__leader", "case")
        .order_by("id")[:5000]
    )
    answerable: dict[int, list[Person]] = {}  # unit → its head(s), its leader and the centre, once per run
    for a in overdue:
        with transaction.atomic():
            if not CaseAssignment.objects.filter(pk=a.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            if a.unit_id not in answerable:
                people = list(Person.objects.filter(unit=a.unit, role=Role.UNIT_ADMIN, is_active=True))
                leader = getattr(getattr(a.unit, "grid_leader", None), "leader", None)
                if leader is not None:
                    people.append(leader)
                answerable[a.unit_id] = people + list(_dispatchers(a.case.district_id))
            people = answerable[a.unit_id]
            _notify(
                people,
                _("Case #%(id)s is overdue at %(unit)s.") % {"id": a.case_id, "unit": a.unit.name},
                _url(a.case),
            )
            _event(a.case, None, "escalate", a.case.state, a.case.state, now, unit=a.unit)
            count += 1
    return count


def _centre_people(district_id: int) -> tuple[list[Person], Unit | None]:
    """Who answers for a case overdue at the command centre, and the centre's unit.

    The dispatchers (the centre's head, to be told, holds that role: ``access`` shows
    grid cases to no other centre staff) and the district leader in charge of the centre
    (the :class:`UnitLeader` of its unit) or, when none is set, the supervision office (督查).
    """
    dispatchers = list(_dispatchers(district_id))
    unit_ids = sorted({p.unit_id for p in dispatchers if p.unit_id})
    leaders = [
        ul.leader
        for ul in UnitLeader.objects.filter(unit_id__in=unit_ids).select_related("leader")
        if ul.leader.is_active
    ]
    if not leaders:
        leaders = list(Person.objects.filter(district_id=district_id, role=Role.SUPERVISOR, is_active=True))
    people = list({p.pk: p for p in [*dispatchers, *leaders]}.values())
    unit = Unit.objects.get(pk=unit_ids[0]) if len(unit_ids) == 1 else None
    return people, unit


def _centre_escalate(now: dt.datetime) -> int:
    count = 0
    overdue = Q(state__in=CENTRE_STATES, dispatch_due__lt=now, centre_escalated_at__isnull=True)
    waiting = list(Case.objects.filter(overdue).order_by("dispatch_due", "id").values_list("id", "district_id")[:5000])
    answerable: dict[int, tuple[list[Person], Unit | None]] = {}
    for pk, district_id in waiting:
        with transaction.atomic():
            # Claimed only if still waiting, overdue and unescalated: a dispatcher who acted
            # meanwhile, or a concurrent run, leaves nothing to claim.
            if not Case.objects.filter(overdue, pk=pk).update(centre_escalated_at=now):
                continue
            case = Case.objects.only("id", "district_id", "state").get(pk=pk)
            if district_id not in answerable:
                answerable[district_id] = _centre_people(district_id)
            people, centre = answerable[district_id]
            _notify(
                people, _("Case #%(id)s was not dispatched in time by the command centre.") % {"id": pk}, _url(case)
            )
            _event(case, None, "escalate", case.state, case.state, now, unit=centre)
            count += 1
    return count


# --------------------------------------------------------------------------- department suggestion


def _classifier():
    try:
        from . import classifier
    except ImportError:
        return None
    return classifier


def case_text(category_name: str, description: str) -> str:
    return f"{category_name} {description}"


def dispatch_model_train(*, district: District, now: dt.datetime | None = None) -> DispatchModel | None:
    """Train the department-suggestion model on the district's dispatch history (lead departments).

    Accuracy is measured on a held-out 20 % of the cases (``classifier.evaluate``); the
    stored model is then trained on all of them. Returns None when the classifier module or enough history is missing.
    """
    classifier = _classifier()
    if classifier is None:
        return None
    rows = list(
        CaseAssignment.objects.filter(case__district=district, is_lead=True)
        .exclude(state__in=[A.RETURNED, A.WITHDRAWN])
        .order_by("case_id")
        .values_list("case_id", "case__category__name", "case__description", "unit_id")
    )
    if len({r[3] for r in rows}) < 2 or len(rows) < 10:
        return None
    texts = [case_text(r[1], r[2]) for r in rows]
    labels = [str(r[3]) for r in rows]
    test_idx = [i for i, r in enumerate(rows) if r[0] % 5 == 0]
    train_idx = [i for i, r in enumerate(rows) if r[0] % 5 != 0]
    accuracy = None
    if hasattr(classifier, "evaluate"):
        accuracy = classifier.evaluate(texts, labels, holdout=0.2)["accuracy"]
    elif test_idx and train_idx:
        held = classifier.train([texts[i] for i in train_idx], [labels[i] for i in train_idx])
        hits = 0
        for i in test_idx:
            top = held.suggest(texts[i])
            hits += bool(top) and top[0][0] == labels[i]
        accuracy = hits / len(test_idx)
    model = classifier.train(texts, labels)
    blob = model.dumps()
    if isinstance(blob, str):
        blob = blob.encode()
    return DispatchModel.objects.create(
        district=district, trained_at=now or timezone.now(), n_cases=len(rows), accuracy=accuracy, blob=blob
    )
