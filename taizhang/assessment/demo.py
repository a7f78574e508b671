"""Demo data of assessment for 秦川区: a published 2026 scheme, Q1–Q3 scores with
movement, a bonus, a finished Q3 observation of 8 projects by 5 judges, and two
objections (one accepted). Everything goes through the services; deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from taizhang.ledger.models import KeyProject
from taizhang.org.models import Unit

from . import services
from .models import Period, RuleScore, ScoreRun

SEED = 2026

# fmt: off
# (category, weight for streets/towns, weight for departments, rules: (name, kind, metric, formula, params, street pts, dept pts))
DESIGN = [
    ("经济发展", 30, 20, [
        ("重点项目投资完成率", "auto", "project_investment_vs_plan", "linear", {"low": 50, "high": 100}, 30, 20),
    ]),
    ("重点任务", 30, 40, [
        ("重点任务节点按时完成率", "auto", "task_on_time_rate", "linear", {"low": 40, "high": 100}, 20, 25),
        ("逾期事项", "auto", "overdue_items", "per_occurrence", {"points_each": 2}, 10, 15),
    ]),
    ("作风效能", 20, 20, [
        ("周进展未按时报送", "auto", "missing_reports", "per_occurrence", {"points_each": "0.5"}, 10, 10),
        ("吹哨未按时报到", "auto", "unanswered_whistles", "per_occurrence", {"points_each": 2}, 5, 5),
        ("督办单未按时反馈", "auto", "unanswered_notices", "per_occurrence", {"points_each": "2.5"}, 5, 5),
    ]),
    ("党的建设", 20, 20, [("党建工作评价", "manual", "", "", {}, 20, 20)]),
    ("加减分", 0, 0, [("加分与扣分", "adjustment", "", "", {}, 5, 5)]),
]
# fmt: on


def _build_scheme(*, district, year, people):
    sup = people["duchashi"]
    assessor = people["zhengyanshi"]
    scheme = services.scheme_create(actor=sup, district=district, year=year, name=f"{year}年度重点工作积分制考核")
    units = list(Unit.objects.filter(district=district))
    streets = [u for u in units if u.kind in (Unit.Kind.STREET, Unit.Kind.TOWN)]
    departments = [u for u in units if u.kind == Unit.Kind.DEPARTMENT]
    groups = [
        (services.group_create(actor=sup, scheme=scheme, name="镇街", units=streets, sort_order=0), 1),
        (services.group_create(actor=sup, scheme=scheme, name="区直部门", units=departments, sort_order=1), 2),
    ]
    for group, col in groups:
        for i, (cat_name, w_street, w_dept, rules) in enumerate(DESIGN):
            category = services.category_create(
                actor=sup, group=group, name=cat_name, weight=(w_street, w_dept)[col - 1], sort_order=i
            )
            for j, (name, kind, metric, formula, params, p_street, p_dept) in enumerate(rules):
                services.rule_create(
                    actor=sup,
                    category=category,
                    name=name,
                    kind=kind,
                    max_points=(p_street, p_dept)[col - 1],
                    metric=metric,
                    formula=formula,
                    params=params,
                    missing="zero" if kind == "manual" else "full",
                    assessors=[assessor] if kind in ("manual", "adjustment") else [],
                    sort_order=j,
                )
    services.scheme_publish(actor=sup, scheme=scheme)
    return scheme


def load(*, district, today: dt.date, people: dict) -> None:
    rng = random.Random(SEED)
    year = today.year
    sup, sup2, assessor = people["duchashi"], people["duchashi_zf"], people["zhengyanshi"]
    scheme = _build_scheme(district=district, year=year, people=people)
    quarters = [p for p in scheme.periods.filter(kind=Period.Kind.QUARTER) if p.end < today]
    manual_rules = {r.category.group_id: r for r in scheme_rules(scheme, "manual")}
    bonus_rules = {r.category.group_id: r for r in scheme_rules(scheme, "adjustment")}
    members = [(m.group_id, m.unit) for g in scheme.groups.all() for m in g.members.select_related("unit")]
    for period in quarters:
        for group_id, unit in members:
            points = Decimal(rng.randint(26, 40)) / 2
            services.manual_score_enter(
                actor=assessor, rule=manual_rules[group_id], period=period, unit=unit, points=points
            )
        if period.number == 2:
            group_id, unit = members[0]
            adj = services.adjustment_propose(
                actor=sup2,
                rule=bonus_rules[group_id],
                period=period,
                unit=unit,
                points=2,
                reason="获评全市重点项目建设先进集体，按规定加2分",
            )
            services.adjustment_decide(actor=sup, adjustment=adj, approve=True, note="材料齐全")
        run = services.scores_recompute(scheme=scheme, period=period, as_of=period.end)
        services.score_run_publish(actor=sup, run=run)
    if quarters:
        _objections(scheme=scheme, period=quarters[-1], people=people, today=today)
    q3 = next((p for p in quarters if p.number == 3), None)
    if q3 is not None:
        _observation(district=district, people=people, held_on=dt.date(year, 9, 25), rng=rng)


def scheme_rules(scheme, kind):
    from .models import Rule

    return Rule.objects.filter(category__group__scheme=scheme, kind=kind).select_related("category")


def _reporter_for(unit_id: int, people: dict):
    return next((p for p in people.values() if p.unit_id == unit_id and p.role in ("reporter", "unit_admin")), None)


def _objections(*, scheme, period, people, today) -> None:
    run = ScoreRun.objects.get(period=period)
    sup = people["duchashi"]
    picks = list(
        RuleScore.objects.filter(unit_score__run=run, rule__kind="manual")
        .select_related("unit_score")
        .order_by("unit_score__rank", "unit_score__unit_id")
    )
    filed = 0
    for rs in reversed(picks):
        reporter = _reporter_for(rs.unit_score.unit_id, people)
        if reporter is None or rs.points >= 20:
            continue
        if filed == 0:
            obj = services.objection_file(
                actor=reporter,
                rule_score=rs,
                reason="本单位三季度党建示范点创建材料已于9月28日报送，评分时未予计入，请予复核。",
                today=today,
            )
            services.objection_resolve(
                actor=sup,
                objection=obj,
                accept=True,
                resolution="经复核，材料按时报送，予以补计。",
                points_after=min(Decimal(20), rs.points + 2),
            )
        else:
            obj = services.objection_file(
                actor=reporter, rule_score=rs, reason="认为党建工作评价分数偏低。", today=today
            )
            services.objection_resolve(
                actor=sup, objection=obj, accept=False, resolution="经复核，评分依据充分，维持原评分。"
            )
        filed += 1
        if filed == 2:
            break


def _observation(*, district, people, held_on, rng) -> None:
    judges = [people[u] for u in ("shuji", "quzhang", "changwu", "fuquzhang_zhao", "fuquzhang_zhou")]
    projects = list(KeyProject.objects.filter(district=district).order_by("-total_investment", "id")[:8])
    if len(projects) < 2:
        return
    session = services.observation_create(
        actor=people["duchashi"],
        district=district,
        title=f"{held_on.year}年第三季度重点项目观摩",
        held_on=held_on,
        judges=judges,
        items=projects,
    )
    criteria = list(session.criteria.all())
    for i, subject in enumerate(session.subjects.all()):
        base = 17 + (i * 5) % 7
        for judge in judges:
            services.judge_score_submit(
                actor=judge,
                session=session,
                subject=subject,
                points={c.pk: Decimal(min(25, base + rng.randint(0, 6))) for c in criteria},
            )
    services.observation_publish(actor=people["duchashi"], session=session)
