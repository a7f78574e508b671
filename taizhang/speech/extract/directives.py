"""Decide which sentences assign work.

Rule 1 – explicit: a modal or assignment marker outside quotation marks (要 as a modal verb,
必须, 务必, 一定要, 确保, 力争, 争取, 抓紧, 尽快, 由…负责/牵头, 要求/希望/请+units …), unless the
actor is a higher level (国家/省/市委…), the sentence reports someone else's words, or it
states a meeting's purpose.
Rule 2 – carried over: a sentence that opens (after a short adverbial) with an action verb
(加快, 强化, 深入推进, 坚持…) and has no marker of completed work (了, 已, 以来, 荣获…) is a
directive when its section heading is one (``一要加快建设进度。``) or when it continues a
run of directives in the same section. Its subject is carried over from there.

Rule 3 – tense of the section: every heading is read as *forward* (the coming year's plan:
"2026年主要工作", "下一步工作打算", "明年工作思路", "今年重点工作") or *review* (the past:
"2025年工作回顾", "过去一年", "今年以来", "主要成绩"), or neither; a sentence inherits the nearest
decided heading of its section path. A lead sentence can switch the rest of its section to forward
("重点抓好以下七个方面工作：", "下一步，重点做好以下工作：") and a "我们将…/今年，全区将…" sentence the rest
of its paragraph. In a forward context an action sentence (rule 2's verbs, a wider list of plan
verbs, or a verb after a time adverbial such as "下半年启动…", "10月底前完成…") without a completed-work
marker is a directive even without a modal; in a review context a sentence with a completed-work
marker (了, 已, 累计, 同比…) is never one unless it carries a strong modal (要, 必须, 务必, 由…负责).
Short enumerated lead sentences ("一是做强先进制造业。", "1.突出产业链精准招商。", "第一，全力抓好项目开工。")
are directives when their body is an action outside a review context.

Documents are first classified: in a *report* (few modal 要, no 同志们) only strong markers
count, rule 2 applies only in forward contexts, and a section with no tense cue is read as review
(a work report describes what was done unless it says otherwise: corpus 000).
"""

from __future__ import annotations

import re

