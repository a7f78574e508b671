"""Reported quantities: value (normalised), unit, change, approximation flag, what is measured.

Policy (also used for the gold annotations): a figure is a quantity written with Arabic
digits or a redaction placeholder (X / XX), or a Chinese-numeral share (七成).
Years, dates, ordinals (第3), rankings (全市第一), names with numbers (“1339”战略, 1号线,
2.0版, PM10, 世界500强, 十九届) are not figures.
"""

from __future__ import annotations

import re
from decimal import Decimal

# unit as written → normalised unit
UNITS = {
    "平方公里": "平方公里",
    "平方千米": "平方公里",
    "平方米": "平方米",
    "平米": "平方米",
    "立方米": "立方米",
    "公里": "公里",
    "千米": "公里",
    "米": "米",
    "公顷": "公顷",
    "亩": "亩",
    "吨": "吨",
    "千瓦": "千瓦",
    "兆瓦": "兆瓦",
    "千瓦时": "千瓦时",
    "度": "千瓦时",
    "美元": "美元",
    "港元": "港元",
    "欧元": "欧元",
    "元": "元",
    "人次": "人次",
    "户次": "户次",
    "剂次": "剂次",
    "场次": "场次",
    "车次": "车次",
    "批次": "批次",
    "架次": "架次",
    "学时": "学时",
    "课时": "课时",
    "个百分点": "百分点",
    "百分点": "百分点",
    "个月": "个月",
    "小时": "小时",
    "分钟": "分钟",
    "工作日": "工作日",
    "人": "人",
    "名": "人",
    "位": "人",
    "户": "户",
    "个": "个",
    "项": "项",
    "家": "家",
    "条": "条",
    "件": "件",
    "处": "处",
    "所": "所",
    "套": "套",
    "次": "次",
    "期": "期",
    "轮": "轮",
    "场": "场",
    "座": "座",
    "栋": "栋",
    "间": "间",
    "台": "台",
    "辆": "辆",
    "张": "张",
    "份": "份",
    "篇": "篇",
    "批": "批",
    "种": "种",
    "类": "类",
    "头": "头",
    "只": "只",
    "羽": "羽",
    "株": "株",
    "棵": "棵",
    "天": "天",
    "年": "年",
    "倍": "倍",
    "所学校": "所",
    "宗": "宗",
    "起": "起",
    "支": "支",
    "块": "块",
    "%": "%",
    "％": "%",
    "‰": "‰",
}
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
MULT = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000)}
APPROX_PRE = r"(?:约|大约|近|将近|接近|超过|超|逾|突破|多达|达到约|高达)"
APPROX_SUF = r"(?:余|多|以上|左右|上下|许)"
CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

FIG_RE = re.compile(
    rf"(?P<pre>{APPROX_PRE})?"
    rf"(?P<num>\d+(?:\.\d+)?|X{{1,3}})"
    rf"(?P<suf1>{APPROX_SUF})?"
    rf"(?P<mult>万亿|亿|万|千)?"
    rf"(?P<suf2>{APPROX_SUF})?"
    rf"(?P<unit>{_UNIT_ALT})?"
    rf"(?P<suf3>以上|左右|上下|多)?"
)
CN_SHARE_RE = re.compile(r"(?P<pre>近|超过|约)?(?P<cn>[一二三四五六七八九])成(?P<suf>以上|左右|多)?")
CHANGE_RE = re.compile(
    r"(?P<verb>同比增长|同比下降|同比减少|同比提高|同比降低|同比上升|可比增长|比上年增长|比上年下降|"
    r"较上年增长|较上年下降|增长|下降|减少|提高|降低|上升|增加|回落|下滑)"
    r"(?P<pre>约|近)?(?P<num>\d+(?:\.\d+)?|X{1,3})(?P<unit>%|％|个百分点|百分点|倍)"
)
NEG_VERBS = ("下降", "减少", "降低", "回落", "下滑")

# things before a number that make it a name / ordinal / date, not a quantity
_BAD_BEFORE = re.compile(r"(第|PM|pm|No\.|NO\.|[A-Za-z]|\+|号|“|「|《|V|v)$")
_BAD_AFTER = re.compile(r"^(号线|号|强|届|级|版|升级版|月|日|周年|点\d|:|：|\+|”|」|》|[A-Za-z]|/|-\d|\.\d|、\d+年)")
_TIME_AFTER = re.compile(r"^(年|月|日)")

