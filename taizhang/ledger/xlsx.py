"""Excel in, Excel out (issue #9): the ledger's import template, importer and exports.

One list of columns per kind (``PROJECT_COLUMNS``, ``TASK_COLUMNS``) drives all three:
the template is generated from it on the fly, the importer reads the same headers,
and the export writes them (plus the computed status columns, which the importer
ignores), so an exported ledger re-imports as it is and the template never drifts.

Headers, sheet names and choice labels (新建/续建, 在建…) are the *file format*, not
interface text: they are plain Chinese strings because the district's spreadsheets
use them, whatever language the reader has chosen. Error messages and the template's
instructions are interface text and go through gettext.

An import is all or nothing: every row is checked, every good row is created through
``services.item_create`` inside one transaction, and if any row failed the whole
transaction is rolled back and the errors are reported row by row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from taizhang.core.calendar import today as local_today
from taizhang.core.xlsx import (
    DATE_FORMAT,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    bytes_response,
    column_widths,
    workbook_bytes,
    xlsx_response,
)
from taizhang.core.xlsx_upload import ImportReport, RowError, open_upload
from taizhang.org.models import District, Person, Role, Unit

from . import services
from .models import Item, ItemEvent, KeyProject, Status
from .status import reason_text

PROJECT_SHEET = "重点项目"
TASK_SHEET = "重点任务"
INSTRUCTIONS_SHEET = "填写说明"
SHEETS = {Item.Kind.PROJECT: PROJECT_SHEET, Item.Kind.TASK: TASK_SHEET}

# Chinese label → model value. The first label of each value is the one written on
# export and offered in the template's drop-down; the others are accepted on import.
CATEGORY_LABELS = {
    "产业": KeyProject.Category.INDUSTRY,
    "工业": KeyProject.Category.INDUSTRY,
    "产业项目": KeyProject.Category.INDUSTRY,
    "城建": KeyProject.Category.URBAN,
    "城市建设": KeyProject.Category.URBAN,
    "民生": KeyProject.Category.LIVELIHOOD,
    "民生项目": KeyProject.Category.LIVELIHOOD,
    "基础设施": KeyProject.Category.INFRASTRUCTURE,
    "基础设施项目": KeyProject.Category.INFRASTRUCTURE,
    "农业农村": KeyProject.Category.AGRICULTURE,
    "农业": KeyProject.Category.AGRICULTURE,
    "现代服务业": KeyProject.Category.SERVICES,
    "服务业": KeyProject.Category.SERVICES,
    "生态环保": KeyProject.Category.ECOLOGY,
    "生态环境": KeyProject.Category.ECOLOGY,
    "社会事业": KeyProject.Category.SOCIAL,
}
LEVEL_LABELS = {
    "区级": KeyProject.Level.DISTRICT,
    "县级": KeyProject.Level.DISTRICT,
    "区级重点项目": KeyProject.Level.DISTRICT,
    "市级": KeyProject.Level.CITY,
    "市级重点项目": KeyProject.Level.CITY,
    "省级": KeyProject.Level.PROVINCE,
    "省级重点项目": KeyProject.Level.PROVINCE,
}
CONSTRUCTION_LABELS = {
    "新建": KeyProject.ConstructionType.NEW,
    "续建": KeyProject.ConstructionType.CONTINUING,
}
PHASE_LABELS = {
    "谋划": KeyProject.Phase.CONCEIVED,
    "储备": KeyProject.Phase.RESERVE,
    "前期": KeyProject.Phase.PREPARATORY,
    "开工": KeyProject.Phase.GROUNDBREAKING,
    "新开工": KeyProject.Phase.GROUNDBREAKING,
    "在建": KeyProject.Phase.CONSTRUCTION,
    "竣工": KeyProject.Phase.COMPLETED,
    "投产": KeyProject.Phase.PRODUCTION,
    "达效": KeyProject.Phase.PRODUCTION,
    "投产达效": KeyProject.Phase.PRODUCTION,
}
STATUS_LABELS = {Status.RED: "红", Status.AMBER: "黄", Status.GREEN: "绿"}

# Separators people use between names in one cell: 、 , ， ; ； / and line breaks.
_NAME_SEPARATORS = re.compile(r"[、,，;；/／\n\r]+")
_TEXT_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_MAX_BLANK_STREAK = 1000  # this many empty rows in a row end a sheet (formatted-but-empty tails)


def _first_labels(labels: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for label, value in labels.items():
        out.setdefault(value, label)
    return out


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Col:
    """One column of the ledger's spreadsheet format."""

    header: str
    field: str  # model field, or "lead_unit" / "cooperating_units" / "leaders"
    kind: str  # text | money | decimal | percent | coordinate | date | year | choice | unit | units | leaders
    required: bool = False
    labels: dict[str, str] | None = None  # for choices
    hint: Any = ""  # instructions shown in the template (lazy gettext)

    @property
    def key(self) -> str:
        return _header_key(self.header)


