"""The signed-in person, loaded in one statement (org.selectors.person_for_request).

The statement replaces four ORM queries on every request; these tests hold it to what
the ORM would have loaded, on SQLite and on PostgreSQL.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from taizhang.core.models import Notification
from taizhang.core.testing import PASSWORD, make_project
from taizhang.org.access import scope_for
from taizhang.org.models import District, Person, Unit
from taizhang.org.selectors import person_for_request

ROLES = ["leader", "supervisor", "policy", "admin_a", "reporter_a", "viewer_a", "street_admin", "outsider"]


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.mark.parametrize("role", ROLES)
def test_loads_what_the_orm_loads(world, role):
    orm = Person.objects.get(pk=getattr(world, role).pk)
    orm.last_login = timezone.now().replace(microsecond=0)  # a datetime column with a value
    orm.save(update_fields=["last_login"])
    loaded = person_for_request(orm.pk)
    assert _values(loaded) == _values(orm)
    assert type(loaded.is_active) is bool and isinstance(loaded.last_login, dt.datetime)
    assert loaded.last_login.tzinfo is not None
    with CaptureQueriesContext(connection) as ctx:
        district, unit = loaded.district, loaded.unit  # cached: no further query
    assert not ctx.captured_queries
    assert _values(district) == _values(District.objects.get(pk=orm.district_id))
    if orm.unit_id is None:
        assert unit is None and loaded.unit_subtree_ids == frozenset()
    else:
        assert _values(unit) == _values(Unit.objects.get(pk=orm.unit_id))
        below = Unit.objects.filter(district=orm.district, path__startswith=orm.unit.path)
        assert loaded.unit_subtree_ids == frozenset(below.values_list("id", flat=True))
    assert scope_for(loaded) == scope_for(Person.objects.get(pk=orm.pk))


def test_a_street_sees_its_communities(world):
    loaded = person_for_request(world.street_admin.pk)
    assert loaded.unit_subtree_ids == {world.street.pk, world.community.pk}
    assert scope_for(loaded).unit_ids == {world.street.pk, world.community.pk}


def test_counts_only_the_persons_unread_notifications(world):
    me, other = world.reporter_a, world.reporter_b
    Notification.objects.create(recipient=me, text="1")
    Notification.objects.create(recipient=me, text="2")
    Notification.objects.create(recipient=me, text="read", read_at=timezone.now())
    Notification.objects.create(recipient=other, text="not mine")
    assert person_for_request(me.pk).unread_notification_count == 2
    assert person_for_request(world.leader.pk).unread_notification_count == 0


def test_unknown_or_inactive_people_are_not_signed_in(world, client):
    assert person_for_request(999_999) is None
    client.force_login(world.reporter_a)
    assert client.get("/projects/").status_code == 200
    Person.objects.filter(pk=world.reporter_a.pk).update(is_active=False)
    assert client.get("/projects/").status_code == 302  # to the sign-in page


def test_a_password_change_still_ends_other_sessions(world):
    """Django checks the session's password hash after the backend's get_user."""
    browser = Client()
    assert browser.login(username=world.reporter_a.username, password=PASSWORD)
    assert browser.get("/projects/").status_code == 200
    person = Person.objects.get(pk=world.reporter_a.pk)
    person.set_password("Another#2026")
    person.save()
    assert browser.get("/projects/").status_code == 302


def test_a_list_page_costs_the_person_the_count_and_the_rows(world, client):
    """One statement for the person, their scope and their badge; two for the list."""
    make_project(world.district, world.dept_a, cooperating=[world.dept_b])
    Notification.objects.create(recipient=world.reporter_a, text="催报")
    client.force_login(world.reporter_a)
    client.get("/projects/")  # fills the drop-down cache
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/projects/").content.decode()
    assert len(ctx.captured_queries) == 3, [q["sql"][:80] for q in ctx.captured_queries]
    assert '<span class="badge bg-danger">1</span>' in body


def test_the_notifications_page_clears_its_own_badge(world, client):
    Notification.objects.create(recipient=world.reporter_a, text="催报", url="/projects/")
    client.force_login(world.reporter_a)
    assert '<span class="badge bg-danger">1</span>' in client.get("/projects/").content.decode()
    page = client.get("/notifications/").content.decode()
    assert "催报" in page and "badge bg-danger" not in page
    assert "badge bg-danger" not in client.get("/projects/").content.decode()
