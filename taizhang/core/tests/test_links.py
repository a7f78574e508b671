"""Every link a person is shown leads somewhere they may go; no form they are shown
crashes on junk.

Each role starts at the home page and follows the links on every page it reaches (a
few pages per URL pattern): none may answer an error. This caught a whistle's summons
linking a unit to an item outside its scope (404), and the ledger import offered to
unit admins (403). Then every form they can reach is posted with junk in every field:
none may answer a server error. This caught ids beyond 64 bits crashing SQLite and a
non-numeric year crashing the new-scheme form.
"""

import pytest

from taizhang.core.models import Notification
from taizhang.core.testing import broken_links, forms_that_crash, make_project
from taizhang.ledger import services as ledger_services
from taizhang.supervision.services import notice_issue

ROLES = ["leader", "supervisor", "policy", "admin_a", "reporter_a", "viewer_a", "reporter_b", "street_admin"]


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


@pytest.mark.parametrize("role", ROLES)
def test_no_link_a_person_is_shown_leads_to_an_error(busy, role):
    assert broken_links(getattr(busy, role)) == []


@pytest.mark.parametrize("role", ["supervisor", "policy", "admin_a", "reporter_a", "reporter_b"])
def test_no_form_a_person_is_shown_crashes_on_junk(busy, role):
    assert forms_that_crash(getattr(busy, role)) == []
