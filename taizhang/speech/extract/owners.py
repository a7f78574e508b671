"""Who a directive is assigned to.

Owners are the units named as the actor of a directive: the subject in front of the modal
(``各街道要…``, ``宣传舆情专班和信访维稳专班也要…``), ``由X负责/牵头``, ``要求/希望/请X…``,
``必须引起X的高度重视``. Collective owners are kept as written (各乡镇, 各街道各部门,
全区上下, 各镇街). With a list of known unit names, names found in the subject zone are matched to
it (``区工信局`` ↔ ``工信局``).

Co-operating units are owners too (gold policy): ``X要会同Y、Z``, ``由X负责，Y、Z配合``,
``X牵头，Y配合``. They are also returned apart as ``support`` (the lead as ``lead``).
Units that are only the object of the action (``对各镇街…进行考评``, ``报区政府办备案``) are not.
"""

from __future__ import annotations

import re

from .directives import _UNIT_NAME

UNIT_SUFFIX = (
    r"(?:局|委|办|室|部|院|所|厅|处|科|站|队|中心|公司|集团|街道|街办|乡镇|镇|乡|社区|村|专班|政协|人大|"
    r"法院|检察院|管委会|常委会|指挥部|领导小组|工作组|部门|单位|委员会|党工委|党委|政府|支行|银行|协会|商会|学校|"
    r"镇街|园区|开发区|高新区|工商联|妇联|总工会|工会|联合会|融媒体中心|国有企业|国企|"
    # parks and zones that act through their administration (鹤泉经开区, 北湖高新园, 石门食品产业园)
    r"经开区|高新园|产业园|工业园|科技园|物流园|新区|示范区|合作区|功能区|保税区|综保区|自贸区)"
)
COLLECTIVE = re.compile(
    r"(?:全区上下|全区各级|全区广大党员干部|"
    r"(?:区直|区级|区属)(?:各|有关|相关|各有关|各相关)?(?:国有)?(?:部门|单位|企业|国企|机关|学校|医院)|"
    r"(?:各|全区各|区直各|区级各|区属各|相关|有关|各有关|各相关|所在|涉及的?|属地)"
    r"(?:级|级各|有关|相关)?[\u4e00-\u9fff]{0,6}?"
    r"(?:乡镇|镇街|街道|街办|部门|单位|社区|村|专班|职能部门|园区|企业|国企|学校|医院|镇|县区|区县)"
    r"(?:各?(?:乡镇|镇街|街道|街办|部门|单位|社区|村|级|有关部门|相关部门))*)"
)
HIGHER = re.compile(r"^(国家|中央|国务院|全国|省|省委|省政府|市委|市政府|市委市政府|总书记|习近平|各级政府|党中央)")
NOT_OWNER = re.compile(r"^(我们|大家|我|你们|同志们|全体|广大干部)$")
_SPLIT_KEEP = re.compile(r"([、,，]|以及|和|及|与)")
PERSON_ROLE = re.compile(
    r"(主要负责同志|负责同志|主要负责人|负责人|党工委书记|党委书记|书记|主任|局长|镇长|乡长|"
    r"主要领导|分管领导|一把手)$"
)
SUBJECT_END = re.compile(
    r"(也要|都要|还要|更要|一定要|必须|务必|(?<![重主需纪摘首必只提概紧扼显想总简冲政机切纲靠])要(?![求素点事务害件闻塞员职案地么是义领旨])|应当|应该|需要|负责(?!同志|人|单位|部门)|牵头(?!单位|部门)|抓紧|尽快|确保|"
    r"切实|认真|主动|积极|结合|围绕|按照|对|会同|配合(?!单位|部门)|协助(?!单位)|将(?!近|来|会(?!同)|其|之))"
)
# adverbs of time and frequency between a subject and its verb ("区委督查室每月对…")
SUBJECT_TAIL = re.compile(
    r"(?:每[年月周日天季]度?|年内|今年|明年|全年|上半年|下半年|年底前|尽快|同时|也|都|还|更|均|要|必须|分别|共同)$"
)
# "units + time/frequency + verb" as a clause of its own
TIMED_SUBJECT = re.compile(
    r"^([^,，;；。]{2,30}?)(?=(?:每[年月周日天季]度?|按[年月周季]|逐月|定期|年内|年底前|\d{1,2}月[^,，;；]{0,6}前)"
    r"[\u4e00-\u9fff])"
)
# co-operating units: "会同Y、Z", "联合Y"
WITH_UNITS = re.compile(r"(?:会同|协同|联合)([^,，。;；:：]{2,60})")
# "Y、Z配合/协助/参与" as a clause of its own
SUPPORT_CLAUSE = re.compile(r"^([^,，。;；]{2,60}?)(?:全力|积极|密切|共同|做好)?(?:配合|协助|参与)")
# 由 + an actor (not 由于/理由/自由/由此…); the actor's name ends before a person role or a verb
BY_UNIT = re.compile(r"(?<![理自缘经来原事])由(?![于此衷])([^,，。;；]{2,40})")
NAME_STOP = re.compile(
    r"(?:分管|主要)?(?:领导|负责同志|负责人|(?:党工委|党委|党组)?书记|主任|局长)|约谈|督办|挂牌|督促|指导|考核|考评|通报|调度|协调|"
    r"组织(?!部)|推动|帮助|支持|问责|检查|督查(?![室组局办])|会同|联合|配合|牵头|负责|统筹|提出|审定|审核|报送|"
    r"进行|开展|实施|落实|推进|研究|制定|编制|召集|交办|移交"
)
FROM_TO = re.compile(r"向|转为|变为|转变|转向|升级为|过渡到")
UNIT_ASK = re.compile(r"(?:希望|要求|责成|(?<![邀申聘])请|必须引起)([^,，。;；]{2,60})")
ADVERBIAL = re.compile(
    r"^(同时|此外|另外|下一步|下步|今后|当前|目前|今年|明年|下半年|上半年|最后|其次|首先|特别是|尤其是|"
    r"[一二三四五六七八九十]要|[①-⑳]|\d+[、.])[,，]?"
)


