"""Write real .xlsx files for downloads: one sheet, a bold frozen header row, column
widths that fit the content, dates as dates and numbers as numbers.

Rows are written with openpyxl's write-only (streaming) worksheet, so memory stays
flat however long the ledger is; the widths are estimated from the header and the
first rows only, because a write-only sheet fixes its columns before any row.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)

MIN_WIDTH, MAX_WIDTH = 6, 60
WIDTH_SAMPLE_ROWS = 200
# Excel rejects control characters in cell text (except tab, newline, carriage return).
_ILLEGAL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Column = tuple[str, Callable[[Any], Any]]


def display_width(value: Any) -> int:
    """Columns needed to show ``value``: CJK and full-width characters take two."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    longest = 0
    for line in text.splitlines() or [""]:
        longest = max(longest, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line))
    return longest


def cell_value(value: Any) -> Any:
    """Coerce a Python value into something a spreadsheet stores natively."""
    if value is None or isinstance(value, (bool, int, float, Decimal, dt.date, dt.datetime)):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            # Excel has no time zones: write the local wall-clock time.
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(str(v) for v in value)
    return _ILLEGAL_CHARS.sub("", str(value))


def column_widths(headers: Sequence[str], sample_rows: Iterable[Sequence[Any]]) -> list[float]:
    widths = [display_width(h) + 2 for h in headers]
    for row in sample_rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(value) + 2)
    return [float(min(max(w, MIN_WIDTH), MAX_WIDTH)) for w in widths]


def header_cell(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = HEADER_ALIGNMENT
    return cell


def _data_cell(ws, value: Any):
    value = cell_value(value)
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def write_sheet(wb: Workbook, *, title: str, columns: Sequence[Column], rows: Iterable) -> None:
    """Append one streaming sheet to a write-only workbook."""
    ws = wb.create_sheet(title=title[:31])
    headers = [header for header, _getter in columns]
    getters = [getter for _header, getter in columns]
    values = ([getter(row) for getter in getters] for row in rows)
    sample = list(itertools.islice(values, WIDTH_SAMPLE_ROWS))
    for i, width in enumerate(column_widths(headers, sample), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.append([header_cell(ws, h) for h in headers])
    for row_values in itertools.chain(sample, values):
        ws.append([_data_cell(ws, v) for v in row_values])


def workbook_bytes(wb: Workbook) -> bytes:
    # Spool through a temporary file: write-only workbooks stream their XML to disk.
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as tmp:
        wb.save(tmp)
        tmp.seek(0)
        return tmp.read()


def attachment_header(filename: str) -> str:
    """``Content-Disposition`` with an ASCII fallback and the RFC 5987 ``filename*`` for Chinese names."""
    fallback = filename.encode("ascii", "ignore").decode().strip(" _-") or "download.xlsx"
    fallback = fallback.replace('"', "").replace("\\", "")
    if fallback.startswith("."):
        fallback = "download" + fallback
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def bytes_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename)
    response["Content-Length"] = str(len(content))
    return response


def xlsx_response(*, filename: str, sheet_title: str, columns: list[Column], rows: Iterable) -> HttpResponse:
    """Answer a download of ``rows`` as one sheet; each column is ``(header, row -> value)``."""
    wb = Workbook(write_only=True)
    write_sheet(wb, title=sheet_title, columns=columns, rows=rows)
    return bytes_response(workbook_bytes(wb), filename)
