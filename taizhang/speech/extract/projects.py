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
    + " 扩能 扩产 提标改造 加固 风貌提升 "
    + PROJECT_WORDS
)
ROAD = "路 公路 大道 街 巷 东线 南线 西线 北线 环线 快速路 快速干道 快速通道 高速 铁路 城际铁路 大桥 桥 隧道 绿道 立交 立交桥"
FACILITY = (
    "产业园区 产业园 工业园区 工业园 科技园 物流园 文化园 博览园 创业园 孵化园 公园 森林公园 湿地公园 园区 园 "
    "中心 购物中心 医院 卫生院 学校 中学 小学 幼儿园 大学 学院 城 新城 大厦 广场 综合体 综合楼 教学楼 大楼 "
    "商业街 步行街 街区 生产线 变电站 污水处理站 污水处理厂 垃圾处理厂 电站 站 厂 水厂 电厂 馆 港 陆港 物流港 "
    "基地 枢纽 小镇 片区 院区 校区 市场 公寓 小区 水库 码头 机场 管网 廊道 管廊 湿地 景区 安置房 商务区 标准厂房 标准化厂房 "
    "孵化器 加速器 众创空间 家属院 古镇 中央厨房 堤防 高标准农田"
)
# a phase alone is a head when a brand or product names it (宁远动力电池一期); digits are no phase here (培训班12期)
PHASE_HEAD = r"[一二三四五六七八九十]期"
HEAD_RE = re.compile(_alt(FACILITY + " " + ROAD + " " + RENEWAL + " " + PROJECT_WORDS)[:-1] + "|" + PHASE_HEAD + ")")
NEW_SITE = r"新(?:院区|校区|馆|址|区)"
# extensions and sections of a road: 松岑大道北延段, 滨江快速路南段, 城际铁路望川段
EXTENSION = r"[东南西北中](?:延伸段|延段|延|段)|(?<=路)[\u4e00-\u9fff]{2}段(?=前期|建设|工程|项目|[，。、；]|$)"
CHAIN_RE = re.compile(
    "(?:" + _alt(FACILITY + " " + ROAD + " " + TAIL_WORDS)[3:-1] + "|" + PHASE + "|" + NEW_SITE + "|" + EXTENSION + ")"
)
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

BAD_BEFORE = {"站": "基", "园": "家校游花乐菜", "城": "长京都", "港": "香", "项目": "事"}

# Words that end a name on its left. Words in DUAL are also nouns inside names
# (``姜谭片区棚户区改造配套…工程``), so they only cut in verb position: at the clause start or
# right after another delimiter.
FUNCTION_WORDS = "等 和 及 以及 与 而 的 在 把 将 对 让 以 为 从 向 到 于 了 是 像 比如 例如 其中 目前 已 并 同时 还 也 要 盯紧 紧盯 跟踪"
CONSTRUCT_VERBS = (
    "新改建 加快推进 统筹推进 加速推进 全力推进 扎实推进 大力推进 加快实施 加快建设 推进 推动 加快 加速 实施 打造 启动 "
    "盘活 谋划 引进 落地 开工 新开工 续建 新建 建设 建成 完成 投资 支持 依托 聚焦 围绕 培育 成立 确保 力争 抓好 "
    "做好 抓实 投用 投运 开业 运营 包装 储备 招引 争取 共建 打通 交付 新增 提升改造 改造提升 改造 提升 高标准 高质量 高起点 全力 大力 着力 尽快"
)
DUAL = set("建设 新建 续建 改造 提升改造 改造提升 提升 完成 落地".split())
DELIM_RE = re.compile(
    r"[,，、。;；:：!！?？“”\"《》()（）\[\]【】\s·]|\d+(?:\.\d+)?[个家所座条处项批套亿万元]|[一二三四五六七八九十两几多]+[个家所座条处批]|"
    + _alt(FUNCTION_WORDS + " " + CONSTRUCT_VERBS)[3:-1]
)
# after these a DUAL word is a noun inside a name (姜谭片区棚户区改造配套…)
NOMINAL_BEFORE = re.compile("(?:" + _alt(FACILITY + " " + ROAD + " 棚户区 城中村 老旧小区 设施 道路")[3:-1] + ")$")
NOMINAL_AFTER = re.compile("(?:" + _alt(TAIL_WORDS + " " + FACILITY)[3:-1] + "|" + PHASE + ")")
ROAD_END = re.compile(r"(?:路|大道|街|巷)(?![\u4e00-\u9fff]{0,1}[网面况线])")
SINGLE_FUNCTION = {w for w in FUNCTION_WORDS.split() if len(w) == 1}
CLAUSE_END = ",，。;；:：!！?？\n"

