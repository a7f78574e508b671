"""The demo district shows a full assessment year."""

import datetime as dt

import pytest
from django.test import Client

from taizhang.assessment.models import Objection, ObservationSession, Scheme, ScoreRun
from taizhang.assessment.selectors import latest_rankings
from taizhang.core.demo import demo_build
from taizhang.org.models import Person

pytestmark = pytest.mark.django_db


def test_demo_has_published_scheme_runs_with_movement_observation_and_objections():
    result = demo_build(today=dt.date(2026, 11, 21), weeks=4)
    district = result.district
    scheme = Scheme.objects.get(district=district)
    assert scheme.state == "published" and scheme.groups.count() == 2
    runs = ScoreRun.objects.filter(scheme=scheme, published_at__isnull=False)
    assert runs.count() == 3
    groups = latest_rankings(district)
    assert [g["group"] for g in groups] == ["镇街", "区直部门"]
    assert any(r["movement"] for g in groups for r in g["rows"])
    session = ObservationSession.objects.get(district=district)
    assert session.state == "published" and session.subjects.count() == 8 and session.judges.count() == 5
    assert session.scores.count() == 8 * 5 * 4
    states = sorted(Objection.objects.filter(scheme=scheme).values_list("state", flat=True))
    assert states == ["accepted", "rejected"]
    c = Client()
    c.force_login(Person.objects.get(username="duchashi"))
    assert c.get("/assessment/").status_code == 200
