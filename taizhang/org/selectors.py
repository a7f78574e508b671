"""Reads of the organisation that many pages need."""

from __future__ import annotations

import functools

from django.core.cache import cache
from django.db import connection

from .models import District, Person, Role, Unit

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


# --------------------------------------------------------------------------- the signed-in person


@functools.cache
def _person_statement(vendor: str) -> tuple[str, tuple]:
    """The one statement behind every signed-in request, built once per process from the models.

    Returns the SQL and, per model, its fields with their converters (the ones the ORM's
    compiler would apply, e.g. SQLite's integers to booleans).
    """
    from django.apps import apps

    notification = apps.get_model("core", "Notification")
    qn = connection.ops.quote_name
    parts, layout = [], []
    for model, alias in ((Person, "p"), (District, "d"), (Unit, "u")):
        fields = model._meta.concrete_fields
        parts.extend(f"{alias}.{qn(f.column)}" for f in fields)
        layout.append(
            (
                model,
                [f.attname for f in fields],
                [
                    (col, [*connection.ops.get_db_converters(col), *f.get_db_converters(connection)])
                    for f in fields
                    for col in [f.get_col(alias)]
                ],
            )
        )
    n_table, recipient, read_at = (
        qn(notification._meta.db_table),
        qn(notification._meta.get_field("recipient").column),
        qn(notification._meta.get_field("read_at").column),
    )
    # Every unit at or below the person's own: the units whose items they see (org.access).
    units = qn(Unit._meta.db_table)
    below = f"FROM {units} s WHERE s.district_id = u.district_id AND substr(s.path, 1, length(u.path)) = u.path"
    subtree = f"ARRAY(SELECT s.id {below})" if vendor == "postgresql" else f"(SELECT group_concat(s.id) {below})"
    sql = (
        f"SELECT {', '.join(parts)}, "  # noqa: S608 - table and column names come from the models
        f"(SELECT COUNT(*) FROM {n_table} n WHERE n.{recipient} = p.id AND n.{read_at} IS NULL), {subtree} "
        f"FROM {qn(Person._meta.db_table)} p "
        f"LEFT JOIN {qn(District._meta.db_table)} d ON d.id = p.district_id "
        f"LEFT JOIN {units} u ON u.id = p.unit_id "
        "WHERE p.id = %s"
    )
    return sql, tuple(layout)


def _instance(model, attnames, converters, values):
    out = []
    for value, (col, funcs) in zip(values, converters, strict=True):
        for func in funcs:
            value = func(value, col, connection)
        out.append(value)
    return model.from_db(connection.alias, attnames, out)


def person_for_request(person_id) -> Person | None:
    """The signed-in person with what every page needs, in one statement.

    Loads their district and unit (the header shows both, scopes read them), the number
    of unread notifications (``unread_notification_count``, the header's badge) and the ids
    of their unit and the units below it (``unit_subtree_ids``, read by
    ``access.scope_for``). Instead of four ORM queries on every request.
    """
    sql, layout = _person_statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id])
        row = cursor.fetchone()
    if row is None:
        return None
    objects, start = [], 0
    for model, attnames, converters in layout:
        values = row[start : start + len(attnames)]
        start += len(attnames)
        objects.append(None if values[0] is None else _instance(model, attnames, converters, values))
    person, district, unit = objects
    Person.district.field.set_cached_value(person, district)
    Person.unit.field.set_cached_value(person, unit)
    person.unread_notification_count = row[start]
    subtree = row[start + 1]
    if isinstance(subtree, str):  # SQLite's group_concat
        subtree = [int(x) for x in subtree.split(",")]
    person.unit_subtree_ids = frozenset(subtree or ()) if unit is not None else frozenset()
    return person
