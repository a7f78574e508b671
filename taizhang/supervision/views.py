"""Pages of the supervision office: weekly bulletin, notices and the board.

Views only parse the request, call one selector or service and render; a notice
outside the person's scope is 404 (``access_notice``), an action the person's role
does not allow is 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from taizhang.core.calendar import today as local_today

from . import documents, selectors, services
from .access import access_notice, can_close_notice, can_reply_notice, is_supervisor, sees_board
from .forms import NoticeGenerateForm, NoticeReplyForm
from .models import SupervisionNotice


def _issuer() -> str:
    return getattr(settings, "TAIZHANG_BULLETIN_ISSUER", selectors.DEFAULT_ISSUER)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --------------------------------------------------------------------------- weekly bulletin


@login_required
def bulletin(request):
    week = selectors.bulletin_week(request.GET.get("week"))
    b = selectors.weekly_bulletin_build(person=request.user, week_start=week)
    group_by = "leader" if request.GET.get("by") == "leader" else "unit"
    return render(
        request,
        "supervision/bulletin.html",
        {
            "b": b,
            "group_by": group_by,
            "groups": b.by_leader if group_by == "leader" else b.by_unit,
            "this_week": selectors.bulletin_week(None),
        },
    )


@login_required
def bulletin_docx(request):
    week = selectors.bulletin_week(request.GET.get("week"))
    b = selectors.weekly_bulletin_build(person=request.user, week_start=week)
    filename = f"重点工作周调度通报_{b.year}年第{b.issue_number}期.docx"
    return _download(documents.bulletin_docx(b), documents.DOCX_CONTENT_TYPE, filename)


# --------------------------------------------------------------------------- notices


@login_required
def notices(request):
    today = local_today()
    filters = selectors.NoticeFilters.from_params(request.GET)
    qs = selectors.notices_for_list(request.user, filters, today)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "today": today,
        "states": SupervisionNotice.State.choices,
        "units": selectors.notice_units(request.user),
        "query": params.urlencode(),
        "is_supervisor": is_supervisor(request.user),
        "generate_form": NoticeGenerateForm(initial={"month": today.replace(day=1)}),
    }
    template = "supervision/notices_results.html" if request.headers.get("HX-Request") else "supervision/notices.html"
    return render(request, template, context)


@login_required
def notices_xlsx(request):
    today = local_today()
    filters = selectors.NoticeFilters.from_params(request.GET)
    rows = selectors.notices_for_list(request.user, filters, today)
    return _download(documents.notices_xlsx(rows, today), documents.XLSX_CONTENT_TYPE, f"督办通知_{today}.xlsx")


def _notice_page(request, notice, form=None, status=200):
    today = local_today()
    can_reply = can_reply_notice(request.user, notice) and notice.state == SupervisionNotice.State.ISSUED
    context = {
        "notice": notice,
        "flagged": notice.is_flagged(today),
        "reply_form": (form or NoticeReplyForm()) if can_reply else None,
        "can_close": can_close_notice(request.user, notice) and notice.state == SupervisionNotice.State.REPLIED,
        "issuer": _issuer(),
    }
    return render(request, "supervision/notice.html", context, status=status)


@login_required
def notice(request, pk):
    return _notice_page(request, access_notice(request.user, pk))


@login_required
def notice_docx(request, pk):
    n = access_notice(request.user, pk)
    return _download(documents.notice_docx(n, _issuer()), documents.DOCX_CONTENT_TYPE, f"督办通知单_{n.number}.docx")


@login_required
@require_POST
def notice_reply(request, pk):
    n = access_notice(request.user, pk)
    if not can_reply_notice(request.user, n):
        raise PermissionDenied
    form = NoticeReplyForm(request.POST)
    if not form.is_valid():
        return _notice_page(request, n, form, status=400)
    try:
        services.notice_reply(actor=request.user, notice=n, text=form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _notice_page(request, n, form, status=409)
    messages.success(request, _("Your reply has been sent to the supervision office."))
    return redirect(n)


@login_required
@require_POST
def notice_close(request, pk):
    n = access_notice(request.user, pk)
    if not can_close_notice(request.user, n):
        raise PermissionDenied
    try:
        services.notice_close(actor=request.user, notice=n)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _notice_page(request, n, status=409)
    messages.success(request, _("The notice is closed."))
    return redirect(n)


@login_required
@require_POST
def notices_generate(request):
    if not is_supervisor(request.user):
        raise PermissionDenied
    form = NoticeGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick the month to supervise."))
        return redirect("supervision:notices")
    issued = services.notices_generate_for_month(
        actor=request.user,
        district=request.user.district,
        month=form.cleaned_data["month"],
        reply_within_workdays=form.cleaned_data.get("reply_within_workdays"),
    )
    if issued:
        messages.success(
            request,
            ngettext("%(count)d supervision notice issued.", "%(count)d supervision notices issued.", len(issued))
            % {"count": len(issued)},
        )
    else:
        messages.info(request, _("No new notices: every lagging item already has an open notice."))
    return redirect("supervision:notices")


# --------------------------------------------------------------------------- board


@login_required
def board(request):
    if not sees_board(request.user):
        raise PermissionDenied
    return render(request, "supervision/board.html", {"board": selectors.board_build(person=request.user)})
