"""The protocol editor's pages for what a clause states (obligations, duties, relations, meetings), and the
request for reviews when legislation changes. They build on protocols' editor helpers and permissions;
protocols knows nothing of them beyond the panel this app registers (see apps.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.forms import service_errors
from protocols.editor_views import clause_or_404, draft_or_404, editor_url, editor_view
from protocols.permissions import can_edit_anything, get_protocol_for_editing

from . import forms, services
from .models import Duty, Meeting, Relation, ReportingObligation

# kind in the URL -> (form, service that creates it, form field aliases for service errors, what users call it)
RECORD_KINDS = {
    "obligation": (forms.ObligationForm, services.obligation_create, forms.OBLIGATION_ALIASES, "reporting obligation"),
    "duty": (forms.DutyForm, services.duty_create, forms.DUTY_ALIASES, "duty"),
    "relation": (forms.RelationForm, services.relation_create, forms.RELATION_ALIASES, "relation"),
    "meeting": (forms.MeetingForm, services.meeting_create, forms.MEETING_ALIASES, "meeting"),
}

# kind in the URL -> (model, service that updates it, the service's keyword for the record)
EDITABLE_KINDS = {
    "obligation": (ReportingObligation, services.obligation_update, "obligation"),
    "duty": (Duty, services.duty_update, "duty"),
    "relation": (Relation, services.relation_update, "relation"),
    "meeting": (Meeting, services.meeting_update, "meeting"),
}

# kind in the URL -> (model, service that deletes it, the service's keyword for the record)
DELETABLE_KINDS = {
    "obligation": (ReportingObligation, services.obligation_delete, "obligation"),
    "duty": (Duty, services.duty_delete, "duty"),
    "relation": (Relation, services.relation_delete, "relation"),
    "meeting": (Meeting, services.meeting_delete, "meeting"),
}


@editor_view
def record_add(request, slug, key, kind):
    """Add a reporting obligation, duty, relation or meeting that this clause states, keeping the clause as its source."""
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    clause = clause_or_404(version, key)
    if kind not in RECORD_KINDS:
        raise Http404("No such kind of record.")
    form_class, create, aliases, label = RECORD_KINDS[kind]
    form = form_class(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        with service_errors(form, aliases=aliases) as saved:
            create(user=request.user, version=version, source_clause=clause, **form.service_fields())
        if saved:
            messages.success(request, f"The {label} was added from clause {clause.number}.".replace("  ", " "))
            return redirect(f"{editor_url(protocol)}#{clause.anchor}")
    return render(
        request,
        "accountability/editor/record_form.html",
        {"protocol": protocol, "version": version, "clause": clause, "form": form, "label": label, "kind": kind},
    )


@editor_view
def record_edit(request, slug, kind, pk):
    """Change a reporting obligation, duty or relation; a save from a stale page says so and keeps what was typed."""
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    if kind not in EDITABLE_KINDS:
        raise Http404("No such kind of record.")
    model, update, argument = EDITABLE_KINDS[kind]
    record = get_object_or_404(
        model.objects.select_related("source_clause__section", "source_clause__parent"), pk=pk, version=version
    )
    form_class, _create, aliases, label = RECORD_KINDS[kind]
    form = form_class(request.POST or None, version=version, initial=forms.initial_for(record))
    if request.method == "POST" and form.is_valid():
        conflict = f"Someone else changed this {label} while you were editing. Check it and save again."
        with service_errors(form, aliases=aliases, conflict=conflict) as saved:
            update(
                user=request.user,
                expected_revision=form.cleaned_data["revision"],
                **{argument: record},
                **form.service_fields(),
            )
        if saved:
            messages.success(request, f"The {label} was saved: {record}.")
            anchor = record.source_clause.anchor if record.source_clause_id else ""
            return redirect(f"{editor_url(protocol)}#{anchor}" if anchor else editor_url(protocol))
    return render(
        request,
        "accountability/editor/record_form.html",
        {
            "protocol": protocol,
            "version": version,
            "clause": record.source_clause,
            "form": form,
            "label": label,
            "kind": kind,
            "record": record,
        },
    )


@editor_view
@require_POST
def record_delete(request, slug, kind, pk):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    if kind not in DELETABLE_KINDS:
        raise Http404("No such kind of record.")
    model, delete, argument = DELETABLE_KINDS[kind]
    record = get_object_or_404(model, pk=pk, version=version)
    delete(user=request.user, **{argument: record})
    messages.success(request, f"Deleted: {record}")
    anchor = record.source_clause.anchor if record.source_clause_id else ""
    return redirect(f"{editor_url(protocol)}#{anchor}" if anchor else editor_url(protocol))


@login_required
def legislation_review(request):
    """Ask for a review of every protocol (that the user edits) citing an instrument that changed."""
    if not can_edit_anything(request.user):
        raise PermissionDenied("Only business managers and registry administrators can ask for reviews.")
    instruments = services.instruments_with_citing_counts()
    form = forms.LegislationReviewForm(request.POST or None, instruments=instruments)
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as saved:
            marked = services.instrument_request_reviews(
                user=request.user, instrument=form.cleaned_data["instrument"], reason=form.cleaned_data["reason"]
            )
        if saved:
            names = ", ".join(p.title for p in marked) or "none that you edit"
            messages.success(request, f"Review requested for {len(marked)} protocol(s): {names}.")
            return redirect(reverse("protocols:reviews"))
    return render(
        request,
        "accountability/editor/legislation_review.html",
        {"form": form, "instruments": [(i, i.citing_protocols) for i in instruments]},
    )