_CLAUSE_SPLIT = re.compile(r"[,，;；。!！?？:：、（）()“”]")
_NAME_STRIP_PRE = re.compile(
    r"^(全年|今年以来|今年|去年以来|年初以来|累计|先后|其中|共计|共有|共|全区|辖区|截至目前|目前|同时|此外|并|已经|已|"
    r"我区|而且|并且|不仅|还|也)+"
)
_NAME_STRIP_SUF = re.compile(r"(达到|达|为|是|共|有|约|近|超过|突破|总计|合计|累计|分别|实现|完成了?|控制在)+$")


def _to_number(num: str, mult: str | None):
    if num.startswith("X"):
        return None
    v = Decimal(num)
    if mult:
        v *= MULT[mult]
    if v == v.to_integral_value():
        return int(v)
    return float(v)


def _name_for(text: str, a: int, b: int) -> str:
    left = _CLAUSE_SPLIT.split(text[max(0, a - 40) : a])[-1]
    left = _NAME_STRIP_PRE.sub("", left)
    left = re.sub(r"(同比|可比)?(增长|下降|减少|提高|降低|上升|增加)$", "", left)
    left = _NAME_STRIP_SUF.sub("", left)
    right = _CLAUSE_SPLIT.split(text[b : b + 30])[0]
    right = re.split(r"(的|改造|建成|全面|实现|进行|参与|开展|签订|奔赴|成为|被|获|入选|完成|启动|等)", right)[0]
    left = left.strip()
    if len(left) >= 2 and not re.fullmatch(
        r"(投入|列支|设立|培养|选派|组织|为|建成|新建|打造|发放|落实|举办|排除|划分|招聘|成立|收录|创建|开工|实施|引进|建设|规范|提升改造)",
        left,
    ):
        return left
    name = (left + right).strip()
    return name or left or right


