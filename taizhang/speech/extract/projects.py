"""Named projects: ``加快陇东区域医疗中心、红色文化园、岐黄文化城等重点项目进度`` → three projects.

Two rules:
 1. enumerations closed by ``等(N个)?…项目/工程`` or ``N个…项目``: every item is a project;
 2. a name ending in a facility word (项目, 工程, 产业园, 中心, 医院, 学校, 片区, 生产线, …) in a
    construction context (建设/打造/启动/改造/开业…) that is specific (not just generic words).
Specificity uses jieba tokens against a list of generic words.
"""

from __future__ import annotations

import re

from . import nlp

FACILITY = (
    r"(?:项目|工程|产业园区|产业园|工业园|园区|文化园|博览园|公园|中心|医院|卫生院|学校|中学|小学|幼儿园|大学|"
    r"城|大厦|广场|综合体|商业街|步行街|购物中心|生产线|变电站|电站|水厂|污水处理厂|片区|二期|三期|一期|"
    r"基地|市场|馆|场馆|体育场|公寓|小区|大桥|隧道|高速|快速路|大道|路|街|巷)"
)
CONSTRUCT_BEFORE = re.compile(
    r"(建设|新建|扩建|改扩建|续建|打造|启动|开工|推进|加快|加速|实施|改造|提升改造|盘活|建成|投用|推动|完成|"
    r"投资|谋划|引进|落地|招商运营|像|比如|例如|如)$"
)
CONSTRUCT_AFTER = re.compile(
    r"^(项目|工程|建设|改造|提升|开业|运营|建成|启动|开工|竣工|投产|进度|招商|二期|三期|一期|等|综合改造|基础提升|"
    r"受到|全面|加速|将|位于|,|，|、|。|\()"
)
DELIM = re.compile(
    r"[,，、。;；:：!！?？“”\"《》()（）\n]|等|和|及|与|的|在|把|将|对|让|以|为|从|向|到|于|了|是|像|比如|例如"
    r"|加快推进|统筹推进|加速推进|加快实施|加快建设|加快提升改造|尽快启动|推动|推进|加快|加速|建设|打造|启动|实施|"
    r"确保|盘活|完成|投资\d|新建|建成|支持|依托|聚焦|围绕|提升改造|改造|培育|引进|成立|其中|目前|已"
)
ENUM_TAIL = re.compile(
    r"(?:等|(?:\d+|[一二三四五六七八九十两XX]+)个)(?:\d+个|[一二三四五六七八九十]个)?[\u4e00-\u9fff]{0,8}?(?:项目|工程|综合体)"
)
GENERIC = set(
    """重点 重大 新建 续建 在建 民生 产业 产业类 城建 开发 开发类 社会 社会民生类 基础设施 城市 基础 设施 更新 棚改
城中村 改造 各类 一批 这些 该 此 好 大 新 相关 配套 有关 亮点 示范 试点 招商 储备 谋划 前期 建设 类 环境 整治 旧改 商贸 升级
民生类 项目 工程 中心 平台 园区 市级 区级 省级 县级 重大项目 大项目 好项目 新项目 城市更新 单村 居民 安置房 保障房 教育 文化
体育 公共 卫生 服务 社区 日间 照料 人才 公寓 党群 新型 实训 基地 校企 共建 老旧 小区 街区 示范街 区级 市级 科技 成果 转化
科技成果 改扩建 养老 一刻钟 便民 商圈 文明 智慧 数字化 门诊 片区 重点项目 工作专班 专班 民转公 一个 多个 个 批 全面 全区 我区 本 竞争性 财政 专项 资金 高 质量 发展 经济 楼宇 功能 性
综合 提升 完成 环境整治 现代 高端 当前 今年 明年 整体 全域 乡村 振兴 人居 产业提质增效 包装 推介 签约 落地 XX X 等 的""".split()
)


def _specific(name: str) -> bool:
    core = re.sub(FACILITY + r"+$", "", name)
    if len(core) < 2:
        return False
    if re.fullmatch(r"[X\d]+", core):
        return False
    toks = [w for w, _ in nlp.pos_tags(core)]
    rest = [w for w in toks if w not in GENERIC and not re.fullmatch(r"[X\d]+", w)]
    return bool(rest) and sum(len(w) for w in rest) >= 2


BAD_AFTER = {
    "城": "市乡区镇际",
    "路": "子径线上",
    "街": "道区头",
    "中心": "城工任组",
    "市场": "主体化活需监",
    "园": "区",
    "基地": "建",
    "馆": "藏",
    "巷": "子",
    "片区": "核",
    "学校": "党",
    "大道": "理",
}


