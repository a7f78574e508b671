"""Named projects: ``加快陇东区域医疗中心、红色文化园、岐黄文化城等重点项目进度`` → three projects.

A project name is a specific modifier followed by a *head*: a facility word (中心, 园, 厂, 站, 馆, 港,
基地, 枢纽, 综合体, 小镇, 街区, 学校, 路, 大道…), a renewal word (棚户区改造, 城市更新) or a project
word (项目, 工程), optionally followed by chained tails (``污水处理厂二期``, ``南关路片区综合改造项目``,
``第三小学新建项目``). Four rules find candidates:

1. **heads**: every head occurrence is extended left to the nearest delimiter (punctuation,
   function word, or a verb in verb position), and right over chained heads and tails;
2. **enumerations** closed by ``等(N个)?…项目/工程`` or ``N个…项目``: each 、-separated item is a
   project, heads or not, when it is anchored (contains a head or a proper name);
3. **quoted names** with a facility head followed by 建设/工程/项目 (``推进“三大门”建设``);
4. nothing else: a bare proper name is never a project.

Every candidate then has to pass the same filters:

- *context*: a facility needs a construction word in its clause (建设, 开工, 建成运行, 改扩建…), a
  construction verb before it (推进, 加快, 打造, 盘活…) or an enumeration tail. Roads and streets
  need an engineering word (改造, 新建, 打通…): ``打造英达路…地标`` is branding, not a road project.
  Names ending in 项目/工程 or in a renewal tail carry their own context;
- *not a verb phrase*: a name may not start with an action verb once leading construction verbs
  are stripped (``扎实破解项目``, ``学习借鉴上海``);
- *specific*: what is left after removing the heads and generic words (重点, 民生, 招商, 一批…) must
  be at least two characters and more than a bare district name (``渭滨区重点项目``);
- *not a class*: a count just before or inside the name (``41个社区日间照料中心``, ``一批``) and
  quoted slogans (``“一号工程”``) are rejected.

The result is one entry per project, in order of first appearance, with every mention's span.
"""

from __future__ import annotations

import re

from . import nlp


def _alt(words: str) -> str:
    """A regex alternation, longest word first so that ``产业园区`` wins over ``园``."""
    ws = sorted(set(words.split()), key=len, reverse=True)
    return "(?:" + "|".join(map(re.escape, ws)) + ")"


PROJECT_WORDS = "项目 工程"
PHASE = r"(?:[一二三四五六七八九十]|\d{1,2})期"
# renewal heads: a place name before them makes a project (西关棚户区改造, 北站片区城市更新)
RENEWAL = "棚户区改造 城中村改造 老旧小区改造 城市更新 有机更新"
# tails that may follow a head inside one name (渭河大道改造工程, 经一路基础提升, 第三小学新建项目)
TAIL_WORDS = (
    RENEWAL
    + " 综合改造 提升改造 改造提升 基础提升 品质提升 综合整治 更新改造 搬迁改造 拓宽改造 拓宽 改建 改扩建 扩建 新建 续建 迁建 改造 "
    + PROJECT_WORDS
)
ROAD = "路 大道 街 巷 快速路 快速干道 高速 大桥 桥 隧道 绿道"
FACILITY = (
    "产业园区 产业园 工业园区 工业园 科技园 物流园 文化园 博览园 创业园 孵化园 公园 森林公园 湿地公园 园区 园 "
    "中心 购物中心 医院 卫生院 学校 中学 小学 幼儿园 大学 学院 城 新城 大厦 广场 综合体 综合楼 教学楼 大楼 "
    "商业街 步行街 街区 生产线 变电站 污水处理站 污水处理厂 垃圾处理厂 电站 站 厂 水厂 电厂 馆 港 陆港 物流港 "
    "基地 枢纽 小镇 片区 院区 校区 市场 公寓 小区 水库 码头 机场 管网 廊道 湿地 景区"
)
HEAD_RE = re.compile(_alt(FACILITY + " " + ROAD + " " + RENEWAL + " " + PROJECT_WORDS))
CHAIN_RE = re.compile("(?:" + _alt(FACILITY + " " + ROAD + " " + TAIL_WORDS)[3:-1] + "|" + PHASE + ")")
ROAD_SET = set(ROAD.split())
STRONG_TAIL = re.compile(r"(?:" + _alt(TAIL_WORDS)[3:-1] + "|" + PHASE + ")$")

