#!/usr/bin/env python
"""Grid benchmark: sustained report intake over HTTP, and the board and statistics at 1M cases.

    make bench-grid   # = ./scripts/with_postgres.sh .venv/bin/python bench/grid_bench.py

1. Classifier: train the department suggester on 50,000 past cases and time a
   suggestion (targets: training < 30 s, a suggestion < 5 ms).
2. Generate the district's year (``bench/grid_generate.py``, default 1,000,000 cases),
   VACUUM ANALYZE, then time Django test-client requests as a dispatcher: the dispatch
   board (full page, htmx partial, filtered) and the statistics page (default range —
   the year to date — and the last 365 days). Target p95 ≤ 150 ms. The slowest SQL of a
   page that misses it is written with ``EXPLAIN (ANALYZE, BUFFERS)`` to
   ``bench/results/grid_explain.txt``.
3. Intake: start gunicorn (bench settings, 127.0.0.1 only, 2×cores+1 sync workers) on
   the same database and drive it from a separate process: a bounded number of client
   threads POST reports to the case API, each with a unique ``Idempotency-Key``; a share
   of keys is sent twice at once (a client retrying over a flaky link) and a share is
   re-sent later. Target ≥ 300 acknowledged reports/s sustained over ≥ 20 s. Afterwards
   every acknowledged (2xx) report must be in the database exactly once, and each
   retried key must have produced one row (the same case id in every answer).

Writes ``bench/results/grid.json`` and prints a Markdown table. Without DATABASE_URL it
runs on a throwaway SQLite file (a smoke run of the script, not a measurement:
``.venv/bin/python bench/grid_bench.py --cases 5000 --intake-seconds 3``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

PAGE_P95_MS = 150.0
INTAKE_TARGET = 300.0
TRAIN_S = 30.0
SUGGEST_MS = 5.0


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=1_000_000, help="cases to generate (default 1,000,000)")
    p.add_argument("--requests", type=int, default=30, help="measured requests per page (default 30)")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument(
        "--page-seconds", type=float, default=60.0, help="stop measuring a page after this long (at least 5 requests)"
    )
    p.add_argument("--train-cases", type=int, default=50_000, help="classifier training set (default 50,000)")
    p.add_argument("--intake-seconds", type=float, default=25.0, help="measured intake window (default 25 s)")
    p.add_argument("--clients", type=int, default=16, help="concurrent intake clients (default 16)")
    p.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    p.add_argument("--twin-share", type=float, default=0.03, help="share of keys sent twice at once")
    p.add_argument("--resend-share", type=float, default=0.03, help="share of requests re-sending an earlier key")
    p.add_argument("--skip", action="append", default=[], choices=["classifier", "pages", "intake"])
    p.add_argument(
        "--only",
        choices=["classifier", "pages", "intake"],
        help="run only this part (e.g. --only intake --cases 50000: a 1–2 minute intake iteration)",
    )
    p.add_argument("--worker-class", default="sync", choices=["sync", "gthread"], help="gunicorn worker class")
    p.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    p.add_argument("--keep-alive", action="store_true", help="clients reuse one HTTP connection each")
    p.add_argument(
        "--inprocess-reports",
        type=int,
        default=2000,
        help="after the HTTP run, new reports one at a time in process: statements and CPU per report (0: skip)",
    )
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "grid.json"))
    # Internal: the intake client process.
    p.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--client-spec", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100)."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def summarise(samples_ms: list[float]) -> dict:
    return {
        "n": len(samples_ms),
        "p50_ms": round(statistics.median(samples_ms), 2),
        "p95_ms": round(percentile(samples_ms, 95), 2),
        "max_ms": round(max(samples_ms), 2),
    }


# --------------------------------------------------------------------------- 1. classifier


def bench_classifier(n: int) -> dict:
    from bench.grid_generate import dispatch_history
    from taizhang.grid import classifier

    texts, labels = dispatch_history(n + 2000, seed=3)
    train_t, train_l, test_t, test_l = texts[:n], labels[:n], texts[n:], labels[n:]
    t = time.perf_counter()
    model = classifier.train(train_t, train_l)
    train_s = time.perf_counter() - t
    samples, hits, conf = [], 0, 0.0
    for text, label in zip(test_t, test_l, strict=True):
        t = time.perf_counter()
        ranked = model.suggest(text)
        samples.append((time.perf_counter() - t) * 1000)
        hits += ranked[0][0] == label
        conf += ranked[0][1]
    blob = model.dumps()
    t = time.perf_counter()
    classifier.Model.loads(blob)
    load_ms = (time.perf_counter() - t) * 1000
    return {
        "train_cases": n,
        "train_s": round(train_s, 2),
        "suggest": summarise(samples),
        "accuracy": round(hits / len(test_t), 4),
        "mean_confidence": round(conf / len(test_t), 4),
        "features": len(model.counts),
        "model_bytes": len(blob),
        "load_ms": round(load_ms, 1),
        "met": train_s < TRAIN_S and percentile(samples, 95) < SUGGEST_MS,
    }


# --------------------------------------------------------------------------- 2. pages


def time_page(
    client, url: str, params: dict, n: int, warmup: int, headers: dict | None = None, budget_s: float = 60.0
) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def one():
        t = time.perf_counter()
        r = client.get(url, params, headers=headers or {})
        body = r.content
        return (time.perf_counter() - t) * 1000, r, body

    for _ in range(warmup):
        one()
    samples, status, size = [], None, 0
    stop = time.perf_counter() + budget_s
    for i in range(n):
        ms, r, body = one()
        samples.append(ms)
        status, size = r.status_code, len(body)
        if i >= 4 and time.perf_counter() > stop:  # a page of seconds: enough samples to say so
            break
    with CaptureQueriesContext(connection) as ctx:
        one()
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    return {
        **summarise(samples),
        "status": status,
        "bytes": size,
        "queries": len(ctx.captured_queries),
        "slowest_sql": [{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:4000]} for q in queries[:4]],
    }


def explain(sql: str) -> str:
    from django.db import connection

    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(r[0] for r in cursor.fetchall())


def bench_pages(world, args) -> list[dict]:
    import datetime as dt

    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from taizhang.core.calendar import today as local_today
    from taizhang.org.models import Person

    dispatcher = Person.objects.get(pk=world.dispatcher_id)
    client = Client()
    client.force_login(dispatcher)
    today = local_today()
    year_ago = (today - dt.timedelta(days=365)).isoformat()
    busiest = world.department_ids["城管局"]
    pages = [
        ("board", "grid:board", {}, False),
        ("board (htmx partial)", "grid:board", {}, True),
        ("board ?state=centre", "grid:board", {"state": "centre"}, True),
        ("board ?light=red", "grid:board", {"light": "red"}, True),
        ("board ?unit=城管局", "grid:board", {"unit": busiest}, True),
        ("board ?q=井盖", "grid:board", {"q": "井盖"}, True),
        ("statistics (year to date)", "grid:stats", {}, False),
        ("statistics (last 365 days)", "grid:stats", {"from": year_ago, "to": today.isoformat()}, False),
    ]
    rows = []
    for label, name, params, htmx in pages:
        row = {"page": label, "url_name": name, "params": {k: str(v) for k, v in params.items()}}
        try:
            url = reverse(name)
        except NoReverseMatch:
            row["error"] = f"URL {name} does not exist"
            rows.append(row)
            continue
        print(f"  {label} …", flush=True)
        try:
            headers = {"HX-Request": "true"} if htmx else None
            row.update(time_page(client, url, params, args.requests, args.warmup, headers, args.page_seconds))
        except Exception as exc:  # noqa: BLE001 — a broken page is a result, not a crash of the benchmark
            row["error"] = f"{type(exc).__name__}: {exc}"[:300]
        row["met"] = "p95_ms" in row and row["p95_ms"] <= PAGE_P95_MS and row.get("status") == 200
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- 3. intake


def intake_client(spec: dict) -> dict:
    """Runs in its own process: POST reports for ``seconds`` from ``clients`` threads, record every answer."""
    import http.client

    rng = random.Random(spec["seed"])
    host, port = "127.0.0.1", spec["port"]
    deadline = time.monotonic() + spec["warmup"] + spec["seconds"]
    measure_from = time.monotonic() + spec["warmup"]
    lock = threading.Lock()
    answers: list[dict] = []  # one per request: key, status, id, t, ms
    sent_keys: list[str] = []
    twins: list[tuple[str, str]] = []  # (key, body) waiting for its twin
    payload_of: dict[str, str] = {}

    def new_body(key: str) -> str:
        cat = rng.choice(spec["categories"])
        lat, lng = rng.uniform(*spec["lat"]), rng.uniform(*spec["lng"])
        body = json.dumps(
            {
                spec["fields"]["category"]: cat["id"],
                spec["fields"]["description"]: f"{rng.choice(cat['problems'])}（压测 {key[:8]}）",
                spec["fields"]["lat"]: round(lat, 6),
                spec["fields"]["lng"]: round(lng, 6),
                spec["fields"]["address"]: "压测路1号",
            },
            ensure_ascii=False,
        )
        payload_of[key] = body
        return body

    def next_job() -> tuple[str, str, str]:
        with lock:
            if twins:
                key, body = twins.pop()
                return key, body, "twin"
            roll = rng.random()
            if roll < spec["resend_share"] and sent_keys:
                key = rng.choice(sent_keys[-500:])
                return key, payload_of[key], "resend"
            key = uuid.uuid4().hex
            body = new_body(key)
            sent_keys.append(key)
            if roll < spec["resend_share"] + spec["twin_share"]:
                twins.append((key, body))  # the next free client sends it again, concurrently
            return key, body, "new"

    keep_alive = spec.get("keep_alive", False)

    def post(conn, key: str, body: str):
        conn.request(
            "POST",
            spec["path"],
            body=body.encode(),
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": key,
                "Authorization": f"Token {spec['token']}",
            },
        )
        resp = conn.getresponse()
        return resp, resp.read()

    def worker():
        conn = None
        while time.monotonic() < deadline:
            key, body, kind = next_job()
            t0 = time.monotonic()
            status, case_id, err = 0, None, ""
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=30)
                    resp, raw = post(conn, key, body)
                else:
                    try:
                        resp, raw = post(conn, key, body)
                    except (http.client.RemoteDisconnected, ConnectionError):
                        # The server closed the idle connection: send again on a new one (the key makes it safe).
                        conn.close()
                        conn = http.client.HTTPConnection(host, port, timeout=30)
                        resp, raw = post(conn, key, body)
                status = resp.status
                if not keep_alive or resp.will_close:
                    conn.close()
                    conn = None
                if 200 <= status < 300:
                    doc = json.loads(raw)
                    case_id = doc.get(spec["fields"]["id"])
                else:
                    err = raw[:200].decode("utf-8", "replace")
            except Exception as exc:  # noqa: BLE001 — every failure is recorded, none retried silently
                err = f"{type(exc).__name__}: {exc}"[:200]
                if conn is not None:
                    conn.close()
                    conn = None
            t1 = time.monotonic()
            with lock:
                answers.append(
                    {
                        "key": key,
                        "kind": kind,
                        "status": status,
                        "id": case_id,
                        "t": t1,
                        "ms": (t1 - t0) * 1000,
                        "err": err,
                    }
                )

    import resource

    def cpu_now() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    cpu_at_window: list[float] = []

    def window_opens():
        cpu_at_window.append(cpu_now())
        if spec.get("marker"):
            Path(spec["marker"]).write_text("window")  # the parent starts its CPU accounting now

    threading.Timer(max(0.0, measure_from - time.monotonic()), window_opens).start()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(spec["clients"])]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=spec["warmup"] + spec["seconds"] + 60)
    window = [a for a in answers if a["t"] >= measure_from]
    acked_new = [a for a in window if a["kind"] == "new" and 200 <= a["status"] < 300]
    window_end = cpu_now()
    return {
        "client_cpu_s": window_end - cpu_at_window[0] if cpu_at_window else None,
        "answers": [{k: a[k] for k in ("key", "kind", "status", "id", "err")} for a in answers],
        "window_s": spec["seconds"],
        "requests_in_window": len(window),
        "new_acked_in_window": len(acked_new),
        "latency": summarise([a["ms"] for a in window]) if window else {},
    }


def _tree_cpu_s(root: int) -> float:
    """CPU seconds of a process and its children (the exited ones as far as it reaped them), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")

    def fields(pid) -> list[str] | None:
        try:
            raw = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return None
        return raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) ": state, ppid, …

    own = fields(root)
    if own is None:
        return 0.0
    total = sum(int(x) for x in own[11:15])  # utime stime cutime cstime
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (f := fields(entry)) is not None and f[1] == str(root):
            total += int(f[11]) + int(f[12])
    return total / tick


