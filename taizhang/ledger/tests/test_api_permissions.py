"""Who may do what through the API: the permission matrix of issue #2, over HTTP.

Each role of the demo world against each kind of item: a project of their unit, a
project of another unit, a task where their unit cooperates, a project of another
district. "w" = sees and may change, "r" = sees only, "-" = must not learn it exists.
"""

import pytest
from rest_framework.test import APIClient

from taizhang.core.testing import PASSWORD
from taizhang.ledger.models import Item, KeyProject, ProgressReport
from taizhang.org.models import Unit

# fmt: off
ITEMS = ("project_a", "project_b", "task_coop", "foreign_project")
MATRIX = {
    #               project_a project_b task_coop foreign_project
    "leader":       "r r r -",
    "supervisor":   "w w w -",
    "policy":       "w w w -",
    "admin_a":      "w - w -",
    "reporter_a":   "w - w -",
    "viewer_a":     "r - r -",
    "reporter_b":   "- w w -",
    "street_admin": "- - - -",
    "outsider":     "- - - w",
}
# fmt: on
EXPECTED = {
    # access: (detail GET, PATCH, report POST)
    "w": (200, 200, 201),
    "r": (200, 403, 403),
    "-": (404, 404, 404),
}


def client_for(person) -> APIClient:
    client = APIClient()
    client.force_login(person)
    return client


def item_url(item, suffix="") -> str:
    base = "projects" if item.kind == Item.Kind.PROJECT else "tasks"
    return f"/api/{base}/{item.pk}/{suffix}"


def listed_ids(client, path="/api/projects/") -> set[int]:
    response = client.get(path, {"limit": 500})
    assert response.status_code == 200
    assert response.json()["count"] == len(response.json()["results"])
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", MATRIX)
def test_lists_show_exactly_the_items_in_scope(world, role):
    client = client_for(getattr(world, role))
    visible = {getattr(world, name).pk for name, a in zip(ITEMS, MATRIX[role].split(), strict=True) if a != "-"}
    listed = listed_ids(client, "/api/projects/") | listed_ids(client, "/api/tasks/")
    assert listed == visible


@pytest.mark.parametrize("item_name", ITEMS)
@pytest.mark.parametrize("role", MATRIX)
def test_detail_edit_and_report_codes(world, role, item_name):
    person = getattr(world, role)
    item = getattr(world, item_name)
    access = MATRIX[role].split()[ITEMS.index(item_name)]
    get_code, patch_code, report_code = EXPECTED[access]
    client = client_for(person)

    assert client.get(item_url(item)).status_code == get_code

    version = Item.objects.get(pk=item.pk).version
    response = client.patch(item_url(item), {"version": version, "responsible_person": "张三"}, format="json")
    assert response.status_code == patch_code
    item_after = Item.objects.get(pk=item.pk)
    if patch_code == 200:
        assert item_after.responsible_person == "张三"
        assert item_after.version == version + 1
    else:
        assert item_after.responsible_person == ""
        assert item_after.version == version

    response = client.post(item_url(item, "reports/"), {"done": "完成桩基施工"}, format="json")
    assert response.status_code == report_code
    assert ProgressReport.objects.filter(item=item).exists() == (report_code == 201)


def test_not_found_and_forbidden_bodies_do_not_reveal_the_item(world):
    viewer = client_for(world.viewer_a)
    response = viewer.patch(item_url(world.project_a), {"version": 1, "name": "x"}, format="json")
    assert response.status_code == 403
    hidden = client_for(world.reporter_b).get(item_url(world.project_a))
    assert hidden.status_code == 404
    assert world.project_a.name not in hidden.content.decode()


def test_a_task_is_not_reachable_as_a_project(world):
    client = client_for(world.supervisor)
    assert client.get(f"/api/projects/{world.task_coop.pk}/").status_code == 404
    assert client.get(f"/api/tasks/{world.project_a.pk}/").status_code == 404
    assert client.get("/api/projects/not-a-number/").status_code == 404


def test_history_and_reports_lists_follow_item_scope(world):
    for person, code in ((world.viewer_a, 200), (world.leader, 200), (world.reporter_b, 404), (world.outsider, 404)):
        client = client_for(person)
        assert client.get(item_url(world.project_a, "history/")).status_code == code
        assert client.get(item_url(world.project_a, "reports/")).status_code == code


# --------------------------------------------------------------------------- create


def project_payload(lead_unit, **extra):
    return {
        "year": 2026,
        "name": "新能源汽车零部件项目",
        "lead_unit": lead_unit.pk,
        "category": "industry",
        "total_investment": "80000",
        "planned_investment_year": "20000",
        **extra,
    }


@pytest.mark.parametrize(
    ("role", "lead", "expected"),
    [
        ("leader", "dept_a", 403),
        ("supervisor", "dept_b", 201),
        ("policy", "dept_a", 201),
        ("admin_a", "dept_a", 201),
        ("admin_a", "dept_b", 403),
        ("reporter_a", "dept_a", 403),
        ("viewer_a", "dept_a", 403),
        ("reporter_b", "dept_b", 403),
        ("street_admin", "street", 201),
        ("street_admin", "community", 201),
        ("street_admin", "dept_a", 403),
        ("outsider", "dept_a", 400),  # a unit of another district does not exist for them
    ],
)
def test_create_permissions(world, role, lead, expected):
    before = KeyProject.objects.count()
    response = client_for(getattr(world, role)).post(
        "/api/projects/", project_payload(getattr(world, lead)), format="json"
    )
    assert response.status_code == expected, response.content
    assert KeyProject.objects.count() == before + (1 if expected == 201 else 0)


def test_outsider_creates_in_their_own_district(world):
    own_unit = Unit.objects.get(district=world.other_district)
    response = client_for(world.outsider).post("/api/projects/", project_payload(own_unit), format="json")
    assert response.status_code == 201
    created = KeyProject.objects.get(pk=response.json()["id"])
    assert created.district == world.other_district
    assert client_for(world.supervisor).get(f"/api/projects/{created.pk}/").status_code == 404


def test_unit_roles_cannot_hand_the_lead_to_another_unit(world):
    client = client_for(world.reporter_b)
    task = world.task_coop
    response = client.patch(item_url(task), {"version": 1, "lead_unit": world.dept_a.pk}, format="json")
    assert response.status_code == 403
    assert Item.objects.get(pk=task.pk).lead_unit == world.dept_b
    # Sending the unchanged lead unit back (as a PUT does) is fine.
    response = client.patch(item_url(task), {"version": 1, "lead_unit": world.dept_b.pk}, format="json")
    assert response.status_code == 200


# --------------------------------------------------------------------------- authentication


@pytest.mark.parametrize("path", ["/api/projects/", "/api/tasks/", "/api/whistles/", "/api/units/", "/api/people/"])
def test_unauthenticated_is_401(world, path):
    response = APIClient().get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")


def test_token_authentication(world):
    anonymous = APIClient()
    response = anonymous.post("/api/token/", {"username": world.admin_a.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert listed_ids(client) == {world.project_a.pk}
    response = client.patch(item_url(world.project_a), {"version": 1, "code": "XM-01"}, format="json")
    assert response.status_code == 200  # no CSRF for token clients
    assert Item.objects.get(pk=world.project_a.pk).code == "XM-01"

    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/projects/").status_code == 401


def test_wrong_password_gets_no_token(world):
    response = APIClient().post("/api/token/", {"username": world.admin_a.username, "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
