from datetime import date

from taizhang.speech.extract import extract_text
from taizhang.speech.extract.deadlines import find_deadline, heading_year

D = date(2024, 1, 10)


def dl(s, d=D, year=None):
    return find_deadline(s, d, year)[0]


def test_month_end_or_next_month_start_is_a_range():
    d = dl("各乡镇要在3月底或4月初完成摸底排查")
    assert (d["start"], d["end"]) == ("2024-03-21", "2024-04-10")
    assert d["text"] == "3月底或4月初"


def test_from_date_is_a_start_not_a_deadline():
    deadline, start, _ = find_deadline("从3月1日起,全面推行项目周调度制度", D)
    assert deadline is None
    assert start["date"] == "2024-03-01"


def test_exact_day_and_before():
    d = dl("区委政研室要在3月1日前汇总上报任务清单")
    assert d["end"] == "2024-03-01" and d["start"] == "2024-01-10"


def test_year_end_year_within_second_half():
    assert (dl("确保年底前全部建成")["end"]) == "2024-12-31"
    assert (dl("力争年内开工")["start"], dl("力争年内开工")["end"]) == ("2024-01-10", "2024-12-31")
    d = dl("下半年,要集中精力打造一批民生亮点工程")
    assert (d["start"], d["end"]) == ("2024-07-01", "2024-12-31")
    d = dl("10月底前完成主体工程")
    assert d["end"] == "2024-10-31"


def test_past_month_rolls_to_next_year_and_past_expressions_ignored():
    assert dl("3月底前完成", date(2024, 11, 20))["end"] == "2025-03-31"
    assert dl("自7月15日应急搬迁以来,仅用10天完成签约") is None


def test_quarter_and_holiday_fallback():
    assert dl("一季度末完成招标")["end"] == "2024-03-31"
    assert dl("春节前完成安全隐患排查") is not None


def test_deadline_attached_to_directive():
    r = extract_text(
        "同志们:\n各乡镇要在3月底或4月初前完成危房摸底。从3月1日起,各街道要全面实行周调度。", date(2024, 1, 10)
    )
    d1, d2 = r["directives"]
    assert d1["deadline"]["end"] == "2024-04-10"
    assert d2["deadline"] is None and d2["start"]["date"] == "2024-03-01"
    a, b = d1["deadline"]["span"]
    assert r["clean_text"][a:b].startswith("3月底或4月初")


# ---- forms of the policy and of bench/extract/blind/README.md, one rule per test ----
R = date(2026, 1, 16)  # a report delivered in mid-January


def span(s, d=R, year=None):
    x = dl(s, d, year)
    return (x["start"], x["end"]) if x else None


def test_month_start_is_the_first_ten_days():
    assert span("4月初完成招标") == ("2026-04-01", "2026-04-10")


def test_mid_month_is_the_11th_to_the_20th():
    assert span("5月中旬完成验收")[1] == "2026-05-20"
    assert span("12月中旬前完成申报")[1] == "2026-12-20"


def test_month_fen_is_the_whole_month():
    assert span("3月份举办招商推介会") == ("2026-03-01", "2026-03-31")


def test_quarter_end_is_like_a_month_end():
    assert span("一季度末完成供地计划") == ("2026-03-21", "2026-03-31")


def test_whole_quarter_and_within_a_quarter():
    assert span("三季度完成主体封顶") == ("2026-07-01", "2026-09-30")
    assert span("一季度内报区政府办备案")[1] == "2026-03-31"
    assert dl("一季度内报区政府办备案")["text"] == "一季度内"


def test_dao_year_is_the_whole_year():
    assert span("力争到2027年，规上工业企业突破220家") == ("2027-01-01", "2027-12-31")
    assert span("2027年底前建成")[1] == "2027-12-31"  # the year is kept, not lost before 年底


def test_nian_mo_equals_nian_di():
    assert span("力争年末贷款余额突破730亿元")[1] == span("年底前建成")[1] == "2026-12-31"


