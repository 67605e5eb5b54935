"""Reading and exporting protocols: the list, a version's page, its PDF and the /verify/ page.

Views only translate: the reads live in selectors, rendering in pdf, sealing in signing and
checking an upload in verification.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import condition, require_http_methods

from boards.models import Area, Board
from core.addresses import site_url
from core.middleware import client_address

from . import page_cache, pdf, tasks, verification
from .changes import previous_version, version_changes
from .filters import ProtocolFilter
from .models import Approval, Protocol, ProtocolVersion
from .permissions import can_view_version
from .selectors import (
    areas_with_protocols,
    attach_shown_versions,
    filter_choices,
    home_for_user,
    protocol_list,
    version_document,
    version_for_reading,
)

PAGE_SIZE = 20
# A sealed PDF may be kept by browsers and shared caches for a year without asking again.
SEALED_PDF_MAX_AGE = 365 * 24 * 60 * 60
# Areas per page of the home page: its size and its queries stay the same however many areas there are.
HOME_AREAS_PER_PAGE = 10
# The page words the filters' errors as a form does; the API keeps the FilterSet's own messages.
FILTER_ERRORS = {
    "area": "Choose an area from the list",
    "board": "Choose a board from the list",
    "board_kind": "Choose a kind of board from the list",
    "status": "Choose a status from the list",
    "review_due_after": "Enter a real date, for example 2026-03-31",
    "review_due_before": "Enter a real date, for example 2026-03-31",
}


def home(request):
    """A signed-in user with a role starts on their areas; anyone else (and `?all=1`) on every area's protocols,
    ten areas a page, found by name with `?search=`."""
    if request.user.is_authenticated and not request.GET.get("all"):
        today = timezone.localdate()
        context = home_for_user(user=request.user, today=today)
        if context["home_areas"]:
            areas = areas_with_protocols(user=request.user).filter(pk__in=[a.pk for a in context["home_areas"]])
            return render(request, "protocols/home_signed_in.html", {**context, "areas": areas, "today": today})
    search = request.GET.get("search", "").strip()[:100]
    areas = areas_with_protocols(user=request.user)
    if search:
        areas = areas.filter(name__icontains=search)
    page = Paginator(areas, HOME_AREAS_PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "protocols/home.html",
        {
            "page": page,
            "areas": page.object_list,
            "search": search,
            "query_without_page": kept.urlencode(),
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )


def protocols(request, area_slug=None):
    """Every protocol this reader may see, nationally or for one area, filtered and searched.

    The filters are the API's (ProtocolFilter), so a query finds the same protocols here as at
    /api/protocols/ with the same parameters.
    """
    fixed_area = get_object_or_404(Area, slug=area_slug) if area_slug else None
    data = request.GET.copy()
    if data.get("q") and not data.get("search"):  # links made before the search box took the API's name
        data["search"] = data["q"]
    data.pop("q", None)
    if fixed_area is not None:
        data["area"] = fixed_area.slug
    statuses = [value for value in data.getlist("status") if value in ProtocolVersion.Status.values]
    filterset = ProtocolFilter(data, queryset=protocol_list(user=request.user, statuses=statuses), request=request)
    errors = {name: FILTER_ERRORS.get(name, " ".join(messages)) for name, messages in filterset.errors.items()}
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_shown_versions(page.object_list)
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    areas, boards = filter_choices(area=cleaned.get("area") or fixed_area, board=cleaned.get("board"))
    kept = data.copy()
    for name in ["page", "area"] if fixed_area else ["page"]:
        kept.pop(name, None)
    status_labels = ", ".join(ProtocolVersion.Status(value).label for value in cleaned.get("status") or [])
    chosen = [
        (label, value)
        for label, value in (
            ("Area", cleaned["area"].name if cleaned.get("area") and not fixed_area else ""),
            ("Board", cleaned["board"].name if cleaned.get("board") else ""),
            ("Board kind", ", ".join(Board.Kind(kind).label for kind in cleaned.get("board_kind") or [])),
            ("Status", status_labels),
            ("Review due after", data.get("review_due_after", "") if cleaned.get("review_due_after") else ""),
            ("Review due before", data.get("review_due_before", "") if cleaned.get("review_due_before") else ""),
            ("Search", cleaned.get("search") or ""),
        )
        if value
    ]
    return render(
        request,
        "protocols/protocol_list.html",
        {
            "page": page,
            "fixed_area": fixed_area,
            "areas": areas,
            "boards": boards,
            "statuses": ProtocolVersion.Status.choices,
            "chosen_statuses": statuses,
            "params": data,
            "errors": errors,
            "chosen": chosen,
            "query_without_page": kept.urlencode(),
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        },
    )


def protocol_detail(request, slug):
    protocol = get_object_or_404(Protocol.objects.prefetch_related("versions"), slug=slug)
    readable = [v for v in protocol.versions.all() if can_view_version(request.user, v)]
    agreed = [v for v in readable if v.is_agreed]
    version = max(agreed or readable, key=lambda v: v.number) if readable else None
    if version is None:
        if protocol.versions.all():
            raise Http404("No version of this protocol is public yet.")
        return render(request, "protocols/protocol_empty.html", {"protocol": protocol})
    return redirect(version)


def _readable_version(request, slug, number, *, with_fingerprint=False):
    """The version if this user may read it; drafts are a 404 to others so their existence stays private."""
    version = version_for_reading(slug=slug, number=number, with_fingerprint=with_fingerprint)
    if version is None or not can_view_version(request.user, version):
        raise Http404("No such protocol version.")
    return version


def _version_page(request, slug, number, *, print_view):
    """The version and its cached page (no key for a draft): read once per request.

    The counters are read first, before the version and what its page shows (see page_cache).
    """
    if not hasattr(request, "_version_page"):
        changes = page_cache.first_query(lambda: page_cache.protocol_changes(slug))
        version = _readable_version(request, slug, number, with_fingerprint=True)
        cached = page_cache.version_page(request, slug=slug, version=version, print_view=print_view, changes=changes)
        request._version_page = (version, cached)
    return request._version_page


def _version_page_etag(request, slug, number):
    cached = _version_page(request, slug, number, print_view=request.resolver_match.url_name == "version_print")[1]
    return cached.etag


def _render_version_page(request, slug, number, *, print_view):
    version, cached = _version_page(request, slug, number, print_view=print_view)
    key = cached.key
    body = page_cache.get(key)
    if body is None:
        context = version_document(version=version, user=request.user)
        context["print_view"] = print_view
        if not print_view:
            context["pdf_url"] = reverse("protocols:version_pdf", kwargs={"slug": slug, "number": number})
            context["print_url"] = reverse("protocols:version_print", kwargs={"slug": slug, "number": number})
            context["previous_version"] = previous_version(version) if version.is_open else None
            context["imported_documents"] = list(
                version.imported_documents.only("id", "filename", "sha256", "version_id")
            )
        body = render_to_string("protocols/includes/version_body.html", context, request=request)
        page_cache.put(key, body)
    context = {"version": version, "protocol": version.protocol, "print_view": print_view, "body": mark_safe(body)}
    response = render(request, "protocols/version_detail.html", context)
    if key is not None:
        response["Cache-Control"] = "no-cache"  # kept by the browser, asked again each time: a 304 while unchanged
    return response


@condition(etag_func=_version_page_etag)
def version_detail(request, slug, number):
    return _render_version_page(request, slug, number, print_view=False)


@condition(etag_func=_version_page_etag)
def version_print(request, slug, number):
    """The version page with the print stylesheet applied on screen too: what the browser's Print gives."""
    return _render_version_page(request, slug, number, print_view=True)


