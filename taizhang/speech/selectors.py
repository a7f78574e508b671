"""Reads for the speech-to-ledger pages, and the permission-checked fetches.

Only the policy research office and the supervision office work on speeches: any other
role gets 403; a document of another district is 404, as everywhere else.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from taizhang.org.models import Person, Role, Unit

from .models import ProposedTask, SourceDocument

SPEECH_ROLES = frozenset({Role.POLICY, Role.SUPERVISOR})


def can_work_on_speeches(person: Person) -> bool:
    return bool(person.is_authenticated and person.district_id and person.role in SPEECH_ROLES)


def require_speech_role(person: Person) -> None:
    if not can_work_on_speeches(person):
        raise PermissionDenied


def access_document(person: Person, pk: int) -> SourceDocument:
    require_speech_role(person)
    try:
        return SourceDocument.objects.select_related("uploaded_by").get(pk=pk, district_id=person.district_id)
    except SourceDocument.DoesNotExist:
        raise Http404 from None


def access_proposal(person: Person, pk: int) -> ProposedTask:
    require_speech_role(person)
    try:
        return ProposedTask.objects.select_related("document", "lead_unit", "leader", "created_item").get(
            pk=pk, document__district_id=person.district_id
        )
    except ProposedTask.DoesNotExist:
        raise Http404 from None


def documents_for_list(person: Person):
    require_speech_role(person)
    return (
        SourceDocument.objects.filter(district_id=person.district_id)
        .select_related("uploaded_by")
        .annotate(
            n_proposals=Count("proposals"),
            n_pending=Count("proposals", filter=Q(proposals__decision=ProposedTask.Decision.PENDING)),
            n_accepted=Count("proposals", filter=Q(proposals__decision=ProposedTask.Decision.ACCEPTED)),
        )
    )


def proposals_for_review(document: SourceDocument):
    return document.proposals.select_related("lead_unit", "leader", "created_item").prefetch_related(
        "cooperating_units"
    )


def district_units(district_id: int):
    return Unit.objects.filter(district_id=district_id, is_active=True).order_by("sort_order", "path", "id")


def district_leaders(district_id: int):
    return Person.objects.filter(district_id=district_id, role=Role.LEADER, is_active=True).order_by("full_name", "id")


# --------------------------------------------------------------------------- highlighting

KIND_CLASSES = {"directive": "hl-directive", "project": "hl-project", "figure": "hl-figure"}


def _spans(result: dict) -> list[tuple[int, int, str, int | None]]:
    spans = []
    for i, d in enumerate(result.get("directives", []), start=1):
        spans.append((d["span"][0], d["span"][1], "directive", i))
    for p in result.get("project_spans", []):
        spans.append((p["span"][0], p["span"][1], "project", None))
    for f in result.get("figures", []):
        spans.append((f["span"][0], f["span"][1], "figure", None))
    return spans


def highlighted_html(text: str, result: dict) -> SafeString:
    """Return ``text`` as HTML with every extraction wrapped in ``<mark>``.

    Spans may nest (a figure inside a directive sentence), so the text is cut at every
    span boundary and each piece is marked with the kinds that cover it. Every piece of
    the user's text goes through ``escape``; only our own tags are trusted.
    """
    n = len(text)
    spans = [(max(0, a), min(n, b), kind, idx) for a, b, kind, idx in _spans(result) if 0 <= a < b]
    cuts = sorted({0, n, *(a for a, *_ in spans), *(b for _a, b, *_ in spans)})
    parts: list[str] = []
    opened: set[int] = set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        piece = escape(text[a:b])
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        if not covering:
            parts.append(piece)
            continue
        kinds = sorted({KIND_CLASSES[s[2]] for s in covering})
        attrs = f' class="{" ".join(kinds)}"'
        for s in covering:
            if s[2] == "directive" and s[3] not in opened:
                opened.add(s[3])
                attrs += f' id="sentence-{int(s[3])}"'
        parts.append(f"<mark{attrs}>{piece}</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - every text piece is escaped above
