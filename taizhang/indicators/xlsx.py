"""Indicator figures in and out of Excel, in the statistics bureau's own layout.

One sheet «指标数据», one row per indicator and month::

    指标 | 年份 | 月份 | 全年目标 | 累计完成 | 同比增长(%) | 全市平均增长(%) | 渭滨区累计 | 渭滨区增长(%) | …

then one column pair per other district of the city ("XX区累计", "XX区增长(%)"), as
many as the city has. 指标 is the indicator's name or code. The export writes the same
layout, so an exported year re-imports as it is.

Headers are the file format (plain Chinese); messages go through gettext. An import is
all or nothing: every row is checked first, then all rows are recorded through
``services.indicator_value_record`` in one transaction, rolled back on any error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from taizhang.core.xlsx import HEADER_ALIGNMENT, HEADER_FILL, HEADER_FONT, bytes_response, workbook_bytes, xlsx_response
from taizhang.core.xlsx_upload import ImportReport, RowError, open_upload
from taizhang.ledger.xlsx import parse_decimal
from taizhang.org.models import District, Person

from . import services
from .models import ComparatorValue, Indicator, IndicatorTarget, IndicatorValue

SHEET = "指标数据"
INSTRUCTIONS_SHEET = "填写说明"
H_INDICATOR, H_YEAR, H_MONTH = "指标", "年份", "月份"
H_TARGET, H_ACTUAL, H_GROWTH, H_CITY = "全年目标", "累计完成", "同比增长(%)", "全市平均增长(%)"
FIXED = [H_INDICATOR, H_YEAR, H_MONTH, H_TARGET, H_ACTUAL, H_GROWTH, H_CITY]
REQUIRED = {H_INDICATOR, H_YEAR, H_MONTH}
PAIR_ACTUAL = "{name}累计"
PAIR_GROWTH = "{name}增长(%)"
_PAIR = re.compile(r"^(?P<name>.+?)(?:(?P<actual>累计(?:完成)?)|(?P<growth>增长(?:\(%\))?))$")
FIGURE_Q = Decimal("0.01")
GROWTH_Q = Decimal("0.1")


def header_key(text: Any) -> str:
    text = str(text or "").translate(str.maketrans({"（": "(", "）": ")", "％": "%", "\u3000": ""}))
    return re.sub(r"\s+", "", text)


_FIXED_KEYS = {header_key(h): h for h in FIXED} | {"指标名称": H_INDICATOR, "年度": H_YEAR, "同比增长": H_GROWTH}
_FIXED_KEYS |= {"全市平均增长": H_CITY, "全市平均增幅(%)": H_CITY, "同比增幅(%)": H_GROWTH, "年度目标": H_TARGET}


def comparator_names(district: District, year: int | None = None) -> list[str]:
    """The other districts already on record for ``district``, in first-seen order."""
    qs = ComparatorValue.objects.filter(value__indicator__district=district)
    if year:
        qs = qs.filter(value__year=year)
    return list(dict.fromkeys(qs.order_by("id").values_list("district_name", flat=True)))


# --------------------------------------------------------------------------- template and export


def _headers(names: list[str]) -> list[str]:
    out = list(FIXED)
    for name in names:
        out += [PAIR_ACTUAL.format(name=name), PAIR_GROWTH.format(name=name)]
    return out


def template_workbook(district: District) -> Workbook:
    names = comparator_names(district)
    indicators = list(Indicator.objects.filter(district=district, is_active=True))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    headers = _headers(names)
    for i, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=i, value=header)
        cell.font = Font(bold=True, color="C00000") if header in REQUIRED else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        ws.column_dimensions[get_column_letter(i)].width = max(12, len(header) * 2 + 2)
    if indicators:
        listed = ",".join(i.name for i in indicators)
        if len(listed) < 250:  # Excel's limit for an inline list
            dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
            dv.showErrorMessage = False
            dv.add(f"A2:A{settings.TAIZHANG_MAX_IMPORT_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.column_dimensions["A"].width = 26
    ws.freeze_panes = "B2"

    help_ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    lines = [
        _("One row per indicator and month, starting at row 2. Do not rename the headers."),
        _("Indicator: the name or code of one of the district's indicators (listed below)."),
        _("Year and month: the reporting period, e.g. 2026 and 10 for January–October 2026."),
        _("Annual target: optional; when given it sets the indicator's target for that year."),
        _("Actual to date: cumulative from January for cumulative indicators (累计), in the indicator's unit."),
        _("Growth and city average growth: year-on-year, in percent, e.g. 6.5 or -2.1."),
        _(
            "Other districts: one pair of columns per district, “XX区累计” and “XX区增长(%)”; "
            "add columns for any district missing from the template."
        ),
        _("A row for a month already recorded replaces it, other districts' figures included."),
        _("If any row has an error nothing is imported; fix the rows listed and upload again."),
    ]
    for line in lines:
        help_ws.append([line])
    help_ws.append([])
    help_ws.append([_("Indicator"), _("Code"), _("Unit"), _("Direction"), _("Cumulative")])
    for cell in help_ws[help_ws.max_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for ind in indicators:
        help_ws.append(
            [ind.name, ind.code, ind.unit, ind.get_direction_display(), _("Yes") if ind.is_cumulative else _("No")]
        )
    help_ws.column_dimensions["A"].width = 30
    for width, letter in zip((14, 10, 16, 10), "BCDE", strict=True):
        help_ws.column_dimensions[letter].width = width
    for row in help_ws.iter_rows(min_row=1, max_row=len(lines)):
        row[0].alignment = Alignment(wrap_text=False)
    return wb


def template_response(district: District) -> HttpResponse:
    return bytes_response(workbook_bytes(template_workbook(district)), "经济指标导入模板.xlsx")


def export_response(district: District, year: int) -> HttpResponse:
    """Every month of ``year`` in the import layout (so it re-imports as it is)."""
    values = list(
        IndicatorValue.objects.filter(indicator__district=district, year=year)
        .select_related("indicator")
        .prefetch_related("comparators")
        .order_by("indicator__sort_order", "indicator_id", "month")
    )
    targets = {
        (t.indicator_id, t.year): t.target
        for t in IndicatorTarget.objects.filter(indicator__district=district, year=year)
    }
    names = list(dict.fromkeys(c.district_name for v in values for c in v.comparators.all()))

    def pair(name: str, attr: str):
        def get(v: IndicatorValue):
            for c in v.comparators.all():
                if c.district_name == name:
                    return getattr(c, attr)
            return None

        return get

    columns = [
        (H_INDICATOR, lambda v: v.indicator.name),
        (H_YEAR, lambda v: v.year),
        (H_MONTH, lambda v: v.month),
        (H_TARGET, lambda v: targets.get((v.indicator_id, v.year))),
        (H_ACTUAL, lambda v: v.actual),
        (H_GROWTH, lambda v: v.yoy_growth),
        (H_CITY, lambda v: v.city_avg_growth),
    ]
    for name in names:
        columns += [
            (PAIR_ACTUAL.format(name=name), pair(name, "actual")),
            (PAIR_GROWTH.format(name=name), pair(name, "growth")),
        ]
    return xlsx_response(
        filename=f"经济指标_{district.name}_{year}.xlsx", sheet_title=SHEET, columns=columns, rows=values
    )


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult(ImportReport):
    recorded: int = 0


@dataclass
class _Row:
    row: int
    indicator: Indicator | None = None
    values: dict = field(default_factory=dict)
    comparators: list[services.Comparator] | None = None


class _Rollback(Exception):
    pass


def _layout(header_row, result: ImportResult) -> tuple[dict[str, int], dict[str, dict[str, int]]] | None:
    fixed: dict[str, int] = {}
    pairs: dict[str, dict[str, int]] = {}
    for index, raw in enumerate(header_row):
        key = header_key(raw)
        if not key:
            continue
        if key in _FIXED_KEYS:
            fixed.setdefault(_FIXED_KEYS[key], index)
            continue
        match = _PAIR.match(key)
        if match:
            pairs.setdefault(match["name"], {})["actual" if match["actual"] else "growth"] = index
    missing = [h for h in FIXED if h in REQUIRED and h not in fixed]
    if H_ACTUAL not in fixed and H_GROWTH not in fixed:
        missing.append(H_ACTUAL)
    for header in missing:
        result.errors.append(RowError(SHEET, 1, header, _("This required column is missing from the header row.")))
    return None if missing else (fixed, pairs)


def indicators_import(*, actor: Person | None, district: District, file) -> ImportResult:
    """Import monthly indicator figures into ``district`` from an .xlsx file, all or nothing."""
    result = ImportResult()
    wb = open_upload(file, result.errors)
    if wb is None:
        return result
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        rows_iter = ws.iter_rows(values_only=True)
        layout = _layout(next(rows_iter, None) or (), result)
        if layout is None:
            return result
        parsed = _read_rows(rows_iter, layout, district, result)
    finally:
        wb.close()
    if result.errors:
        return result
    _record(actor, parsed, result)
    return result


def _read_rows(rows_iter, layout, district: District, result: ImportResult) -> list[_Row]:
    fixed, pairs = layout
    by_name: dict[str, Indicator] = {}
    for ind in Indicator.objects.filter(district=district, is_active=True):
        by_name[ind.name] = ind
        by_name.setdefault(ind.code, ind)
    own_name = district.name
    seen: dict[tuple, int] = {}
    parsed: list[_Row] = []
    for row_number, cells in enumerate(rows_iter, start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        result.rows += 1
        if result.rows > settings.TAIZHANG_MAX_IMPORT_ROWS:
            result.errors.append(
                RowError(
                    SHEET,
                    row_number,
                    "",
                    _("The file has more than %(max)d rows; split it into smaller files.")
                    % {"max": settings.TAIZHANG_MAX_IMPORT_ROWS},
                )
            )
            break
        row = _Row(row=row_number)

        def cell(index, cells=cells):
            raw = cells[index] if index is not None and index < len(cells) else None
            if isinstance(raw, str):
                raw = raw.strip() or None
            return raw

        def add(column: str, message: str, row=row) -> None:
            result.errors.append(RowError(SHEET, row.row, column, message))

        def number(header: str, index, quantum: Decimal):
            raw = cell(index)
            if raw is None:
                return None
            try:
                return parse_decimal(raw, quantum)
            except ValueError as exc:
                add(header, str(exc))
                return None

        errors_before = len(result.errors)
        name = cell(fixed[H_INDICATOR])
        if name is None:
            add(H_INDICATOR, _("This field is required."))
        else:
            row.indicator = by_name.get(str(name).strip())
            if row.indicator is None:
                add(H_INDICATOR, _("Unknown indicator “%(name)s”.") % {"name": name})
        year = number(H_YEAR, fixed[H_YEAR], Decimal(1))
        month = number(H_MONTH, fixed[H_MONTH], Decimal(1))
        if year is None and cell(fixed[H_YEAR]) is None:
            add(H_YEAR, _("This field is required."))
        elif year is not None and not 2000 <= year <= 2100:
            add(H_YEAR, _("“%(value)s” is not a year.") % {"value": cell(fixed[H_YEAR])})
        if month is None and cell(fixed[H_MONTH]) is None:
            add(H_MONTH, _("This field is required."))
        elif month is not None and not 1 <= month <= 12:
            add(H_MONTH, _("The month must be from 1 to 12."))
        row.values = {
            "target": number(H_TARGET, fixed.get(H_TARGET), FIGURE_Q),
            "actual": number(H_ACTUAL, fixed.get(H_ACTUAL), FIGURE_Q),
            "yoy_growth": number(H_GROWTH, fixed.get(H_GROWTH), GROWTH_Q),
            "city_avg_growth": number(H_CITY, fixed.get(H_CITY), GROWTH_Q),
        }
        if row.values["actual"] is None and row.values["yoy_growth"] is None and len(result.errors) == errors_before:
            add(H_ACTUAL, _("Give the actual to date or the growth."))
        if pairs:
            row.comparators = []
            for other, idx in pairs.items():
                if other == own_name:
                    continue  # our own district's column pair, as some city tables include it
                actual = number(PAIR_ACTUAL.format(name=other), idx.get("actual"), FIGURE_Q)
                growth = number(PAIR_GROWTH.format(name=other), idx.get("growth"), GROWTH_Q)
                if actual is not None or growth is not None:
                    row.comparators.append(services.Comparator(other, actual, growth))
        if len(result.errors) == errors_before and row.indicator is not None:
            row.values |= {"year": int(year), "month": int(month)}
            key = (row.indicator.id, int(year), int(month))
            if key in seen:
                add(
                    H_INDICATOR,
                    _("%(name)s %(year)d-%(month)02d appears more than once in this file (first on row %(row)d).")
                    % {"name": row.indicator.name, "year": key[1], "month": key[2], "row": seen[key]},
                )
            else:
                seen[key] = row_number
                parsed.append(row)
    return parsed


def _record(actor: Person | None, rows: list[_Row], result: ImportResult) -> None:
    headers = {"year": H_YEAR, "month": H_MONTH, "actual": H_ACTUAL, "target": H_TARGET, "comparators": ""}
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    services.indicator_value_record(
                        actor=actor, indicator=row.indicator, comparators=row.comparators, **row.values
                    )
                except ValidationError as exc:
                    for name, messages in exc.message_dict.items():
                        for message in messages:
                            result.errors.append(RowError(SHEET, row.row, headers.get(name, ""), message))
                else:
                    result.recorded += 1
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.recorded = 0
