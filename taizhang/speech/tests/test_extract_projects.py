"""Named-project extraction on synthetic sentences written in the style of district speeches.

None of these sentences comes from a corpus document. Each test pins one rule of
``taizhang.speech.extract.projects`` and fails without it.
"""

from datetime import date

import pytest

from taizhang.speech.extract import extract_text
from taizhang.speech.extract.projects import extract_projects


def names(text: str) -> list[str]:
    return [p["name"] for p in extract_projects(text)]


# ------------------------------------------------------------------ enumerations
def test_enumeration_closed_by_deng_project_gives_every_item():
    assert names("加快陇东区域医疗中心、红色文化园、岐黄文化城等重点项目进度。") == [
        "陇东区域医疗中心",
        "红色文化园",
        "岐黄文化城",
    ]


def test_enumeration_closed_by_count_and_items_without_heads():
    text = "重点打造茵河片区休闲康养、青峰山生态农耕、龙泉湾文化体验3个乡村旅游综合体。"
    assert names(text) == ["茵河片区休闲康养", "青峰山生态农耕", "龙泉湾文化体验"]


def test_enumeration_last_item_joined_by_he():
    text = "加快秦岭四宝科学公园、西府老街和周原博物馆建设。"
    assert names(text) == ["秦岭四宝科学公园", "西府老街", "周原博物馆"]


def test_enumeration_of_places_or_categories_is_not_projects():
    # bare place names are never projects, even in a list closed by 项目
    assert names("协调上海、苏州等对口帮扶项目。") == []
    # 等地 closes a list of places to learn from, not of projects
    assert names("学习借鉴苏州工业园区、杭州未来科技城等地招商项目经验。") == []
    # categories without a head or a proper name
    assert names("谋划包装基础设施改造、人居环境提升、产业提质增效等重点项目。") == []


# ------------------------------------------------------------------ heads and tails
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("确保秦川机床厂搬迁改造项目年底前开工。", ["秦川机床厂搬迁改造项目"]),  # 厂 + tails
        ("加快建设西部陆港物流枢纽。", ["西部陆港物流枢纽"]),  # 枢纽
        ("建成投用万达城市综合体。", ["万达城市综合体"]),  # 综合体
        ("推动磻溪康养小镇开工建设。", ["磻溪康养小镇"]),  # 小镇
        ("高标准建设金渭湖湿地公园和石鼓文化街区。", ["金渭湖湿地公园", "石鼓文化街区"]),  # 公园, 街区
        ("新建凤鸣水库。", ["凤鸣水库"]),
        ("实施蟠龙220千伏变电站工程。", ["蟠龙220千伏变电站工程"]),
        ("建成市第二人民医院门诊综合楼。", ["市第二人民医院门诊综合楼"]),
    ],
)
def test_facility_heads(text, expected):
    assert names(text) == expected


def test_chained_tails_make_one_name():
    text = "全力推进渭河大道改造工程、高新区污水处理厂二期、北站片区城市更新项目建设。"
    assert names(text) == ["渭河大道改造工程", "高新区污水处理厂二期", "北站片区城市更新项目"]
    assert names("启动渭滨区第三小学新建项目。") == ["渭滨区第三小学新建项目"]


def test_renewal_heads():
    assert names("年内完成东风路棚户区改造。") == ["东风路棚户区改造"]


def test_renewal_word_inside_a_name_does_not_cut_it():
    text = "加快实施姜家片区棚户区改造配套垃圾收运系统工程。"
    assert names(text) == ["姜家片区棚户区改造配套垃圾收运系统工程"]
    assert names("加快推进城区雨污分流改造工程。") == ["城区雨污分流改造工程"]


def test_single_character_function_words_cut_only_as_words():
    assert names("推动华为云计算数据中心落地。") == ["华为云计算数据中心"]
    assert names("实施和平路拓宽改造。") == ["和平路拓宽改造"]


def test_park_before_a_road_is_its_location():
    assert names("装备制造产业园天惠路等3条道路启动建设。") == ["天惠路"]


def test_a_name_keeps_a_head_it_needs():
    # 北站 is the proper name; stripping 站 would leave one character
    assert names("推进北站片区城市更新项目。") == ["北站片区城市更新项目"]


# ------------------------------------------------------------------ context
def test_facility_needs_construction_context():
    assert names("区职业教育中心荣获网络布线国赛一等奖。") == []
    assert names("成立秦创原创新促进中心。") == []
    assert names("力争区全民健身中心年底前高标准建成运行。") == ["区全民健身中心"]


def test_roads_need_an_engineering_word_not_branding():
    assert names("聚力打造英达路、石坝河等街区“夜渭滨”地标。") == []
    assert names("加快经二路、渭工路改造提升。") == ["经二路", "渭工路改造提升"]
    assert names("确保宝鸡至坪坎高速公路年内通车。") == ["宝鸡至坪坎高速公路"]


def test_quoted_name_with_a_facility_head_under_construction():
    assert names("高标准推进“三大门”建设。") == ["三大门"]
    assert names("推进“平安渭滨”建设。") == []  # a campaign, no facility head
    assert names("把招商引资作为“一号工程”。") == []  # a slogan


# ------------------------------------------------------------------ precision
def test_leading_verb_phrase_is_cut_off():
    assert names("服务保障西部物流港建设。") == ["西部物流港"]
    assert names("优化商业项目布局。") == []


