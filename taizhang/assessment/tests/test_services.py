"""Recomputation pinned with hand-computed scores: ties, missing data, a mid-year joiner."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.assessment import selectors, services
from taizhang.assessment.models import Objection, RuleScore, ScoreRun, UnitScore

from .conftest import d


def totals(run):
    return {us.unit.name: (us.total, us.rank) for us in run.unit_scores.select_related("unit")}


def q1_run(s):
    # Manual scores: dept_a 36, dept_b 11, dept_d 40 (one assessor); mean of one = itself.
    services.manual_score_enter(actor=s.world.policy, rule=s.r_manual, period=s.q1, unit=s.world.dept_a, points=36)
    services.manual_score_enter(actor=s.world.policy, rule=s.r_manual, period=s.q1, unit=s.world.dept_b, points=11)
    services.manual_score_enter(actor=s.world.policy, rule=s.r_manual, period=s.q1, unit=s.dept_d, points=40)
    return services.scores_recompute(scheme=s.scheme, period=s.q1, as_of=d(3, 31))


def test_q1_hand_computed_with_a_tie_and_missing_data(setup):
    s = setup
    run = q1_run(s)
    # dept_a: rate 50 % → 15; 1 overdue → 30 − 10 = 20; manual 36 → 71
    # dept_b: no task due → full 30; 0 overdue → 30; manual 11 → 71 (tie with dept_a)
    # dept_d: rate 0 → 0; 1 overdue → 20; manual 40 → 60, rank 3 (rank 2 skipped)
    # dept_c joined on 15 May: not ranked in Q1. The street: nothing overdue → 100.
    assert totals(run) == {
        "发改局": (D("71.00"), 1),
        "住建局": (D("71.00"), 1),
        "工信局": (D("60.00"), 3),
        "金台街道": (D("100.00"), 1),
    }
    a_rate = RuleScore.objects.get(unit_score__run=run, unit_score__unit=s.world.dept_a, rule=s.r_rate)
    assert a_rate.value == D("50.00") and a_rate.points == D("15.00")
    assert len(a_rate.facts["ids"]) == 2 and a_rate.facts["window"] == ["2026-01-01", "2026-03-31"]
    b_rate = RuleScore.objects.get(unit_score__run=run, unit_score__unit=s.world.dept_b, rule=s.r_rate)
    assert b_rate.value is None and b_rate.facts["missing"] is True and b_rate.points == D("30.00")


def test_recompute_is_idempotent_and_reproducible(setup):
    s = setup
    run = q1_run(s)
    before = list(RuleScore.objects.filter(unit_score__run=run).values_list("rule_id", "points", "facts"))
    again = services.scores_recompute(scheme=s.scheme, period=s.q1, as_of=d(3, 31))
    assert again.pk == run.pk and again.revision == run.revision == 1
    # Same data computed from scratch gives the same scores.
    assert services.compute_scores(scheme=s.scheme, period=s.q1, as_of=d(3, 31)) == services.compute_scores(
        scheme=s.scheme, period=s.q1, as_of=d(3, 31)
    )
    ScoreRun.objects.all().delete()
    fresh = services.scores_recompute(scheme=s.scheme, period=s.q1, as_of=d(3, 31))
    after = list(RuleScore.objects.filter(unit_score__run=fresh).values_list("rule_id", "points", "facts"))
    assert sorted(before, key=str) == sorted(after, key=str)


def test_data_change_recomputes(setup):
    s = setup
    q1_run(s)
    services.manual_score_enter(actor=s.world.policy, rule=s.r_manual, period=s.q1, unit=s.dept_d, points=39)
    run = ScoreRun.objects.get(period=s.q1)
    assert run.revision == 2
    assert totals(run)["工信局"] == (D("59.00"), 3)


def test_mid_year_joiner_scored_from_joining_day_and_movement(setup):
    s = setup
    q1 = q1_run(s)
    services.score_run_publish(actor=s.world.supervisor, run=q1)
    adj = services.adjustment_propose(
        actor=s.world.supervisor, rule=s.r_adjust, period=s.q2, unit=s.world.dept_a, points=2, reason="获省级表彰"
    )
    services.manual_score_enter(actor=s.world.policy, rule=s.r_manual, period=s.q2, unit=s.dept_c, points=30)
    run = services.scores_recompute(scheme=s.scheme, period=s.q2, as_of=d(6, 30))
    # A proposal does not count until approved.
    assert totals(run)["发改局"] == (D("60.00"), 2)
    with pytest.raises(PermissionDenied):
        services.adjustment_decide(actor=s.world.supervisor, adjustment=adj, approve=True)
    services.adjustment_decide(actor=s.supervisor2, adjustment=adj, approve=True)
    run.refresh_from_db()
    # dept_c: the task missed on 1 May is before it joined → rate 100 → 30, overdue 0 → 30, manual 30 → 90.
    # dept_a: nothing due → 30 + 30 + manual 0 + bonus 2 = 62; dept_b, dept_d: 60 (tie, rank 3).
    assert totals(run) == {
        "商务局": (D("90.00"), 1),
        "发改局": (D("62.00"), 2),
        "住建局": (D("60.00"), 3),
        "工信局": (D("60.00"), 3),
        "金台街道": (D("100.00"), 1),
    }
    c_rate = RuleScore.objects.get(unit_score__run=run, unit_score__unit=s.dept_c, rule=s.r_rate)
    assert c_rate.facts["window"] == ["2026-05-15", "2026-06-30"] and c_rate.value == D("100.00")
    bonus = RuleScore.objects.get(unit_score__run=run, unit_score__unit=s.world.dept_a, rule=s.r_adjust)
    assert bonus.facts["adjustments"][0]["reason"] == "获省级表彰"

    services.score_run_publish(actor=s.world.supervisor, run=run)
    groups = selectors.latest_rankings(s.world.district)
    depts = {r["unit"]: r for r in groups[0]["rows"]}
    assert groups[0]["group"] == "区直部门"
    assert depts["商务局"]["movement"] is None and depts["商务局"]["previous_rank"] is None
    assert (depts["发改局"]["previous_rank"], depts["发改局"]["rank"], depts["发改局"]["movement"]) == (1, 2, -1)
    assert depts["住建局"]["movement"] == -2
    assert depts["工信局"]["movement"] == 0
    assert [r["unit"] for r in groups[0]["rows"]][:2] == ["商务局", "发改局"]


def test_latest_rankings_empty_before_publication(setup):
    q1_run(setup)
    assert selectors.latest_rankings(setup.world.district) == []


def test_objection_accepted_changes_the_score_with_history(setup):
    s = setup
    run = services.score_run_publish(actor=s.world.supervisor, run=q1_run(s))
    published = run.published_at.date()
    rs = RuleScore.objects.get(unit_score__run=run, unit_score__unit=s.world.dept_b, rule=s.r_manual)
    with pytest.raises(PermissionDenied):
        services.objection_file(actor=s.world.reporter_a, rule_score=rs, reason="不是我们单位", today=published)
    with pytest.raises(ValidationError, match="window closed"):
        services.objection_file(
            actor=s.world.reporter_b, rule_score=rs, reason="太晚", today=published + dt.timedelta(days=30)
        )
    obj = services.objection_file(
        actor=s.world.reporter_b, rule_score=rs, reason="党建材料已报送未计分", today=published
    )
    with pytest.raises(ValidationError, match="already under review"):
        services.objection_file(actor=s.world.reporter_b, rule_score=rs, reason="再次", today=published)
    with pytest.raises(ValidationError):
        services.objection_resolve(
            actor=s.world.supervisor, objection=obj, accept=True, resolution="核实", points_after=41
        )
    services.objection_resolve(
        actor=s.world.supervisor, objection=obj, accept=True, resolution="经核实补计分", points_after=20
    )
    run.refresh_from_db()
    assert run.revision == 2
    # dept_b: 30 + 30 + 20 = 80 → rank 1; dept_a 71 → 2.
    assert totals(run)["住建局"] == (D("80.00"), 1) and totals(run)["发改局"] == (D("71.00"), 2)
    rs = RuleScore.objects.get(unit_score__run=run, unit_score__unit=s.world.dept_b, rule=s.r_manual)
    assert rs.facts["objection"] == {"id": obj.pk, "computed": "11.00", "points": "20.00"}
    obj.refresh_from_db()
    assert obj.state == Objection.State.ACCEPTED
    assert [e.action for e in obj.events.all()] == ["filed", "accepted"]


def test_objection_rejected_keeps_score(setup):
    s = setup
    run = services.score_run_publish(actor=s.world.supervisor, run=q1_run(s))
    rs = RuleScore.objects.get(unit_score__run=run, unit_score__unit=s.world.dept_a, rule=s.r_rate)
    obj = services.objection_file(actor=s.world.admin_a, rule_score=rs, reason="有异议", today=run.published_at.date())
    services.objection_resolve(actor=s.world.supervisor, objection=obj, accept=False, resolution="计分无误")
    run.refresh_from_db()
    assert run.revision == 1 and UnitScore.objects.get(run=run, unit=s.world.dept_a).total == D("71.00")


def test_manual_score_refusals(setup):
    s = setup
    with pytest.raises(ValidationError, match="between 0 and 40"):
        services.manual_score_enter(actor=s.world.policy, rule=s.r_manual, period=s.q1, unit=s.world.dept_a, points=41)
    with pytest.raises(PermissionDenied):
        services.manual_score_enter(actor=s.world.leader, rule=s.r_manual, period=s.q1, unit=s.world.dept_a, points=4)
    with pytest.raises(ValidationError, match="not assessed"):
        services.manual_score_enter(actor=s.world.policy, rule=s.r_manual, period=s.q1, unit=s.world.street, points=4)
    run = services.score_run_publish(actor=s.world.supervisor, run=q1_run(s))
    assert run.is_published
    with pytest.raises(ValidationError, match="published"):
        services.manual_score_enter(actor=s.world.policy, rule=s.r_manual, period=s.q1, unit=s.world.dept_a, points=4)


def test_adjustment_outside_cap_refused(setup):
    s = setup
    with pytest.raises(ValidationError, match="±5"):
        services.adjustment_propose(
            actor=s.world.supervisor, rule=s.r_adjust, period=s.q2, unit=s.world.dept_a, points=-6, reason="x"
        )


@pytest.mark.django_db(transaction=True)  # real commits: the recomputation runs after one
def test_a_ledger_change_recomputes_the_scores_after_commit(setup):
    from taizhang.ledger.models import KeyTask
    from taizhang.ledger.services import item_update

    s = setup
    run = q1_run(s)
    assert totals(run)["工信局"] == (D("60.00"), 3)
    missed = KeyTask.objects.get(lead_unit=s.dept_d, deadline=d(3, 1))
    revision = run.revision
    # The unit proves the task was in fact finished on time: the score follows, with no button pressed.
    item_update(
        actor=s.world.supervisor, item=missed, expected_version=missed.version, values={"completed_on": d(2, 27)}
    )
    run.refresh_from_db()
    assert run.revision == revision + 1
    assert totals(run)["工信局"] != (D("60.00"), 3)


def test_nothing_is_scheduled_when_the_transaction_rolls_back(setup, django_capture_on_commit_callbacks):
    from django.db import transaction

    from taizhang.ledger.models import KeyTask
    from taizhang.ledger.services import item_update

    s = setup
    missed = KeyTask.objects.get(lead_unit=s.dept_d, deadline=d(3, 1))
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            item_update(
                actor=s.world.supervisor,
                item=missed,
                expected_version=missed.version,
                values={"completed_on": d(2, 27)},
            )
            raise RuntimeError
    assert callbacks == []


def test_no_recomputation_is_scheduled_where_no_scheme_is_published(world, django_capture_on_commit_callbacks):
    from taizhang.ledger.services import item_update

    task = world.task_coop
    with django_capture_on_commit_callbacks() as callbacks:
        item_update(actor=world.supervisor, item=task, expected_version=task.version, values={"code": "RW-1"})
    assert callbacks == []
