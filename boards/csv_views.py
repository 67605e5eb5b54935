"""Memberships as CSV: export, a template, and import with a preview, for a board or an area's boards.

For the business managers who keep the board or area, and administrators. What a file does is decided in
boards.csv_io; these views read the upload, show the preview and hand the confirmed file back to it.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from . import csv_io, permissions
from .models import Area, Board

REFUSED = "Memberships are imported and exported by the business managers who keep them, and administrators."


def _scope(request, kind, slug):
    if kind == "area":
        scope = csv_io.Scope(area=get_object_or_404(Area, slug=slug))
    else:
        scope = csv_io.Scope(board=get_object_or_404(Board.objects.prefetch_related("areas"), slug=slug))
    if not scope.may_import(request.user):
        raise PermissionDenied(REFUSED)
    return scope


def _csv_response(text, filename):
    # A byte-order mark, so that spreadsheets open the file as UTF-8 (names with accents stay whole).
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _urls(kind, scope):
    slug = (scope.area or scope.board).slug
    return {
        "export": reverse(f"boards:{kind}_memberships_csv", kwargs={"slug": slug}),
        "import": reverse(f"boards:{kind}_memberships_import", kwargs={"slug": slug}),
        "template": reverse("boards:memberships_csv_template"),
        "back": (scope.area or scope.board).get_absolute_url(),
    }


@login_required
def memberships_csv(request, kind, slug):
    """The register's memberships in the import's columns: importing this file again changes nothing."""
    scope = _scope(request, kind, slug)
    out = io.StringIO()
    csv_io.write_csv(csv_io.export_rows(scope), out)
    return _csv_response(out.getvalue(), f"memberships-{(scope.area or scope.board).slug}.csv")


@login_required
def memberships_csv_template(request):
    if not permissions.can_edit_register(request.user):
        raise PermissionDenied(REFUSED)
    return _csv_response(csv_io.template_csv(), "memberships-template.csv")


@login_required
def memberships_import(request, kind, slug):
    """Upload, preview (nothing saved) and confirm. The preview carries the file's text to the confirm form."""
    scope = _scope(request, kind, slug)
    context = {
        "scope": scope,
        "kind": kind,
        "urls": _urls(kind, scope),
        "columns": [(name, csv_io.COLUMN_HELP[name], name in csv_io.REQUIRED_COLUMNS) for name in csv_io.COLUMNS],
        "upload_error": None,
    }
    if request.method != "POST":
        return render(request, "boards/memberships_import.html", context)

    confirming = "confirm" in request.POST
    if confirming:
        text = request.POST.get("csv_text", "")
    else:
        upload = request.FILES.get("file")
        if upload is None:
            context["upload_error"] = "Choose a CSV file to upload."
            return render(request, "boards/memberships_import.html", context, status=400)
        if upload.size > csv_io.MAX_BYTES:
            context["upload_error"] = f"The file is larger than {csv_io.MAX_BYTES // 1024} KB; split it by board."
            return render(request, "boards/memberships_import.html", context, status=400)
        text = csv_io.decode(upload.read())

    outcome = csv_io.run_import(user=request.user, scope=scope, text=text, commit=confirming)
    if outcome.saved:
        added, changed, unchanged = outcome.count("add"), outcome.count("change"), outcome.count("unchanged")
        summary = f"Saved {len(outcome.rows)} rows: {added} memberships added, {changed} changed, {unchanged} unchanged"
        if outcome.people_added:
            summary += f"; {outcome.people_added} people added"
        messages.success(request, summary + ".")
        return redirect(context["urls"]["back"])
    context |= {"outcome": outcome, "csv_text": text, "confirming": confirming}
    status = 200 if outcome.ok else 400
    return render(request, "boards/memberships_preview.html", context, status=status)
