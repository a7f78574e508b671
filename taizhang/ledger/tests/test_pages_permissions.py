"""Who sees and changes what, through the pages: each role × another unit's item.

project_a: led by dept_a (发改局), leader owns it. project_b: led by dept_b only.
task_coop: led by dept_b with dept_a cooperating. foreign_project: another district.
"""

import pytest
from django.urls import reverse

SEE_ALL = {"project_a", "project_b", "task_coop"}
# role -> (items visible, items editable)
MATRIX = {
    "leader": (SEE_ALL, set()),
    "supervisor": (SEE_ALL, SEE_ALL),
    "policy": (SEE_ALL, SEE_ALL),
    "admin_a": ({"project_a", "task_coop"}, {"project_a", "task_coop"}),
    "reporter_a": ({"project_a", "task_coop"}, {"project_a", "task_coop"}),
    "viewer_a": ({"project_a", "task_coop"}, set()),
    "reporter_b": ({"project_b", "task_coop"}, {"project_b", "task_coop"}),
    "street_admin": (set(), set()),
    "outsider": ({"foreign_project"}, {"foreign_project"}),  # supervision office of the other district
}
ITEMS = ["project_a", "project_b", "task_coop", "foreign_project"]


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("item_name", ITEMS)
def test_item_page_and_edit_by_role(client, world, role, item_name):
    visible, editable = MATRIX[role]
    item = getattr(world, item_name)
    client.force_login(getattr(world, role))
    page = client.get(reverse("ledger:item", args=[item.pk]))
    assert page.status_code == (200 if item_name in visible else 404)
    edit = client.get(reverse("ledger:item_edit", args=[item.pk]))
    expected_edit = 200 if item_name in editable else (403 if item_name in visible else 404)
    assert edit.status_code == expected_edit
    report = client.post(reverse("ledger:report_create", args=[item.pk]), {"week": "2026-11-16", "done": "推进"})
    assert report.status_code in ((302,) if item_name in editable else (403, 404))
    assert item.reports.exists() == (item_name in editable)


@pytest.mark.parametrize("role", MATRIX)
def test_lists_and_search_show_only_the_scope(client, world, role):
    visible, _ = MATRIX[role]
    client.force_login(getattr(world, role))
    body = (
        client.get(reverse("ledger:projects")).content.decode() + client.get(reverse("ledger:tasks")).content.decode()
    )
    for name in ITEMS:
        item = getattr(world, name)
        assert (item.name in body) == (name in visible), (role, name)
        url = reverse("ledger:tasks" if name == "task_coop" else "ledger:projects")
        searched = client.get(url, {"q": item.name}, HTTP_HX_REQUEST="true").content.decode()  # results only
        assert (item.name in searched) == (name in visible), ("search", role, name)


def test_leader_sees_own_items_marked(client, world):
    client.force_login(world.leader)
    page = client.get(reverse("ledger:item", args=[world.project_a.pk])).content.decode()
    assert "王区长" in page
    mine = client.get(reverse("ledger:projects"), {"mine": "1"}).content.decode()
    assert world.project_a.name in mine and world.project_b.name not in mine


def test_anonymous_is_sent_to_login(client, world):
    r = client.get(reverse("ledger:projects"))
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_only_offices_and_unit_admins_can_create(client, world):
    for role, code in [("reporter_a", 403), ("viewer_a", 403), ("leader", 403), ("admin_a", 200), ("supervisor", 200)]:
        client.force_login(getattr(world, role))
        assert client.get(reverse("ledger:project_create")).status_code == code, role


def test_unit_admin_cannot_create_an_item_for_another_unit(client, world):
    client.force_login(world.admin_a)
    r = client.post(
        reverse("ledger:task_create"),
        {
            "year": 2026,
            "name": "越权任务",
            "lead_unit": world.dept_b.pk,
            "progress_pct": 0,
            "ms-TOTAL_FORMS": 0,
            "ms-INITIAL_FORMS": 0,
        },
    )
    assert r.status_code == 400
    assert not world.district.items.filter(name="越权任务").exists()


def test_list_rows_show_cooperating_units_and_leaders(client, world):
    from taizhang.core.testing import make_task

    make_task(
        world.district,
        world.dept_b,
        cooperating=[world.dept_a, world.street],
        leaders=[world.leader],
        name="联合攻坚任务",
    )
    client.force_login(world.supervisor)
    rows = client.get(reverse("ledger:tasks"), {"q": "联合攻坚"}, HTTP_HX_REQUEST="true").content.decode()
    row = rows[rows.index("联合攻坚任务") :]
    row = row[: row.index("</tr>")]
    assert "住建局" in row and "发改局" in row and "金台街道" in row and "王区长" in row