# "区投促局牵头，…" / "区文旅局负责…": a unit named as lead without 由 (a weak marker: "区发改局牵头建立了…" reports)
UNIT_LEADS = r"(?<=[局委办室部镇街区心会])(?:要|也要)?(?:牵头|负责)(?!人|同志|的)"
# 不得 as a prohibition, not inside an idiom (来不得半点马虎, 舍不得, 恨不得, 容不得 – judgements)
NOT_ALLOWED = r"(?<![来了舍怪巴恨由容见少免顾记])不得"
_UNIT_NAME = r"(?:区|县|市|镇|各)?[\u4e00-\u9fff]{1,10}?(?:分局|局|委员会|委|办公室|办|室|中心|集团|公司|街道|镇|乡|政府|管委会|部门|单位)"
# 请 + a unit (``请区审计局…``, ``请各镇街…``); not 邀请/申请/提请/报请 (asking a higher body)
PLEASE = r"(?<![邀申聘提报呈])请(?:各|全区|大家|相关|有关|你们|区直|所在|(?=" + _UNIT_NAME + r"(?![员会])))"
# 由 + a unit + its task, without 负责/牵头 (``由区财政局于10月15日前拨付到位``, ``由区城投集团通过…贷款解决``);
# not a relative clause (``由区发改局建立的机制``) – the rest of the clause has no 的
BY_UNIT = r"(?<![是经])由" + _UNIT_NAME + r"(?=[^,，。;；的]{2,}(?:[,，。;；]|$))(?!负责|牵头)"
# 要 + a perception verb: "也要看到/要清醒地看到，…" opens a statement of problems
PERCEIVE = re.compile(r"^(?:[清醒楚客观充分深刻辩证]{2}地?)?(?:看到|认识到|意识到|看待)")
# after 由X牵头/负责: a short verb and 的 make a relative clause (``牵头建立的机制``)
RELATIVE = re.compile(r"^[\u4e00-\u9fff]{0,2}的")
# the subject of a closing clause that refers back to what the sentence described (not 这项/这件: a task)
ANAPHOR = re.compile(r"^(?:这|此)(?:个|种|样的?|些|类)[\u4e00-\u9fff]{0,6}$")
QUOTE = re.compile(r"“[^“”]{0,30}”|\"[^\"]{0,30}\"")
MODAL_YAO = re.compile(
    r"(?<![重主需纪摘首必只提概紧扼显想将总简冲政机切纲靠])要(?![求素点事务害件闻塞员职案地么是义领旨]|紧(?![盯抓扣跟密]))"
)
STRONG = re.compile(
    r"必须|务必|一定要|确保|力争|争取|抓紧|尽快|务求|切忌|严禁|" + NOT_ALLOWED + r"|应当|必需|坚决防止|"
    r"(?:希望|要求|责成)(?:各|全区|大家|相关|有关|你们|区直|所在)|(?:希望|要求|责成)区|" + PLEASE + r"|"
    r"由[^,，。;；]{2,30}(?:负责|牵头)|" + UNIT_LEADS + r"|" + BY_UNIT
)
# a marker right before 了 reports a result (确保了, 争取了), it does not assign work
MARKER_DONE = re.compile(r"^了")
# markers that assign work even in a review context (the weak ones – 确保, 争取, 力争… – do not)
STRONG_MODAL = re.compile(r"要|必须|务必|一定要|严禁|不得|由.*(?:负责|牵头)|希望|要求|责成|请")
REPORT_STRONG = re.compile(
    r"必须|务必|一定要|(?:希望|要求|责成)(?:各|全区|相关|有关|区直)|" + PLEASE + r"|由[^,，。;；]{2,30}(?:负责|牵头)|"
    r"下一步|下步|今后|明年|计划于|将于|" + UNIT_LEADS + r"|" + BY_UNIT
)
HIGHER = re.compile(
    r"(国家|中央|国务院|全国|省委|省政府|市委|市政府|市委市政府|总书记|党中央|各级政府|习近平)[^,，。]{0,6}$"
)
REPORTED = re.compile(r"(书记|总书记|省长|市长|主席|总理)[^,，。]{0,20}(指出|强调|表示|要求我们|提出)")
# a requirement made in the past and its failure: "区里多次强调要加快…，但…还没有解决", "年初就明确必须…，但到现在只完成了…"
PAST_DEMAND = re.compile(
    r"(?:多次|反复|一再|早就|年初就|去年就|曾经?)[^,，。；;]{0,6}(?:强调|明确|提出|要求|部署)[^。；;]*?[,，]\s*但(?:是)?"
    r"[^。；;]*?(?:还没|仍未|仍然|至今|只完成|才完成|没有|未能)"
)
PURPOSE = re.compile(r"(会议|大会|这次会|今天的会)[^。]{0,20}(目的|任务|主题)[^。]{0,4}是")
DONE = re.compile(
    r"(?<![为除])了(?!解)|已经|已(?!有)|以来|荣获|被评为|被列为|入选|累计|先后|截至|截止|取得了|实现了|"
    r"^(今年|去年|年初)以来|得到了|同比|比上年|较上年|比年初"
)
# ability words read as achieved outcomes in a review ("都能在家门口就业"), not in a plan
DONE_SOFT = re.compile(r"能够|都能")
TENSE_WORD = re.compile(r"下一步|下步|今后|明年|计划于|将于")
WEAK_MARKER = re.compile(r"确保|争取|力争|抓紧|尽快|牵头|负责")
ACTION = re.compile(
    r"^(?:进一步|切实|全力|全面|深入|扎实|认真|积极|大力|持续|不断|坚决|主动|着力|重点|集中|综合|高度|"
    r"努力|充分|加大|加快|加强|加速|强化|深化|推进|推动|落实|完善|健全|建立|开展|实施|抓好|做好|抓实|坚持|聚焦|围绕|"
    r"提高|提升|统筹|狠抓|紧盯|紧扣|突出|注重|优化|创新|构建|打造|培育|引进|探索|严格|规范|保障|确保|争取|力争|"
    r"尽快|抓紧|启动|建设|谋划|拓宽|拓展|用好|发挥|守住|守牢|防范|整治|清理|排查|巩固|树牢|牢固树立|督促|组织|"
    r"对接|抢抓|抓住|瞄准|拿出|多跑|结合|按照|依托|克服|汲取|深化|加紧|推行|开辟)"
)
# verbs that open a task in a plan ("做强电子信息主导产业。", "新建望川实验学校…", "办好…博览会") –
# used only in forward contexts, where no modal is needed
PLAN_ACTION = re.compile(
    r"^(?:做强|做优|做大|做实|做细|细化|做精|做深|提速|培育|壮大|支持|鼓励|引导|促进|发展|新建|新增|改造|改建|扩建|"
    r"建成|完成|办好|继续|稳定|稳妥|稳步|稳住|实行|推广|前瞻|繁荣|创建|争创|打好|打通|畅通|打响|落地|严控|严把|"
    r"依法|及时|压实|压减|压缩|筑牢|兜牢|兜住|织密|补齐|补强|盘活|化解|招引|激发|改善|整合|组建|设立|出台|"
    r"制定|编制|修订|开工|布局|力推|力促|加力|扩大|延伸|实现|夯实|从严|试点|联动|共建|融入|接受|回应|办理|举办|"
    r"承办|筹办|营造|新培育|新认定|新组建|新改建|新开工|力争|争取|确保|全面|全力|全速|着力|着眼|坚定|毫不|始终|"
    r"纵深|高标准|高质量|高水平|常态化|分类|系统|一体|同步|精准|精心|科学|有序|稳慎|积极|主动|全方位|多措并举|"
    r"千方百计|以[^,，。]{1,12}为|把[^,，。]{1,30}(?:作为|摆在|放在))"
)
# "在全区推行…": a place adverbial before the verb (forward contexts only)
PLACE_LEAD = re.compile(r"^在(?:全区|全市|全县|全镇|城区|农村|各[\u4e00-\u9fff]{1,4})(?:范围内)?")
# "对在建工地开展…": a 对-object before the verb (forward contexts only)
OBJECT_LEAD = re.compile(r"^对[^,，。]{1,24}?(?=开展|进行|实行|实施|组织|加强|落实)")
# a time adverbial that can open a plan sentence without a comma ("下半年启动…", "10月底前完成…")
TIME_LEAD = re.compile(
    r"^(?:年内|今年|全年|年底前|年末前|上半年|下半年|明年|(?:第?[一二三四1-4])季度(?:末|内)?前?|"
    r"\d{1,2}月(?:\d{1,2}日|底|末|初|中旬|上旬|下旬|份)?(?:前|内|起)?|(?:到|至)\d{4}年|"
    r"(?:汛期|雨季|冬季|入冬|入汛|春节|国庆节?|元旦|五一|节)前)"
)
ADVERBIAL_LEAD = re.compile(
    r"^(?:(?:从|自)[^,，]{1,12}(?:起|开始)|[^,，]{0,8}(?:月底|月初|年底|年内|日)前|同时|此外|另外|下一步|下步|今后|当前|目前|下半年|上半年|今年|明年|最后|其次|首先|特别是|尤其是|"
    r"对于[^,，]{1,30}|对[^,，]{1,20}|针对[^,，]{1,20}|在[^,，]{1,30}(?:上|中|下|方面)|按照[^,，]{1,30}|"
    r"根据[^,，]{1,30}|围绕[^,，]{1,30}|结合[^,，]{1,30}|为[^,，]{1,30})[,，]"
)
NEXT_STEP = re.compile(r"下一步|下步|今后|明年|工作打算|工作计划|下步计划|重点任务|工作安排|努力方向")
# headings of the coming year's plan / of a review of the past
FORWARD_HEAD = re.compile(
    r"下一步|下步|今后|明年|工作打算|工作思路|工作计划|工作安排|工作部署|主要任务|重点任务|努力方向|工作要求|保障措施|有关要求|"
    r"督办事项|交办事项|整改要求|整改事项|整改措施|"
    r"(?:今年|本年度?|(?P<year>\d{4})年度?)(?:的)?(?:主要|重点)?(?:工作|任务|目标)(?!回顾|总结|完成|情况|成效)"
)
REVIEW_HEAD = re.compile(
    r"回顾|过去|以来|一年来|成绩|成效|总结|完成情况|进展情况|取得的|主要做法|工作情况|基本情况|"
    # findings of a review or an inspection (督查通报): what is lagging, not what to do
    r"存在的(?:主要)?问题|主要问题|问题和不足|不足之处|督查发现|发现的(?:主要)?问题|滞后项目|进度滞后|推进缓慢|总体情况"
)
YEAR_IN_HEAD = re.compile(r"(\d{4})年")
# a lead sentence that opens the plan for the rest of its section
FORWARD_LEAD = re.compile(
    r"(?:重点|着力|主要|突出)?(?:抓好|做好|推进|抓实|落实|突出)(?:以下|如下|[一二三四五六七八九十几]+个?)[^。]{0,12}(?:工作|方面|任务|重点)|"
    r"(?:下一步|下步|今后|明年)[^。]{0,16}(?:工作打算|工作思路|工作安排|工作计划|重点工作)|"
    r"(?:工作打算|工作思路|工作安排|工作计划)(?:是|为|如下)?[:：]"
)
# "我们将…" / "今年，全区将…": the rest of the paragraph is the plan
FUTURE_WILL = re.compile(
    r"^(?:[^,，。]{0,12}[,，])?(?:我们|我区|全区|区政府|区委|本区|今年|明年)[^,，。]{0,6}将(?!近|来|会)"
)
# copula / judgement sentences are context even in a plan ("投资是稳增长的关键变量。")
# units opening a sentence as its subject ("区应急管理局、区住建局每季度对…开展…"): removed before the
# action test in forward contexts
UNIT_SUBJECT = re.compile(
    r"^(?:(?:区|各)[\u4e00-\u9fff]{1,12}?(?:局|委|办|室|部|中心|管委会|集团|公司|镇街|街道|乡镇|部门|单位|镇|政府)"
    r"(?:各部门|各单位)?[、和及与]?)+"
    r"(?:每[年月周季]度?|年内|今年|全年|上半年|下半年|要|也要|都要)?"
)
# "6月底前，区政府将组织…" / "对…的，区政府将约谈…": a unit announcing its own action in a plan
UNIT_WILL = re.compile(
    r"^(?:区|各)[\u4e00-\u9fff]{0,12}?(?:局|委|办|室|部|中心|管委会|集团|街道|镇街|部门|单位|政府)(?:也|还)?将(?!近|来|会(?!同)|其|之)"
)
COPULA = re.compile(r"^[^,，。；;]{1,14}(?:是|在于|连着|关乎|事关)")
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


