"""Official documents of the supervision office: the weekly dispatch bulletin
(周调度通报) and the supervision notice (督办通知单) as .docx, the notice list as .xlsx.

These are official documents of a Chinese district government, so their body text
is Chinese whatever the reader's interface language: headings, table headers and
state names are written here in Chinese on purpose, and reason texts rendered by
the ledger are produced with the language switched to zh-hans. The layout follows
the usual 公文 conventions (GB/T 9704): A4, red title over a red rule, 黑体 section
headings, 仿宋 body text, 宋体 tables.

Tables are built by cloning one prepared row element per data row instead of going
through python-docx's cell API, which is quadratic in practice: a district-year
bulletin (thousands of rows) stays well under a second.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from taizhang.ledger.models import Item, Status, Whistle

from .models import SupervisionNotice

RED = RGBColor(0xC0, 0x00, 0x00)
TITLE_FONT = "宋体"  # 方正小标宋 is rarely installed; 宋体 (SimSun) is everywhere
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

STATE_ZH = {
    SupervisionNotice.State.ISSUED: "待反馈",
    SupervisionNotice.State.REPLIED: "已反馈",
    SupervisionNotice.State.CLOSED: "已办结",
}
STATUS_ZH = {Status.RED: "红灯", Status.AMBER: "黄灯", Status.GREEN: "绿灯"}
SECTION_TITLES = ("一、总体情况", "二、进展情况", "三、滞后事项", "四、存在问题", "五、吹哨报到", "六、未按时报送")


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _num(value) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


# --------------------------------------------------------------------------- docx helpers


def _set_font(run_or_style, name: str, size: float | None = None, *, bold: bool = False, color=None) -> None:
    font = run_or_style.font
    font.name = name
    if size:
        font.size = Pt(size)
    font.bold = bold
    if color is not None:
        font.color.rgb = color
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), name)


def _para(doc, text: str = "", *, font=BODY_FONT, size=16, bold=False, color=None, align=None, indent=False):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        _set_font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph) -> None:
    """A red line under the paragraph (the 红头 separator)."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    bdr.append(bottom)
    ppr.append(bdr)


def _new_document(*, landscape: bool = False):
    doc = Document()
    normal = doc.styles["Normal"]
    _set_font(normal, BODY_FONT, 16)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(28)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    return doc


