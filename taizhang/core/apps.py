from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "taizhang.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Cache invalidation only (no business logic): admin edits to the calendar
        # must be seen by the next status computation.
        from django.db.models.signals import post_delete, post_save

        from .calendar import calendar_invalidate
        from .models import CalendarOverride

        def _invalidate(**kwargs):
            calendar_invalidate()

        post_save.connect(_invalidate, sender=CalendarOverride, dispatch_uid="calendar-save")
        post_delete.connect(_invalidate, sender=CalendarOverride, dispatch_uid="calendar-delete")
