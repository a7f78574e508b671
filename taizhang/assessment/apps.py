from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "taizhang.assessment"
    label = "assessment"
    verbose_name = _("Assessment")
    # Called by core.demo after the ledger is built: fn(*, district, today, people) -> None.
    demo_loader = "taizhang.assessment.demo.load"
