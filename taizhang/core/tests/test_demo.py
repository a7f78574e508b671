"""The demo district: ``manage.py demo_load`` on an empty database, then again."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from taizhang.core.calendar import today
from taizhang.core.demo import DEMO_CODE, DEMO_PASSWORD, DEMO_URL
from taizhang.ledger.models import Item, ItemEvent, ProgressReport, Whistle
from taizhang.org.models import District, Person, Role, Unit

pytestmark = pytest.mark.django_db


def _load(*args) -> str:
    out = StringIO()
    call_command("demo_load", *args, stdout=out)
    return out.getvalue()


def _snapshot(district):
    return {
        "units": Unit.objects.filter(district=district).count(),
        "people": Person.objects.filter(district=district).count(),
        "items": Item.objects.filter(district=district).count(),
        "reports": ProgressReport.objects.filter(item__district=district).count(),
        "whistles": Whistle.objects.filter(item__district=district).count(),
        "events": ItemEvent.objects.filter(item__district=district).count(),
    }


def test_demo_load_builds_the_district_a_second_run_changes_nothing_and_reset_rebuilds():
    out = _load("--weeks", "4")
    district = District.objects.get(code=DEMO_CODE)
    assert (district.name, district.city) == ("秦川区", "宝原市")

    # Organisation: leadership, offices, departments, streets with communities, towns.
    units = {u.name: u for u in Unit.objects.filter(district=district)}
    for name in ("区委", "区委办（督查室）", "区委政研室", "发改局", "招商服务中心", "西关街道", "石鼓镇"):
        assert name in units
    assert units["金台社区"].parent == units["金台街道"]
    assert Unit.objects.filter(district=district, kind=Unit.Kind.COMMUNITY).count() == 8

    # A person for every role, all with the printed password.
    people = Person.objects.filter(district=district)
    assert set(people.values_list("role", flat=True)) == set(Role.values)
    assert Client().login(username="duchashi", password=DEMO_PASSWORD)
    assert Client().login(username="fagai_tb", password=DEMO_PASSWORD)
    assert not Client().login(username="fagai_tb", password="wrong")

    # The ledger: both kinds, every colour, backdated weekly reports, whistles in every state.
    items = Item.objects.filter(district=district)
    assert items.filter(kind=Item.Kind.PROJECT).count() >= 35
    assert items.filter(kind=Item.Kind.TASK).count() >= 50
    assert set(items.values_list("status", flat=True)) == {"green", "amber", "red"}
    assert items.filter(completed_on__isnull=False).exists()
    assert items.filter(keyproject__latitude__isnull=False).count() >= 35
    reports = ProgressReport.objects.filter(item__district=district)
    assert reports.count() > 150
    assert reports.filter(is_late=True).exists()
    assert reports.exclude(problems="").exists()
    assert reports.filter(week_start__gte=today()).count() == 0
    whistles = Whistle.objects.filter(item__district=district)
    assert set(whistles.values_list("state", flat=True)) == {"open", "answered", "closed"}
    assert whistles.filter(escalated_at__isnull=False).exists()

    # History is real and dated when it happened, not when the demo was loaded.
    events = ItemEvent.objects.filter(item__district=district)
    assert {"created", "reported", "status", "whistle", "updated"} <= set(events.values_list("kind", flat=True))
    first_report = events.filter(kind="reported").order_by("at").first()
    assert first_report.at.date() < today()
    assert events.filter(kind="created").order_by("at").first().at.month == 1

    # The logins are printed with the password and the address.
    assert "duchashi" in out and "fagai_tb" in out and DEMO_PASSWORD in out and DEMO_URL in out

    before = _snapshot(district)
    again = _load("--weeks", "4")
    assert _snapshot(district) == before
    assert District.objects.filter(code=DEMO_CODE).count() == 1
    assert "duchashi" in again and DEMO_PASSWORD in again

    # --reset deletes everything hanging on the district (notices, history…) and rebuilds it.
    _load("--reset", "--weeks", "1")
    rebuilt = District.objects.get(code=DEMO_CODE)
    assert rebuilt.pk != district.pk
    assert not District.objects.filter(pk=district.pk).exists()
    assert not Item.objects.filter(district_id=district.pk).exists()
    after = _snapshot(rebuilt)
    assert {k: after[k] for k in ("units", "people", "items")} == {k: before[k] for k in ("units", "people", "items")}
