"""Who may see and act on supervision notices.

* district leaders, the supervision office and the policy research office see every
  notice of their district;
* unit roles see the notices addressed to a unit in their scope (their unit and
  the units below it);
* only the supervision office issues, generates and closes notices;
* only a unit admin or reporter of the addressee unit (or a unit above it) replies.

A notice outside the person's scope is 404, like a ledger item.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from taizhang.org.access import UNIT_EDIT_ROLES, scope_for
from taizhang.org.models import Person, Role

from .models import SupervisionNotice


def notices_visible_to(person: Person) -> QuerySet:
    scope = scope_for(person)
    if scope.district_id is None:
        return SupervisionNotice.objects.none()
    qs = SupervisionNotice.objects.filter(district_id=scope.district_id)
    if scope.unit_ids is not None:
        qs = qs.filter(unit_id__in=scope.unit_ids)
    return qs


def access_notice(person: Person, pk) -> SupervisionNotice:
    try:
        return (
            notices_visible_to(person)
            .select_related("item", "unit", "district", "issued_by", "replied_by", "closed_by")
            .get(pk=pk)
        )
    except (SupervisionNotice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_supervisor(person: Person) -> bool:
    return person.is_authenticated and person.district_id is not None and person.role == Role.SUPERVISOR


def can_reply_notice(person: Person, notice: SupervisionNotice) -> bool:
    scope = scope_for(person)
    return (
        scope.district_id == notice.district_id
        and scope.role in UNIT_EDIT_ROLES
        and scope.unit_ids is not None
        and notice.unit_id in scope.unit_ids
    )


def can_close_notice(person: Person, notice: SupervisionNotice) -> bool:
    return is_supervisor(person) and person.district_id == notice.district_id


def sees_board(person: Person) -> bool:
    """The supervision board is for the whole-district roles."""
    return scope_for(person).whole_district and person.district_id is not None
