"""Grid figures as assessment metrics: departments are scored on how they handle cases.

Registered into ``assessment.metrics`` only when the assessment module is installed
(see ``GridConfig.ready``), so neither module needs the other to work.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taizhang.assessment.metrics import Facts, register, register_fact_linker
from taizhang.assessment.scoring import q

from .models import Case, CaseAssignment


@register("grid_on_time_rate", _("Grid cases handled on time (%)"), "case", "%")
def grid_on_time_rate(*, district_id, year, unit_ids, start, end, as_of) -> Facts:
    """按期处置率: of the cases a unit finished handling in the window, the share within the limit.

    The facts are the cases handled late.
    """
    last = min(end, as_of)
    rows = CaseAssignment.objects.filter(
        case__district_id=district_id,
        unit_id__in=unit_ids,
        state=CaseAssignment.State.HANDLED,
        handled_at__date__gte=start,
        handled_at__date__lte=last,
    ).values_list("unit_id", "case_id", "on_time")
    handled: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for unit_id, case_id, on_time in rows:
        handled[unit_id].append((case_id, bool(on_time)))
    out: Facts = {}
    for u in unit_ids:
        done = handled.get(u, [])
        if not done:
            out[u] = (None, [])
            continue
        on_time = sum(1 for _c, ok in done if ok)
        out[u] = (q(Decimal(on_time * 100) / len(done)), sorted({c for c, ok in done if not ok}))
    return out


@register("grid_returned_cases", _("Grid cases returned as not responsible (count)"), "case", "count")
def grid_returned_cases(*, district_id, year, unit_ids, start, end, as_of) -> Facts:
    """退单: cases a unit sent back to the command centre in the window."""
    last = min(end, as_of)
    rows = CaseAssignment.objects.filter(
        case__district_id=district_id,
        unit_id__in=unit_ids,
        state=CaseAssignment.State.RETURNED,
        assigned_at__date__gte=start,
        assigned_at__date__lte=last,
    ).values_list("unit_id", "case_id")
    hits: dict[int, set[int]] = defaultdict(set)
    for unit_id, case_id in rows:
        hits[unit_id].add(case_id)
    return {u: (Decimal(len(hits.get(u, ()))), sorted(hits.get(u, ()))) for u in unit_ids}


@register_fact_linker("case")
def _case_links(ids):
    rows = Case.objects.filter(pk__in=ids).only("id", "description")
    return {c.pk: (f"#{c.pk} {c.description[:30]}", reverse("grid:case", args=[c.pk])) for c in rows}