def _clean_name(s: str) -> str:
    s = s.strip(' \n,，、。;；:：“”"')
    s = re.sub(r"^(\d+[.、．]|[一二三四五六七八九十]+[、是要]|[①-⑳])", "", s)
    s = re.sub(
        r"^(像|比如|例如|如|把|将|对|加快|推进|推动|建设|打造|启动|实施|尽快|确保|重点|聚力|全力|大力|积极|着力)+",
        "",
        s,
    )
    return s


def _siblings(text: str, a: int, b: int):
    out = []
    pos = b
    while text[pos : pos + 1] == "、":
        m = re.match(r"([^,，。;；、等]{2,20}?" + FACILITY + ")", text[pos + 1 :])
        if not m:
            break
        out.append((m.group(1), pos + 1, pos + 1 + m.end()))
        pos = pos + 1 + m.end()
    pos = a
    while pos > 0 and text[pos - 1] == "、":
        seg = text[max(0, pos - 22) : pos - 1]
        cut = max(seg.rfind(c) for c in ",，。;；、:：\n") + 1
        cand = seg[cut:]
        for d in DELIM.finditer(cand):
            if d.end() < len(cand):
                cand = cand[d.end() :]
        m = re.search(FACILITY + "$", cand)
        if not m or len(cand) < 3:
            break
        cand = _clean_name(cand)
        out.append((cand, pos - 1 - len(cand), pos - 1))
        pos = pos - 1 - len(cand)
    return out


def extract_projects(text: str):
    """Return list of {"name", "span"} (first mention of each name)."""
    found: dict[str, list] = {}

    def add(name, a, b):
        name = _clean_name(name)
        if not (2 <= len(name) <= 30) or "、" in name or re.search(r"等|\d+个", name):
            return
        if a > 0 and text[a - 1] == "“" and text[b : b + 1] == "”":
            return  # a quoted slogan such as “一号工程”
        if not _specific(name):
            return
        # merge with an existing longer/shorter mention
        for k in list(found):
            if name == k or (name in k and len(name) >= 4):
                return
            if k in name and len(k) >= 4:
                return
        found[name] = [a, b]

    # rule 1: enumerations
    for m in ENUM_TAIL.finditer(text):
        clause_start = max(text.rfind(c, 0, m.start()) for c in ",，。;；:：\n") + 1
        seg = text[clause_start : m.start()]
        if "、" not in seg:
            continue
        items = seg.split("、")
        pos = clause_start
        for i, it in enumerate(items):
            a = pos
            pos += len(it) + 1
            if i == 0:
                # cut the leading verb phrase of the first item
                found_delims = list(DELIM.finditer(it))
                mm = found_delims[-1] if found_delims else None
                if mm is not None and mm.end() < len(it):
                    a += mm.end()
                    it = it[mm.end() :]
            it2 = re.split(r"等", it)[0]
            if "“" in it2 or "”" in it2:
                continue
            if len(it2) >= 2:
                add(it2, a, a + len(it2))

    # rule 2: facility names in construction context
    for m in re.finditer(FACILITY, text):
        a, b = m.start(), m.end()
        suffix = m.group(0)
        nxt = text[b : b + 1]
        if nxt and nxt in BAD_AFTER.get(suffix, ""):
            continue
        while True:  # extend the facility suffix greedily (产业园区项目)
            n = re.match(FACILITY, text[b:])
            if not n or n.end() == 0:
                break
            b += n.end()
        window = text[max(0, a - 25) : a]
        cut = 0
        for d in DELIM.finditer(window):
            cut = d.end()
        start = max(0, a - 25) + cut
        name = text[start:b]
        if len(name) - (b - a) < 2 or re.search(r"\d+个|[X]{2}", name):
            continue
        before = text[max(0, start - 6) : start]
        after = text[b : b + 6]
        strong_after = re.match(
            r"^(项目|工程|建设|改造|开业|运营|建成|启动|开工|竣工|投产|综合改造|基础提升|二期|招商运营|等)", after
        )
        ends_project = bool(re.search(r"(项目|工程)$", name))
        if not (CONSTRUCT_BEFORE.search(before) or strong_after or ends_project):
            continue
        if (
            suffix in ("路", "街", "巷", "城", "市场", "馆", "园")
            and not CONSTRUCT_BEFORE.search(before)
            and not strong_after
        ):
            continue
        core = re.sub(FACILITY + r"+$", "", name)
        tags = nlp.pos_tags(core)
        if tags and (
            tags[0][1] in ("v", "p", "i", "ad", "d", "c", "r")
            or re.match(r"^(奏响|抢抓|坚持|落实|开展|加大|严格|持续|全力|积极|优化|上争|争取)", core)
        ):
            continue
        add(name, start, b)
        # siblings in the same 、-list: 新民巷、马道巷 / 一城天街商业街、新世纪购物中心
        for sib in _siblings(text, start, b):
            add(*sib)
    return [{"name": k, "span": v} for k, v in sorted(found.items(), key=lambda kv: kv[1][0])]
