"""Who sees and acts on which cases.

* Nobody sees another district.
* Dispatchers (command centre), district leaders, the supervision office and the
  policy office see every case of the district; only dispatchers register,
  dispatch, merge and reject.
* Department (and street) staff see cases assigned to their unit or a unit below
  it, and cases located in their street/community; admins and reporters of an
  assigned unit accept, return and report the handling.
* Grid workers see cases in their cells and the cases they reported; they verify
  the cases they reported.
* Citizens have no account: they reach their own case only through its tracking code.

A case outside a person's scope is 404 (``Http404``), never 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from taizhang.org.access import scope_for
from taizhang.org.models import Person, Role

from .models import Case, CaseAssignment, GridCell, GridMember

WHOLE_DISTRICT_ROLES = frozenset({Role.DISPATCHER, Role.LEADER, Role.SUPERVISOR, Role.POLICY})
HANDLER_ROLES = frozenset({Role.UNIT_ADMIN, Role.REPORTER})


@dataclass(frozen=True)
class GridScope:
    district_id: int | None
    whole_district: bool
    unit_ids: frozenset[int]
    cell_ids: frozenset[int]
    person_id: int | None
    role: str

    def cases_q(self) -> Q:
        if self.district_id is None:
            return Q(pk__in=[])
        if self.whole_district:
            return Q(district_id=self.district_id)
        q = Q(pk__in=[])
        if self.unit_ids:
            assigned = CaseAssignment.objects.filter(case_id=OuterRef("pk"), unit_id__in=self.unit_ids)
            q |= Q(Exists(assigned)) | Q(street_id__in=self.unit_ids)
        if self.cell_ids:
            q |= Q(cell_id__in=self.cell_ids)
        if self.person_id:
            q |= Q(reporter_id=self.person_id)
        return Q(district_id=self.district_id) & q


def grid_scope(person: Person) -> GridScope:
    cached = getattr(person, "_taizhang_grid_scope", None)
    if cached is not None:
        return cached
    if not person.is_authenticated or person.district_id is None:
        scope = GridScope(None, False, frozenset(), frozenset(), None, "")
    elif person.role in WHOLE_DISTRICT_ROLES:
        scope = GridScope(person.district_id, True, frozenset(), frozenset(), person.pk, person.role)
    else:
        base = scope_for(person)
        units = base.unit_ids or frozenset()
        cells = frozenset()
        if person.role == Role.GRID_WORKER:
            cells = frozenset(GridMember.objects.filter(person=person).values_list("cell_id", flat=True)) | frozenset(
                GridCell.objects.filter(head=person).values_list("id", flat=True)
            )
            units = frozenset()  # a grid worker's community unit does not make them a handler
        scope = GridScope(person.district_id, False, units, cells, person.pk, person.role)
    person._taizhang_grid_scope = scope
    return scope


def cases_for(person: Person):
    return Case.objects.filter(grid_scope(person).cases_q())


def access_case(person: Person, pk) -> Case:
    try:
        return cases_for(person).select_related("category__parent", "street", "cell", "reporter").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_dispatcher(person: Person) -> bool:
    return person.is_authenticated and person.role == Role.DISPATCHER


def handling_assignments(person: Person, case: Case) -> list[CaseAssignment]:
    """The case's active assignments this person may act on (accept, return, report handling)."""
    if person.role not in HANDLER_ROLES or person.district_id != case.district_id:
        return []
    units = scope_for(person).unit_ids or frozenset()
    return [a for a in case.assignments.all() if a.unit_id in units and a.state in CaseAssignment.ACTIVE]


def can_verify(person: Person, case: Case) -> bool:
    """The centre, or the grid worker who reported the case; never someone of a handling unit."""
    if person.district_id != case.district_id:
        return False
    handled_units = {a.unit_id for a in case.assignments.all() if a.state == CaseAssignment.State.HANDLED}
    handlers = {a.handled_by_id for a in case.assignments.all()}
    if person.pk in handlers or (person.unit_id and person.unit_id in handled_units):
        return False
    if person.role == Role.DISPATCHER:
        return True
    return person.role == Role.GRID_WORKER and case.reporter_id == person.pk
