#!/usr/bin/env python
"""District-year ledger benchmark: server time of the pages people open every day.

    make bench        # = ./scripts/with_postgres.sh .venv/bin/python bench/ledger_bench.py

Migrates a fresh database (DATABASE_URL; without it a throwaway SQLite file, for a
smoke run), generates one district-year (bench/generate.py), then times Django test
Client requests — as the supervision office and as a unit reporter — after a
warm-up: the filtered ledger lists, an item page, the weekly bulletin and its .docx.
Each list is compared with its raw-SQL floors (bench/floors.py): the same list served
with nothing but raw SQL (the raw-SQL page), and that SQL alone; all three and the
list's data path are timed in turn, round after round.

Targets: list p95 ≤ 50 ms and ≤ 2× its raw-SQL floor — the whole request against the
raw-SQL page, the data path (``selectors.items_for_page``: scope, filters, count, the
page's rows with their names) against the SQL; weekly .docx ≤ 2 s. Prints a Markdown
table and writes bench/results/ledger.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

LIST_P95_MS = 50.0
LIST_FLOOR_RATIO = 2.0
DOCX_MS = 2000.0
PAGE_SIZE = 50  # ledger.views.PAGE_SIZE


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=1.0, help="fraction of the district-year to generate (default 1)")
    p.add_argument("--weeks", type=int, default=52, help="weekly reports per item (default 52)")
    p.add_argument("--requests", type=int, default=100, help="measured rounds per list and its floors (default 100)")
    p.add_argument("--page-requests", type=int, default=30, help="measured requests per other page (default 30)")
    p.add_argument("--warmup", type=int, default=5, help="unmeasured requests (rounds) first (default 5)")
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "ledger.json"))
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


# --------------------------------------------------------------------------- measuring


def _getter(client, url: str, params: dict, headers: dict | None = None):
    """One GET through the test client, its streamed body read: (response, body)."""

    def get():
        r = client.get(url, params, headers=headers or {})
        return r, (b"".join(r.streaming_content) if r.streaming else r.content)

    return get


def time_requests(get, n: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        get()
    samples, status, size = [], None, 0
    for _ in range(n):
        t = time.perf_counter()
        r, body = get()
        samples.append((time.perf_counter() - t) * 1000)
        status, size = r.status_code, len(body)
    with CaptureQueriesContext(connection) as ctx:
        get()
    return {**summarise(samples), "status": status, "bytes": size, "queries": len(ctx.captured_queries)}


def time_interleaved(fns: dict, n: int, warmup: int) -> dict[str, dict]:
    """Time several callables in turn, round after round, so that each sees the same
    machine: a list and its floors measured one after the other drift apart by more
    than the differences being measured."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(n):
        for k, fn in fns.items():
            t = time.perf_counter()
            fn()
            samples[k].append((time.perf_counter() - t) * 1000)
    return {k: summarise(v) for k, v in samples.items()}


def orm_list(person, model, filters) -> tuple[int, list]:
    """The list page's data path, through the selector ``ledger.views._list`` uses."""
    from django.core.paginator import Paginator

    from taizhang.ledger.selectors import items_for_page

    page = Paginator(items_for_page(person, model, filters), PAGE_SIZE).get_page(1)
    rows = [(i.id, i.status, i.name, i.lead_unit_name, i.coop_names, i.leader_names) for i in page.object_list]
    return page.paginator.count, rows