def test_quanian_with_a_target_is_the_year_but_not_as_an_attribute():
    assert span("要持续办好群众文化活动，全年组织演出不少于200场次") == ("2026-01-01", "2026-12-31")
    assert span("力争全年完成投资100亿元")[1] == "2026-12-31"
    assert dl("区商务局要抓紧制定全年促消费活动方案") is None
    # the attribute 全年 does not outrank a real deadline in the same sentence
    assert span("一季度末前完成全年供地计划编制")[1] == "2026-03-31"


def test_fixed_holidays_end_the_day_before():
    assert span("确保国庆节前开园迎客")[1] == "2026-09-30"
    assert span("五一前完成")[1] == "2026-04-30"
    assert span("元旦前完成")[1] == "2026-12-31"


def test_lunar_holiday_uses_the_lunar_calendar_and_the_next_occurrence():
    assert span("确保春节前农民工工资应付尽付")[1] == "2026-02-16"  # 春节 2026 is on 02-17
    assert span("确保春节前完成", date(2026, 3, 1))[1] == "2027-02-05"  # 春节 2027 is on 02-06
    assert span("端午节前完成")[1] == "2026-06-18"


def test_unresolvable_seasons_have_no_deadline():
    assert dl("汛期前完成城区易涝点改造") is None
    assert dl("抓紧开展节前安全隐患排查") is None


def test_recurring_times_are_never_deadlines():
    assert dl("每月至少举办1场促消费活动") is None
    assert dl("每季度开展一次项目观摩评比") is None
    assert dl("每年3月底前报送上年度报告") is None


def test_start_is_not_a_deadline_but_a_later_deadline_in_the_sentence_is():
    deadline, start, _ = find_deadline("从4月1日起全面推行综合查一次，6月底前实现全覆盖", R)
    assert start["date"] == "2026-04-01"
    assert deadline["end"] == "2026-06-30"


def test_next_year_second_half_and_within_the_year():
    assert span("明年完成") == ("2027-01-01", "2027-12-31")
    assert span("下半年启动改造") == ("2026-07-01", "2026-12-31")
    assert span("力争年内开工") == ("2026-01-16", "2026-12-31")


# ---- after blind run 7: 明年 combined with what follows, and the year a section deploys ----
DEC = date(2025, 12, 26)  # a year-end speech deploying 2026


def test_next_year_combines_with_a_holiday():
    assert span("力争明年国庆节前建成开放", DEC)[1] == "2026-09-30"
    assert span("明年五一前完成改造", DEC)[1] == "2026-04-30"
    # a holiday without 明年 is still the coming one
    assert span("国庆节前完成", date(2025, 9, 1))[1] == "2025-09-30"


def test_next_year_as_an_attribute_gives_way_to_a_precise_deadline():
    assert span("明年的民生项目，要在明年2月底前完成立项", DEC)[1] == "2026-02-28"
    assert span("对列入明年计划的项目，务必在明年上半年开工", DEC)[1] == "2026-06-30"
    assert dl("要提前谋划明年的重点任务", DEC) is None
    # alone, 明年 with a target is still the whole year
    assert span("确保明年新增就业5000人", DEC) == ("2026-01-01", "2026-12-31")


def test_next_year_with_a_season_is_unresolvable():
    assert dl("确保明年秋季开学前投入使用", DEC) is None
    assert dl("明年汛期前完成堤防加固", DEC) is None


def test_section_year_applies_to_bare_period_words_only():
    # a section deploying next year: bare 年底前/年内/全年/上半年 are that year's
    assert dl("年底前实现主线贯通", DEC, 2026)["end"] == "2026-12-31"
    assert span("区教育局年内要新增学位1000个", DEC, 2026) == ("2026-01-01", "2026-12-31")
    assert span("要围绕节点，全年组织活动不少于20场", DEC, 2026) == ("2026-01-01", "2026-12-31")
    # without it they are the document's year
    assert dl("年底前实现主线贯通", DEC)["end"] == "2025-12-31"
    # 明年…/今年… and a bare month are unaffected (a past month rolls on its own)
    assert dl("今年年底前全部完成", DEC, 2026)["end"] == "2025-12-31"
    assert dl("明年3月底前全部清零", DEC, 2026)["end"] == "2026-03-31"
    assert dl("6月底前建成投用", DEC)["end"] == "2026-06-30"
    assert dl("12月20日前报送", date(2025, 10, 20), 2026)["end"] == "2025-12-20"


