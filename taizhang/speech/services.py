"""Writes for speech-to-ledger: upload a speech, accept or reject what it proposes.

``document_upload`` runs the extraction *before* opening a transaction (the NLP step
takes seconds and needs no locks) and then saves the document and every proposed task
at once; an unreadable file raises ``ValidationError`` with the library's Chinese
message and saves nothing. ``proposed_task_accept`` creates the key task through
``ledger.services.item_create`` so the ledger's own validation and history apply.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.ledger.models import Item
from taizhang.ledger.services import item_create
from taizhang.org.models import District, Person, Unit

from .extract.api import extract_file
from .extract.errors import ExtractionError
from .models import ProposedTask, SourceDocument
from .selectors import can_work_on_speeches, district_leaders, district_units

DEFAULT_MAX_SPEECH_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = (".txt", ".docx", ".pdf", ".doc")
NAME_MAX = 80


def max_speech_bytes() -> int:
    return int(getattr(settings, "TAIZHANG_MAX_SPEECH_BYTES", DEFAULT_MAX_SPEECH_BYTES))


def _check_actor(actor: Person, district_id: int) -> None:
    if not can_work_on_speeches(actor) or actor.district_id != district_id:
        raise PermissionDenied


# --------------------------------------------------------------------------- matching owners


def _unit_lookup(units: Sequence[Unit]) -> dict[str, Unit]:
    lookup: dict[str, Unit] = {}
    for u in units:
        lookup.setdefault(u.name, u)
        for prefix in ("区", "区委", "区政府"):  # "区住建局" is the district's 住建局
            lookup.setdefault(prefix + u.name, u)
            if u.name.startswith(prefix) and len(u.name) > len(prefix) + 1:
                lookup.setdefault(u.name[len(prefix) :], u)
    return lookup


def _match_units(names: Sequence[str], lookup: dict[str, Unit]) -> list[Unit]:
    found: list[Unit] = []
    for name in names:
        unit = lookup.get(str(name).strip())
        if unit is not None and unit not in found:
            found.append(unit)
    return found


# "1." "（三）" "一是" "一要" "第一，" opening a numbered item or heading
_NUMBERING = re.compile(
    r"^\s*(?:\d{1,3}\s*[.．、](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[,，、]|"
    r"[一二三四五六七八九十]{1,3}(?:是|要|、))\s*"
)
# "（牵头单位：…；配合单位：…；完成时限：…）" closing a task-list item
_RESPONSIBILITY = re.compile(r"[（(]\s*(?:牵头|责任|主责|主办)(?:单位|部门)[:：].*$", re.S)


def suggested_name(text: str, deadline_text: str = "") -> str:
    """Shorten a directive into a task name: drop numbering, the responsibility note, the owner
    ("…要"), the deadline and end punctuation; an item headed by a short sentence is named by it."""
    name = _RESPONSIBILITY.sub("", text.strip()).strip()
    name = _NUMBERING.sub("", name)
    head, dot, rest = name.partition("。")
    if dot and rest.strip() and 4 <= len(head) <= 30:
        name = head  # "加快推进重大项目建设。全年实施…": the item's own heading
    name = re.sub(r"[。;；!！]+$", "", name)
    m = re.match(r"^[^,，。;；]{1,20}?要", name)
    if m and len(name) - m.end() >= 4 and not name[m.end() :].startswith(("牵头", "配合")):
        name = name[m.end() :]
    if deadline_text:
        name = name.replace(deadline_text, "", 1)
    name = re.sub(r"^[,，\s]*(在|于|力争|确保|务必)*|[,，\s]+$", "", name)
    if len(name) > NAME_MAX:
        name = name[: NAME_MAX - 1] + "…"
    return name or text[:NAME_MAX]


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- upload


def _run_extraction(file, doc_date: dt.date, unit_names: list[str], limit: int) -> dict:
    suffix = Path(file.name or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(_("Upload a .txt, .docx or .pdf file."), code="suffix")
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size).1f MB); the limit is %(limit)d MB.")
            % {"size": file.size / 1024 / 1024, "limit": limit // (1024 * 1024)},
            code="too_big",
        )
    with tempfile.TemporaryDirectory(prefix="taizhang-speech-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with open(path, "wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        try:
            return extract_file(path, doc_date, units=unit_names, max_bytes=limit)
        except ExtractionError as exc:
            raise ValidationError(exc.message, code="extraction") from exc


def document_upload(
    *, actor: Person, district: District, file, title: str, occasion: str, doc_date: dt.date
) -> SourceDocument:
    _check_actor(actor, district.pk)
    units = list(district_units(district.pk))
    result = _run_extraction(file, doc_date, [u.name for u in units], max_speech_bytes())
    clean_text = result.pop("clean_text", "")
    lookup = _unit_lookup(units)
    leaders = list(district_leaders(district.pk))
    with transaction.atomic():
        document = SourceDocument.objects.create(
            district=district,
            title=title.strip() or Path(file.name).stem,
            occasion=occasion.strip(),
            doc_date=doc_date,
            original_name=Path(file.name).name[:255],
            clean_text=clean_text,
            result=result,
            uploaded_by=actor,
        )
        for index, d in enumerate(result.get("directives", []), start=1):
            owners = d.get("owners") or d.get("owners_context") or []
            lead = _match_units(d.get("lead") or owners, lookup)
            support = _match_units(d.get("support") or owners, lookup)
            lead_unit = lead[0] if lead else None
            deadline = d.get("deadline") or {}
            proposal = ProposedTask.objects.create(
                document=document,
                index=index,
                text=d["text"],
                suggested_name=suggested_name(d["text"], deadline.get("text", "")),
                span_start=d["span"][0],
                span_end=d["span"][1],
                owners=list(d.get("owners") or []),
                lead_unit=lead_unit,
                leader=next((p for p in leaders if p.full_name and p.full_name in d["text"]), None),
                deadline_start=_date(deadline.get("start")),
                deadline_end=_date(deadline.get("end")),
            )
            proposal.cooperating_units.set([u for u in support if u != lead_unit])
    return document


# --------------------------------------------------------------------------- review


def _lock_pending(actor: Person, proposal: ProposedTask) -> ProposedTask:
    _check_actor(actor, proposal.document.district_id)
    locked = ProposedTask.objects.select_for_update().select_related("document").get(pk=proposal.pk)
    if locked.decision != ProposedTask.Decision.PENDING:
        raise ValidationError(_("This proposed task has already been decided."), code="decided")
    return locked


def _decide(proposal: ProposedTask, actor: Person, decision: str, item: Item | None = None) -> None:
    proposal.decision = decision
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.created_item = item
    proposal.save(update_fields=["decision", "decided_by", "decided_at", "created_item"])
    document = proposal.document
    if not document.proposals.filter(decision=ProposedTask.Decision.PENDING).exists():
        document.state = SourceDocument.State.REVIEWED
        document.save(update_fields=["state"])


@transaction.atomic
def proposed_task_accept(
    *,
    actor: Person,
    proposal: ProposedTask,
    name: str,
    lead_unit: Unit,
    cooperating_units: Sequence[Unit] = (),
    leaders: Sequence[Person] = (),
    deadline: dt.date | None = None,
) -> ProposedTask:
    """Create a key task from a proposed task; its source fields quote the sentence."""
    locked = _lock_pending(actor, proposal)
    document = locked.document
    item = item_create(
        actor=actor,
        kind=Item.Kind.TASK,
        district=document.district,
        values={
            "year": document.doc_date.year,
            "name": name.strip(),
            "lead_unit": lead_unit,
            "deadline": deadline,
            "source_title": document.source_title[:200],
            "source_date": document.doc_date,
            "source_quote": locked.text,
        },
        cooperating_units=[u for u in cooperating_units if u != lead_unit],
        leaders=list(leaders),
    )
    _decide(locked, actor, ProposedTask.Decision.ACCEPTED, item)
    return locked


@transaction.atomic
def proposed_task_reject(*, actor: Person, proposal: ProposedTask) -> ProposedTask:
    locked = _lock_pending(actor, proposal)
    _decide(locked, actor, ProposedTask.Decision.REJECTED)
    return locked