# a facility needs one of these in its clause
CONSTRUCT_WORDS = re.compile(
    r"建设|新建|扩建|改扩建|续建|迁建|开工|竣工|完工|建成|投用|投运|投产|封顶|交付|运营|开业|启动|动工|招商运营|"
    r"改造|提升改造|打造|盘活|落地|签约|谋划|储备|引进|实施|进度|推进|推动|加快|加速|共建|"
    r"投入使用|交付使用|装修|设备安装|开街|开园|开馆|前期工作|施工|桩基|路基|合龙|征迁|加固|入驻|生态修复"
)
# roads and streets need an engineering word: 打造英达路…地标 is branding
ROAD_WORDS = re.compile(
    r"新建|改建|改造|改扩建|拓宽|打通|贯通|修建|建设|提升改造|基础提升|改造提升|通车|开工|竣工|建成|大修|黑化|道路|前期工作|修缮|整治提升|"
    r"施工|桩基|路基|合龙|征迁|加固"
)
# 等地, 等方面: a list of places or fields, not of projects
NOT_PLACES = r"等(?!地|方面|领域|国家|省|市|城市|地区|单位|部门|企业|行业)"
# classes of places that are renewed one by one: 等12个老旧小区改造, 2个城中村改造, 等背街小巷整治
PLACE_CLASSES = "老旧小区|城中村|棚户区|背街小巷|街巷|小巷|老街区|街区|片区|小区"
# …and only when the list is renewed: 等街区“夜市”地标 is branding
PLACE_WORKS = r"[\u4e00-\u9fff]{0,2}?(?:改造|整治|建设|更新|修缮|提升|征收|搬迁|拆迁)"
# a proper place name by its ending (柳树村, 王家庄, 杏花湾, 槐树巷, 西大街, 幸福小区, 机床厂家属院, 桂花苑)
PLACE_END = re.compile(r"(?:村|庄|湾|巷|街|小区|家属院|宿舍|苑|片区|街区|社区|寨|屯|堡|园)$")
# an enumeration closed by a project word: 等重点项目, 等3个乡村旅游综合体, 3个…项目
ENUM_TAIL = re.compile(
    r"(?:" + NOT_PLACES + r"(?:\d+|[一二三四五六七八九十两多]+)?[个项所座条批大]?|(?:\d+|[一二三四五六七八九十两]+)个)"
    r"[\u4e00-\u9fff]{0,8}?(?:项目|工程|综合体|园区|设施|场馆|学校|医院|楼盘|道路|(?:"
    + PLACE_CLASSES
    + ")(?="
    + PLACE_WORKS
    + "))"
)
CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十", 0)} | {"两": 2}


