from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "taizhang.cockpit"
    label = "cockpit"
    verbose_name = _("Leaders' cockpit")
    # Called by core.demo after the ledger is built: fn(*, district, today, people) -> None.
    demo_loader = None  # the cockpit shows the other modules' demo data
