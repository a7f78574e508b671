"""The one-statement write of a report (PostgreSQL) against the ORM write it replaces, and intake under concurrency.

``services.case_report`` writes a report without photos on PostgreSQL with one
``INSERT … RETURNING`` statement (case, history line, statistics rows); everywhere
else the ORM writes them. Both must leave exactly the same rows and send the same
signals; a repeated idempotency key must still make one case however the copies race.
"""

import datetime as dt
import json
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import signals
from rest_framework.authtoken.models import Token

from taizhang.grid import rollup, services
from taizhang.grid.api import new_case_body
from taizhang.grid.models import Case, CaseEvent, CaseStatDay

URL = "/api/grid/cases/"
NOW = dt.datetime(2026, 3, 10, 2, 30, tzinfo=dt.UTC)  # 10:30 in Beijing, a Tuesday

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement write is PostgreSQL's; SQLite uses the ORM write"
)


def report(g, *, key, one_statement, monkeypatch, **kw):
    monkeypatch.setattr(services, "REPORT_IN_ONE_STATEMENT", one_statement)
    fields = {"description": "路面塌陷", "lat": g.inside[0], "lng": g.inside[1], "address": "解放路", **kw}
    return services.case_report(
        district=g.world.district, category=g.road, reporter=g.worker, idempotency_key=key, now=NOW, **fields
    )


def rollup_rows() -> dict:
    keys = ("kind", "day", "street_id", "class_id", "unit_id", "cell_id")
    return {tuple(r[k] for k in keys): r for r in CaseStatDay.objects.values()}


def rollup_added(before: dict, after: dict) -> dict:
    out = {}
    for key, row in after.items():
        old = before.get(key, {})
        delta = {c: row[c] - old.get(c, 0) for c in rollup.COUNTERS if row[c] != old.get(c, 0)}
        if delta:
            out[key] = delta
    return out