def _free_port() -> int:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _wait_http(port: int, timeout: float = 30) -> None:
    import http.client

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


def intake_target(reporter) -> dict:
    """Where and how the case API takes reports (``taizhang.grid.api.CaseViewSet.create``).

    The API stores the key scoped to the caller: ``api:<person id>:<Idempotency-Key>``.
    """
    from django.urls import reverse

    return {
        "path": reverse("grid-case-list"),
        "stored_key": f"api:{reporter.pk}:{{key}}",
        "fields": {"category": "category", "description": "description", "lat": "lat", "lng": "lng",
                   "address": "address", "id": "id"},
    }  # fmt: skip


def bench_intake(world, args) -> dict:
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from bench.grid_generate import CATALOGUE
    from taizhang.grid.models import Case, Category, GridCell
    from taizhang.org.models import Person

    worker = Person.objects.filter(district_id=world.district_id, role="grid_worker").order_by("id").first()
    token, _ = Token.objects.get_or_create(user=worker)
    problems = {code: probs for _c, _n, types in CATALOGUE for code, _t, *_rest, probs in types}
    cats = [
        {"id": c.id, "problems": problems.get(c.code, [c.name])}
        for c in Category.objects.filter(district_id=world.district_id, parent__isnull=False)
    ]
    cells = GridCell.objects.filter(district_id=world.district_id)
    lat = (min(c.min_lat for c in cells), max(c.max_lat for c in cells))
    lng = (min(c.min_lng for c in cells), max(c.max_lng for c in cells))
    target = intake_target(worker)
    before = Case.objects.filter(district_id=world.district_id).count()
    postmaster, synchronous_commit = None, None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid(), current_setting('synchronous_commit')")
            backend, synchronous_commit = cursor.fetchone()
        stat = Path(f"/proc/{backend}/stat").read_text()
        postmaster = int(stat[stat.rindex(")") + 2 :].split()[1])
    connection.close()  # the server processes open their own connections

    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    gunicorn = [
        str(Path(sys.executable).parent / "gunicorn"),
        "taizhang.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers),
        "--worker-class", args.worker_class,
        "--threads", str(args.threads),
        "--backlog", "256",
        "--timeout", "60",
        "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
    try:
        _wait_http(port)
        spec = {
            "port": port,
            "path": target["path"],
            "fields": target["fields"],
            "token": token.key,
            "categories": cats,
            "lat": lat,
            "lng": lng,
            "clients": args.clients,
            "seconds": args.intake_seconds,
            "warmup": 3.0,
            "twin_share": args.twin_share,
            "resend_share": args.resend_share,
            "seed": 5,
            "keep_alive": args.keep_alive,
        }
        spec_file = ROOT / ".tmp" / "grid_intake_spec.json"
        out_file = ROOT / ".tmp" / "grid_intake_answers.json"
        spec_file.parent.mkdir(exist_ok=True)
        print(
            f"  gunicorn: {args.workers} {args.worker_class} workers × {args.threads} threads on 127.0.0.1:{port}; "
            f"{args.clients} clients{' (keep-alive)' if args.keep_alive else ''} …",
            flush=True,
        )
        # CPU is counted over the measured window only (worker start-up and warm-up excluded):
        # the client touches ``marker`` when its window opens.
        marker = ROOT / ".tmp" / "grid_intake_window"
        marker.unlink(missing_ok=True)
        spec["marker"] = str(marker)
        spec_file.write_text(json.dumps(spec, ensure_ascii=False))
        snap: dict = {}

        def snapshot_at_window():
            while not marker.exists() and time.perf_counter() < give_up:
                time.sleep(0.01)
            snap["wall"] = time.perf_counter()
            snap["server"] = _tree_cpu_s(server.pid)
            snap["database"] = _tree_cpu_s(postmaster) if postmaster else 0.0

        give_up = time.perf_counter() + 60
        watcher = threading.Thread(target=snapshot_at_window, daemon=True)
        watcher.start()
        client = subprocess.run(
            [sys.executable, __file__, "--client", "--client-spec", str(spec_file)],
            cwd=ROOT,
            env=env,
            stdout=open(out_file, "w"),  # noqa: SIM115
            timeout=args.intake_seconds + 120,
            check=True,
        )
        del client
        watcher.join(timeout=5)
        end = {"server": _tree_cpu_s(server.pid), "database": _tree_cpu_s(postmaster) if postmaster else 0.0}
        # The window closes when the client stops sending; its stragglers add a few ms.
        wall = spec["seconds"]
        result = json.loads(out_file.read_text())
        cpu = {k: end[k] - snap[k] for k in ("server", "database")} if "wall" in snap else {}
        cpu["client"] = result.pop("client_cpu_s") or 0.0
        n = max(1, result["requests_in_window"])
        # CPU per request over the measured window, by process group.
        result["cpu_ms_per_request"] = {k: round(v * 1000 / n, 2) for k, v in cpu.items()}
        result["cpu_ms_per_request"]["total"] = round(sum(cpu.values()) * 1000 / n, 2)
        result["cpu_busy_share"] = round(sum(cpu.values()) / (wall * (os.cpu_count() or 1)), 2)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    return {
        **verify_intake(world, result, before, args, target["stored_key"]),
        "synchronous_commit": synchronous_commit,  # the server's sessions use the same settings
    }


def bench_intake_inprocess(world, args) -> dict:
    """New reports one at a time through the WSGI handler in this process: statements and CPU per report.

    Middleware, URL resolution, signals and the persistent connection with its health
    checks are as under gunicorn; there is no HTTP server, no client and no concurrency,
    so the figures hardly move with the machine's load: CPU of this process
    (``time.process_time``) and of its PostgreSQL backend (``/proc/<pid>/stat``) per report,
    and the statements the server received for one report (``log_statement``).
    """
    import io

    from django.db import connection
    from rest_framework.authtoken.models import Token

    from taizhang.grid.models import Category, GridCell
    from taizhang.org.models import Person
    from taizhang.wsgi import application

    worker = Person.objects.filter(district_id=world.district_id, role="grid_worker").order_by("id").first()
    token, _ = Token.objects.get_or_create(user=worker)
    cats = list(
        Category.objects.filter(district_id=world.district_id, parent__isnull=False).values_list("id", flat=True)
    )
    cells = list(GridCell.objects.filter(district_id=world.district_id))
    lat = (min(c.min_lat for c in cells), max(c.max_lat for c in cells))
    lng = (min(c.min_lng for c in cells), max(c.max_lng for c in cells))
    path = intake_target(worker)["path"]
    rng = random.Random(7)
    connection.close()

    def post() -> str:
        key = uuid.uuid4().hex
        body = json.dumps(
            {"category": rng.choice(cats), "description": f"占道经营（压测 {key[:8]}）",
             "lat": round(rng.uniform(*lat), 6), "lng": round(rng.uniform(*lng), 6), "address": "压测路1号"},
            ensure_ascii=False,
        ).encode()  # fmt: skip
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000", "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
            "HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_IDEMPOTENCY_KEY": key, "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }  # fmt: skip
        status = []
        result = application(environ, lambda s, headers, exc_info=None: status.append(s))
        b"".join(result)
        result.close()
        return status[0]

    def backend() -> tuple[int, float]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        stat = Path(f"/proc/{pid}/stat").read_text()
        f = stat[stat.rindex(")") + 2 :].split()
        return pid, (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    for _ in range(200):  # warm-up: caches, connection
        status = post()
        if not status.startswith("201"):
            raise RuntimeError(f"intake answered {status}")
    out: dict = {"reports": args.inprocess_reports}
    pg = connection.vendor == "postgresql"
    if pg:
        out["statements"] = _statements_of_one_report(post)
    pid0, db0 = backend() if pg else (None, 0.0)
    cpu0 = time.process_time()
    for _ in range(args.inprocess_reports):
        post()
    cpu1 = time.process_time()
    pid1, db1 = backend() if pg else (None, 0.0)
    n = args.inprocess_reports
    out["server_cpu_ms"] = round((cpu1 - cpu0) * 1000 / n, 3)
    out["database_cpu_ms"] = round((db1 - db0) * 1000 / n, 3) if pid0 == pid1 and pg else None
    return out


def _statements_of_one_report(post) -> list[str] | None:
    """What PostgreSQL received for one report (``log_statement = 'all'`` for a moment).

    Reads the server log where ``scripts/with_postgres.sh`` puts it (next to the data
    directory); None elsewhere.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        log = Path(cursor.fetchone()[0]).parent / "server.log"
    if not log.exists():
        return None

    def log_all(on: bool) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER SYSTEM SET log_statement = '{'all' if on else 'none'}'")
            cursor.execute("SELECT pg_reload_conf()")
        time.sleep(0.5)

    log_all(True)
    try:
        start = log.stat().st_size
        post()
        time.sleep(0.2)
        with log.open("rb") as f:
            f.seek(start)
            text = f.read().decode("utf-8", "replace")
    finally:
        log_all(False)
    return [line.split("statement: ", 1)[1][:100] for line in text.splitlines() if "statement: " in line]


def verify_intake(world, result: dict, before: int, args, stored_key: str) -> dict:
    from collections import Counter, defaultdict

    from taizhang.grid.models import Case

    answers = result.pop("answers")
    statuses = Counter(a["status"] for a in answers)
    acked = [a for a in answers if 200 <= a["status"] < 300]
    ids_by_key: dict[str, set] = defaultdict(set)
    for a in acked:
        ids_by_key[a["key"]].add(a["id"])
    keys_sent = {a["key"] for a in answers}
    sent_of = {stored_key.format(key=k): k for k in keys_sent}
    stored = list(
        Case.objects.filter(district_id=world.district_id, idempotency_key__isnull=False).values_list(
            "idempotency_key", "id"
        )
    )
    # The unique constraint makes two rows per key impossible; count anyway — that is the claim under test.
    per_key = Counter(sent_of.get(k, k) for k, _id in stored)
    rows = {sent_of[k]: pk for k, pk in stored if k in sent_of}
    lost = [k for k in ids_by_key if k not in rows]
    wrong_id = [k for k, ids in ids_by_key.items() if k in rows and ids != {rows[k]}]
    doubled = [k for k, n in per_key.items() if n > 1]
    retried = {a["key"] for a in answers if a["kind"] != "new"}
    retried_acked = [k for k in retried if k in ids_by_key]
    after = Case.objects.filter(district_id=world.district_id).count()
    unacked_but_stored = [k for k in keys_sent if k in rows and k not in ids_by_key]
    rate = result["new_acked_in_window"] / result["window_s"]
    errors = Counter(a["err"][:120] for a in answers if not 200 <= a["status"] < 300)
    return {
        "workers": args.workers,
        "worker_class": args.worker_class,
        "threads": args.threads,
        "keep_alive": args.keep_alive,
        "clients": args.clients,
        "window_s": result["window_s"],
        "requests": len(answers),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": dict(errors.most_common(5)),
        "reports_per_s": round(rate, 1),
        "requests_per_s": round(result["requests_in_window"] / result["window_s"], 1),
        "latency": result["latency"],
        "cpu_ms_per_request": result.get("cpu_ms_per_request"),
        "cpu_busy_share": result.get("cpu_busy_share"),
        # The most the machine could answer if the benchmark's processes had every core to themselves.
        "cpu_ceiling_per_s": round((os.cpu_count() or 1) * 1000 / result["cpu_ms_per_request"]["total"])
        if result.get("cpu_ms_per_request")
        else None,
        "acknowledged_keys": len(ids_by_key),
        "retried_keys": len(retried),
        "retried_keys_acknowledged": len(retried_acked),
        "rows_added": after - before,
        "rows_with_sent_keys": sum(1 for k in keys_sent if k in rows),
        "lost": len(lost),
        "acknowledged_with_other_id": len(wrong_id),
        "keys_with_two_rows": len(doubled),
        "stored_without_ack": len(unacked_but_stored),
        "zero_loss": not lost and not wrong_id and not doubled,
        "met": rate >= INTAKE_TARGET and not lost and not wrong_id and not doubled,
    }


# --------------------------------------------------------------------------- main


def table(results: dict) -> str:
    lines = ["| measure | result | target | met |", "|---|---|---|---|"]
    c = results.get("classifier")
    if c:
        lines.append(
            f"| classifier: train on {c['train_cases']:,} cases | {c['train_s']} s "
            f"(accuracy {c['accuracy']:.1%}, mean confidence {c['mean_confidence']:.1%}) | < {TRAIN_S:.0f} s | "
            f"{'yes' if c['train_s'] < TRAIN_S else 'NO'} |"
        )
        lines.append(
            f"| classifier: one suggestion | p50 {c['suggest']['p50_ms']} ms, p95 {c['suggest']['p95_ms']} ms | "
            f"< {SUGGEST_MS:.0f} ms | {'yes' if c['suggest']['p95_ms'] < SUGGEST_MS else 'NO'} |"
        )
    for p in results.get("pages", []):
        if "error" in p:
            lines.append(f"| {p['page']} | {p['error']} | p95 ≤ {PAGE_P95_MS:.0f} ms | NO |")
            continue
        lines.append(
            f"| {p['page']} (HTTP {p['status']}, {p['queries']} queries) | p50 {p['p50_ms']} ms, p95 {p['p95_ms']} ms "
            f"| p95 ≤ {PAGE_P95_MS:.0f} ms | {'yes' if p['met'] else 'NO'} |"
        )
    i = results.get("intake")
    if i:
        if "error" in i:
            lines.append(f"| intake | {i['error']} | ≥ {INTAKE_TARGET:.0f}/s, zero loss | NO |")
        else:
            lines.append(
                f"| intake: acknowledged new reports/s over {i['window_s']:.0f} s ({i['clients']} clients, "
                f"{i['workers']} workers) | {i['reports_per_s']} /s (p95 {i['latency'].get('p95_ms')} ms) "
                f"| ≥ {INTAKE_TARGET:.0f}/s | {'yes' if i['reports_per_s'] >= INTAKE_TARGET else 'NO'} |"
            )
            if i.get("cpu_ms_per_request"):
                c = i["cpu_ms_per_request"]
                lines.append(
                    f"| intake: CPU per request (server / PostgreSQL / load client = total) | "
                    f"{c['server']} / {c['database']} / {c['client']} = {c['total']} ms; cores busy "
                    f"{i['cpu_busy_share']:.0%}; CPU ceiling {os.cpu_count()} cores ÷ total ≈ "
                    f"{i['cpu_ceiling_per_s']}/s | ≥ {INTAKE_TARGET:.0f}/s | "
                    f"{'yes' if (i['cpu_ceiling_per_s'] or 0) >= INTAKE_TARGET else 'NO'} |"
                )
            lines.append(
                f"| intake: acknowledged reports lost / doubled / answered with another id | "
                f"{i['lost']} / {i['keys_with_two_rows']} / {i['acknowledged_with_other_id']} "
                f"({i['acknowledged_keys']:,} keys, {i['retried_keys']:,} retried; synchronous_commit "
                f"{i.get('synchronous_commit') or '—'}) | 0 / 0 / 0 | "
                f"{'yes' if i['zero_loss'] else 'NO'} |"
            )
    j = results.get("intake_inprocess")
    if j:
        if "error" in j:
            lines.append(f"| intake in process | {j['error']} | — | — |")
        else:
            statements = j.get("statements")
            lines.append(
                f"| intake in process, one report at a time ({j['reports']:,}): CPU per report, server / PostgreSQL"
                f" backend; statements PostgreSQL received | {j['server_cpu_ms']} / {j['database_cpu_ms']} ms; "
                f"{'—' if statements is None else len(statements)} | — | — |"
            )
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.only:
        args.skip = [part for part in ("classifier", "pages", "intake") if part != args.only]
    if args.client:
        spec = json.loads(Path(args.client_spec).read_text())
        print(json.dumps(intake_client(spec)))
        return 0
    if not os.environ.get("DATABASE_URL"):
        sqlite = Path(os.environ.get("TAIZHANG_BENCH_SQLITE", ROOT / ".tmp" / "bench.sqlite3"))
        sqlite.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        print(f"DATABASE_URL is not set: smoke run on SQLite ({sqlite}); the targets are for PostgreSQL.")

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.grid_generate import generate

    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "database": connection.vendor},
    }
    if "classifier" not in args.skip:
        print(f"classifier: training on {args.train_cases:,} cases …", flush=True)
        results["classifier"] = bench_classifier(args.train_cases)

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated in {time.perf_counter() - t:.1f} s; generating {args.cases:,} cases …", flush=True)
    world = generate(n=args.cases)
    # A server process starts clean; this one has just generated a million rows. Freeze
    # what survives so the pages are not timed against garbage-collector passes over the
    # generator's leftovers (gen-2 collections of ~150 ms showed up as p95 outliers).
    import gc

    gc.collect()
    results["gc_frozen_objects"] = len(gc.get_objects())
    gc.freeze()
    results["generate"] = {"cases": args.cases, "seconds": world.seconds, "counts": world.counts}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('grid_case'))")
            results["generate"]["grid_case_size"] = cursor.fetchone()[0]

    if "pages" not in args.skip:
        print("pages (as the dispatcher):", flush=True)
        results["pages"] = bench_pages(world, args)
        slow = [p for p in results["pages"] if p.get("slowest_sql") and not p["met"]]
        if slow and connection.vendor == "postgresql":
            explained = []
            for p in slow:
                for q in p["slowest_sql"][:2]:
                    explained.append(f"-- {p['page']}: {q['ms']} ms\n{q['sql']}\n\n{explain(q['sql'])}\n")
            path = Path(args.out).with_name("grid_explain.txt")
            path.write_text("\n\n".join(explained))
            print(f"  EXPLAIN ANALYZE of the slowest queries → {path}")

    if "intake" not in args.skip:
        print("intake over HTTP:", flush=True)
        try:
            results["intake"] = bench_intake(world, args)
        except Exception as exc:  # noqa: BLE001 — report, don't crash the whole run
            results["intake"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        if args.inprocess_reports > 0:
            print(f"intake in process ({args.inprocess_reports:,} reports, one at a time):", flush=True)
            try:
                results["intake_inprocess"] = bench_intake_inprocess(world, args)
            except Exception as exc:  # noqa: BLE001 — report, don't crash the whole run
                results["intake_inprocess"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    print()
    print(table(results))
    print(f"\nwritten: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
