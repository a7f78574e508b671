"""Escalation of cases overdue at the command centre (not dispatched in time), once per stay there."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils.translation import gettext

from taizhang.core.models import Notification
from taizhang.core.testing import make_person
from taizhang.grid import services
from taizhang.grid.clocks import TZ
from taizhang.grid.models import Case, CaseEvent, UnitLeader
from taizhang.org.models import Role

S = Case.State
# 2025-09-30 (Tuesday) is the last working day before the National Day holiday (10-01…10-08).
EVE = dt.datetime(2025, 9, 30, 16, 30, tzinfo=TZ)


def at(month, day, hour, minute=0):
    return dt.datetime(2025, month, day, hour, minute, tzinfo=TZ)


def report(g, when=EVE, **kw):
    lat, lng = g.inside
    return services.case_report(
        district=g.world.district,
        category=g.road,  # 2 working hours to dispatch
        description="路面塌陷，需尽快处置",
        lat=lat,
        lng=lng,
        reporter=g.worker,
        now=when,
        **kw,
    )


def escalations(case):
    return CaseEvent.objects.filter(case=case, action="escalate")


def told(person, case):
    return Notification.objects.filter(recipient=person, url__endswith=f"/{case.pk}/").count()


def test_dispatch_clock_runs_in_working_hours_across_the_holiday_then_escalates_once(
    g, django_capture_on_commit_callbacks
):
    w = g.world
    UnitLeader.objects.create(unit=g.centre, leader=w.leader)
    case = report(g)
    # One office hour left on the eve, one after the holiday: due 2025-10-09 10:00.
    assert case.dispatch_due == at(10, 9, 10)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cases_escalate(now=at(10, 3, 12)) == 0  # red on the calendar, not in working time
        assert services.cases_escalate(now=at(10, 9, 9, 59)) == 0
        assert services.cases_escalate(now=at(10, 9, 10, 1)) == 1
        assert services.cases_escalate(now=at(10, 9, 10, 2)) == 0
        assert services.cases_escalate(now=at(10, 20, 10)) == 0
    for person in (g.dispatcher, g.dispatcher2, w.leader):
        assert told(person, case) == 1, person
    # The leader in charge of the centre is set, so the supervision office is not bothered;
    # departments have nothing to do with an undispatched case.
    for person in (w.supervisor, w.reporter_b, w.admin_a, g.worker):
        assert told(person, case) == 0, person
    event = escalations(case).get()
    assert (event.unit, event.from_state, event.to_state, event.actor) == (g.centre, "reported", "reported", None)
    current = Case.objects.get(pk=case.pk)
    assert current.centre_escalated_at == at(10, 9, 10, 1)
    assert current.version == case.version  # escalation is not a change a dispatcher must reload for


def test_without_a_leader_for_the_centre_the_supervision_office_is_told(g, django_capture_on_commit_callbacks):
    w = g.world
    other_leader = make_person(w.district, Role.LEADER, name="李副区长")
    UnitLeader.objects.create(unit=w.dept_b, leader=other_leader)  # a department's leader, not the centre's
    case = report(g)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cases_escalate(now=at(10, 10, 9)) == 1
    assert told(w.supervisor, case) == 1 and told(g.dispatcher, case) == 1
    assert told(other_leader, case) == 0 and told(w.leader, case) == 0
    assert told(w.outsider, case) == 0  # another district's supervision office


def test_registering_does_not_restart_the_stay_but_a_return_and_a_reopen_do(g, django_capture_on_commit_callbacks):
    w = g.world
    case = report(g)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cases_escalate(now=at(10, 9, 11)) == 1
        case = services.case_register(actor=g.dispatcher, case=case, now=at(10, 9, 11, 30))
        assert services.cases_escalate(now=at(10, 9, 16)) == 0  # still the same stay at the centre

        case = services.case_dispatch(actor=g.dispatcher, case=case, units=[w.dept_b], now=at(10, 9, 16))
        assert Case.objects.get(pk=case.pk).centre_escalated_at is None
        case = services.case_return(actor=w.reporter_b, case=case, reason="不属于本单位职责", now=at(10, 10, 9))
        assert case.state == S.RETURNED and case.dispatch_due == at(10, 10, 11)
        assert services.cases_escalate(now=at(10, 10, 10, 59)) == 0
        assert services.cases_escalate(now=at(10, 10, 11, 1)) == 1
        assert services.cases_escalate(now=at(10, 10, 15)) == 0

        case = services.case_dispatch(actor=g.dispatcher, case=case, units=[w.dept_b], now=at(10, 10, 15))
        case = services.case_accept(actor=w.reporter_b, case=case, now=at(10, 10, 15, 10))
        case = services.case_handle(actor=w.reporter_b, case=case, result="已修复", now=at(10, 10, 16))
        # Awaiting verification: no clock runs there, so nothing escalates however long it waits.
        assert services.cases_escalate(now=at(10, 30, 9)) == 0
        case = services.case_verify(actor=g.worker, case=case, passed=True, now=at(10, 30, 9))
        case = services.case_reopen(case=case, reason="问题反弹", actor=g.worker, now=at(11, 3, 9))
        assert services.cases_escalate(now=at(11, 3, 10)) == 0
        assert services.cases_escalate(now=at(11, 3, 11, 1)) == 1
    assert escalations(case).count() == 3
    assert list(escalations(case).values_list("from_state", flat=True)) == ["reported", "returned", "registered"]
    text = gettext("Case #%(id)s was not dispatched in time by the command centre.") % {"id": case.pk}
    assert Notification.objects.filter(recipient=g.dispatcher, text=text).count() == 3


def test_rejected_merged_and_closed_cases_never_escalate(g, django_capture_on_commit_callbacks):
    rejected = report(g)
    services.case_reject(actor=g.dispatcher, case=rejected, reason="非城市管理事项", now=at(9, 30, 17))
    into = report(g, when=at(9, 29, 9))
    merged = report(g, when=at(9, 29, 10))
    services.case_merge(actor=g.dispatcher, case=merged, into=into, now=at(9, 29, 10, 30))
    services.case_dispatch_confirm(actor=g.dispatcher, case=into, units=[g.world.dept_b], now=at(9, 29, 11))
    waiting = report(g)  # the control: overdue at the centre
    with django_capture_on_commit_callbacks(execute=True):
        # ``into`` is overdue at the department by then: its assignment escalates, not the centre stage.
        assert services.cases_escalate(now=at(12, 1, 9)) == 2
    assert escalations(waiting).get().unit == g.centre
    assert escalations(into).get().unit == g.world.dept_b
    assert not escalations(rejected).exists() and not escalations(merged).exists()
    for case in (rejected, merged):
        assert Case.objects.get(pk=case.pk).centre_escalated_at is None
        assert told(g.dispatcher, case) == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_escalate_each_case_once(g):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL")
    cases = [report(g) for _ in range(12)]
    barrier = threading.Barrier(3)
    results, errors = [], []

    def run():
        from django.db import connections

        try:
            barrier.wait()
            results.append(services.cases_escalate(now=at(10, 9, 11)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and sum(results) == len(cases)
    for case in cases:
        assert escalations(case).count() == 1
        assert told(g.dispatcher, case) == 1


def test_case_history_names_the_platform_for_an_escalation_and_the_citizen_otherwise(g, client):
    case = report(g)
    services.cases_escalate(now=at(10, 9, 10, 1))
    client.force_login(g.dispatcher)
    body = client.get(f"/grid/cases/{case.pk}/").content.decode()
    assert "系统自动 · 超期督办" in body
    assert "群众/系统 · 超期督办" not in body
    assert "群众/系统 · 上报" not in body  # a grid worker reported this one: their name is shown
