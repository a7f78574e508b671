"""The incident catalogue (事件分类) as an .xlsx file: export/template and import.

One row per incident type (小类) under its class (大类), with the time limits of the
dispatch and handling stages and, optionally, the departments responsible district-wide
(责任部门: names separated by 、). The export of a district's catalogue is also its import
template, so the command centre edits the file it downloads. An import is all or nothing:
any bad row gives a row-by-row report and nothing is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.core.xlsx import xlsx_response
from taizhang.core.xlsx_upload import ImportReport, RowError, open_upload
from taizhang.org.models import District, Unit

from . import services
from .models import Category, LimitUnit, RoutingRule

SHEET = "事件分类"
H_CLASS_CODE, H_CLASS_NAME, H_CODE, H_NAME = "大类编码", "大类名称", "小类编码", "小类名称"
H_DISPATCH, H_DISPATCH_UNIT, H_HANDLE, H_HANDLE_UNIT = "派遣时限", "派遣时限单位", "处置时限", "处置时限单位"
H_UNITS, H_ACTIVE = "责任部门", "启用"
HEADERS = [H_CLASS_CODE, H_CLASS_NAME, H_CODE, H_NAME, H_DISPATCH, H_DISPATCH_UNIT, H_HANDLE, H_HANDLE_UNIT]
HEADERS += [H_UNITS, H_ACTIVE]
REQUIRED = [H_CLASS_CODE, H_CLASS_NAME, H_CODE, H_NAME, H_DISPATCH, H_DISPATCH_UNIT, H_HANDLE, H_HANDLE_UNIT]

UNIT_LABELS = {"工作小时": LimitUnit.HOURS, "小时": LimitUnit.HOURS, "工作日": LimitUnit.DAYS, "天": LimitUnit.DAYS}
UNIT_NAMES = {LimitUnit.HOURS: "工作小时", LimitUnit.DAYS: "工作日"}
YES, NO = {"是", "启用", "Y", "YES", "1", "TRUE"}, {"否", "停用", "N", "NO", "0", "FALSE"}
_CODE = re.compile(r"^[0-9A-Za-z_-]{1,20}$")
_SEPARATORS = re.compile(r"[、,，;；/／\n]+")
MAX_LIMIT = 999
MAX_ROWS = 2000


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --------------------------------------------------------------------------- export


def export_response(district: District):
    """The district's catalogue, one row per type; with no catalogue yet, the GB/T 30428 default."""
    types = list(
        Category.objects.filter(district=district, parent__isnull=False)
        .select_related("parent")
        .prefetch_related("routing_rules__unit")
        .order_by("parent__code", "code")
    )
    if types:
        rows = [
            {
                H_CLASS_CODE: c.parent.code,
                H_CLASS_NAME: c.parent.name,
                H_CODE: c.code,
                H_NAME: c.name,
                H_DISPATCH: c.dispatch_limit,
                H_DISPATCH_UNIT: UNIT_NAMES[c.dispatch_unit],
                H_HANDLE: c.handle_limit,
                H_HANDLE_UNIT: UNIT_NAMES[c.handle_unit],
                H_UNITS: "、".join(r.unit.name for r in c.routing_rules.all() if r.street_id is None),
                H_ACTIVE: "是" if c.is_active else "否",
            }
            for c in types
        ]
    else:
        classes = {code: name for code, name, parent, *_ in services.DEFAULT_CATEGORIES if parent is None}
        rows = [
            dict(
                zip(
                    HEADERS,
                    [parent, classes[parent], code, name, dl, UNIT_NAMES[du], hl, UNIT_NAMES[hu], "", "是"],
                    strict=True,
                )
            )
            for code, name, parent, dl, du, hl, hu in services.DEFAULT_CATEGORIES
            if parent is not None
        ]
    columns = [(h, lambda row, h=h: row[h]) for h in HEADERS]
    return xlsx_response(filename=f"{district.name}事件分类.xlsx", sheet_title=SHEET, columns=columns, rows=rows)


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult(ImportReport):
    created: int = 0
    updated: int = 0


@dataclass
class _Row:
    row: int
    class_code: str
    class_name: str
    code: str
    name: str
    limits: dict
    units: list[Unit] | None  # None: the column is absent or the cell empty — routing unchanged
    active: bool


def catalogue_import(*, district: District, file) -> ImportResult:
    """Create or update the district's incident types from an .xlsx file, all or nothing."""
    result = ImportResult()
    wb = open_upload(file, result.errors)
    if wb is None:
        return result
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        rows_iter = ws.iter_rows(values_only=True)
        header = [_text(v) for v in (next(rows_iter, None) or ())]
        index = {h: header.index(h) for h in HEADERS if h in header}
        for h in REQUIRED:
            if h not in index:
                result.errors.append(
                    RowError(ws.title, 1, h, _("This required column is missing from the header row."))
                )
        if result.errors:
            return result
        parsed = _read(ws.title, rows_iter, index, district, result)
    finally:
        wb.close()
    if not result.errors:
        _save(district, parsed, result)
    return result