def _stored_pdf(request, slug, number):
    """The version and its stored sealed PDF (or None), read once per request."""
    if not hasattr(request, "_stored_pdf"):
        version = _readable_version(request, slug, number)
        request._stored_pdf = (version, pdf.stored_document(version))
    return request._stored_pdf


def _stored_pdf_etag(request, slug, number):
    stored = _stored_pdf(request, slug, number)[1]
    return stored.file_sha256 if stored is not None else None


def _stored_pdf_modified(request, slug, number):
    """When the stored file was written: a file drawn and sealed again is newer than any copy of the old one."""
    stored = _stored_pdf(request, slug, number)[1]
    return stored.file.storage.get_modified_time(stored.file.name) if stored is not None else None


# protocols.middleware serves a stored sealed PDF the same way before this view, where its storage is local.
@condition(etag_func=_stored_pdf_etag, last_modified_func=_stored_pdf_modified)
def version_pdf(request, slug, number):
    """The PDF. A stored one is served at once; otherwise a 'Preparing your PDF' page shows while it renders.

    The interstitial page refreshes straight to `?generate=1`, so the reader sees the notice
    while this same request process renders (WeasyPrint is not thread-safe: no threads here).
    """
    version, stored = _stored_pdf(request, slug, number)
    filename = f"{version.protocol.slug}-version-{version.number}.pdf"
    if stored is not None:
        response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=filename)
        if version.is_public:  # a sealed copy of what was agreed: its words never change
            response["Cache-Control"] = f"public, max-age={SEALED_PDF_MAX_AGE}, immutable"
        return response
    # An open draft may carry an appendix of its changes since the version it replaces (never a sealed copy).
    previous = previous_version(version) if version.is_open and request.GET.get("changes") == "1" else None
    if request.GET.get("generate") != "1":
        generate_url = reverse("protocols:version_pdf", kwargs={"slug": slug, "number": number}) + "?generate=1"
        if previous is not None:
            generate_url += "&changes=1"
        return _preparing_page(request, version, generate_url)
    if version.is_sealed:
        document = pdf.sealed_document(version, base_url=site_url(request))
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=filename)
    changes = version_changes(old=previous, new=version) if previous is not None else None
    rendered = pdf.render_version_pdf(version, base_url=site_url(request), changes=changes)
    response = HttpResponse(rendered.data, content_type="application/pdf")
    # Unsealed copies say what they are in their name: an open draft, or a version never agreed.
    prefix = "draft-" if version.is_open else "not-agreed-"
    response["Content-Disposition"] = f'attachment; filename="{prefix}{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _preparing_page(request, version, generate_url):
    """'Preparing your PDF'. With no job under way (a draft, a miss, no worker running) it goes straight on to
    draw the PDF in a request, as before. While the worker draws it, the page says how far it has got and goes
    straight on to `?wait=1`, which holds until the PDF is stored and then serves it (a page that reloads
    itself on a timer is a barrier to screen-reader users: WCAG 2.2.1); if that takes too long, the page says
    where the job stands and offers to look again or draw it now. A failed job says so and offers to try again.
    """
    job = tasks.pdf_job_for_reader(version)
    waited = False
    if job is not None and job.is_pending and request.GET.get("wait") == "1":
        if tasks.wait_for_stored_pdf(version, seconds=tasks.READER_WAIT_SECONDS):
            return redirect(request.path)  # now stored: served as a file
        job, waited = tasks.pdf_job_for_reader(version), True
    context = {
        "version": version,
        "job": job,
        "waited": waited,
        "generate_url": generate_url,
        "wait_url": request.path + "?wait=1",
        "max_attempts": tasks.MAX_ATTEMPTS,
    }
    return render(request, "protocols/pdf_preparing.html", context)


