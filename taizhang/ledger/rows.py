"""Table rows, filter options and the filter bar of the ledger lists, rendered in Python.

The list page is the most opened page of the platform. Through the template engine its
50 rows and its filter drop-downs (every unit and leader of the district) cost most of
the request: one variable lookup chain per cell. Here each value is escaped with the
standard library's ``html.escape`` — the same five characters Django's ``escape``
replaces, without its lazy-string wrapper — and the strings are joined once. Fixed
markup (the table header, the drop-downs' options, the item URL) is cached; the header
(``_thead``) and the rows (``render_item_rows``) must keep the same columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from html import escape

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .listing import ListRow
from .models import Item, KeyProject, Status


def _money(value) -> str:
    return f"{value:,.0f}" if value is not None else ""


@lru_cache(maxsize=16)
def _thead(kind: str, language: str) -> str:
    """The table header for a list kind, in one language: the same on every page."""

    def th(label, cls="", title=""):
        cls = f' class="{cls}"' if cls else ""
        title = f' title="{escape(title)}"' if title else ""
        return f'<th scope="col"{cls}{title}>{escape(label)}</th>'

    cells = [
        '<th scope="col"></th>',
        th(_("Number"), "tz-hide-sm"),
        th(_("Name")),
        th(_("Lead unit")),
        th(_("Cooperating units"), "tz-hide-sm"),
        th(_("Responsible leaders"), "tz-hide-sm"),
    ]
    if kind == Item.Kind.PROJECT:
        cells += [
            th(_("Phase"), "tz-hide-sm"),
            th(_("Planned this year"), "tz-num tz-hide-sm"),
            th(_("Completed this year"), "tz-num tz-hide-sm"),
        ]
    else:
        cells.append(th(_("Progress"), "tz-num"))
    cells += [
        th(_("vs time progress"), "tz-num tz-hide-sm", _("Points ahead (+) or behind (−) time progress")),
        th(_("Deadline")),
    ]
    return f"<thead><tr>{''.join(cells)}</tr></thead>"


def render_item_table(items: Iterable[ListRow], kind: str) -> SafeString:
    """The list's table: header and rows (:class:`listing.ListRow`, the list pages' SQL rows)."""
    head = _thead(kind, get_language() or "")
    return mark_safe(  # noqa: S308 - escaped in _thead and render_item_rows
        f'<table class="table table-sm table-hover align-middle">{head}<tbody>{render_item_rows(items, kind)}'
        "</tbody></table>"
    )


@lru_cache(maxsize=8)
def _item_url_parts(prefix: str) -> tuple[str, str]:
    """An item page's URL around its id, reversed once per script prefix (a deployment
    under /taizhang/ keeps its links)."""
    head, tail = reverse("ledger:item", args=[987654321]).split("987654321")
    return escape(head), escape(tail)


def item_url(pk) -> SafeString:
    """``reverse("ledger:item", args=[pk])`` without a reverse per row: pages listing
    thousands of items (the weekly bulletin) spent a quarter of their time reversing."""
    head, tail = _item_url_parts(get_script_prefix())
    return mark_safe(f"{head}{int(pk)}{tail}")  # noqa: S308 - escaped parts around an int


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
            f'<td class="tz-name"><a href="{item_url(i.id)}">{escape(i.name)}</a></td>'
            f"<td>{escape(i.lead_unit_name)}</td>"
            f'<td class="small tz-hide-sm">{escape(i.coop_names or "")}</td>'
            f'<td class="small tz-hide-sm">{escape(i.leader_names or "")}</td>{middle}'
            f'<td class="tz-num tz-hide-sm{" text-danger" if lag is not None and lag < 0 else ""}">'
            f"{f'{lag:+.1f}' if lag is not None else ''}</td>"
            f'<td class="small{" text-danger fw-bold" if i.is_overdue else ""}">'
            f"{i.deadline.isoformat() if i.deadline else ''}</td></tr>"
        )
    if not rows:
        none = escape(_("No items match."))  # outside the f-string: xgettext does not read inside them
        return mark_safe(f'<tr><td colspan="12" class="text-muted">{none}</td></tr>')  # noqa: S308
    return mark_safe("".join(rows))  # noqa: S308 - every value above went through escape()


@lru_cache(maxsize=512)
def _option_parts(
    choices: tuple[tuple[str, str], ...], empty_label: str
) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """Escaped ``<option>`` markup per choice, split where `` selected`` goes: the choices
    (units, leaders, statuses…) are the same on every list page of a district."""
    return (
        f'<option value="">{escape(empty_label)}</option>',
        tuple((value, f'<option value="{escape(value)}"', f">{escape(label)}</option>") for value, label in choices),
    )


def render_options(choices: Iterable[tuple], selected, empty_label: str) -> SafeString:
    """``<option>`` elements for a drop-down; ``selected`` is compared as a string."""
    chosen = "" if selected is None else str(selected)
    empty, parts = _option_parts(tuple((str(v), str(label)) for v, label in choices), str(empty_label))
    html = [empty]
    for value, start, end in parts:
        html.append(f"{start} selected{end}" if value == chosen else start + end)
    return mark_safe("".join(html))  # noqa: S308 - escaped in _option_parts


@lru_cache(maxsize=8)
def _fixed_choices(language: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """The model's choices as plain strings, once per language (their labels are lazy)."""
    return {
        "status": tuple((v, str(label)) for v, label in Status.choices),
        "phase": tuple((v, str(label)) for v, label in KeyProject.Phase.choices),
        "category": tuple((v, str(label)) for v, label in KeyProject.Category.choices),
    }


