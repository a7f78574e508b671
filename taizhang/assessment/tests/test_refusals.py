"""Bad schemes and bad scores are refused with a clear message."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.assessment import services
from taizhang.core.testing import make_person, make_project
from taizhang.org.models import Role


@pytest.fixture
def draft(world):
    scheme = services.scheme_create(actor=world.supervisor, district=world.district, year=2026, name="方案")
    group = services.group_create(actor=world.supervisor, scheme=scheme, name="部门", units=[world.dept_a])
    return scheme, group


def test_weights_not_summing_to_100_refused_on_publish(world, draft):
    scheme, group = draft
    cat = services.category_create(actor=world.supervisor, group=group, name="经济发展", weight=70)
    services.category_create(actor=world.supervisor, group=group, name="党建", weight=20)
    services.rule_create(
        actor=world.supervisor,
        category=cat,
        name="逾期",
        kind="auto",
        max_points=60,
        metric="overdue_items",
        formula="per_occurrence",
        params={"points_each": 5},
    )
    with pytest.raises(ValidationError) as exc:
        services.scheme_publish(actor=world.supervisor, scheme=scheme)
    text = " ".join(exc.value.messages)
    assert "add up to 90.00, not 100" in text
    assert "give 60.00 points, but its weight is 70.00" in text
    assert "Category “党建” has no rules" in text
    scheme.refresh_from_db()
    assert scheme.is_draft


def test_rule_referring_to_nothing_refused(world, draft):
    _scheme, group = draft
    cat = services.category_create(actor=world.supervisor, group=group, name="经济发展", weight=100)
    with pytest.raises(ValidationError, match="metric “gdp_growth”, which does not exist"):
        services.rule_create(
            actor=world.supervisor,
            category=cat,
            name="GDP",
            kind="auto",
            max_points=10,
            metric="gdp_growth",
            formula="linear",
            params={"low": 0, "high": 10},
        )
    with pytest.raises(ValidationError, match="formula parameter “high” is missing"):
        services.rule_create(
            actor=world.supervisor,
            category=cat,
            name="按时率",
            kind="auto",
            max_points=10,
            metric="task_on_time_rate",
            formula="linear",
            params={"low": 0},
        )


def test_only_the_supervision_office_defines_schemes(world, draft):
    with pytest.raises(PermissionDenied):
        services.scheme_create(actor=world.admin_a, district=world.district, year=2026, name="x")
    with pytest.raises(PermissionDenied):
        services.scheme_create(actor=world.outsider, district=world.district, year=2026, name="x")


def test_published_scheme_is_frozen(world, draft):
    scheme, group = draft
    cat = services.category_create(actor=world.supervisor, group=group, name="综合", weight=100)
    services.rule_create(
        actor=world.supervisor,
        category=cat,
        name="逾期",
        kind="auto",
        max_points=100,
        metric="overdue_items",
        formula="per_occurrence",
        params={"points_each": 5},
    )
    services.scheme_publish(actor=world.supervisor, scheme=scheme)
    with pytest.raises(ValidationError, match="published"):
        services.category_create(actor=world.supervisor, group=group, name="新增", weight=1)


def test_observation_judge_cannot_score_twice_and_range_checked(world):
    judges = [make_person(world.district, Role.LEADER, name=f"评委{i}") for i in range(5)]
    projects = [make_project(world.district, world.dept_a, name=f"项目{i}") for i in range(3)]
    session = services.observation_create(
        actor=world.supervisor,
        district=world.district,
        title="三季度观摩",
        held_on=dt.date(2026, 9, 25),
        judges=judges,
        items=projects,
    )
    criteria = list(session.criteria.all())
    assert [c.name for c in criteria] == ["看谋划比落地", "看进度比位次", "看增量比贡献", "看亩均比效益"]
    subjects = list(session.subjects.all())
    # Project 0: criterion 1 scores 20, 22, 18, 25, 10 → drop 25 and 10 → 20.00; others 20 each → total 80.00
    # Project 1: every score 21 → 84.00 ; Project 2: every score 20 → 80.00 (tie with project 0)
    first = [20, 22, 18, 25, 10]
    for j, judge in enumerate(judges):
        services.judge_score_submit(
            actor=judge,
            session=session,
            subject=subjects[0],
            points={c.pk: (first[j] if i == 0 else 20) for i, c in enumerate(criteria)},
        )
        services.judge_score_submit(
            actor=judge, session=session, subject=subjects[1], points={c.pk: 21 for c in criteria}
        )
        services.judge_score_submit(
            actor=judge, session=session, subject=subjects[2], points={c.pk: 20 for c in criteria}
        )
    with pytest.raises(ValidationError, match="already scored"):
        services.judge_score_submit(
            actor=judges[0], session=session, subject=subjects[0], points={c.pk: 1 for c in criteria}
        )
    with pytest.raises(PermissionDenied):
        services.judge_score_submit(actor=world.leader, session=session, subject=subjects[0], points={})
    services.observation_publish(actor=world.supervisor, session=session)
    results = {s.item.name: (s.total, s.rank) for s in session.subjects.select_related("item")}
    assert results == {"项目1": (D("84.00"), 1), "项目0": (D("80.00"), 2), "项目2": (D("80.00"), 2)}
    with pytest.raises(ValidationError, match="closed"):
        services.judge_score_submit(actor=judges[1], session=session, subject=subjects[0], points={})


def test_judge_score_out_of_range_refused(world):
    judge = make_person(world.district, Role.LEADER, name="评委")
    session = services.observation_create(
        actor=world.supervisor,
        district=world.district,
        title="实绩竞赛",
        held_on=dt.date(2026, 9, 25),
        judges=[judge],
        units=[world.dept_a, world.dept_b],
        criteria=[("发言", 40), ("实绩", 60)],
        trim=0,
    )
    c1, c2 = session.criteria.all()
    subject = session.subjects.first()
    with pytest.raises(ValidationError, match="scored from 0 to 40"):
        services.judge_score_submit(actor=judge, session=session, subject=subject, points={c1.pk: 41, c2.pk: 10})
    assert not session.scores.exists()
