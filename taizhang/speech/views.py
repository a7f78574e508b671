"""Pages of speech-to-ledger: the document list with the upload form, and the review page.

The review page shows the cleaned text with every extraction highlighted and, beside it,
one card per proposed task; accepting or rejecting a card posts with htmx and swaps just
that card (a plain POST redirects back to the page).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import DocumentUploadForm, ProposalForm


def _proposal_form(proposal, data=None) -> ProposalForm:
    district_id = proposal.document.district_id
    return ProposalForm(
        data,
        proposal=proposal,
        units=selectors.district_units(district_id),
        leaders=selectors.district_leaders(district_id),
    )


@login_required
def documents(request):
    selectors.require_speech_role(request.user)
    form = DocumentUploadForm()
    status = 200
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                doc = services.document_upload(
                    actor=request.user,
                    district=request.user.district,
                    file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    occasion=form.cleaned_data["occasion"],
                    doc_date=form.cleaned_data["doc_date"],
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(
                    request,
                    _("Extracted %(n)d proposed tasks from “%(title)s”.")
                    % {"n": doc.proposals.count(), "title": doc.title},
                )
                return redirect(doc)
        status = 400
    return render(
        request,
        "speech/documents.html",
        {
            "form": form,
            "documents": selectors.documents_for_list(request.user)[:200],
            "max_mb": services.max_speech_bytes() // (1024 * 1024),
        },
        status=status,
    )


@login_required
def document(request, pk: int):
    doc = selectors.access_document(request.user, pk)
    proposals = list(selectors.proposals_for_review(doc))
    cards = [(p, _proposal_form(p) if p.decision == p.Decision.PENDING else None) for p in proposals]
    return render(
        request,
        "speech/document.html",
        {
            "doc": doc,
            "highlighted": selectors.highlighted_html(doc.clean_text, doc.result),
            "cards": cards,
            "projects": doc.result.get("projects", []),
            "figures": doc.result.get("figures", []),
        },
    )


def _card(request, proposal, form=None, error: str = "", status: int = 200):
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"{proposal.document.get_absolute_url()}#proposal-{proposal.pk}")
    return render(request, "speech/_proposal_card.html", {"p": proposal, "form": form, "error": error}, status=status)


@login_required
@require_POST
def proposal_accept(request, pk: int):
    proposal = selectors.access_proposal(request.user, pk)
    form = _proposal_form(proposal, request.POST)
    if not form.is_valid():
        return _card(request, proposal, form, _("Please correct the errors below."), status=400)
    try:
        proposal = services.proposed_task_accept(
            actor=request.user,
            proposal=proposal,
            name=form.cleaned_data["name"],
            lead_unit=form.cleaned_data["lead_unit"],
            cooperating_units=list(form.cleaned_data["cooperating_units"]),
            leaders=list(form.cleaned_data["leaders"]),
            deadline=form.cleaned_data["deadline"],
        )
    except ValidationError as exc:
        proposal.refresh_from_db()
        still_pending = proposal.decision == proposal.Decision.PENDING
        return _card(request, proposal, form if still_pending else None, " ".join(exc.messages), status=400)
    return _card(request, proposal)


@login_required
@require_POST
def proposal_reject(request, pk: int):
    proposal = selectors.access_proposal(request.user, pk)
    try:
        proposal = services.proposed_task_reject(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        proposal.refresh_from_db()
        return _card(request, proposal, None, " ".join(exc.messages), status=400)
    return _card(request, proposal)
