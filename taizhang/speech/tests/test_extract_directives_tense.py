"""Rule 3 of directives.py: the tense of a section decides whether bare action sentences assign work.

Synthetic texts only (no corpus sentence), one behaviour per test, in both directions.
"""

from datetime import date

from taizhang.speech.extract import extract_text
from taizhang.speech.extract.directives import bare_action, heading_tense

D = date(2024, 1, 20)


def directives(text, d=D):
    return [x["text"] for x in extract_text(text, d)["directives"]]


REPORT = """区政府工作报告
一、2023年工作回顾
加快推进城市更新，改造老旧小区30个。实施乡村振兴行动。新建学校5所。
二、2024年重点工作
城市是人民的城市。加快推进城市更新，改造老旧小区40个。实施乡村振兴行动，年底前建成示范村10个。
去年已建成学校5所。新建幼儿园3所。
"""


def test_forward_heading_makes_bare_actions_directives_and_review_heading_does_not():
    found = directives(REPORT)
    assert "加快推进城市更新，改造老旧小区40个。" in found
    assert "实施乡村振兴行动，年底前建成示范村10个。" in found
    assert "新建幼儿园3所。" in found  # a plan verb, accepted only in a forward context
    assert "加快推进城市更新，改造老旧小区30个。" not in found
    assert "新建学校5所。" not in found


def test_past_marker_and_copula_are_not_directives_even_in_a_plan():
    found = directives(REPORT)
    assert "去年已建成学校5所。" not in found
    assert "城市是人民的城市。" not in found


def test_heading_tense_from_words_and_years():
    assert heading_tense("二、2024年主要工作", 2024) == "forward"
    assert heading_tense("一、2023年工作回顾", 2024) == "review"
    assert heading_tense("三、下一步工作打算", 2023) == "forward"
    assert heading_tense("明年工作思路", 2023) == "forward"
    assert heading_tense("一、过去一年主要成效", 2024) == "review"
    assert heading_tense("2023年重点工作完成情况", 2024) == "review"
    assert heading_tense("2023年主要工作", 2024) == "review"  # a past year's plan is a review
    assert heading_tense("（一）聚力稳增长，综合实力稳步提升", 2024) is None


def test_report_without_tense_cue_stays_descriptive():
    # a work report describing measures taken (the corpus-000 trap): no heading says "plan"
    text = (
        "今年以来，我区坚持稳中求进。\n一、聚焦项目建设\n加快城市有机更新，统筹推进旧改项目。"
        "强化智慧精细管理，深化市容乱象清零行动。实施工业企业技术改造。\n"
    )
    assert directives(text, date(2022, 9, 1)) == []


def test_lead_sentence_opens_the_plan_for_the_rest_of_its_section():
    text = (
        "今年以来，我区加快推进项目建设，完成投资80亿元。强化要素保障。\n"
        "下一步，我们将重点做好以下工作：\n一是加快推进项目建设。力争全年完成投资100亿元。\n"
        "二是深化营商环境改革。6月底前完成审批事项清理。\n"
    )
    found = directives(text)
    assert "强化要素保障。" not in found
    assert "下一步，我们将重点做好以下工作：" not in found  # the lead itself assigns nothing
    assert {"一是加快推进项目建设。", "二是深化营商环境改革。", "6月底前完成审批事项清理。"} <= set(found)


def test_we_will_sentence_opens_the_plan_for_its_paragraph_only():
    text = (
        "2023年，全区加快城市更新，改造老旧小区30个。推进乡村振兴，建成示范村8个。\n"
        "今年，全区将聚焦高质量发展。实施城市更新行动，改造老旧小区40个。推进乡村振兴，建成示范村10个。\n"
        "推进文旅融合，接待游客500万人次。\n"
    )
    found = directives(text)
    assert found == ["实施城市更新行动，改造老旧小区40个。", "推进乡村振兴，建成示范村10个。"]


def test_time_place_and_object_adverbials_before_the_verb_in_a_plan():
    assert bare_action("下半年启动东门片区棚户区改造。", plan=True)
    assert bare_action("10月底前完成污水处理厂扩建。", plan=True)
    assert bare_action("汛期前完成河道清淤。", plan=True)
    assert bare_action("从3月1日起，在全区推行扫码入企制度。", plan=True)
    assert not bare_action("下半年启动东门片区棚户区改造。", plan=False)
    assert not bare_action("投资是稳增长的关键变量。", plan=True)


def test_unit_subject_without_modal_is_a_directive_in_a_plan():
    text = "同志们：\n二、今年重点工作\n区应急管理局、区住建局每季度对在建工地开展一次安全检查。\n"
    assert directives(text) == ["区应急管理局、区住建局每季度对在建工地开展一次安全检查。"]


SPEECH = """同志们：
一、过去一年工作成效明显
去年，全区加快推进项目建设，确保了经济平稳运行。区发改局牵头建立了项目储备库。
同时，国家实施积极的财政政策，为我们争取资金带来了机遇。干部中还存在等靠要思想。
二、今年重点工作
第一，全力抓好招商引资。区投促局牵头，区工信局配合，6月底前举办招商推介会。
要紧盯续建项目，倒排工期。
一是做强先进制造业。
1.突出产业链精准招商。
（一）坚持创新驱动，加快构建产业体系
年内新建口袋公园10个。
"""


def test_speech_review_results_are_not_directives():
    found = " ".join(directives(SPEECH))
    assert "确保了经济平稳运行" not in found
    assert "牵头建立了项目储备库" not in found
    assert "为我们争取资金" not in found
    assert "等靠要" not in found


def test_speech_enumerated_lead_sentences_and_unit_lead_are_directives():
    found = directives(SPEECH)
    for t in (
        "第一，全力抓好招商引资。",
        "区投促局牵头，区工信局配合，6月底前举办招商推介会。",
        "要紧盯续建项目，倒排工期。",
        "一是做强先进制造业。",
        "1.突出产业链精准招商。",
    ):
        assert t in found, t
    # a level-2 section title stays a title
    assert not any(t.startswith("（一）") for t in found)
