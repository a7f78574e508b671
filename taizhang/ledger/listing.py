"""The ledger list pages' rows, fetched with hand-written SQL.

The key-project and key-task lists are the platform's most opened pages. Through the
ORM their data path (scope, filters, count, 50 rows with the names of cooperating
units and leaders) cost about twice the SQL it runs: building two querysets with
subqueries and instantiating deferred models is pure Python overhead. Here the same
scope and filters are written once as parameterised SQL, behind the same selector.

``selectors.items_for_list`` stays the single source of truth for everything else
(API, exports, search, counts); ``ledger/tests/test_listing.py`` proves both give the
same rows, in the same order, for every filter and every role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from taizhang.org.access import Scope

from .models import Item, KeyProject, KeyTask

ITEM = Item._meta.db_table
COOP = Item.cooperating_units.through._meta.db_table
LEADERS = Item.leaders.through._meta.db_table
CHILD = {KeyProject: KeyProject._meta.db_table, KeyTask: KeyTask._meta.db_table}


@dataclass(frozen=True, slots=True)
class ListRow:
    """One row of a ledger list: exactly what ``rows.render_item_rows`` shows."""

    id: int
    kind: str
    status: str
    code: str
    name: str
    lead_unit_name: str
    progress_pct: Decimal
    lag_points: Decimal | None
    is_overdue: bool
    deadline: dt.date | None
    coop_names: str | None
    leader_names: str | None
    phase: str = ""
    planned_investment_year: Decimal | None = None
    completed_investment_year: Decimal | None = None

    @property
    def pk(self) -> int:
        return self.id


def _names_sql(vendor: str, outer: str) -> tuple[str, str]:
    """Correlated subqueries joining the names of cooperating units and leaders with 、."""

    def agg(expr: str, order: str) -> str:
        if vendor == "postgresql":
            return f"STRING_AGG({expr}, '、' ORDER BY {order})"
        return f"GROUP_CONCAT({expr}, '、')"

    coop = (
        f"(SELECT {agg('u2.name', 'u2.sort_order, u2.id')} FROM {COOP} x "  # noqa: S608 - table names only
        f"JOIN org_unit u2 ON u2.id = x.unit_id WHERE x.item_id = {outer})"
    )
    person = "COALESCE(NULLIF(p.full_name, ''), p.username)"
    leaders = (
        f"(SELECT {agg(person, 'p.id')} FROM {LEADERS} x "  # noqa: S608 - table names only
        f"JOIN org_person p ON p.id = x.person_id WHERE x.item_id = {outer})"
    )
    return coop, leaders


def _where(scope: Scope, filters, person_id: int, model) -> tuple[str, list]:
    """The WHERE clause of ``items_for_list``: scope, then the filters, in SQL."""
    where = ["i.district_id = %s", "i.is_archived = %s"]
    params: list = [scope.district_id, False]

    def involving(unit_ids) -> None:
        ids = sorted(unit_ids)
        marks = ", ".join(["%s"] * len(ids))
        where.append(
            f"(i.lead_unit_id IN ({marks}) OR EXISTS (SELECT 1 FROM {COOP} cu "  # noqa: S608
            f"WHERE cu.item_id = i.id AND cu.unit_id IN ({marks})))"
        )
        params.extend(ids + ids)

    def has_leader(pid: int) -> None:
        where.append(f"EXISTS (SELECT 1 FROM {LEADERS} l WHERE l.item_id = i.id AND l.person_id = %s)")  # noqa: S608
        params.append(pid)

    if scope.unit_ids is not None:
        involving(scope.unit_ids)
    f = filters
    if f.q:
        pattern = f"%{connection.ops.prep_for_like_query(f.q)}%"
        if connection.vendor == "postgresql":
            # As the ORM writes icontains: case-insensitive LIKE on PostgreSQL.
            like = "UPPER({}::text) LIKE UPPER(%s)"
        else:
            like = "{} LIKE %s ESCAPE '\\'"
        where.append("(" + " OR ".join(like.format(c) for c in ("i.name", "i.code", "i.description")) + ")")
        params.extend([pattern] * 3)
    if f.unit:
        involving([f.unit])
    if f.leader:
        has_leader(f.leader)
    if f.mine:
        has_leader(person_id)
    if f.status:
        where.append("i.status = %s")
        params.append(f.status)
    if f.overdue:
        where.append("i.is_overdue = %s")
        params.append(True)
    if f.year:
        where.append("i.year = %s")
        params.append(f.year)
    if model is KeyProject:
        if f.phase:
            where.append("c.phase = %s")
            params.append(f.phase)
        if f.category:
            where.append("c.category = %s")
            params.append(f.category)
    return " AND ".join(where), params


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


class ItemPageRows:
    """A lazy, sliceable row source for ``django.core.paginator.Paginator``.

    The paginator asks for ``count()`` and then one slice: two SQL statements, as the
    list's raw-SQL floor in ``bench/ledger_bench.py``.
    """

    def __init__(self, *, scope: Scope, filters, person_id: int, model):
        if model not in CHILD:
            raise ValueError("The list pages show key projects or key tasks.")
        self.model = model
        self.empty = scope.is_empty
        if not self.empty:
            self.where, self.params = _where(scope, filters, person_id, model)
        self._count: int | None = None

    def _from(self) -> str:
        return f"{ITEM} i JOIN {CHILD[self.model]} c ON c.item_ptr_id = i.id"

    def count(self) -> int:
        if self._count is None:
            if self.empty:
                self._count = 0
            else:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT COUNT(*) FROM {self._from()} WHERE {self.where}", self.params)  # noqa: S608
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("ItemPageRows supports plain slices only.")
        start = key.start or 0
        stop = key.stop if key.stop is not None else self.count()
        if self.empty or stop <= start:
            return []
        return self._fetch(offset=start, limit=stop - start)

    def _fetch(self, *, offset: int, limit: int) -> list[ListRow]:
        project = self.model is KeyProject
        coop, leaders = _names_sql(connection.vendor, "pg.id")
        extra = (
            ", c.phase, c.planned_investment_year AS planned, c.completed_investment_year AS completed"
            if project
            else ""
        )
        # Names are aggregated for the page's rows only, after LIMIT. The columns come in
        # ListRow's field order, so that a row is built positionally.
        tail = ", pg.phase, pg.planned, pg.completed" if project else ""
        sql = (
            "SELECT pg.id, pg.kind, pg.status, pg.code, pg.name, pg.lead_unit, pg.progress_pct, pg.lag_points, "  # noqa: S608 - values are parameters
            f"pg.is_overdue, pg.deadline, {coop}, {leaders}{tail} FROM ("
            "SELECT i.id, i.kind, i.status, i.code, i.name, u.name AS lead_unit, i.progress_pct, i.lag_points, "
            f"i.is_overdue, i.deadline{extra} "
            f"FROM {self._from()} JOIN org_unit u ON u.id = i.lead_unit_id "
            f"WHERE {self.where} ORDER BY i.code, i.id LIMIT %s OFFSET %s"
            ") pg ORDER BY pg.code, pg.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, limit, offset])
            raw = cursor.fetchall()
        if connection.vendor == "postgresql":
            return [ListRow(*r) for r in raw]  # psycopg returns Decimal, date and bool already
        return [
            ListRow(
                *r[:6],
                _decimal(r[6]),
                _decimal(r[7]),
                bool(r[8]),
                _date(r[9]),
                *r[10:13],
                *(_decimal(v) for v in r[13:]),
            )
            for r in raw
        ]
