"""Speech to ledger over HTTP: upload, review with highlights, accept / reject, refusals."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from taizhang.ledger.models import KeyTask
from taizhang.speech import services
from taizhang.speech.models import ProposedTask, SourceDocument

S1 = "区住建局要在10月底前完成72个老旧小区改造。"
S2 = "发改局要牵头、住建局配合,年底前推动智能装备产业园项目开工建设。"
SPEECH = f"""在区委经济工作会议上的讲话
同志们:
今年全区经济运行总体平稳,地区生产总值完成210亿元,同比增长6.5%。
{S1}
{S2}
"""
pytestmark = pytest.mark.django_db


def _upload(client, content: bytes, name="讲话.txt", **extra):
    data = {
        "file": SimpleUploadedFile(name, content),
        "title": extra.get("title", "王区长在区委经济工作会议上的讲话"),
        "occasion": extra.get("occasion", "区委经济工作会议"),
        "doc_date": extra.get("doc_date", "2026-03-01"),
    }
    return client.post(reverse("speech:documents"), data)


@pytest.fixture
def policy_client(client, world):
    client.force_login(world.policy)
    return client


@pytest.fixture
def uploaded(policy_client, world):
    resp = _upload(policy_client, SPEECH.encode("utf-8"))
    assert resp.status_code == 302
    return SourceDocument.objects.get()


def test_upload_proposes_tasks_matched_to_units(uploaded, world):
    doc = uploaded
    assert doc.district == world.district and doc.uploaded_by == world.policy
    assert doc.original_name == "讲话.txt" and doc.state == SourceDocument.State.EXTRACTED
    p1, p2 = doc.proposals.order_by("index")
    assert p1.text == S1 and doc.clean_text[p1.span_start : p1.span_end] == S1
    assert p1.lead_unit == world.dept_b  # "区住建局" is the district's 住建局
    assert p1.deadline_end == dt.date(2026, 10, 31)
    assert p1.suggested_name == "完成72个老旧小区改造"
    assert p2.lead_unit == world.dept_a and list(p2.cooperating_units.all()) == [world.dept_b]
    assert p2.deadline_end == dt.date(2026, 12, 31)


def test_review_page_highlights_extractions(policy_client, uploaded):
    resp = policy_client.get(reverse("speech:document", args=[uploaded.pk]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert '<mark class="hl-directive" id="sentence-1">区住建局要在10月底前完成' in html
    assert '<mark class="hl-figure">210亿元,同比增长6.5%</mark>' in html
    assert '<mark class="hl-directive hl-project">智能装备产业园项目</mark>' in html
    assert html.count('id="sentence-') == 2
    assert "智能装备产业园项目</li>" in html  # named projects list
    assert "地区生产总值" in html and "6.5" in html  # figures table
    assert html.count('hx-post="/speech/proposals/') == 4  # accept + reject per card
    assert 'value="完成72个老旧小区改造"' in html


def test_accept_creates_key_task_quoting_the_sentence(policy_client, uploaded, world):
    p1 = uploaded.proposals.get(index=1)
    resp = policy_client.post(
        reverse("speech:proposal_accept", args=[p1.pk]),
        {
            f"p{p1.pk}-name": "老旧小区改造72个",
            f"p{p1.pk}-lead_unit": world.dept_b.pk,
            f"p{p1.pk}-cooperating_units": [world.street.pk],
            f"p{p1.pk}-leaders": [world.leader.pk],
            f"p{p1.pk}-deadline": "2026-10-31",
        },
        HTTP_HX_REQUEST="true",
    )
    assert resp.status_code == 200
    task = KeyTask.objects.get(name="老旧小区改造72个")
    assert task.source_quote == S1
    assert task.source_title == "区委经济工作会议"
    assert task.source_date == dt.date(2026, 3, 1)
    assert task.deadline == dt.date(2026, 10, 31) and task.year == 2026
    assert task.lead_unit == world.dept_b and list(task.cooperating_units.all()) == [world.street]
    assert list(task.leaders.all()) == [world.leader]
    p1.refresh_from_db()
    assert p1.decision == ProposedTask.Decision.ACCEPTED and p1.created_item_id == task.pk
    html = resp.content.decode()  # the swapped card links to the ledger item
    assert f'id="proposal-{p1.pk}"' in html and reverse("ledger:item", args=[task.pk]) in html
    assert "<html" not in html and "<form" not in html
    # accepting twice is refused and creates nothing
    again = policy_client.post(
        reverse("speech:proposal_accept", args=[p1.pk]),
        {f"p{p1.pk}-name": "x", f"p{p1.pk}-lead_unit": world.dept_b.pk},
        HTTP_HX_REQUEST="true",
    )
    assert again.status_code == 400 and KeyTask.objects.filter(source_quote=S1).count() == 1
    page = policy_client.get(reverse("speech:document", args=[uploaded.pk])).content.decode()
    assert reverse("ledger:item", args=[task.pk]) in page


def test_accept_without_lead_unit_shows_errors_and_creates_nothing(policy_client, uploaded):
    p1 = uploaded.proposals.get(index=1)
    before = KeyTask.objects.count()
    resp = policy_client.post(
        reverse("speech:proposal_accept", args=[p1.pk]), {f"p{p1.pk}-name": "任务"}, HTTP_HX_REQUEST="true"
    )
    assert resp.status_code == 400 and "<form" in resp.content.decode()
    assert KeyTask.objects.count() == before
    p1.refresh_from_db()
    assert p1.decision == ProposedTask.Decision.PENDING


def test_reject_then_document_is_reviewed(policy_client, uploaded, world):
    before = KeyTask.objects.count()
    for p in uploaded.proposals.all():
        resp = policy_client.post(reverse("speech:proposal_reject", args=[p.pk]))  # plain POST: redirect back
        assert resp.status_code == 302
    assert KeyTask.objects.count() == before
    assert set(uploaded.proposals.values_list("decision", flat=True)) == {ProposedTask.Decision.REJECTED}
    uploaded.refresh_from_db()
    assert uploaded.state == SourceDocument.State.REVIEWED


def test_gbk_text_file_is_decoded(policy_client):
    resp = _upload(policy_client, SPEECH.encode("gbk"), name="gbk讲话.txt")
    assert resp.status_code == 302
    doc = SourceDocument.objects.get()
    assert S1 in doc.clean_text and doc.proposals.count() == 2


def test_empty_file_is_refused_with_message(policy_client):
    resp = _upload(policy_client, b"")
    assert resp.status_code == 400
    assert "文件为空" in resp.content.decode()
    assert not SourceDocument.objects.exists()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    return buf.getvalue()


def test_zip_bomb_docx_is_refused_and_nothing_saved(policy_client):
    resp = _upload(policy_client, _zip_bomb(), name="讲话.docx")
    assert resp.status_code == 400
    assert "zip 炸弹" in resp.content.decode()
    assert not SourceDocument.objects.exists() and not ProposedTask.objects.exists()


def test_upload_limit_is_enforced(world, settings):
    settings.TAIZHANG_MAX_SPEECH_BYTES = 100
    f = SimpleUploadedFile("讲话.txt", SPEECH.encode("utf-8"))
    with pytest.raises(ValidationError):
        services.document_upload(
            actor=world.policy, district=world.district, file=f, title="t", occasion="", doc_date=dt.date(2026, 3, 1)
        )
    assert not SourceDocument.objects.exists()


def test_unsupported_file_type_is_refused(policy_client):
    resp = _upload(policy_client, b"MZ\x90\x00", name="virus.exe")
    assert resp.status_code == 400 and not SourceDocument.objects.exists()


def test_uploaded_html_is_escaped_on_review_page(policy_client):
    resp = _upload(policy_client, (SPEECH + "区城管局要<script>alert(1)</script>在年底前完成整治。\n").encode())
    assert resp.status_code == 302
    doc = SourceDocument.objects.get()
    html = policy_client.get(reverse("speech:document", args=[doc.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_documents_list_shows_counts(policy_client, uploaded):
    html = policy_client.get(reverse("speech:documents")).content.decode()
    assert uploaded.title in html and reverse("speech:document", args=[uploaded.pk]) in html


def test_supervisor_may_review(client, world, uploaded):
    client.force_login(world.supervisor)
    assert client.get(reverse("speech:document", args=[uploaded.pk])).status_code == 200


@pytest.mark.parametrize("who", ["reporter_a", "admin_a", "viewer_a", "leader"])
def test_other_roles_are_forbidden(client, world, uploaded, who):
    client.force_login(getattr(world, who))
    p1 = uploaded.proposals.get(index=1)
    assert client.get(reverse("speech:documents")).status_code == 403
    assert client.get(reverse("speech:document", args=[uploaded.pk])).status_code == 403
    assert client.post(reverse("speech:proposal_reject", args=[p1.pk])).status_code == 403
    assert _upload(client, SPEECH.encode()).status_code == 403
    p1.refresh_from_db()
    assert p1.decision == ProposedTask.Decision.PENDING


def test_other_district_gets_404(world, uploaded):
    client = Client()  # not the uploader's client: its session still holds the upload's flash message
    client.force_login(world.outsider)  # a supervisor, but of 渭水区
    p1 = uploaded.proposals.get(index=1)
    assert client.get(reverse("speech:document", args=[uploaded.pk])).status_code == 404
    assert client.post(reverse("speech:proposal_reject", args=[p1.pk])).status_code == 404
    assert uploaded.title not in client.get(reverse("speech:documents")).content.decode()
    with pytest.raises(PermissionDenied):  # the service refuses too
        services.proposed_task_reject(actor=world.outsider, proposal=p1)


def test_anonymous_is_sent_to_login(client, world):
    resp = client.get(reverse("speech:documents"))
    assert resp.status_code == 302 and "/login/" in resp["Location"]


@pytest.mark.parametrize(
    ("text", "deadline", "name"),
    [
        ("各街道要在10月底前完成72个老旧小区改造。", "10月底前", "完成72个老旧小区改造"),
        (
            "3.加快推进城东污水处理厂建设。年内完成主体工程，新增日处理能力5万吨。"
            "（牵头单位：区住建局；配合单位：区财政局；完成时限：2026年12月底前）",
            "2026年12月底前",
            "加快推进城东污水处理厂建设",
        ),
        ("（二）压实工作责任。各牵头单位要细化分解任务。", "", "压实工作责任"),
        ("一要加快项目建设进度，确保按期投产。", "", "加快项目建设进度，确保按期投产"),
        ("第二，全力抓好项目开工。", "", "全力抓好项目开工"),
        ("3.19万人次参加技能培训。", "", "3.19万人次参加技能培训"),  # a figure, not numbering
        ("第一句话，坚定信心不动摇。", "", "第一句话，坚定信心不动摇"),  # no separator: not numbering
    ],
)
def test_suggested_task_name(text, deadline, name):
    from taizhang.speech.services import suggested_name

    assert suggested_name(text, deadline) == name
