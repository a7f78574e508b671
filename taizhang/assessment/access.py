"""Who may do what in assessment.

* the supervision office (督查室) defines and publishes schemes, approves bonuses and
  deductions, publishes scores, runs observation sessions and resolves objections;
* an assessor named on a manual rule enters scores for that rule;
* a judge named on an observation session scores its subjects;
* district leaders and the policy research office see everything, drafts included;
* units see published rankings, the drill-down of units in their scope, and their
  admins and reporters file objections for their own unit.

Anything of another district is 404; a draft is 404 for unit roles.
"""

from __future__ import annotations

from django.http import Http404

from taizhang.org.access import UNIT_EDIT_ROLES, scope_for
from taizhang.org.models import Person, Role

from .models import ObservationSession, Scheme


def is_supervisor(person: Person) -> bool:
    return person.is_authenticated and person.district_id is not None and person.role == Role.SUPERVISOR


def sees_drafts(person: Person) -> bool:
    return person.is_authenticated and person.district_id is not None and scope_for(person).whole_district


def schemes_visible_to(person: Person):
    if not person.is_authenticated or person.district_id is None:
        return Scheme.objects.none()
    qs = Scheme.objects.filter(district_id=person.district_id)
    if not sees_drafts(person):
        qs = qs.filter(state=Scheme.State.PUBLISHED)
    return qs


def access_scheme(person: Person, pk, *, for_edit: bool = False) -> Scheme:
    try:
        scheme = schemes_visible_to(person).get(pk=pk)
    except (Scheme.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if for_edit and not is_supervisor(person):
        raise Http404
    return scheme


def access_session(person: Person, pk) -> ObservationSession:
    if not person.is_authenticated or person.district_id is None:
        raise Http404
    try:
        return ObservationSession.objects.get(pk=pk, district_id=person.district_id)
    except (ObservationSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_see_unit(person: Person, unit_id: int) -> bool:
    scope = scope_for(person)
    return scope.district_id is not None and (scope.unit_ids is None or unit_id in scope.unit_ids)


def can_object_for(person: Person, unit_id: int) -> bool:
    """Only a unit admin or reporter of the unit itself files its objections."""
    return (
        person.is_authenticated
        and person.role in UNIT_EDIT_ROLES
        and person.unit_id is not None
        and person.unit_id == unit_id
    )