def _markers(s: str, mode: str) -> tuple[list, str]:
    """Rule 1 markers that assign work, and a reason when there are none."""
    q = strip_quotes(s)
    if PURPOSE.search(q) or REPORTED.search(q) or PAST_DEMAND.search(q):
        return [], "context"
    markers = list(MODAL_YAO.finditer(q))
    markers += list((STRONG if mode == "speech" else REPORT_STRONG).finditer(q))
    if not markers:
        return [], ""
    intro = bool(FORWARD_LEAD.search(q) or FUTURE_WILL.search(q))
    ok = []
    for m in markers:
        if MARKER_DONE.match(q[m.end() :]):
            continue
        if m.group(0) == "要" and (
            PERCEIVE.match(q[m.end() :]) or (q[m.start() - 1 : m.start()] == "越" and "越是" in q)
        ):
            continue  # 也要看到，… (a problem statement) / 越是…越要… (an exhortation): no task
        if (m.group(0).startswith("由") or m.group(0).endswith(("牵头", "负责"))) and RELATIVE.match(q[m.end() :]):
            continue  # 由区发改局牵头建立的机制运转良好: a relative clause describing the past
        if intro and TENSE_WORD.fullmatch(m.group(0)):
            continue  # "下一步，我们将重点做好以下工作：" introduces the plan, it assigns nothing itself
        # a weak marker whose clause ends in a result (为我们争取政策…带来了机遇) reports, it does not assign
        if WEAK_MARKER.fullmatch(m.group(0)) and (
            DONE.search(re.split(r"[,，;；。]", q[m.end() :])[0]) or re.search(r"(?:已|已经|曾)$", q[: m.start()])
        ):
            continue  # … or follows 已 (我区今年已争取上级资金21.3亿元)
        clause = re.split(r"[,，;；:：]", q[: m.start()])[-1]
        if HIGHER.search(clause) or re.search(r"(国家|中央|国务院)$", clause):
            continue
        ok.append(m)
    if not ok:
        return [], "higher-level"
    ok.sort(key=lambda m: m.start())
    cut = max(q.rfind(c, 0, ok[0].start()) for c in "，,；;") + 1
    if cut > 0 and ANAPHOR.match(q[cut : ok[0].start()]):
        # "…管线改造不彻底，这个问题明年必须解决好。": a judgement closing a description of a problem or a
        # past lesson (这个问题/这种状态/这样的教训 refer back to it), not a task
        return [], "context"
    return ok, ""


