"""The case's closed loop through the services: legal paths, refused ones, races."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from taizhang.core.models import Notification
from taizhang.core.testing import make_person
from taizhang.grid import services
from taizhang.grid.models import Case, CaseAssignment, CaseEvent
from taizhang.grid.services import ConcurrentCaseError, IllegalTransition
from taizhang.org.models import Role

S = Case.State


def report(g, *, category=None, at=None, point=None, **kw):
    lat, lng = point or g.inside
    return services.case_report(
        district=g.world.district,
        category=category or g.road,
        description="人行道地砖破损，长约3米",
        lat=lat,
        lng=lng,
        reporter=kw.pop("reporter", g.worker),
        now=at,
        **kw,
    )


def test_full_loop_records_every_change_with_who_and_when(g, django_capture_on_commit_callbacks):
    w = g.world
    case = report(g)
    assert case.state == S.REPORTED and case.cell == g.cell and case.street == w.street
    case = services.case_register(actor=g.dispatcher, case=case, expected_version=case.version)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_dispatch(actor=g.dispatcher, case=case, units=[w.dept_b], expected_version=case.version)
    assert case.state == S.DISPATCHED
    case = services.case_accept(actor=w.reporter_b, case=case)
    assert case.state == S.HANDLING
    case = services.case_handle(actor=w.reporter_b, case=case, result="已更换地砖")
    assert case.state == S.HANDLED
    case = services.case_verify(actor=g.worker, case=case, passed=True)
    assert case.state == S.CLOSED and case.closed_at and case.verified_by == g.worker
    case = services.case_rate(case=case, satisfaction=5)
    events = list(CaseEvent.objects.filter(case=case).values_list("action", "from_state", "to_state", "actor_id"))
    assert events == [
        ("report", "", "reported", g.worker.pk),
        ("register", "reported", "registered", g.dispatcher.pk),
        ("dispatch", "registered", "dispatched", g.dispatcher.pk),
        ("accept", "dispatched", "handling", w.reporter_b.pk),
        ("handle", "handling", "handled", w.reporter_b.pk),
        ("verify", "handled", "closed", g.worker.pk),
        ("rate", "closed", "closed", None),
    ]
    assert all(e.at for e in CaseEvent.objects.filter(case=case))
    assert Notification.objects.filter(recipient=w.reporter_b).exists()


def test_closing_an_undispatched_case_is_refused(g):
    case = report(g)
    with pytest.raises(IllegalTransition):
        services.case_verify(actor=g.dispatcher, case=case, passed=True)
    case = services.case_register(actor=g.dispatcher, case=case)
    with pytest.raises(IllegalTransition):
        services.case_verify(actor=g.dispatcher, case=case, passed=True)
    with pytest.raises(IllegalTransition):
        services.case_rate(case=case, satisfaction=4)
    assert Case.objects.get(pk=case.pk).state == S.REGISTERED


def test_dispatching_before_registration_is_refused_but_confirm_does_both(g):
    case = report(g)
    with pytest.raises(IllegalTransition):
        services.case_dispatch(actor=g.dispatcher, case=case, units=[g.world.dept_b])
    case = services.case_dispatch_confirm(actor=g.dispatcher, case=case, units=[g.world.dept_b])
    assert case.state == S.DISPATCHED


def test_only_dispatchers_dispatch_and_only_assigned_units_handle(g):
    w = g.world
    case = services.case_register(actor=g.dispatcher, case=report(g))
    with pytest.raises(PermissionDenied):
        services.case_dispatch(actor=w.supervisor, case=case, units=[w.dept_b])
    case = services.case_dispatch(actor=g.dispatcher, case=case, units=[w.dept_b])
    with pytest.raises(PermissionDenied):
        services.case_accept(actor=w.reporter_a, case=case)  # dept_a is not on the case
    with pytest.raises(PermissionDenied):
        services.case_handle(actor=w.viewer_a, case=case, result="x")


def test_verifying_your_own_handling_is_refused(g):
    w = g.world
    dispatcher_in_dept = make_person(w.district, Role.DISPATCHER, w.dept_b, name="住建调度")
    case = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g), units=[w.dept_b])
    case = services.case_handle(actor=w.reporter_b, case=case, result="修好了")
    for actor in (w.reporter_b, dispatcher_in_dept, g.worker2, w.supervisor):
        with pytest.raises(PermissionDenied):
            services.case_verify(actor=actor, case=case, passed=True)
    assert Case.objects.get(pk=case.pk).state == S.HANDLED


def test_two_dispatchers_at_once_exactly_one_wins(g):
    w = g.world
    case = services.case_register(actor=g.dispatcher, case=report(g))
    seen_by_first = Case.objects.get(pk=case.pk)
    seen_by_second = Case.objects.get(pk=case.pk)
    services.case_dispatch(
        actor=g.dispatcher, case=seen_by_first, units=[w.dept_b], expected_version=seen_by_first.version
    )
    with pytest.raises(ConcurrentCaseError):
        services.case_dispatch(
            actor=g.dispatcher2, case=seen_by_second, units=[w.dept_a], expected_version=seen_by_second.version
        )
    # Without a version the state still guards: a dispatched case cannot be dispatched again.
    with pytest.raises(IllegalTransition):
        services.case_dispatch(actor=g.dispatcher2, case=seen_by_second, units=[w.dept_a])
    assert list(CaseAssignment.objects.filter(case=case).values_list("unit_id", flat=True)) == [w.dept_b.pk]


def test_return_goes_back_to_the_centre_with_its_reason_and_can_be_redispatched(g, django_capture_on_commit_callbacks):
    w = g.world
    case = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g), units=[w.dept_a])
    with pytest.raises(ValidationError):
        services.case_return(actor=w.reporter_a, case=case, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_return(actor=w.reporter_a, case=case, reason="不属于本单位职责")
    assert case.state == S.RETURNED and case.return_count == 1 and case.dispatch_due is not None
    assert CaseEvent.objects.filter(case=case, action="return", note="不属于本单位职责").exists()
    assert Notification.objects.filter(recipient=g.dispatcher, url__contains=str(case.pk)).exists()
    case = services.case_dispatch(actor=g.dispatcher, case=case, units=[w.dept_b])
    assert case.state == S.DISPATCHED


def test_joint_dispatch_each_department_has_its_own_clock_and_case_waits_for_all(g):
    w = g.world
    case = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g), units=[w.dept_b, w.dept_a])
    a_b, a_a = CaseAssignment.objects.filter(case=case).order_by("id")
    assert a_b.is_lead and not a_a.is_lead and a_b.due_at and a_a.due_at
    case = services.case_handle(actor=w.reporter_b, case=case, result="地砖已换")
    assert case.state == S.HANDLING
    case = services.case_return(actor=w.reporter_a, case=case, reason="非本单位职责")
    assert case.state == S.HANDLED  # the only department left has handled it


def test_failed_verification_sends_back_for_rework(g):
    w = g.world
    case = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g), units=[w.dept_b])
    case = services.case_handle(actor=w.reporter_b, case=case, result="处理")
    with pytest.raises(ValidationError):
        services.case_verify(actor=g.worker, case=case, passed=False, note="")
    case = services.case_verify(actor=g.worker, case=case, passed=False, note="仍有破损")
    assert case.state == S.REWORK and case.rework_count == 1
    case = services.case_handle(actor=w.reporter_b, case=case, result="再次处理")
    case = services.case_verify(actor=g.dispatcher, case=case, passed=True)
    assert case.state == S.CLOSED


def test_reopen_only_within_the_window(g):
    w = g.world
    t0 = timezone.now() - dt.timedelta(days=30)
    case = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g, at=t0), units=[w.dept_b], now=t0)
    case = services.case_handle(actor=w.reporter_b, case=case, result="ok", now=t0)
    case = services.case_verify(actor=g.worker, case=case, passed=True, now=t0)
    with pytest.raises(IllegalTransition):
        services.case_reopen(case=case, reason="又坏了")
    case2 = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g, category=g.litter), units=[w.dept_a])
    case2 = services.case_handle(actor=w.reporter_a, case=case2, result="ok")
    case2 = services.case_verify(actor=g.dispatcher, case=case2, passed=True)
    with pytest.raises(PermissionDenied):
        services.case_reopen(case=case2, reason="x", actor=w.reporter_a)
    case2 = services.case_reopen(case=case2, reason="又有垃圾")
    assert case2.state == S.REGISTERED and case2.reopen_count == 1 and case2.closed_at is None


def test_rating_once_and_in_range(g):
    w = g.world
    case = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g), units=[w.dept_b])
    case = services.case_handle(actor=w.reporter_b, case=case, result="ok")
    case = services.case_verify(actor=g.worker, case=case, passed=True)
    with pytest.raises(ValidationError):
        services.case_rate(case=case, satisfaction=6)
    services.case_rate(case=case, satisfaction=3)
    with pytest.raises(IllegalTransition):
        services.case_rate(case=case, satisfaction=5)


def test_point_is_placed_in_its_cell_and_outside_points_have_none(g):
    assert report(g, point=g.inside2).cell == g.cell2
    assert report(g, point=(34.30, 107.00)).cell is None
    # A concave (L-shaped) cell: the notch is outside although inside the bounding box.
    l_shape = {
        "type": "Polygon",
        "coordinates": [
            [
                [107.20, 34.40],
                [107.22, 34.40],
                [107.22, 34.41],
                [107.21, 34.41],
                [107.21, 34.42],
                [107.20, 34.42],
                [107.20, 34.40],
            ]
        ],
    }
    cell = services.cell_save(district=g.world.district, code="L", name="L", street=g.street2, geometry=l_shape)
    assert services.cell_for_point(district_id=g.world.district.pk, lat=34.415, lng=107.205) == cell
    assert services.cell_for_point(district_id=g.world.district.pk, lat=34.415, lng=107.215) is None


def test_duplicates_are_flagged_by_type_distance_and_time_and_can_be_merged(g):
    first = report(g)
    near = report(g, point=(g.inside[0] + 0.0002, g.inside[1]))  # ~22 m
    far = report(g, point=(g.inside[0] + 0.002, g.inside[1]))  # ~220 m
    other_type = report(g, category=g.litter)
    later = report(g, at=timezone.now() + dt.timedelta(days=5))
    assert near.possible_duplicate_of == first
    assert far.possible_duplicate_of is None and other_type.possible_duplicate_of is None
    assert later.possible_duplicate_of is None
    with pytest.raises(PermissionDenied):
        services.case_merge(actor=g.worker, case=near, into=first)
    merged = services.case_merge(actor=g.dispatcher, case=near, into=first)
    assert merged.state == S.MERGED and merged.merged_into == first
    with pytest.raises(IllegalTransition):
        services.case_merge(actor=g.dispatcher, case=merged, into=far)


def test_idempotency_key_records_a_report_once(g):
    a = report(g, idempotency_key="k-1")
    b = report(g, idempotency_key="k-1")
    assert a.pk == b.pk and b.replayed and not a.replayed
    assert Case.objects.filter(idempotency_key="k-1").count() == 1


def test_overdue_assignments_escalate_once_to_head_leader_and_centre(g, django_capture_on_commit_callbacks):
    from taizhang.grid.models import UnitLeader

    w = g.world
    head_b = make_person(w.district, Role.UNIT_ADMIN, w.dept_b, name="住建局长")
    UnitLeader.objects.create(unit=w.dept_b, leader=w.leader)
    t0 = timezone.now() - dt.timedelta(days=40)
    case = services.case_dispatch_confirm(actor=g.dispatcher, case=report(g, at=t0), units=[w.dept_b], now=t0)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cases_escalate() == 1
        assert services.cases_escalate() == 0
    for person in (head_b, w.leader, g.dispatcher):
        assert Notification.objects.filter(recipient=person, url__endswith=f"/{case.pk}/").count() >= 1
    assert not Notification.objects.filter(recipient=w.reporter_a).exists()


def test_escalating_many_overdue_cases_of_one_department_looks_its_people_up_once(g):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = g.world
    make_person(w.district, Role.UNIT_ADMIN, w.dept_b, name="住建局长")

    def person_lookups(n: int) -> int:
        t0 = timezone.now() - dt.timedelta(days=40)
        for _i in range(n):
            services.case_dispatch_confirm(actor=g.dispatcher, case=report(g, at=t0), units=[w.dept_b], now=t0)
        with CaptureQueriesContext(connection) as ctx:
            assert services.cases_escalate() == n
        return sum('FROM "org_person"' in q["sql"] for q in ctx.captured_queries)

    assert person_lookups(1) == person_lookups(4)
