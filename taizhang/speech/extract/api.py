"""Public entry points: ``extract_text`` and ``extract_file``."""

from __future__ import annotations

from datetime import date

from .clean import clean
from .deadlines import find_deadline
from .directives import classify
from .errors import ExtractionError
from .figures import extract_figures
from .loader import DEFAULT_MAX_BYTES, load_file
from .owners import _match_known, find_owners
from .projects import extract_projects
from .segment import segment
from .tasklist import find_task_items

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
    figures = extract_figures(ct)
    projects = extract_projects(ct)
    mode, labels = classify(sentences, sections, doc_date)

    directives = []
    last_owners: dict = {}
    heading_owners: dict = {}
    for s, (is_dir, how) in zip(sentences, labels, strict=False):
        if s.is_heading:
            o, _ = find_owners(s.text, units)
            heading_owners[s.section] = o
        if not is_dir:
            continue
        text_s = s.text.strip()
        lead_trim = len(s.text) - len(s.text.lstrip())
        a, b = s.start + lead_trim, s.start + lead_trim + len(text_s)
        owners, details = find_owners(text_s, units)
        deadline, start, _times = find_deadline(text_s, doc_date)
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

    directives = _merge_task_items(directives, ct, sentences, sections, projects, figures, doc_date, units)

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


def _merge_task_items(directives, ct, sentences, sections, projects, figures, doc_date, units):
    """Replace the sentence directives inside each numbered task-list item by one directive for the item.

    Owners and deadline come from the item's responsibility note (牵头单位/配合单位/完成时限, see
    ``tasklist``); without a note, from the item's text by the usual rules.
    """
    items = find_task_items(ct, sentences, sections)
    if not items:
        return directives
    kept = [d for d in directives if not any(it.start <= d["span"][0] < it.end for it in items)]
    for it in items:
        a, b = it.start, it.end
        text_s = ct[a:b]
        first = next((s for s in sentences if s.start >= a), None)
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
            d["owners"] = [_known(o, units) for o in it.owners]
            if it.lead:
                d["lead"] = [_known(o, units) for o in it.lead]
            if it.support:
                d["support"] = [_known(o, units) for o in it.support]
        else:
            owners, details = find_owners(text_s, units)
            d["owners"] = owners
            d.update(details)
        if it.leaders:
            d["leaders"] = it.leaders
        if it.deadline is not None:
            value, va, _vb = it.deadline
            deadline, start, _ = find_deadline(value, doc_date) if value else (None, None, [])
            offset = a + va
        else:
            deadline, start, _ = find_deadline(text_s, doc_date)
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


def _known(name: str, units) -> str:
    """A listed owner mapped to the caller's unit list when it names one of them (``住建局`` → ``区住建局``)."""
    return (_match_known(name, units) if units else None) or name


def extract_file(path, doc_date, units=None, max_bytes: int = DEFAULT_MAX_BYTES, **kw) -> dict:
    text = load_file(path, max_bytes=max_bytes)
    return extract_text(text, doc_date, units=units, **kw)
