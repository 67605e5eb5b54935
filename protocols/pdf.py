"""The protocol as a PDF: rendered by WeasyPrint from templates/pdf/, sealed and stored for locked versions.

WeasyPrint is not known to be thread-safe, so rendering happens in the calling process and
thread (the request's own worker, or a management command); nothing here starts threads.
"""

import contextlib
import functools
import gc
import hashlib
import io
import logging
import re
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.addresses import site_url
from core.models import AuditRecord

from . import frozen
from .models import RenderedDocument

logger = logging.getLogger(__name__)

# Bump when the templates, stylesheet or sealing change: stored PDFs of the old renderer are
# then left alone (they remain verifiable) and each version is rendered afresh on next download.
RENDERER_VERSION = "2026-11-lean-3"

# The PDF's document information carries these so /verify/ can find the version an upload claims to be.
# WeasyPrint copies <meta name=... content=...> into the information dictionary under /<name>
# (letters and digits only, hence no separators).
META_FINGERPRINT = "registryfingerprint"
META_PROTOCOL = "registryprotocol"
META_VERSION = "registryversion"


@dataclass
class RenderedPdf:
    data: bytes
    page_count: int
    fingerprint: str


@functools.cache
def _stylesheet():
    """The parsed print stylesheet, kept for the life of the process (it changes only with a deploy).

    WeasyPrint's CSS objects are plain parsed rules and can be reused across renders in one thread.
    """
    path = finders.find("css/pdf.css")
    from weasyprint import CSS

    return CSS(filename=path)


@functools.cache
def _user_agent_stylesheet():
    """WeasyPrint's own HTML stylesheet less its footnote and note rules, with ::marker kept to list items.

    Those rules match every element, so WeasyPrint computed six pseudo-element styles for each of a
    protocol's elements, about a tenth of the render. The protocol has no footnotes, and its only
    markers are list items'. None (WeasyPrint's stylesheet as it is) if a release moves the source.
    """
    try:
        from weasyprint.html import UA, UA_COUNTER_STYLE
    except ImportError:
        return None
    from weasyprint import CSS

    source = re.sub(r"^::(footnote|note)-[^\n]*$", "", UA, flags=re.MULTILINE)
    # Its counter styles are already registered in UA_COUNTER_STYLE; parsing them again only warns.
    source = re.sub(r"^@counter-style [^\n]*$", "", source, flags=re.MULTILINE)
    source = re.sub(r"^::marker\b", "li::marker", source, flags=re.MULTILINE)
    return CSS(string=source, counter_style=UA_COUNTER_STYLE)


@functools.cache
def _html_class():
    """WeasyPrint's HTML, reading the slimmer stylesheet above for documents without forms."""
    from weasyprint import HTML

    _draw_leaders_as_one_run()

    class ProtocolHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            sheet = _user_agent_stylesheet()
            if forms or sheet is None:
                return super()._ua_stylesheets(forms)
            return [sheet]

    return ProtocolHTML


def _draw_leaders_as_one_run():
    """Make WeasyPrint draw a leader's dots as one run of text rather than a text box per dot.

    The contents page's `leader(". ")` filled each line with a copy of the ". " box per dot, about a
    thousand boxes that were each drawn, tagged and written on their own. The dots keep their places:
    WeasyPrint lines them up one leader's width apart, so one text of as many leaders, starting at the
    leftmost, puts every dot where it was. Runs once per process; left as it is if a release moves the code.
    """
    try:
        from weasyprint.layout import inline
        from weasyprint.layout.leader import leader_index
        from weasyprint.text.line_break import split_first_line
    except ImportError:
        return
    handle_leader = getattr(inline, "handle_leader", None)
    if handle_leader is None or getattr(handle_leader, "one_run", False):
        return

    def handle_leader_in_one_run(context, line, containing_block):
        handle_leader(context, line, containing_block)
        _, leader = leader_index(line)
        if leader is None or len(leader.children) < 2:
            return
        dots = sorted(leader.children, key=lambda box: box.position_x)
        run = dots[0].copy_with_text(dots[0].text * len(dots))
        run.pango_layout, *_ = split_first_line(
            run.text, run.style, context, None, run.justification_spacing, is_line_start=False
        )
        run.width = dots[-1].position_x + dots[-1].width - run.position_x
        leader.children = (run,)

    handle_leader_in_one_run.one_run = True
    inline.handle_leader = handle_leader_in_one_run


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while a document is drawn and written.

    Drawing a protocol allocates hundreds of thousands of boxes and PDF objects, and each collection of
    the older generations in between walked every object the process holds (Django and WeasyPrint
    included): about a tenth of the drawing. What the drawing leaves in cycles is collected as usual once
    the collector is back on. Nothing here starts threads.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# zlib's default level: pydyf compresses at 9, which took four times as long for 3% smaller streams.
