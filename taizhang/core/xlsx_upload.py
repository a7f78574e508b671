"""Read uploaded .xlsx files safely, for every import (ledger, indicators, grid catalogue).

An import reports problems row by row and saves nothing when there is any; the
problems that concern the file itself (too large, not a workbook, a zip bomb) are
``RowError`` s with row 0.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # refuse zip bombs before openpyxl inflates them


@dataclass(frozen=True)
class RowError:
    """One problem found in the file; ``row`` 0 and ``column`` "" mean the file or sheet itself."""

    sheet: str
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import did: rows read and, if anything is wrong, every problem (then nothing is saved)."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _too_big(size: int, limit: int) -> str:
    return _("The file is %(size).1f MB; an import may be at most %(limit).1f MB.") % {
        "size": size / 1048576,
        "limit": limit / 1048576,
    }


def open_upload(file, errors: list[RowError]):
    """Size-check and open an uploaded workbook (read-only, values not formulas).

    Appends a file-level error to ``errors`` and returns None when it cannot be read.
    """
    limit = settings.TAIZHANG_MAX_IMPORT_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        errors.append(RowError("", 0, "", _too_big(size, limit)))
        return None
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(limit + 1)
    if len(content) > limit:
        errors.append(RowError("", 0, "", _too_big(size or len(content), limit)))
        return None
    not_xlsx = _("The file is not a readable Excel workbook (.xlsx). Save it as .xlsx from Excel or WPS and try again.")
    if not content.startswith(b"PK"):
        errors.append(RowError("", 0, "", not_xlsx))
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                errors.append(RowError("", 0, "", not_xlsx))
                return None
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises a zoo of types (zip, XML, KeyError…) on corrupt files
        errors.append(RowError("", 0, "", not_xlsx))
        return None