# head occurrences that are part of an ordinary word: 思路, 城市, 街道, 中心城区, 市场主体, 项目库
BAD_AFTER = {
    "城": "市乡区镇际管建",
    "路": "子径线上演灯",
    "街": "道头",
    "中心": "城工任组化",
    "市场": "主化活需监准经环体秩价",
    "园": "区林艺丁",
    "基地": "建",
    "馆": "藏长",
    "站": "位点长稳岗",
    "厂": "房区家商长",
    "港": "澳台",
    "巷": "子",
    "片区": "核",
    "学校": "党",
    "中学": "生",
    "小学": "生",
    "大学": "生",
    "大道": "理",
    "项目": "库组部化制办",
    "工程": "师",
    "大楼": "宇",
}

BAD_BEFORE = {"站": "基", "园": "家校游花乐菜", "城": "长京都", "港": "香"}

# Words that end a name on its left. Words in DUAL are also nouns inside names
# (``姜谭片区棚户区改造配套…工程``), so they only cut in verb position: at the clause start or
# right after another delimiter.
FUNCTION_WORDS = "等 和 及 以及 与 的 在 把 将 对 让 以 为 从 向 到 于 了 是 像 比如 例如 其中 目前 已 并 同时 还 也"
CONSTRUCT_VERBS = (
    "加快推进 统筹推进 加速推进 全力推进 扎实推进 大力推进 加快实施 加快建设 推进 推动 加快 加速 实施 打造 启动 "
    "盘活 谋划 引进 落地 开工 新开工 续建 新建 建设 建成 完成 投资 支持 依托 聚焦 围绕 培育 成立 确保 力争 抓好 "
    "做好 抓实 投用 投运 开业 运营 包装 储备 招引 争取 提升改造 改造提升 改造 提升 高标准 高质量 高起点 全力 大力 着力 尽快"
)
DUAL = set("建设 新建 续建 改造 提升改造 改造提升 提升 完成 落地".split())
DELIM_RE = re.compile(
    r"[,，、。;；:：!！?？“”\"《》()（）\[\]【】\s·]|\d+(?:\.\d+)?[个家所座条处项批套亿万元]|[一二三四五六七八九十两几多]+[个家所座条处批]|"
    + _alt(FUNCTION_WORDS + " " + CONSTRUCT_VERBS)[3:-1]
)
# after these a DUAL word is a noun inside a name (姜谭片区棚户区改造配套…)
NOMINAL_BEFORE = re.compile("(?:" + _alt(FACILITY + " " + ROAD + " 棚户区 城中村 老旧小区 设施 道路")[3:-1] + ")$")
NOMINAL_AFTER = re.compile("(?:" + _alt(TAIL_WORDS + " " + FACILITY)[3:-1] + "|" + PHASE + ")")
SINGLE_FUNCTION = {w for w in FUNCTION_WORDS.split() if len(w) == 1}
CLAUSE_END = ",，。;；:：!！?？\n"