def _red_header(doc, title: str, issue_line: str, issuer: str, day: dt.date) -> None:
    _para(doc, title, font=TITLE_FONT, size=26, bold=True, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    if issue_line:
        _para(doc, issue_line, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    p = doc.add_paragraph()
    width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    _set_font(p.add_run(f"{issuer}\t{cn_date(day)}"), BODY_FONT, 16)
    _red_rule(p)


def _cell_paragraph(cell, text: str, *, bold: bool = False, size: float = 10.5, center: bool = False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing = 1.0
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run(text or " "), TABLE_FONT, size, bold=bold)


def _table(doc, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[float] | None = None):
    """A bordered table: a bold, repeated header row and one cloned row per data row."""
    table = doc.add_table(rows=2, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header, template = table.rows
    for cell, text in zip(header.cells, headers, strict=True):
        _cell_paragraph(cell, text, bold=True, center=True)
    trpr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    trpr.append(repeat)
    for cell in template.cells:
        _cell_paragraph(cell, " ")
    if widths:
        for row in (header, template):
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = Cm(w)
    tbl, tr = table._tbl, template._tr
    tbl.remove(tr)
    # Serialise the prepared row once with a marker in each cell, then build all
    # rows as one XML string and parse it in one go (lxml does that in C).
    for t in tr.iter(qn("w:t")):
        t.text = _MARK
    pieces = etree.tostring(tr, encoding="unicode").split(_MARK)
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in tr.nsmap.items() if k)
    body = "".join(
        "".join(p + escape("" if v is None else str(v)) for p, v in zip(pieces[:-1], values, strict=True)) + pieces[-1]
        for values in rows
    )
    if body:
        # Plain lxml parsing: the rows are only serialised, never read back through python-docx.
        body = _XML_INVALID.sub("", body)
        for new_tr in etree.fromstring(f"<root {ns}>{body}</root>"):
            tbl.append(new_tr)
    return table


_MARK = "§§CELL§§"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _docx_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- weekly bulletin


def _leaders(line) -> str:
    return "、".join(p.display_name for p in line.leaders)


def _one_line(text: str) -> str:
    return "；".join(s.strip() for s in (text or "").splitlines() if s.strip())


def _figures(line) -> tuple[str, str]:
    report = line.report
    pct = f"{report.progress_pct}%" if report.progress_pct is not None else ""
    money = _num(report.investment_completed_year)
    planned = line.planned_investment_year
    if money and planned:
        money = f"{money}/{_num(planned)}"
    return pct, money


def _whistle_state(line) -> str:
    if line.escalated:
        return "已升级"
    if line.overdue:
        return "超期未报到"
    if line.whistle.state == Whistle.State.ANSWERED:
        return "已全部报到"
    return "办理中"


def _summary_text(b) -> str:
    text = (
        f"本期调度区间为{cn_date(b.week_start)}至{cn_date(b.week_end)}。"
        f"纳入调度的{b.year}年度重点工作共{b.items}项，其中红灯{b.red}项、黄灯{b.amber}项、绿灯{b.green}项，"
        f"已逾期{b.overdue}项。本周报送进展{b.reports_filed}项，反映存在问题{len(b.problems)}项"
    )
    text += f"，未按时报送{len(b.missing)}项。" if b.reports_due else "，本周进展尚未到报送截止时间。"
    text += f"在办吹哨事项{len(b.whistles)}件，其中已升级{b.escalated_whistles}件、超期未报到{b.overdue_whistles}件。"
    return text


def bulletin_docx(bulletin) -> bytes:
    """The weekly dispatch bulletin as a Word document (Chinese body text, see module docstring)."""
    with translation.override("zh-hans"):
        return _docx_bytes(_bulletin_document(bulletin))


def _bulletin_document(b):
    doc = _new_document(landscape=False)
    _red_header(doc, "重点工作周调度通报", f"第{b.issue_number}期", b.issuer, b.issued_on)
    if b.district_name:
        _para(
            doc,
            f"（{b.district_name}　{cn_date(b.week_start)}—{cn_date(b.week_end)}）",
            size=14,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )

    def heading(text):
        _para(doc, text, font=HEADING_FONT, size=16)

    def empty():
        _para(doc, "本期无。", indent=True)

    heading(SECTION_TITLES[0])
    _para(doc, _summary_text(b), indent=True)
    _para(doc, "（一）分牵头单位情况", font="楷体", size=16)
    _table(
        doc,
        ["序号", "牵头单位", "事项数", "红灯", "黄灯", "逾期", "本周报送", "存在问题", "未报送"],
        (
            [i, g.label, g.items, g.red, g.amber, g.overdue, len(g.moved), len(g.problems), len(g.missing)]
            for i, g in enumerate(b.by_unit, 1)
        ),
        [1.2, 3.4, 1.4, 1.2, 1.2, 1.2, 1.6, 1.6, 1.4],
    )
    _para(doc, "（二）分包抓领导情况", font="楷体", size=16)
    _table(
        doc,
        ["序号", "包抓领导", "事项数", "红灯", "黄灯", "逾期", "本周报送", "存在问题", "未报送"],
        (
            [i, g.label, g.items, g.red, g.amber, g.overdue, len(g.moved), len(g.problems), len(g.missing)]
            for i, g in enumerate(b.by_leader, 1)
        ),
        [1.2, 3.4, 1.4, 1.2, 1.2, 1.2, 1.6, 1.6, 1.4],
    )

    heading(SECTION_TITLES[1])
    if b.moved:
        _para(doc, f"本周共{len(b.moved)}项重点工作报送了进展，按牵头单位排列如下。", indent=True)
        _table(
            doc,
            ["序号", "牵头单位", "项目/任务名称", "包抓领导", "本周进展", "完成进度", "本年完成投资/计划（万元）"],
            (
                [i, ln.unit.name, ln.item.name, _leaders(ln), _one_line(ln.report.done), *_figures(ln)]
                for i, ln in enumerate(b.moved, 1)
            ),
            [1.0, 2.2, 3.0, 1.6, 4.8, 1.4, 2.2],
        )
    else:
        empty()

    heading(SECTION_TITLES[2])
    if b.behind:
        _para(doc, f"亮红灯{b.red}项、亮黄灯{b.amber}项，具体如下。", indent=True)
        _table(
            doc,
            ["序号", "牵头单位", "项目/任务名称", "包抓领导", "状态", "滞后原因"],
            (
                [i, ln.unit.name, ln.item.name, _leaders(ln), STATUS_ZH.get(ln.item.status, ""), "；".join(ln.reasons)]
                for i, ln in enumerate(b.behind, 1)
            ),
            [1.0, 2.4, 3.4, 1.8, 1.2, 6.4],
        )
    else:
        empty()

    heading(SECTION_TITLES[3])
    if b.problems:
        _table(
            doc,
            ["序号", "牵头单位", "项目/任务名称", "存在问题", "下步计划"],
            (
                [i, ln.unit.name, ln.item.name, _one_line(ln.report.problems), _one_line(ln.report.next_steps)]
                for i, ln in enumerate(b.problems, 1)
            ),
            [1.0, 2.4, 3.2, 4.8, 4.8],
        )
    else:
        empty()

    heading(SECTION_TITLES[4])
    if b.whistles:
        _table(
            doc,
            ["序号", "项目/任务名称", "吹哨单位", "问题", "报到单位", "未报到单位", "报到期限", "状态"],
            (
                [
                    i,
                    ln.item.name,
                    ln.whistle.raised_by_unit.name,
                    _one_line(ln.whistle.problem),
                    "、".join(ln.summoned),
                    "、".join(ln.silent),
                    cn_date(ln.due),
                    _whistle_state(ln),
                ]
                for i, ln in enumerate(b.whistles, 1)
            ),
            [1.0, 2.6, 1.8, 3.8, 2.2, 2.0, 2.2, 1.6],
        )
    else:
        empty()

    heading(SECTION_TITLES[5])
    if not b.reports_due:
        _para(doc, "本周进展尚未到报送截止时间。", indent=True)
    elif b.missing:
        _para(doc, f"以下{len(b.missing)}项重点工作未按时报送本周进展，请牵头单位立即补报。", indent=True)
        _table(
            doc,
            ["序号", "牵头单位", "项目/任务名称", "包抓领导", "报送截止"],
            ([i, ln.unit.name, ln.item.name, _leaders(ln), cn_date(ln.due)] for i, ln in enumerate(b.missing, 1)),
            [1.0, 3.4, 5.6, 2.6, 3.4],
        )
    else:
        _para(doc, "各单位均已按时报送。", indent=True)
    return doc


# --------------------------------------------------------------------------- supervision notice


def notice_docx(notice: SupervisionNotice, issuer: str) -> bytes:
    """A 督办通知单 for one notice (Chinese body text, see module docstring)."""
    with translation.override("zh-hans"):
        doc = _new_document()
        _red_header(doc, "督办通知单", "", issuer, _local_date(notice.issued_at))
        _para(doc, notice.number, align=WD_ALIGN_PARAGRAPH.RIGHT)
        item: Item = notice.item
        rows = [
            ["受文单位", notice.unit.name],
            ["督办事项", item.name + (f"（{item.code}）" if item.code else "")],
            ["督办月份", f"{notice.month.year}年{notice.month.month}月"],
            ["督办原因", _one_line(notice.reason) or "进度滞后"],
            ["督办要求", notice.requirement],
            ["反馈时限", f"请于{cn_date(notice.reply_due)}前书面反馈"],
            ["督办单位", issuer],
            ["签发人", notice.issued_by.display_name],
            ["签发日期", cn_date(_local_date(notice.issued_at))],
        ]
        if notice.state != SupervisionNotice.State.ISSUED:
            rows.append(["反馈情况", notice.reply_text])
            rows.append(["反馈日期", cn_date(_local_date(notice.replied_at)) if notice.replied_at else ""])
        rows.append(["办理状态", STATE_ZH[notice.state]])
        _table(doc, ["项目", "内容"], rows, [3.2, 12.4])
        _para(doc, "")
        _para(doc, "请接通知后认真研究，落实整改措施，按时反馈办理情况。", indent=True)
        return _docx_bytes(doc)


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


# --------------------------------------------------------------------------- notices spreadsheet

NOTICE_HEADERS = [
    "编号",
    "督办月份",
    "受文单位",
    "督办事项",
    "督办原因",
    "督办要求",
    "签发时间",
    "反馈期限",
    "状态",
    "超期未反馈",
    "反馈内容",
    "反馈时间",
]


def notices_xlsx(notices: Iterable[SupervisionNotice], today: dt.date) -> bytes:
    """The notice list as a spreadsheet with Chinese headers (write-only, streams rows)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("督办通知")
    widths = [18, 10, 16, 30, 40, 40, 18, 12, 10, 10, 40, 18]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[chr(64 + i)].width = w
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in NOTICE_HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for n in notices:
        ws.append(
            [
                n.number,
                f"{n.month.year}-{n.month.month:02d}",
                n.unit.name,
                n.item.name,
                n.reason,
                n.requirement,
                _local_date(n.issued_at).isoformat(),
                n.reply_due.isoformat(),
                STATE_ZH[n.state],
                "是" if n.is_flagged(today) else "否",
                n.reply_text,
                _local_date(n.replied_at).isoformat() if n.replied_at else "",
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
