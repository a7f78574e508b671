#!/usr/bin/env python
"""Cockpit benchmark: server time of the leaders' cockpit on a district-year.

    make bench-cockpit   # = ./scripts/with_postgres.sh .venv/bin/python bench/cockpit_bench.py

Migrates a fresh database (DATABASE_URL; without it a throwaway SQLite file, for a
smoke run), generates the ledger benchmark's district-year (bench/generate.py) plus
24 months of 12 indicators for 10 districts (ours and nine others of the city), then
times Django test Client requests after a warm-up: the cockpit as the supervision
office and as a district leader, the big screen (page and htmx refresh), the
indicator table and one indicator's page.

Target: cockpit page p95 ≤ 100 ms on PostgreSQL. Besides wall time the table shows the
SQL time of one request and the benchmark process's own CPU time per request (p95):
on a shared, busy machine wall time includes waiting for a CPU, CPU time does not.
Prints a Markdown table and writes bench/results/cockpit.json; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

COCKPIT_P95_MS = 100.0
MONTHS = 24
OTHER_DISTRICTS = ["金台区", "渭北区", "陈仓区", "凤鸣县", "岐山县", "扶风县", "眉山县", "太白县", "千河县"]
# code, name, unit, last year's annual figure
INDICATORS = [
    ("gdp", "地区生产总值", "亿元", 520),
    ("revenue", "一般公共预算收入", "亿元", 28.6),
    ("fai", "固定资产投资", "亿元", 312),
    ("industry_va", "规上工业增加值", "亿元", 182),
    ("retail", "社会消费品零售总额", "亿元", 241),
    ("trade", "外贸进出口总额", "亿元", 36.4),
    ("jobs", "新增城镇就业", "人", 8600),
    ("arrived_funds", "招商引资到位资金", "亿元", 262),
    ("fdi", "实际利用外资", "万美元", 4480),
    ("urban_income", "城镇居民人均可支配收入", "元", 46200),
    ("rural_income", "农村居民人均可支配收入", "元", 17900),
    ("tourism", "旅游综合收入", "亿元", 88),
]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=1.0, help="fraction of the district-year to generate (default 1)")
    p.add_argument("--weeks", type=int, default=52, help="weekly reports per item (default 52)")
    p.add_argument("--requests", type=int, default=30, help="measured requests per page (default 30)")
    p.add_argument("--warmup", type=int, default=3, help="unmeasured requests per page first (default 3)")
    p.add_argument("--slowest", type=int, default=0, help="print the N slowest queries of one cockpit request")
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "cockpit.json"))
    return p.parse_args(argv)


def generate_indicators(district_id: int, today: dt.date, seed: int = 11) -> dict:
    """24 months of 12 cumulative indicators, with the city average and nine other districts."""
    from taizhang.indicators.models import ComparatorValue, Indicator, IndicatorTarget, IndicatorValue

    rng = random.Random(seed)
    last = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
    index = last.year * 12 + last.month - 1
    periods = [(i // 12, i % 12 + 1) for i in range(index - MONTHS + 1, index + 1)]
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(district_id=district_id, code=code, name=name, unit=unit, sort_order=n)
            for n, (code, name, unit, _base) in enumerate(INDICATORS)
        ]
    )
    targets, values = [], []
    for ind, (_c, _n, _u, base) in zip(indicators, INDICATORS, strict=True):
        for year in sorted({y for y, _m in periods}):
            targets.append(
                IndicatorTarget(indicator=ind, year=year, target=Decimal(str(base * 1.06)).quantize(Decimal("0.01")))
            )
        for year, month in periods:
            share = (month / 12) ** 1.08
            values.append(
                IndicatorValue(
                    indicator=ind,
                    year=year,
                    month=month,
                    actual=Decimal(str(base * share * rng.uniform(0.95, 1.08))).quantize(Decimal("0.01")),
                    yoy_growth=Decimal(str(rng.uniform(-3, 10))).quantize(Decimal("0.1")),
                    city_avg_growth=Decimal(str(rng.uniform(2, 7))).quantize(Decimal("0.1")),
                )
            )
    IndicatorTarget.objects.bulk_create(targets)
    IndicatorValue.objects.bulk_create(values, batch_size=1000)
    comparators = [
        ComparatorValue(
            value=v,
            district_name=name,
            actual=(v.actual * Decimal(str(rng.uniform(0.3, 1.4)))).quantize(Decimal("0.01")),
            growth=Decimal(str(rng.uniform(-3, 10))).quantize(Decimal("0.1")),
        )
        for v in values
        for name in OTHER_DISTRICTS
    ]
    ComparatorValue.objects.bulk_create(comparators, batch_size=5000)
    return {"indicators": len(indicators), "values": len(values), "comparator_values": len(comparators)}


def main(argv=None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        sqlite = Path(os.environ.get("TAIZHANG_BENCH_SQLITE", ROOT / ".tmp" / "bench-cockpit.sqlite3"))
        os.environ["TAIZHANG_BENCH_SQLITE"] = str(sqlite)
        sqlite.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        print(f"DATABASE_URL is not set: smoke run on SQLite ({sqlite}); the target is for PostgreSQL.")

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.generate import BENCH_CODE, generate
    from bench.ledger_bench import environment, percentile
    from taizhang.core.calendar import today as local_today
    from taizhang.indicators.models import Indicator
    from taizhang.org.models import District, Person

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - t
    if District.objects.filter(code=BENCH_CODE).exists():
        print("The database already holds the benchmark district: run on a fresh database.")
        return 2
    print(f"migrated in {migrate_s:.1f} s; generating the district-year (scale {args.scale}) …", flush=True)
    gen = generate(scale=args.scale, weeks=args.weeks)
    t = time.perf_counter()
    counts = {**gen.counts, **generate_indicators(gen.district_id, local_today())}
    gen.seconds["indicators"] = time.perf_counter() - t
    print(f"  indicators {gen.seconds['indicators']:.1f} s: {counts}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    supervisor = Person.objects.get(pk=gen.supervisor_id)
    leader = Person.objects.get(district_id=gen.district_id, username="leader1")
    clients = {}
    for role, person in (("supervisor", supervisor), ("leader", leader)):
        c = Client()
        c.force_login(person)
        clients[role] = c
    indicator = Indicator.objects.filter(district_id=gen.district_id).order_by("sort_order").first()

    if args.slowest:
        from django.test.utils import CaptureQueriesContext

        for role in ("supervisor", "leader"):
            clients[role].get(reverse("cockpit:index"))
            with CaptureQueriesContext(connection) as ctx:
                clients[role].get(reverse("cockpit:index"))
            ranked = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[: args.slowest]
            print(f"slowest queries of the cockpit as {role}:")
            for q in ranked:
                print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}")

    # (role, label, url, headers, has target)
    cases = [
        ("supervisor", "cockpit", reverse("cockpit:index"), None, True),
        ("leader", "cockpit (with own 包抓 items)", reverse("cockpit:index"), None, True),
        ("supervisor", "big screen", reverse("cockpit:bigscreen"), None, True),
        ("supervisor", "big screen (htmx refresh)", reverse("cockpit:bigscreen"), {"HX-Request": "true"}, True),
        ("supervisor", "indicator table", reverse("indicators:index"), None, False),
        ("supervisor", "indicator page", reverse("indicators:detail", args=[indicator.pk]), None, False),
    ]

    def time_requests(client, url: str, headers: dict | None) -> dict:
        """Wall time per request, and the benchmark process's own CPU time (unaffected by a busy machine)."""
        from django.test.utils import CaptureQueriesContext

        def one():
            wall, cpu = time.perf_counter(), time.process_time()
            r = client.get(url, headers=headers or {})
            return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, r

        for _ in range(args.warmup):
            one()
        walls, cpus, r = [], [], None
        for _ in range(args.requests):
            wall, cpu, r = one()
            walls.append(wall)
            cpus.append(cpu)
        with CaptureQueriesContext(connection) as ctx:
            one()
        return {
            "n": len(walls),
            "p50_ms": round(percentile(walls, 50), 2),
            "p95_ms": round(percentile(walls, 95), 2),
            "max_ms": round(max(walls), 2),
            "cpu_p95_ms": round(percentile(cpus, 95), 2),
            "sql_ms": round(sum(float(q["time"]) for q in ctx.captured_queries) * 1000, 1),
            "status": r.status_code,
            "bytes": len(r.content),
            "queries": len(ctx.captured_queries),
        }

    results = []
    for role, label, url, headers, targeted in cases:
        print(f"  {role:<10} {label} …", flush=True)
        row = {"role": role, "page": label, "url": url}
        try:
            row.update(time_requests(clients[role], url, headers))
        except Exception as exc:  # noqa: BLE001 — a broken page is a result
            row["error"] = f"{type(exc).__name__}: {exc}"[:300]
            results.append(row)
            continue
        checks = {}
        if targeted:
            checks["p95 ≤ 100 ms"] = row["p95_ms"] <= COCKPIT_P95_MS
        if row.get("status") != 200:
            checks[f"HTTP {row.get('status')}"] = False
        row["checks"] = checks
        results.append(row)

    lines = [
        f"Cockpit on {connection.vendor}: {counts['projects']} projects, {counts['tasks']} tasks, "
        f"{counts['reports']:,} reports, {counts['history']:,} history lines, {counts['whistles']} whistles; "
        f"{counts['indicators']} indicators × {MONTHS} months, {counts['comparator_values']:,} other-district figures.",
        "",
        f"Load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.",
        "",
        "| role | page | HTTP | queries | SQL ms | p50 ms | p95 ms | max ms | Python CPU p95 ms | target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['role']} | {r['page']} | – | – | – | – | – | – | – | {r['error']} |")
            continue
        checks = ", ".join(f"{'✅' if ok else '❌'} {k}" for k, ok in r["checks"].items()) or "–"
        lines.append(
            f"| {r['role']} | {r['page']} | {r['status']} | {r['queries']} | {r['sql_ms']:.1f} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['max_ms']:.1f} | {r['cpu_p95_ms']:.1f} | {checks} |"
        )
    print()
    print("\n".join(lines))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "benchmark": "cockpit",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": environment(connection),
        "scale": args.scale,
        "generated": {"counts": counts, "seconds": {k: round(v, 1) for k, v in gen.seconds.items()}},
        "targets": {"cockpit_p95_ms": COCKPIT_P95_MS},
        "results": results,
    }
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
    print(f"\nwritten {out}")
    failed = any(not ok for r in results for ok in r.get("checks", {}).values()) or any("error" in r for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
