from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, roles that see it; None = everyone signed in)
NAV = [
    ("cockpit:index", _("Cockpit"), ("leader", "supervisor", "policy")),
    ("ledger:home", _("Overview"), None),
    ("ledger:projects", _("Key projects"), None),
    ("ledger:tasks", _("Key tasks"), None),
    ("ledger:reports_missing", _("Reports due"), None),
    ("ledger:whistles", _("Whistles"), None),
    ("supervision:bulletin", _("Weekly dispatch"), None),
    ("supervision:notices", _("Supervision notices"), None),
    ("supervision:board", _("Supervision board"), ("supervisor", "leader", "policy")),
    ("speech:documents", _("Speeches to ledger"), ("policy", "supervisor")),
    ("indicators:index", _("Indicators"), None),
    ("assessment:index", _("Assessment"), None),
    ("grid:board", _("Grid"), None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    items = []
    for name, label, roles in NAV:
        if roles is not None and user.role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url) and url != "/"})
    unread = user.notifications.filter(read_at__isnull=True).count() if hasattr(user, "notifications") else 0
    return {"nav_items": items, "unread_notifications": unread}
