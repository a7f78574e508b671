from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpeechConfig(AppConfig):
    name = "taizhang.speech"
    label = "speech"
    verbose_name = _("Speech to ledger")