def main(argv=None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        sqlite = Path(os.environ.get("TAIZHANG_BENCH_SQLITE", ROOT / ".tmp" / "bench.sqlite3"))
        sqlite.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        print(f"DATABASE_URL is not set: smoke run on SQLite ({sqlite}); the targets are for PostgreSQL (make bench).")

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: static files are not collected here
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bench.floors import floor_list
    from bench.generate import BENCH_CODE, generate
    from taizhang.ledger.models import KeyProject, KeyTask
    from taizhang.ledger.selectors import ItemFilters, items_for_list
    from taizhang.org.access import scope_for
    from taizhang.org.models import District, Person

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - t
    if District.objects.filter(code=BENCH_CODE).exists():
        print("The database already holds the benchmark district: run on a fresh database (make bench).")
        return 2
    print(f"migrated in {migrate_s:.1f} s; generating the district-year (scale {args.scale}) …", flush=True)
    gen = generate(scale=args.scale, weeks=args.weeks)
    for k, v in gen.seconds.items():
        print(f"  {k:<9} {v:6.1f} s")
    # A server process starts clean; this one has just generated a district-year. Freeze
    # what survives so that requests are not timed against garbage-collector passes over
    # the generator's leftovers (as bench/grid_bench.py does).
    import gc

    gc.collect()
    gc.freeze()

    supervisor = Person.objects.get(pk=gen.supervisor_id)
    reporter = Person.objects.get(pk=gen.reporter_id)
    reporter_units = scope_for(reporter).unit_ids
    clients = {}
    for role, person in (("supervisor", supervisor), ("reporter", reporter)):
        c = Client()
        c.force_login(person)
        clients[role] = (c, person)

    red_industry = {"status": "red", "category": "industry"}
    # (role, label, url name, args, params, kind, floor spec, htmx)
    cases = [
        (
            "supervisor",
            "projects ?status=red&category=industry",
            "ledger:projects",
            [],
            red_industry,
            "list",
            {"kind": "project", **red_industry},
            False,
        ),
        (
            "supervisor",
            "projects ?status=red&category=industry (htmx partial)",
            "ledger:projects",
            [],
            red_industry,
            "list",
            {"kind": "project", **red_industry},
            True,
        ),
        (
            "supervisor",
            "projects ?unit=<unit>",
            "ledger:projects",
            [],
            {"unit": gen.busy_unit_id},
            "list",
            {"kind": "project", "unit": gen.busy_unit_id},
            False,
        ),
        (
            "supervisor",
            "tasks ?status=amber",
            "ledger:tasks",
            [],
            {"status": "amber"},
            "list",
            {"kind": "task", "status": "amber"},
            False,
        ),
        ("supervisor", "item page (52 reports)", "ledger:item", [gen.sample_project_id], {}, "page", None, False),
        ("supervisor", "weekly bulletin", "supervision:bulletin", [], {}, "page", None, False),
        ("supervisor", "weekly bulletin .docx", "supervision:bulletin_docx", [], {}, "docx", None, False),
        (
            "reporter",
            "projects (own unit scope)",
            "ledger:projects",
            [],
            {},
            "list",
            {"kind": "project", "scope_unit_ids": reporter_units},
            False,
        ),
        (
            "reporter",
            "projects ?status=red&category=industry",
            "ledger:projects",
            [],
            red_industry,
            "list",
            {"kind": "project", "scope_unit_ids": reporter_units, **red_industry},
            False,
        ),
        (
            "reporter",
            "tasks ?status=amber",
            "ledger:tasks",
            [],
            {"status": "amber"},
            "list",
            {"kind": "task", "status": "amber", "scope_unit_ids": reporter_units},
            False,
        ),
        ("reporter", "item page (52 reports)", "ledger:item", [gen.sample_project_id], {}, "page", None, False),
        ("reporter", "weekly bulletin", "supervision:bulletin", [], {}, "page", None, False),
        ("reporter", "weekly bulletin .docx", "supervision:bulletin_docx", [], {}, "docx", None, False),
    ]

    results, todos = [], []
    for role, label, name, url_args, params, what, floor_spec, htmx in cases:
        client, person = clients[role]
        row = {"role": role, "page": label, "url_name": name, "params": params, "type": what}
        try:
            url = reverse(name, args=url_args)
        except NoReverseMatch:
            row["todo"] = f"URL {name} does not exist yet"
            todos.append(f"{role}: {label} — {row['todo']}")
            results.append(row)
            continue
        row["url"] = url
        print(f"  {role:<10} {label} …", flush=True)
        page = _getter(client, url, params, {"HX-Request": "true"} if htmx else None)
        try:
            if floor_spec is None:
                row.update(time_requests(page, args.page_requests, args.warmup))
            else:
                # The list, its raw-SQL page, its data path and its SQL, in turn (time_interleaved).
                spec = {"district_id": gen.district_id, **floor_spec}
                floor = floor_list(**spec)
                model = KeyProject if floor_spec["kind"] == "project" else KeyTask
                filters = ItemFilters.from_params({k: str(v) for k, v in params.items()})
                page_ids = list(
                    items_for_list(person, model, filters)
                    .order_by("code", "id")
                    .values_list("id", flat=True)[:PAGE_SIZE]
                )
                raw_page = _getter(client, reverse("bench-floor", args=[floor_spec["kind"]]), params)
                raw_response, raw_body = raw_page()
                row["floor_same_rows"] = (
                    page_ids == floor["ids"]
                    and raw_response.status_code == 200
                    and raw_body.startswith(f"<p>{floor['count']}</p>".encode())
                )
                row["rows"] = floor["count"]
                row.update(time_requests(page, 1, 0))  # status, size, queries
                timed = time_interleaved(
                    {
                        "page": page,
                        "raw_page": raw_page,
                        "data": lambda person=person, model=model, filters=filters: orm_list(person, model, filters),
                        "sql": lambda spec=spec: floor_list(**spec),
                    },
                    args.requests,
                    args.warmup,
                )
                row.update(timed["page"])
                row["raw_page"], row["orm"], row["floor"] = timed["raw_page"], timed["data"], timed["sql"]
                row["raw_page_ratio_p95"] = round(row["p95_ms"] / max(row["raw_page"]["p95_ms"], 0.001), 2)
                row["orm_floor_ratio_p95"] = round(row["orm"]["p95_ms"] / max(row["floor"]["p95_ms"], 0.001), 2)
                row["floor_ratio_p95"] = round(row["p95_ms"] / max(row["floor"]["p95_ms"], 0.001), 2)
        except Exception as exc:  # noqa: BLE001 — a broken page is a result, not a crash of the benchmark
            row["error"] = f"{type(exc).__name__}: {exc}"[:300]
            results.append(row)
            continue
        checks = []
        if what == "list":
            checks.append(("p95 ≤ 50 ms", row["p95_ms"] <= LIST_P95_MS))
            if "orm_floor_ratio_p95" in row:
                # The whole request against the same list served with raw SQL, and the data
                # path (scope, filters, count, page rows with their names) against the SQL alone.
                checks.append(("page ≤ 2× raw-SQL page", row["raw_page_ratio_p95"] <= LIST_FLOOR_RATIO))
                checks.append(("data ≤ 2× SQL", row["orm_floor_ratio_p95"] <= LIST_FLOOR_RATIO))
        elif what == "docx":
            checks.append(("p95 ≤ 2 s", row["p95_ms"] <= DOCX_MS))
        if row.get("status") != 200:
            checks.append((f"HTTP {row.get('status')}", False))
        row["checks"] = {k: v for k, v in checks}
        results.append(row)

    print()
    print(markdown(results, gen, connection))
    if todos:
        print("\nTODO:\n" + "\n".join(f"- {t}" for t in todos))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "benchmark": "ledger",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": environment(connection),
        "scale": args.scale,
        "generated": {
            "counts": gen.counts,
            "seconds": {k: round(v, 1) for k, v in gen.seconds.items()},
            "migrate_seconds": round(migrate_s, 1),
        },
        "targets": {"list_p95_ms": LIST_P95_MS, "list_floor_ratio": LIST_FLOOR_RATIO, "docx_ms": DOCX_MS},
        "results": results,
        "todo": todos,
    }
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
    print(f"\nwritten {out}")
    return 0


