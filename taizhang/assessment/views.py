"""Pages of assessment: schemes, rankings and drill-down, scoring, objections, observation.

Views parse the request, call one selector or service and render. Something of
another district (or a draft, for unit roles) is 404; an action the person may not
take is 403. Refusals of services (``ValidationError``) come back as messages.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.core.calendar import today as local_today
from taizhang.core.forms import as_ids
from taizhang.ledger.models import KeyProject
from taizhang.org.models import Person, Unit

from . import documents, selectors, services
from .access import (
    access_scheme,
    access_session,
    can_object_for,
    can_see_unit,
    is_supervisor,
    schemes_visible_to,
    sees_drafts,
)
from .metrics import metric_choices
from .models import (
    Adjustment,
    Category,
    GroupMember,
    ManualScore,
    Objection,
    ObservationSession,
    Period,
    Rule,
    RuleScore,
    ScoreRun,
    UnitGroup,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
def index(request):
    person = request.user
    return render(
        request,
        "assessment/index.html",
        {
            "schemes": schemes_visible_to(person),
            "rankings": selectors.latest_rankings(person.district) if person.district_id else [],
            "sessions": ObservationSession.objects.filter(district_id=person.district_id)[:10],
            "is_supervisor": is_supervisor(person),
            "this_year": local_today().year,
        },
    )


@login_required
@require_POST
def scheme_create(request):
    try:
        year = request.POST.get("year", "").strip()
        if year and not year.isdigit():
            raise ValidationError({"year": _("The year must be between 2000 and 2100.")})
        scheme = services.scheme_create(
            actor=request.user,
            district=request.user.district,
            year=int(year or local_today().year),
            name=request.POST.get("name", "").strip(),
        )
    except ValidationError as exc:
        _error(request, exc)
        return redirect("assessment:index")
    return redirect(scheme)


@login_required
def scheme(request, pk):
    person = request.user
    s = access_scheme(person, pk)
    groups = list(UnitGroup.objects.filter(scheme=s).prefetch_related("members__unit", "categories__rules__assessors"))
    runs = {r.period_id: r for r in selectors.visible_runs(person, s)}
    periods = [(p, runs.get(p.pk)) for p in s.periods.all()]
    editable = s.is_draft and is_supervisor(person)
    return render(
        request,
        "assessment/scheme.html",
        {
            "scheme": s,
            "groups": groups,
            "periods": periods,
            "editable": editable,
            "is_supervisor": is_supervisor(person),
            "errors": services.scheme_errors(s) if editable else [],
            "units": Unit.objects.filter(district_id=s.district_id, is_active=True).exclude(kind="community"),
            "people": Person.objects.filter(district_id=s.district_id).order_by("role", "id"),
            "kinds": Rule.Kind.choices,
            "formulas": Rule.Formula.choices,
            "metrics": metric_choices(),
            "is_assessor": Rule.objects.filter(category__group__scheme=s, assessors=person).exists(),
        },
    )


@login_required
@require_POST
def scheme_edit(request, pk):
    """One htmx form endpoint for the editor: add a group, a member, a category or a rule."""
    person = request.user
    s = access_scheme(person, pk, for_edit=True)
    what = request.POST.get("what")
    try:
        if what == "group":
            units = Unit.objects.filter(district_id=s.district_id, pk__in=as_ids(request.POST.getlist("units")))
            services.group_create(actor=person, scheme=s, name=request.POST.get("name", "").strip(), units=units)
        elif what == "member":
            group = get_object_or_404(UnitGroup, pk=request.POST.get("group"), scheme=s)
            unit = get_object_or_404(Unit, pk=request.POST.get("unit"), district_id=s.district_id)
            joined = request.POST.get("joined_on")
            services.group_member_add(
                actor=person, group=group, unit=unit, joined_on=dt.date.fromisoformat(joined) if joined else None
            )
        elif what == "category":
            group = get_object_or_404(UnitGroup, pk=request.POST.get("group"), scheme=s)
            services.category_create(
                actor=person, group=group, name=request.POST.get("name", "").strip(), weight=request.POST.get("weight")
            )
        elif what == "rule":
            category = get_object_or_404(Category, pk=request.POST.get("category"), group__scheme=s)
            try:
                params = json.loads(request.POST.get("params") or "{}")
            except json.JSONDecodeError:
                raise ValidationError(_('The formula parameters must be JSON, e.g. {"low": 0, "high": 100}.'))
            assessors = Person.objects.filter(
                district_id=s.district_id, pk__in=as_ids(request.POST.getlist("assessors"))
            )
            services.rule_create(
                actor=person,
                category=category,
                name=request.POST.get("name", "").strip(),
                kind=request.POST.get("kind", ""),
                max_points=request.POST.get("max_points"),
                metric=request.POST.get("metric", ""),
                formula=request.POST.get("formula", ""),
                params=params,
                missing=request.POST.get("missing") or Rule.Missing.FULL,
                assessors=assessors,
            )
        elif what == "delete_rule":
            rule = get_object_or_404(Rule, pk=request.POST.get("rule"), category__group__scheme=s)
            services.rule_delete(actor=person, rule=rule)
        else:
            raise Http404
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            _error(request, exc)
        else:
            messages.error(request, _("Check the values entered."))
    return redirect(s)


@login_required
@require_POST
def scheme_publish(request, pk):
    s = access_scheme(request.user, pk, for_edit=True)
    try:
        services.scheme_publish(actor=request.user, scheme=s)
        messages.success(request, _("The scheme is published."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(s)


@login_required
@require_POST
def period_recompute(request, pk, period_pk):
    s = access_scheme(request.user, pk, for_edit=True)
    period = get_object_or_404(Period, pk=period_pk, scheme=s)
    try:
        run = services.scores_recompute(scheme=s, period=period)
        messages.success(request, _("Scores computed (revision %(n)s).") % {"n": run.revision})
    except ValidationError as exc:
        _error(request, exc)
    return redirect("assessment:rankings", pk=s.pk, period_pk=period.pk)


@login_required
@require_POST
def period_publish(request, pk, period_pk):
    s = access_scheme(request.user, pk, for_edit=True)
    run = get_object_or_404(ScoreRun, period_id=period_pk, scheme=s)
    try:
        services.score_run_publish(actor=request.user, run=run)
        messages.success(request, _("The scores are published."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("assessment:rankings", pk=s.pk, period_pk=period_pk)


def _run_for(person, s, period_pk) -> ScoreRun:
    run = ScoreRun.objects.select_related("period", "scheme").filter(scheme=s, period_id=period_pk).first()
    if run is None or (not run.is_published and not sees_drafts(person)):
        raise Http404
    return run


@login_required
def rankings(request, pk, period_pk):
    person = request.user
    s = access_scheme(person, pk)
    period = get_object_or_404(Period, pk=period_pk, scheme=s)
    run = ScoreRun.objects.filter(period=period).select_related("period").first()
    if run is not None and not run.is_published and not sees_drafts(person):
        run = None
    groups = []
    if run is not None:
        groups = selectors.ranking_groups(run, selectors.previous_run(run, published_only=run.is_published))
        for g in groups:
            for row in g["rows"]:
                row["can_open"] = can_see_unit(person, row["unit_id"])
    return render(
        request,
        "assessment/rankings.html",
        {
            "scheme": s,
            "period": period,
            "run": run,
            "groups": groups,
            "periods": s.periods.all(),
            "is_supervisor": is_supervisor(person),
            "deadline": services.objection_deadline(run) if run and run.is_published else None,
        },
    )


@login_required
def unit_score(request, pk, period_pk, unit_pk):
    person = request.user
    s = access_scheme(person, pk)
    run = _run_for(person, s, period_pk)
    us = selectors.unit_score_for(person, run, unit_pk)
    if us is None:
        raise Http404
    deadline = services.objection_deadline(run)
    return render(
        request,
        "assessment/unit_score.html",
        {
            "scheme": s,
            "run": run,
            "us": us,
            "blocks": selectors.unit_drilldown(us),
            "can_object": run.is_published and can_object_for(person, us.unit_id) and local_today() <= deadline,
            "deadline": deadline,
        },
    )


@login_required
def results_docx(request, pk, period_pk):
    s = access_scheme(request.user, pk)
    run = _run_for(request.user, s, period_pk)
    issuer = getattr(settings, "TAIZHANG_BULLETIN_ISSUER", "区委办督查室")
    body = documents.results_bulletin_docx(run, issuer)
    response = HttpResponse(body, content_type=DOCX)
    filename = f"考核结果通报_{run.scheme.year}_{run.period.kind}{run.period.number}.docx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --------------------------------------------------------------------------- manual scores and adjustments


@login_required
def manual_scores(request, pk, period_pk):
    person = request.user
    s = access_scheme(person, pk)
    period = get_object_or_404(Period, pk=period_pk, scheme=s)
    rules = list(
        Rule.objects.filter(category__group__scheme=s, kind=Rule.Kind.MANUAL, assessors=person).select_related(
            "category__group"
        )
    )
    if not rules:
        raise PermissionDenied
    if request.method == "POST":
        rule = next((r for r in rules if str(r.pk) == request.POST.get("rule")), None)
        unit = get_object_or_404(Unit, pk=request.POST.get("unit"), district_id=s.district_id)
        if rule is None:
            raise PermissionDenied
        try:
            services.manual_score_enter(
                actor=person,
                rule=rule,
                period=period,
                unit=unit,
                points=request.POST.get("points"),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Score saved."))
        except ValidationError as exc:
            _error(request, exc)
        return redirect("assessment:manual", pk=s.pk, period_pk=period.pk)
    mine = {(m.rule_id, m.unit_id): m.points for m in ManualScore.objects.filter(period=period, assessor=person)}
    members = {}
    for m in GroupMember.objects.filter(group__scheme=s).select_related("unit"):
        members.setdefault(m.group_id, []).append(m.unit)
    table = [
        {"rule": r, "units": [(u, mine.get((r.pk, u.pk))) for u in members.get(r.category.group_id, [])]} for r in rules
    ]
    return render(request, "assessment/manual.html", {"scheme": s, "period": period, "table": table})


@login_required
def adjustments(request, pk):
    person = request.user
    s = access_scheme(person, pk)
    rules = Rule.objects.filter(category__group__scheme=s, kind=Rule.Kind.ADJUSTMENT).select_related("category__group")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "propose":
                rule = get_object_or_404(rules, pk=request.POST.get("rule"))
                services.adjustment_propose(
                    actor=person,
                    rule=rule,
                    period=get_object_or_404(Period, pk=request.POST.get("period"), scheme=s),
                    unit=get_object_or_404(Unit, pk=request.POST.get("unit"), district_id=s.district_id),
                    points=request.POST.get("points"),
                    reason=request.POST.get("reason", ""),
                    evidence=request.FILES.get("evidence"),
                )
                messages.success(request, _("Proposal recorded: it counts once approved."))
            elif action in ("approve", "reject"):
                adj = get_object_or_404(Adjustment, pk=request.POST.get("adjustment"), period__scheme=s)
                services.adjustment_decide(
                    actor=person, adjustment=adj, approve=action == "approve", note=request.POST.get("note", "")
                )
            else:
                raise Http404
        except ValidationError as exc:
            _error(request, exc)
        return redirect("assessment:adjustments", pk=s.pk)
    return render(
        request,
        "assessment/adjustments.html",
        {
            "scheme": s,
            "rows": selectors.adjustments_for(person, s),
            "rules": rules,
            "periods": s.periods.all(),
            "units": Unit.objects.filter(assessment_memberships__group__scheme=s).order_by("sort_order"),
            "is_supervisor": is_supervisor(person),
            "can_propose": is_supervisor(person) or rules.filter(assessors=person).exists(),
        },
    )


# --------------------------------------------------------------------------- objections


@login_required
@require_POST
def objection_file(request, rule_score_pk):
    person = request.user
    rs = get_object_or_404(
        RuleScore.objects.select_related("unit_score__run__scheme", "unit_score__run__period"),
        pk=rule_score_pk,
        unit_score__run__scheme__district_id=person.district_id,
    )
    if not can_see_unit(person, rs.unit_score.unit_id):
        raise Http404
    run = rs.unit_score.run
    try:
        services.objection_file(actor=person, rule_score=rs, reason=request.POST.get("reason", ""))
        messages.success(request, _("Objection filed: the supervision office will review it."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("assessment:unit_score", pk=run.scheme_id, period_pk=run.period_id, unit_pk=rs.unit_score.unit_id)


@login_required
def objections(request):
    person = request.user
    return render(
        request,
        "assessment/objections.html",
        {
            "rows": selectors.objections_for(person).prefetch_related("events__actor"),
            "is_supervisor": is_supervisor(person),
        },
    )


@login_required
@require_POST
def objection_resolve(request, pk):
    person = request.user
    obj = get_object_or_404(Objection, pk=pk, scheme__district_id=person.district_id)
    try:
        services.objection_resolve(
            actor=person,
            objection=obj,
            accept=request.POST.get("decision") == "accept",
            resolution=request.POST.get("resolution", ""),
            points_after=request.POST.get("points_after") or None,
        )
        messages.success(request, _("Objection resolved."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect("assessment:objections")


# --------------------------------------------------------------------------- observation


@login_required
def session_create(request):
    person = request.user
    if not is_supervisor(person):
        raise PermissionDenied
    projects = KeyProject.objects.live().filter(district_id=person.district_id).order_by("code", "id")
    judges = Person.objects.filter(district_id=person.district_id).order_by("role", "id")
    if request.method == "POST":
        try:
            session = services.observation_create(
                actor=person,
                district=person.district,
                title=request.POST.get("title", "").strip() or _("Quarterly observation"),
                held_on=dt.date.fromisoformat(request.POST.get("held_on") or local_today().isoformat()),
                judges=list(judges.filter(pk__in=as_ids(request.POST.getlist("judges")))),
                items=list(projects.filter(pk__in=as_ids(request.POST.getlist("projects")))),
                trim=int(request.POST.get("trim") or 1),
            )
            return redirect(session)
        except (ValidationError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                _error(request, exc)
            else:
                messages.error(request, _("Check the values entered."))
    return render(request, "assessment/session_new.html", {"projects": projects, "judges": judges})


@login_required
def session(request, pk):
    person = request.user
    obj = access_session(person, pk)
    is_judge = obj.judges.filter(pk=person.pk).exists()
    if obj.state != ObservationSession.State.PUBLISHED and not (is_judge or sees_drafts(person)):
        raise Http404
    done = set(obj.scores.filter(judge=person).values_list("subject_id", flat=True))
    return render(
        request,
        "assessment/session.html",
        {
            "session": obj,
            "criteria": list(obj.criteria.all()),
            "results": services.observation_results(obj),
            "is_judge": is_judge,
            "done": done,
            "is_supervisor": is_supervisor(person),
            "judges": obj.judges.all(),
        },
    )


@login_required
def session_score(request, pk, subject_pk):
    """The judge's phone form: one subject, one number per criterion."""
    person = request.user
    obj = access_session(person, pk)
    if not obj.judges.filter(pk=person.pk).exists():
        raise PermissionDenied
    subject = get_object_or_404(obj.subjects.select_related("item", "unit"), pk=subject_pk)
    criteria = list(obj.criteria.all())
    if request.method == "POST":
        try:
            services.judge_score_submit(
                actor=person,
                session=obj,
                subject=subject,
                points={c.pk: request.POST.get(f"c{c.pk}") for c in criteria},
            )
            messages.success(request, _("Scores recorded for %(subject)s.") % {"subject": subject.name})
            return redirect(obj)
        except ValidationError as exc:
            _error(request, exc)
    return render(request, "assessment/session_score.html", {"session": obj, "subject": subject, "criteria": criteria})


@login_required
@require_POST
def session_publish(request, pk):
    obj = access_session(request.user, pk)
    try:
        services.observation_publish(actor=request.user, session=obj)
        messages.success(request, _("Results published."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(obj)