_HINT_MONEY = gettext_lazy("Number in 10k yuan, not negative.")
_HINT_DATE = gettext_lazy("A date, e.g. 2026-03-01, 2026/3/1 or 2026年3月1日.")
_HINT_UNIT = gettext_lazy("Name of one unit of the district, exactly as in the unit list.")
_HINT_UNITS = gettext_lazy("Names of units of the district, separated by 、 or a comma.")
_HINT_LEADERS = gettext_lazy("Names of district leaders, separated by 、 or a comma.")
_HINT_CODE = gettext_lazy("Optional; if given it must be unique in the district's ledger.")
_HINT_YEAR = gettext_lazy("Ledger year, e.g. 2026; this year when left empty.")

PROJECT_COLUMNS: list[Col] = [
    Col("项目编号", "code", "text", hint=_HINT_CODE),
    Col("项目名称", "name", "text", required=True),
    Col("项目类别", "category", "choice", required=True, labels=CATEGORY_LABELS),
    Col("项目级别", "level", "choice", labels=LEVEL_LABELS),
    Col("建设性质", "construction_type", "choice", labels=CONSTRUCTION_LABELS),
    Col("项目阶段", "phase", "choice", labels=PHASE_LABELS),
    Col("总投资(万元)", "total_investment", "money", required=True, hint=_HINT_MONEY),
    Col("年度计划投资(万元)", "planned_investment_year", "money", hint=_HINT_MONEY),
    Col("年度完成投资(万元)", "completed_investment_year", "money", hint=_HINT_MONEY),
    Col("累计完成投资(万元)", "completed_investment_total", "money", hint=_HINT_MONEY),
    Col("占地面积(亩)", "land_area_mu", "decimal", hint=gettext_lazy("Number, not negative.")),
    Col("纬度", "latitude", "coordinate", hint=gettext_lazy("Decimal degrees, e.g. 34.3416; give both or neither.")),
    Col("经度", "longitude", "coordinate", hint=gettext_lazy("Decimal degrees, e.g. 108.9398; give both or neither.")),
    Col("开工日期", "start_date", "date", hint=_HINT_DATE),
    Col("计划竣工日期", "deadline", "date", hint=_HINT_DATE),
    Col("牵头单位", "lead_unit", "unit", required=True, hint=_HINT_UNIT),
    Col("配合单位", "cooperating_units", "units", hint=_HINT_UNITS),
    Col("包抓领导", "leaders", "leaders", hint=_HINT_LEADERS),
    Col("责任人", "responsible_person", "text"),
    Col("建设内容", "description", "text"),
    Col("年度", "year", "year", hint=_HINT_YEAR),
]

TASK_COLUMNS: list[Col] = [
    Col("任务编号", "code", "text", hint=_HINT_CODE),
    Col("任务名称", "name", "text", required=True),
    Col("任务来源", "source_title", "text", hint=gettext_lazy("The meeting or document the task comes from.")),
    Col("来源日期", "source_date", "date", hint=_HINT_DATE),
    Col("原文摘录", "source_quote", "text"),
    Col("牵头单位", "lead_unit", "unit", required=True, hint=_HINT_UNIT),
    Col("配合单位", "cooperating_units", "units", hint=_HINT_UNITS),
    Col("包抓领导", "leaders", "leaders", hint=_HINT_LEADERS),
    Col("责任人", "responsible_person", "text"),
    Col("开始日期", "start_date", "date", hint=_HINT_DATE),
    Col("完成时限", "deadline", "date", required=True, hint=_HINT_DATE),
    Col("工作措施", "description", "text"),
    Col("进展(%)", "progress_pct", "percent", hint=gettext_lazy("Number from 0 to 100.")),
    Col("年度", "year", "year", hint=_HINT_YEAR),
]

