"""Task-list documents (重点工作任务清单): page furniture, numbered items with a responsibility note."""

from datetime import date

from taizhang.speech.extract import extract_text
from taizhang.speech.extract.clean import clean

DOC_DATE = date(2027, 2, 10)


def _items(text):
    return [d for d in extract_text(text, DOC_DATE)["directives"] if d["how"] == "task-item"]


def _one(text):
    items = _items(text)
    assert len(items) == 1, items
    return items[0]


def test_web_page_furniture_lines_are_removed():
    page = "\n".join(
        [
            "网站首页 > 信息公开 > 通知公告",
            "索引号：00123/2027-00042    发布机构：示例县人民政府办公室",
            "发文字号：示政办〔2027〕3号    主题分类：城乡建设",
            "关于做好春季植树工作的通知",
            "发布日期：2027-02-11 信息来源：县林业局 【字体：大 中 小】",
            "各乡镇要在3月底前完成植树任务。",
            "（此件主动公开）",
            "【打印】 【收藏】 【关闭】",
            "扫一扫在手机上查看",
            "主办单位：示例县人民政府 承办：县大数据中心 网站标识码：1234000001 苏ICP备12345678号",
        ]
    )
    assert clean(page) == "关于做好春季植树工作的通知\n各乡镇要在3月底前完成植树任务。"


def test_numbered_item_with_note_is_one_directive_with_lead_and_support_owners():
    text = (
        "二、重点工作任务\n"
        "5.新建社区食堂12个。该项工作是今年的民生实事之一。"
        "（牵头单位：区民政局；配合单位：区市场监管局、各街道办事处、区级有关部门；完成时限：2027年9月底前）\n"
    )
    d = _one(text)
    assert d["text"].startswith("5.新建社区食堂12个。") and d["text"].endswith("9月底前）")
    assert d["owners"] == ["区民政局", "区市场监管局", "各街道办事处", "区级有关部门"]
    assert d["lead"] == ["区民政局"]
    assert d["support"] == ["区市场监管局", "各街道办事处", "区级有关部门"]
    # a "…前" deadline starts on the document date (README convention); only its end is scored
    assert (d["deadline"]["start"], d["deadline"]["end"]) == ("2027-02-10", "2027-09-30")
    assert d["deadline"]["text"] == "2027年9月底前"


def test_field_label_variants_half_width_brackets_and_a_person_lead():
    text = (
        "1、整治背街小巷30条，提升夜间照明。"
        "(责任单位:县城管局、县住房和城乡建设局;协办单位:城关镇;责任领导:王某某副县长;时限要求:2027年6月30日前)\n"
    )
    d = _one(text)
    # 和 inside a unit name is not a separator; the person field gives no owner
    assert d["owners"] == ["县城管局", "县住房和城乡建设局", "城关镇"]
    assert d["leaders"] == ["王某某副县长"]
    assert d["deadline"]["end"] == "2027-06-30"


def test_fields_on_their_own_lines_after_the_item():
    text = "3.建成智慧停车平台，接入泊位5000个。\n主责单位：区交通局\n配合部门：区公安分局，区数据局\n完成时间：2027年11月底前\n4.另一项任务。\n"
    items = _items(text)
    assert len(items) == 2
    first = items[0]
    assert first["text"].endswith("完成时间：2027年11月底前")
    assert first["owners"] == ["区交通局", "区公安分局", "区数据局"]
    assert first["deadline"]["end"] == "2027-11-30"
    # the second item has no note, but it stands in the same list: still a task item
    assert items[1]["text"] == "4.另一项任务。"


def test_deadline_field_governs_over_an_earlier_date_in_the_task():
    text = "2.改造城东泵站，汛期前投入使用，力争5月底前完成设备安装。（牵头单位：区水利局；完成时限：2027年10月底前）\n"
    d = _one(text)
    assert d["deadline"]["end"] == "2027-10-31"
    assert d["deadline"]["text"] == "2027年10月底前"


def test_open_ended_deadline_fields_give_no_deadline_and_whole_year_is_the_year():
    text = (
        "（一）常态工作\n"
        "1.推进营商环境提升，力争6月底前出台新一轮政策。（牵头单位：区发改局；完成时限：持续推进）\n"
        "2.开展安全生产检查。（牵头单位：区应急局；完成时限：长期坚持）\n"
        "3.开展文明城市创建。（牵头单位：区文明办；完成时限：全年）\n"
    )
    items = _items(text)
    assert [i["deadline"] for i in items[:2]] == [None, None]
    assert (items[2]["deadline"]["start"], items[2]["deadline"]["end"]) == ("2027-01-01", "2027-12-31")


def test_item_without_note_under_a_task_list_heading_is_a_directive():
    text = (
        "示例区2027年重点工作任务清单\n一、扩大有效投资\n1.完善项目储备库。\n2.开展专项债券申报，该项目总投资8亿元。\n"
    )
    items = _items(text)
    assert [i["text"] for i in items] == ["1.完善项目储备库。", "2.开展专项债券申报，该项目总投资8亿元。"]


def test_numbered_lines_outside_a_task_list_are_not_task_items():
    text = "一、2026年工作回顾\n1.项目建设提速。全年完成投资80亿元，同比增长6%。\n2.民生保障有力。新建学校3所。\n"
    assert _items(text) == []


def test_work_requirements_section_inline_lead_and_unit_will_sentences():
    text = (
        "三、工作要求\n"
        "（一）细化推进方案。各牵头单位要于3月15日前报送分解方案。\n"
        "（二）加强督查。5月底前，区政府将组织一次专项督查，结果全区通报。\n"
    )
    dirs = {d["text"]: d for d in extract_text(text, DOC_DATE)["directives"]}
    assert "（一）细化推进方案。" in dirs
    will = dirs["5月底前，区政府将组织一次专项督查，结果全区通报。"]
    assert will["owners"] == ["区政府"]
    assert will["deadline"]["end"] == "2027-05-31"


def test_numbered_findings_under_a_problem_heading_are_not_task_items():
    text = "\n".join(
        [
            "关于一季度重点项目推进情况的督查通报",
            "一、存在的问题",
            "1.柳溪大道北延段（牵头单位：区交通局；配合单位：柳溪街道）。年度计划投资2亿元，仅完成15%，3户未签约。",
            "2.城北安置小区（牵头单位：区住建局）。主体工程比计划落后一个月。",
            "二、督办事项",
            "1.加快柳溪大道北延段征收。区交通局要会同柳溪街道完成剩余3户签约，确保4月底前交地。（责任单位：区交通局、柳溪街道）",
        ]
    )
    items = _items(text)
    assert [d["text"][:6] for d in items] == ["1.加快柳溪"]
    assert items[0]["owners"] == ["区交通局", "柳溪街道"] and items[0]["deadline"]["end"] == "2027-04-30"
    texts = [d["text"] for d in extract_text(text, DOC_DATE)["directives"]]
    assert not any("仅完成15%" in t or "落后一个月" in t for t in texts)
