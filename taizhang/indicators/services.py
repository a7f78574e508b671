"""Writes of economic indicators. Each function is atomic and keyword-only.

Entering a month is an upsert: the statistics bureau revises its figures, and the
last entry for (indicator, year, month) wins, other districts' figures included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.org.models import District, Person, Role

from .models import ComparatorValue, Direction, Indicator, IndicatorTarget, IndicatorValue

EDIT_ROLES = frozenset({Role.SUPERVISOR, Role.POLICY})


def can_enter_indicators(person: Person) -> bool:
    """The supervision and policy research offices keep the indicator figures."""
    return person.is_authenticated and person.district_id is not None and person.role in EDIT_ROLES


@dataclass(frozen=True)
class Comparator:
    district_name: str
    actual: Decimal | None = None
    growth: Decimal | None = None


@transaction.atomic
def indicator_create(
    *,
    district: District,
    code: str,
    name: str,
    unit: str,
    direction: str = Direction.HIGHER,
    is_cumulative: bool = True,
    frequency: str = Indicator.Frequency.MONTHLY,
    sort_order: int = 0,
) -> Indicator:
    indicator = Indicator(
        district=district,
        code=code,
        name=name,
        unit=unit,
        direction=direction,
        is_cumulative=is_cumulative,
        frequency=frequency,
        sort_order=sort_order,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_target_set(*, indicator: Indicator, year: int, target: Decimal) -> IndicatorTarget:
    if target is None or target < 0:
        raise ValidationError({"target": _("The annual target cannot be negative.")})
    obj, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator, year=year, defaults={"target": target}
    )
    return obj


def _check_month(indicator: Indicator, year: int, month: int) -> None:
    errors = {}
    if not 2000 <= year <= 2100:
        errors["year"] = _("“%(value)s” is not a year.") % {"value": year}
    if not 1 <= month <= 12:
        errors["month"] = _("The month must be from 1 to 12.")
    elif indicator.frequency == Indicator.Frequency.QUARTERLY and month % 3:
        errors["month"] = _("A quarterly indicator is reported for months 3, 6, 9 and 12.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_value_record(
    *,
    actor: Person | None,
    indicator: Indicator,
    year: int,
    month: int,
    actual: Decimal | None,
    yoy_growth: Decimal | None = None,
    city_avg_growth: Decimal | None = None,
    comparators: Iterable[Comparator] | None = None,
    target: Decimal | None = None,
) -> IndicatorValue:
    """Record (or revise) one month of an indicator; ``comparators`` replace the month's other districts."""
    _check_month(indicator, year, month)
    if indicator.is_cumulative and actual is not None and actual < 0 and indicator.direction == Direction.HIGHER:
        raise ValidationError({"actual": _("A cumulative figure cannot be negative.")})
    if target is not None:
        indicator_target_set(indicator=indicator, year=year, target=target)
    value, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        year=year,
        month=month,
        defaults={"actual": actual, "yoy_growth": yoy_growth, "city_avg_growth": city_avg_growth, "entered_by": actor},
    )
    if comparators is not None:
        rows = list(comparators)
        names = [c.district_name.strip() for c in rows]
        if any(not n for n in names):
            raise ValidationError({"comparators": _("Every other district needs a name.")})
        if len(set(names)) != len(names):
            raise ValidationError({"comparators": _("A district appears twice.")})
        if indicator.district.name in names:
            raise ValidationError({"comparators": _("Our own district cannot be its own comparator.")})
        value.comparators.all().delete()
        ComparatorValue.objects.bulk_create(
            [
                ComparatorValue(value=value, district_name=n, actual=c.actual, growth=c.growth)
                for n, c in zip(names, rows, strict=True)
            ]
        )
    return value
