"""Build and read real .xlsx files for the Excel import/export tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from taizhang.ledger.xlsx import PROJECT_COLUMNS, TASK_COLUMNS

PROJECT_HEADERS = [c.header for c in PROJECT_COLUMNS]
TASK_HEADERS = [c.header for c in TASK_COLUMNS]


def workbook_file(sheets: dict[str, list[list]], name: str = "台账.xlsx") -> SimpleUploadedFile:
    """An upload holding one sheet per entry; each sheet is a list of rows (first row = headers)."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/octet-stream")


def project_row(**overrides) -> list:
    """A valid project row for the 秦川区 world, keyed by Chinese header."""
    values = {
        "项目编号": "XM-001",
        "项目名称": "新能源汽车零部件产业园",
        "项目类别": "产业",
        "项目级别": "市级",
        "建设性质": "续建",
        "项目阶段": "在建",
        "总投资(万元)": 120000,
        "年度计划投资(万元)": 30000,
        "年度完成投资(万元)": 12000.5,
        "累计完成投资(万元)": 40000,
        "占地面积(亩)": 350,
        "纬度": 34.3416,
        "经度": 107.2372,
        "开工日期": "2025/3/1",
        "计划竣工日期": "2027年12月31日",
        "牵头单位": "发改局",
        "配合单位": "住建局、金台街道",
        "包抓领导": "王区长",
        "责任人": "李四",
        "建设内容": "建设厂房12万平方米",
        "年度": 2026,
    }
    values.update(overrides)
    return [values.get(h) for h in PROJECT_HEADERS]


def task_row(**overrides) -> list:
    values = {
        "任务编号": "RW-001",
        "任务名称": "开展营商环境提升行动",
        "任务来源": "区委经济工作会议",
        "来源日期": "2026-01-10",
        "原文摘录": "持续优化营商环境",
        "牵头单位": "住建局",
        "配合单位": "发改局",
        "包抓领导": "王区长",
        "责任人": "张三",
        "开始日期": "2026-02-01",
        "完成时限": "2026-12-31",
        "工作措施": "一企一策",
        "进展(%)": 20,
        "年度": 2026,
    }
    values.update(overrides)
    return [values.get(h) for h in TASK_HEADERS]


def read_sheet(content: bytes) -> tuple[list, list[list], object]:
    """Headers, data rows (values) and the worksheet of the first sheet of an .xlsx download."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[0], rows[1:], ws


def as_dicts(content: bytes) -> list[dict]:
    headers, rows, _ws = read_sheet(content)
    return [dict(zip(headers, r, strict=False)) for r in rows]
