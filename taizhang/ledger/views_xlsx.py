"""Excel downloads and the ledger import page (issue #9).

Exports go through ``items_for_list`` with the list page's own filters, so a
download holds exactly the rows the person sees on screen, and nothing outside
their scope.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taizhang.core.forms import XlsxUploadForm

from . import xlsx
from .access import can_import_ledger
from .models import Item, KeyProject, KeyTask
from .selectors import ItemFilters, items_for_list


def _require_importer(person) -> None:
    if not can_import_ledger(person):
        raise PermissionDenied(_("Only the supervision office and the policy research office may import the ledger."))


@login_required
@require_GET
def import_template(request, kind: str):
    """Download the blank import template, generated from the same columns the importer reads."""
    if kind not in (Item.Kind.PROJECT, Item.Kind.TASK):
        raise Http404
    return xlsx.template_response(kind)


@login_required
@require_http_methods(["GET", "POST"])
def import_ledger(request):
    _require_importer(request.user)
    result = None
    if request.method == "POST":
        form = XlsxUploadForm(request.POST, request.FILES)
        if form.is_valid():
            result = xlsx.ledger_import(
                actor=request.user, district=request.user.district, file=form.cleaned_data["file"]
            )
            if result.ok and result.created:
                messages.success(
                    request,
                    _("Imported %(projects)d key projects and %(tasks)d key tasks.")
                    % {"projects": result.projects, "tasks": result.tasks},
                )
                return redirect("ledger:import")
            if result.ok:
                messages.warning(request, _("The file has no rows to import."))
                return redirect("ledger:import")
    else:
        form = XlsxUploadForm()
    return render(
        request,
        "ledger/import.html",
        {
            "form": form,
            "result": result,
            "max_rows": settings.TAIZHANG_MAX_IMPORT_ROWS,
            "max_mb": settings.TAIZHANG_MAX_IMPORT_BYTES / 1048576,
        },
        status=200 if result is None or result.ok else 422,
    )


def _export(request, model, kind: str):
    items = items_for_list(request.user, model, ItemFilters.from_params(request.GET)).order_by("code", "id")
    return xlsx.export_response(kind, items)


@login_required
@require_GET
def export_projects(request):
    return _export(request, KeyProject, Item.Kind.PROJECT)


@login_required
@require_GET
def export_tasks(request):
    return _export(request, KeyTask, Item.Kind.TASK)
