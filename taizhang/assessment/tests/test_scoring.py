"""Pure scoring functions, pinned with hand-computed examples."""

import datetime as dt
from decimal import Decimal as D

import pytest

from taizhang.assessment import scoring


def test_linear_between_bounds_and_clamped():
    params = {"low": 60, "high": 100}
    # (85 - 60) / 40 * 10 = 6.25
    assert scoring.formula_points("linear", params, D("10"), D("85"), "full") == D("6.25")
    assert scoring.formula_points("linear", params, D("10"), D("59"), "full") == D("0.00")
    assert scoring.formula_points("linear", params, D("10"), D("130"), "full") == D("10.00")


def test_linear_lower_is_better():
    # 0 points at 10 or more, full at 0: value 4 → 6/10 * 5 = 3
    assert scoring.formula_points("linear", {"low": 10, "high": 0}, D("5"), D("4"), "full") == D("3.00")


def test_rounding_is_half_up_at_the_cent():
    # (2/3) * 10 = 6.666… → 6.67 ; (0.125 share) * 10 = 1.25 exactly
    assert scoring.formula_points("linear", {"low": 0, "high": 3}, D("10"), D("2"), "full") == D("6.67")
    assert scoring.q(D("1.005")) == D("1.01")


def test_per_occurrence_deduction_never_below_zero():
    params = {"points_each": "0.5"}
    assert scoring.formula_points("per_occurrence", params, D("5"), D("3"), "full") == D("3.50")
    assert scoring.formula_points("per_occurrence", params, D("5"), D("0"), "full") == D("5.00")
    assert scoring.formula_points("per_occurrence", params, D("5"), D("40"), "full") == D("0.00")


def test_missing_data_follows_the_rule_policy():
    assert scoring.formula_points("linear", {"low": 0, "high": 100}, D("8"), None, "full") == D("8.00")
    assert scoring.formula_points("linear", {"low": 0, "high": 100}, D("8"), None, "zero") == D("0.00")
    assert scoring.manual_points([], D("6"), "zero") == D("0.00")
    assert scoring.manual_points([], D("6"), "full") == D("6.00")


def test_manual_points_are_the_mean_of_assessors():
    assert scoring.manual_points([D("8"), D("9"), D("9.5")], D("10"), "zero") == D("8.83")


def test_adjustments_sum_and_cap():
    assert scoring.adjustment_points([D("2"), D("-0.5")], D("5")) == D("1.50")
    assert scoring.adjustment_points([D("4"), D("3")], D("5")) == D("5.00")
    assert scoring.adjustment_points([D("-4"), D("-3")], D("5")) == D("-5.00")


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranks = scoring.competition_ranks({"a": D("90"), "b": D("95"), "c": D("90"), "d": D("80")})
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_movement():
    assert scoring.movement(2, 5) == 3
    assert scoring.movement(5, 2) == -3
    assert scoring.movement(3, 3) == 0
    assert scoring.movement(1, None) is None


def test_trimmed_mean_drops_highest_and_lowest():
    # 5 judges: 70 80 85 90 99 → mean of 80 85 90 = 85
    assert scoring.trimmed_mean([D(90), D(70), D(99), D(85), D(80)]) == D("85.00")
    # trim 0: plain mean 84.8
    assert scoring.trimmed_mean([D(90), D(70), D(99), D(85), D(80)], trim=0) == D("84.80")
    # too few scores to drop both ends: plain mean
    assert scoring.trimmed_mean([D(20), D(21)]) == D("20.50")
    assert scoring.trimmed_mean([]) is None


@pytest.mark.parametrize(
    ("formula", "params", "fragment"),
    [
        ("linear", {"low": 1}, "high"),
        ("linear", {"low": 1, "high": 1}, "different"),
        ("linear", {"low": "x", "high": 2}, "numbers"),
        ("per_occurrence", {"points_each": 0}, "positive"),
        ("cubic", {}, "Unknown"),
    ],
)
def test_formula_errors(formula, params, fragment):
    errors = scoring.formula_errors(formula, params)
    assert errors and fragment in errors[0]


def test_year_elapsed_share():
    assert scoring.year_elapsed_share(dt.date(2026, 12, 31), 2026) == 1
    assert scoring.year_elapsed_share(dt.date(2026, 1, 1), 2026) == D(1) / D(365)
    assert scoring.year_elapsed_share(dt.date(2025, 12, 31), 2026) == 0
