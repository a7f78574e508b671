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
