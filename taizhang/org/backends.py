from django.contrib.auth.backends import ModelBackend

from .selectors import person_for_request


class PersonBackend(ModelBackend):
    """Django's model backend, loading the signed-in person with what every page needs.

    ``selectors.person_for_request`` reads the person, their district and unit, their
    unread notifications and their unit's subtree in one statement: every request
    needs them, and four ORM queries cost more than the list they surround.
    """

    def get_user(self, user_id):
        user = person_for_request(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
