"""Importing a document: upload, one review screen, save as a draft. The pages translate; reading
is protocols.importing's, keeping and saving protocols.import_services'."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from boards.models import Area
from core.forms import service_errors

from . import import_services
from .importing import MAX_UPLOAD_BYTES
from .models import ImportedDocument
from .permissions import can_view_version, creatable_areas, get_protocol_for_editing


class ImportUploadForm(forms.Form):
    area = forms.ModelChoiceField(queryset=None, label="Area that keeps the protocol", empty_label=None)
    file = forms.FileField(
        label="Document",
        help_text=f"Word (.docx), OpenDocument (.odt), PDF with text, plain text or Markdown; up to "
        f"{MAX_UPLOAD_BYTES // 1048576} MB.",
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


def imported_for_user(request, pk) -> ImportedDocument:
    """The upload, if this user may make protocols in its area (or edit the protocol it is for)."""
    imported = get_object_or_404(ImportedDocument.objects.select_related("area", "protocol", "version"), pk=pk)
    if imported.protocol is not None:
        get_protocol_for_editing(request, imported.protocol.slug)
    elif not creatable_areas(request.user).filter(pk=imported.area_id).exists():
        raise PermissionDenied("You cannot import protocols in this area.")
    return imported


@login_required
def import_upload(request, slug=None):
    """A new protocol from a document; with `slug`, a new version of that protocol."""
    protocol = get_protocol_for_editing(request, slug) if slug else None
    areas = creatable_areas(request.user).order_by("name")
    if protocol is not None:
        areas = Area.objects.filter(pk=protocol.area_id)
    elif not areas.exists():
        raise PermissionDenied("You cannot create protocols.")
    form = ImportUploadForm(request.POST or None, request.FILES or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as saved:
            imported = import_services.imported_document_create(
                user=request.user, area=form.cleaned_data["area"], upload=form.cleaned_data["file"], protocol=protocol
            )
        if saved:
            return redirect("protocols:import_review", pk=imported.pk)
    return render(request, "protocols/import/upload.html", {"form": form, "protocol": protocol})


@login_required
def import_review(request, pk):
    imported = imported_for_user(request, pk)
    if imported.version_id:
        messages.info(request, "This document has been saved as a draft already.")
        return redirect(reverse("protocols:editor", kwargs={"slug": imported.protocol.slug}))
    suggestions = import_services.import_suggestions(imported)
    parsed = imported.parsed
    errors = []
    if request.method == "POST":
        boards = {str(board.pk): board for board in suggestions["boards"]}
        try:
            protocol = import_services.imported_document_save_draft(
                user=request.user,
                imported=imported,
                title=request.POST.get("title", ""),
                party_boards=[boards[pk] for pk in request.POST.getlist("party") if pk in boards],
                glossary_terms=request.POST.getlist("glossary"),
                use_document_date=request.POST.get("document_date") == "accept",
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, f"Draft saved from {imported.filename}. Check it, then send it for approval.")
            return redirect(reverse("protocols:editor", kwargs={"slug": protocol.slug}))
    accepted_parties = {board.pk for board in suggestions["parties"]}
    return render(
        request,
        "protocols/import/review.html",
        {
            "imported": imported,
            "parsed": parsed,
            "suggestions": suggestions,
            "accepted_parties": accepted_parties,
            "errors": errors,
            "title": request.POST.get("title", parsed["title"]),
        },
    )


def import_original(request, pk):
    """The uploaded file exactly as it came, for whoever may read the version it became."""
    imported = get_object_or_404(ImportedDocument.objects.select_related("version__protocol"), pk=pk)
    if imported.version is None or not can_view_version(request.user, imported.version):
        raise Http404("No such document.")
    return FileResponse(imported.file.open("rb"), as_attachment=True, filename=imported.filename)
