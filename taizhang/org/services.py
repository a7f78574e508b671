"""Writes for districts, units and people."""

from __future__ import annotations

from django.db import transaction

from .models import District, Person, Role, Unit


@transaction.atomic
def unit_create(*, district: District, name: str, kind: str, parent: Unit | None = None, sort_order: int = 0) -> Unit:
    if parent is not None and parent.district_id != district.id:
        raise ValueError("parent unit belongs to another district")
    unit = Unit.objects.create(district=district, name=name, kind=kind, parent=parent, sort_order=sort_order)
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def person_create(
    *,
    username: str,
    password: str,
    district: District,
    role: str,
    unit: Unit | None = None,
    full_name: str = "",
    title: str = "",
    phone: str = "",
) -> Person:
    if unit is not None and unit.district_id != district.id:
        raise ValueError("unit belongs to another district")
    if role in (Role.UNIT_ADMIN, Role.REPORTER, Role.VIEWER) and unit is None:
        raise ValueError("unit roles need a unit")
    person = Person(
        username=username, district=district, unit=unit, role=role, full_name=full_name, title=title, phone=phone
    )
    person.set_password(password)
    person.save()
    return person
