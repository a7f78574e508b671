"""Permission-checked fetches of ledger items (the only way views and the API get one).

An item outside the person's scope is *not found* (404), never "forbidden": a 403
would confirm it exists. An item the person may see but not change is 403 on edit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from taizhang.org.access import scope_for
from taizhang.org.models import Person

from .models import Item, KeyProject, KeyTask, Whistle


def item_unit_ids(item: Item) -> set[int]:
    return {item.lead_unit_id, *(u.id for u in item.cooperating_units.all())}


def can_edit_item(person: Person, item: Item) -> bool:
    scope = scope_for(person)
    return scope.district_id == item.district_id and scope.can_edit(item_unit_ids(item))


def can_report_on_item(person: Person, item: Item) -> bool:
    """Progress is reported by the units on the item (and the supervision office)."""
    return can_edit_item(person, item)


def _access(model, person: Person, pk, *, for_edit: bool):
    scope = scope_for(person)
    try:
        obj = (
            model.objects.for_scope(scope)
            .select_related("lead_unit", "district")
            .prefetch_related("cooperating_units", "leaders")
            .get(pk=pk)
        )
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if for_edit and not scope.can_edit(item_unit_ids(obj)):
        raise PermissionDenied
    return obj


def access_item(person: Person, pk, *, for_edit: bool = False) -> Item:
    return _access(Item, person, pk, for_edit=for_edit)


def access_project(person: Person, pk, *, for_edit: bool = False) -> KeyProject:
    return _access(KeyProject, person, pk, for_edit=for_edit)


def access_task(person: Person, pk, *, for_edit: bool = False) -> KeyTask:
    return _access(KeyTask, person, pk, for_edit=for_edit)


def visible_item_ids(person: Person, item_ids) -> set[int]:
    """Which of these items the person may open: a unit summoned by a whistle sees the
    whistle, not necessarily its item (no link to a page that would answer 404)."""
    scope = scope_for(person)
    ids = set(item_ids)
    if scope.unit_ids is None or not ids:
        return ids if scope.district_id is not None else set()
    return set(Item.objects.for_scope(scope).filter(pk__in=ids).values_list("pk", flat=True))


def access_whistle(person: Person, pk) -> Whistle:
    """A whistle is visible to whoever sees its item, and to every summoned unit."""
    scope = scope_for(person)
    try:
        whistle = Whistle.objects.select_related("item", "raised_by_unit").get(
            pk=pk, item__district_id=scope.district_id
        )
    except (Whistle.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if scope.unit_ids is None:
        return whistle
    summoned = set(whistle.responses.values_list("unit_id", flat=True))
    if scope.unit_ids & summoned or Item.objects.for_scope(scope).filter(pk=whistle.item_id).exists():
        return whistle
    raise Http404


def can_import_ledger(person: Person) -> bool:
    """The two offices compile the ledger; units add their own items one by one."""
    from taizhang.org.models import Role

    return person.district_id is not None and person.role in (Role.SUPERVISOR, Role.POLICY)


def can_create_items(person: Person) -> bool:
    from taizhang.org.models import Role

    return person.district_id is not None and person.role in (Role.SUPERVISOR, Role.POLICY, Role.UNIT_ADMIN)