# a facility needs one of these in its clause
CONSTRUCT_WORDS = re.compile(
    r"建设|新建|扩建|改扩建|续建|迁建|开工|竣工|完工|建成|投用|投运|投产|封顶|交付|运营|开业|启动|动工|招商运营|"
    r"改造|提升改造|打造|盘活|落地|签约|谋划|储备|引进|实施|进度|推进|推动|加快|加速"
)
# roads and streets need an engineering word: 打造英达路…地标 is branding
ROAD_WORDS = re.compile(
    r"新建|改建|改造|改扩建|拓宽|打通|贯通|修建|建设|提升改造|基础提升|改造提升|通车|开工|竣工|建成|大修|黑化|道路"
)
# 等地, 等方面: a list of places or fields, not of projects
NOT_PLACES = r"等(?!地|方面|领域|国家|省|市|城市|地区|单位|部门|企业|行业)"
# an enumeration closed by a project word: 等重点项目, 等3个乡村旅游综合体, 3个…项目
ENUM_TAIL = re.compile(
    r"(?:" + NOT_PLACES + r"(?:\d+|[一二三四五六七八九十两多]+)?[个项所座条批大]?|(?:\d+|[一二三四五六七八九十两]+)个)"
    r"[\u4e00-\u9fff]{0,8}?(?:项目|工程|综合体|园区|设施|场馆|学校|医院)"
)

# generic words: removed before judging whether a name is specific (multi-character only, so
# that 新民巷 keeps its 新)
GENERIC = sorted(
    set(
        """重点 重大 新建 续建 在建 民生 产业 产业类 城建 开发 开发类 社会 社会民生类 基础设施 城市 基础 设施 更新 棚改
城中村 棚户区 改造 各类 一批 这些 相关 配套 有关 亮点 示范 试点 招商 储备 谋划 前期 建设 环境 整治 旧改 商贸 升级
民生类 项目 工程 中心 平台 园区 市级 区级 省级 县级 国家级 省市级 重大项目 大项目 好项目 新项目 城市更新 单村 居民 安置房
保障房 教育 文化 体育 公共 卫生 服务 社区 日间 照料 人才 公寓 党群 新型 实训 基地 校企 共建 老旧 小区 街区 示范街
科技 成果 转化 科技成果 改扩建 养老 一刻钟 便民 商圈 文明 智慧 数字化 门诊 片区 重点项目 工作专班 专班 民转公 一个 多个
全面 全区 我区 本区 全市 全县 竞争性 财政 专项 资金 质量 发展 经济 楼宇 功能性 综合 提升 完成 环境整治 现代 高端 当前
今年 明年 整体 全域 乡村 振兴 人居 提质增效 提质 增效 包装 推介 签约 落地 区域 消费 金融 物流 商务 政务 创新 科创 工业
旅游 农业 生态 交通 水利 能源 基础设施类 标准化 规范化 精细化 管理 垃圾分类 一体化 高标准 高质量 高水平 示范性 龙头
标志性 引领性 支撑性 基础性 带动性 社会事业 公益 公益性 公共服务 基本 其他 其它 部分 若干 一系列 各个 所有 民心 企业 技术 技改 商业 文旅 工业类 商业类 产业化""".split()
    ),
    key=len,
    reverse=True,
)
_GENERIC_RE = re.compile("|".join(map(re.escape, GENERIC)))
# a name that starts with one of these is a verb phrase, not a name
VERB_START = re.compile(
    r"^(?:推进|加快|加速|破解|谋划|学习|借鉴|抓好|做好|抓实|抓紧|落实|完善|强化|深化|实施|开展|争取|组织|招引|引进|"
    r"推动|促进|提升|优化|培育|发展|壮大|聚焦|围绕|依托|坚持|健全|建立|构建|形成|加强|加大|扩大|支持|鼓励|引导|带动|"
    r"保障|统筹|协调|巩固|持续|全力|大力|积极|着力|扎实|切实|全面|深入|认真|努力|不断|进一步|确保|力争|务必|必须|要|"
    r"解决|破除|打破|突破|聚力|奋力|攻坚|狠抓|紧盯|瞄准|用好|管好|盯紧|压实|夯实|对标|对接|服务|参与|配合|负责|牵头|"
    r"启动|打造|建设|新建|谋划|盘活|开工|完成|建成|投用|成立|召开|举办|开通|创建|争创|申报|上争|抢抓|奏响|严格|注重)"
)
# leading words to strip from a candidate before judging it
LEAD_STRIP = re.compile(
    r"^(?:\d+[.、．]|[一二三四五六七八九十]+[、是要]|[①-⑳]|像|比如|例如|如|把|将|对|加快|推进|推动|建设|打造|"
    r"启动|实施|尽快|确保|重点|聚力|全力|大力|积极|着力|新建|续建|开工|建成|盘活|力争|年内|今年|明年|年底前|加速)+"
)
TRIM = ' \n,，、。;；:：“”"'
NAME_TAGS = {"ns", "nr", "nrt", "nz", "nt", "j", "eng"}
ADMIN_ONLY = re.compile(r"^[\u4e00-\u9fff]{1,5}?(?:省|市|区|县|镇|乡|街道|村|新区|开发区|高新区)$")
COUNT_INSIDE = re.compile(r"\d+(?:\.\d+)?[个家所座条处项批套]|[一两几多]+[个批]|[二三四五六七八九十]+[个大]")


