"""Pure computations on indicator figures: plain values in, plain values out.

All percentages are ``Decimal`` with one decimal place; "points" are percentage
points. ``None`` means "not enough data", never zero: a missing figure must not
look like a bad one.

* completion of the annual target (完成全年目标 X%): actual to date / target;
* time progress (序时进度) of a cumulative monthly indicator at month m: m/12;
* lead (+) / lag (−) against time progress: completion − time progress;
* gap to the city average (高于/低于全市平均 X 个百分点): growth − city growth;
* rank among the city's districts by growth (全市第X), ties share a rank
  (1, 2, 2, 4), direction respected, districts without a figure not ranked;
* trend over the last N periods; flags for an indicator falling behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DP = Decimal("0.1")
HIGHER = "higher"
LOWER = "lower"

# Flags: why an indicator is falling behind.
BEHIND_TIME = "behind_time"  # completion below time progress
BELOW_CITY = "below_city"  # growth worse than the city average
NEGATIVE_GROWTH = "negative_growth"  # worse than last year
BOTTOM_RANK = "bottom_rank"  # in the bottom third of the city's districts


def _q(value: Decimal) -> Decimal:
    return value.quantize(ONE_DP, ROUND_HALF_UP)


def completion_pct(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Share of the annual target reached, in percent; None without an actual or a positive target."""
    if actual is None or target is None or target <= 0:
        return None
    return _q(Decimal(actual) * 100 / Decimal(target))


def time_progress_month(month: int, months: int = 12) -> Decimal:
    """序时进度 of a cumulative monthly indicator reported for ``month``: month / 12, in percent."""
    if not 1 <= month <= months:
        raise ValueError(f"month {month} outside 1..{months}")
    return _q(Decimal(month) * 100 / months)


def lead_points(completion: Decimal | None, time_progress: Decimal | None) -> Decimal | None:
    """Points ahead (+) of or behind (−) time progress."""
    if completion is None or time_progress is None:
        return None
    return _q(completion - time_progress)


def gap_points(growth: Decimal | None, city_growth: Decimal | None) -> Decimal | None:
    """Growth minus the city's average growth, in points (as the bulletins write it)."""
    if growth is None or city_growth is None:
        return None
    return _q(Decimal(growth) - Decimal(city_growth))


def better(points: Decimal | None, direction: str) -> Decimal | None:
    """Turn a difference into "how much better" for ``direction`` (lower-is-better flips the sign)."""
    if points is None:
        return None
    return -points if direction == LOWER else points


@dataclass(frozen=True)
class Rank:
    position: int  # 1 = best
    of: int  # districts ranked (those with a figure)


def rank_of(own: Decimal | None, others: Iterable[Decimal | None], direction: str = HIGHER) -> Rank | None:
    """Rank of ``own`` among ``own`` + ``others`` by growth; ties share the better rank.

    Standard competition ranking: growths 9, 7, 7, 5 rank 1, 2, 2, 4. Districts without
    a figure are left out of the count; without our own figure there is no rank.
    """
    if own is None:
        return None
    known = [Decimal(v) for v in others if v is not None]
    if direction == LOWER:
        ahead = sum(1 for v in known if v < own)
    else:
        ahead = sum(1 for v in known if v > own)
    return Rank(position=ahead + 1, of=len(known) + 1)


def ranking(figures: dict[str, Decimal | None], direction: str = HIGHER) -> list[tuple[str, Decimal, int]]:
    """All districts with a figure, best first: (name, growth, rank), ties sharing a rank."""
    known = [(name, Decimal(v)) for name, v in figures.items() if v is not None]
    known.sort(key=lambda nv: nv[1], reverse=direction != LOWER)
    out, previous, rank = [], None, 0
    for i, (name, value) in enumerate(known, start=1):
        if value != previous:
            rank, previous = i, value
        out.append((name, value, rank))
    return out


def trend(values: Sequence[Decimal | None], periods: int = 3) -> str | None:
    """Direction of the last ``periods`` known values: "up", "down" or "flat" (None: fewer than two)."""
    known = [Decimal(v) for v in values if v is not None][-periods:]
    if len(known) < 2:
        return None
    change = known[-1] - known[0]
    if change > 0:
        return "up"
    if change < 0:
        return "down"
    return "flat"


def improving(trend_value: str | None, direction: str) -> bool | None:
    if trend_value in (None, "flat"):
        return None
    return (trend_value == "up") == (direction != LOWER)


def flags(
    *,
    direction: str,
    lead: Decimal | None,
    growth: Decimal | None,
    gap: Decimal | None,
    rank: Rank | None,
) -> list[str]:
    """Why an indicator is falling behind (empty: it is not)."""
    out = []
    if lead is not None and lead < 0:
        out.append(BEHIND_TIME)
    gap_better = better(gap, direction)
    if gap_better is not None and gap_better < 0:
        out.append(BELOW_CITY)
    growth_better = better(growth, direction)
    if growth_better is not None and growth_better < 0:
        out.append(NEGATIVE_GROWTH)
    if rank is not None and rank.of >= 3 and rank.position > rank.of - rank.of // 3:
        out.append(BOTTOM_RANK)
    return out
