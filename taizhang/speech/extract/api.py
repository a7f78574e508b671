"""Public entry points: ``extract_text`` and ``extract_file``."""

from __future__ import annotations

import re
from datetime import date

from .clean import clean
from .deadlines import find_deadline, section_years
from .directives import classify
from .errors import ExtractionError
from .figures import UNITS, extract_figures
from .loader import DEFAULT_MAX_BYTES, load_file
from .owners import directive_owners, find_owners, known_unit
from .projects import add_listed, extract_projects
from .segment import segment
from .tasklist import NOT_TASK_HEAD, TOTAL_ROW, find_tables, find_task_items, row_fields, split_owners

MAX_CHARS = 2_000_000


def _as_date(d) -> date:
    if isinstance(d, date):
        return d
    try:
        return date.fromisoformat(str(d))
    except ValueError:
        raise ExtractionError(f"文档日期格式错误:{d},应为 YYYY-MM-DD。")


def _projects_in(projects: list[dict], a: int, b: int) -> list[str]:
    """Projects named in ``[a, b)``, in order of their first mention there (a later mention counts)."""
    hits = []
    for p in projects:
        inside = [m[0] for m in p.get("mentions", [p["span"]]) if a <= m[0] < b]
        if inside:
            hits.append((min(inside), p["name"]))
    return [name for _, name in sorted(hits)]


def extract_text(text: str, doc_date, units=None, include_clean_text: bool = True) -> dict:
    """Extract directives, projects and figures from a speech / work report.

    Every ``span`` is ``[start, end)`` into ``clean_text``.
    """
    doc_date = _as_date(doc_date)
    if text is None or not str(text).strip():
        raise ExtractionError("文本为空,没有可提取的内容。")
    if len(text) > MAX_CHARS:
        raise ExtractionError(f"文本过长(超过 {MAX_CHARS} 字),请拆分后再处理。")
    units = [u.strip() for u in (units or []) if u and u.strip()]
    ct = clean(text)
    if not ct.strip():
        raise ExtractionError("清理版面信息后没有剩余正文。")
    sections, sentences = segment(ct)
    rows, masked, table_spans = _table_rows(ct)
    figures = _figures(ct, rows, table_spans)
    projects = extract_projects(masked)
    if rows:
        projects = add_listed(projects, ct, [r["name_span"] for r in rows if r["project_list"]])
    mode, labels = classify(sentences, sections, doc_date)
    years = section_years(sentences, sections, doc_date)

    directives = []
    last_owners: dict = {}
    heading_owners: dict = {}
    for s, (is_dir, how), year in zip(sentences, labels, years, strict=False):
        if s.is_heading:
            o, _ = find_owners(s.text, units)
            heading_owners[s.section] = o
        if not is_dir:
            continue
        text_s = s.text.strip()
        lead_trim = len(s.text) - len(s.text.lstrip())
        a, b = s.start + lead_trim, s.start + lead_trim + len(text_s)
        owners, details = directive_owners(text_s, units)
        deadline, start, _times = find_deadline(text_s, doc_date, year)
        d = {
            "text": text_s,
            "owners": owners,
            "deadline": None,
            "projects": _projects_in(projects, a, b),
            "span": [a, b],
            "section": s.section,
            "how": how,
            "quantities": [
                {k: f[k] for k in ("text", "name", "value", "unit", "change_pct", "approx", "span")}
                for f in figures
                if a <= f["span"][0] < b
            ],
        }
        if details:
            d.update(details)
        if deadline:
            d["deadline"] = {
                "start": deadline["start"],
                "end": deadline["end"],
                "text": deadline["text"],
                "span": [a + deadline["span"][0], a + deadline["span"][1]],
            }
        if start:
            d["start"] = {
                "date": start["date"],
                "text": start["text"],
                "span": [a + start["span"][0], a + start["span"][1]],
            }
        if not owners:
            inherited = last_owners.get(s.section) or heading_owners.get(s.section) or []
            if inherited:
                d["owners_context"] = inherited
        else:
            last_owners[s.section] = owners
        directives.append(d)

    directives = _merge_task_items(directives, ct, sentences, sections, projects, figures, doc_date, units, years)
    directives = _merge_table_rows(directives, rows, table_spans, sentences, projects, figures, doc_date, units)

    result = {
        "doc_date": doc_date.isoformat(),
        "mode": mode,
        "directives": directives,
        "projects": [p["name"] for p in projects],
        "project_spans": projects,
        "figures": figures,
        "sections": [sec.as_dict() for sec in sections],
        "stats": {
            "chars": len(ct),
            "sentences": len(sentences),
            "directives": len(directives),
            "figures": len(figures),
            "projects": len(projects),
        },
    }
    if include_clean_text:
        result["clean_text"] = ct
    return result


