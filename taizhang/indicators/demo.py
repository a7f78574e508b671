"""Demo indicators for 秦川区: twelve indicators, last year and this year month by month up
to the last published month, annual targets, the city's average and the nine other
districts of 宝原市 (all fictional). Figures are shaped like a statistics bureau's
monthly table: cumulative from January, mildly back-loaded over the year, growth
drifting month to month, some indicators ahead of the city and some behind.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from . import services
from .models import Direction, Indicator

OTHER_DISTRICTS = ["金台区", "渭北区", "陈仓区", "凤鸣县", "岐山县", "扶风县", "眉山县", "太白县", "千河县"]
# Size of each other district relative to ours (GDP-like).
SIZE = [1.35, 1.1, 0.95, 0.8, 0.7, 0.6, 0.55, 0.3, 0.25]

# code, name, unit, direction, cumulative, quarterly, last year's annual figure,
# target growth %, this year's growth %, city average growth %
SPECS = [
    ("gdp", "地区生产总值", "亿元", "higher", True, True, 520.0, 6.0, 6.3, 5.6),
    ("revenue", "一般公共预算收入", "亿元", "higher", True, False, 28.6, 5.0, 7.2, 4.1),
    ("fai", "固定资产投资", "亿元", "higher", True, False, 312.0, 8.0, 3.1, 4.8),
    ("industry_va", "规上工业增加值", "亿元", "higher", True, False, 182.0, 7.0, 7.8, 6.9),
    ("retail", "社会消费品零售总额", "亿元", "higher", True, False, 241.0, 6.0, 4.6, 5.3),
    ("trade", "外贸进出口总额", "亿元", "higher", True, False, 36.4, 5.0, -3.2, 2.5),
    ("jobs", "新增城镇就业", "人", "higher", True, False, 8600.0, 3.0, 4.5, 2.0),
    ("arrived_funds", "招商引资到位资金", "亿元", "higher", True, False, 262.0, 10.0, 12.6, 9.8),
    ("fdi", "实际利用外资", "万美元", "higher", True, False, 4480.0, 8.0, 5.4, 6.1),
    ("urban_income", "城镇居民人均可支配收入", "元", "higher", True, True, 46200.0, 5.5, 5.7, 5.2),
    ("rural_income", "农村居民人均可支配收入", "元", "higher", True, True, 17900.0, 7.0, 7.4, 7.1),
    ("energy", "万元GDP能耗", "吨标准煤", "lower", False, False, 0.52, -3.0, -3.6, -2.9),
]


def _d(value: float, places: str = "0.01") -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(places), ROUND_HALF_UP)


def _share(month: int) -> float:
    """Cumulative share of the year's total by the end of ``month`` (back-loaded, like most indicators)."""
    return (month / 12) ** 1.08


def load(*, district, today: dt.date, people: dict) -> None:
    rng = random.Random(2026)
    last = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)  # the last published month
    year, last_month = last.year, last.month
    actor = people.get("duchashi")
    for order, (code, name, unit, direction, cumulative, quarterly, base, target_g, g, city_g) in enumerate(SPECS):
        indicator = services.indicator_create(
            district=district,
            code=code,
            name=name,
            unit=unit,
            direction=direction,
            is_cumulative=cumulative,
            frequency=Indicator.Frequency.QUARTERLY if quarterly else Indicator.Frequency.MONTHLY,
            sort_order=(order + 1) * 10,
        )
        places = "1" if unit in ("人", "元") else ("0.001" if direction == Direction.LOWER else "0.01")
        prior_base = base / (1 + (g - 0.8) / 100)  # the year before last, for last year's growth
        for y, annual, growth_final, city_final, months in (
            (year - 1, base, g - 0.8, city_g - 0.3, 12),
            (year, base * (1 + g / 100), g, city_g, last_month),
        ):
            target = _d(annual / (1 + growth_final / 100) * (1 + target_g / 100), places) if y == year else None
            if y == year - 1:
                target = _d(prior_base * (1 + (target_g - 0.5) / 100), places)
            services.indicator_target_set(indicator=indicator, year=y, target=target)
            for month in range(1, months + 1):
                if quarterly and month % 3:
                    continue
                # Growth settles towards the year's figure as the months go by.
                drift = (12 - month) / 12
                growth = growth_final + drift * rng.uniform(-2.5, 2.5)
                city = city_final + drift * rng.uniform(-1.2, 1.2)
                if cumulative:
                    actual = annual * _share(month) * (1 + rng.uniform(-0.01, 0.01))
                else:
                    actual = annual * (1 + rng.uniform(-0.02, 0.02))
                comparators = []
                for other, size in zip(OTHER_DISTRICTS, SIZE, strict=True):
                    other_g = city + rng.uniform(-3.5, 3.5)
                    other_actual = (
                        actual * size * rng.uniform(0.9, 1.1) if cumulative else actual * rng.uniform(0.8, 1.3)
                    )
                    comparators.append(services.Comparator(other, _d(other_actual, places), _d(other_g, "0.1")))
                services.indicator_value_record(
                    actor=actor,
                    indicator=indicator,
                    year=y,
                    month=month,
                    actual=_d(actual, places),
                    yoy_growth=_d(growth, "0.1"),
                    city_avg_growth=_d(city, "0.1"),
                    comparators=comparators,
                )
