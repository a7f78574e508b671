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


# ---- after blind run 3: clause subjects, parks, 区属 collectives, 由X + any verb ----


def test_each_clause_subject_owns_its_own_clause():
    # the second unit is the subject of its own clause (time/frequency word, then the verb), not an object
    assert owners("区商务局要牵头建立消费监测机制，自12月1日起，各商超企业每周报送销售数据。") == [
        "区商务局",
        "各商超企业",
    ]
    assert owners("区农业农村局要牵头制定方案，区统计局每月通报进度。") == ["区农业农村局", "区统计局"]


def test_collective_after_a_transitive_verb_is_an_object():
    assert owners("区交通局要督促各施工单位规范设置围挡。") == ["区交通局"]
    assert owners("区科技局要指导各孵化企业完善申报材料，月底前完成推荐。") == ["区科技局"]
    # after 确保 the collective still does the work
    assert owners("要确保各社区年底前全部完成改造。") == ["各社区"]


def test_parks_and_zones_acting_are_owners_as_written():
    assert owners("云岭经开区、临江高新区要加快标准厂房建设。") == ["云岭经开区", "临江高新区"]
    assert owners("青山食品产业园要抓紧编制冷链专项规划。") == ["青山食品产业园"]
    assert owners("南坪高新园要盘活闲置厂房。") == ["南坪高新园"]
    # a facility or a project that is the topic is not
    assert owners("人民医院新院区要在年底前投入使用。") == []


def test_district_owned_enterprises_and_bare_role_collectives():
    assert owners("区财政局、区属国企要严控新增隐性债务。") == ["区财政局", "区属国企"]
    assert owners("2.区属国有企业要当好融资主力军。") == ["区属国有企业"]
    assert owners("协办单位要主动对接、密切配合。") == ["协办单位"]
    # a description containing 的 is not a unit's name
    assert owners("涉及多部门的，由排名靠前的牵头单位负责汇总。") == []


def test_you_unit_with_any_verb_and_person_roles_reduced_to_the_unit():
    assert owners("对连续两月排名末位的，由区纪委监委严肃问责。") == ["区纪委监委"]
    assert owners("对亮红灯的项目，由区政府督查室挂牌督办。") == ["区政府督查室"]
    assert owners("对滞后的任务，由区政府分管领导约谈责任单位主要负责同志。") == ["区政府"]
    assert owners("由区发改局会同区财政局研究制定补助办法。") == ["区发改局", "区财政局"]
    # 由A向B: a change of state, no actor
    assert owners("要推动产业由园区中心向城市中心延伸。") == []


def test_list_after_yinqi_and_unit_names_with_he():
    assert owners("对这些短板，必须引起各街道、各部门的高度重视。") == ["各街道", "各部门"]
    assert owners("区住房和城乡建设局要加快保障房建设。") == ["区住房和城乡建设局"]
    assert owners("区文化和旅游局、区教育局要联合开展研学活动。") == ["区文化和旅游局", "区教育局"]


def test_person_role_after_a_collective_is_not_read_as_a_modal():
    # 要 in 主要负责同志 is not the modal
    assert owners("区政府各部门主要负责同志要当好第一责任人。") == ["区政府各部门"]
