"""Editing items: no lost updates, clear messages for bad input, history kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger.models import ItemEvent, KeyProject
from taizhang.ledger.services import ConcurrentEditError, item_update


def project_post(project, **overrides):
    data = {
        "version": project.version,
        "year": project.year,
        "code": project.code,
        "name": project.name,
        "description": "",
        "lead_unit": project.lead_unit_id,
        "responsible_person": "",
        "start_date": "2026-03-01",
        "deadline": "2027-12-31",
        "progress_pct": "0",
        "completed_on": "",
        "category": project.category,
        "level": project.level,
        "construction_type": project.construction_type,
        "phase": project.phase,
        "total_investment": "50000",
        "planned_investment_year": "12000",
        "completed_investment_year": "6000",
        "completed_investment_total": "6000",
        "land_area_mu": "",
        "latitude": "",
        "longitude": "",
        "leaders": [p.pk for p in project.leaders.all()],
        "ms-TOTAL_FORMS": "0",
        "ms-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_second_of_two_concurrent_edits_is_refused_and_first_survives(world):
    a, b = Client(), Client()
    a.force_login(world.supervisor)
    b.force_login(world.admin_a)
    url = reverse("ledger:item_edit", args=[world.project_a.pk])
    # Both open the form on the same version.
    assert a.get(url).status_code == b.get(url).status_code == 200
    project = KeyProject.objects.get(pk=world.project_a.pk)
    first = a.post(url, project_post(project, completed_investment_year="7000", completed_investment_total="7000"))
    assert first.status_code == 302
    second = b.post(url, project_post(project, name="被覆盖的名称"))
    assert second.status_code == 409
    assert "他人" in second.content.decode()  # 该事项已被他人修改…
    project.refresh_from_db()
    assert project.completed_investment_year == Decimal("7000")
    assert project.name == "智能装备产业园"


def test_service_refuses_stale_version(world):
    project = KeyProject.objects.get(pk=world.project_a.pk)
    stale = project.version
    item_update(actor=world.supervisor, item=project, expected_version=stale, values={"code": "XM-1"})
    with pytest.raises(ConcurrentEditError):
        item_update(
            actor=world.supervisor,
            item=KeyProject.objects.get(pk=project.pk),
            expected_version=stale,
            values={"code": "XM-2"},
        )
    assert KeyProject.objects.get(pk=project.pk).code == "XM-1"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"total_investment": "-5"}, "大于或等于"),
        ({"total_investment": "很多"}, "输入一个数字"),
        ({"completed_investment_total": "60000"}, "累计完成投资不能超过总投资"),
        ({"planned_investment_year": "60000"}, "年度计划投资不能超过总投资"),
        ({"deadline": "2026-01-01"}, "完成时限不能早于开始日期"),
        ({"lead_unit": "999999"}, "选择一个有效的选项"),
        ({"lead_unit": "99999999999999999999999"}, "选择一个有效的选项"),  # beyond a 64-bit id
        ({"leaders": ["99999999999999999999999"]}, "不是一个有效的值"),
        ({"latitude": "34.3"}, "纬度和经度"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_saves_nothing(client, world, overrides, message):
    client.force_login(world.supervisor)
    project = KeyProject.objects.get(pk=world.project_a.pk)
    before = (project.version, project.total_investment, project.deadline, project.events.count())
    r = client.post(reverse("ledger:item_edit", args=[project.pk]), project_post(project, **overrides))
    assert r.status_code == 400
    assert message in r.content.decode()
    project.refresh_from_db()
    assert (project.version, project.total_investment, project.deadline, project.events.count()) == before


@pytest.mark.parametrize("version", ["99999999999999999999999", "-3", "abc"])
def test_a_version_no_item_can_have_is_refused_as_stale(client, world, version):
    client.force_login(world.supervisor)
    project = KeyProject.objects.get(pk=world.project_a.pk)
    r = client.post(reverse("ledger:item_edit", args=[project.pk]), project_post(project, version=version, code="XM-9"))
    assert r.status_code == 409 and "被他人修改" in r.content.decode()
    assert KeyProject.objects.get(pk=project.pk).code == project.code


def test_every_change_is_recorded_with_old_and_new_values(client, world):
    client.force_login(world.supervisor)
    project = KeyProject.objects.get(pk=world.project_a.pk)
    r = client.post(
        reverse("ledger:item_edit", args=[project.pk]),
        project_post(
            project,
            phase="completed",
            **{
                "ms-TOTAL_FORMS": "1",
                "ms-0-name": "主体封顶",
                "ms-0-planned_date": "2026-10-30",
                "ms-0-actual_date": "",
            },
        ),
    )
    assert r.status_code == 302
    event = project.events.filter(kind=ItemEvent.Kind.UPDATED).get()
    assert event.actor == world.supervisor
    assert event.changes["phase"] == ["construction", "completed"]
    assert event.changes["milestones"][1] == ["主体封顶 2026-10-30"]
    page = client.get(reverse("ledger:item", args=[project.pk])).content.decode()
    assert "主体封顶" in page and "<del>在建</del> → 竣工" in page  # phases by their names, not their codes


def test_history_cannot_be_edited_or_deleted(world):
    event = world.project_a.events.first()
    event.summary = "篡改"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_history_is_read_only_in_admin(client, world, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.invalid", "x")
    client.force_login(admin)
    event = world.project_a.events.first()
    r = client.post(reverse("admin:ledger_itemevent_change", args=[event.pk]), {"summary": "篡改"})
    assert r.status_code in (403, 302, 200)
    event.refresh_from_db()
    assert event.summary != "篡改"
    assert client.post(reverse("admin:ledger_itemevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403


def test_marking_a_milestone_reached_turns_the_item_green(client, world):
    from taizhang.core.testing import make_task

    task = make_task(
        world.district,
        world.dept_a,
        milestones=[{"name": "方案报批", "planned_date": dt.date(2026, 3, 2)}],
        deadline=dt.date(2026, 12, 31),
    )
    task.refresh_from_db()
    assert task.status == "red"
    client.force_login(world.reporter_a)
    m = task.milestones.get()
    r = client.post(reverse("ledger:milestone_done", args=[task.pk, m.pk]), {"actual_date": "2026-03-05"})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.status == "green"


def test_the_timeline_names_phases_and_statuses_as_people_say_them(client, world):
    project = KeyProject.objects.get(pk=world.project_a.pk)
    client.force_login(world.supervisor)
    r = client.post(reverse("ledger:item_edit", args=[project.pk]), project_post(project, phase="completed"))
    assert r.status_code == 302, r.content.decode()[:500]
    ItemEvent.objects.create(item=project, kind=ItemEvent.Kind.STATUS, changes={"status": ["amber", "green"]})
    body = client.get(reverse("ledger:item", args=[project.pk])).content.decode()
    timeline = body[body.index("tz-timeline") :]
    assert "<del>在建</del> → 竣工" in timeline
    assert "<del>预警</del> → 正常" in timeline
    assert "construction" not in timeline and "amber" not in timeline


def test_only_the_offices_are_offered_the_ledger_import(client, world):
    client.force_login(world.admin_a)  # may create items, may not import the ledger
    home = client.get(reverse("ledger:home")).content.decode()
    assert reverse("ledger:project_create") in home and reverse("ledger:import") not in home
    assert client.get(reverse("ledger:import")).status_code == 403
    client.force_login(world.supervisor)
    assert reverse("ledger:import") in client.get(reverse("ledger:home")).content.decode()