def _count(s: str) -> int | None:
    """The number in ``三个``/``12个``/``两个`` (up to 十), else None."""
    m = re.search(r"(\d+|[一二三四五六七八九十两])个", s)
    if not m:
        return None
    return int(m.group(1)) if m.group(1).isdigit() else CN_DIGITS[m.group(1)]


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
标志性 引领性 支撑性 基础性 带动性 社会事业 公益 公益性 公共服务 基本 其他 其它 部分 若干 一系列 各个 所有 民心 企业 技术 技改 商业 文旅 工业类 商业类 产业化
口袋 污水 雨污 燃气 供水 排水 危桥 配电 线路 算力 农贸 智能 安防 嵌入式 救助 消防 救援 综治 国资 中试 良种 繁育 指导
运行 地区 优质 城镇 农村 城乡 城区 上级 大件 垃圾 分拣 处置 电子信息 胸痛 卒中 创伤 基站 闲置
特色 瓶颈 断头 背街 路基 桩基 土建 主体""".split()
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
    r"^(?:\d+[.、．]|[一二三四五六七八九十]+[、是要]|[①-⑳]|全年|像|比如|例如|如|把|将|对|加快|推进|推动|建设|打造|"
    r"启动|实施|尽快|确保|重点|聚力|全力|大力|积极|着力|新建|续建|开工|建成|盘活|力争|年内|今年|明年|年底前|加速|"
    r"共建|打通|交付|\d{1,2}月(?:\d{1,2}日)?(?:份|底|初|中旬|上旬|下旬)?前?|[上下]半年|[一二三四]季度)+"
)
TRIM = ' \n,，、。;；:：“”"'
NAME_TAGS = {"ns", "nr", "nrt", "nz", "nt", "j", "eng"}
ADMIN_ONLY = re.compile(r"^[\u4e00-\u9fff]{1,5}?(?:省|市|区|县|镇|乡|街道|村|新区|开发区|高新区)$")
COUNT_INSIDE = re.compile(r"(?:\d+(?:\.\d+)?|X+)[个家所座条处项批套件]|[一两几多]+[个批]|[二三四五六七八九十]+[个大]")


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


# a street named by any two-character word (建设路, 青年路, 人民路), unless the word names a class of roads
STREET = re.compile(r"[\u4e00-\u9fff]{2}(?:路|大道|街|巷)")
ROAD_CLASSES = set(
    "断头 瓶颈 背街 道路 城市 农村 乡村 主干 次干 背街 小街 公路 马路 环路 铁路 一条 这条 城乡 进出 入户 园区 厂区".split()
)


def _street_name(name: str) -> bool:
    return bool(STREET.fullmatch(name)) and name[:2] not in ROAD_CLASSES


def _named(words: str) -> bool:
    """A place, person or brand name among the words (华晟, 鹤泉), as jieba tags it."""
    return any(len(w) >= 2 and f in NAME_TAGS - {"j", "eng"} for w, f in nlp.pos_tags(words))


# what a name may not start with: a level or a determiner (区级救助服务站, 全部社区卫生服务中心, 各园区) or a
# vision adjective (现代化滨江新城)
NOT_A_NAME_START = re.compile(
    r"^(?:(?:区|市|县|镇|乡|村|省)级|全部|所有|各|首批|区镇村|现代化|高品质|品质|宜居|原(?=[\u4e00-\u9fff]{2}))"
)
# a department inside a hospital (区人民医院胸痛中心)
DEPARTMENT = re.compile(r"(?:医院|卫生院|保健院)[\u4e00-\u9fff]{1,4}中心$")
RENEWAL_RE = re.compile(_alt(RENEWAL))
ZONE = re.compile(r"(?:高新园|高新区|经开区|开发区|示范区)$")


def _class_or_generic(name: str) -> bool:
    """Names that are a class, a level, a programme or a department rather than one named undertaking."""
    if NOT_A_NAME_START.match(name) or re.search(r"[一二三四五]级", name) or DEPARTMENT.search(name):
        return True
    core = _core(name)
    tails = name[len(core) :]
    if ZONE.search(name):
        return True  # 江北高新园, 城东经开区: an administrative zone, which acts rather than is built
    bare = _GENERIC_RE.sub("", core)
    if re.fullmatch(r"(?:园区)?(?:项目|工程)", tails) and not (_named(bare) or _brand(core)):
        return True  # 成熟项目, 专项债券项目, 保交楼项目, 主体工程: a bare 项目/工程 needs a proper name
    if "管网" in tails and not _named(bare):
        return True  # 地下管网, 水电气暖管网: a pipe network named only by what it carries
    m = RENEWAL_RE.search(name)
    if m and m.start() and any(f == "v" for _, f in nlp.pos_tags(name[: m.start()])):
        return True  # 民间资本参与城市更新: renewal after a verb phrase, not after a place
    if m and ADMIN_ONLY.fullmatch(core) and re.fullmatch(r"[\u4e00-\u9fff]{1,5}?[区市县]", core):
        return True  # 江北区城市更新: a whole district's renewal is a programme, not one area
    return False


# an enterprise's short name: a two-character word before the trade it is in (金穗食品, 恒通新材料)
TRADES = (
    "食品 新材料 材料 科技 微电子 电子 智能 能源 新能源 药业 医药 制药 生物 装备 机械 化工 纺织 汽车 电气 光电 光伏 "
    "半导体 乳业 农牧 环保 精工 实业 集团 股份 物流 包装 电池 钢铁 建材"
)
BRAND_RE = re.compile(r"([\u4e00-\u9fff]{2})" + _alt(TRADES))


def _brand(core: str) -> bool:
    """``绿源食品中央厨房``: a two-character brand (one word, a noun or a name, not a generic word) that
    opens the name and is followed by a trade."""
    m = BRAND_RE.match(core)
    if not m or _GENERIC_RE.fullmatch(m.group(1)):
        return False
    tags = nlp.pos_tags(m.group(1))
    return len(tags) == 1 and tags[0][1] in ("n", "nr", "ns", "nz", "nrt")


CONSTRUCTION_TAILS = _alt(" ".join(set(TAIL_WORDS.split()) - set(RENEWAL.split()) - set(PROJECT_WORDS.split())))
DISTRICT_OWN = re.compile(r"[区市县][\u4e00-\u9fff]{1,10}" + HEAD_RE.pattern + CONSTRUCTION_TAILS + "+(?:项目|工程)")


# the old town or the main town as a whole: 老城片区, 主城区 (but 老城西片区, 老城区雨污分流改造工程 are named)
TOWN_AREA = re.compile(r"^(?:老城|主城|中心城|旧城)(?:区|片区)")


def _specific(name: str) -> bool:
    if DISTRICT_OWN.fullmatch(name):
        return True  # the district's own 文化中心, 中医院: one building, named by its district
    t = TOWN_AREA.match(name)
    if t and not _core(name[t.end() :]):
        return False  # 老城片区有机更新: a programme for the whole old town
    core = _core(name)
    rest = _GENERIC_RE.sub("", core)
    rest = re.sub(r"[A-Za-z\d\s()（）·]", "", rest)
    if len(rest) < 2:
        return _street_name(name)
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
    if (
        len(tags) == 1
        and tags[0][1] == "d"
        and HEAD_RE.match(name, len(tags[0][0]))
        and not STRONG_TAIL.fullmatch(name[len(tags[0][0]) :])
    ):
        return False  # 高新园标准化厂房三期: jieba reads 高新 as an adverb; before a facility it names a place
    if len(tags[0][0]) >= 2 and tags[0][1] in ("v", "vd", "d", "c", "p", "r", "ad", "i", "l"):
        return True  # 实打实解决项目
    # a verb right before 项目/工程 makes a verb-object fragment: 按月列出项目(开工计划)
    return bool(re.search(r"(项目|工程)$", name)) and tags[-1][1] == "v"


def _clean(name: str) -> tuple[str, int]:
    """Strip numbering and leading verbs; return the name and how many characters were cut."""
    s = name.lstrip(TRIM)
    cut = len(name) - len(s)
    m = LEAD_STRIP.match(s)
    if m and len(s) - m.end() >= 2:
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
        if w in DUAL and (d.start(), d.end()) == (0, len(window)) and ROAD_END.match(text, a):
            continue  # 、建设路: a street named by the word
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
    if text[b : b + 1] in ("由", "在", "对", "向", "从", "要", "将"):
        return False  # 物流园冷链中心由金桥街道负责: what follows is a clause, not a name
    m = re.match(r"[\u4e00-\u9fff]{2,6}?(" + HEAD_RE.pattern + ")", text[b : b + 12])
    nxt = text[b + m.end() : b + m.end() + 1] if m else ""
    if not m or (nxt and nxt in BAD_AFTER.get(m.group(1), "")):
        return False  # 产业园街道办事处: 街 in 街道 is no head
    return not DELIM_RE.search(m.group(0)) and m.group(0)[-2:] not in ("项目", "工程")


def _is_quoted(text: str, a: int, b: int) -> bool:
    return a > 0 and text[a - 1] == "“" and text[b : b + 1] == "”"


# a document named after its topic: …三年行动方案, …项目全流程服务办法, …实施意见, …项目清单
DOCUMENT_AFTER = re.compile(
    r"(?!纳入|列入)(?:项目|工程)?(?:[\u4e00-\u9fff\d]{0,6}?)(?:方案|规划|办法|意见|细则|计划|条例|通知|清单|纲要|规定|名录|导则|指引)"
    r"(?=[》”）)\s，。；、]|$)"
)


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
        if DOCUMENT_AFTER.match(self.text, b):
            return  # 《江北区城市更新三年行动方案》, 产业园项目全流程服务办法: the topic of a document
        if re.search(r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十两几多]+)[个家所座条处批]$", self.text[max(0, a - 4) : a]):
            return  # a class of facilities: 41个社区日间照料中心
        street = _street_name(name)  # 建设路: a verb that names a street
        if VERB_START.match(name) and not street:
            # 服务保障西部物流港建设: drop the leading verb phrase and judge what is left
            toks = nlp.tokenize(name)
            i = 0
            while i < len(toks) and (VERB_START.match(toks[i][0]) or _tag(toks[i][0]) in LEAD_TAGS):
                i += 1
            if i == len(toks) or len(name) - toks[i][1] < 3:
                return
            a, name = a + toks[i][1], name[toks[i][1] :]
        if (_verb_phrase(name) and not street) or not _specific(name) or _class_or_generic(name):
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
            if (
                out
                and self.text[a - 1 : a] in "(（"
                and self.text[b : b + 1] in ")）"
                and out[-1]["mentions"][-1][1] == a - 1
            ):
                out[-1]["mentions"].append([a, b])  # 药山社区医院（疾控中心）: another name of the same building
                continue
            for p in out:
                if _distributed(self.text, (a, b), p["name"]) or any(
                    _distributed(self.text, tuple(m), name) for m in p["mentions"]
                ):
                    p["mentions"].append([a, b])
                    break
                pk = re.sub(r"(项目|工程|建设)$", "", p["name"])
                if key == pk or (len(key) >= 4 and _same(key, pk)) or (len(pk) >= 4 and _same(pk, key)):
                    p["mentions"].append([a, b])
                    break
            else:
                out.append({"name": name, "span": [a, b], "mentions": [[a, b]]})
        # a project once found is recognised wherever it is named again, whatever the context,
        # but not inside the name of another one (北湖科创城 inside 北湖科创城三期)
        taken = [tuple(m) for p in out for m in p["mentions"]]
        for p in out:
            for m in re.finditer(re.escape(p["name"]), self.text):
                if all(m.end() <= x or m.start() >= y for x, y in taken):
                    p["mentions"].append([m.start(), m.end()])
            p["mentions"].sort()
        return out


# what may differ between two mentions of one project: a district prefix on the left (区), a construction
# word on the right (改造, 提升改造). A phase, a new site, a component or a renewal makes another project:
# 北湖科创城 / 北湖科创城三期, 城北物流园 / 城北物流园配套道路, 东门片区 / 东门片区棚户区改造.
SAME_LEFT = re.compile(r"(?:[\u4e00-\u9fff]{0,4}?[区市县])?")
SAME_RIGHT = re.compile(
    "(?:" + "|".join(sorted((set(TAIL_WORDS.split()) - set(RENEWAL.split())) | {"建设"}, key=len, reverse=True)) + ")*"
)


def _distributed(text: str, span: tuple[int, int], long: str) -> bool:
    """``城南片区、火车站片区城市更新``: the renewal at the end of the list belongs to every area in it, so
    ``城南片区`` there is the project ``城南片区城市更新项目``."""
    short = text[span[0] : span[1]]
    if not long.startswith(short):
        return False
    m = RENEWAL_RE.match(re.sub(r"(项目|工程)$", "", long), len(short))
    if not m or m.end() != len(re.sub(r"(项目|工程)$", "", long)):
        return False
    rest = re.match(r"[^，。；;,\n]{0,30}", text[span[1] :]).group(0)
    return (
        rest.startswith(("、", "和", "及")) and re.search(re.escape(m.group(0)) + "(?:项目|工程)?$", rest) is not None
    )


def _same(short: str, long: str) -> bool:
    i = long.find(short)
    if i == -1 or not SAME_RIGHT.fullmatch(re.sub("段$", "", long[i + len(short) :])):
        return False
    return bool(SAME_LEFT.fullmatch(long[:i]) or (short[0] in "区市县" and SAME_LEFT.fullmatch(long[: i + 1])))


PROTECT = re.compile(r"保护(?!开发|利用|性)|管护|监管|生态保护")


NOUN_TAGS = {"n", "nr", "nrfg", "nrt", "ns", "nz", "nt", "j", "eng"}
# a facility directly followed by a progress verb of the review of past work (沅江湿地公园完成生态修复…)
PROGRESS_AFTER = re.compile(r"(?:已经?|全面|基本|顺利|累计|首批)?(?:完成|建成|进入|招商)")


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
        if head == "路" and text.startswith("基", b) and not text.startswith("基础", b):
            continue  # 路基 (the roadbed: 完成路基施工), but 经一路基础提升 is a road
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
        if re.fullmatch(PHASE_HEAD, head) and not all(f in NOUN_TAGS for _, f in nlp.pos_tags(text[start:a])):
            continue  # 国庆节前完成一期: a phase after a verb phrase is no name
        name = text[start:b]
        cs, ce = _clause(text, start, b)
        before, after = text[cs:start], text[b:ce]
        strong = bool(STRONG_TAIL.search(name)) or head in RENEWAL.split()
        enum_after = re.match(
            NOT_PLACES + r"[^,，。;；]{0,12}?(项目|工程|设施|学校|医院|道路|楼盘|场馆|园区|综合体)", after
        )
        if not strong and _locative(text, b):
            continue
        if not strong and ACTOR_AFTER.match(text, b):
            continue  # 江北产业园作为招商主阵地, 江北产业园管委会: a park as an actor
        if not strong and (text[start - 1 : start] == "与" or text[b : b + 1] == "与" or PROTECT.match(text, b)):
            continue  # 与洛州大学共建…, 推进洛河湾湿地保护: a partner or a protected area, not a project  # 装备制造产业园天惠路: the park only says where the road is
        if last in ROAD_SET and not strong:
            ok = strong or ROAD_WORDS.search(before + after) or (enum_after and enum_after.group(1) in "项目工程道路")
        else:
            ok = strong or CONSTRUCT_WORDS.search(before + after) or enum_after
        ok = ok or PROGRESS_AFTER.match(text, b)
        if not ok and head not in ("项目", "工程"):
            ok = _subject_facility(text, start, b)
        if ok:
            found.add(start, b)


# a park or zone that acts: it serves as a base, or is run by its committee
ACTOR_AFTER = re.compile(r"作为|管委会|党工委")
# after a facility that opens its sentence: a modal, or 由X负责 (檀溪孵化器要…, 冷链中心由白沙街道负责…)
SUBJECT_LINK = re.compile(
    r"(?:要|将|须|需|应|必须|务必|力争|确保|争取|由[^，。；]{1,15}?(?:负责|牵头)|"
    r"是[^，。；]{0,15}?(?:工程|项目|路网|通道|枢纽)|等\d+[座条个处])"
)
# what a facility itself does when it is built or opened
OPERATE_WORDS = re.compile(
    r"建成|交付|开工|动工|投入运营|投入使用|运营|封顶|投产|竣工|完工|投用|投运|开业|开园|通车|对外开放|加固|用地预审"
)
SENTENCE_END = "。；;!！?？\n"
NUMBERING = re.compile(r"\s*(?:[\d一二三四五六七八九十]+[.、．）)]|[（(][一二三四五六七八九十\d]+[）)])?\s*")


def _subject_facility(text: str, a: int, b: int) -> bool:
    """``陶湾科创孵化器要在年底前投入运营``: a facility that opens its sentence, is followed by a modal or
    由…负责, and whose sentence says that it is built, opened or put into operation."""
    if not SUBJECT_LINK.match(text, b):
        return False
    head = max(text.rfind(c, 0, a) for c in SENTENCE_END) + 1
    if not NUMBERING.fullmatch(text[head:a]):
        return False  # not the subject of its sentence
    ends = [i for i in (text.find(c, b) for c in SENTENCE_END) if i != -1]
    return bool(OPERATE_WORDS.search(text, b, min(ends) if ends else len(text)))


def _place_name(name: str) -> bool:
    """A proper place name: one ending like a village, street or estate, or tagged a name by jieba."""
    return bool(PLACE_END.search(name)) or any(len(w) >= 2 and f in NAME_TAGS for w, f in nlp.pos_tags(name))


def _enum_rule(text: str, found: _Found) -> None:
    for m in ENUM_TAIL.finditer(text):
        cs = max(text.rfind(c, 0, m.start()) for c in CLAUSE_END) + 1
        seg = text[cs : m.start()]
        places = re.search("(?:" + PLACE_CLASSES + ")$", m.group(0)) is not None
        if "、" not in seg:
            # 柳树村等5个城中村改造: one named place standing for a counted class of places
            if places and m.group(0).startswith("等") and _count(m.group(0)) and seg:
                a = _left_start(text, cs + len(seg))
                name = text[a : cs + len(seg)]
                if 2 <= len(name) and _place_name(_clean(name)[0]):
                    found.add(a, cs + len(seg))
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
        # 远景储能装备制造、金禾…、华锐…三个项目: a count equal to the number of items names each of them
        counted = _count(m.group(0)) == len(items)
        for ia, ib in items:
            if ib - ia < 2 or "“" in text[ia:ib] or "”" in text[ia:ib]:
                continue
            name = text[ia:ib]
            tags = [f for _, f in nlp.pos_tags(name)]
            # a head or a proper name, and not only a proper name (上海、深圳)
            if places:
                anchored = _place_name(_clean(name)[0])  # 王家庄、杏花湾2个城中村: named places only
            else:
                anchored = (
                    counted
                    or HEAD_RE.search(name)
                    or (
                        any(len(w) >= 2 and f in NAME_TAGS for w, f in nlp.pos_tags(name))
                        and not all(f in NAME_TAGS for f in tags)
                    )
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


# areas named as the focus of a sentence: 以东门片区、北站片区为重点, …实施更新
FOCUS = re.compile(r"以([^，。；;:：]{2,60}?)为(?:重点|核心|主|突破口|示范|先导)")


def _focus_rule(text: str, found: _Found) -> None:
    """``以东门片区、北站片区为重点，…推进更新改造``: each named area in the focus of a sentence that
    renews or builds is a project."""
    for m in FOCUS.finditer(text):
        end = [i for i in (text.find(c, m.end()) for c in SENTENCE_END) if i != -1]
        rest = text[m.end() : min(end) if end else len(text)]
        if not (CONSTRUCT_WORDS.search(rest) or re.search("更新|修缮", rest)):
            continue
        pos = m.start(1)
        for part in m.group(1).split("、"):
            a, b = pos, pos + len(part)
            pos = b + 1
            if HEAD_RE.search(part) and _place_name(part):
                found.add(a, b)


# the members of a counted class renewed place by place, named after 其中 (6个老旧小区改造全面开工，其中A、B已完工，
# C、D正在施工), or a list of places taken into a renewal plan (将A、B纳入明年改造计划)
AMONG = re.compile(
    r"(?:\d+|[一二三四五六七八九十两]+)个(?:" + PLACE_CLASSES + ")" + PLACE_WORKS + r"[^。；;]{0,20}?，其中([^。；;]+)"
)
INTO_PLAN = re.compile(r"将([^，。；;]{2,40}?)纳入[^，。；;]{0,8}?(?:改造|更新|整治|修缮|建设)(?:计划|范围|清单)")
# what ends a list of places: the predicate (已完工, 正在加紧施工, 均已开工)
AMONG_PRED = re.compile(r"(?:已经|已|正在|均|全部|基本|将|也|都|目前|同步|陆续|先后)")


def _among_rule(text: str, found: _Found) -> None:
    for rx in (AMONG, INTO_PLAN):
        for m in rx.finditer(text):
            pos = m.start(1)
            for clause in re.split("([，,])", m.group(1)):
                if "、" in clause:
                    p = AMONG_PRED.search(clause)
                    items = clause[: p.start()] if p else clause
                    q = pos
                    for part in items.split("、"):
                        if 2 <= len(part) <= 12 and _place_name(part):
                            found.add(q, q + len(part))
                        q += len(part) + 1
                pos += len(clause)


def extract_projects(text: str):
    """Return the named projects as ``[{"name", "span", "mentions"}]`` in order of first appearance.

    ``span`` is the first mention; ``mentions`` holds every span that names the same project.
    """
    found = _Found(text)
    _enum_rule(text, found)
    _head_rule(text, found)
    _quoted_rule(text, found)
    _focus_rule(text, found)
    _among_rule(text, found)
    return found.result()


def add_listed(projects: list[dict], text: str, spans) -> list[dict]:
    """Add the projects named by the name column of a project list (``[a, b)`` spans into ``text``), taken
    literally. A listed project that the text already names (永安精密铸造 / 永安精密铸造项目) is the same
    project: the earlier name is kept and the cell becomes one more mention, unless the text writes the
    listed name in full where the rules found only its beginning: then the listed name wins. A new one is also recognised
    wherever the text names it again. Returns the projects in order of first appearance."""
    out = [dict(p, mentions=[list(m) for m in p.get("mentions", [p["span"]])]) for p in projects]
    added = []
    for a, b in spans:
        name = text[a:b].strip()
        if len(name) < 2:
            continue
        key = re.sub(r"(项目|工程|建设)$", "", name)
        longer = next(
            (
                (p, m)
                for p in out
                for m in p["mentions"]
                if len(name) > len(p["name"]) and name.startswith(p["name"]) and text.startswith(name, m[0])
            ),
            None,
        )
        if longer:
            # the text names the listed project in full where the rules read only a part of it
            # (澄钟快速通道 in …、澄钟快速通道钟岭段、…): the list's name is the project's name
            p, _ = longer
            p["name"] = name
            for m in p["mentions"]:
                if text.startswith(name, m[0]):
                    m[1] = m[0] + len(name)
            p["mentions"].append([a, b])
            continue
        for p in out:
            pk = re.sub(r"(项目|工程|建设)$", "", p["name"])
            if key == pk or (len(key) >= 4 and _same(key, pk)) or (len(pk) >= 4 and _same(pk, key)):
                if [a, b] not in p["mentions"]:
                    p["mentions"].append([a, b])
                break
        else:
            p = {"name": name, "span": [a, b], "mentions": [[a, b]]}
            out.append(p)
            added.append(p)
    taken = [tuple(m) for p in out for m in p["mentions"]]
    for p in added:
        for m in re.finditer(re.escape(p["name"]), text):
            if all(m.end() <= x or m.start() >= y for x, y in taken):
                p["mentions"].append([m.start(), m.end()])
                taken.append((m.start(), m.end()))
    for p in out:
        p["mentions"].sort()
        p["span"] = p["mentions"][0]
    out.sort(key=lambda p: p["span"][0])
    return out
