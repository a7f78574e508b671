import datetime as dt

from django.urls import reverse

from taizhang.supervision.selectors import board_build
from taizhang.supervision.services import notices_generate_for_month

from .conftest import TODAY


def test_board_orders_whistles_and_counts_lagging_items_per_unit(world, activity):
    notices_generate_for_month(
        actor=world.supervisor, district=world.district, month=dt.date(2026, 11, 1), today=dt.date(2026, 11, 2)
    )
    board = board_build(person=world.supervisor, today=TODAY)
    assert [w.pk for w in board.whistles] == [activity.whistle_escalated.pk, activity.whistle_open.pk]
    units = {u.unit.name: u for u in board.units}
    assert "发改局" in units and "住建局" in units
    assert units["住建局"].overdue == 1  # the first-quarter task
    assert units["住建局"].red >= 3
    assert board.flagged == [] and board.open_notices == 4
    later = board_build(person=world.supervisor, today=dt.date(2026, 11, 10))
    assert len(later.flagged) == 4


def test_board_page_is_for_whole_district_roles(client, world, activity):
    client.force_login(world.supervisor)
    page = client.get(reverse("supervision:board"))
    assert page.status_code == 200 and "项目红线内管线迁改需住建局配合" in page.content.decode()
    client.force_login(world.leader)
    assert client.get(reverse("supervision:board")).status_code == 200
    client.force_login(world.reporter_a)
    assert client.get(reverse("supervision:board")).status_code == 403
