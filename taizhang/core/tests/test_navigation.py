"""The menu bar: entries by role, the active entry, the language — rendered once and cached."""

import re

import pytest
from django.test import Client


def _menu(body: str) -> str:
    return body[body.index('<ul class="navbar-nav me-auto">') : body.index('<ul class="navbar-nav">')]


@pytest.mark.django_db
def test_menu_entries_follow_role_and_page(world, client):
    client.force_login(world.reporter_a)
    menu = _menu(client.get("/projects/").content.decode())
    assert "驾驶舱" not in menu  # the cockpit is for leaders and the two offices
    assert re.search(r'dropdown-toggle active"[^>]*>台账<', menu)
    assert '<a class="dropdown-item active" href="/projects/">重点项目</a>' in menu
    assert '<a class="dropdown-item" href="/tasks/">重点任务</a>' in menu
    assert not re.search(r'dropdown-toggle active"[^>]*>督查督办<', menu)

    supervisor = Client()
    supervisor.force_login(world.supervisor)
    menu = _menu(supervisor.get("/supervision/notices/").content.decode())
    assert "驾驶舱" in menu
    assert re.search(r'dropdown-toggle active"[^>]*>督查督办<', menu)
    assert '<a class="dropdown-item" href="/projects/">重点项目</a>' in menu  # not active here


@pytest.mark.django_db
def test_menu_speaks_the_chosen_language(world, client):
    client.force_login(world.reporter_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/projects/"})
    menu = _menu(client.get("/projects/").content.decode())
    assert '<a class="dropdown-item active" href="/projects/">Key projects</a>' in menu
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/projects/"})
    assert "重点项目" in _menu(client.get("/projects/").content.decode())


@pytest.mark.django_db
def test_the_menu_bar_names_the_person_and_its_forms_carry_one_working_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.reporter_a)
    body = browser.get("/projects/?status=red").content.decode()
    assert '<a class="navbar-brand" href="/">台账 · 秦川区</a>' in body
    assert "发改填报员 · 填报员 · 发改局" in body
    assert '<input type="hidden" name="next" value="/projects/?status=red">' in body
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
    assert tokens == set(re.findall(r'"X-CSRFToken": "([^"]+)"', body))
    assert len(tokens) == 1  # one masked token per page, shared by both forms and htmx
    (token,) = tokens
    switched = browser.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en", "next": "/projects/"})
    assert switched.status_code == 302
    english = browser.get("/projects/").content.decode()
    assert "Unit reporter" in english and 'value="zh-hans">中文</button>' in english


@pytest.mark.django_db
def test_signed_out_pages_show_the_brand_only(client):
    body = client.get("/login/").content.decode()
    assert '<a class="navbar-brand" href="/">台账</a></div></nav>' in body
    assert "navbar-nav me-auto" not in body
    assert "/static/vendor/htmx/htmx.min.js" in body