def environment(connection) -> dict:
    import django

    env = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "database": connection.vendor,
    }
    if connection.vendor == "postgresql":
        env["postgresql"] = connection.pg_version
    return env


def markdown(results: list[dict], gen, connection) -> str:
    c = gen.counts
    lines = [
        f"District-year on {connection.vendor}: {c['units']} units, {c['projects']} projects, {c['tasks']} tasks, "
        f"{c['reports']:,} reports, {c['whistles']} whistles (generated in {gen.seconds['total']:.0f} s).",
        "",
        "| role | page | HTTP | queries | rows | p50 ms | p95 ms | raw-SQL page p95 ms (page ÷) | SQL p95 ms | "
        "data path p95 ms (÷ SQL) | page ÷ SQL | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "todo" in r or "error" in r:
            lines.append(
                f"| {r['role']} | {r['page']} | – | – | – | – | – | – | – | – | – | {r.get('todo') or r.get('error')} |"
            )
            continue
        floor = r.get("floor")
        checks = ", ".join(f"{'✅' if ok else '❌'} {k}" for k, ok in r["checks"].items()) or "–"
        if floor is not None and not r.get("floor_same_rows", True):
            checks += " (⚠ floor rows differ)"
        head = f"| {r['role']} | {r['page']} | {r['status']} | {r['queries']} | {r.get('rows', '–')} | {r['p50_ms']:.1f} | "
        lines.append(
            head + f"{r['p95_ms']:.1f} | {r['raw_page']['p95_ms']:.1f} ({r['raw_page_ratio_p95']:.1f}×) | "
            f"{floor['p95_ms']:.1f} | {r['orm']['p95_ms']:.1f} ({r['orm_floor_ratio_p95']:.1f}×) | "
            f"{r['floor_ratio_p95']:.1f}× | {checks} |"
            if floor
            else head + f"{r['p95_ms']:.1f} | – | – | – | – | {checks} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
