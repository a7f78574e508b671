from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "taizhang.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Person, Unit
        from .selectors import clear_district_choices

        for model in (Unit, Person):
            post_save.connect(clear_district_choices, sender=model, dispatch_uid=f"org-choices-{model.__name__}")
            post_delete.connect(clear_district_choices, sender=model, dispatch_uid=f"org-choices-del-{model.__name__}")
