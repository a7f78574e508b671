"""Table rows and filter options of the ledger lists, rendered in Python.

The list page is the most opened page of the platform. Through the template engine its
50 rows and its filter drop-downs (every unit and leader of the district) cost most of
the request: one variable lookup chain per cell. Here each value is escaped with the
standard library's ``html.escape`` — the same five characters Django's ``escape``
replaces, without its lazy-string wrapper — and the strings are joined once. The column
set must match the header in ``templates/ledger/item_list_results.html``.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .listing import ListRow
from .models import Item, KeyProject, Status


def _money(value) -> str:
    return f"{value:,.0f}" if value is not None else ""


def render_item_rows(items: Iterable[ListRow], kind: str) -> SafeString:
    """Rows for :class:`listing.ListRow` (the list pages' SQL rows)."""
    status_labels = {k: escape(str(v)) for k, v in Status.choices}
    phase_labels = {k: escape(str(v)) for k, v in KeyProject.Phase.choices}
    project = kind == Item.Kind.PROJECT
    rows = []
    for i in items:
        lag = i.lag_points
        if project:
            middle = (
                f'<td class="small tz-hide-sm">{phase_labels.get(i.phase) or escape(i.phase)}</td>'
                f'<td class="tz-num tz-hide-sm">{_money(i.planned_investment_year)}</td>'
                f'<td class="tz-num tz-hide-sm">{_money(i.completed_investment_year)}</td>'
            )
        else:
            middle = f'<td class="tz-num">{i.progress_pct}%</td>'
        rows.append(
            f'<tr><td><span class="tz-light tz-light-{escape(i.status)}" title="{status_labels.get(i.status, "")}">'
            f'</span></td><td class="small text-muted tz-hide-sm">{escape(i.code)}</td>'
            f'<td class="tz-name"><a href="/items/{int(i.id)}/">{escape(i.name)}</a></td>'
            f"<td>{escape(i.lead_unit_name)}</td>"
            f'<td class="small tz-hide-sm">{escape(i.coop_names or "")}</td>'
            f'<td class="small tz-hide-sm">{escape(i.leader_names or "")}</td>{middle}'
            f'<td class="tz-num tz-hide-sm{" text-danger" if lag is not None and lag < 0 else ""}">'
            f"{f'{lag:+.1f}' if lag is not None else ''}</td>"
            f'<td class="small{" text-danger fw-bold" if i.is_overdue else ""}">'
            f"{i.deadline.isoformat() if i.deadline else ''}</td></tr>"
        )
    if not rows:
        return mark_safe(f'<tr><td colspan="12" class="text-muted">{escape(_("No items match."))}</td></tr>')  # noqa: S308
    return mark_safe("".join(rows))  # noqa: S308 - every value above went through escape()


def render_options(choices: Iterable[tuple], selected, empty_label: str) -> SafeString:
    """``<option>`` elements for a filter drop-down; ``selected`` is compared as a string."""
    chosen = "" if selected is None else str(selected)
    parts = [f'<option value="">{escape(str(empty_label))}</option>']
    for value, label in choices:
        value = str(value)
        mark = " selected" if value == chosen else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - escaped above
