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


class NameList(models.Aggregate):
    """Names joined with 、 in one column (STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, '、')"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, '、' ORDER BY %(expressions)s)",
            **extra,
        )


class _EmptyAsNull(models.Func):
    # A literal '' rather than a parameter: NameList repeats its expression in ORDER BY
    # on PostgreSQL, and a parameter would then be needed twice.
    template = "NULLIF(%(expressions)s, '')"
    output_field = models.CharField()


def with_name_lists(qs):
    """Annotate ``coop_names`` and ``leader_names`` as display strings: one query for a list
    page instead of two prefetches and a hundred related managers."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from .models import Item

    coop = (
        Item.cooperating_units.through.objects.filter(item_id=OuterRef("pk"))
        .order_by()
        .values("item_id")
        .annotate(names=NameList("unit__name"))
        .values("names")
    )
    leaders = (
        Item.leaders.through.objects.filter(item_id=OuterRef("pk"))
        .order_by()
        .values("item_id")
        .annotate(names=NameList(Coalesce(_EmptyAsNull("person__full_name"), "person__username")))
        .values("names")
    )
    return qs.prefetch_related(None).annotate(coop_names=Subquery(coop), leader_names=Subquery(leaders))
