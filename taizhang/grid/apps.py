from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "taizhang.grid"
    label = "grid"
    verbose_name = _("Grid governance")
    # Called by core.demo after the ledger is built: fn(*, district, today, people) -> None.
    demo_loader = None