def _merge_task_items(directives, ct, sentences, sections, projects, figures, doc_date, units, years=None):
    """Replace the sentence directives inside each numbered task-list item by one directive for the item.

    Owners and deadline come from the item's responsibility note (牵头单位/配合单位/完成时限, see
    ``tasklist``); without a note, from the item's text by the usual rules.
    """
    items = find_task_items(ct, sentences, sections, doc_date.year)
    if not items:
        return directives
    kept = [d for d in directives if not any(it.start <= d["span"][0] < it.end for it in items)]
    for it in items:
        a, b = it.start, it.end
        text_s = ct[a:b]
        fi = next((k for k, s in enumerate(sentences) if s.start >= a), None)
        first = sentences[fi] if fi is not None else None
        year = years[fi] if years and fi is not None else None
        d = {
            "text": text_s,
            "owners": [],
            "deadline": None,
            "projects": _projects_in(projects, a, b),
            "span": [a, b],
            "section": first.section if first else None,
            "how": "task-item",
            "quantities": [
                {k: f[k] for k in ("text", "name", "value", "unit", "change_pct", "approx", "span")}
                for f in figures
                if a <= f["span"][0] < b
            ],
        }
        if it.lead or it.support:
            d["owners"] = [known_unit(o, units) for o in it.owners]
            if it.lead:
                d["lead"] = [known_unit(o, units) for o in it.lead]
            if it.support:
                d["support"] = [known_unit(o, units) for o in it.support]
        else:
            owners, details = find_owners(text_s, units)
            d["owners"] = owners
            d.update(details)
        if it.leaders:
            d["leaders"] = it.leaders
        if it.deadline is not None:
            value, va, _vb = it.deadline
            deadline, start, _ = find_deadline(value, doc_date, year) if value else (None, None, [])
            offset = a + va
        else:
            deadline, start, _ = find_deadline(text_s, doc_date, year)
            offset = a
        if deadline:
            d["deadline"] = {
                "start": deadline["start"],
                "end": deadline["end"],
                "text": deadline["text"],
                "span": [offset + deadline["span"][0], offset + deadline["span"][1]],
            }
        if start:
            d["start"] = {
                "date": start["date"],
                "text": start["text"],
                "span": [offset + start["span"][0], offset + start["span"][1]],
            }
        kept.append(d)
    kept.sort(key=lambda d: d["span"][0])
    return kept


_FIG_KEYS = ("text", "name", "value", "unit", "change_pct", "approx", "span")
# a unit in a column header: 总投资（亿元）, 面积(万平方米)
_HEAD_UNIT = re.compile(
    r"[(（]\s*(?:单位[:：])?\s*(万亿|亿|万|千)?(" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")\s*[)）]"
)
_BARE_NUMBER = re.compile(r"(?:约|近|超)?\d+(?:\.\d+)?(?:余|多)?")


def _table_rows(ct: str):
    """The data rows of the tables in ``ct`` (see ``tasklist.find_tables``), the text that project rules
    read (a project list names its projects only in its name column, so its lines are blanked; in a task
    table only the task cells are read, each as a line of its own), and the spans of all table lines."""
    paras, starts, pos = ct.split("\n"), [], 0
    for p in paras:
        starts.append(pos)
        pos += len(p) + 1
    masked = list(ct)
    rows, table_spans = [], []

    def blank(a, b):
        masked[a:b] = "\n" * (b - a)

    for t in find_tables(paras):
        title = next((paras[k] for k in range(t.header - 1, max(-1, t.header - 3), -1) if paras[k].strip()), "")
        review = len(title) <= 60 and bool(NOT_TASK_HEAD.search(title))
        for li in t.lines:
            a, b = starts[li], starts[li] + len(paras[li])
            table_spans.append((a, b))
            if t.is_project_list or li not in t.rows:
                blank(a, b)
            else:
                masked[a:b] = [c if c != "\t" else "\n" for c in masked[a:b]]
        for li in t.rows:
            line, a = paras[li], starts[li]
            cells, offs, o = line.split("\t"), [], a
            for c in cells:
                offs.append(o)
                o += len(c) + 1
            row = {
                "span": (a, a + len(line)),
                "text": line,
                "project_list": t.is_project_list,
                "review": review,
                "cells": [(role, label, cells[ci], offs[ci]) for role, label, ci in row_fields(t, cells)],
            }
            for role, _label, cell, co in row["cells"]:
                if not t.is_project_list and role not in ("name", "other"):
                    blank(co, co + len(cell))  # owners, dates and row numbers hold no project
                if role == "name" and "name_span" not in row:
                    row["name_span"] = [co, co + len(cell)]
                    row["name"] = cell.strip()
            number = next((c for r, _, c, _ in row["cells"] if r == "number"), "")
            name = row.get("name", "")
            if name and not TOTAL_ROW.fullmatch(name) and not TOTAL_ROW.fullmatch(number.strip()):
                rows.append(row)  # a 合计 row totals the others: no task of its own
    return rows, "".join(masked), table_spans


