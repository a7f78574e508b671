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


# ------------------------------------------------------------------ after blind run 4
# counted classes of places renewed one by one: the named items are the projects
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("完成槐花巷小区、机床厂家属院、粮站小区等23个老旧小区改造。", ["槐花巷小区", "机床厂家属院", "粮站小区"]),
        ("完成槐树巷、石碾街等背街小巷整治提升30条。", ["槐树巷", "石碾街"]),
        # a count equal to the items; the village's resettlement housing is another project
        (
            "年内启动王家庄、杏花湾2个城中村改造，加快建设王家庄安置房。",
            ["王家庄", "杏花湾", "王家庄安置房"],
        ),
        ("明年再启动柳树村等4个城中村改造。", ["柳树村"]),  # one named place for the class
    ],
)
def test_named_items_of_a_counted_class_of_places(text, expected):
    assert names(text) == expected


def test_class_of_places_needs_named_items_and_renewal():
    assert names("完成供水、供暖等12个老旧小区改造。") == []  # not place names
    assert names("聚力打造青柳路、白鹭湾等街区夜经济地标。") == []  # branding, not renewal


def test_areas_in_the_focus_of_a_renewal_sentence():
    text = "以西关片区、老车站片区为重点，由区住建局牵头，分步推进更新改造。"
    assert names(text) == ["西关片区", "老车站片区"]
    assert names("以东湖片区为重点开展调研。") == []


def test_historic_street_under_repair():
    assert names("对东门老街、府学街区实施保护性修缮。") == ["东门老街", "府学街区"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("青柳科创孵化器要在10月底前投入运营。", ["青柳科创孵化器"]),  # 孵化器 is a facility
        # 标准化厂房 is a facility; 新增 is a verb, so the added floor space is no project
        ("石岭经开区标准化厂房二期要在年底前建成交付，新增标准化厂房6万平方米。", ["石岭经开区标准化厂房二期"]),
    ],
)
def test_new_facility_heads(text, expected):
    assert names(text) == expected


def test_facility_as_subject_with_the_works_in_a_later_clause():
    text = "金桥物流园冷链分拨中心由金桥街道负责协调，年底前开工建设。"
    assert names(text) == ["金桥物流园冷链分拨中心"]
    # without a works verb in the sentence it stays a mention
    assert names("金桥物流园冷链分拨中心由金桥街道负责协调服务。") == []


def test_project_named_by_an_enterprise_and_its_trade():
    # 康源 is no name to jieba (a plain noun): the brand before its trade makes the 项目 specific
    assert names("康源食品预制菜项目从签约到开工只用了两个月。") == ["康源食品预制菜项目"]
    assert names("民生食品保供项目按期推进。") == []  # a generic word before the trade is no brand


@pytest.mark.parametrize(
    "text",
    [
        "江北高新园引进项目15个。",  # an administrative zone
        "青柳经开区、江北高新园作为招商主阵地要加快建设。",
        "由青柳食品产业园管委会牵头推进招商。",  # the park's committee acts
        "印发《江北区城市更新三年行动方案》。",  # the topic of a document
        "制定《金桥产业园项目全周期服务办法》。",
        "全面推进江北区城市更新。",  # a whole district's programme
        "新建改造燃气、热力等地下管网85公里，实施水电气暖管网更新。",  # networks named by what they carry
        "打通断头路和瓶颈路。",
        "改造提升特色商业街区。",
        "推进老城片区有机更新。",  # the old town as a whole
        "重点引进晶圆封装配套材料、工业机器人减速器等项目。",  # products, no proper name
    ],
)
def test_not_projects_after_blind_run_4(text):
    assert names(text) == []


def test_former_site_is_not_the_project_built_on_it():
    assert names("将原红旗机械厂旧厂区改造为青柳文创产业园。") == ["青柳文创产业园"]
    assert names("推进老城东片区更新。") == ["老城东片区"]  # a named part of the old town stays


# ------------------------------------------------------------------ after blind run 5
def test_review_of_past_work_names_projects_by_their_progress():
    # a facility or road followed by what was done to it last year (完成…, 建成投产, 招商入驻, 桩基施工)
    assert names("去年，青枫湿地公园完成水系修复1800亩。") == ["青枫湿地公园"]
    assert names("交通方面，柳江二桥完成全部桩基施工。") == ["柳江二桥"]
    assert names("产业方面，华宇动力电池一期建成投产。") == ["华宇动力电池一期"]
    assert names("西城科创大厦招商入驻率达到九成。") == ["西城科创大厦"]


def test_a_phase_after_a_verb_or_a_digit_phase_is_no_name():
    assert names("力争国庆节前完成一期。") == []
    assert names("举办村干部培训班8期。") == []


def test_new_heads_for_levees_old_towns_kitchens_farmland_ring_roads_and_facades():
    assert names("完成清河城区段堤防加固9公里。") == ["清河城区段堤防加固"]
    assert names("加快远山食品中央厨房建设。") == ["远山食品中央厨房"]
    assert names("加快柳林镇万亩高标准农田建设。") == ["柳林镇万亩高标准农田"]
    assert names("环城西线二期征迁要在月底前完成。") == ["环城西线二期"]
    assert names("我们将启动青石老街风貌提升。") == ["青石老街风貌提升"]


def test_road_extension_listed_before_count_of_roads():
    assert names("抓好松林大道北延、江滨东路等4条在建道路。") == ["松林大道北延", "江滨东路"]


def test_facility_as_subject_linked_by_shi_or_by_a_count():
    assert names("桃溪四桥是今年的头号交通工程，确保年底前建成通车。") == ["桃溪四桥"]
    assert names("白沙河大桥等2座危桥隐患较大，要在汛期前完成加固。") == ["白沙河大桥"]


def test_old_town_protection_and_development_is_a_project_but_protection_alone_is_not():
    assert names("推进乌石古镇保护开发。") == ["乌石古镇"]
    assert names("推进乌石湿地保护。") == []


def test_members_of_a_counted_class_after_qizhong():
    text = "5个老旧小区改造全面开工，其中红星里、农机厂宿舍已完工，金桂苑小区、化肥二村正在施工。"
    assert names(text) == ["红星里", "农机厂宿舍", "金桂苑小区", "化肥二村"]


def test_places_taken_into_a_renewal_plan():
    assert names("争取将朝阳新村、水利局宿舍纳入明年改造计划。") == ["朝阳新村", "水利局宿舍"]


def test_time_word_and_new_or_rebuilt_class_and_parts_are_not_projects():
    assert names("全年新改建农村公路60公里。") == []
    assert names("东环路西段已完成路基工程的一半。") == ["东环路西段"]
    assert names("跟踪服务康泰医疗器械研发中心项目建设。") == ["康泰医疗器械研发中心项目"]


def test_modal_ends_a_name_on_its_left():
    text = "管委会要盯紧鼎盛光伏组件二期、启明芯片封测等3个在建产业项目。"
    assert names(text)[0] == "鼎盛光伏组件二期"


def test_adverb_tagged_modifier_before_a_facility():
    assert names("高新园标准化厂房二期要在年底前交付使用。") == ["高新园标准化厂房二期"]