COLUMNS = {Item.Kind.PROJECT: PROJECT_COLUMNS, Item.Kind.TASK: TASK_COLUMNS}
_QUANTUM = {
    "money": Decimal("0.01"),
    "decimal": Decimal("0.01"),
    "coordinate": Decimal("0.000001"),
    "percent": Decimal("0.1"),
}


def _header_key(text: Any) -> str:
    """Normalise a header: full-width brackets and percent, no spaces, no line breaks."""
    text = str(text or "").translate(str.maketrans({"（": "(", "）": ")", "％": "%", "\u3000": ""}))
    return re.sub(r"\s+", "", text)


def _base_key(key: str) -> str:
    return key.split("(", 1)[0]


# --------------------------------------------------------------------------- export


def _choice_getter(col: Col) -> Callable[[Any], Any]:
    first = _first_labels(col.labels or {})
    return lambda item: first.get(getattr(item, col.field), getattr(item, col.field))


def _export_getter(col: Col) -> Callable[[Any], Any]:
    if col.kind == "choice":
        return _choice_getter(col)
    if col.kind == "unit":
        return lambda item: item.lead_unit.name
    if col.kind == "units":
        return lambda item: "、".join(u.name for u in item.cooperating_units.all())
    if col.kind == "leaders":
        return lambda item: "、".join(p.display_name for p in item.leaders.all())
    return lambda item: getattr(item, col.field)


def _status_columns(kind: str) -> list[tuple[str, Callable[[Any], Any]]]:
    cols = [
        ("状态", lambda item: STATUS_LABELS.get(item.status, item.status)),
        ("状态说明", lambda item: "；".join(reason_text(r) for r in item.status_reasons or [])),
        ("较时间进度(个百分点)", lambda item: item.lag_points),
    ]
    if kind == Item.Kind.PROJECT:
        cols.append(("年度投资完成率(%)", lambda item: item.year_completion_pct))
    else:
        cols.append(("实际完成日期", lambda item: item.completed_on))
    return cols


def export_columns(kind: str) -> list[tuple[str, Callable[[Any], Any]]]:
    """The export's columns: the import columns, then the computed status columns.

    The status columns go right after the name so a reader sees the colour first; the
    importer matches by header and ignores them.
    """
    cols = [(c.header, _export_getter(c)) for c in COLUMNS[kind]]
    return cols[:2] + _status_columns(kind) + cols[2:]


def export_response(kind: str, items: Iterable[Item]) -> HttpResponse:
    label = "重点项目台账" if kind == Item.Kind.PROJECT else "重点任务台账"
    return xlsx_response(
        filename=f"{label}_{local_today().isoformat()}.xlsx",
        sheet_title=SHEETS[kind],
        columns=export_columns(kind),
        rows=items,
    )


# --------------------------------------------------------------------------- template


def _choice_hint(col: Col) -> str:
    return _("One of: %(values)s") % {"values": "、".join(_first_labels(col.labels or {}).values())}


