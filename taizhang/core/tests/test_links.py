"""Every link a person is shown leads somewhere they may go.

Each role starts at the home page and follows the links on every page it reaches (a
few pages per URL pattern): none may answer an error. This caught a whistle's summons
linking a unit to an item outside its scope (404), and the ledger import offered to
unit admins (403).
"""

import re
from collections import Counter, deque

import pytest
from django.test import Client

from taizhang.core.models import Notification
from taizhang.core.testing import make_project
from taizhang.ledger import services as ledger_services
from taizhang.supervision.services import notice_issue

ROLES = ["leader", "supervisor", "policy", "admin_a", "reporter_a", "viewer_a", "reporter_b", "street_admin"]
NOT_PAGES = ("/static/", "/i18n/", "/logout/", "/admin/", "/api/", "/media/")
DOWNLOADS = (".xlsx", ".docx", ".json", ".geojson")
PER_PATTERN = 2  # /items/1/ and /items/2/ are the same page: two of each suffice
MAX_PAGES = 120


@pytest.fixture
def busy(world):
    """The world with the objects that carry links across units: a whistle, a notice."""
    make_project(world.district, world.street, cooperating=[world.dept_a], name="金台街道改造")
    ledger_services.whistle_raise(
        actor=world.reporter_a, item=world.project_a, problem="需住建局协调", units=[world.dept_b, world.street]
    )
    notice_issue(actor=world.supervisor, item=world.project_b, requirement="请加快推进")
    assert Notification.objects.exists()
    return world


def _pattern(url: str) -> str:
    return re.sub(r"\d+", "N", url)


def _crawl(person) -> list[str]:
    client = Client()
    client.force_login(person)
    queue, seen, per_pattern, broken = deque([("/", "(start)")]), set(), Counter(), []
    while queue and len(seen) < MAX_PAGES:
        url, came_from = queue.popleft()
        if url in seen or per_pattern[_pattern(url)] >= PER_PATTERN:
            continue
        seen.add(url)
        per_pattern[_pattern(url)] += 1
        response = client.get(url, follow=True)
        if response.status_code != 200:
            broken.append(f"{url} → {response.status_code} (linked from {came_from})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'href="(/[^"#?]*)', response.content.decode()):
            if not href.startswith(NOT_PAGES) and not href.endswith(DOWNLOADS) and href not in seen:
                queue.append((href, url))
    assert len(seen) > 5, "the crawl found almost nothing to follow"
    return broken


@pytest.mark.parametrize("role", ROLES)
def test_no_link_a_person_is_shown_leads_to_an_error(busy, role):
    assert _crawl(getattr(busy, role)) == []
