"""Pure scoring: plain values in, Decimal points out — no database, no clock.

Every function here is deterministic and works in ``Decimal`` with points rounded
half-up to 0.01 at one place (``q``), so the same facts and the same scheme give the
same scores on any machine and any database.

Formulas (``Rule.formula`` + ``Rule.params``):

* ``linear`` ``{"low": a, "high": b}``: 0 points at value ``a``, full points at ``b``,
  straight line between, clamped. ``a > b`` means "lower is better".
* ``per_occurrence`` ``{"points_each": p}``: full points minus ``p`` per occurrence,
  never below 0.

Missing data (the metric had nothing to measure, e.g. no task was due, or nobody
entered a manual score): the rule's ``missing`` policy gives full points or none.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0")
LINEAR = "linear"
PER_OCCURRENCE = "per_occurrence"
FORMULAS = (LINEAR, PER_OCCURRENCE)
FULL = "full"


def q(value: Decimal) -> Decimal:
    """Round points half-up to 0.01 (the only rounding step)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def formula_errors(formula: str, params: Mapping) -> list[str]:
    """What is wrong with a formula and its parameters (empty list: fine)."""
    if formula not in FORMULAS:
        return [_("Unknown formula “%(formula)s”.") % {"formula": formula}]
    try:
        if formula == LINEAR:
            low, high = _dec(params["low"]), _dec(params["high"])
            if low == high:
                return [_("The linear formula needs two different bounds.")]
        else:
            if _dec(params["points_each"]) <= 0:
                return [_("Points per occurrence must be positive.")]
    except KeyError as exc:
        return [_("The formula parameter “%(name)s” is missing.") % {"name": exc.args[0]}]
    except (InvalidOperation, TypeError, ValueError):
        return [_("The formula parameters must be numbers.")]
    return []


def formula_points(formula: str, params: Mapping, max_points: Decimal, value: Decimal | None, missing: str) -> Decimal:
    """Points an automatic rule gives for a measured value."""
    max_points = _dec(max_points)
    if value is None:
        return q(max_points) if missing == FULL else q(ZERO)
    value = _dec(value)
    if formula == LINEAR:
        low, high = _dec(params["low"]), _dec(params["high"])
        share = (value - low) / (high - low)
        share = min(Decimal(1), max(ZERO, share))
        return q(max_points * share)
    if formula == PER_OCCURRENCE:
        return q(max(ZERO, max_points - _dec(params["points_each"]) * value))
    raise ValueError(formula)


def manual_points(scores: Sequence[Decimal], max_points: Decimal, missing: str) -> Decimal:
    """The mean of the assessors' scores; the missing-data policy when nobody scored."""
    if not scores:
        return q(_dec(max_points)) if missing == FULL else q(ZERO)
    return q(sum(_dec(s) for s in scores) / len(scores))


def adjustment_points(points: Iterable[Decimal], cap: Decimal) -> Decimal:
    """Sum of approved bonuses (+) and deductions (−), clamped to ± cap."""
    cap = _dec(cap)
    total = sum((_dec(p) for p in points), ZERO)
    return q(max(-cap, min(cap, total)))


def competition_ranks(totals: Mapping[Hashable, Decimal]) -> dict[Hashable, int]:
    """Rank by total, highest first; equal totals share a rank and the next rank skips (1, 1, 3)."""
    ordered = sorted(totals.values(), reverse=True)
    first = {}
    for i, total in enumerate(ordered, start=1):
        first.setdefault(total, i)
    return {key: first[total] for key, total in totals.items()}


def movement(rank: int, previous_rank: int | None) -> int | None:
    """Places moved up (+) or down (−) since the previous period; None if not ranked then."""
    if previous_rank is None:
        return None
    return previous_rank - rank


def trimmed_mean(values: Sequence[Decimal], trim: int = 1) -> Decimal | None:
    """Mean after dropping the ``trim`` highest and ``trim`` lowest values.

    With too few values to drop both ends (fewer than 2·trim + 1), the plain mean.
    """
    if not values:
        return None
    ordered = sorted(_dec(v) for v in values)
    if trim and len(ordered) > 2 * trim:
        ordered = ordered[trim:-trim]
    return q(sum(ordered) / len(ordered))


def year_elapsed_share(day, year: int) -> Decimal:
    """Time progress (时间进度): share of the year elapsed at the end of ``day``."""
    import datetime as dt

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day < start:
        return ZERO
    if day >= end:
        return Decimal(1)
    return Decimal((day - start).days + 1) / Decimal((end - start).days + 1)