def row(obj) -> dict:
    """Every stored column (``model_to_dict`` would leave out the non-editable ones)."""
    return {f.name: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def written(case_id: int) -> tuple[dict, list[dict]]:
    return row(Case.objects.get(pk=case_id)), [row(e) for e in CaseEvent.objects.filter(case_id=case_id)]


@pg_only
def test_one_statement_and_orm_write_the_same_rows_and_send_the_same_signals(g, monkeypatch):
    sent = []

    def receiver(sender, instance, created=None, **kw):
        sent.append((kw["signal"], sender, created, instance.pk, instance._state.adding, kw["using"]))

    for signal in (signals.pre_save, signals.post_save):
        for sender in (Case, CaseEvent):
            signal.connect(receiver, sender=sender, weak=False)
    try:
        r0 = rollup_rows()
        orm = report(g, key="orm", one_statement=False, monkeypatch=monkeypatch)
        r1 = rollup_rows()
        sent_orm, sent[:] = sent[:], []
        one = report(g, key="one", one_statement=True, monkeypatch=monkeypatch)
        r2 = rollup_rows()
        sent_one = sent[:]
    finally:
        for signal in (signals.pre_save, signals.post_save):
            for sender in (Case, CaseEvent):
                signal.disconnect(receiver, sender=sender)

    # The rows, field by field (only the ids, the random tracking code and the key differ).
    (case_a, events_a), (case_b, events_b) = written(orm.pk), written(one.pk)
    assert case_b["possible_duplicate_of"] == orm.pk and case_a["possible_duplicate_of"] is None
    for d, k in ((case_a, "orm"), (case_b, "one")):
        assert d.pop("idempotency_key") == k and len(d.pop("tracking_code")) == services.TRACKING_LENGTH
        d.pop("id"), d.pop("possible_duplicate_of")
    assert case_a == case_b
    assert case_b["cell"] == g.cell.pk and case_b["street"] == g.world.street.pk  # placed in its grid cell
    assert case_b["dispatch_due"] is not None and case_b["clock_due"] == case_b["dispatch_due"]
    assert len(events_a) == len(events_b) == 1
    assert events_b[0]["case"] == one.pk and events_b[0]["action"] == "report" and events_b[0]["actor"] == g.worker.pk
    for e in events_a + events_b:
        e.pop("id"), e.pop("case")
    assert events_a == events_b
    # The statistics: the same rows added, by the same amounts.
    added_orm, added_one = rollup_added(r0, r1), rollup_added(r1, r2)
    assert added_orm == added_one and len(added_one) == 3  # street, incident class, grid cell
    # The returned objects: saved, with what the API answers.
    assert not one._state.adding and one._state.db == "default" and one.replayed is False
    body_a, body_b = new_case_body(orm), new_case_body(one)
    for b in (body_a, body_b):
        b.pop("id"), b.pop("possible_duplicate_of")
    assert body_a == body_b
    # The signals: same order of kinds per model, with the saved ids after the write.
    assert [(s, m, c) for s, m, c, _pk, _a, _u in sent_one] == [
        (signals.pre_save, Case, None),
        (signals.pre_save, CaseEvent, None),
        (signals.post_save, Case, True),
        (signals.post_save, CaseEvent, True),
    ]
    assert sorted((s is signals.post_save, m.__name__, c) for s, m, c, *_ in sent_orm) == sorted(
        (s is signals.post_save, m.__name__, c) for s, m, c, *_ in sent_one
    )
    posts = [x for x in sent_one if x[0] is signals.post_save]
    assert [(pk is not None, adding, using) for *_x, pk, adding, using in posts] == [(True, False, "default")] * 2
    assert CaseEvent.objects.get(case=one).pk == posts[1][3]


@pg_only
def test_inside_a_transaction_a_repeated_key_leaves_the_transaction_usable(g, monkeypatch):
    with transaction.atomic():
        first = report(g, key="k", one_statement=True, monkeypatch=monkeypatch)
        again = report(g, key="k", one_statement=True, monkeypatch=monkeypatch, address="别处")
        assert again.replayed and again.pk == first.pk
        assert Case.objects.filter(idempotency_key="k").count() == 1  # the savepoint rolled back, nothing else
    assert CaseEvent.objects.filter(case_id=first.pk).count() == 1


@pg_only
def test_the_assessment_hook_still_sees_each_report(g, monkeypatch, django_capture_on_commit_callbacks):
    """Its receiver (``post_save`` of the history line) schedules a recomputation when a scheme is published."""
    from taizhang.assessment import tasks

    monkeypatch.setattr(tasks, "_has_published_scheme", lambda district_id: True)
    with django_capture_on_commit_callbacks() as callbacks:
        report(g, key="hook", one_statement=True, monkeypatch=monkeypatch)
    assert [getattr(c, "assessment_district", None) for c in callbacks] == [g.world.district.pk]


@pg_only
@pytest.mark.django_db(transaction=True)
def test_copies_of_a_report_racing_each_other_over_http_make_one_case(g):
    token = Token.objects.create(user=g.worker)
    payload = json.dumps({"category": g.road.pk, "description": "井盖缺失", "lat": g.inside[0], "lng": g.inside[1]})
    copies = 6
    barrier = threading.Barrier(copies)
    answers, errors = [], []

    def post():
        from django.test import Client

        try:
            client = Client()
            barrier.wait()
            r = client.post(
                URL,
                payload,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token.key}",
                HTTP_IDEMPOTENCY_KEY="race-1",
            )
            answers.append((r.status_code, r.json()["id"]))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    before = rollup_rows()
    threads = [threading.Thread(target=post) for _ in range(copies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    cases = Case.objects.filter(idempotency_key=f"api:{g.worker.pk}:race-1")
    assert cases.count() == 1
    case = cases.get()
    assert sorted(answers) == [(200, case.pk)] * (copies - 1) + [(201, case.pk)]
    assert CaseEvent.objects.filter(case=case).count() == 1
    assert all(d == {"cases": 1} for d in rollup_added(before, rollup_rows()).values())  # counted once


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_dead_connection_is_replaced_without_an_extra_health_check(g, client, monkeypatch):
    """The duplicate search stands in for Django's ``SELECT 1``: none on a live connection, a new one on a dead one."""
    token = Token.objects.create(user=g.worker)

    def post(key):
        data = {"category": g.road.pk, "description": "路灯不亮", "lat": g.inside[0], "lng": g.inside[1]}
        return client.post(
            URL,
            json.dumps(data),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token.key}",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    assert post("warm").status_code == 201
    checks = []
    wrapper = type(connections["default"])
    is_usable = wrapper.is_usable
    monkeypatch.setattr(wrapper, "is_usable", lambda self: checks.append(1) or is_usable(self))
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    connection.health_check_enabled = True

    connection.close_if_unusable_or_obsolete()  # what the start of a request does
    assert post("live").status_code == 201
    assert checks == [] and connection.health_check_done

    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    connection.close_if_unusable_or_obsolete()
    r = post("after-restart")
    assert r.status_code == 201 and checks == [1]  # found dead, replaced, the report recorded
    assert connection.connection.info.backend_pid != pid
    assert Case.objects.filter(idempotency_key=f"api:{g.worker.pk}:after-restart").count() == 1


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/St_Johns"])
def test_the_answer_writes_times_as_the_serializer_does(g, zone):
    from django.utils import timezone

    from taizhang.grid.api import CaseSerializer

    case = services.case_report(
        district=g.world.district, category=g.road, description="井盖", lat=g.inside[0], lng=g.inside[1], now=NOW
    )
    case = Case.objects.select_related("category").get(pk=case.pk)
    with timezone.override(zone):
        body, reference = new_case_body(case), CaseSerializer(case).data
    assert body == reference
    assert body["created_at"] == {"Asia/Shanghai": "2026-03-10T10:30:00+08:00", "UTC": "2026-03-10T02:30:00Z",
                                  "America/St_Johns": "2026-03-10T00:00:00-02:30"}[zone]  # fmt: skip


def test_tracking_codes_use_the_whole_alphabet_uniformly():
    codes = [services.tracking_code_new() for _ in range(3000)]
    assert all(len(c) == services.TRACKING_LENGTH and set(c) <= set(services.TRACKING_ALPHABET) for c in codes)
    assert len(set(codes)) == len(codes)
    counts = {ch: 0 for ch in services.TRACKING_ALPHABET}
    for c in codes:
        for ch in c:
            counts[ch] += 1
    expected = len(codes) * services.TRACKING_LENGTH / len(counts)  # ≈ 1161 each
    assert all(abs(n - expected) < 0.2 * expected for n in counts.values()), counts
    assert {c[-1] for c in codes} == set(services.TRACKING_ALPHABET)  # the last place too (the highest digit)