def explicit_directive(s: str, mode: str) -> tuple[bool, str]:
    """Rule 1. Returns (is_directive, reason)."""
    ok, why = _markers(s, mode)
    if not ok:
        return False, why
    return True, ok[0].group(0)


NUMBERING = re.compile(
    r"^(?:[①-⑳]|\d+[、.．]|[(（](?:[一二三四五六七八九十]+|\d{1,2})[)）]|[一二三四五六七八九十]要|第[一二三四五六七八九十]+[,，、]|[一二三四五六七八九十]是)"
)


def bare_action(s: str, plan: bool = False) -> bool:
    """The sentence opens (after numbering and adverbials) with an action verb.

    ``plan``: also accept the wider list of plan verbs and a time adverbial without a comma
    (forward contexts only).
    """
    t = NUMBERING.sub("", s.strip(), count=1)
    t = re.sub(r"^[,，:：]", "", t)
    for _ in range(3):
        t2 = ADVERBIAL_LEAD.sub("", t, count=1)
        if plan:
            t2 = TIME_LEAD.sub("", t2, count=1).lstrip(",，")
            t2 = PLACE_LEAD.sub("", t2, count=1)
            t2 = OBJECT_LEAD.sub("", t2, count=1)
        if t2 == t:
            break
        t = t2
    if ACTION.match(t):
        return True
    return plan and bool(PLAN_ACTION.match(t)) and not COPULA.match(t)


