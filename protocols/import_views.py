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
            imported = import_services.import_upload(
                user=request.user, area=form.cleaned_data["area"], upload=form.cleaned_data["file"], protocol=protocol
            )
        if saved and isinstance(imported, str):  # a long document: read in the background
            return redirect("protocols:import_reading", token=imported)
        if saved:
            return redirect("protocols:import_review", pk=imported.pk)
    return render(request, "protocols/import/upload.html", {"form": form, "protocol": protocol})


def _board_ref(post, prefix, side):
    """A board of the register by its id, the name of a new board, or None (not stated)."""
    value = post.get(f"{prefix}-{side}", "")
    if value == "new":
        return post.get(f"{prefix}-{side}-new", "").strip() or None
    return value or None


def choices_from_post(post, boards, past_rows) -> import_services.ImportChoices:
    """The review screen's form, as the choices the import service takes."""
    obligations, relations = [], []
    for suggestion in post.getlist("accept"):
        prefix = f"s{suggestion}"
        sender, recipient = _board_ref(post, prefix, "sender"), _board_ref(post, prefix, "recipient")
        if post.get(f"{prefix}-record") == "relation":
            relations.append(
                {
                    "suggestion": suggestion,
                    "kind": post.get(f"{prefix}-kind", ""),
                    "subject": sender,
                    "object": recipient,
                }
            )
        else:
            obligations.append(
                {
                    "suggestion": suggestion,
                    "title": post.get(f"{prefix}-title", ""),
                    "subject": post.get(f"{prefix}-subject", ""),
                    "senders": [sender] if sender else [],
                    "recipients": [recipient] if recipient else [],
                    "frequency": post.get(f"{prefix}-frequency", ""),
                    "window_start_month": post.get(f"{prefix}-start") or None,
                    "window_end_month": post.get(f"{prefix}-end") or None,
                }
            )
    past_versions = [
        {"index": int(index), "status": post.get(f"pv{index}-status", "")}
        for index in post.getlist("past_version")
        if index.isdigit() and int(index) < len(past_rows)
    ]
    approvals = [
        {"index": int(index), "board": post.get(f"ap{index}-board", "")}
        for index in post.getlist("approval")
        if index.isdigit()
    ]
    return import_services.ImportChoices(
        title=post.get("title", ""),
        party_boards=[boards[pk] for pk in post.getlist("party") if pk in boards],
        new_parties=[name for name in post.getlist("new_party") if name.strip()],
        glossary_terms=post.getlist("glossary"),
        use_document_date=post.get("document_date") == "accept",
        obligations=obligations,
        relations=relations,
        past_versions=past_versions,
        save_as_past=post.get("save_as") == "past",
        past_status=post.get("past_status", ""),
        past_label=post.get("past_label", ""),
        approvals=approvals,
    )


@login_required
def import_reading(request, token):
    """The progress of a long document's reading; refreshes itself until the review screen is ready."""
    state = import_services.import_reading(user=request.user, token=token)
    if state is None:
        raise Http404("No such reading.")
    if state["state"] == "done":
        return redirect("protocols:import_review", pk=state["imported"].pk)
    return render(request, "protocols/import/reading.html", {"reading": state, "token": token})


@login_required
def import_review(request, pk):
    imported = imported_for_user(request, pk)
    if imported.version_id:
        messages.info(request, "This document has been saved as a draft already.")
        return redirect(reverse("protocols:editor", kwargs={"slug": imported.protocol.slug}))
    suggestions = import_services.import_suggestions(imported)
    parsed = imported.parsed
    errors = []
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        boards = {str(board.pk): board for board in suggestions["boards"]}
        choices = choices_from_post(posted, boards, parsed.get("past_versions", []))
        try:
            protocol = import_services.imported_document_confirm(user=request.user, imported=imported, choices=choices)
        except ValidationError as error:
            errors = error.messages
        else:
            if choices.save_as_past:
                messages.success(request, f"Saved from {imported.filename} as a past version, as written.")
                return redirect(reverse("protocols:history", kwargs={"slug": protocol.slug}))
            messages.success(request, f"Draft saved from {imported.filename}. Check it, then send it for approval.")
            return redirect(reverse("protocols:editor", kwargs={"slug": protocol.slug}))
    accepted_parties = (
        {int(pk) for pk in posted.getlist("party") if pk.isdigit()}
        if posted is not None
        else {board.pk for board in suggestions["parties"]}
    )
    rows = []
    for index, row in enumerate(parsed.get("past_versions", [])):
        label = import_services.version_label(row["version"])
        own = label == import_services.version_label(parsed.get("version", ""))
        rows.append(
            {
                "index": index,
                "row": row,
                "label": label,
                "own": own,
                "accepted": str(index) in posted.getlist("past_version") if posted is not None else not own,
                "status": posted.get(f"pv{index}-status")
                if posted is not None
                else import_services.proposed_status(row),
            }
        )
    return render(
        request,
        "protocols/import/review.html",
        {
            "imported": imported,
            "parsed": parsed,
            "suggestions": suggestions,
            "accepted_parties": accepted_parties,
            "errors": errors,
            "posted": posted,
            "title": request.POST.get("title", parsed["title"]),
            "past_rows": rows,
            "proposed_date": import_services.proposed_date(parsed),
            "new_parties_ticked": posted.getlist("new_party") if posted is not None else [],
            "past_statuses": import_services.past_statuses(),
            "past_status": posted.get("past_status", "") if posted is not None else "",
            "past_label": posted.get("past_label") if posted is not None else parsed.get("version", ""),
            "approval_rows": _approval_rows(suggestions["approvals"], posted),
        },
    )


def _approval_rows(approvals, posted):
    """The approvals the document states, each unticked until the business manager ticks it, with the party
    chosen for it (the board the document names, where the register has exactly one)."""
    if posted is None:
        return [{**row, "ticked": False} for row in approvals]
    ticked = posted.getlist("approval")
    return [
        {**row, "ticked": str(row["index"]) in ticked, "board": posted.get(f"ap{row['index']}-board", row["board"])}
        for row in approvals
    ]


def import_original(request, pk):
    """The uploaded file exactly as it came, for whoever may read the version it became."""
    imported = get_object_or_404(ImportedDocument.objects.select_related("version__protocol"), pk=pk)
    if imported.version is None or not can_view_version(request.user, imported.version):
        raise Http404("No such document.")
    return FileResponse(imported.file.open("rb"), as_attachment=True, filename=imported.filename)
