"""The editor: pages and htmx fragments that translate requests into calls to protocols.services.

Every view asks protocols.permissions (get_protocol_for_editing or get_protocol_for_reading_drafts);
anonymous users are sent to sign in, signed-in users without rights get 403, unknown objects 404.
"""

import datetime
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from boards.models import Board
from core.exceptions import EditConflict, RegistryError
from core.forms import service_errors
from core.models import AuditRecord
from core.writes import record_revision

from . import extensions, services
from .changes import content_mark, previous_version, version_changes
from .diff import change_counts, compare_versions
from .forms import (
    ApprovalForm,
    ChangeSummaryForm,
    ClauseForm,
    ClauseMoveForm,
    GlossaryEntryForm,
    PaperCopyForm,
    PartyApprovalRuleForm,
    PartyForm,
    PastVersionForm,
    ProtocolCreateForm,
    ProtocolSettingsForm,
    SectionForm,
    VersionSettingsForm,
)
from .models import Clause, GlossaryEntry, Party, Protocol, ProtocolVersion, ReviewState, Section
from .permissions import (
    can_edit_anything,
    can_edit_protocol,
    can_view_version,
    creatable_areas,
    drafts_refusal,
    editable_protocols,
    get_protocol_for_editing,
    get_protocol_for_reading_drafts,
    readable_draft_protocols,
)
from .sanitize import html_to_text, one_line, rich_text_html

# Helpers (public: the accountability app's editor pages use them too) -----------------------------------------------------------------------------------------------


def editor_url(protocol):
    return reverse("protocols:editor", kwargs={"slug": protocol.slug})


def draft_or_404(protocol):
    version = services.open_draft(protocol)
    if version is None:
        raise Http404("This protocol has no open draft.")
    return version


def refused(request, slug, error):
    """A rule refused the change: say why on the editor page, without losing the page for htmx."""
    messages.error(request, "; ".join(error.messages) if isinstance(error, ValidationError) else str(error))
    url = reverse("protocols:editor", kwargs={"slug": slug})
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def editor_view(view):
    """An editor page: sign-in required, and a change the registry's rules refuse is answered with the
    reason on the editor page rather than an error page.

    Refused are an agreed version (VersionLocked), a step the version's state does not allow
    (InvalidTransition), any other RegistryError, and a ValidationError no form took: a form's own
    errors, and edit conflicts, go onto the form through core.forms.service_errors.
    """

    @functools.wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        try:
            return view(request, slug, *args, **kwargs)
        except (RegistryError, ValidationError) as error:
            return refused(request, slug, error)

    return login_required(wrapper)


def _changes(form):
    """A revisioned form's data as a service's keywords: the revision the form loaded is the one it expects."""
    data = dict(form.cleaned_data)
    data["expected_revision"] = data.pop("revision")
    return data


def _section(version, key):
    return get_object_or_404(Section.objects.select_related("version__protocol"), version=version, key=key)


def clause_or_404(version, key):
    return get_object_or_404(
        Clause.objects.select_related("section__version__protocol", "parent"), section__version=version, key=key
    )


def _editor_sections(version):
    """Sections with their clause trees and each clause's structured records, in a fixed number of queries."""
    clause_queryset = Clause.objects.order_by("position", "id")
    prefetches = [Prefetch("clauses", queryset=clause_queryset)]
    prefetches += [f"clauses__{lookup}" for lookup in extensions.clause_prefetches]
    sections = list(version.sections.order_by("position", "id").prefetch_related(*prefetches))
    for section in sections:
        clauses = list(section.clauses.all())
        by_parent = {}
        for clause in clauses:
            by_parent.setdefault(clause.parent_id, []).append(clause)
        for clause in clauses:
            clause.child_list = by_parent.get(clause.pk, [])
        section.tree = by_parent.get(None, [])
    return sections


def _editor_context(request, protocol, version, **extra):
    return {
        "protocol": protocol,
        "version": version,
        "sections": _editor_sections(version),
        "live_approvals": services.live_approval_count(version),
        "section_form": SectionForm(prefix="new-section"),
        **extra,
    }


def _render_sections(request, protocol, version, focus=None):
    context = _editor_context(request, protocol, version, focus=focus)
    return render(request, "protocols/editor/includes/sections.html", context)