def _strip_leads(s: str) -> str:
    """``s`` without its numbering and up to three leading adverbials (time, 对…的, 在…上)."""
    t = NUMBERING.sub("", s.strip(), count=1).lstrip(",，:：")
    for _ in range(3):
        t2 = TIME_LEAD.sub("", ADVERBIAL_LEAD.sub("", t, count=1), count=1).lstrip(",，")
        if t2 == t:
            break
        t = t2
    return t


def completed(s: str, plan: bool = False) -> bool:
    q = strip_quotes(s)
    return bool(DONE.search(q) or (not plan and DONE_SOFT.search(q)))


def heading_tense(title: str, doc_year: int | None) -> str | None:
    """ "forward", "review" or None for a section heading (see rule 3)."""
    f = FORWARD_HEAD.search(title)
    r = REVIEW_HEAD.search(title)
    if f and not r:
        y = f.group("year")
        if y and doc_year and int(y) < doc_year:
            return "review"
        return "forward"
    if r and not f:
        return "review"
    if f and r:
        return None
    years = [int(y) for y in YEAR_IN_HEAD.findall(title)]
    if years and doc_year and max(years) < doc_year:
        return "review"
    return None


def _title_line(s, sentences, i: int) -> bool:
    """``s`` is a whole paragraph without sentence-final punctuation (a title line)."""
    alone = (i == 0 or sentences[i - 1].para != s.para) and (i + 1 >= len(sentences) or sentences[i + 1].para != s.para)
    return alone and not re.search(r"[。！？!?；;]\s*$", s.text)


