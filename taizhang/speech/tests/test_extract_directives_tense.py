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


# ---- after blind run 7: problem statements, judgements and exhortations in a speech's review ----
YEAR_END = """在全区经济工作会议上的讲话
同志们：
一、今年工作回顾
今年全区生产总值增长6%，固定资产投资增长8%。
但也要看到，我区产业结构偏重，创新能力不强的问题依然突出。
我们也要清醒地看到，部分项目落地慢。
由区工信局牵头组建的产业链专班运转顺畅，企业反映较好。
一些部门遇到难题就往上推，这种作风必须改一改。
去年汛期几个低洼小区被淹，这样的教训一定要记取。
二、明年重点工作
生态是发展的底线，来不得半点含糊。
越是任务繁重，越要守住安全底线。
区应急管理局要在春节前完成全区危化企业安全检查。
由区财政局牵头，区发改局配合，制定专项债项目储备方案。
任何单位不得新增隐性债务。
三、以务实作风确保目标实现
各镇街要按月报送项目进展。
"""


def _year_end():
    return directives(YEAR_END, date(2025, 12, 20))


def test_perception_verb_opens_a_problem_statement_not_a_task():
    found = " ".join(_year_end())
    assert "也要看到" not in found and "清醒地看到" not in found


def test_relative_clause_after_by_unit_lead_describes_the_past():
    found = _year_end()
    assert not any("产业链专班运转顺畅" in t for t in found)
    assert "由区财政局牵头，区发改局配合，制定专项债项目储备方案。" in found


def test_closing_clause_referring_back_is_a_judgement():
    found = " ".join(_year_end())
    assert "这种作风" not in found and "这样的教训" not in found


def test_idiom_with_bu_de_is_no_prohibition():
    found = _year_end()
    assert not any("来不得" in t for t in found)
    assert "任何单位不得新增隐性债务。" in found


def test_yue_shi_yue_yao_is_an_exhortation():
    assert not any("越要" in t for t in _year_end())
    assert "区应急管理局要在春节前完成全区危化企业安全检查。" in _year_end()


def test_part_title_on_its_own_line_is_not_a_directive():
    found = _year_end()
    assert "三、以务实作风确保目标实现" not in found
    assert "各镇街要按月报送项目进展。" in found


MINUTES = """区政府常务会议纪要
一、关于老旧小区改造资金的问题。
会议听取了区住建局关于老旧小区改造进展的汇报。
会议原则同意改造资金筹措方案。
会议同意安排改造资金800万元，由区财政局于11月10日前拨付到位。
其余缺口由区城投集团通过发行债券解决，区财政局配合做好贴息测算，12月底前完成发行。
请区审计局在明年一季度对改造资金使用情况开展专项审计。
对改造进度，由区住建局每月通报，区委督查室跟进督办。
该小区由区城投集团代建的配套用房已经完工。
二、关于人大代表建议办理的问题。
会议要求，各承办单位要按期办结。
现将有关情况报告如下，请予审议，并请区政协委员提出意见。
"""


def _minutes():
    return {d["text"]: d for d in extract_text(MINUTES, date(2025, 10, 20))["directives"]}


def test_please_with_a_unit_assigns_work_to_it():
    d = _minutes()["请区审计局在明年一季度对改造资金使用情况开展专项审计。"]
    assert d["owners"] == ["区审计局"] and d["deadline"]["end"] == "2026-03-31"
    # a report's formula asks deputies, not a unit
    assert not any("请予审议" in t for t in _minutes())


def test_by_unit_with_its_task_assigns_work_but_not_in_a_relative_clause():
    found = _minutes()
    d = found["会议同意安排改造资金800万元，由区财政局于11月10日前拨付到位。"]
    assert d["owners"] == ["区财政局"] and d["deadline"]["end"] == "2025-11-10"
    assert not any("代建的配套用房" in t or "会议听取了" in t for t in found)


def test_owner_cut_before_the_verb_phrase_and_co_actor_clauses():
    found = _minutes()
    d = found["其余缺口由区城投集团通过发行债券解决，区财政局配合做好贴息测算，12月底前完成发行。"]
    assert sorted(d["owners"]) == ["区城投集团", "区财政局"]
    d = found["对改造进度，由区住建局每月通报，区委督查室跟进督办。"]
    assert sorted(d["owners"]) == ["区住建局", "区委督查室"]


def test_a_past_requirement_and_its_failure_is_no_directive():
    text = (
        "同志们：\n区里年初就明确必须在5月底前完成管网改造，但到现在只完成了四成。"
        "有关部门多次强调要加快审批，但几个卡点至今没有解决。"
        "今年我们已争取上级资金8亿元。"
        "区住建局要在6月底前完成管网改造。"
    )
    assert directives(text, date(2024, 6, 3)) == ["区住建局要在6月底前完成管网改造。"]


def test_a_unit_that_will_act_together_with_another_is_a_directive_with_both_owners():
    text = "四、有关要求\n区委督查室将会同区政府督查室对交办事项实行销号管理，每月督查一次。"
    ds = extract_text(text, D)["directives"]
    assert [d["owners"] for d in ds] == [["区委督查室", "区政府督查室"]]