def _after_structure_change(request, protocol, version, focus=None, message=None):
    if request.htmx:
        # Forms post to themselves (so errors replace the form); success redraws all sections.
        response = _render_sections(request, protocol, version, focus=focus)
        response["HX-Retarget"] = "#editor-sections"
        response["HX-Reswap"] = "outerHTML"
        return response
    if message:
        messages.success(request, message)
    url = editor_url(protocol)
    return redirect(f"{url}#{focus}" if focus else url)


# Home, create, main editor ---------------------------------------------------------------------------------


@login_required
def editor_home(request):
    if not can_edit_anything(request.user):
        raise PermissionDenied("Only business managers and registry administrators edit protocols.")
    protocols = (
        editable_protocols(request.user)
        .select_related("area")
        .prefetch_related(Prefetch("versions", queryset=ProtocolVersion.objects.order_by("-number")))
        .order_by("area__name", "title")
    )
    return render(
        request,
        "protocols/editor/home.html",
        {"protocols": protocols, "can_create": creatable_areas(request.user).exists()},
    )


@login_required
def protocol_create(request):
    areas = creatable_areas(request.user)
    if not areas.exists():
        raise PermissionDenied("Only business managers and registry administrators create protocols.")
    boards = Board.objects.filter(areas__in=areas).distinct().order_by("name")
    form = ProtocolCreateForm(request.POST or None, areas=areas, boards=boards)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form) as saved:
            protocol = services.protocol_create(
                user=request.user,
                area=data["area"],
                title=data["title"],
                short_title=data["short_title"],
                summary=data["summary"],
                review_cycle_months=data["review_cycle_months"],
                party_boards=data["party_boards"],
            )
        if saved:
            messages.success(request, f"Protocol created: {protocol.title}. Add its sections and clauses.")
            return redirect(editor_url(protocol))
    return render(request, "protocols/editor/protocol_create.html", {"form": form})


@login_required
def editor(request, slug):
    protocol = get_protocol_for_editing(request, slug)
    version = services.open_draft(protocol)
    if version is None:
        agreed = protocol.versions.agreed().first()
        return render(request, "protocols/editor/no_draft.html", {"protocol": protocol, "agreed": agreed})
    return render(request, "protocols/editor/editor.html", _editor_context(request, protocol, version))


@editor_view
@require_POST
def start_review(request, slug):
    protocol = get_protocol_for_editing(request, slug)
    version = services.version_start_review(user=request.user, protocol=protocol)
    messages.success(request, f"Review started: version {version.number} is a new draft copied from the agreed one.")
    return redirect(editor_url(protocol))


@editor_view
def protocol_settings(request, slug):
    protocol = get_protocol_for_editing(request, slug)
    version = services.open_draft(protocol)
    which = request.POST.get("form") if request.method == "POST" else None
    protocol_form = ProtocolSettingsForm(
        request.POST if which == "protocol" else None,
        initial={
            "revision": protocol.revision,
            **{name: getattr(protocol, name) for name in services.PROTOCOL_FIELDS},
        },
    )
    version_form = None
    if version is not None:
        version_form = VersionSettingsForm(
            request.POST if which == "version" else None,
            prefix="version",
            initial={
                "revision": version.revision,
                "title": version.title,
                "label": version.label,
                "auto_numbering": "1" if version.auto_numbering else "0",
                **_date_initial("document_date", version.document_date, version.document_date_precision),
            },
        )
    conflict = "Someone else saved these details while you were editing. Check them and save again."
    if which == "protocol" and protocol_form.is_valid():
        with service_errors(protocol_form, conflict=conflict) as saved:
            services.protocol_update(user=request.user, protocol=protocol, **_changes(protocol_form))
        if saved:
            messages.success(request, "Protocol details saved.")
            return redirect(editor_url(protocol))
    if which == "version" and version_form is not None and version_form.is_valid():
        data = _changes(version_form)
        for part in ("day", "month", "year"):
            data.pop(f"document_date_{part}")
        with service_errors(version_form, conflict=conflict, aliases={"document_date": "document_date_year"}) as saved:
            services.version_update(user=request.user, version=version, **data)
        if saved:
            messages.success(request, "Version details saved.")
            return redirect(editor_url(protocol))
    return render(
        request,
        "protocols/editor/settings.html",
        {"protocol": protocol, "version": version, "form": protocol_form, "version_form": version_form},
    )