def classify(sentences, sections, doc_date=None):
    """Mark each sentence: returns list of (is_directive, how) aligned with ``sentences``."""
    mode = doc_mode(sentences)
    doc_year = doc_date.year if doc_date else None
    tense: dict = {i: heading_tense(sec.title, doc_year) for i, sec in enumerate(sections)}
    para_forward: set = set()
    out = []
    prev_dir_in_section: dict = {}
    for i, s in enumerate(sentences):
        text = s.text
        ctx = next((tense[k] for k in reversed(s.path) if tense.get(k)), tense.get(None))
        if mode == "report" and ctx is None:
            ctx = "review"
        if s.para in para_forward and ctx != "forward":
            ctx = "forward"
        done = completed(text, plan=ctx == "forward")
        markers, _ = _markers(text, "speech" if ctx == "forward" else mode)
        is_dir, how = bool(markers), "explicit" if markers else ""
        if is_dir and ctx == "review" and done and not any(STRONG_MODAL.match(m.group(0)) for m in markers):
            is_dir, how = False, ""
        plan = ctx == "forward" or (mode == "speech" and ctx != "review")
        if not is_dir and not done:
            if s.is_heading:
                # "（一）压实工作责任。" that opens its paragraph is an inline lead, like "1.…" / "一是…"
                inline = i + 1 < len(sentences) and sentences[i + 1].para == s.para
                level = s.heading_level or 0
                if (level >= 3 or (level == 2 and inline)) and plan and bare_action(text, plan=True):
                    is_dir, how = True, "heading"
            elif (
                (ctx == "forward" and UNIT_WILL.match(_strip_leads(text)))
                or bare_action(text, plan=plan)
                or (
                    plan
                    and UNIT_SUBJECT.match(text.strip())
                    and bare_action(UNIT_SUBJECT.sub("", text.strip()), plan=True)
                )
            ):
                sec = s.section
                heading_dir = False
                if sec is not None:
                    heading_dir = explicit_directive(sections[sec].title, mode)[0] or (
                        (sections[sec].level or 0) >= 3 and plan and bare_action(sections[sec].title, plan=True)
                    )
                chain = prev_dir_in_section.get(sec, False)
                if mode == "speech" and ctx != "review" and (heading_dir or chain):
                    is_dir, how = True, "carried"
                elif ctx == "forward":
                    is_dir, how = True, "forward"
        if s.is_heading and is_dir and s.heading_level is not None and s.heading_level <= 1:
            how = "heading"
            if _title_line(s, sentences, i):
                # "五、以过硬作风确保各项任务落地见效": a part title standing on its own line, not a task
                is_dir, how = False, ""
        out.append((is_dir, how))
        if not s.is_heading:
            prev_dir_in_section[s.section] = is_dir
        else:
            prev_dir_in_section[len(sections) + i] = False
        # rule 3: a lead sentence opens the plan for the rest of its section / paragraph
        if FORWARD_LEAD.search(text):
            tense[s.section] = "forward"
        elif FUTURE_WILL.search(text):
            para_forward.add(s.para)
    return mode, out