def _norm_unit(s: str) -> str:
    s = s.strip(" ,，、:：。")
    s = re.sub(r"^(由|希望|请|要求|责成|督促|必须引起|对于|对)", "", s)
    s = PERSON_ROLE.sub("", s)
    return s


def _match_known(name: str, units):
    """Map ``name`` to a known unit: exact, or one is the other with a 区/县/市 prefix."""
    if not units:
        return name
    for u in units:
        if name == u:
            return u
    for u in units:
        for pre in ("区", "县", "市", "区委", "区政府"):
            if u == pre + name or name == pre + u:
                return u
    for u in units:
        if len(u) >= 3 and (u in name or name in u) and len(name) >= 2:
            return u
    return None


NOT_UNIT = re.compile(
    r"(干部|城乡|全部|内部|外部|局部|细部|基层干部|老乡|家乡|城乡结合部|"
    r"督办|承办|举办|主办|协办|创办|开办|交办|查办|代办|帮办|领办|盯办|包办|好办|难办)$|^(紧盯|聚焦|围绕|加快|推动|推进|更是|也是|就是|重点|抓好|支持|鼓励|引导|督促|指导|组织)"
)


def _is_unit(s: str) -> bool:
    # a unit's name has no 的 (排在第一位的牵头单位 describes one, it does not name it)
    return bool(re.search(UNIT_SUFFIX + r"$", s)) and 2 <= len(s) <= 20 and "的" not in s and not NOT_UNIT.search(s)


def _clean_subject(part: str) -> str:
    part = part.strip()
    for _ in range(3):
        p2 = SUBJECT_TAIL.sub("", part)
        if p2 == part:
            break
        part = p2
    return part


def _owner_like(part: str, units) -> bool:
    n = _norm_unit(part)
    return bool(COLLECTIVE.fullmatch(n) or _is_unit(n) or (units and _match_known(n, units)))


def _split_list(seg: str) -> list[str]:
    """Split a list of owners on 、/和/及/与, keeping 和 inside a unit's name (区住房和城乡建设局, 区文化和旅游局)."""
    bits = _SPLIT_KEEP.split(seg)
    out = [bits[0]]
    for i in range(1, len(bits) - 1, 2):
        sep, nxt = bits[i], bits[i + 1]
        prev = out[-1]
        if sep in ("和", "与") and re.fullmatch(r"[区县市][\u4e00-\u9fff]{1,5}", prev) and not _owner_like(prev, None):
            out[-1] = prev + sep + nxt
        else:
            out.append(nxt)
    return out


def unit_list(seg: str, units=None) -> list[str]:
    """Units listed at the start of ``seg`` (``区水务局、柳湾镇``, ``区政协发挥各自优势`` → 区政协).

    The list ends at the first part that is not a unit; a part that only starts with a unit
    (the verb follows without a comma) gives its longest unit prefix and ends the list.
    """
    out = []
    for part in _split_list(seg):
        part = _clean_subject(part)
        if not part:
            break
        if _owner_like(part, units):
            out.append(part)
            continue
        c = COLLECTIVE.match(part)
        best = c.group(0) if c else ""
        head = NAME_STOP.split(part)[0]  # 区财政局研究制定办法 → 区财政局研究: not 区财政局研究制定办
        for n in range(min(len(head), len(part) - 1, 14), 1, -1):
            if len(best) >= n:
                break
            if _is_unit(head[:n]) or (units and _match_known(head[:n], units) == head[:n]):
                best = head[:n]
                break
        if best:
            out.append(best)
        break
    return out