def extract_figures(text: str):
    """Return a list of figure dicts with spans into ``text``."""
    figs = []
    taken = []

    def overlaps(a, b):
        return any(not (b <= x or a >= y) for x, y in taken)

    # 1) changes: 增长7.2% / 同比下降20% / 高于…X个百分点 is handled as plain figure
    for m in CHANGE_RE.finditer(text):
        a, b = m.start("num") - (len(m.group("pre")) if m.group("pre") else 0), m.end()
        num = m.group("num")
        unit = UNITS.get(m.group("unit"), m.group("unit"))
        val = None if num.startswith("X") else float(Decimal(num))
        sign = -1 if any(m.group("verb").endswith(v) for v in NEG_VERBS) else 1
        if unit == "%":
            change = None if val is None else (sign * val if val else 0.0)
            rec = {"value": None, "unit": "%", "change_pct": change}
        else:
            rec = {"value": _to_number(num, None), "unit": unit, "change_pct": None}
            if val is not None:
                rec["change_abs"] = sign * val
        # attach to the immediately preceding value figure ("100亿元,增长7.2%")
        prev = figs[-1] if figs else None
        gap = text[prev["span"][1] : m.start()] if prev else ""
        if (
            prev
            and unit == "%"
            and prev["unit"] not in ("%", "百分点")
            and prev["change_pct"] is None
            and re.fullmatch(
                r"[,，、]?\s*(同比|比上年|较上年)?",
                gap[: max(0, len(gap) - len(m.group("verb")) + len(m.group("verb")))] or "",
            )
            and len(gap) <= 3
        ):
            prev["change_pct"] = rec["change_pct"]
            prev["span"] = [prev["span"][0], b]
            prev["text"] = text[prev["span"][0] : b]
            taken.append((m.start(), b))
            continue
        name = _name_for(text, m.start(), b)
        if not name or name == text[b : b + len(name)]:
            left = _CLAUSE_SPLIT.split(text[max(0, m.start() - 40) : m.start()])[-1]
            name = _NAME_STRIP_PRE.sub("", left) + m.group("verb")
        fig = {"text": text[a:b], "name": name, "approx": bool(m.group("pre")), "span": [a, b], **rec}
        figs.append(fig)
        taken.append((a, b))

    # 2) plain quantities
    for m in FIG_RE.finditer(text):
        num = m.group("num")
        unit_raw = m.group("unit")
        a, b = m.start(), m.end()
        na, nb = m.start("num"), m.end("num")
        if overlaps(na, nb):
            continue
        before, after = text[max(0, na - 3) : na], text[nb : nb + 4]
        if _BAD_BEFORE.search(before) or (re.match(r"^[\d.]", after)):
            continue
        if num.startswith("X") and not unit_raw and not m.group("mult"):
            continue
        if not unit_raw and not m.group("mult"):
            continue
        if unit_raw and re.match(r"^(目|次[^\u4e00-\u9fff]?$)", text[m.end() : m.end() + 1]) and unit_raw == "项":
            continue  # “XX项目”: 项 is part of the word 项目, not a unit
        after_all = text[m.end() : m.end() + 4]
        if _BAD_AFTER.match(text[m.end("num") :]) and not unit_raw:
            continue
        if unit_raw in ("年",) and (len(num) == 4 or _TIME_AFTER.match(text[m.end() :])):
            continue  # a year, not a duration
        if unit_raw is None and m.group("mult") and _TIME_AFTER.match(after_all):
            continue
        if unit_raw in ("期", "次", "号") and re.search(r"号线$", text[max(0, na - 4) : na]):
            continue
        if unit_raw and text[m.end() : m.end() + 1] in ("强", "届", "级", "版"):
            continue
        if unit_raw in ("度",) and re.match(r"^(以来|上半年|下半年)", text[m.end() :]):
            continue
        if len(num) == 4 and num.isdigit() and 1949 <= int(num) <= 2100 and text[nb : nb + 1] == "年":
            continue
        # quotes like “1339” are names
        if na > 0 and text[na - 1] in "“「《" and text[m.end() : m.end() + 1] in ("”", "」", "》"):
            continue
        # trim: a trailing 多 belongs to approx, not unit
        pre = m.group("pre") or ""
        suf = (m.group("suf1") or "") + (m.group("suf2") or "") + (m.group("suf3") or "")
        unit = UNITS.get(unit_raw) if unit_raw else None
        fig = {
            "text": text[a:b],
            "name": _name_for(text, a, b),
            "value": _to_number(num, m.group("mult")),
            "unit": unit,
            "change_pct": None,
            "approx": bool(pre or suf),
            "span": [a, b],
        }
        if unit_raw == "%" or unit_raw == "％":
            fig["unit"] = "%"
        cmp = re.search(
            r"(同比|比上年|较上年|较去年|比去年)(减少|下降|降低|增加|增长|提高|上升)$", text[max(0, a - 8) : a]
        )
        if cmp and fig["value"] is not None and unit not in ("%",):
            fig["change_abs"] = (-1 if cmp.group(2) in ("减少", "下降", "降低") else 1) * fig["value"]
        # a following growth rate belongs to this figure (handled when it comes later in text order)
        figs.append(fig)
        taken.append((a, b))

    # 3) Chinese-numeral shares: 七成以上 → 70 %
    for m in CN_SHARE_RE.finditer(text):
        if overlaps(m.start(), m.end()):
            continue
        if m.start() > 0 and text[m.start() - 1] == "“":
            continue
        fig = {
            "text": m.group(0),
            "name": _name_for(text, m.start(), m.end()),
            "value": CN[m.group("cn")] * 10,
            "unit": "%",
            "change_pct": None,
            "approx": bool(m.group("pre") or m.group("suf")),
            "span": [m.start(), m.end()],
        }
        figs.append(fig)

    figs.sort(key=lambda f: f["span"][0])
    # growth right after a value figure: merge ("到位资金100亿元,增长7.2%")
    merged = []
    for f in figs:
        if merged and f["value"] is None and f["unit"] == "%" and f["change_pct"] is not None:
            p = merged[-1]
            gap = text[p["span"][1] : f["span"][0]]
            if (
                p["unit"] not in ("%", "百分点")
                and p["change_pct"] is None
                and re.fullmatch(
                    r"[,，、]?(同比|比上年|较上年|可比)?(增长|下降|减少|提高|降低|上升|增加|回落|下滑)", gap
                )
            ):
                p["change_pct"] = f["change_pct"]
                p["span"] = [p["span"][0], f["span"][1]]
                p["text"] = text[p["span"][0] : p["span"][1]]
                continue
        merged.append(f)
    return merged
