"""Decide which sentences assign work.

Rule 1 – explicit: a modal or assignment marker outside quotation marks (要 as a modal verb,
必须, 务必, 一定要, 确保, 力争, 争取, 抓紧, 尽快, 由…负责/牵头, 要求/希望/请+units …), unless the
actor is a higher level (国家/省/市委…), the sentence reports someone else's words, or it
states a meeting's purpose.
Rule 2 – carried over: a sentence that opens (after a short adverbial) with an action verb
(加快, 强化, 深入推进, 坚持…) and has no marker of completed work (了, 已, 以来, 荣获…) is a
directive when its section heading is one (``一要加快建设进度。``) or when it continues a
run of directives in the same section. Its subject is carried over from there.

Documents are first classified: in a *report* (few modal 要, no 同志们) only strong markers
count and rule 2 applies only under next-step headings (下一步/下步计划/今后).
"""

from __future__ import annotations

import re

QUOTE = re.compile(r"“[^“”]{0,30}”|\"[^\"]{0,30}\"")
MODAL_YAO = re.compile(
    r"(?<![重主需纪摘首必只提概紧扼显想将总简冲政机切纲])要(?![求素点事务害件闻塞员职案地么是紧义领旨])"
)
STRONG = re.compile(
    r"必须|务必|一定要|确保|力争|争取|抓紧|尽快|务求|切忌|严禁|不得|应当|必需|坚决防止|"
    r"(?:希望|要求|(?<![邀申聘])请|责成)(?:各|全区|大家|相关|有关|你们|区直|所在)|由[^,，。;；]{2,30}(?:负责|牵头)"
)
REPORT_STRONG = re.compile(
    r"必须|务必|一定要|(?:希望|要求|(?<![邀申聘])请|责成)(?:各|全区|相关|有关|区直)|由[^,，。;；]{2,30}(?:负责|牵头)|"
    r"下一步|下步|今后|明年|计划于|将于"
)
HIGHER = re.compile(
    r"(国家|中央|国务院|全国|省委|省政府|市委|市政府|市委市政府|总书记|党中央|各级政府|习近平)[^,，。]{0,6}$"
)
REPORTED = re.compile(r"(书记|总书记|省长|市长|主席|总理)[^,，。]{0,20}(指出|强调|表示|要求我们|提出)")
PURPOSE = re.compile(r"(会议|这次会|今天的会)[^。]{0,20}(目的|任务|主题)[^。]{0,4}是")
DONE = re.compile(
    r"(?<![为除])了(?!解)|已经|已(?!有)|以来|荣获|被评为|被列为|入选|累计|先后|截至|截止|取得了|实现了|"
    r"^(今年|去年|年初)以来|能够|都能|得到了"
)
ACTION = re.compile(
    r"^(?:进一步|切实|全力|全面|深入|扎实|认真|积极|大力|持续|不断|坚决|主动|着力|重点|集中|综合|高度|"
    r"努力|充分|加大|加快|加强|加速|强化|深化|推进|推动|落实|完善|健全|建立|开展|实施|抓好|做好|抓实|坚持|聚焦|围绕|"
    r"提高|提升|统筹|狠抓|紧盯|紧扣|突出|注重|优化|创新|构建|打造|培育|引进|探索|严格|规范|保障|确保|争取|力争|"
    r"尽快|抓紧|启动|建设|谋划|拓宽|拓展|用好|发挥|守住|守牢|防范|整治|清理|排查|巩固|树牢|牢固树立|督促|组织|"
    r"对接|抢抓|抓住|瞄准|拿出|多跑|结合|按照|依托|克服|汲取|深化|加紧|推行|开辟)"
)
ADVERBIAL_LEAD = re.compile(
    r"^(?:(?:从|自)[^,，]{1,12}(?:起|开始)|[^,，]{0,8}(?:月底|月初|年底|年内|日)前|同时|此外|另外|下一步|下步|今后|当前|目前|下半年|上半年|今年|明年|最后|其次|首先|特别是|尤其是|"
    r"对于[^,，]{1,30}|对[^,，]{1,20}|针对[^,，]{1,20}|在[^,，]{1,30}(?:上|中|下|方面)|按照[^,，]{1,30}|"
    r"根据[^,，]{1,30}|围绕[^,，]{1,30}|结合[^,，]{1,30}|为[^,，]{1,30})[,，]"
)
NEXT_STEP = re.compile(r"下一步|下步|今后|明年|工作打算|工作计划|下步计划|重点任务|工作安排|努力方向")
SPEECH_CUES = re.compile(r"同志们|讲话|讲几点意见|提几点意见|讲三句话|讲几句话|我讲|我再强调")


