"""Reads of the organisation that many pages need."""

from __future__ import annotations

from django.core.cache import cache

from .models import Person, Role, Unit

CHOICES_TTL = 600  # seconds; the signals below clear it on every change anyway


def _choices_key(district_id: int) -> str:
    return f"taizhang:org-choices:{district_id}"


def district_choices(district_id: int) -> dict[str, list[tuple[int, str]]]:
    """The district's active units and its leaders as (id, name) pairs, for filter drop-downs.

    Every list page shows both; they change rarely, so they are cached and cleared when a
    unit or a person of the district is saved or deleted (``clear_district_choices``).
    """
    key = _choices_key(district_id)
    hit = cache.get(key)
    if hit is None:
        hit = {
            "units": list(Unit.objects.filter(district_id=district_id, is_active=True).values_list("id", "name")),
            "leaders": [
                (pk, full_name or username)
                for pk, full_name, username in Person.objects.filter(district_id=district_id, role=Role.LEADER)
                .order_by("id")
                .values_list("id", "full_name", "username")
            ],
        }
        cache.set(key, hit, CHOICES_TTL)
    return hit


def clear_district_choices(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in changes nothing a drop-down shows
    if instance.district_id:
        cache.delete(_choices_key(instance.district_id))
