from django.db import models
from django.db.models import Exists, OuterRef, Q


class ItemQuerySet(models.QuerySet):
    def live(self):
        return self.filter(is_archived=False)

    def for_scope(self, scope):
        """Items a person with ``scope`` may see (see org.access)."""
        if scope.district_id is None:
            return self.none()
        qs = self.filter(district_id=scope.district_id)
        if scope.unit_ids is None:
            return qs
        if not scope.unit_ids:
            return qs.none()
        return qs.involving_units(scope.unit_ids)

    def involving_units(self, unit_ids):
        """Items led by, or with cooperation from, any of ``unit_ids``.

        EXISTS rather than a join on the M2M table, so an item never appears twice.
        """
        from .models import Item

        coop = Item.cooperating_units.through.objects.filter(item_id=OuterRef("pk"), unit_id__in=unit_ids)
        return self.filter(Q(lead_unit_id__in=unit_ids) | Exists(coop))

    def overdue(self, today):
        return self.filter(deadline__lt=today, completed_on__isnull=True)


class _NamesOf(models.Func):
    """The names related to the outer item, joined with 、, as one correlated subquery.

    Written as SQL rather than ORM subqueries: the list page builds this on every
    request and the ORM's expression resolution cost more than the query itself.
    """

    output_field = models.TextField()
    sql = ""  # with {agg} and {order}; %(expressions)s is the outer item id
    name_expr = ""

    def as_sql(self, compiler, connection, **extra):
        if connection.vendor == "postgresql":
            agg = f"STRING_AGG({self.name_expr}, '、' ORDER BY {self.order})"
        else:
            agg = f"GROUP_CONCAT({self.name_expr}, '、')"
        return super().as_sql(compiler, connection, template=self.sql.format(agg=agg), **extra)


class CooperatingUnitNames(_NamesOf):
    sql = (
        "(SELECT {agg} FROM ledger_item_cooperating_units x JOIN org_unit u ON u.id = x.unit_id "
        "WHERE x.item_id = %(expressions)s)"
    )
    name_expr = "u.name"
    order = "u.sort_order, u.id"


class LeaderNames(_NamesOf):
    sql = "(SELECT {agg} FROM ledger_item_leaders x JOIN org_person p ON p.id = x.person_id WHERE x.item_id = %(expressions)s)"
    name_expr = "COALESCE(NULLIF(p.full_name, ''), p.username)"
    order = "p.id"


def with_name_lists(qs):
    """Annotate ``coop_names`` and ``leader_names`` as display strings: one query for a list
    page instead of two prefetches and a hundred related managers."""
    return qs.prefetch_related(None).annotate(coop_names=CooperatingUnitNames("pk"), leader_names=LeaderNames("pk"))
