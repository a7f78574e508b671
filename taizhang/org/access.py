"""Who may see and change what: the one place unit scope is decided.

Rules (issue #2):
* nobody sees another district;
* district leaders, the supervision office and the policy research office see the
  whole district; the supervision and policy offices may also edit every item;
* unit admins, reporters and viewers see items where their unit — or a unit below
  it — is lead or cooperating; admins and reporters may edit those, viewers may not.

Each entity's module exposes ``access_<entity>(person, pk, *, for_edit=False)`` built
on :class:`Scope`, and list selectors filter with :meth:`Scope.unit_ids`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Person, Role, Unit

EDIT_ALL_ROLES = frozenset({Role.SUPERVISOR, Role.POLICY})
UNIT_EDIT_ROLES = frozenset({Role.UNIT_ADMIN, Role.REPORTER})


@dataclass(frozen=True)
class Scope:
    district_id: int | None
    # None: the whole district. Otherwise the units whose items this person sees.
    unit_ids: frozenset[int] | None
    role: str

    @property
    def whole_district(self) -> bool:
        return self.unit_ids is None

    @property
    def is_empty(self) -> bool:
        return self.district_id is None or (self.unit_ids is not None and not self.unit_ids)

    def can_edit(self, unit_ids: set[int]) -> bool:
        """May this person edit an item whose lead + cooperating units are ``unit_ids``?"""
        if self.role in EDIT_ALL_ROLES:
            return True
        if self.role in UNIT_EDIT_ROLES and self.unit_ids is not None:
            return bool(self.unit_ids & unit_ids)
        return False

    def can_see(self, unit_ids: set[int]) -> bool:
        if self.district_id is None:
            return False
        return self.unit_ids is None or bool(self.unit_ids & unit_ids)


def scope_for(person: Person) -> Scope:
    """Compute (and memoise on the person object for this request) their scope."""
    cached = getattr(person, "_taizhang_scope", None)
    if cached is not None:
        return cached
    if not person.is_authenticated or person.district_id is None:
        scope = Scope(district_id=None, unit_ids=frozenset(), role="")
    elif person.sees_whole_district:
        scope = Scope(district_id=person.district_id, unit_ids=None, role=person.role)
    elif person.unit_id is None:
        scope = Scope(district_id=person.district_id, unit_ids=frozenset(), role=person.role)
    else:
        # Signed-in requests bring the subtree along (selectors.person_for_request).
        ids = getattr(person, "unit_subtree_ids", None)
        if ids is None:
            ids = Unit.objects.filter(district_id=person.district_id, path__startswith=person.unit.path).values_list(
                "id", flat=True
            )
        scope = Scope(district_id=person.district_id, unit_ids=frozenset(ids), role=person.role)
    person._taizhang_scope = scope
    return scope


def units_of_district(person: Person):
    """Units a person may pick from (assigning cooperating units, whistles…)."""
    return Unit.objects.filter(district_id=person.district_id, is_active=True)
