"""Owner rules (owners.py) on synthetic sentences: actors are owners, objects are not."""

from taizhang.speech.extract.owners import find_owners


def owners(s, units=None):
    return find_owners(s, units)[0]


def test_cooperating_units_after_huitong_are_owners_and_support():
    o, d = find_owners("区卫健局要会同区医保局、区财政局，6月底前完成医共体改革方案。")
    assert o == ["区卫健局", "区医保局", "区财政局"]
    assert d["lead"] == ["区卫健局"] and d["support"] == ["区医保局", "区财政局"]
    assert owners("区水利局要会同各镇街，汛期前完成河道清淤。") == ["区水利局", "各镇街"]
    # no comma after the list: the unit ends where the verb starts
    assert owners("区税务局要会同区市场监管局制定专项方案。") == ["区税务局", "区市场监管局"]


def test_you_x_fuze_with_units_peihe():
    o, d = find_owners("滨河公园建设由区园林局负责，区水利局、河口镇配合，确保年底前开园。")
    assert o == ["区园林局", "区水利局", "河口镇"]
    assert d["lead"] == ["区园林局"] and d["support"] == ["区水利局", "河口镇"]


def test_lead_unit_without_you():
    o, d = find_owners("区商务局牵头，区统计局、区税务局配合，按月通报消费数据。")
    assert o == ["区商务局", "区统计局", "区税务局"]
    assert d["support"] == ["区统计局", "区税务局"]


def test_units_asked_by_xiwang_are_owners_but_qing_yu_shen_yi_is_not():
    assert owners("希望区人大常委会、区政协加强监督，为发展建言献策。") == ["区人大常委会", "区政协"]
    assert owners("请予审议。") == []


def test_subject_list_with_person_role_and_frequency_words():
    assert owners("各镇街、各部门主要负责同志要亲自部署。") == ["各镇街", "各部门"]
    assert owners("要完善机制，区委办、区政府办每月对重点任务进行一次通报。") == ["区委办", "区政府办"]


def test_unit_name_containing_a_modal_like_character():
    # 应 in 应急 and 要 in 要素 are not modals
    assert owners("区应急管理局要会同各镇街，5月底前完成防汛演练。") == ["区应急管理局", "各镇街"]
    assert owners("重点抓好国资国企、要素市场化配置等领域改革。") == []


def test_collective_inside_a_named_owner_is_not_repeated():
    assert owners("区政府各部门要逐项制定落实方案。") == ["区政府各部门"]


def test_objects_of_the_action_are_not_owners():
    assert owners("区考核办要在年底前对各镇街、各部门工作完成情况进行考评。") == ["区考核办"]
    assert owners("各部门要制定落实方案，一季度内报区政府办备案。") == ["各部门"]


def test_known_unit_list_maps_abbreviations():
    assert owners("工信局要会同发改局，年内培育标杆企业10家。", units=["区工信局", "区发改局"]) == [
        "区工信局",
        "区发改局",
    ]
