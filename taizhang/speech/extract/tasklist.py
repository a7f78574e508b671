"""Numbered items of a task list (重点工作任务清单, 任务分解表, 责任分工方案).

A task list states each task as a numbered item, usually closed by a responsibility note::

    3.推进…建设，新增…。（牵头单位：区教育局；配合单位：区住建局、区自然资源局；完成时限：2026年8月25日前）

The note may use full-width or half-width brackets, separate its fields with ；/;/，or line
breaks, or stand on its own lines under the item without brackets. Such an item is **one**
directive: its text runs from the number to the end of the note, whatever its sentences say.

- Owners are the lead units (牵头单位, 责任单位, 主责单位, 牵头部门…) and the co-operating units
  (配合单位, 配合部门, 协办单位…), split on 、 and kept as written (gold policy). They are also
  returned apart as ``lead`` and ``support``.
- Person fields (牵头领导, 责任领导, 分管领导, 责任人…) name people, not units: never owners; they
  are returned as ``leaders``.
- The deadline is the 完成时限 field (时限要求, 完成时间, 完成期限…), even when the task sentence
  names an earlier intermediate date. A field that is not a date (持续推进, 长期坚持, 汛期结束前)
  gives no deadline; ``全年`` is the whole year. Without the field the item's own text decides.

A numbered item without a note is a task item too when it stands in a task-list scope: under a
heading or title line that names a task list (``重点工作任务``, ``任务清单``…, not a review of one),
or in the same top-level section as an item that has a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LEAD_LABELS = (
    r"牵头单位|牵头部门|责任单位|责任部门|主责单位|主责部门|主办单位|主办部门|承办单位|责任主体|实施单位|牵头责任单位"
)
SUPPORT_LABELS = r"配合单位|配合部门|协办单位|协办部门|协助单位|协同单位|协作单位|参与单位|参加单位|配合责任单位"
PERSON_LABELS = r"牵头领导|责任领导|分管领导|分管区领导|联系领导|包抓领导|牵头区领导|联系区领导|责任人|联系人"
DEADLINE_LABELS = r"完成时限|时限要求|完成时间|完成期限|时间节点|办结时限|截止时间|时间要求|时限"
_LABEL = rf"(?P<label>{LEAD_LABELS}|{SUPPORT_LABELS}|{PERSON_LABELS}|{DEADLINE_LABELS})"
FIELD_RE = re.compile(_LABEL + r"\s*[:：]\s*")
# a line that opens with a field ("牵头单位：…", "（牵头单位：…") continues the item above it
FIELD_LINE = re.compile(r"^\s*[(（【\[]?\s*" + _LABEL + r"\s*[:：]")
ITEM_NUMBER = re.compile(r"^\s*(?:\d{1,3}[、.．](?!\d)|[(（]\d{1,3}[)）])")
# a heading or title line that names a task list
TASK_HEAD = re.compile(r"任务清单|任务分解|责任分工|任务台账|重点工作任务|工作任务表|任务安排|任务书")
NOT_TASK_HEAD = re.compile(r"回顾|完成情况|进展情况|落实情况|总结|成效")
# a deadline field that names no date: an open-ended task
OPEN_ENDED = re.compile(r"持续|长期|常态|长效|逐年|每年|经常性")
_OWNER_SPLIT = re.compile(r"[、，,/／;；\s]+")
_OPEN, _CLOSE = "(（【[", ")）】]"


@dataclass
class TaskItem:
    start: int
    end: int
    lead: list = field(default_factory=list)
    support: list = field(default_factory=list)
    leaders: list = field(default_factory=list)
    deadline: tuple | None = None  # (value, start, end) of the deadline field, offsets into the text
    has_fields: bool = False

    @property
    def owners(self) -> list:
        out = []
        for o in self.lead + self.support:
            if o not in out:
                out.append(o)
        return out


def _fields_region(text: str) -> tuple[int, int] | None:
    """Where the responsibility note starts and ends in ``text``: the bracket around the first
    field label, or from the first field label that opens a line (or follows a sentence) to the end."""
    for m in FIELD_RE.finditer(text):
        i = m.start()
        j = i - 1
        while j >= 0 and text[j] in " \u3000":
            j -= 1
        if j >= 0 and text[j] in _OPEN:
            depth, k = 0, j
            while k < len(text):
                if text[k] in _OPEN:
                    depth += 1
                elif text[k] in _CLOSE:
                    depth -= 1
                    if depth == 0:
                        return j, k + 1
                k += 1
            return j, len(text)
        if j < 0 or text[j] in "\n。；;！!":
            return i, len(text)
    return None


def parse_fields(text: str) -> dict:
    """Fields of the responsibility note in ``text``: lists of (kind, value, start, end)."""
    region = _fields_region(text)
    if region is None:
        return {}
    a, b = region
    matches = [m for m in FIELD_RE.finditer(text, a, b)]
    out: dict = {"lead": [], "support": [], "person": [], "deadline": [], "span": region}
    for n, m in enumerate(matches):
        stop = matches[n + 1].start() if n + 1 < len(matches) else b
        raw = text[m.end() : stop]
        value = raw.rstrip(" \n；;，,。" + _CLOSE)
        # a bracket closing the note, not one inside the value ("区委组织部（区委编办）")
        while (
            value
            and value[-1] in _CLOSE
            and value.count("（") + value.count("(") < value.count("）") + value.count(")")
        ):
            value = value[:-1].rstrip(" \n；;，,。")
        value = value.strip()
        label = m.group("label")
        if re.fullmatch(LEAD_LABELS, label):
            kind = "lead"
        elif re.fullmatch(SUPPORT_LABELS, label):
            kind = "support"
        elif re.fullmatch(PERSON_LABELS, label):
            kind = "person"
        else:
            kind = "deadline"
        out[kind].append((value, m.end(), m.end() + len(value)))
    return out


def split_owners(value: str) -> list[str]:
    """``区住建局、区财政局`` → two owners, kept as written (和/及 stay: 区住房和城乡建设局)."""
    out = []
    for part in _OWNER_SPLIT.split(value):
        part = part.strip(" 。.")
        if len(part) >= 2 and part not in out and part not in ("无", "暂无"):
            out.append(part)
    return out


def _paragraphs(text: str):
    pos = 0
    for para in text.split("\n"):
        yield pos, para
        pos += len(para) + 1


def _scopes(sentences, sections, doc_year=None) -> dict:
    """Per sentence start: (its top-level section, whether a task-list heading or title covers it, whether its
    nearest decided heading reviews the past or states findings: ``二、存在的主要问题``)."""
    from .directives import heading_tense

    tense = [heading_tense(sec.title, doc_year) for sec in sections]
    info = {}
    title_scope = False
    for s in sentences:
        titles = [sections[k].title for k in s.path]
        in_head = any(TASK_HEAD.search(t) and not NOT_TASK_HEAD.search(t) for t in titles)
        # an untitled short line before any section (a document or list title) naming a task list
        if (
            not s.is_heading
            and s.section is None
            and len(s.text) <= 40
            and "\t" not in s.text
            and TASK_HEAD.search(s.text)
        ):
            title_scope = not NOT_TASK_HEAD.search(s.text)
        top = next((k for k in s.path if sections[k].level <= 2), None)
        review = next((tense[k] for k in reversed(s.path) if tense[k]), None) == "review"
        info.setdefault(s.start, (top, in_head or title_scope, review))
    return info


def find_task_items(text: str, sentences, sections, doc_year: int | None = None) -> list[TaskItem]:
    """Numbered task items of ``text`` (the cleaned text that ``sentences`` index). An item under a heading that
    reviews the past or states findings (``二、存在的主要问题``: ``1.某某大道（牵头单位：…）。进度滞后…``) is not
    a task: its note names who is behind, it assigns nothing."""
    scope = _scopes(sentences, sections, doc_year)
    paras = list(_paragraphs(text))
    cands = []
    i = 0
    while i < len(paras):
        start, para = paras[i]
        if not ITEM_NUMBER.match(para) or "\t" in para:  # a table row is not a numbered item (see find_tables)
            i += 1
            continue
        end = start + len(para)
        j = i + 1
        # the note can continue on the following lines ("牵头单位：…" / "完成时限：…")
        while j < len(paras):
            body = text[start:end]
            unclosed = sum(body.count(c) for c in "(（") > sum(body.count(c) for c in ")）")
            if FIELD_LINE.match(paras[j][1]) or (
                unclosed and FIELD_RE.search(body) and not ITEM_NUMBER.match(paras[j][1])
            ):
                end = paras[j][0] + len(paras[j][1])
                j += 1
            else:
                break
        cands.append((start, end))
        i = j
    items = []
    noted_tops = set()
    parsed = []
    for a, b in cands:
        f = parse_fields(text[a:b])
        has = bool(f) and any(f[k] for k in ("lead", "support", "person", "deadline"))
        top, in_scope, review = scope.get(a, (None, False, False))
        if review:
            continue
        parsed.append((a, b, f, has, top, in_scope))
        if has:
            noted_tops.add(top)
    for a, b, f, has, top, in_scope in parsed:
        if not (has or in_scope or top in noted_tops):
            continue
        item = TaskItem(start=a, end=b, has_fields=has)
        if has:
            for kind, bucket in (("lead", item.lead), ("support", item.support), ("person", item.leaders)):
                for value, _, _ in f[kind]:
                    for o in split_owners(value):
                        if o not in bucket:
                            bucket.append(o)
            if f["deadline"]:
                item.deadline = f["deadline"][0]
        items.append(item)
    return items


# ---------------------------------------------------------------------------------------------------------------
# Tables: project lists and task tables appended to a plan (附件：2026年区级重大项目名单)
#
#     序号　项目名称　建设内容　总投资　责任单位
#     1　某某产业园一期　新建厂房12万平方米　32.5亿元　某某经开区管委会
#
# Cells are separated by tabs (how the loader writes Word tables), full-width spaces or runs of two or more
# spaces. A header row names its columns: a name column (项目名称, 任务名称, 工作任务, 事项…) and a 序号 or a
# responsibility column (责任单位, 牵头单位, 配合单位…). The lines after it with about as many cells (merged
# cells give fewer) are its data rows; a short one-cell line between them (一、产业项目) is a group title
# and does not end the table, nor does the header repeated on a new page. Each data row is one directive
# (see ``api``): owners from the responsibility columns, deadline from a 完成时限 column, the project from
# the name column of a project list.

NUMBER_HEAD = re.compile(r"序号|编号|序")
NAME_HEAD = re.compile(
    r"(?:项目|任务|工作|事项)?名称|项目|项目名|工作任务|重点任务|主要任务|具体任务|任务内容|工作内容|任务事项|工作事项|"
    r"具体事项|事项|任务"
)
TABLE_LEAD = re.compile(LEAD_LABELS + r"|主体单位|实施主体|责任主体单位")
TABLE_SUPPORT = re.compile(SUPPORT_LABELS)
TABLE_PERSON = re.compile(PERSON_LABELS + r"|包抓领导|包联领导|区级领导|责任领导")
TABLE_DEADLINE = re.compile(DEADLINE_LABELS + r"|(?:计划)?完成(?:时间|时限|期限|节点)|时间|完成时限要求")
_HEAD_NOTE = re.compile(r"[(（][^()（）]{0,12}[)）]")  # 总投资（亿元）: a unit note, not part of the label
_CELL_SPLIT = re.compile(r"\u3000+|[ \u00a0]{2,}")
ROW_NUMBER = re.compile(r"[(（]?\d{1,3}[)）.、．]?|[一二三四五六七八九十]{1,3}")
TOTAL_ROW = re.compile(r"合计|小计|总计|共计")
GROUP_NOT = re.compile(r"^(?:注|说明|备注|附注)|[。！？；;]$")


def split_cells(line: str) -> list[str]:
    """The cells of a table line: tab-separated (empty cells kept, so columns stay aligned) or separated by
    full-width spaces or runs of two or more spaces."""
    line = line.strip(" \u3000\u00a0\r\n")
    if "\t" in line:
        cells = [c.strip(" \u3000\u00a0") for c in line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        return cells
    return [c for c in _CELL_SPLIT.split(line) if c]


# header synonyms (``督办事项``, ``整改任务``, ``办结时限``, ``整改期限``, ``完成节点``): a cell ending in a name word names the
# task or project, a cell holding a time word is the deadline column, a 单位/部门 cell with a duty word the owners
NAME_LIKE = re.compile(r"[\u4e00-\u9fff]{0,6}(?:事项|任务|工作|内容|项目)(?:名称)?")  # 指标名称 names no task
DEADLINE_LIKE = re.compile(r"[\u4e00-\u9fff]{0,6}(?:时限|期限|时间|节点)[\u4e00-\u9fff]{0,2}")
LEAD_LIKE = re.compile(r"[\u4e00-\u9fff]{0,4}(?:责任|牵头|承办|主办|主责)[\u4e00-\u9fff]{0,2}(?:单位|部门|主体)")
SUPPORT_LIKE = re.compile(r"[\u4e00-\u9fff]{0,4}(?:配合|协办|协助|参与)[\u4e00-\u9fff]{0,2}(?:单位|部门)")


def column_role(label: str) -> str:
    """``number``, ``name``, ``lead``, ``support``, ``person``, ``deadline`` or ``other`` for a header cell
    (``name?`` for a cell that only ends like a name column: ``督办事项``, ``建设内容``)."""
    t = _HEAD_NOTE.sub("", re.sub(r"\s+", "", label))
    if NUMBER_HEAD.fullmatch(t):
        return "number"
    if NAME_HEAD.fullmatch(t):
        return "name"
    if TABLE_SUPPORT.fullmatch(t) or SUPPORT_LIKE.fullmatch(t):
        return "support"
    if TABLE_LEAD.fullmatch(t) or LEAD_LIKE.fullmatch(t):
        return "lead"
    if TABLE_PERSON.fullmatch(t):
        return "person"
    if TABLE_DEADLINE.fullmatch(t) or DEADLINE_LIKE.fullmatch(t):
        return "deadline"
    if NAME_LIKE.fullmatch(t):
        return "name?"
    return "other"


def header_roles(cells: list[str]) -> list[str] | None:
    """The column roles when ``cells`` is a table header: short labels, at least three, one of them a name
    column and one a 序号 or responsibility column."""
    if len(cells) < 3 or any(len(c) > 14 or not c for c in cells):
        return None
    roles = [column_role(c) for c in cells]
    # a cell that only ends like a name column is the name column when no cell is one outright (the first such
    # cell: 督办事项 before 整改内容); otherwise it is another column (项目名称 … 建设内容)
    weak = [i for i, r in enumerate(roles) if r == "name?"]
    roles = [
        ("name" if weak and i == weak[0] and "name" not in roles else "other") if r == "name?" else r
        for i, r in enumerate(roles)
    ]
    if roles.count("name") != 1 or not ({"number", "lead", "support"} & set(roles)):
        return None
    return roles


@dataclass
class Table:
    header: int  # index of the header line
    labels: list
    roles: list
    rows: list = field(default_factory=list)  # indices of the data lines
    repeats: list = field(default_factory=list)  # indices of repeated header lines

    @property
    def is_project_list(self) -> bool:
        """The name column names projects (项目名称, 名称), not tasks (工作任务, 事项)."""
        label = _HEAD_NOTE.sub("", self.labels[self.roles.index("name")])
        return "项目" in label or label == "名称"

    @property
    def lines(self) -> list:
        return sorted([self.header, *self.rows, *self.repeats])


def _fits(cells: list[str], n: int) -> bool:
    return len(cells) >= 2 and n - 2 <= len(cells) <= n


def find_tables(lines: list[str]) -> list[Table]:
    """Tables among ``lines`` (blank lines ignored): a header and the data rows under it."""
    tables = []
    i = 0
    while i < len(lines):
        cells = split_cells(lines[i])
        roles = header_roles(cells)
        if roles is None:
            i += 1
            continue
        t = Table(header=i, labels=cells, roles=roles)
        j = i + 1
        while j < len(lines):
            if not lines[j].strip():
                j += 1
                continue
            row = split_cells(lines[j])
            if row == cells:
                t.repeats.append(j)
            elif _fits(row, len(cells)):
                t.rows.append(j)
            elif len(row) == 1 and len(row[0]) <= 30 and not GROUP_NOT.search(row[0]):
                # a group title (一、产业项目) continues the table only when a data row follows it
                k = j + 1
                while k < len(lines) and not lines[k].strip():
                    k += 1
                if k < len(lines) and _fits(split_cells(lines[k]), len(cells)):
                    j += 1
                    continue
                break
            else:
                break
            j += 1
        tables.append(t)
        i = j
    return tables


def row_fields(table: Table, cells: list[str]) -> list[tuple[str, str, int]]:
    """``(role, label, cell index)`` for each cell of a data row. With fewer cells than the header (merged
    cells), the cells up to the name column are matched from the left and the others from the right;
    a missing row number shifts the row to the right."""
    n, m = len(table.roles), len(cells)
    cols = list(range(m))
    if m < n:
        shift = 1 if table.roles[0] == "number" and not ROW_NUMBER.fullmatch(cells[0]) else 0
        k = table.roles.index("name")
        cols = []
        for ci in range(m):
            left = ci + shift
            cols.append(left if left <= k else n - (m - ci))
        cols = [c if c < n else n - 1 for c in cols]
    return [(table.roles[c], table.labels[c], ci) for ci, c in enumerate(cols)]
