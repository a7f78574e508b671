from django.contrib.auth.backends import ModelBackend

from .models import Person


class PersonBackend(ModelBackend):
    """Django's model backend, loading the signed-in person's district and unit with them.

    Every page header shows both, and scope checks read them: one query per request
    instead of three.
    """

    def get_user(self, user_id):
        try:
            user = Person._default_manager.select_related("district", "unit").get(pk=user_id)
        except Person.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
