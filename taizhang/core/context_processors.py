from functools import lru_cache
from html import escape

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

OFFICES = ("leader", "supervisor", "policy")

# Menu groups: (group label or None for a top-level link, [(url name, label, roles or None)]).
NAV = [
    (None, [("cockpit:index", _("Cockpit"), OFFICES)]),
    (
        _("Ledger"),
        [
            ("ledger:home", _("Overview"), None),
            ("ledger:projects", _("Key projects"), None),
            ("ledger:tasks", _("Key tasks"), None),
            ("ledger:reports_missing", _("Reports due"), None),
            ("ledger:whistles", _("Whistles"), None),
            ("speech:documents", _("Speeches to ledger"), ("policy", "supervisor")),
        ],
    ),
    (
        _("Supervision"),
        [
            ("supervision:bulletin", _("Weekly dispatch"), None),
            ("supervision:notices", _("Supervision notices"), None),
            ("supervision:board", _("Supervision board"), OFFICES),
        ],
    ),
    (
        _("Assessment"),
        [
            ("assessment:index", _("Assessment"), None),
            ("indicators:index", _("Indicators"), None),
        ],
    ),
    (None, [("grid:board", _("Grid"), None)]),
]


@lru_cache(maxsize=64)
def _url(name: str, prefix: str) -> str | None:
    """The menu's URLs are fixed for a process (per script prefix): reverse them once."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _links(role: str, entries, prefix: str) -> list[tuple[str, str]]:
    """(url, label) of the entries this role sees."""
    links = []
    for name, label, roles in entries:
        if roles is not None and role not in roles:
            continue
        url = _url(name, prefix)
        if url is not None:
            links.append((url, label))
    return links


def _active_url(path: str, urls) -> str:
    """The menu entry the page belongs to: the longest URL that prefixes the path ("/" never does)."""
    return max((u for u in urls if u != "/" and path.startswith(u)), key=len, default="")


@lru_cache(maxsize=512)
def _menu_html(role: str, active: str, language: str, prefix: str) -> str:
    """The menu bar's entries, rendered once per role, active entry and language.

    Rendering it through the template engine cost about a third of a list page.
    """
    parts = []
    for label, entries in NAV:
        links = _links(role, entries, prefix)
        if not links:
            continue
        if label is None:
            for url, text in links:
                on = " active" if url == active else ""
                parts.append(
                    f'<li class="nav-item"><a class="nav-link{on}" href="{escape(url)}">{escape(str(text))}</a></li>'
                )
            continue
        on = " active" if any(url == active for url, _text in links) else ""
        items = "".join(
            f'<li><a class="dropdown-item{" active" if url == active else ""}" href="{escape(url)}">'
            f"{escape(str(text))}</a></li>"
            for url, text in links
        )
        parts.append(
            f'<li class="nav-item dropdown"><a class="nav-link dropdown-toggle{on}" href="#" role="button" '
            f'data-bs-toggle="dropdown" aria-expanded="false">{escape(str(label))}</a>'
            f'<ul class="dropdown-menu">{items}</ul></li>'
        )
    return "".join(parts)


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    prefix = get_script_prefix()
    urls = [u for _label, entries in NAV for u, _text in _links(user.role, entries, prefix)]
    menu = _menu_html(user.role, _active_url(request.path, urls), get_language() or "", prefix)
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_html": mark_safe(menu), "unread_notifications": unread}  # noqa: S308 - escaped in _menu_html