def template_workbook(kind: str) -> Workbook:
    """The blank import template for ``kind``: headers, drop-downs and an instructions sheet."""
    columns = COLUMNS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS[kind]
    required_font = Font(bold=True, color="C00000")
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = required_font if col.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        letter = get_column_letter(i)
        if col.kind == "choice":
            labels = list(_first_labels(col.labels or {}).values())
            dv = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
            dv.error = _choice_hint(col)
            dv.showErrorMessage = False  # accept the aliases too; the importer checks
            dv.add(f"{letter}2:{letter}{settings.TAIZHANG_MAX_IMPORT_ROWS + 1}")
            ws.add_data_validation(dv)
        if col.kind == "date":
            ws.column_dimensions[letter].number_format = DATE_FORMAT
    sample = [["2026-12-31" if c.kind == "date" else "" for c in columns]]
    for i, width in enumerate(column_widths([c.header for c in columns], sample), start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(width, 12)
    ws.freeze_panes = "A2"

    help_ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    help_ws.append([_("Column"), _("Required"), _("How to fill in")])
    for cell in help_ws[1]:
        cell.font = HEADER_FONT
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for col in columns:
        hint = _choice_hint(col) if col.kind == "choice" else str(col.hint or "")
        help_ws.append([col.header, _("Yes") if col.required else "", hint])
    help_ws.append([])
    help_ws.append(
        [
            _("Fill in one row per item on the sheet “%(sheet)s”, starting at row 2. Do not rename the headers.")
            % {"sheet": SHEETS[kind]}
        ]
    )
    help_ws.append(
        [
            _("A file with both sheets “%(p)s” and “%(t)s” imports projects and tasks together.")
            % {"p": PROJECT_SHEET, "t": TASK_SHEET}
        ]
    )
    help_ws.append([_("If any row has an error nothing is imported; fix the rows listed and upload again.")])
    help_ws.column_dimensions["A"].width = 22
    help_ws.column_dimensions["B"].width = 10
    help_ws.column_dimensions["C"].width = 70
    for row in help_ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return wb


def template_response(kind: str) -> HttpResponse:
    label = "重点项目" if kind == Item.Kind.PROJECT else "重点任务"
    return bytes_response(workbook_bytes(template_workbook(kind)), f"{label}导入模板.xlsx")


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult(ImportReport):
    projects: int = 0
    tasks: int = 0

    @property
    def created(self) -> int:
        return self.projects + self.tasks


@dataclass
class _ParsedRow:
    kind: str
    sheet: str
    row: int
    values: dict = field(default_factory=dict)
    cooperating_units: list[Unit] = field(default_factory=list)
    leaders: list[Person] = field(default_factory=list)
    ok: bool = True


class _Directory:
    """The district's units and leaders by name, read once per import."""

    def __init__(self, district: District):
        self.units = {u.name: u for u in Unit.objects.filter(district=district, is_active=True)}
        self.leaders: dict[str, list[Person]] = {}
        for person in Person.objects.filter(district=district, role=Role.LEADER, is_active=True):
            for name in {person.full_name, person.username} - {""}:
                self.leaders.setdefault(name, []).append(person)


class _Rollback(Exception):
    pass


def _clean_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a code typed as 12 arrives as 12.0
    if isinstance(raw, (dt.datetime, dt.date)):
        raw = raw.strftime("%Y-%m-%d")
    return str(raw).strip()


def parse_decimal(raw: Any, quantum: Decimal) -> Decimal:
    """Read a number from a cell; raise ``ValueError`` with a user message when it is not one."""
    if isinstance(raw, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        text = str(raw).strip().replace(",", "").replace("，", "").replace(" ", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
    if not value.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def parse_date(raw: Any) -> dt.date:
    """Read a date: an Excel date, an Excel serial number, or text such as 2026-03-01, 2026/3/1, 2026年3月1日."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        return from_excel(raw).date()
    match = _TEXT_DATE.match(str(raw).strip())
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValueError(
        _("“%(value)s” is not a date; write it like 2026-03-01, 2026/3/1 or 2026年3月1日.") % {"value": raw}
    )


def _parse_cell(col: Col, raw: Any, directory: _Directory, parsed: _ParsedRow) -> Any:
    """Turn one non-empty cell into a value (or raise ValueError with the message)."""
    if col.kind == "text":
        return _clean_text(raw)
    if col.kind in _QUANTUM:
        value = parse_decimal(raw, _QUANTUM[col.kind])
        if col.kind == "coordinate":
            limit = Decimal(90) if col.field == "latitude" else Decimal(180)
            if abs(value) > limit:
                raise ValueError(_("Must be between −%(limit)s and %(limit)s.") % {"limit": limit})
        elif value < 0:
            raise ValueError(_("Cannot be negative."))
        if col.kind == "percent" and value > 100:
            raise ValueError(_("Must be between 0 and 100."))
        return value
    if col.kind == "year":
        value = parse_decimal(raw, Decimal(1))
        if not 2000 <= value <= 2100:
            raise ValueError(_("“%(value)s” is not a year.") % {"value": raw})
        return int(value)
    if col.kind == "date":
        return parse_date(raw)
    if col.kind == "choice":
        text = _clean_text(raw)
        labels = col.labels or {}
        if text in labels:
            return labels[text]
        if text in labels.values():  # the stored value itself (e.g. "industry")
            return text
        raise ValueError(_("“%(value)s” is not allowed here. %(hint)s") % {"value": text, "hint": _choice_hint(col)})
    if col.kind == "unit":
        name = _clean_text(raw)
        if name not in directory.units:
            raise ValueError(_("Unknown unit “%(name)s”.") % {"name": name})
        return directory.units[name]
    if col.kind == "units":
        names = [n.strip() for n in _NAME_SEPARATORS.split(_clean_text(raw)) if n.strip()]
        unknown = [n for n in names if n not in directory.units]
        if unknown:
            raise ValueError(_("Unknown unit “%(name)s”.") % {"name": "、".join(unknown)})
        return list(dict.fromkeys(directory.units[n] for n in names))
    if col.kind == "leaders":
        names = [n.strip() for n in _NAME_SEPARATORS.split(_clean_text(raw)) if n.strip()]
        people = []
        for name in names:
            found = directory.leaders.get(name, [])
            if not found:
                raise ValueError(_("“%(name)s” is not a leader of this district.") % {"name": name})
            if len(found) > 1:
                raise ValueError(_("More than one district leader is called “%(name)s”.") % {"name": name})
            people.append(found[0])
        return list(dict.fromkeys(people))
    raise AssertionError(col.kind)


def _check_row(kind: str, values: dict, add: Callable[[str, str], None]) -> None:
    """Rules across cells of one row (the service checks them again, but without a column)."""
    by_field = {c.field: c for c in COLUMNS[kind]}
    start, deadline = values.get("start_date"), values.get("deadline")
    if start and deadline and deadline < start:
        add(by_field["deadline"].header, _("The deadline cannot be before the start date."))
    if kind != Item.Kind.PROJECT:
        return
    total = values.get("total_investment")
    planned = values.get("planned_investment_year")
    done_year = values.get("completed_investment_year")
    done_total = values.get("completed_investment_total")
    if total is not None and planned is not None and planned > total:
        add(
            by_field["planned_investment_year"].header,
            _("This year's planned investment cannot exceed the total investment."),
        )
    if total is not None and done_total is not None and done_total > total:
        add(
            by_field["completed_investment_total"].header,
            _("Cumulative investment completed cannot exceed the total investment."),
        )
    if done_year is not None and done_total is not None and done_year > done_total:
        add(
            by_field["completed_investment_year"].header,
            _("Investment completed this year cannot exceed the cumulative investment completed."),
        )
    elif done_year is not None and done_total is None and total is not None and done_year > total:
        add(
            by_field["completed_investment_year"].header,
            _("Investment completed this year cannot exceed the total investment."),
        )
    if ("latitude" in values) != ("longitude" in values):
        add(by_field["longitude"].header, _("Give both latitude and longitude, or neither."))


def _read_sheet(ws, kind: str, directory: _Directory, result: ImportResult, budget: list[int]) -> list[_ParsedRow]:
    sheet = SHEETS[kind]
    columns = COLUMNS[kind]
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, None) or ()
    by_key: dict[str, Col] = {}
    for col in columns:
        by_key.setdefault(col.key, col)
        by_key.setdefault(_base_key(col.key), col)
    present: dict[int, Col] = {}
    for index, header in enumerate(header_row):
        key = _header_key(header)
        col = by_key.get(key) or by_key.get(_base_key(key))
        if col is not None and col not in present.values():
            present[index] = col
    missing = [c.header for c in columns if c.required and c not in present.values()]
    for header in missing:
        result.errors.append(RowError(sheet, 1, header, _("This required column is missing from the header row.")))
    if missing:
        return []

    parsed_rows: list[_ParsedRow] = []
    blank_streak = 0
    for row_number, cells in enumerate(rows, start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            blank_streak += 1
            if blank_streak > _MAX_BLANK_STREAK:
                break
            continue
        blank_streak = 0
        budget[0] -= 1
        if budget[0] < 0:
            result.errors.append(
                RowError(
                    sheet,
                    row_number,
                    "",
                    _("The file has more than %(max)d rows; split it into smaller files.")
                    % {"max": settings.TAIZHANG_MAX_IMPORT_ROWS},
                )
            )
            break
        result.rows += 1
        parsed = _ParsedRow(kind=kind, sheet=sheet, row=row_number)

        def add(column: str, message: str, parsed=parsed) -> None:
            parsed.ok = False
            result.errors.append(RowError(parsed.sheet, parsed.row, column, message))

        for index, col in present.items():
            raw = cells[index] if index < len(cells) else None
            if isinstance(raw, str):
                raw = raw.strip()
            if raw is None or raw == "":
                if col.required:
                    add(col.header, _("This field is required."))
                continue
            try:
                value = _parse_cell(col, raw, directory, parsed)
            except ValueError as exc:
                add(col.header, str(exc))
                continue
            if col.kind == "units":
                parsed.cooperating_units = value
            elif col.kind == "leaders":
                parsed.leaders = value
            else:
                parsed.values[col.field] = value
        if parsed.ok:
            _check_row(kind, parsed.values, add)
        parsed_rows.append(parsed)
    return parsed_rows


def _check_codes(district: District, rows: list[_ParsedRow], result: ImportResult) -> None:
    header = {Item.Kind.PROJECT: PROJECT_COLUMNS[0].header, Item.Kind.TASK: TASK_COLUMNS[0].header}
    seen: dict[str, _ParsedRow] = {}
    for parsed in rows:
        code = parsed.values.get("code")
        if not code:
            continue
        first = seen.get(code)
        if first is None:
            seen[code] = parsed
            continue
        parsed.ok = False
        result.errors.append(
            RowError(
                parsed.sheet,
                parsed.row,
                header[parsed.kind],
                _("Number “%(code)s” appears more than once in this file (first on sheet “%(sheet)s”, row %(row)d).")
                % {"code": code, "sheet": first.sheet, "row": first.row},
            )
        )
    if not seen:
        return
    existing = dict(Item.objects.filter(district=district, code__in=list(seen)).values_list("code", "name"))
    for code, parsed in seen.items():
        if code in existing:
            parsed.ok = False
            result.errors.append(
                RowError(
                    parsed.sheet,
                    parsed.row,
                    header[parsed.kind],
                    _("Number “%(code)s” is already used by “%(name)s” in the ledger.")
                    % {"code": code, "name": existing[code]},
                )
            )


def _service_errors(exc: ValidationError, parsed: _ParsedRow, result: ImportResult) -> None:
    headers = {c.field: c.header for c in COLUMNS[parsed.kind]}
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            for message in messages:
                result.errors.append(RowError(parsed.sheet, parsed.row, headers.get(name, ""), message))
    else:
        for message in exc.messages:
            result.errors.append(RowError(parsed.sheet, parsed.row, "", message))


def ledger_import(*, actor: Person | None, district: District, file) -> ImportResult:
    """Import key projects and key tasks from an .xlsx file into ``district``, all or nothing.

    ``file`` is an uploaded file or any binary file object. The result lists every
    problem by sheet, row and column; when it has any, nothing was saved.
    """
    result = ImportResult()
    wb = open_upload(file, result.errors)
    if wb is None:
        return result
    budget = [settings.TAIZHANG_MAX_IMPORT_ROWS]  # rows left before the file is too long
    rows: list[_ParsedRow] = []
    try:
        kinds = [kind for kind, name in SHEETS.items() if name in wb.sheetnames]
        if not kinds:
            result.errors.append(
                RowError(
                    "",
                    0,
                    "",
                    _("The workbook has no sheet named “%(p)s” or “%(t)s”. Start from the import template.")
                    % {"p": PROJECT_SHEET, "t": TASK_SHEET},
                )
            )
            return result
        directory = _Directory(district)
        for kind in kinds:
            try:
                rows += _read_sheet(wb[SHEETS[kind]], kind, directory, result, budget)
            except Exception:  # a sheet whose XML breaks half-way through
                result.errors.append(
                    RowError(
                        SHEETS[kind],
                        0,
                        "",
                        _(
                            "The file is not a readable Excel workbook (.xlsx). "
                            "Save it as .xlsx from Excel or WPS and try again."
                        ),
                    )
                )
            if budget[0] < 0:
                break
    finally:
        wb.close()
    if budget[0] < 0:
        return result
    _check_codes(district, rows, result)
    _create(actor, district, [r for r in rows if r.ok], result)
    result.errors.sort(key=lambda e: (e.sheet != PROJECT_SHEET, e.sheet, e.row))
    return result


def _create(actor: Person | None, district: District, rows: list[_ParsedRow], result: ImportResult) -> None:
    """Create the good rows in one transaction; roll all of it back if the file had any error."""
    this_year = local_today().year
    counts = {Item.Kind.PROJECT: 0, Item.Kind.TASK: 0}
    try:
        with transaction.atomic():
            for parsed in rows:
                values = {"year": this_year, **parsed.values}
                try:
                    services.item_create(
                        actor=actor,
                        kind=parsed.kind,
                        district=district,
                        values=values,
                        cooperating_units=parsed.cooperating_units,
                        leaders=parsed.leaders,
                        event_kind=ItemEvent.Kind.IMPORTED,
                    )
                except ValidationError as exc:
                    _service_errors(exc, parsed, result)
                else:
                    counts[parsed.kind] += 1
            if result.errors:
                raise _Rollback
    except _Rollback:
        return
    result.projects = counts[Item.Kind.PROJECT]
    result.tasks = counts[Item.Kind.TASK]
