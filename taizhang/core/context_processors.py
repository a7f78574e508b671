from functools import lru_cache
from html import escape

from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
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


@lru_cache(maxsize=32)
def _fixed(language: str, prefix: str) -> dict[str, str]:
    """Page chrome that depends only on the language and the deployment (static files, URLs).

    Every page carries it; through the template engine it cost as much as a page's rows.
    """
    from django.templatetags.static import static
    from django.utils.translation import gettext

    def script(path):
        return f'<script src="{escape(static(path))}" defer></script>'

    english = language == "en"
    # gettext outside the f-strings: xgettext does not read inside them.
    brand, menu, notifications, sign_out = (
        gettext("Taizhang"),
        gettext("Menu"),
        gettext("Notifications"),
        gettext("Sign out"),
    )
    return {
        "brand_text": brand,
        "head": (
            f'<link rel="stylesheet" href="{escape(static("vendor/bootstrap/bootstrap.min.css"))}">'
            f'<link rel="stylesheet" href="{escape(static("taizhang/app.css"))}">' + script("vendor/htmx/htmx.min.js")
        ),
        "tail": script("vendor/bootstrap/bootstrap.bundle.min.js"),
        "brand": f'<a class="navbar-brand" href="{escape(_url("ledger:home", prefix) or "/")}">{escape(brand)}',
        "toggler": '<button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#nav" '
        f'aria-controls="nav" aria-expanded="false" aria-label="{escape(menu)}">'
        '<span class="navbar-toggler-icon"></span></button>',
        "notifications": f'<a class="nav-link" href="{escape(_url("notifications", prefix) or "")}">'
        f"{escape(notifications)}",
        "set_language": escape(_url("set_language", prefix) or ""),
        # The switch offers the other language, named in itself.
        "switch": '<button class="btn btn-link nav-link" name="language" value="zh-hans">中文</button>'
        if english
        else '<button class="btn btn-link nav-link" name="language" value="en">English</button>',
        "logout": escape(_url("logout", prefix) or ""),
        "sign_out": escape(sign_out),
    }


def _navbar(request, user, fixed: dict[str, str], menu: str, unread: int, token) -> str:
    district = f" · {escape(str(user.district))}" if user.district_id else ""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'
    badge = f' <span class="badge bg-danger">{unread}</span>' if unread else ""
    who = f"{escape(user.display_name)} · {escape(str(user.get_role_display()))}"
    if user.unit_id:
        who += f" · {escape(str(user.unit))}"
    return (
        '<nav class="navbar navbar-expand-lg navbar-dark tz-navbar"><div class="container-fluid">'
        f"{fixed['brand']}{district}</a>{fixed['toggler']}"
        f'<div class="collapse navbar-collapse" id="nav"><ul class="navbar-nav me-auto">{menu}</ul>'
        '<ul class="navbar-nav">'
        f'<li class="nav-item">{fixed["notifications"]}{badge}</a></li>'
        f'<li class="nav-item"><span class="nav-link disabled text-light">{who}</span></li>'
        f'<li class="nav-item"><form method="post" action="{fixed["set_language"]}" class="d-inline">{csrf}'
        f'<input type="hidden" name="next" value="{escape(request.get_full_path())}">{fixed["switch"]}</form></li>'
        f'<li class="nav-item"><form method="post" action="{fixed["logout"]}">{csrf}'
        f'<button class="btn btn-link nav-link">{fixed["sign_out"]}</button></form></li>'
        "</ul></div></div></nav>"
    )


def navigation(request):
    """The page chrome of ``base.html``: asset links, the menu bar with the person's badge and name.

    Rendered here, escaped with ``html.escape``; its fixed parts are cached per language.
    """
    language = get_language() or ""
    prefix = get_script_prefix()
    fixed = _fixed(language, prefix)
    # One masked token for the page's forms and htmx headers (each get_token() masks anew),
    # lazy as Django's own: a fragment that shows no form sets no CSRF cookie.
    token = SimpleLazyObject(lambda: get_token(request))
    chrome = {
        "chrome_csrf": token,
        "chrome_brand": fixed["brand_text"],  # escaped by the template
        "chrome_head": mark_safe(fixed["head"]),  # noqa: S308 - escaped in _fixed
        "chrome_tail": mark_safe(fixed["tail"]),  # noqa: S308
    }
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        chrome["chrome_nav"] = mark_safe(  # noqa: S308 - fixed markup, escaped in _fixed
            f'<nav class="navbar navbar-expand-lg navbar-dark tz-navbar"><div class="container-fluid">'
            f"{fixed['brand']}</a></div></nav>"
        )
        return chrome
    urls = [u for _label, entries in NAV for u, _text in _links(user.role, entries, prefix)]
    menu = _menu_html(user.role, _active_url(request.path, urls), language, prefix)
    unread = getattr(user, "unread_notification_count", None)  # read with the person (org.selectors)
    if unread is None:
        unread = user.notifications.filter(read_at__isnull=True).count()
    chrome["chrome_nav"] = mark_safe(_navbar(request, user, fixed, menu, unread, token))  # noqa: S308 - escaped
    chrome["unread_notifications"] = unread
    return chrome