@editor_view
def parties(request, slug):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    party_list = version.parties.select_related("board").prefetch_related("approvals")
    taken = [p.board_id for p in party_list]
    boards = Board.objects.exclude(pk__in=taken).order_by("name")
    # A posted board is checked against every board, so one another editor added meanwhile is refused
    # by the service with its reason ("already a party") rather than as an unknown choice.
    form = PartyForm(
        request.POST or None, boards=Board.objects.order_by("name") if request.method == "POST" else boards
    )
    if request.method == "POST" and request.POST.get("action") == "remove":
        party_id = request.POST.get("party", "")
        party = (
            Party.objects.select_related("board").filter(version=version, pk=int(party_id)).first()
            if party_id.isdigit()
            else None
        )
        if party is None:
            messages.error(
                request, "That board was no longer a party: someone else removed it. Here are the parties now."
            )
            return redirect(reverse("protocols:editor_parties", kwargs={"slug": slug}))
        with service_errors(form) as saved:
            services.party_remove(user=request.user, party=party)
        if saved:
            messages.success(request, f"{party.board.name} is no longer a party.")
            return redirect(reverse("protocols:editor_parties", kwargs={"slug": slug}))
    elif request.method == "POST" and form.is_valid():
        with service_errors(form) as saved:
            party = services.party_add(user=request.user, version=version, board=form.cleaned_data["board"])
        if saved:
            messages.success(request, f"{party.board.name} added as a party.")
            return redirect(reverse("protocols:editor_parties", kwargs={"slug": slug}))
    form.fields["board"].queryset = boards
    return render(
        request,
        "protocols/editor/parties.html",
        {"protocol": protocol, "version": version, "parties": party_list, "form": form},
    )


def _glossary_url(protocol):
    return reverse("protocols:editor_glossary", kwargs={"slug": protocol.slug})


@editor_view
def glossary(request, slug):
    """The draft's glossary: its terms with their meanings, changed or removed one by one, and a term added."""
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    form = GlossaryEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form) as saved:
            entry = services.glossary_entry_create(
                user=request.user, version=version, term=data["term"], meaning=data["meaning"]
            )
        if saved:
            messages.success(request, f"Added {entry.term} to the glossary.")
            return redirect(_glossary_url(protocol))
    context = {
        "protocol": protocol,
        "version": version,
        "entries": version.glossary_entries.order_by("term"),
        "form": form,
    }
    return render(request, "protocols/editor/glossary.html", context, status=400 if form.errors else 200)


@editor_view
def glossary_entry_edit(request, slug, pk):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    entry = get_object_or_404(GlossaryEntry, version=version, pk=pk)
    if request.method == "POST" and request.POST.get("action") == "remove":
        services.glossary_entry_delete(user=request.user, entry=entry)  # a refusal: editor_view says why
        messages.success(request, f"Removed {entry.term} from the glossary.")
        return redirect(_glossary_url(protocol))
    initial = {"term": entry.term, "meaning": entry.meaning, "revision": record_revision(entry)}
    form = GlossaryEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        conflict = "Someone else changed this entry while you were editing. Check it and save again."
        with service_errors(form, conflict=conflict) as saved:
            services.glossary_entry_update(user=request.user, entry=entry, **_changes(form))
        if saved:
            messages.success(request, f"Saved {form.cleaned_data['term']}.")
            return redirect(_glossary_url(protocol))
    context = {"protocol": protocol, "version": version, "entry": entry, "form": form}
    return render(request, "protocols/editor/glossary_entry.html", context, status=400 if form.errors else 200)


@editor_view
def renumber(request, slug):
    """Show each section's and clause's number now and after renumbering; renumber only when confirmed.

    The confirmation names the plan it confirms; if the draft changed since, the new plan is shown instead."""
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    conflict = ""
    # Only a confirmed preview renumbers: a POST that names no preview is shown one.
    if request.method == "POST" and request.POST.get("token"):
        try:
            services.version_renumber(user=request.user, version=version, token=request.POST["token"])
        except EditConflict as error:
            conflict = str(error)
        else:
            messages.success(request, "Sections and clauses renumbered.")
            return redirect(editor_url(protocol))
    plan = services.renumber_plan(version)
    return render(
        request,
        "protocols/editor/renumber.html",
        {
            "protocol": protocol,
            "version": version,
            "plan": plan,
            "conflict": conflict,
            "show_all": request.GET.get("show") == "all",
            "live_approvals": services.live_approval_count(version),
        },
        status=409 if conflict else 200,
    )


