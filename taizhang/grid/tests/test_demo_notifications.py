"""The demo simulates a year of cases at once: what people find unread must be about open cases."""

from io import StringIO

import pytest
from django.core.management import call_command

from taizhang.core.demo import DEMO_CODE
from taizhang.core.models import Notification
from taizhang.grid.models import Case
from taizhang.org.models import Role

pytestmark = pytest.mark.django_db


def test_demo_leaves_unread_only_notifications_about_open_cases(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_load", "--weeks", "2", stdout=StringIO())
    cases = Case.objects.filter(district__code=DEMO_CODE)
    settled = {
        f"/grid/cases/{pk}/"
        for pk in cases.filter(state__in=["closed", "rejected", "merged"]).values_list("pk", flat=True)
    }
    open_urls = {
        f"/grid/cases/{pk}/"
        for pk in cases.exclude(state__in=["closed", "rejected", "merged"]).values_list("pk", flat=True)
    }
    unread = Notification.objects.filter(read_at__isnull=True, url__startswith="/grid/cases/")
    assert settled and not unread.filter(url__in=settled).exists()
    assert Notification.objects.filter(url__in=settled).exists()  # they were sent, and read
    assert unread.filter(url__in=open_urls, recipient__role=Role.DISPATCHER).exists()  # e.g. overdue at the centre