def _in_spans(x: int, spans) -> bool:
    return any(a <= x < b for a, b in spans)


def _figures(ct: str, rows, table_spans) -> list[dict]:
    """Figures of the running text, and of each table row read cell by cell (a row number is no figure,
    and a 总投资 cell is named after its row's project). Names, owners and dates in a row are skipped."""
    figures = [f for f in extract_figures(ct) if not _in_spans(f["span"][0], table_spans)]
    for row in rows:
        project = ct[row["name_span"][0] : row["name_span"][1]]
        for role, label, cell, co in row["cells"]:
            if role != "other" and not (role == "name" and not row["project_list"]):
                continue
            found = extract_figures(cell)
            hu = _HEAD_UNIT.search(label)
            if not found and hu and _BARE_NUMBER.fullmatch(cell.strip()):
                # 总投资（亿元） over a bare 32.5
                lead = len(cell) - len(cell.lstrip())
                probe = cell.strip() + (hu.group(1) or "") + hu.group(2)
                found = [
                    dict(f, text=cell.strip(), span=[lead, lead + len(cell.strip())])
                    for f in extract_figures(probe)[:1]
                    if f["span"] == [0, len(probe)]
                ]
            for f in found:
                f = dict(f, span=[co + f["span"][0], co + f["span"][1]])
                if ct[f["span"][0] : f["span"][1]] == cell.strip() or not f.get("name"):
                    f["name"] = (project if row["project_list"] else "") + _HEAD_NOTE_RE.sub("", label)
                figures.append(f)
    figures.sort(key=lambda f: f["span"][0])
    return figures


_HEAD_NOTE_RE = re.compile(r"[(（][^()（）]{0,12}[)）]")


def _merge_table_rows(directives, rows, table_spans, sentences, projects, figures, doc_date, units):
    """Replace the sentence directives on table lines by one directive per data row (how = ``table-row``):
    its text is the whole line; owners are the lead and co-operating columns (split on 、, kept as
    written), the deadline is the 完成时限 column (none without one), the project is the name cell of a
    project list (literally), and the quantities are the figures of the other cells. A table under a
    title that reviews past work (完成情况, 回顾…) gives no directives."""
    if not table_spans:
        return directives
    kept = [d for d in directives if not _in_spans(d["span"][0], table_spans)]
    for row in rows:
        if row["review"]:
            continue
        a, b = row["span"]
        na, nb = row["name_span"]
        first = next((s for s in sentences if s.start >= a), None)
        d = {
            "text": row["text"],
            "owners": [],
            "deadline": None,
            "projects": [],
            "span": [a, b],
            "section": first.section if first else None,
            "how": "table-row",
            "quantities": [{k: f[k] for k in _FIG_KEYS} for f in figures if a <= f["span"][0] < b],
        }
        if row["project_list"]:
            d["projects"] = [row["name"]]
        else:
            d["projects"] = _projects_in(projects, a, b)
        lead, support, leaders = [], [], []
        deadline_cell = None
        for role, _label, cell, co in row["cells"]:
            bucket = {"lead": lead, "support": support, "person": leaders}.get(role)
            if bucket is not None:
                for o in split_owners(cell):
                    o = o if role == "person" else known_unit(o, units)
                    if o not in bucket:
                        bucket.append(o)
            elif role == "deadline" and cell.strip() and deadline_cell is None:
                deadline_cell = (cell, co)
        d["owners"] = list(dict.fromkeys(lead + support))
        if lead:
            d["lead"] = lead
        if support:
            d["support"] = support
        if leaders:
            d["leaders"] = leaders
        if deadline_cell:
            cell, co = deadline_cell
            deadline, start, _ = find_deadline(cell, doc_date)
            if deadline:
                d["deadline"] = {
                    "start": deadline["start"],
                    "end": deadline["end"],
                    "text": deadline["text"],
                    "span": [co + deadline["span"][0], co + deadline["span"][1]],
                }
            if start:
                d["start"] = {
                    "date": start["date"],
                    "text": start["text"],
                    "span": [co + start["span"][0], co + start["span"][1]],
                }
        kept.append(d)
    kept.sort(key=lambda d: d["span"][0])
    return kept


def extract_file(path, doc_date, units=None, max_bytes: int = DEFAULT_MAX_BYTES, **kw) -> dict:
    text = load_file(path, max_bytes=max_bytes)
    return extract_text(text, doc_date, units=units, **kw)
