"""Economic indicators (经济指标) as the statistics bureau reports them.

An ``Indicator`` is a district's definition (GDP, general budget revenue…); an
``IndicatorTarget`` is its annual target for one year; an ``IndicatorValue`` is one
month's report: the figure to date (累计 for cumulative indicators), year-on-year
growth and the city's average growth; ``ComparatorValue`` rows carry the other
districts of the city for that month, so rank and gap are computed, never typed.

A quarterly indicator is reported on the quarter's last month (3, 6, 9, 12).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from taizhang.org.models import District

FIGURE = {"max_digits": 16, "decimal_places": 2}
GROWTH = {"max_digits": 7, "decimal_places": 1}


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Indicator(models.Model):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("district")
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("indicator"), max_length=60)
    unit = models.CharField(_("unit of measure"), max_length=20, help_text=_("e.g. 亿元, %, 人"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    is_cumulative = models.BooleanField(
        _("cumulative"), default=True, help_text=_("Reported as the total from January to the month (累计).")
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="indicator_code_unique_in_district"),
            models.UniqueConstraint(fields=["district", "name"], name="indicator_name_unique_in_district"),
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("indicators:detail", args=[self.pk])


class IndicatorTarget(models.Model):
    """The annual target (全年目标) of one indicator for one year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField(_("year"))
    target = models.DecimalField(_("annual target"), **FIGURE)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_once_a_year")]
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.target}"


class IndicatorValue(models.Model):
    """One indicator's figures for one month (the period 1–``month`` for cumulative ones)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    actual = models.DecimalField(_("actual to date"), null=True, blank=True, **FIGURE)
    yoy_growth = models.DecimalField(_("year-on-year growth (%)"), null=True, blank=True, **GROWTH)
    city_avg_growth = models.DecimalField(_("city average growth (%)"), null=True, blank=True, **GROWTH)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["indicator", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "month"], name="indicator_value_once_a_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="indicator_value_month_1_12"),
        ]
        indexes = [models.Index(fields=["year", "month"])]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}-{self.month:02d}"


class ComparatorValue(models.Model):
    """Another district of the city, the same indicator and month (for rank and comparison)."""

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="comparators")
    district_name = models.CharField(_("district"), max_length=50)
    actual = models.DecimalField(_("actual to date"), null=True, blank=True, **FIGURE)
    growth = models.DecimalField(_("growth (%)"), null=True, blank=True, **GROWTH)

    class Meta:
        ordering = ["value", "id"]
        constraints = [
            models.UniqueConstraint(fields=["value", "district_name"], name="comparator_once_per_value"),
        ]
        verbose_name = _("other district's figure")
        verbose_name_plural = _("other districts' figures")

    def __str__(self) -> str:
        return f"{self.district_name} {self.growth}"