def _core(name: str) -> str:
    """The name without its heads and tails on the right; a head that the proper name needs stays
    (北站片区城市更新项目 → 北站)."""
    core = name
    while True:
        m = re.search("(?:" + CHAIN_RE.pattern + ")$", core)
        if not m:
            return core
        if m.start() < 2:
            return core if m.start() == 1 and core != name else core[: m.start()]
        core = core[: m.start()]


def _specific(name: str) -> bool:
    core = _core(name)
    rest = _GENERIC_RE.sub("", core)
    rest = re.sub(r"[X\d\s()（）·]", "", rest)
    if len(rest) < 2:
        return False
    if ADMIN_ONLY.match(rest) and re.search(r"(项目|工程)$", name):
        return False  # 渭滨区重点项目
    return True


LEAD_TAGS = {"v", "vn", "vd", "d", "ad", "a", "i", "l", "p", "c"}


def _tag(word: str) -> str:
    tags = nlp.pos_tags(word)
    return tags[0][1] if len(tags) == 1 else ""


def _verb_phrase(name: str) -> bool:
    tags = nlp.pos_tags(_core(name) or name)
    if not tags:
        return False
    if len(tags[0][0]) >= 2 and tags[0][1] in ("v", "vd", "d", "c", "p", "r", "ad", "i", "l"):
        return True  # 实打实解决项目
    # a verb right before 项目/工程 makes a verb-object fragment: 按月列出项目(开工计划)
    return bool(re.search(r"(项目|工程)$", name)) and tags[-1][1] == "v"


def _clean(name: str) -> tuple[str, int]:
    """Strip numbering and leading verbs; return the name and how many characters were cut."""
    s = name.lstrip(TRIM)
    cut = len(name) - len(s)
    m = LEAD_STRIP.match(s)
    if m:
        cut += m.end()
        s = s[m.end() :]
    return s.rstrip(TRIM), cut


def _clause(text: str, a: int, b: int) -> tuple[int, int]:
    start = max(text.rfind(c, 0, a) for c in CLAUSE_END) + 1
    ends = [i for i in (text.find(c, b) for c in CLAUSE_END) if i != -1]
    return start, min(ends) if ends else len(text)


def _left_start(text: str, a: int) -> int:
    """Where the name whose head starts at ``a`` begins: after the last delimiter before it."""
    lo = max(0, a - 24)
    cstart = max(text.rfind(c, lo, a) for c in CLAUSE_END + "、“”《》()（）") + 1
    lo = max(lo, cstart)
    window = text[lo:a]
    cut = 0
    bounds = None
    for d in DELIM_RE.finditer(window):
        w = d.group(0)
        if (
            w in DUAL
            and d.start() != cut
            and (
                NOMINAL_AFTER.match(window, d.end())
                or d.end() == len(window)
                or NOMINAL_BEFORE.search(window[: d.start()])
            )
        ):
            continue  # 棚户区改造配套…, 雨污分流改造工程: a noun inside the name, not the verb 改造
        if w in SINGLE_FUNCTION:
            if bounds is None:
                bounds = {(s, e) for _, s, e in nlp.tokenize(window)}
            if (d.start(), d.end()) not in bounds:
                continue  # 华为, 和平路, 向阳路: part of a word
        cut = d.end()
    return lo + cut