def _read(sheet: str, rows_iter, index: dict, district: District, result: ImportResult) -> list[_Row]:
    units = {u.name: u for u in Unit.objects.filter(district=district, is_active=True)}
    existing = {c.code: c for c in Category.objects.filter(district=district)}
    parsed: list[_Row] = []
    class_names: dict[str, str] = {}
    seen: dict[str, int] = {}
    for number, values in enumerate(rows_iter, start=2):

        def cell(h, values=values):
            i = index.get(h)
            return _text(values[i]) if i is not None and i < len(values) else ""

        if not any(cell(h) for h in HEADERS):
            continue
        result.rows += 1
        if result.rows > MAX_ROWS:
            result.errors.append(
                RowError(sheet, number, "", _("A catalogue may have at most %(n)d types.") % {"n": MAX_ROWS})
            )
            break
        errors_before = len(result.errors)

        def add(column: str, message: str, number=number) -> None:
            result.errors.append(RowError(sheet, number, column, message))

        values_of = {h: cell(h) for h in HEADERS}
        for h in REQUIRED:
            if not values_of[h]:
                add(h, _("This cell is required."))
        class_code, code = values_of[H_CLASS_CODE], values_of[H_CODE]
        for h, value in ((H_CLASS_CODE, class_code), (H_CODE, code)):
            if value and not _CODE.match(value):
                add(h, _("A code has 1 to 20 letters, digits, “-” or “_”."))
        for h in (H_CLASS_NAME, H_NAME):
            if len(values_of[h]) > 60:
                add(h, _("At most 60 characters."))
        if code and class_code and code == class_code:
            add(H_CODE, _("A type cannot have the code of its class."))
        if code in seen:
            add(H_CODE, _("The code %(code)s is already used in row %(row)d.") % {"code": code, "row": seen[code]})
        elif code:
            seen[code] = number
        if code in existing and existing[code].parent_id is None:
            add(H_CODE, _("%(code)s is the code of a class, not of a type.") % {"code": code})
        if class_code in existing and existing[class_code].parent_id is not None:
            add(H_CLASS_CODE, _("%(code)s is the code of a type, not of a class.") % {"code": class_code})
        name = values_of[H_CLASS_NAME]
        if class_code and name and class_names.setdefault(class_code, name) != name:
            add(H_CLASS_NAME, _("Class %(code)s is named “%(name)s” in an earlier row.") % {
                "code": class_code, "name": class_names[class_code]})  # fmt: skip
        limits = {}
        for h_limit, h_unit, key in ((H_DISPATCH, H_DISPATCH_UNIT, "dispatch"), (H_HANDLE, H_HANDLE_UNIT, "handle")):
            raw = values_of[h_limit]
            if raw:
                try:
                    limit = int(raw)
                    if str(limit) != raw or not 1 <= limit <= MAX_LIMIT:
                        raise ValueError
                    limits[f"{key}_limit"] = limit
                except ValueError:
                    add(h_limit, _("A whole number from 1 to %(max)d.") % {"max": MAX_LIMIT})
            unit_label = values_of[h_unit]
            if unit_label:
                if unit_label not in UNIT_LABELS:
                    add(h_unit, _("Write 工作小时 or 工作日."))
                else:
                    limits[f"{key}_unit"] = UNIT_LABELS[unit_label]
        responsible = None
        if values_of[H_UNITS]:
            responsible = []
            for unit_name in (n.strip() for n in _SEPARATORS.split(values_of[H_UNITS])):
                if not unit_name:
                    continue
                if unit_name not in units:
                    add(H_UNITS, _("There is no unit named “%(name)s” in this district.") % {"name": unit_name})
                elif units[unit_name] not in responsible:
                    responsible.append(units[unit_name])
        active_text = values_of[H_ACTIVE].upper()
        if active_text and active_text not in YES and active_text not in NO:
            add(H_ACTIVE, _("Write 是 or 否."))
        if len(result.errors) == errors_before:
            parsed.append(
                _Row(number, class_code, name, code, values_of[H_NAME], limits, responsible, active_text not in NO)
            )
    if not result.rows and not result.errors:
        result.errors.append(RowError(sheet, 0, "", _("The file has no rows to import.")))
    return parsed


@transaction.atomic
def _save(district: District, rows: list[_Row], result: ImportResult) -> None:
    existing = {c.code for c in Category.objects.filter(district=district)}
    classes = [{"code": r.class_code, "name": r.class_name, "parent": ""} for r in rows]
    types = [{"code": r.code, "name": r.name, "parent": r.class_code, **r.limits} for r in rows]
    services.categories_import(district=district, rows=list({c["code"]: c for c in classes}.values()) + types)
    by_code = {c.code: c for c in Category.objects.filter(district=district, code__in=[r.code for r in rows])}
    for r in rows:
        category = by_code[r.code]
        if category.is_active != r.active:
            Category.objects.filter(pk=category.pk).update(is_active=r.active)
        if r.units is not None:
            # The district-wide rules become exactly the listed departments; street overrides stay.
            RoutingRule.objects.filter(category=category, street__isnull=True).exclude(unit__in=r.units).delete()
            for unit in r.units:
                services.routing_rule_add(category=category, unit=unit)
        if r.code in existing:
            result.updated += 1
        else:
            result.created += 1
    services.caches_clear()  # ``update()`` above sends no signal
