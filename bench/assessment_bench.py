#!/usr/bin/env python
"""District-year assessment benchmark: full recomputation of every unit's scores.

    make bench-assessment   # = ./scripts/with_postgres.sh .venv/bin/python bench/assessment_bench.py

Migrates a fresh database (DATABASE_URL; without it a throwaway SQLite file, for a
smoke run), generates one district-year of ledger data (bench/generate.py), sets up
and publishes the demo's scheme (two groups, five categories, eight rules per group —
every registered metric), enters a manual score for every unit, then times a full
recomputation — every unit, every rule, facts stored — of the whole-year period
(the heaviest window) and of all five periods. Stored rows are deleted before each
measured run so nothing is skipped by the fingerprint.

Target: whole-year recomputation p95 ≤ 1 s on PostgreSQL. Writes bench/results/assessment.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

TARGET_S = 1.0


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--weeks", type=int, default=52)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "assessment.json"))
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        sqlite = Path(os.environ.get("TAIZHANG_BENCH_SQLITE", ROOT / ".tmp" / "bench-assessment.sqlite3"))
        sqlite.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        os.environ["TAIZHANG_BENCH_SQLITE"] = str(sqlite)
        print(f"DATABASE_URL is not set: smoke run on SQLite ({sqlite}); the target is for PostgreSQL.")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate
    from taizhang.assessment import services
    from taizhang.assessment.demo import _build_scheme
    from taizhang.assessment.models import GroupMember, Period, Rule, ScoreRun, UnitScore
    from taizhang.core.calendar import today as local_today
    from taizhang.org.models import District, Person

    call_command("migrate", verbosity=0, interactive=False)
    gen = generate(scale=args.scale, weeks=args.weeks)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum would have done by the time anyone recomputes
            cursor.execute("ANALYZE")
    district = District.objects.get(pk=gen.district_id)
    supervisor = Person.objects.get(pk=gen.supervisor_id)
    people = {"duchashi": supervisor, "zhengyanshi": supervisor}
    today = local_today()
    scheme = _build_scheme(district=district, year=today.year, people=people)
    periods = list(scheme.periods.all())
    year_period = next(p for p in periods if p.kind == Period.Kind.YEAR)
    manual = {r.category.group_id: r for r in Rule.objects.filter(category__group__scheme=scheme, kind="manual")}
    members = list(GroupMember.objects.filter(group__scheme=scheme).select_related("unit"))
    for m in members:
        services.manual_score_enter(
            actor=supervisor, rule=manual[m.group_id], period=year_period, unit=m.unit, points=15
        )

    def timed(fn) -> list[float]:
        out = []
        for _ in range(args.repeat + 1):  # first run warms caches, not measured
            ScoreRun.objects.filter(scheme=scheme).delete()
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
        return out[1:]

    year_s = timed(lambda: services.scores_recompute(scheme=scheme, period=year_period, as_of=today))
    started = [p for p in periods if p.start <= today]
    all_s = timed(lambda: [services.scores_recompute(scheme=scheme, period=p) for p in started])
    rows = UnitScore.objects.filter(run__scheme=scheme).count()
    t = time.perf_counter()
    services.scores_recompute(scheme=scheme, period=year_period, as_of=today)
    idempotent_s = time.perf_counter() - t

    result = {
        "database": connection.vendor,
        "units": len(members),
        "rules": Rule.objects.filter(category__group__scheme=scheme).count(),
        "unit_scores_stored": rows,
        "year_recompute_s": {"p50": round(statistics.median(year_s), 3), "max": round(max(year_s), 3)},
        "all_periods_recompute_s": {"p50": round(statistics.median(all_s), 3), "max": round(max(all_s), 3)},
        "unchanged_recompute_s": round(idempotent_s, 3),
        "target_s": TARGET_S,
        "counts": gen.counts,
    }
    ok = max(year_s) <= TARGET_S
    print("| measure | p50 s | max s |\n|---|---|---|")
    print(
        f"| whole-year recomputation ({len(members)} units) | {result['year_recompute_s']['p50']} | {max(year_s):.3f} |"
    )
    print(f"| all {len(started)} started periods | {result['all_periods_recompute_s']['p50']} | {max(all_s):.3f} |")
    print(f"| recompute with nothing changed | {idempotent_s:.3f} | |")
    print(f"{'PASS' if ok else 'FAIL'}: whole-year recomputation ≤ {TARGET_S} s on {connection.vendor}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if ok or connection.vendor != "postgresql" else 1


if __name__ == "__main__":
    sys.exit(main())