def _locative(text: str, b: int) -> bool:
    """A facility directly followed by another name (``产业园天惠路``) is a place, not a project."""
    m = re.match(r"[\u4e00-\u9fff]{2,6}?" + HEAD_RE.pattern, text[b : b + 12])
    return bool(m) and not DELIM_RE.search(m.group(0)) and m.group(0)[-2:] not in ("项目", "工程")


def _is_quoted(text: str, a: int, b: int) -> bool:
    return a > 0 and text[a - 1] == "“" and text[b : b + 1] == "”"


class _Found:
    def __init__(self, text: str):
        self.text = text
        self.cands: list[tuple[int, int]] = []

    def add(self, a: int, b: int) -> None:
        name, cut = _clean(self.text[a:b])
        a += cut
        b = a + len(name)
        if not (2 <= len(name) <= 30) or "、" in name or "等" in name or COUNT_INSIDE.search(name):
            return
        if _is_quoted(self.text, a, b) and not re.search(r"建设|工程|项目", self.text[b + 1 : b + 3]):
            return  # a slogan: “一号工程”
        if re.search(r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十两几多]+)[个家所座条处批]$", self.text[max(0, a - 4) : a]):
            return  # a class of facilities: 41个社区日间照料中心
        if VERB_START.match(name):
            # 服务保障西部物流港建设: drop the leading verb phrase and judge what is left
            toks = nlp.tokenize(name)
            i = 0
            while i < len(toks) and (VERB_START.match(toks[i][0]) or _tag(toks[i][0]) in LEAD_TAGS):
                i += 1
            if i == len(toks) or len(name) - toks[i][1] < 3:
                return
            a, name = a + toks[i][1], name[toks[i][1] :]
        if _verb_phrase(name) or not _specific(name):
            return
        self.cands.append((a, b))

    def result(self):
        # one candidate per stretch of text: the longest
        kept: list[tuple[int, int]] = []
        for a, b in sorted(self.cands, key=lambda s: (-(s[1] - s[0]), s[0])):
            if all(b <= ka or a >= kb for ka, kb in kept):
                kept.append((a, b))
        kept.sort()
        out: list[dict] = []
        for a, b in kept:
            name = self.text[a:b]
            key = re.sub(r"(项目|工程|建设)$", "", name)
            for p in out:
                pk = re.sub(r"(项目|工程|建设)$", "", p["name"])
                if key == pk or (len(key) >= 4 and key in pk) or (len(pk) >= 4 and pk in key):
                    p["mentions"].append([a, b])
                    break
            else:
                out.append({"name": name, "span": [a, b], "mentions": [[a, b]]})
        # a project once found is recognised wherever it is named again, whatever the context
        for p in out:
            for m in re.finditer(re.escape(p["name"]), self.text):
                if all(m.end() <= x or m.start() >= y for x, y in p["mentions"]):
                    p["mentions"].append([m.start(), m.end()])
            p["mentions"].sort()
        return out


