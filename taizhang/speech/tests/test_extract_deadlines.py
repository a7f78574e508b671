from datetime import date

from taizhang.speech.extract import extract_text
from taizhang.speech.extract.deadlines import find_deadline

D = date(2024, 1, 10)


def dl(s, d=D):
    return find_deadline(s, d)[0]


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