def approval_signature(request, pk):
    """A stored signature image, to those who may read its version (media is never served as a folder)."""
    approval = get_object_or_404(Approval.objects.select_related("party__version__protocol"), pk=pk)
    if not approval.signature_image or not can_view_version(request.user, approval.party.version):
        raise Http404("No such signature.")
    try:
        handle = approval.signature_image.open("rb")
    except OSError as missing:
        raise Http404("No such signature.") from missing
    name = approval.signature_image.name.lower()
    kind = "image/jpeg" if name.endswith((".jpg", ".jpeg")) else "image/png"
    response = FileResponse(handle, content_type=kind)
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def verify(request):
    """Upload a PDF; say plainly whether it is a registry-sealed, unaltered version and which one."""
    result = None
    error = ""
    status = 200
    if request.method == "POST":
        # Refuse an oversized upload before Django reads the body into a temporary file.
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if not verification.allow_check(client_address(request)):
            result = verification.too_many()
            status = 429
        elif declared > verification.MAX_UPLOAD_BYTES + 64 * 1024:
            result = verification.too_large()
            status = 413
        else:
            upload = request.FILES.get("document")
            if upload is None:
                error = "Select a PDF file to check"
                status = 400
            elif upload.size > verification.MAX_UPLOAD_BYTES:
                result = verification.too_large()
                status = 413
            else:
                result = verification.verify_pdf(upload.read())
    return render(
        request,
        "protocols/verify.html",
        {"result": result, "error": error, "max_mb": verification.MAX_UPLOAD_BYTES // (1024 * 1024)},
        status=status,
    )