def _check(name: str, checked: bool, label: str, extra: str) -> str:
    return (
        f'<div class="col-6 col-md-1 form-check{extra}"><input class="form-check-input" type="checkbox" '
        f'name="{name}" value="1" id="f-{name}"{" checked" if checked else ""}>'
        f'<label class="form-check-label small" for="f-{name}">{escape(label)}</label></div>'
    )


def render_filter_form(filters, kind: str, district: dict[str, list[tuple[int, str]]]) -> SafeString:
    """The list's filter bar: search, drop-downs (``district``: ``org.selectors.district_choices``), checks."""
    fixed = _fixed_choices(get_language() or "")

    def select(name: str, width: str, label: str, choices, selected, empty_label: str) -> str:
        return (
            f'<div class="col-6 col-md-{width}"><select class="form-select form-select-sm" name="{name}" '
            f'aria-label="{escape(label)}">{render_options(choices, selected, empty_label)}</select></div>'
        )

    # gettext outside the f-strings: xgettext does not read inside them.
    placeholder, search, filter_label = _("Search name or number"), _("Search"), _("Filter")
    fields = [
        f'<div class="col-12 col-md-3"><input class="form-control form-control-sm" name="q" '
        f'value="{escape(filters.q)}" placeholder="{escape(placeholder)}" '
        f'aria-label="{escape(search)}"></div>',
        select("unit", "2", _("Unit"), district["units"], filters.unit, _("All units")),
        select("leader", "2", _("Leader"), district["leaders"], filters.leader, _("All leaders")),
        select("status", "1", _("Status"), fixed["status"], filters.status, _("Status")),
    ]
    if kind == Item.Kind.PROJECT:
        fields += [
            select("phase", "1", _("Phase"), fixed["phase"], filters.phase, _("Phase")),
            select("category", "1", _("Category"), fixed["category"], filters.category, _("Category")),
        ]
    fields += [
        _check("overdue", filters.overdue, _("Overdue"), " ms-2"),
        _check("mine", filters.mine, _("Mine"), ""),
        f'<noscript><button class="btn btn-sm btn-secondary">{escape(filter_label)}</button></noscript>',
    ]
    return mark_safe("".join(fields))  # noqa: S308 - escaped above
