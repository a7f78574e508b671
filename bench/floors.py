"""Raw-SQL floors of the ledger lists, for bench/ledger_bench.py only (never in the product).

Two floors per list:

* ``floor_list``: the list's data by hand — the paginator's ``count(*)`` and one query
  returning the first page of 50 rows with the columns the page shows. Timed alone, it
  is the floor of the list's *data path* (``selectors.items_for_page``).
* ``floor_page``: the same list served by the same server with nothing but raw SQL,
  as the "raw" implementations of web-framework benchmarks are written: the request
  goes through the same middleware and session, then one hand-written statement finds
  the session's person and their scope, ``floor_list`` fetches the rows, and they are
  returned as a bare HTML table (no menu, no filters). It is the floor of the list's
  *server time*.
"""

from __future__ import annotations

from html import escape

from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.http import HttpResponse, HttpResponseForbidden

PAGE_SIZE = 50  # ledger.views.PAGE_SIZE
WHOLE_DISTRICT = ("leader", "supervisor", "policy")  # org.models.Person.sees_whole_district

_BELOW = "FROM org_unit s WHERE s.district_id = u.district_id AND substr(s.path, 1, length(u.path)) = u.path"
_PERSON_SQL = (
    "SELECT p.role, p.district_id, p.unit_id, {subtree} FROM org_person p "  # noqa: S608 - fixed text
    "LEFT JOIN org_unit u ON u.id = p.unit_id WHERE p.id = %s AND p.is_active"
)
PERSON_SQL = {
    "postgresql": _PERSON_SQL.format(subtree=f"ARRAY(SELECT s.id {_BELOW})"),
    "sqlite": _PERSON_SQL.format(subtree=f"(SELECT group_concat(s.id) {_BELOW})"),
}


def _in(ids) -> tuple[str, list]:
    ids = list(ids)
    return ", ".join(["%s"] * len(ids)), ids


def _agg(expr: str, order: str) -> str:
    if connection.vendor == "postgresql":
        return f"string_agg({expr}, '、' ORDER BY {order})"
    return f"group_concat({expr}, '、')"


def floor_list(
    *, kind: str, district_id: int, status: str = "", category: str = "", scope_unit_ids=None, unit: int | None = None
) -> dict:
    """The list page's rows by hand: count + first page with the columns shown.

    ``scope_unit_ids``: the units a unit's staff see (None: the whole district);
    ``unit``: the unit filter. Both mean "led by or cooperating with".
    """
    child = "ledger_keyproject" if kind == "project" else "ledger_keytask"
    where = ["i.district_id = %s", "NOT i.is_archived"]
    params: list = [district_id]
    if status:
        where.append("i.status = %s")
        params.append(status)
    if category and kind == "project":
        where.append("c.category = %s")
        params.append(category)
    for ids in (scope_unit_ids, None if unit is None else [unit]):
        if ids is not None:
            marks, ids = _in(ids)
            where.append(
                f"(i.lead_unit_id IN ({marks}) OR EXISTS (SELECT 1 FROM ledger_item_cooperating_units cu "
                f"WHERE cu.item_id = i.id AND cu.unit_id IN ({marks})))"
            )
            params += ids + ids
    cond = " AND ".join(where)
    cols = "c.phase, c.planned_investment_year, c.completed_investment_year" if kind == "project" else "i.progress_pct"
    count_sql = f"SELECT count(*) FROM ledger_item i JOIN {child} c ON c.item_ptr_id = i.id WHERE {cond}"  # noqa: S608
    page_sql = f"""
        SELECT pg.*,
          (SELECT {_agg("u2.name", "u2.sort_order, u2.id")} FROM ledger_item_cooperating_units x
             JOIN org_unit u2 ON u2.id = x.unit_id WHERE x.item_id = pg.id) AS cooperating,
          (SELECT {_agg("COALESCE(NULLIF(p.full_name, ''), p.username)", "p.id")} FROM ledger_item_leaders l
             JOIN org_person p ON p.id = l.person_id WHERE l.item_id = pg.id) AS leaders
        FROM (
          SELECT i.id, i.status, i.code, i.name, u.name AS lead_unit, {cols}, i.lag_points, i.deadline, i.is_overdue
          FROM ledger_item i JOIN {child} c ON c.item_ptr_id = i.id JOIN org_unit u ON u.id = i.lead_unit_id
          WHERE {cond} ORDER BY i.code, i.id LIMIT {PAGE_SIZE}
        ) pg ORDER BY pg.code, pg.id
    """  # noqa: S608 — no user input; placeholders for values
    with connection.cursor() as cursor:
        cursor.execute(count_sql, params)
        count = cursor.fetchone()[0]
        cursor.execute(page_sql, params)
        rows = cursor.fetchall()
    return {"count": count, "ids": [r[0] for r in rows], "rows": rows}


def floor_page(request, kind: str):
    """The list at its raw-SQL floor of server time (see the module's docstring)."""
    person_id = request.session.get(SESSION_KEY)
    if person_id is None:
        return HttpResponseForbidden()
    with connection.cursor() as cursor:
        cursor.execute(PERSON_SQL[connection.vendor], [person_id])
        person = cursor.fetchone()
    if person is None:
        return HttpResponseForbidden()
    role, district_id, unit_id, subtree = person
    scope = None
    if role not in WHOLE_DISTRICT:
        if isinstance(subtree, str):  # SQLite's group_concat
            subtree = [int(x) for x in subtree.split(",")]
        scope = list(subtree or ()) if unit_id else []
    unit = request.GET.get("unit")
    if scope == []:
        data = {"count": 0, "rows": []}
    else:
        data = floor_list(
            kind=kind,
            district_id=district_id,
            status=request.GET.get("status", ""),
            category=request.GET.get("category", ""),
            scope_unit_ids=scope,
            unit=int(unit) if unit else None,
        )
    body = "".join(
        "<tr>" + "".join(f"<td>{'' if v is None else escape(str(v))}</td>" for v in row) + "</tr>"
        for row in data["rows"]
    )
    return HttpResponse(f"<p>{data['count']}</p><table>{body}</table>")