def test_heading_year():
    assert heading_year("三、扎实做好明年各项重点工作", 2025) == 2026
    assert heading_year("二、2026年工作安排", 2025) == 2026
    assert heading_year("四、统筹抓好岁末年初各项工作", 2025) == 2025
    assert heading_year("三、早谋划早储备，为明年项目建设开好局", 2025) is None  # a purpose: the work is now
    assert heading_year("一、回顾过去一年和明年展望", 2025) is None
    assert heading_year("（一）聚焦产业升级", 2025) is None


YEAR_END_SPEECH = """在区委全会上的讲话
（2025年12月26日）
同志们：
一、全面回顾今年工作
今年我们完成了各项目标任务。
二、扎实做好明年重点工作
区住建局要在年底前完成老旧小区改造30个。
区商务局要围绕重要节点，全年组织促消费活动不少于20场。
区人社局要在6月底前举办专场招聘会。
三、统筹抓好岁末年初工作
各部门要对照目标逐项盘点，年底前该完成的任务要全部完成。
四、其他工作
围绕上述目标，明年重点抓好以下三个方面工作。
区民政局年内要新增养老床位200张。
"""


def test_year_end_speech_deadlines_follow_their_section():
    ends = {d["text"]: (d["deadline"] or {}).get("end") for d in extract_text(YEAR_END_SPEECH, DEC)["directives"]}
    assert ends["区住建局要在年底前完成老旧小区改造30个。"] == "2026-12-31"
    assert ends["区商务局要围绕重要节点，全年组织促消费活动不少于20场。"] == "2026-12-31"
    assert ends["区人社局要在6月底前举办专场招聘会。"] == "2026-06-30"
    assert ends["各部门要对照目标逐项盘点，年底前该完成的任务要全部完成。"] == "2025-12-31"
    assert ends["区民政局年内要新增养老床位200张。"] == "2026-12-31"  # after a lead sentence naming 明年


# after blind run 8: a bare period (quarter, month, 明年) can name the scope of a noun rather than a deadline
AUT = date(2025, 8, 18)  # a mid-August meeting


def test_a_period_after_a_verb_or_preposition_is_the_scope_of_its_object():
    assert dl("区统计局要把三季度监测任务分解到各镇街", AUT) is None
    assert dl("各部门要抓紧谋划明年民生工程", AUT) is None
    assert dl("区城管局要抓好7月份巡查反馈问题整改", AUT) is None
    assert dl("对三季度拟出让的6宗地块逐一核查，9月15日前完成", AUT)["end"] == "2025-09-15"
    assert dl("区住建局要梳理明年二季度可开工项目，年底前形成清单", AUT)["end"] == "2025-12-31"
    # after a subject or a modal the period stays an adverbial with a target
    assert span("每位联系领导三季度到企业走访不少于2次", AUT) == ("2025-07-01", "2025-09-30")
    assert span("确保明年新增市场主体800户", AUT) == ("2026-01-01", "2026-12-31")
    # a quoted event takes place in the period
    assert span("区商务局要抓好明年一季度“消费季”活动", AUT) == ("2026-01-01", "2026-03-31")


def test_a_bare_period_gives_way_to_a_precise_deadline_inside_it():
    assert span("三季度计划开工的项目，9月10日前全部完成招标", AUT)[1] == "2025-09-10"
    assert span("明年一季度集中开工的项目，春节前完成前期手续", AUT)[1] == "2026-02-16"
    # a precise deadline outside the period does not replace it
    assert span("四季度开工项目不少于12个，8月底前上报名单", AUT)[1] == "2025-12-31"


def test_a_report_back_date_gives_way_to_the_task_date():
    task = "确保9月底前完成整改销号。请于10月8日前将整改情况书面报区委督查室。"
    assert span(task, AUT)[1] == "2025-09-30"
    # without a completion date of its own, the report-back date is the deadline
    assert span("限期整改到位。请于9月5日前将整改情况书面报区委督查室。", AUT)[1] == "2025-09-05"


def test_next_year_early_spring_is_unresolvable():
    assert dl("两个厂区计划明年开春复工", AUT) is None