COMPRESSION_LEVEL = 6


def _stream_data(stream):
    """A pydyf stream's bytes as pydyf writes them, compressed at COMPRESSION_LEVEL."""
    import pydyf

    data = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
    extra = pydyf.Dictionary(stream.extra.copy())
    if stream.compress:
        extra["Filter"] = "/FlateDecode"
        data = zlib.compress(data, COMPRESSION_LEVEL)
    extra["Length"] = len(data)
    return b"\n".join((extra.data, b"stream", data, b"endstream"))


@functools.cache
def _serialised_once(cls):
    """`cls` (a pydyf object class, or WeasyPrint's subclass of one) with each object's bytes computed once;
    streams whose bytes are pydyf's own are compressed at COMPRESSION_LEVEL."""
    import pydyf

    data = cls.data.fget
    if data is pydyf.Stream.data.fget:
        data = _stream_data
    return type(cls.__name__, (cls,), {"data": functools.cached_property(data)})


def _serialise_once(document, pdf):
    """WeasyPrint's finisher, run when the PDF is complete and before it is written.

    A PDF/A file needs an identifier, which pydyf makes by hashing every object's bytes after writing
    them, so each page's content and each font was serialised and compressed twice: a third of the time
    spent writing the file. Nothing changes an object while it is written, so the first bytes are kept.
    """
    import pydyf

    for pdf_object in pdf.objects:
        if isinstance(pdf_object, (pydyf.Stream, pydyf.Dictionary, pydyf.Array)):
            pdf_object.__class__ = _serialised_once(type(pdf_object))


def pdf_context(version, *, certificate, base_url=""):
    """What the PDF template shows: an agreed or superseded version's record of what was agreed (never the
    rows as they are now), any other version's rows as they stand."""
    document, fingerprint = frozen.document_for(version)
    context = frozen.printable(version, document)
    shown = context["version"]
    audit_events = []
    if certificate:
        audit_events = list(
            AuditRecord.objects.for_version(version.pk).select_related("user").order_by("at", "id")[:200]
        )
    context.update(
        {
            "protocol": shown.protocol,
            "fingerprint": fingerprint,
            "certificate": certificate,
            "generated_at": timezone.now(),
            "verify_url": base_url + reverse("protocols:verify"),
            "version_url": base_url + version.get_absolute_url(),
            "meta_fingerprint": META_FINGERPRINT,
            "meta_protocol": META_PROTOCOL,
            "meta_version": META_VERSION,
            "approval_timeline": _approval_timeline(context["parties"], audit_events),
            "signatures_evidence": frozen.signatures_evidence(document) if certificate else [],
            "diagram_title": f"Accountability map: {shown.protocol.title}, version {shown.number}",
            "diagram_id": f"v{version.pk}",
            "diagram_alt": _diagram_alt(context),
        }
    )
    return context


def _diagram_alt(context):
    """The diagram in words, for the image's alternative text."""
    parties = ", ".join(party.board.name for party in context["parties"])
    sentences = "; ".join(relation["sentence"] for relation in context["relations"])
    alt = f"Diagram of the accountability between the parties ({parties})"
    return f"{alt}: {sentences}." if sentences else f"{alt}."


def _approval_timeline(parties, audit_events):
    """Who recorded which approval when, and the status changes, oldest first, for the certificate page."""
    rows = []
    for party in parties:
        for approval in party.live_approvals:
            rows.append(
                {
                    "at": approval.recorded_at,
                    "who": approval.recorded_by_name
                    or (
                        f"{approval.signatory_name}, through their signing link"
                        if approval.signed_through_link
                        else "the registry"
                    ),
                    "what": f"Recorded the approval of {party.board.name}, "
                    + (approval.approved_display or "on a date the protocol does not state")
                    + (f", signed by {approval.signatory_name}" if approval.signatory_name else ", signer not named"),
                }
            )
    for event in audit_events:
        if event.action == event.Action.TRANSITION or event.object_type == "protocols.Party":
            rows.append(
                {
                    "at": event.at,
                    "who": event.user.get_username() if event.user else "the registry",
                    "what": event.message or f"{event.get_action_display()} {event.object_repr}",
                }
            )
    return sorted(rows, key=lambda row: row["at"])