@pytest.mark.parametrize(
    "text",
    [
        "扎实破解项目落地难题。",  # verb + 项目
        "学习借鉴上海先进经验。",
        "千方百计抓开工,按月列出项目开工计划。",  # verb-object fragment
        "坚持项目为王,大抓项目、抓大项目。",
        "全力以赴抓进度,推动招商项目落地。",
        "抓好一批重点项目,加快重点工程建设,实施民生工程。",
        "谋划储备一批打基础、利长远的新项目、大项目、好项目。",
        "渭滨区重点项目全部开工。",  # a district name is not a specific project
        "41个社区日间照料中心建成投用。",  # a class of facilities
        "新建12个秦岭生态驿站。",
        "新建5G基站300个。",
        "支持企业技术改造项目。",
        "建立招商项目库,开展项目观摩。",
        "发挥区域中心城市作用,打造区域消费中心。",
        "建设全国文明城市。",
        "要以人民为中心,推动高质量发展。",
        "加快推进城市更新,实施老旧小区改造和棚户区改造。",
        "推进全域旅游示范区创建。",
    ],
)
def test_generic_phrases_and_verb_fragments_are_not_projects(text):
    assert names(text) == []


# ------------------------------------------------------------------ document level
def test_document_projects_deduplicated_in_order_of_first_appearance():
    text = (
        "在全区项目建设推进会上的讲话\n同志们:\n一、项目建设要提速\n"
        "要加快秦岭四宝科学公园建设。\n"
        "区住建局要全力推进渭河大道改造工程。\n"
        "各单位务必确保秦岭四宝科学公园年内开园,渭河大道改造年底完工。\n"
    )
    r = extract_text(text, date(2024, 2, 20))
    assert r["projects"] == ["秦岭四宝科学公园", "渭河大道改造工程"]
    first = r["project_spans"][0]
    ct = r["clean_text"]
    assert ct[first["span"][0] : first["span"][1]] == "秦岭四宝科学公园"
    assert len(first["mentions"]) == 2
    # a directive lists a project mentioned again inside it, not only at its first mention
    d = next(d for d in r["directives"] if "开园" in d["text"])
    assert d["projects"] == ["秦岭四宝科学公园", "渭河大道改造工程"]


# ------------------------------------------------------------------ after blind run 3
def test_bare_project_word_needs_a_proper_name():
    assert names("推动恒远汽车零部件项目年底前开工建设。") == ["恒远汽车零部件项目"]
    for text in (
        "对成熟项目要加快推进。",
        "积极争取专项债券项目落地。",
        "确保主体工程年内完工。",
        "做好保交楼项目收尾工作。",
    ):
        assert names(text) == [], text


def test_enumeration_whose_count_matches_its_items_names_each():
    text = "长风储能设备、青松木材加工两个项目已签约落地。"
    assert names(text) == ["长风储能设备", "青松木材加工"]


@pytest.mark.parametrize(
    "text",
    [
        "新建区级应急指挥中心。",  # a level, not a name
        "推进全部村级综合服务中心提升改造。",
        "推进市第一医院创伤中心建设。",  # a hospital department
        "加快建设现代化滨湖新城。",  # a vision
        "鼓励社会资本参与城市更新。",  # renewal after a verb phrase
        "加快雨污管网和农贸市场改造。",  # utility and market classes
        "支持与临江大学联合建设实验室。",  # a partner
        "推进凤湖湿地保护。",  # a protected area
    ],
)
def test_classes_levels_departments_visions_are_not_projects(text):
    assert names(text) == []


def test_phases_and_components_are_other_projects_but_extensions_merge():
    text = "云峰科技城开工建设。云峰科技城二期年底前开工，云峰科技城配套道路同步建设。"
    assert names(text) == ["云峰科技城", "云峰科技城二期", "云峰科技城配套道路"]
    text = "加快清江大道北延建设。确保清江大道北延段年底前建成通车。"
    assert names(text) == ["清江大道北延"]
    # a district prefix names the same hospital
    assert names("建成临江区第三人民医院。区第三人民医院投入运营。") == ["临江区第三人民医院"]


def test_renewal_at_the_end_of_a_list_belongs_to_each_area():
    text = "河西片区城市更新项目要完成征迁。推进河西片区、城东片区城市更新。"
    assert names(text) == ["河西片区城市更新项目", "城东片区城市更新"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加快桃源片区安置房建设。", ["桃源片区安置房"]),
        ("加快滨湖中央商务区提升改造。", ["滨湖中央商务区提升改造"]),
        ("加快城关至石桥镇快速通道建设。", ["城关至石桥镇快速通道"]),
        ("推进沿江城际铁路临江段前期工作。", ["沿江城际铁路临江段"]),
        ("加快临江产业园标准厂房建设。", ["临江产业园标准厂房"]),
        ("7.交付河湾安置房二期。", ["河湾安置房二期"]),
        ("确保县人民医院新院区年底前投入使用。", ["县人民医院新院区"]),
        ("确保河口老街二期国庆节前开街运营。", ["河口老街二期"]),
        ("加快区文化馆改造提升工程。", ["区文化馆改造提升工程"]),
        ("加快胜利路、建设路等主干道改造。", ["胜利路", "建设路"]),
        ("年内打通青年路。", ["青年路"]),
        ("9月份清河片区城市更新项目启动。", ["清河片区城市更新项目"]),
    ],
)
def test_new_heads_tails_and_contexts(text, expected):
    assert names(text) == expected


def test_a_bracketed_alias_is_a_mention_not_a_project():
    ps = extract_projects("建成石桥社区医院（防疫中心）。")
    assert [p["name"] for p in ps] == ["石桥社区医院"]
    assert len(ps[0]["mentions"]) == 2
