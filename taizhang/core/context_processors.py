from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, reverse
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


def _links(user, path: str, entries) -> list[dict]:
    links = []
    prefix = get_script_prefix()
    for name, label, roles in entries:
        if roles is not None and user.role not in roles:
            continue
        url = _url(name, prefix)
        if url is None:
            continue
        links.append({"url": url, "label": label, "active": url != "/" and path.startswith(url)})
    return links


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    groups = []
    for label, entries in NAV:
        links = _links(user, request.path, entries)
        if not links:
            continue
        if label is None:
            groups.extend({"label": link["label"], "url": link["url"], "active": link["active"]} for link in links)
        else:
            groups.append({"label": label, "links": links, "active": any(link["active"] for link in links)})
    unread = user.notifications.filter(read_at__isnull=True).count()
    return {"nav_groups": groups, "unread_notifications": unread}