def strip_quotes(s: str) -> str:
    return QUOTE.sub(lambda m: "□" * len(m.group(0)), s)


def has_modal(s: str) -> bool:
    return bool(MODAL_YAO.search(strip_quotes(s)))


def doc_mode(sentences) -> str:
    texts = [s.text for s in sentences]
    if not texts:
        return "report"
    modal = sum(1 for t in texts if has_modal(t))
    cues = any(SPEECH_CUES.search(t) for t in texts[:40])
    score = modal / len(texts) + (0.1 if cues else 0.0)
    return "speech" if score >= 0.12 else "report"


def explicit_directive(s: str, mode: str) -> tuple[bool, str]:
    """Rule 1. Returns (is_directive, reason)."""
    q = strip_quotes(s)
    if PURPOSE.search(q) or REPORTED.search(q):
        return False, "context"
    markers = []
    for m in MODAL_YAO.finditer(q):
        markers.append(m)
    for m in (STRONG if mode == "speech" else REPORT_STRONG).finditer(q):
        markers.append(m)
    if mode == "report":
        markers = [m for m in markers if m.re is not MODAL_YAO or True]
    if not markers:
        return False, ""
    ok = []
    for m in markers:
        clause = re.split(r"[,，;；:：]", q[: m.start()])[-1]
        if HIGHER.search(clause) or re.search(r"(国家|中央|国务院)$", clause):
            continue
        ok.append(m)
    if not ok:
        return False, "higher-level"
    return True, ok[0].group(0)


def bare_action(s: str) -> bool:
    t = re.sub(r"^[①-⑳]|^\d+[、.]|^[一二三四五六七八九十]要", "", s)
    for _ in range(2):
        t2 = ADVERBIAL_LEAD.sub("", t, count=1)
        if t2 == t:
            break
        t = t2
    return bool(ACTION.match(t))


def completed(s: str) -> bool:
    return bool(DONE.search(strip_quotes(s)))


def classify(sentences, sections):
    """Mark each sentence: returns list of (is_directive, how) aligned with ``sentences``."""
    mode = doc_mode(sentences)
    out = []
    prev_dir_in_section: dict = {}
    for i, s in enumerate(sentences):
        text = s.text
        is_dir, why = explicit_directive(text, mode)
        how = "explicit" if is_dir else ""
        if not is_dir and not s.is_heading and bare_action(text) and not completed(text):
            sec = s.section
            heading_dir = False
            heading_next = False
            if sec is not None:
                head = sections[sec].title
                heading_dir = explicit_directive(head, mode)[0]
                heading_next = bool(NEXT_STEP.search(head))
            chain = prev_dir_in_section.get(sec, False)
            if mode == "speech" and (heading_dir or chain):
                is_dir, how = True, "carried"
            elif mode == "report" and heading_next:
                is_dir, how = True, "carried"
        if s.is_heading and is_dir and s.heading_level is not None and s.heading_level <= 1:
            how = "heading"
        out.append((is_dir, how))
        if not s.is_heading:
            prev_dir_in_section[s.section] = is_dir
        else:
            prev_dir_in_section[len(sections) + i] = False
    return mode, out
