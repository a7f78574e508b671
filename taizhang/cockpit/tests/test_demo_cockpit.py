"""The demo district's cockpit is populated: lights, indicators with a full year, published rankings."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.core.demo import demo_build
from taizhang.org.models import Person

pytestmark = pytest.mark.django_db


def test_demo_cockpit_shows_every_panel_filled():
    result = demo_build(today=dt.date(2026, 11, 21), weeks=2)
    client = Client()
    client.force_login(Person.objects.get(district=result.district, username="quzhang"))
    r = client.get(reverse("cockpit:index"))
    assert r.status_code == 200
    c = r.context["c"]
    assert sum(c.lights.values()) > 50 and all(c.lights.values())
    assert len(c.indicators) == 12 and all(row.rank for row in c.indicators)
    assert (c.indicators[1].year, c.indicators[1].month) == (2026, 10)
    assert 0 < c.indicators_behind < 12
    assert c.rankings and c.rankings[0]["rows"] and c.rankings[0]["title"]
    assert c.recent and c.mine is not None
    html = r.content.decode()
    assert "No published ranking yet." not in html
    assert client.get(reverse("cockpit:bigscreen")).status_code == 200
    assert client.get(reverse("indicators:index")).status_code == 200