def render_version_pdf(version, *, certificate=False, base_url=None, changes=None):
    """Render one version to PDF/A-3a bytes (tagged, fonts embedded, lang en-GB). Not sealed.

    `base_url` is the site's address for the links the PDF prints (core.addresses.site_url); by default
    SITE_URL, else none (the links print as paths). `changes` (protocols.changes.version_changes) adds
    the appendix "Changes since version N"; only unsealed copies take it, so what is sealed never varies.
    """
    with _collector_paused():
        context = pdf_context(version, certificate=certificate, base_url=site_url() if base_url is None else base_url)
        context["changes"] = changes
        html = render_to_string("pdf/protocol.html", context)
        attachments = source_attachments(version)
        out = io.BytesIO()
        document = _html_class()(string=html, base_url=str(settings.BASE_DIR)).render(stylesheets=[_stylesheet()])
        document.write_pdf(
            out,
            finisher=_serialise_once,
            pdf_variant="pdf/a-3a",
            custom_metadata=True,
            uncompressed_pdf=False,
            attachments=attachments,
        )
        page_count = len(document.pages)
        # Freed here, while the collector is off, so it does not walk the whole document when it comes back.
        del document
    return RenderedPdf(data=out.getvalue(), page_count=page_count, fingerprint=context["fingerprint"])


def source_attachments(version):
    """The document a version was imported from, exactly as uploaded, as the PDF's associated file
    with the relationship Source (PDF/A-3 allows any file so attached): the PDF carries its source."""
    from weasyprint import Attachment

    attachments = []
    for imported in version.imported_documents.order_by("created_at"):
        with imported.file.open("rb") as upload:
            data = upload.read()
        attachments.append(
            Attachment(
                file_obj=io.BytesIO(data),
                name=imported.filename,
                description=f"The document this version was imported from (SHA-256 {imported.sha256})",
                created=imported.created_at,
                modified=imported.created_at,
                relationship="Source",
            )
        )
    return attachments


def stored_document(version):
    """The stored, sealed PDF of a locked version for the current renderer whose file is present, or None.

    Drafts are never stored. A record whose file is missing (media lost, or a restore without it) counts as
    none, so the PDF is drawn and sealed again from the version's record of what was agreed.
    """
    if not version.is_sealed:
        return None
    document = (
        RenderedDocument.objects.filter(version=version, renderer_version=RENDERER_VERSION, sealed=True)
        .exclude(file="")
        .first()
    )
    if document is None or not document.file.storage.exists(document.file.name):
        return None
    return document


def sealed_document(version, *, base_url=None):
    """Render, add the certificate page, seal and store a locked version's PDF once; return the stored record.

    Where the record exists but its file is missing, the file is drawn and sealed again into that record.
    """
    from .signing import seal_pdf

    existing = stored_document(version)
    if existing is not None:
        return existing
    rendered = render_version_pdf(version, certificate=True, base_url=base_url)
    sealed = seal_pdf(rendered.data)
    name = f"{version.protocol.slug}-v{version.number}-{RENDERER_VERSION}.pdf"
    lost = RenderedDocument.objects.filter(version=version, renderer_version=RENDERER_VERSION).first()
    if lost is not None:
        logger.warning("The stored PDF of %s was missing (%s); drawn and sealed again", version, lost.file.name)
        lost.file.save(name, ContentFile(sealed), save=False)
        lost.content_fingerprint = rendered.fingerprint
        lost.file_sha256 = hashlib.sha256(sealed).hexdigest()
        lost.page_count = rendered.page_count
        lost.sealed = True
        lost.save(update_fields=["file", "content_fingerprint", "file_sha256", "page_count", "sealed"])
        return lost
    document = RenderedDocument(
        version=version,
        renderer_version=RENDERER_VERSION,
        content_fingerprint=rendered.fingerprint,
        file_sha256=hashlib.sha256(sealed).hexdigest(),
        page_count=rendered.page_count,
        sealed=True,
    )
    try:
        with transaction.atomic():
            document.file.save(name, ContentFile(sealed), save=True)
    except IntegrityError:
        # Another request stored it first; serve theirs and drop our copy.
        document.file.delete(save=False)
        return RenderedDocument.objects.get(version=version, renderer_version=RENDERER_VERSION)
    return document
