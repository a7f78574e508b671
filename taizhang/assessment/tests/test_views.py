"""Pages through real HTTP: rankings, drill-down scope, .docx, objections, judging, API."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from taizhang.assessment import services
from taizhang.assessment.models import JudgeScore, Objection, RuleScore
from taizhang.core.testing import make_person, make_project
from taizhang.org.models import Role

from .conftest import d


def client_for(person):
    c = Client()
    c.force_login(person)
    return c


@pytest.fixture
def published(setup):
    s = setup
    services.manual_score_enter(actor=s.world.policy, rule=s.r_manual, period=s.q1, unit=s.world.dept_a, points=36)
    run = services.scores_recompute(scheme=s.scheme, period=s.q1, as_of=d(3, 31))
    services.score_run_publish(actor=s.world.supervisor, run=run)
    return s, run


def test_index_and_rankings_pages(published):
    s, run = published
    page = client_for(s.world.reporter_a).get("/assessment/")
    assert page.status_code == 200 and "发改局" in page.content.decode()
    page = client_for(s.world.supervisor).get(f"/assessment/schemes/{s.scheme.pk}/periods/{s.q1.pk}/")
    assert page.status_code == 200 and "金台街道" in page.content.decode()


def test_drilldown_scope_and_links_to_items(published):
    s, run = published
    url = f"/assessment/schemes/{s.scheme.pk}/periods/{s.q1.pk}/units/{s.world.dept_a.pk}/"
    page = client_for(s.world.reporter_a).get(url)
    body = page.content.decode()
    item = RuleScore.objects.get(unit_score__run=run, unit_score__unit=s.world.dept_a, rule=s.r_rate).facts["ids"][0]
    assert page.status_code == 200 and reverse("ledger:item", args=[item]) in body and "objection_file" not in body
    assert "/assessment/scores/" in body
    other = f"/assessment/schemes/{s.scheme.pk}/periods/{s.q1.pk}/units/{s.world.dept_b.pk}/"
    assert client_for(s.world.reporter_a).get(other).status_code == 404
    assert client_for(s.world.outsider).get(url).status_code == 404
    assert client_for(s.world.leader).get(other).status_code == 200


def test_results_bulletin_docx(published):
    s, run = published
    resp = client_for(s.world.leader).get(f"/assessment/schemes/{s.scheme.pk}/periods/{s.q1.pk}/bulletin.docx")
    assert resp.status_code == 200
    doc = Document(io.BytesIO(resp.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "考核结果通报" in text and "第一季度" in text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["位次", "单位", "得分", "位次变化"]
    assert [c.text for c in table.rows[1].cells][:3] == ["1", "发改局", "71"]


def test_objection_filed_over_http_and_resolved(published):
    s, run = published
    rs = RuleScore.objects.get(unit_score__run=run, unit_score__unit=s.world.dept_a, rule=s.r_manual)
    resp = client_for(s.world.reporter_a).post(f"/assessment/scores/{rs.pk}/object/", {"reason": "请复核"})
    assert resp.status_code == 302
    obj = Objection.objects.get()
    assert (
        client_for(s.world.reporter_a)
        .post(f"/assessment/objections/{obj.pk}/resolve/", {"decision": "reject", "resolution": "x"})
        .status_code
        == 403
    )
    client_for(s.world.supervisor).post(
        f"/assessment/objections/{obj.pk}/resolve/", {"decision": "accept", "resolution": "补计", "points_after": "40"}
    )
    obj.refresh_from_db()
    assert obj.state == "accepted"
    page = client_for(s.world.reporter_a).get("/assessment/objections/").content.decode()
    assert "请复核" in page
    assert "提出申诉" in page and "予以采纳" in page and "filed" not in page and "accepted" not in page


def test_judge_scores_on_phone_form_once(world):
    judge = make_person(world.district, Role.LEADER, name="评委")
    session = services.observation_create(
        actor=world.supervisor,
        district=world.district,
        title="观摩",
        held_on=d(9, 25),
        judges=[judge],
        items=[make_project(world.district, world.dept_a)],
    )
    subject = session.subjects.get()
    data = {f"c{c.pk}": "20" for c in session.criteria.all()}
    url = f"/assessment/observation/{session.pk}/subjects/{subject.pk}/"
    c = client_for(judge)
    assert c.get(url).status_code == 200
    assert c.post(url, data).status_code == 302
    again = c.post(url, data)
    assert again.status_code == 200 and JudgeScore.objects.count() == 4
    assert client_for(world.reporter_a).get(url).status_code == 403


def test_api_rankings(published):
    s, run = published
    resp = client_for(s.world.reporter_a).get("/api/assessment/rankings/")
    assert resp.status_code == 200
    data = resp.json()
    assert data[0]["group"] == "区直部门"
    assert {r["unit"] for r in data[0]["rows"]} == {"发改局", "住建局", "工信局"}


def test_the_scheme_page_states_each_rule_in_words(setup):
    body = client_for(setup.world.supervisor).get(f"/assessment/schemes/{setup.scheme.pk}/").content.decode()
    assert "重点任务节点按时完成率（%） · 区间线性计分（0 不得分，100 得满分）" in body
    assert "逾期事项（项） · 按次扣分（每次扣 10 分）" in body
    assert "task_on_time_rate" not in body and "per_occurrence" not in body


@pytest.mark.parametrize(
    ("year", "name", "message"),
    [
        ("abc", "2027年度考核", "年份须在 2000 至 2100 之间"),
        ("20270", "2027年度考核", "年份须在 2000 至 2100 之间"),
        ("2027", "", "请填写方案名称"),
    ],
)
def test_a_scheme_with_a_bad_year_or_no_name_is_refused_in_words(world, year, name, message):
    from taizhang.assessment.models import Scheme

    browser = client_for(world.supervisor)
    r = browser.post("/assessment/schemes/new/", {"year": year, "name": name}, follow=True)
    assert r.status_code == 200 and message in r.content.decode()
    assert not Scheme.objects.exists()
