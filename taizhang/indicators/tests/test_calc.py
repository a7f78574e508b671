"""Hand-computed cases for the indicator arithmetic (no database)."""

from decimal import Decimal as D

import pytest

from taizhang.indicators import calc


def test_completion_is_actual_over_target():
    assert calc.completion_pct(D("85.5"), D("114")) == D("75.0")
    assert calc.completion_pct(D("1"), D("3")) == D("33.3")


@pytest.mark.parametrize("actual,target", [(None, D("100")), (D("5"), None), (D("5"), D("0"))])
def test_completion_missing_data_is_none_not_zero(actual, target):
    assert calc.completion_pct(actual, target) is None


def test_time_progress_is_month_over_twelve():
    assert calc.time_progress_month(10) == D("83.3")
    assert calc.time_progress_month(6) == D("50.0")
    assert calc.time_progress_month(12) == D("100.0")
    with pytest.raises(ValueError):
        calc.time_progress_month(13)


def test_lead_and_lag_points():
    assert calc.lead_points(D("75.0"), D("83.3")) == D("-8.3")
    assert calc.lead_points(D("90.0"), D("83.3")) == D("6.7")
    assert calc.lead_points(None, D("83.3")) is None


def test_gap_to_city_average_in_points_and_direction():
    assert calc.gap_points(D("6.3"), D("5.6")) == D("0.7")
    assert calc.gap_points(D("-3.2"), D("2.5")) == D("-5.7")
    assert calc.gap_points(D("6.3"), None) is None
    # Energy use per unit of GDP: falling 3.6 % against the city's 2.9 % is better.
    gap = calc.gap_points(D("-3.6"), D("-2.9"))
    assert gap == D("-0.7")
    assert calc.better(gap, calc.LOWER) == D("0.7")


def test_rank_ties_share_the_better_rank():
    others = [D("9"), D("7"), D("5")]
    assert calc.rank_of(D("7"), others) == calc.Rank(position=2, of=4)
    assert calc.rank_of(D("9.5"), others) == calc.Rank(position=1, of=4)
    assert calc.rank_of(D("5"), others) == calc.Rank(position=3, of=4)
    assert calc.rank_of(D("4"), others) == calc.Rank(position=4, of=4)


def test_rank_lower_is_better_and_missing_figures_not_counted():
    assert calc.rank_of(D("-3.6"), [D("-2.9"), None, D("-4.0"), None]) == calc.Rank(position=2, of=3)
    assert calc.rank_of(None, [D("1")]) is None
    assert calc.rank_of(D("1"), []) == calc.Rank(position=1, of=1)


def test_ranking_lists_competition_ranks():
    table = calc.ranking({"甲区": D("9"), "乙区": D("7"), "丙区": D("7"), "丁区": D("5"), "戊区": None})
    assert table == [("甲区", D("9"), 1), ("乙区", D("7"), 2), ("丙区", D("7"), 2), ("丁区", D("5"), 4)]
    lower = calc.ranking({"甲区": D("-1"), "乙区": D("-3")}, calc.LOWER)
    assert [r[0] for r in lower] == ["乙区", "甲区"]


def test_trend_over_last_periods_ignores_gaps():
    assert calc.trend([D("5"), D("6"), None, D("7")], 3) == "up"
    assert calc.trend([D("9"), D("5"), D("6"), D("4")], 3) == "down"
    assert calc.trend([D("1"), D("5"), D("5")], 2) == "flat"
    assert calc.trend([None, D("5")]) is None
    assert calc.improving("down", calc.LOWER) is True
    assert calc.improving("down", calc.HIGHER) is False


def test_flags_explain_why_an_indicator_falls_behind():
    assert calc.flags(direction="higher", lead=D("-8.3"), growth=D("3.1"), gap=D("-1.7"), rank=None) == [
        calc.BEHIND_TIME,
        calc.BELOW_CITY,
    ]
    assert calc.flags(direction="higher", lead=D("1"), growth=D("-3.2"), gap=D("-5.7"), rank=calc.Rank(10, 10)) == [
        calc.BELOW_CITY,
        calc.NEGATIVE_GROWTH,
        calc.BOTTOM_RANK,
    ]
    assert calc.flags(direction="higher", lead=D("0"), growth=D("6"), gap=D("0.5"), rank=calc.Rank(7, 10)) == []
    assert calc.flags(direction="lower", lead=None, growth=D("-3.6"), gap=D("-0.7"), rank=calc.Rank(2, 10)) == []
    assert calc.flags(direction="higher", lead=None, growth=None, gap=None, rank=None) == []