def subject_zone(sentence: str) -> str:
    """Text in front of the first modal/verb marker of the sentence's first clause that has one."""
    s = ADVERBIAL.sub("", sentence)
    for clause in re.split(r"[,，;；]", s):
        c = ADVERBIAL.sub("", clause)
        m = SUBJECT_END.search(c)
        if m and m.start() > 0:
            return c[: m.start()]
        if m:
            return ""
    return ""


# what may stand between a clause start and its subject: numbering, linking and time adverbials
CLAUSE_LEAD = re.compile(
    r"(?:[一二三四五六七八九十]要|[①-⑳]|\d+[、.．]|同时|并且?|此外|另外|特别是|尤其是|其中|首先|其次|最后|"
    r"当前|目前|下一步|下步|今后|今年|明年|年内|全年|上半年|下半年|每[年月周日天季]度?|"
    r"(?:从|自)[^,，;；]{1,12}(?:起|开始)|[^,，;；]{1,10}前)*(?:要|必须|务必|一定要)?(?:确保|力争)?"
)


def _clause_initial(sentence: str, pos: int) -> bool:
    """``pos`` opens its clause, after at most numbering and linking/time adverbials."""
    start = max(sentence.rfind(ch, 0, pos) for ch in ",，;；:：。！？") + 1
    return bool(CLAUSE_LEAD.fullmatch(sentence[start:pos].strip()))


def find_owners(sentence: str, units=None):
    """Return (owners, details) where details has lead/support lists when 牵头/配合 are used."""
    owners: list[str] = []
    lead: list[str] = []
    support: list[str] = []

    def add(name, bucket=None):
        name = _norm_unit(name)
        if not name or NOT_OWNER.match(name) or HIGHER.match(name):
            return
        known = _match_known(name, units)
        if units and known is None and not COLLECTIVE.fullmatch(name):
            # unknown to the list: keep only clear unit names
            if not _is_unit(name):
                return
            known = name
        known = known or name
        if known not in owners:
            owners.append(known)
        if bucket is not None and known not in bucket:
            bucket.append(known)

    # 由X负责/牵头(,Y配合)
    for m in re.finditer(r"由([^,，。;；]{2,40}?)(?:牵头负责|负责|牵头|主抓|统筹|担任组长|任组长)", sentence):
        seg = m.group(1).split("由")[-1]
        for part in _split_list(seg):
            if _owner_like(part, units):
                add(part, lead)
    # 由X + another verb (由区委组织部约谈…, 由区政府督查室挂牌督办, 由区政府分管领导约谈… → 区政府)
    for m in BY_UNIT.finditer(sentence):
        if FROM_TO.search(m.group(1)):
            continue  # 由A向B转变: a change of state, no actor
        seg = NAME_STOP.split(m.group(1))[0]
        for part in unit_list(seg, units):
            add(part)
    for m in re.finditer(r"([^,，。;；由]{2,40}?)(?:牵头)[,，、]([^,，。;；]{2,40}?)(?:配合|协助|参与)", sentence):
        for part in _split_list(m.group(1)):
            if _is_unit(_norm_unit(part)) or (units and _match_known(_norm_unit(part), units)):
                add(part, lead)
        for part in _split_list(m.group(2)):
            if _is_unit(_norm_unit(part)) or (units and _match_known(_norm_unit(part), units)):
                add(part, support)
    # 要求/希望/请/责成 X …
    for m in UNIT_ASK.finditer(sentence):
        seg = m.group(1)
        if COLLECTIVE.match(seg):
            # a list may follow: 必须引起各镇街、各部门的高度重视
            for part in unit_list(seg, units):
                add(part)
        elif not m.group(0).startswith("请"):
            for part in unit_list(seg, units):
                add(part)
    # subject position of every clause that carries a modal
    clauses = re.split(r"[,，;；。]", sentence)
    for ci, clause in enumerate(clauses):
        c = ADVERBIAL.sub("", clause.strip())
        sm = SUPPORT_CLAUSE.match(c)
        if sm and ci > 0 and (lead or owners):
            for part in unit_list(sm.group(1), units):
                add(part, support)
        m = SUBJECT_END.search(c)
        if not m or m.start() == 0:
            # a clause of its own with no modal: units, then a time or frequency, then the verb
            # (…，区统计局每月通报进度 / 各项目单位每周一报送…)
            tm = TIMED_SUBJECT.match(c)
            if tm and ci > 0:
                parts = [_clean_subject(p) for p in _split_list(tm.group(1))]
                if parts and all(_owner_like(p, units) for p in parts):
                    for part in parts:
                        add(part)
            continue
        subj = c[: m.start()].split("由")[-1]
        subj = _clean_subject(re.sub(r"(也|都|还|更|均|要|必须)$", "", subj))
        if HIGHER.match(subj):
            continue
        for part in _split_list(subj):
            part = _clean_subject(part)
            if not part:
                continue
            if _owner_like(part, units):
                add(part)
    # co-operating units after 会同/协同/联合, when the sentence has an actor
    if owners:
        for m in WITH_UNITS.finditer(sentence):
            for part in unit_list(m.group(1), units):
                add(part, support)
        if support and not lead:
            lead.extend(o for o in owners if o not in support)
    # collective owners anywhere in the sentence that are not objects of a preposition
    last_end = -10
    for m in COLLECTIVE.finditer(sentence):
        before = sentence[max(0, m.start() - 2) : m.start()]
        listed = m.start() - 1 == last_end and before.endswith(("、", "和", "及"))
        if re.search(r"(与|向|对|为|给|同|跟|帮助|组织|深入|在|和|、|进|到|入)$", before) and not listed:
            continue
        nxt = sentence[m.end() : m.end() + 3]
        if re.match(r"^(的|之间|层面|实际|资源)", nxt):
            continue
        if any(m.group(0) in o and m.group(0) != o for o in owners):
            continue  # part of an owner already found (区政府各部门 ⊃ 各部门)
        if not listed and not _clause_initial(sentence, m.start()):
            continue  # the object of a verb (督促各街道…, 指导各项目单位…), not the actor
        add(m.group(0))
        last_end = m.end()
    if units:
        zone = subject_zone(sentence)
        for u in units:
            if u and u in zone:
                add(u)
    details = {}
    if lead:
        details["lead"] = lead
    if support:
        details["support"] = support
    return owners, details


