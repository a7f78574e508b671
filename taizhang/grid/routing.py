"""Who is responsible for a case: a pluggable strategy, after FixMyStreet's cobrands.

``DefaultRouting`` reads the district's :class:`RoutingRule` rows: rules for the
case's street replace the district-wide rules of the same category, and a
second-level type without rules inherits its class's rules. A district with other
needs names a subclass in ``settings.TAIZHANG_GRID_ROUTING`` (dotted path) and
overrides :meth:`Routing.units_for`; core code never asks which district it serves.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from taizhang.org.models import Unit

from .models import Case, Category, RoutingRule


class Routing:
    """Interface: the units a case should go to (lead first). Empty → the centre decides."""

    def units_for(self, *, category: Category, street: Unit | None) -> list[Unit]:
        raise NotImplementedError

    def units_for_case(self, case: Case) -> list[Unit]:
        return self.units_for(category=case.category, street=case.street)


class DefaultRouting(Routing):
    def _rules(self, category: Category, street: Unit | None) -> list[Unit]:
        rules = RoutingRule.objects.filter(category=category).select_related("unit").order_by("id")
        rows = list(rules)
        if street is not None:
            local = [r.unit for r in rows if r.street_id == street.pk]
            if local:
                return local
        return [r.unit for r in rows if r.street_id is None]

    def units_for(self, *, category: Category, street: Unit | None) -> list[Unit]:
        units = self._rules(category, street)
        if not units and category.parent_id:
            units = self._rules(category.parent, street)
        return units


def routing() -> Routing:
    """The routing strategy in force (``settings.TAIZHANG_GRID_ROUTING``, default :class:`DefaultRouting`)."""
    path = getattr(settings, "TAIZHANG_GRID_ROUTING", None)
    return import_string(path)() if path else DefaultRouting()
