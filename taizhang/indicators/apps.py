from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "taizhang.indicators"
    label = "indicators"
    verbose_name = _("Economic indicators")
    # Called by core.demo after the ledger is built: fn(*, district, today, people) -> None.
    demo_loader = "taizhang.indicators.demo.load"