def known_unit(name: str, units) -> str:
    """A listed owner mapped to the caller's unit list when it names one of them (``住建局`` → ``区住建局``)."""
    return (_match_known(name, units) if units else None) or name


# the unit that 请/由 assigns the work to (``请区审计局…``, ``由区财政局于10月15日前拨付到位``)
_MARKER_UNIT = re.compile(
    r"(?:(?<![邀申聘提报呈])(?P<please>请)|(?<![是经理自缘来原事])由(?![于此衷]))(" + _UNIT_NAME + r")(?![员会的])"
)


_RUN_ON = re.compile(r"通过|于|根据|按照|依据|在|对|每|向|将|从|会同")


def _marker_owners(text: str, owners: list[str], units) -> list[str]:
    """``owners`` completed with the unit named by a 请/由 marker (the unit the directive rule saw): in place of
    an owner that runs on past it (``区城投集团通过申请…`` → ``区城投集团``), else added – after 由 only when no
    owner was found (``由区政府分管领导约谈…`` already gives 区政府)."""
    out = list(owners)
    for m in _MARKER_UNIT.finditer(text):
        unit = known_unit(m.group(2), units)
        bare = unit.removeprefix("区")
        if any(o == unit or o.removeprefix("区") == bare for o in out):
            continue
        # an owner that runs on into the verb phrase (the unit, then a preposition: 通过, 于, 根据…)
        longer = [
            i
            for i, o in enumerate(out)
            if o.removeprefix("区").startswith(bare) and _RUN_ON.match(o.removeprefix("区")[len(bare) :])
        ]
        rest = re.split(r"[,，;；。]", text[m.end() :], maxsplit=1)[0]
        if longer:
            out[longer[0]] = unit
        elif not any(bare in o for o in out) and (m.group("please") or not (owners or FROM_TO.search(rest))):
            out.append(unit)
    if out:
        # co-actors: 由X会同Y…, and a later clause that opens with a unit and its share (…，区司法局做好合法性审核)
        for m in _CO_ACTOR.finditer(text):
            unit = known_unit(m.group(1), units)
            if not any(o.removeprefix("区") == unit.removeprefix("区") for o in out):
                out.append(unit)
    return list(dict.fromkeys(out))


_CO_ACTOR = re.compile(
    r"(?:(?<=会同)|(?<=[,，;；]))(?![由请对为在将把])("
    + _UNIT_NAME
    + r")(?=做好|跟进|配合|协助|具体负责|负责|督办|在[^,，。]{0,8}通报)"
)


def directive_owners(sentence: str, units=None):
    """The owners of a directive: ``find_owners``, completed with the unit a 请/由 marker assigns
    the work to and the co-actors named with 会同 or in a later clause of their own."""
    owners, details = find_owners(sentence, units)
    return _marker_owners(sentence, owners, units), details
