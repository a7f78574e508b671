"""Find time expressions in a directive and resolve them against the document date.

Conventions (documented in bench/extract/README.md):
  3月1日 → 03-01..03-01; 3月 → whole month; 3月初/上旬 → 1..10; 中旬 → 11..20;
  3月底/月末/下旬 → 21..last day; 年底/年末 → 12-01..12-31; 年内/今年内 → doc date..12-31;
  上半年 → 01-01..06-30; 下半年 → 07-01..12-31; 年中 → 06-01..07-31; 一季度 … 四季度;
  一季度末 → 03-21..03-31 (like a month end); 一季度内 → 01-01..03-31; 3月份 → whole month;
  明年 → next year, unless more precise words follow (明年国庆节前 → that holiday next year; 明年秋季开学前 → none;
  明年的… is an attribute), and a whole year gives way to a precise deadline inside it; 到2027年 → the whole of 2027; 全年 as a clause-opening adverbial
  (``，全年引进…600人``) → 01-01..12-31, but not 全年 as an attribute (``制定全年促消费活动方案``);
  "A或B" / "A至B" → from the start of A to the end of B;
  "…前" keeps the end and starts at the document date; "从A起" / "自A起" → a start, not a deadline;
  "以来" / past dates → ignored; recurring times (每月, 每季度, 每年3月) → never a deadline.
  A month/day earlier than the document date by more than 30 days, without an explicit year,
  rolls over to next year. In a section that deploys next year's work (``section_years``), bare period
  words (年底前, 年内, 全年, 上半年, 一季度…) are next year's.
Holidays: "国庆节前" → 09-30, "元旦前" → 12-31, "五一前" → 04-30 (fixed dates); "春节前", "元宵节前",
"清明前", "端午前", "中秋前" → the day before the holiday, whose date comes from jionlp's lunar
calendar (loaded only then); the next occurrence on or after the document date is used.
"节前" with no holiday named and "汛期前" are not resolvable: no deadline.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from . import nlp

CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
NUM = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
# what may follow 明年 to make it more precise: a holiday (``明年国庆节前``, resolved by ``_holidays``) or a
# season or school/flood date that no rule resolves (``明年秋季开学前``, null). 明年 alone then gives nothing.
_MORE_PRECISE = (
    r"(?:春节|元旦|国庆|五一|劳动节|元宵|清明|端午|中秋|[春夏秋冬]季?|汛期|开学|暑期|寒假|暑假|开春|初春|开年|年初)"
)
YEAR = r"(?:(?P<year>\d{4})年|(?P<rel>今年|明年|本年|当年|年内)?)"
POINT = (
    rf"(?:(?:(?P<y>\d{{4}})年|(?P<r>今年|明年|本年))?(?P<m>{NUM})月(?:份)?(?:(?P<d>\d{{1,2}})[日号]|(?P<part>底|末|初|中旬|上旬|下旬|中))?"
    r"|(?P<yp>(?:\d{4}年?|今年|明年|本年)?(?:年底|年末|年内|年中|上半年|下半年|(?:第?[一二三四1-4])季度(?:末|底)?|年前))"
    r"|(?P<nextyear>明年)(?![一二三四五六七八九十\d]|的|" + _MORE_PRECISE + r")"
    r"|(?<=[到至])(?P<wy>\d{4})年(?![度\d])"
    r"|(?:(?<![^,，;；:：。\s])|(?<=力争|确保|争取)|(?<=要))(?P<whole>全年)(?![的度])"
    r")"
)
POINT_RE = re.compile(POINT)
SEP = r"(?:或|至|到|—|-|~|～|或者)"
EXPR_RE = re.compile(
    rf"(?P<from>从|自|于)?(?P<a>{POINT.replace('?P<', '?P<a_')})(?:{SEP}(?P<b>{POINT.replace('?P<', '?P<b_')}))?"
    r"(?P<suffix>之前|以前|前|以内|内|起|开始|以来|之后|以后)?"
)


def _num(s: str) -> int:
    return int(s) if s.isdigit() else CN_DIGITS.get(s, 0)


def _last(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _resolve_point(g: dict, doc_date: date, year: int | None = None):
    """Return (start, end, explicit_year) for one point; None if unresolvable.

    ``year``: the year that bare period words (年底, 年内, 上半年, 一季度, 全年) refer to (the year a section
    deploys, see ``find_deadline``); by default the document's. A bare month date is left to ``_roll``.
    """
    y = doc_date.year
    explicit = False
    if g.get("y"):
        y, explicit = int(g["y"]), True
    elif g.get("r") == "明年":
        y, explicit = doc_date.year + 1, True
    elif g.get("r"):
        y, explicit = doc_date.year, True
    if g.get("nextyear"):
        ny = doc_date.year + 1
        return date(ny, 1, 1), date(ny, 12, 31), True
    if g.get("wy"):
        wy = int(g["wy"])
        return date(wy, 1, 1), date(wy, 12, 31), True
    if g.get("whole"):
        y = year or y
        return date(y, 1, 1), date(y, 12, 31), True
    if g.get("m"):
        m = _num(g["m"])
        if not 1 <= m <= 12:
            return None
        if g.get("d"):
            d = int(g["d"])
            if not 1 <= d <= _last(y, m):
                return None
            return date(y, m, d), date(y, m, d), explicit
        part = g.get("part")
        last = _last(y, m)
        if part in ("底", "末", "下旬"):
            return date(y, m, 21), date(y, m, last), explicit
        if part in ("初", "上旬"):
            return date(y, m, 1), date(y, m, 10), explicit
        if part in ("中旬", "中"):
            return date(y, m, 11), date(y, m, 20), explicit
        return date(y, m, 1), date(y, m, last), explicit
    yp = g.get("yp")
    if yp:
        y = year or y  # a bare 年底/年内/上半年 is the deployed year's; a bare month date only rolls (_roll)
        m = re.match(r"(\d{4})年|明年|今年|本年", yp)
        if m:
            if m.group(1):
                y = int(m.group(1))
            else:
                y = doc_date.year + 1 if m.group(0) == "明年" else doc_date.year
            explicit = True
        if "年底" in yp or "年末" in yp:
            return date(y, 12, 1), date(y, 12, 31), True
        if "年前" in yp:  # before the (lunar) new year: treat as end of year
            return date(y, 12, 1), date(y, 12, 31), True
        if "年内" in yp:
            start = doc_date if doc_date.year == y else date(y, 1, 1)
            return start, date(y, 12, 31), True
        if "年中" in yp:
            return date(y, 6, 1), date(y, 7, 31), True
        if "上半年" in yp:
            return date(y, 1, 1), date(y, 6, 30), True
        if "下半年" in yp:
            return date(y, 7, 1), date(y, 12, 31), True
        q = re.search(r"([一二三四1-4])季度", yp)
        if q:
            n = _num(q.group(1))
            sm = 3 * (n - 1) + 1
            if "末" in yp or "底" in yp:
                return date(y, sm + 2, 21), date(y, sm + 2, _last(y, sm + 2)), True
            return date(y, sm, 1), date(y, sm + 2, _last(y, sm + 2)), True
    return None


def _sub(m: re.Match, prefix: str) -> dict:
    return {k[len(prefix) :]: v for k, v in m.groupdict().items() if k.startswith(prefix)}


def _roll(start: date, end: date, explicit: bool, doc_date: date):
    if not explicit and end < doc_date - timedelta(days=30):
        try:
            return start.replace(year=start.year + 1), end.replace(year=end.year + 1)
        except ValueError:  # 29 Feb
            return start + timedelta(days=365), end + timedelta(days=365)
    return start, end


def find_times(text: str, doc_date: date, year: int | None = None):
    """All time expressions in ``text``: list of dicts with kind deadline/start/past."""
    out = []
    for m in EXPR_RE.finditer(text):
        a = _resolve_point(_sub(m, "a_"), doc_date, year)
        if a is None:
            continue
        start, end, explicit = a
        if m.group("b"):
            b = _resolve_point(_sub(m, "b_"), doc_date, year)
            if b is not None:
                end = b[1]
                explicit = explicit or b[2]
        suffix = m.group("suffix") or ""
        frm = m.group("from") or ""
        # context right after the match decides "起" / "以来"
        after = text[m.end() : m.end() + 4]
        clause_after = re.split(r"[,，;；。!！?？]", text[m.end() :], maxsplit=1)[0]
        if (
            suffix in ("以来",)
            or after.startswith(("以来", "来"))
            or (frm in ("自", "从") and "以来" in clause_after[:20])
        ):
            kind = "past"
        elif suffix in ("起", "开始", "之后", "以后") or (frm in ("从", "自") and re.match(r"^(起|开始)", after)):
            kind = "start"
        else:
            kind = "deadline"
        if RECURRING.search(text[: m.start()]):
            continue  # 每月, 每年3月底前: a routine, not a deadline
        bare = not suffix and not frm and not m.group("b") and _bare_period(m)
        if bare and kind == "deadline" and OBJECT_TAKER.search(text[: m.start()]) and not after.startswith("“"):
            # 把四季度投资任务分解…, 谋划明年项目: the period names the object's scope, not a deadline (but
            # 抓好明年一季度“开门红”: the quoted event takes place in the period)
            continue
        start, end = _roll(start, end, explicit, doc_date)
        if suffix in ("前", "之前", "以前", "以内", "内") and kind == "deadline":
            start = min(doc_date, end)
        out.append(
            {
                "kind": kind,
                "text": m.group(0),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "span": [m.start(), m.end()],
                "whole_year": not m.group("b") and bool(m.group("a_nextyear") or m.group("a_whole")),
                # a whole year, quarter or month: it gives way to a precise deadline inside it
                "period": bare or (not m.group("b") and bool(m.group("a_nextyear") or m.group("a_whole"))),
            }
        )
    return out


RECURRING = re.compile(r"每(?:年|个|一)?$")
# a verb or preposition that takes an object: a bare period right after it is an attribute of that object
# (``把四季度投资任务…``, ``对四季度计划供应的14宗…``, ``谋划明年项目``, ``抓好8月份督查交办问题整改``), while a period
# after a subject or a modal is an adverbial (``每位领导四季度到现场不少于3次``, ``确保明年新增就业…``)
OBJECT_TAKER = re.compile(
    r"(?:把|将|对(?!于)|对照|围绕|聚焦|针对|谋划|梳理|排出|形成|纳入|列入|用到|用于|做好|抓好|抓实|制定|编制|分解|储备|"
    r"安排|研究|部署|遴选|确定|明确|申报|报送|筹备|准备|摸清|盘点|对接)\s*$"
)


def _bare_period(m: re.Match) -> bool:
    """The point is a quarter, a month or 明年 without a day, a part or a suffix (``四季度``, ``8月份``,
    ``明年一季度``, ``明年``): a period that can be a deadline or the scope of a noun."""
    if m.group("a_nextyear"):
        return True
    yp = m.group("a_yp") or ""
    if re.search(r"季度$", yp):
        return True
    return bool(m.group("a_m") and not m.group("a_d") and not m.group("a_part"))


HOLIDAY_RE = re.compile(
    r"(?P<yr>明年|今年|\d{4}年)?(春节|元旦|国庆节?|五一|劳动节|元宵节?|清明节?|端午节?|中秋节?)(前|之前|以前)"
)
FIXED_HOLIDAYS = {"元旦": (1, 1), "国庆": (10, 1), "国庆节": (10, 1), "五一": (5, 1), "劳动节": (5, 1)}
LUNAR_NAMES = {"元宵": "元宵节", "清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
_FALLBACK_RE = re.compile(r"本月底|本月内|本周内|本季度")


def holiday_date(name: str, doc_date: date, year: int | None = None) -> date | None:
    """The next ``name`` holiday on or after ``doc_date`` (lunar ones through jionlp); with ``year``
    (``明年国庆节前``, ``2027年春节前``) the one in that year."""
    if year is not None:
        first = date(year, 1, 1)
        h = holiday_date(name, first)
        return h if h is not None and h.year == year else None
    if name in FIXED_HOLIDAYS:
        m, d = FIXED_HOLIDAYS[name]
        h = date(doc_date.year, m, d)
        return h if h >= doc_date else date(doc_date.year + 1, m, d)
    name = LUNAR_NAMES.get(name, name)
    for base in (doc_date, date(doc_date.year + 1, 1, 1)):
        parsed = nlp.parse_time(name, base)
        if not parsed:
            return None
        try:
            h = date.fromisoformat(parsed[0][:10])
        except ValueError:
            return None
        if h >= doc_date:
            return h
    return None


def _holidays(text: str, doc_date: date):
    out = []
    for m in HOLIDAY_RE.finditer(text):
        yr = m.group("yr")
        year = None
        if yr:
            year = doc_date.year + 1 if yr == "明年" else doc_date.year if yr == "今年" else int(yr[:4])
        h = holiday_date(m.group(2), doc_date, year)
        if h is None:
            continue
        end = h - timedelta(days=1)
        out.append(
            {
                "kind": "deadline",
                "text": m.group(0),
                "start": min(doc_date, end).isoformat(),
                "end": end.isoformat(),
                "span": [m.start(), m.end()],
            }
        )
    return out


def _jionlp_fallback(text: str, doc_date: date):
    out = []
    for m in _FALLBACK_RE.finditer(text):
        parsed = nlp.parse_time(m.group(0), doc_date)
        if not parsed:
            continue
        try:
            end = parsed[1][:10]
            start = parsed[0][:10]
            if end == "inf":
                continue
            date.fromisoformat(start)
            date.fromisoformat(end)
        except (ValueError, TypeError, IndexError):
            continue
        out.append(
            {
                "kind": "deadline",
                "text": m.group(0),
                "start": start,
                "end": end,
                "span": [m.start(), m.end()],
                "via": "jionlp",
            }
        )
    return out


# the date of a report-back step: 请于X前…报, X前将…报送/上报/书面报/反馈 (the report, not the task itself)
_REPORT_AFTER = re.compile(r"^[^,，;；。]{0,20}?(?:书面报|报送|上报|反馈|报区|报市|报县)")


def _report_back(text: str, t: dict) -> bool:
    a, b = t["span"]
    return (
        text[max(0, a - 2) : a] == "请于"
        or text[a - 1 : a] == "于"
        and text[max(0, a - 2) : a - 1] == "请"
        or (bool(_REPORT_AFTER.match(text[b:])) and "请" in text[max(0, a - 3) : a])
    )


def find_deadline(text: str, doc_date: date, year: int | None = None):
    """Return (deadline | None, start | None, all_times) for a directive sentence.

    ``year`` is the year the sentence's section deploys (``section_years``): bare 年底前, 年内, 全年 and
    month dates resolve in it. 明年…, 今年… and dates with a year are unaffected, and so are holidays
    (the coming one).
    """
    times = find_times(text, doc_date, year) + _holidays(text, doc_date)
    if not any(t["kind"] == "deadline" for t in times):
        times += _jionlp_fallback(text, doc_date)
    deadlines = [t for t in times if t["kind"] == "deadline" and t["end"] >= doc_date.isoformat()]
    starts = [t for t in times if t["kind"] == "start"]
    # a whole year (明年, 全年), a bare quarter or month gives way to a more precise deadline inside it
    # (``明年的实事…明年1月底前``, ``梳理明年一季度可开工项目，春节前…``)
    precise = [t for t in deadlines if not t.get("period")]
    deadlines = [
        t
        for t in deadlines
        if not (
            t.get("period")
            and any(
                p["end"][:4] == t["end"][:4] if t.get("whole_year") else t["start"] <= p["end"] <= t["end"]
                for p in precise
            )
        )
    ]
    # a report-back date (``请于11月5日前将整改情况书面报…``) gives way to the task's own completion date
    own = [t for t in deadlines if not _report_back(text, t)]
    if own and len(own) < len(deadlines):
        deadlines = own
    deadline = None
    if deadlines:
        # the last-ending explicit deadline in the sentence governs it
        d = max(deadlines, key=lambda t: t["end"])
        deadline = {"start": d["start"], "end": d["end"], "text": d["text"], "span": d["span"]}
    start = None
    if starts:
        s = starts[0]
        start = {"date": s["start"], "text": s["text"], "span": s["span"]}
    return deadline, start, times


# the year a section heading deploys: 明年/来年/新的一年 or the next year's number (``三、扎实做好明年各项重点工作``,
# ``2027年工作安排``) – or the rest of the current year (``四、统筹抓好岁末年初各项工作``, ``今年最后一个月…``)
# (``为明年项目建设开好局`` is a purpose: the work is done now)
_NEXT_YEAR_HEAD = re.compile(r"(?<![为对])(?:明年|来年|新的一年|新一年)")
_THIS_YEAR_HEAD = re.compile(r"岁末年初|年终|收官|今年|本年|当年|年底前|年内")
_REVIEW_HEAD = re.compile(r"回顾|过去|以来|一年来|成绩|成效|总结|完成情况|进展情况|取得的")
# a lead sentence that opens next year's work for the rest of its section (``明年重点抓好以下五个方面工作。``)
_NEXT_YEAR_LEAD = re.compile(
    r"(?:明年|来年|新的一年)[^。；]{0,12}(?:抓好|做好|推进|突出|落实|部署|安排)[^。；]{0,8}(?:以下|如下|[一二三四五六七八九十几]+个?)"
)


def heading_year(title: str, doc_year: int) -> int | None:
    """The year a section heading is about when it deploys work, or None (inherit)."""
    if _REVIEW_HEAD.search(title):
        return None
    years = {int(y) for y in re.findall(r"(?<![为对])(\d{4})年", title)}
    if _NEXT_YEAR_HEAD.search(title) or doc_year + 1 in years:
        return doc_year + 1
    if _THIS_YEAR_HEAD.search(title) or doc_year in years:
        return doc_year
    return None


def section_years(sentences, sections, doc_date: date) -> list[int | None]:
    """For each sentence, the year its section deploys (None: the document's year).

    A December speech that deploys next year's work says so in its headings (``三、扎实做好明年各项重点工作``) or a
    lead sentence (``明年重点抓好以下五个方面工作。``): bare 年底前/年内/全年/6月底前 there mean next year, while a
    section about the rest of the current year (``岁末年初``) keeps the document's year.
    """
    doc_year = doc_date.year
    head = {i: heading_year(sec.title, doc_year) for i, sec in enumerate(sections)}
    lead: dict = {}
    out = []
    for s in sentences:
        year = None
        for k in reversed(s.path):
            year = lead.get(k) or head.get(k)
            if year:
                break
        out.append(year if year and year != doc_year else None)
        if not s.is_heading and s.section is not None and _NEXT_YEAR_LEAD.search(s.text):
            lead[s.section] = doc_year + 1
    return out
