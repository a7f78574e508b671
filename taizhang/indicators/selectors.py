"""Reads of economic indicators, with the computed columns (``calc``) attached.

``indicator_table`` answers the index page, the cockpit and the big screen in a fixed
number of queries (indicators, the period's values, targets, other districts, the
recent history for the trend), whatever the number of indicators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from . import calc
from .models import ComparatorValue, Indicator, IndicatorTarget, IndicatorValue

TREND_PERIODS = 3
FLAG_LABELS = {
    calc.BEHIND_TIME: _("behind time progress"),
    calc.BELOW_CITY: _("below the city average"),
    calc.NEGATIVE_GROWTH: _("lower than last year"),
    calc.BOTTOM_RANK: _("bottom third of the city"),
}


@dataclass
class IndicatorRow:
    indicator: Indicator
    year: int
    month: int
    value: IndicatorValue | None = None
    target: Decimal | None = None
    completion: Decimal | None = None
    time_progress: Decimal | None = None
    lead: Decimal | None = None
    gap: Decimal | None = None
    rank: calc.Rank | None = None
    trend: str | None = None
    improving: bool | None = None
    flags: list[str] = field(default_factory=list)
    comparators: list[ComparatorValue] = field(default_factory=list)

    @property
    def actual(self) -> Decimal | None:
        return self.value.actual if self.value else None

    @property
    def growth(self) -> Decimal | None:
        return self.value.yoy_growth if self.value else None

    @property
    def city_growth(self) -> Decimal | None:
        return self.value.city_avg_growth if self.value else None

    @property
    def behind(self) -> bool:
        return bool(self.flags)

    @property
    def flag_labels(self) -> list:
        return [FLAG_LABELS[f] for f in self.flags]

    @property
    def gap_better(self) -> Decimal | None:
        return calc.better(self.gap, self.indicator.direction)


def indicators_of(district_id: int | None):
    return Indicator.objects.filter(district_id=district_id, is_active=True)


def latest_period(district_id: int | None) -> tuple[int, int] | None:
    """The latest (year, month) with any figure in the district."""
    row = (
        IndicatorValue.objects.filter(indicator__district_id=district_id, indicator__is_active=True)
        .order_by("-year", "-month")
        .values("year", "month")
        .first()
    )
    return (row["year"], row["month"]) if row else None


def periods_of(district_id: int | None) -> list[tuple[int, int]]:
    rows = (
        IndicatorValue.objects.filter(indicator__district_id=district_id)
        .values("year", "month")
        .annotate(n=Max("id"))
        .order_by("-year", "-month")
    )
    return [(r["year"], r["month"]) for r in rows]


def _months_back(year: int, month: int, n: int) -> list[tuple[int, int]]:
    index = year * 12 + month - 1
    return [((i) // 12, (i) % 12 + 1) for i in range(index - n + 1, index + 1)]


def compute_row(row: IndicatorRow, history: list[Decimal | None], comparators: list[ComparatorValue]) -> IndicatorRow:
    """Fill the computed columns of ``row`` from its value, target, history and other districts."""
    ind = row.indicator
    row.comparators = comparators
    if ind.is_cumulative:
        row.time_progress = calc.time_progress_month(row.month)
        if ind.direction == calc.HIGHER:
            row.completion = calc.completion_pct(row.actual, row.target)
            row.lead = calc.lead_points(row.completion, row.time_progress)
    row.gap = calc.gap_points(row.growth, row.city_growth)
    if comparators:
        row.rank = calc.rank_of(row.growth, [c.growth for c in comparators], ind.direction)
    row.trend = calc.trend(history, TREND_PERIODS)
    row.improving = calc.improving(row.trend, ind.direction)
    row.flags = calc.flags(direction=ind.direction, lead=row.lead, growth=row.growth, gap=row.gap, rank=row.rank)
    return row


def indicator_table(district_id: int | None, period: tuple[int, int] | None = None) -> list[IndicatorRow]:
    """One row per active indicator for ``period`` (default: the latest), computed columns filled."""
    period = period or latest_period(district_id)
    if period is None:
        return []
    year, month = period
    target = IndicatorTarget.objects.filter(indicator_id=OuterRef("pk"), year=year).values("target")[:1]
    indicators = list(indicators_of(district_id).annotate(target_of_year=Subquery(target)))
    if not indicators:
        return []
    ids = [i.id for i in indicators]
    back = _months_back(year, month, TREND_PERIODS * 3)
    (y0, m0) = back[0]
    window = Q(year=y0, month__gte=m0, month__lte=month if y0 == year else 12)
    if y0 < year:
        window |= Q(year__gt=y0, year__lt=year) | Q(year=year, month__lte=month)
    # One query for the trend window; the period's own figures are its last rows.
    history: dict[int, dict[tuple[int, int], tuple]] = defaultdict(dict)
    for row in IndicatorValue.objects.filter(window, indicator_id__in=ids).values_list(
        "id", "indicator_id", "year", "month", "actual", "yoy_growth", "city_avg_growth"
    ):
        history[row[1]][(row[2], row[3])] = row
    own_months: dict[int, int] = {}
    current: dict[int, IndicatorValue] = {}
    for ind in indicators:
        # A quarterly indicator shows its latest quarter within the period.
        quarterly = ind.frequency == Indicator.Frequency.QUARTERLY and month % 3
        own_months[ind.id] = month - month % 3 if quarterly else month
        found = history[ind.id].get((year, own_months[ind.id]))
        if found:
            pk, iid, y, m, actual, growth, city = found
            current[ind.id] = IndicatorValue(
                pk=pk, indicator=ind, year=y, month=m, actual=actual, yoy_growth=growth, city_avg_growth=city
            )
    value_ids = [v.id for v in current.values()]
    comparators: dict[int, list[ComparatorValue]] = defaultdict(list)
    for c in ComparatorValue.objects.filter(value_id__in=value_ids).only("id", "value_id", "district_name", "growth"):
        comparators[c.value_id].append(c)
    rows = []
    for ind in indicators:
        own_month, value = own_months[ind.id], current.get(ind.id)
        series = [history[ind.id][p][5] if p in history[ind.id] else None for p in back]
        row = IndicatorRow(indicator=ind, year=year, month=own_month or month, value=value, target=ind.target_of_year)
        rows.append(compute_row(row, series, comparators.get(value.id, []) if value else []))
    return rows


@dataclass
class IndicatorDetail:
    row: IndicatorRow
    series: dict[int, list[dict]]  # year -> [{month, actual, growth, city}]
    targets: dict[int, Decimal]
    ranking: list[tuple[str, Decimal, int]]


def indicator_detail(indicator: Indicator, period: tuple[int, int] | None = None) -> IndicatorDetail:
    """Everything the indicator page shows: the latest row, this and last year's series, the city ranking."""
    values = list(indicator.values.order_by("year", "month"))
    if period is None and values:
        period = (values[-1].year, values[-1].month)
    year, month = period or (None, None)
    targets = dict(indicator.targets.values_list("year", "target"))
    series: dict[int, list[dict]] = defaultdict(list)
    for v in values:
        series[v.year].append({"month": v.month, "actual": v.actual, "growth": v.yoy_growth, "city": v.city_avg_growth})
    if year is None:
        return IndicatorDetail(IndicatorRow(indicator, 0, 0), {}, targets, [])
    current = next((v for v in values if (v.year, v.month) == (year, month)), None)
    comparators = list(current.comparators.all()) if current else []
    history = [v.yoy_growth for v in values if (v.year, v.month) <= (year, month)]
    row = compute_row(
        IndicatorRow(indicator=indicator, year=year, month=month, value=current, target=targets.get(year)),
        history[-TREND_PERIODS * 3 :],
        comparators,
    )
    figures = {c.district_name: c.growth for c in comparators}
    if current is not None:
        figures[indicator.district.name] = current.yoy_growth
    return IndicatorDetail(
        row, dict(series), targets, calc.ranking(figures, indicator.direction) if comparators else []
    )
