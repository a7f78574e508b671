from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "taizhang.grid"
    label = "grid"
    verbose_name = _("Grid governance")
    # Called by core.demo after the ledger is built: fn(*, district, today, people) -> None.
    demo_loader = "taizhang.grid.demo.load"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import services
        from .models import Category, GridCell

        # Cache invalidation only (the per-process type and cell caches of the intake path).
        for model in (Category, GridCell):
            post_save.connect(services.caches_clear, sender=model, dispatch_uid=f"grid-cache-{model.__name__}")
            post_delete.connect(services.caches_clear, sender=model, dispatch_uid=f"grid-cache-del-{model.__name__}")

        from django.apps import apps

        if apps.is_installed("taizhang.assessment"):
            from . import assessment_metrics  # noqa: F401 - registers the grid metrics