# Sections ----------------------------------------------------------------------------------------------------


@editor_view
def section_add(request, slug):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    form = SectionForm(request.POST or None, prefix="new-section")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form) as saved:
            section = services.section_create(
                user=request.user, version=version, heading=data["heading"], number=data["number"], kind=data["kind"]
            )
        if saved:
            return _after_structure_change(
                request, protocol, version, focus=section.anchor, message=f"Section added: {section}"
            )
    if request.htmx:
        return render(request, "protocols/editor/includes/section_add_form.html", {"protocol": protocol, "form": form})
    return render(
        request, "protocols/editor/section_form.html", {"protocol": protocol, "version": version, "form": form}
    )


@editor_view
def section_edit(request, slug, key):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    section = _section(version, key)
    initial = {"revision": section.revision, "number": section.number, "heading": section.heading, "kind": section.kind}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        conflict = "Someone else changed this section while you were editing. Check it and save again."
        with service_errors(form, conflict=conflict) as saved:
            services.section_update(user=request.user, section=section, **_changes(form))
        if saved:
            messages.success(request, "Section saved.")
            return redirect(f"{editor_url(protocol)}#{section.anchor}")
    return render(
        request, "protocols/editor/section_form.html", {"protocol": protocol, "form": form, "section": section}
    )


@editor_view
def section_delete(request, slug, key):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    section = _section(version, key)
    if request.method == "POST":
        services.section_delete(user=request.user, section=section)
        messages.success(request, f"Section deleted: {section}")
        return redirect(editor_url(protocol))
    return render(
        request,
        "protocols/editor/confirm_delete.html",
        {"protocol": protocol, "version": version, "thing": f"section {section}", "count": section.clauses.count()},
    )


def _new_position(request, current, siblings_count):
    if "position" in request.POST:
        try:
            return int(request.POST["position"])
        except ValueError:
            return current
    direction = request.POST.get("direction")
    if direction == "up":
        return max(0, current - 1)
    if direction == "down":
        return min(siblings_count - 1, current + 1)
    return current


@editor_view
@require_POST
def section_move(request, slug, key):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    section = _section(version, key)
    keys = list(version.sections.order_by("position", "id").values_list("key", flat=True))
    position = _new_position(request, keys.index(section.key), len(keys))
    services.section_move(user=request.user, section=section, position=position)
    return _after_structure_change(
        request, protocol, version, focus=f"move-{request.POST.get('direction', 'up')}-{section.key}"
    )


# Clauses -------------------------------------------------------------------------------------------------------


def _clause_response(request, template, context, full_page_title):
    """An htmx fragment, or the same fragment inside a page when JavaScript is off."""
    if request.htmx:
        return render(request, f"protocols/editor/includes/{template}", context)
    context["fragment"] = f"protocols/editor/includes/{template}"
    context["page_title"] = full_page_title
    return render(request, "protocols/editor/clause_page.html", context)


@editor_view
def clause_add(request, slug, key):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    section = _section(version, key)
    parent = None
    if request.GET.get("parent") or request.POST.get("parent"):
        parent = clause_or_404(version, request.GET.get("parent") or request.POST.get("parent"))
    form = ClauseForm(request.POST or None, prefix=f"add-{section.key}")
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as saved:
            clause = services.clause_create(
                user=request.user,
                section=section,
                text=form.cleaned_data["text"],
                number=form.cleaned_data["number"],
                parent=parent,
            )
        if saved:
            return _after_structure_change(
                request,
                protocol,
                version,
                focus=clause.anchor,
                message=f"Clause {clause.number} added.".replace("  ", " "),
            )
    context = {
        "protocol": protocol,
        "version": version,
        "section": section,
        "parent": parent,
        "form": form,
        "live_approvals": services.live_approval_count(version),
    }
    return _clause_response(request, "clause_add_form.html", context, f"Add a clause to {section}")


