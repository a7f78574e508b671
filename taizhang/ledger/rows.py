"""Table rows of the ledger lists, rendered in Python.

The list page is the most opened page of the platform; rendering its 50 rows through
the template engine cost ~85 % of the request (one variable lookup chain per cell).
Building each row with ``format_html`` keeps every value escaped and brings the page
within reach of its raw-SQL floor (see bench/). The column set must match the header
in ``templates/ledger/item_list_results.html``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Item, KeyProject, Status


def _money(value) -> str:
    return f"{value:,.0f}" if value is not None else ""


def render_item_rows(items: Iterable[Item], kind: str) -> SafeString:
    """Rows for items annotated by ``querysets.with_name_lists``."""
    status_labels = dict(Status.choices)
    phase_labels = dict(KeyProject.Phase.choices)
    rows = []
    for i in items:
        lag = i.lag_points
        lag_cell = format_html(
            '<td class="tz-num tz-hide-sm{}">{}</td>',
            " text-danger" if lag is not None and lag < 0 else "",
            f"{lag:+.1f}" if lag is not None else "",
        )
        if kind == Item.Kind.PROJECT:
            middle = format_html(
                '<td class="small tz-hide-sm">{}</td><td class="tz-num tz-hide-sm">{}</td><td class="tz-num tz-hide-sm">{}</td>',
                phase_labels.get(i.phase, i.phase),
                _money(i.planned_investment_year),
                _money(i.completed_investment_year),
            )
        else:
            middle = format_html('<td class="tz-num">{}%</td>', i.progress_pct)
        rows.append(
            format_html(
                '<tr><td><span class="tz-light tz-light-{}" title="{}"></span></td>'
                '<td class="small text-muted tz-hide-sm">{}</td><td class="tz-name"><a href="/items/{}/">{}</a></td><td>{}</td>'
                '<td class="small tz-hide-sm">{}</td><td class="small tz-hide-sm">{}</td>{}{}'
                '<td class="small{}">{}</td></tr>',
                i.status,
                status_labels.get(i.status, ""),
                i.code,
                i.pk,
                i.name,
                i.lead_unit.name,
                i.coop_names or "",
                i.leader_names or "",
                middle,
                lag_cell,
                " text-danger fw-bold" if i.is_overdue else "",
                i.deadline.isoformat() if i.deadline else "",
            )
        )
    if not rows:
        return format_html('<tr><td colspan="12" class="text-muted">{}</td></tr>', _("No items match."))
    return mark_safe("".join(rows))  # noqa: S308 - every row was built by format_html
