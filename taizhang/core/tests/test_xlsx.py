"""The generic .xlsx download: real workbook, bold frozen header, typed cells, Chinese file names."""

import datetime as dt
import io
from decimal import Decimal
from urllib.parse import quote

from openpyxl import load_workbook

from taizhang.core.xlsx import attachment_header, display_width, xlsx_response


def test_xlsx_response_writes_typed_cells_under_a_bold_frozen_header():
    rows = [
        {"name": "智能装备产业园", "money": Decimal("1234.50"), "day": dt.date(2026, 3, 1), "n": 3},
        {"name": "老旧小区改造", "money": Decimal("0"), "day": None, "n": 0},
    ]
    response = xlsx_response(
        filename="重点项目台账_2026-11-21.xlsx",
        sheet_title="重点项目",
        columns=[
            ("项目名称", lambda r: r["name"]),
            ("总投资(万元)", lambda r: r["money"]),
            ("开工日期", lambda r: r["day"]),
            ("个数", lambda r: r["n"]),
        ],
        rows=iter(rows),
    )

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(io.BytesIO(response.content))["重点项目"]
    assert [c.value for c in ws[1]] == ["项目名称", "总投资(万元)", "开工日期", "个数"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws["A2"].value == "智能装备产业园"
    assert ws["B2"].value == 1234.5 and ws["B2"].data_type == "n"
    assert ws["C2"].is_date and ws["C2"].value == dt.datetime(2026, 3, 1)
    assert ws["C3"].value is None
    assert ws.max_row == 3
    assert ws.column_dimensions["A"].width >= display_width("智能装备产业园")


def test_chinese_file_names_use_rfc_5987_with_an_ascii_fallback():
    header = attachment_header("重点项目台账_2026-11-21.xlsx")

    assert header.startswith('attachment; filename="2026-11-21.xlsx"; ')
    assert header.endswith("filename*=UTF-8''" + quote("重点项目台账_2026-11-21.xlsx"))


def test_cjk_characters_count_double_for_column_widths():
    assert display_width("台账") == 4
    assert display_width("ab") == 2
    assert display_width("第一行\n长长长长长") == 10
