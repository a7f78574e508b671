from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "taizhang.assessment"
    label = "assessment"
    verbose_name = _("Assessment")
    # Called by core.demo after the ledger is built: fn(*, district, today, people) -> None.
    demo_loader = "taizhang.assessment.demo.load"

    def ready(self) -> None:
        # Scheduling only: a change to the facts enqueues a recomputation (see tasks.py).
        from django.apps import apps
        from django.db.models.signals import post_save

        from .tasks import on_case_event, on_item_event

        post_save.connect(on_item_event, sender="ledger.ItemEvent", dispatch_uid="assessment-item-event")
        if apps.is_installed("taizhang.grid"):
            post_save.connect(on_case_event, sender="grid.CaseEvent", dispatch_uid="assessment-case-event")