@login_required
def clause_detail(request, slug, key):
    """The clause as shown in the editor: where Cancel returns to."""
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    clause = clause_or_404(version, key)
    if not request.htmx:
        return redirect(f"{editor_url(protocol)}#{clause.anchor}")
    return _clause_fragment(request, protocol, version, clause)


def _clause_fragment(request, protocol, version, clause, saved=""):
    """The clause as the editor lists it; after a save, with `saved` said beside it and in the page's
    status region (so a screen reader hears it), and focus back on its Edit link."""
    sections = _editor_sections(version)
    found = next(c for s in sections for c in s.clauses.all() if c.pk == clause.pk)
    return render(
        request,
        "protocols/editor/includes/clause.html",
        {"protocol": protocol, "version": version, "clause": found, "section": clause.section, "saved": saved},
    )


@editor_view
def clause_edit(request, slug, key):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    clause = clause_or_404(version, key)
    initial = {"revision": clause.revision, "number": clause.number, "text": rich_text_html(clause.text)}
    form = ClauseForm(request.POST or None, initial=initial, prefix=f"c-{clause.key}")
    context = {
        "protocol": protocol,
        "version": version,
        "clause": clause,
        "form": form,
        "live_approvals": services.live_approval_count(version),
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_errors(form) as saved:
            services.clause_update(user=request.user, clause=clause, **_changes(form))
        if saved.conflict:
            return _merge_response(request, context, saved.conflict.current, data)
        if saved:
            message = f"Clause {clause.number} saved.".replace("  ", " ") if clause.number else "Clause saved."
            if request.htmx:
                return _clause_fragment(request, protocol, version, clause, saved=message)
            messages.success(request, message)
            return redirect(f"{editor_url(protocol)}#{clause.anchor}")
    return _clause_response(request, "clause_form.html", context, f"Edit clause {clause.number}".strip())


def _merge_response(request, context, current, data):
    """Someone saved first: show their text beside ours, with ours in the editor, ready to merge and save."""
    current = Clause.objects.select_related("section").get(pk=current.pk)
    last_change = AuditRecord.objects.for_record(current).select_related("user").first()
    merge_form = ClauseForm(
        initial={"revision": current.revision, "number": data["number"], "text": data["text"]},
        prefix=f"c-{current.key}",
    )
    context.update(
        {"form": merge_form, "clause": current, "theirs": current, "their_change": last_change, "conflict": True}
    )
    return _clause_response(request, "clause_form.html", context, "Someone else changed this clause")


@editor_view
def clause_delete(request, slug, key):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    clause = clause_or_404(version, key)
    if request.method == "POST":
        try:
            services.clause_delete(
                user=request.user, clause=clause, expected_revision=request.POST.get("revision") or None
            )
        except EditConflict:
            # No form to show the conflict on: back to the clause, to read it before deciding again.
            messages.error(request, "Someone else changed this clause since you opened it; check it before deleting.")
            return redirect(f"{editor_url(protocol)}#{clause.anchor}")
        messages.success(request, f"Clause {clause.number} deleted.".replace("  ", " "))
        return redirect(editor_url(protocol))
    return render(
        request,
        "protocols/editor/confirm_delete.html",
        {
            "protocol": protocol,
            "version": version,
            "thing": f"clause {clause.number}".strip(),
            "clause": clause,
            "count": clause.children.count(),
            "live_approvals": services.live_approval_count(version),
        },
    )


@editor_view
@require_POST
def clause_move(request, slug, key):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    clause = clause_or_404(version, key)
    siblings = list(
        clause.section.clauses.filter(parent_id=clause.parent_id)
        .order_by("position", "id")
        .values_list("key", flat=True)
    )
    position = _new_position(request, siblings.index(clause.key), len(siblings))
    # Dragged into another section's list: the page names that section.
    target = _section(version, request.POST["section"]) if request.POST.get("section") else None
    services.clause_move(user=request.user, clause=clause, position=position, section=target)
    return _after_structure_change(
        request, protocol, version, focus=f"move-{request.POST.get('direction', 'up')}-{clause.key}"
    )


@editor_view
def clause_move_to_section(request, slug, key):
    """Move a clause (and its sub-clauses) to another section: the keyboard and no-script route for dragging."""
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    clause = clause_or_404(version, key)
    sections = version.sections.exclude(pk=clause.section_id).order_by("position", "id")
    form = ClauseMoveForm(request.POST or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["section"]
        position = 0 if form.cleaned_data["place"] == "start" else target.clauses.filter(parent=None).count()
        with service_errors(form) as saved:
            services.clause_move(user=request.user, clause=clause, position=position, section=target)
        if saved:
            label = f"Clause {clause.number}".replace("  ", " ") if clause.number else "The clause"
            messages.success(request, f"{label} moved to section {target.number} {target.heading}.".replace("  ", " "))
            return redirect(f"{editor_url(protocol)}#{clause.anchor}")
    return render(
        request,
        "protocols/editor/clause_move.html",
        {"protocol": protocol, "version": version, "clause": clause, "form": form, "has_sections": sections.exists()},
    )


# Approval -----------------------------------------------------------------------------------------------------------


@editor_view
def send_for_approval(request, slug):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    form = ChangeSummaryForm(request.POST or None, initial={"change_summary": version.change_summary})
    if request.method == "POST" and form.is_valid():
        with service_errors(form) as saved:
            services.version_send_for_approval(
                user=request.user, version=version, change_summary=form.cleaned_data["change_summary"]
            )
        if saved:
            messages.success(request, f"Version {version.number} sent for approval. Record each party's approval.")
            return redirect(reverse("protocols:editor_approvals", kwargs={"slug": slug}))
    return render(
        request,
        "protocols/editor/send_for_approval.html",
        {
            "protocol": protocol,
            "version": version,
            "form": form,
            "parties": version.parties.select_related("board"),
            **_changes_context(version),
        },
    )


def _changes_context(version):
    """What an approver reads before signing: every change since the version this one replaces."""
    previous = previous_version(version)
    if previous is None:
        return {"changes": None}
    return {"changes": version_changes(old=previous, new=version)}


@login_required
def approvals(request, slug):
    protocol = get_protocol_for_editing(request, slug)
    version = services.open_draft(protocol) or protocol.versions.order_by("-number").first()
    if version is None:
        raise Http404("This protocol has no versions.")
    party_list = list(version.parties.select_related("board").prefetch_related("approvals__recorded_by"))
    links = services.signature_requests_of(version)
    for party in party_list:
        party.signing_links = links.get(party.pk, [])
        party.rule_form = PartyApprovalRuleForm(
            initial={"signatories_expected": party.signatories_expected}, prefix=f"p{party.pk}"
        )
        party.paper_form = PaperCopyForm(initial={"paper_note": party.paper_note}, prefix=f"p{party.pk}")
    return render(
        request,
        "protocols/editor/approvals.html",
        {"protocol": protocol, "version": version, "parties": party_list, **_changes_context(version)},
    )


@editor_view
@require_POST
def party_approval_rule(request, slug, party_id):
    """Set how many signatories the protocol lists for a party, or record its approval from a paper copy."""
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    party = get_object_or_404(Party.objects.select_related("board"), pk=party_id, version=version)
    prefix = f"p{party.pk}"
    kwargs = {}
    if "paper" in request.POST:
        form = PaperCopyForm(request.POST, prefix=prefix)
        if form.is_valid():
            kwargs = {
                "recorded_from_paper": request.POST["paper"] == "1",
                "paper_note": form.cleaned_data["paper_note"],
            }
    else:
        form = PartyApprovalRuleForm(request.POST, prefix=prefix)
        if form.is_valid():
            kwargs = {"signatories_expected": form.cleaned_data["signatories_expected"]}
    if not kwargs:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{party.board.name}: {error}")
        return redirect(reverse("protocols:editor_approvals", kwargs={"slug": slug}))
    try:
        services.party_approval_rule(user=request.user, party=party, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{party.board.name}: {message}")
        return redirect(reverse("protocols:editor_approvals", kwargs={"slug": slug}))
    version.refresh_from_db()
    if version.is_agreed:
        messages.success(request, f"Every party has approved: version {version.number} is now agreed.")
        return redirect(reverse("protocols:history", kwargs={"slug": slug}))
    messages.success(request, f"{party.board.name}: saved.")
    return redirect(reverse("protocols:editor_approvals", kwargs={"slug": slug}))


@editor_view
def approval_add(request, slug, party_id):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    party = get_object_or_404(Party.objects.select_related("board", "signatory_post"), pk=party_id, version=version)
    mark = content_mark(version)
    initial = {"signatory_post_title": party.signatory_post.title if party.signatory_post_id else "", "seen": mark}
    form = ApprovalForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid() and form.cleaned_data["seen"] not in (None, mark):
        # The draft changed after this page was drawn: show the changes as they are now, sign nothing.
        form.add_error(
            None,
            f"Version {version.number} changed while this page was open. Read the changes below again, "
            "then record the approval.",
        )
        form.data = form.data.copy()
        form.data["seen"] = mark
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        aliases = {"approved_on": "day", "approved_precision": "day"}
        with service_errors(form, aliases=aliases) as saved:
            services.approval_record(
                user=request.user,
                party=party,
                approved_on=data["approved_on"],
                approved_precision=data["approved_precision"],
                signatory_name=data["signatory_name"],
                signatory_post_title=data["signatory_post_title"],
                capacity=data["capacity"],
                signature_kind=data["signature_kind"],
                signature_text=data["signature_text"],
                signature_image=data.get("signature_file"),
            )
        if saved:
            version.refresh_from_db()
            if version.is_agreed:
                messages.success(
                    request,
                    f"Every party has approved: version {version.number} is now agreed, "
                    + (
                        f"in force from {version.effective_date_display}."
                        if version.effective_date
                        else "on a date the protocol does not state."
                    ),
                )
                return redirect(reverse("protocols:history", kwargs={"slug": slug}))
            messages.success(request, f"Approval for {party.board.name} recorded.")
            return redirect(reverse("protocols:editor_approvals", kwargs={"slug": slug}))
    return render(
        request,
        "protocols/editor/approval_form.html",
        {
            "protocol": protocol,
            "version": version,
            "party": party,
            "form": form,
            "today": timezone.localdate(),
            **_changes_context(version),
        },
    )


@editor_view
@require_POST
def return_to_draft(request, slug):
    protocol = get_protocol_for_editing(request, slug)
    version = draft_or_404(protocol)
    services.version_return_to_draft(user=request.user, version=version)
    messages.success(request, f"Version {version.number} is a draft again; recorded approvals were withdrawn.")
    return redirect(editor_url(protocol))


# History, comparison, audit trail --------------------------------------------------------------------------------


def _date_initial(prefix, value, precision):
    if value is None:
        return {}
    initial = {f"{prefix}_year": value.year}
    if precision in ("day", "month"):
        initial[f"{prefix}_month"] = value.month
    if precision == "day":
        initial[f"{prefix}_day"] = value.day
    return initial


@editor_view
def record_past_version(request, slug):
    """Record a version from the document's own history (its label, date and status) as written."""
    protocol = get_protocol_for_editing(request, slug)
    form = PastVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for part in ("day", "month", "year"):
            data.pop(f"document_date_{part}")
        with service_errors(form, aliases={"document_date": "document_date_year"}) as saved:
            version = services.version_record_past(user=request.user, protocol=protocol, **data)
        if saved:
            messages.success(request, f"{version.label} recorded as version {version.number}.")
            return redirect(reverse("protocols:history", kwargs={"slug": slug}))
    return render(request, "protocols/editor/past_version_form.html", {"protocol": protocol, "form": form})


@login_required
def history(request, slug):
    protocol = get_protocol_for_reading_drafts(request, slug)
    versions = protocol.versions.select_related("created_by", "based_on").order_by("-number")
    return render(
        request,
        "protocols/editor/history.html",
        {"protocol": protocol, "versions": versions, "can_edit": can_edit_protocol(request.user, protocol)},
    )


def compare(request, slug):
    """Any two versions the reader may see, side by side. Agreed versions are public, so no sign-in is needed."""
    protocol = get_object_or_404(Protocol.objects.select_related("area"), slug=slug)
    versions = list(protocol.versions.order_by("number"))
    if not versions:
        raise Http404("This protocol has no versions.")
    by_number = {v.number: v for v in versions}
    try:
        new_number = int(request.GET.get("to") or versions[-1].number)
        default_old = by_number[new_number].based_on.number if by_number[new_number].based_on_id else new_number - 1
        old_number = int(request.GET.get("from") or default_old)
    except (ValueError, KeyError) as error:
        raise Http404("No such version.") from error
    old, new = by_number.get(old_number), by_number.get(new_number)
    if old is None or new is None:
        raise Http404("No such version.")
    for version in (old, new):
        if not can_view_version(request.user, version):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(drafts_refusal(protocol))
    choices = [v for v in versions if can_view_version(request.user, v)]
    sections = compare_versions(old, new)
    changes = version_changes(old=old, new=new, sections=sections)
    return render(
        request,
        "protocols/editor/compare.html",
        {
            "protocol": protocol,
            "old": old,
            "new": new,
            "choices": choices,
            "sections": sections,
            "counts": change_counts(sections),
            "changes": changes,
            # Clause text is shown word by word below; the summary lists everything else a party signs.
            "record_groups": changes.without("clauses"),
            # Reviewers read what changed; the whole text side by side is one click away.
            "show_all": request.GET.get("show") == "all",
        },
    )


@login_required
def audit_trail(request, slug):
    protocol = get_protocol_for_reading_drafts(request, slug)
    events = AuditRecord.objects.for_protocol(protocol.pk).select_related("user").order_by("-at", "-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    numbers = dict(protocol.versions.values_list("pk", "number"))
    for event in page:
        event.version_number = numbers.get(event.version_id)
        keys = list(dict.fromkeys([*(event.before or {}), *(event.after or {})]))
        event.changes = [
            {
                "field": key,
                "before": _audit_value(key, (event.before or {}).get(key)),
                "after": _audit_value(key, (event.after or {}).get(key)),
            }
            for key in keys
        ]
    return render(request, "protocols/editor/audit.html", {"protocol": protocol, "page": page})


RICH_TEXT_FIELDS = {"text", "introduction"}


def _audit_value(key, value):
    """A recorded value as plain text: rich text as its words, clause lists as one clause a line."""
    if value is None:
        return None
    if key in RICH_TEXT_FIELDS and isinstance(value, str):
        return one_line(html_to_text(value))
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return "\n".join(
            " ".join(str(part) for part in (item.get("number"), one_line(html_to_text(item.get("text") or ""))) if part)
            for item in value
        )
    return value


# Review cycle ---------------------------------------------------------------------------------------------------------

REVIEW_REQUESTED = "requested"  # not a version's review state: asked for by hand, e.g. after legislation changed


REVIEW_ORDER = [ReviewState.OVERDUE, ReviewState.DUE_SOON, REVIEW_REQUESTED, ReviewState.NOT_DUE, ReviewState.NONE]


def review_rows(protocols, today):
    """Each protocol with its agreed version's review state, most urgent first.

    The state is the version's review_state; a protocol whose review was requested by hand and is
    not otherwise due shows as requested.
    """
    rows = []
    for protocol in protocols:
        agreed = protocol.current_version()
        draft = next((v for v in protocol.versions.all() if v.is_open), None)
        state = agreed.review_state(today) if agreed else ReviewState.NONE
        if protocol.review_requested_at and state not in (ReviewState.OVERDUE, ReviewState.DUE_SOON):
            state = REVIEW_REQUESTED
        due = agreed.review_due if agreed else None
        rows.append({"protocol": protocol, "agreed": agreed, "draft": draft, "due": due, "state": state})
    rows.sort(key=lambda r: (REVIEW_ORDER.index(r["state"]), r["due"] or datetime.date.max, r["protocol"].title))
    return rows


@login_required
def review_dashboard(request):
    """Protocols due for review (within settings.REVIEW_WARNING_DAYS) and overdue, for the user's scope."""
    protocols = (
        readable_draft_protocols(request.user).select_related("area").prefetch_related("versions").order_by("title")
    )
    today = timezone.localdate()
    rows = review_rows(protocols, today)
    return render(
        request,
        "protocols/editor/reviews.html",
        {
            "rows": rows,
            "today": today,
            "warning_days": settings.REVIEW_WARNING_DAYS,
            "counts": {state: sum(1 for r in rows if r["state"] == state) for state in REVIEW_ORDER},
            "can_trigger": can_edit_anything(request.user),
        },
    )