def _head_rule(text: str, found: _Found) -> None:
    pos = 0
    while True:
        m = HEAD_RE.search(text, pos)
        if not m:
            return
        a, b = m.start(), m.end()
        pos = b
        head = m.group(0)
        if text[b : b + 1] and text[b : b + 1] in BAD_AFTER.get(head, ""):
            continue
        if a and text[a - 1] in BAD_BEFORE.get(head, ""):
            continue
        last = head
        while True:  # chained heads and tails: 产业园区项目, 污水处理厂二期, 学校新建项目
            n = CHAIN_RE.match(text, b)
            if not n or (text[n.end() : n.end() + 1] and text[n.end() : n.end() + 1] in BAD_AFTER.get(n.group(0), "")):
                break
            b, last = n.end(), n.group(0)
        pos = b
        start = _left_start(text, a)
        if head in ROAD_SET:
            # 装备制造产业园天惠路: the road, not the park it lies in
            inner = list(re.finditer(r"产业园区?|工业园区?|园区|新区|开发区", text[start:a]))
            if inner and a - (start + inner[-1].end()) >= 2:
                start += inner[-1].end()
        if a - start < 1 and head not in ("项目", "工程"):
            continue
        name = text[start:b]
        cs, ce = _clause(text, start, b)
        before, after = text[cs:start], text[b:ce]
        strong = bool(STRONG_TAIL.search(name)) or head in RENEWAL.split()
        enum_after = re.match(
            NOT_PLACES + r"[^,，。;；]{0,12}?(项目|工程|设施|学校|医院|道路|楼盘|场馆|园区|综合体)", after
        )
        if _locative(text, b):
            continue  # 装备制造产业园天惠路: the park only says where the road is
        if last in ROAD_SET and not strong:
            ok = strong or ROAD_WORDS.search(before + after) or (enum_after and enum_after.group(1) in "项目工程道路")
        else:
            ok = strong or CONSTRUCT_WORDS.search(before + after) or enum_after
        if ok:
            found.add(start, b)


def _enum_rule(text: str, found: _Found) -> None:
    for m in ENUM_TAIL.finditer(text):
        cs = max(text.rfind(c, 0, m.start()) for c in CLAUSE_END) + 1
        seg = text[cs : m.start()]
        if "、" not in seg:
            continue
        items, pos = [], cs
        for part in seg.split("、"):
            items.append((pos, pos + len(part)))
            pos += len(part) + 1
        # the last item may hold two: A、B和C
        la, lb = items[-1]
        j = re.search(r"[和及与]", text[la:lb])
        if j and j.start() >= 2:
            items[-1:] = [(la, la + j.start()), (la + j.end(), lb)]
        # the first item begins after the leading verb phrase
        fa, fb = items[0]
        items[0] = (_left_start(text, fb) if fb - fa > 1 else fa, fb)
        for ia, ib in items:
            if ib - ia < 2 or "“" in text[ia:ib] or "”" in text[ia:ib]:
                continue
            name = text[ia:ib]
            tags = [f for _, f in nlp.pos_tags(name)]
            # a head or a proper name, and not only a proper name (上海、深圳)
            anchored = HEAD_RE.search(name) or (
                any(f in NAME_TAGS for f in tags) and not all(f in NAME_TAGS for f in tags)
            )
            if anchored:
                found.add(ia, ib)


QUOTED = re.compile(r"“([^”]{2,10}?)”(?=建设|工程|项目|改造)")
QUOTED_HEAD = re.compile("(?:" + _alt(FACILITY + " " + ROAD + " 门 楼 塔")[3:-1] + ")$")


def _quoted_rule(text: str, found: _Found) -> None:
    for m in QUOTED.finditer(text):
        name = m.group(1)
        cs, _ = _clause(text, m.start(), m.end())
        if QUOTED_HEAD.search(name) and CONSTRUCT_WORDS.search(text[cs : m.start()]):
            found.cands.append((m.start(1), m.end(1)))


def extract_projects(text: str):
    """Return the named projects as ``[{"name", "span", "mentions"}]`` in order of first appearance.

    ``span`` is the first mention; ``mentions`` holds every span that names the same project.
    """
    found = _Found(text)
    _enum_rule(text, found)
    _head_rule(text, found)
    _quoted_rule(text, found)
    return found.result()
