"""The protocol PDF: content, archival metadata, the DRAFT watermark and the seal.

Rendering takes about a second, so each PDF is rendered once for the module: the data is built
inside a transaction that is rolled back, and the tests read the bytes.
"""

import contextlib
import functools
import io
import itertools
import re
import zlib

import pdfplumber
import pytest
from django.db import transaction
from django.test import override_settings
from pypdf import PdfReader

from accountability.demo import knowsley
from accountability.demo.builder import DemoBuilder
from core.writes import unlocked
from protocols import frozen, pdf, signing
from protocols.models import ProtocolVersion
from tests.pdf_fixtures import build_protocol


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def knowsley_pdf(django_db_setup, django_db_blocker, media_root):
    """The Knowsley demo protocol's agreed version, rendered with its certificate page and sealed."""
    with django_db_blocker.unblock(), transaction.atomic():
        knowsley.load(DemoBuilder())
        version = ProtocolVersion.objects.get(protocol__slug="knowsley-hwb-kscb", status=ProtocolVersion.Status.AGREED)
        rendered = pdf.render_version_pdf(version, certificate=True)
        facts = {
            "fingerprint": version.content_fingerprint(),
            "parties": [p.board.name for p in version.parties.all()],
            "signatories": [
                a.signatory_name or a.signatory_post_title for p in version.parties.all() for a in p.approvals.all()
            ],
            "clause_numbers": [
                c.number for s in version.sections.all() for c in s.clauses.all() if re.fullmatch(r"\d+\.\d+", c.number)
            ],
            "obligations": list(version.obligations.values_list("title", flat=True)),
            "pages": rendered.page_count,
        }
        sealed = signing.seal_pdf(rendered.data)
        transaction.set_rollback(True)
    return {"data": rendered.data, "sealed": sealed, **facts}


@pytest.fixture(scope="module")
def draft_pdf(django_db_setup, django_db_blocker, media_root):
    with django_db_blocker.unblock(), transaction.atomic():
        version = build_protocol(status=ProtocolVersion.Status.DRAFT)
        data = pdf.render_version_pdf(version).data
        transaction.set_rollback(True)
    return data


@functools.lru_cache(maxsize=4)
def text_of(data):
    """Each page's text, extracted once per PDF (pypdf takes a second or two for a long document)."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def squash(text):
    return re.sub(r"\s+", " ", text)


@contextlib.contextmanager
def plumbed(data, may_match):
    """pdfplumber's pages of the PDF whose text (pypdf's, already extracted by text_of) `may_match`: pdfplumber
    reads every character of a page it is asked about, so a test that looks for a page by its text opens
    only the pages that can hold it, and still picks among them by pdfplumber's own text."""
    numbers = [number for number, text in enumerate(text_of(data), start=1) if may_match(text)]
    with pdfplumber.open(io.BytesIO(data), pages=numbers) as document:
        yield document.pages


def test_pdf_text_has_parties_clause_numbers_obligations_and_signatories(knowsley_pdf):
    """A reader (or a screen reader) finds the parties, every numbered clause, the obligations and who signed."""
    text = squash(" ".join(text_of(knowsley_pdf["data"])))
    assert knowsley_pdf["parties"] and knowsley_pdf["signatories"] and knowsley_pdf["obligations"]
    for name in knowsley_pdf["parties"]:
        assert name in text
    for number in knowsley_pdf["clause_numbers"]:
        assert number in text
    for title in knowsley_pdf["obligations"]:
        assert squash(title) in text
    for name in knowsley_pdf["signatories"]:
        assert name in text
    assert "Schedule of reporting obligations" in text
    assert "Certificate of the registry" in text


def test_every_page_carries_page_x_of_y_and_the_fingerprint(knowsley_pdf):
    """The running footer prints 'Page X of Y' and the content fingerprint on every page."""
    pages = text_of(knowsley_pdf["data"])
    assert len(pages) == knowsley_pdf["pages"] > 5
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert knowsley_pdf["fingerprint"] in page.replace("\n", "")


def test_pdf_is_pdf_a_3a_tagged_with_title_language_and_embedded_fonts(knowsley_pdf):
    """PDF/A-3a identification in XMP, /Lang en-GB, a tagged structure, a title, bookmarks, and every font embedded."""
    reader = PdfReader(io.BytesIO(knowsley_pdf["sealed"]))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Partnership Protocol")
    assert reader.metadata[f"/{pdf.META_FINGERPRINT}"] == knowsley_pdf["fingerprint"]
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Contents" in titles and "Signatures" in titles and "Schedule of reporting obligations" in titles
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            descriptor = (
                font.get_object().get("/FontDescriptor")
                or font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            assert any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_contents_lists_page_numbers(knowsley_pdf):
    """The contents page gives each section's page number (target-counter), not a blank."""
    contents = squash(text_of(knowsley_pdf["data"])[1])
    assert re.search(r"1 Aim[ .]+\d+", contents)
    assert re.search(r"Signatures[ .]+\d+", contents)


def test_diagram_is_an_image_with_alternative_text(knowsley_pdf):
    """The accountability diagram is embedded as vectors and its image has alt text in the tagged structure."""
    reader = PdfReader(io.BytesIO(knowsley_pdf["data"]))
    alts, seen = [], set()

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, dict):
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
            for key in ("/K",):
                if key in node:
                    walk(node[key])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert any(alt.startswith("Diagram of the accountability between the parties") for alt in alts), alts


def test_draft_watermark_on_every_page_of_a_draft_only(knowsley_pdf, draft_pdf):
    """Each page of a draft says DRAFT; no page of the agreed version does."""
    draft_pages = text_of(draft_pdf)
    assert len(draft_pages) > 3
    assert all("DRAFT" in page for page in draft_pages)
    assert not any("DRAFT" in page for page in text_of(knowsley_pdf["data"]))


def test_seal_is_intact_valid_and_covers_the_whole_file(knowsley_pdf):
    """pyHanko validates the registry's PAdES seal: intact, valid against the registry certificate, entire file."""
    check = signing.check_seal(knowsley_pdf["sealed"])
    assert check.signed and check.intact and check.valid and check.whole_file and check.by_registry


def test_changing_one_byte_breaks_the_seal(knowsley_pdf):
    """Altering a single byte inside the signed range makes validation fail."""
    data = bytearray(knowsley_pdf["sealed"])
    position = data.index(b"Partnership Protocol")
    data[position] = ord("Q")
    check = signing.check_seal(bytes(data))
    assert not check.ok
    assert not check.intact


def test_appending_after_the_seal_is_not_whole_file(knowsley_pdf):
    """Content added after the seal leaves the signature intact but no longer covering the whole file."""
    from pyhanko.pdf_utils.generic import NameObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(knowsley_pdf["sealed"]))
    writer.root["/PageMode"] = NameObject("/UseOutlines")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    check = signing.check_seal(out.getvalue())
    assert check.intact
    assert not check.whole_file
    assert not check.ok


def test_self_signed_certificate_is_made_once(settings, tmp_path):
    """Without configured key files the registry makes one self-signed pair and reuses it."""
    settings.MEDIA_ROOT = tmp_path
    settings.SIGNING_KEY_FILE = settings.SIGNING_CERT_FILE = ""
    first = signing.key_files()
    cert = first.cert.read_bytes()
    second = signing.key_files()
    assert first.self_signed and second.cert.read_bytes() == cert
    assert signing.uses_self_signed_certificate()


def test_fingerprint_is_deterministic_and_independent_of_ids(db):
    """The fingerprint is the same however often it is computed, differs between protocols, and is computed
    from a signature's date; once agreed it is the record's, which a later change to the rows does not touch."""
    first = build_protocol()
    fingerprint = first.content_fingerprint()
    second = build_protocol(slug="knowsley-hwb-kscb-copy")
    assert first.content_fingerprint() == fingerprint
    assert second.content_fingerprint() != fingerprint
    assert frozen.fingerprint_of(frozen.build_document(first)) == fingerprint
    approval = first.parties.first().approvals.first()
    approval.approved_on = approval.approved_on.replace(year=2014)
    with unlocked():  # stands in for a record changed outside the registry: nothing inside may change it
        approval.save()
    assert frozen.fingerprint_of(frozen.build_document(first)) != fingerprint
    assert first.content_fingerprint() == fingerprint


def test_pdf_embeds_only_the_dejavu_faces(knowsley_pdf):
    """The diagram draws in the stylesheet's DejaVu Sans, so no further face is subset and embedded for it."""
    reader = PdfReader(io.BytesIO(knowsley_pdf["data"]))
    names = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert names and all("DejaVu" in name for name in names), names


def test_slimmer_user_agent_stylesheet_keeps_list_markers():
    """Without WeasyPrint's footnote rules, bulleted and numbered list items still get their markers."""
    document = pdf._html_class()(string="<ul><li>one</li></ul><ol><li>two</li></ol>").render()
    markers = [
        box.text
        for placeholder in document.pages[0]._page_box.descendants()
        if type(placeholder).__name__ == "AbsolutePlaceholder"
        for box in placeholder._box.descendants()
        if hasattr(box, "text")
    ]
    assert markers == ["• ", "1. "]


@pytest.mark.django_db
def test_a_tall_diagram_shares_its_page_with_its_heading(media_root):
    """A map taller than a page (here a chain of fourteen boards, one rank each) shrinks to fit under its
    heading, instead of leaving the heading alone and running into the next page's footer; the numbered list
    under it says what each number stands for."""
    from accountability.models import Relation
    from tests.factories import BoardFactory, ClauseFactory, PartyFactory, RelationFactory, SectionFactory

    version = build_protocol()
    clause = ClauseFactory(section=SectionFactory(version=version), number="9.1")
    boards = [BoardFactory(name=f"Board number {n}", short_name=f"B{n}") for n in range(14)]
    PartyFactory(version=version, board=boards[0])
    for lower, upper in zip(boards, boards[1:], strict=False):
        RelationFactory(
            kind=Relation.Kind.REPORTS_TO,
            subject_board=lower,
            object_board=upper,
            version=version,
            source_clause=clause,
        )
    pages = [squash(text) for text in text_of(pdf.render_version_pdf(version).data)]
    diagram_pages = [text for text in pages if "Accountability diagram" in text and ". . ." not in text]
    assert len(diagram_pages) == 1
    assert "B13" in diagram_pages[0]
    assert "B12 to B13" in "".join(pages)


@pytest.fixture(scope="module")
def long_title_pdf(django_db_setup, django_db_blocker, media_root):
    """A version whose title fills the field (300 characters), with six parties, an unnumbered clause stating
    an obligation, and a change summary: the cover's worst case."""
    from tests.factories import BoardFactory, ClauseFactory, ObligationFactory, PartyFactory, RecipientFactory

    with django_db_blocker.unblock(), transaction.atomic():
        version = build_protocol()
        title = (
            "Joint protocol between the Local Safeguarding Children Board, the Health and Wellbeing Board, "
            "the Children's Trust, the Community Safety Partnership, the Safeguarding Adults Board and the "
            "Youth Offending Management Board, setting out the arrangements for their governance, scrutiny, "
            "challenge and reporting"
        )[:300]
        with unlocked():
            ProtocolVersion.objects.filter(pk=version.pk).update(
                title=title, change_summary="Updated throughout to reflect the new statutory guidance. " * 4
            )
        for n in range(4):
            PartyFactory(version=version, board=BoardFactory(name=f"Partner board with a long name number {n}"))
        section = version.sections.first()
        clause = ClauseFactory(section=section, number="", text="<p>Each partner sends its business plan to all.</p>")
        obligation = ObligationFactory(version=version, source_clause=clause, title="Business plan")
        RecipientFactory(obligation=obligation, board=version.parties.first().board)
        version.refresh_from_db()
        data = pdf.render_version_pdf(version).data
        transaction.set_rollback(True)
    return {"data": data, "title": title}


def test_the_running_header_keeps_the_spaces_after_punctuation(long_title_pdf):
    """The header repeats the title as written: a space after a comma was swallowed by the CSS escape before it
    ("Board,Health and Wellbeing Board,Children's Trust")."""
    header = squash(text_of(long_title_pdf["data"])[1])
    assert "Board, the Health and Wellbeing Board, the Children's Trust" in header
    assert "Board,the" not in header


def test_a_long_title_keeps_the_cover_on_one_page(long_title_pdf):
    """The cover's facts stay on the cover; the contents start on page two, with no blank page between."""
    pages = [squash(text) for text in text_of(long_title_pdf["data"])]
    assert "About this document" in pages[0] and "Content fingerprint" in pages[0]
    assert pages[1].split("Contents")[0].count(" ") < 60  # only the running header precedes the contents
    assert "Contents" in pages[1]


def test_the_schedule_names_an_unnumbered_clause_by_its_opening_words(long_title_pdf):
    schedule = next(text for text in map(squash, text_of(long_title_pdf["data"])) if "Who reports what" in text)
    assert "“Each partner sends its business plan" in schedule


def test_the_diagram_text_is_8_pt_or_more_on_paper(knowsley_pdf):
    """Measured in the PDF itself: every character the diagram draws (its boxes' names and its arrows'
    numbers, between the page's heading and the figure's caption) is at least 8 pt."""
    with plumbed(knowsley_pdf["data"], lambda text: "Accountability diagram" in squash(text)) as pages:
        page = next(p for p in pages if "Accountability diagram\n" in (p.extract_text() or "") + "\n")
        words = page.extract_words(extra_attrs=["size"])
        heading = next(w for w in words if w["text"] == "diagram")
        caption = next(w for w in words if w["text"] == "Who" and w["top"] > heading["bottom"])
        drawn = [c for c in page.chars if heading["bottom"] < c["top"] < caption["top"]]
    assert len(drawn) > 20
    assert min(c["size"] for c in drawn) >= 8 - 0.05  # sizes come back as floats a hair below the value set


def test_writing_each_object_once_leaves_the_file_unchanged(monkeypatch):
    """The finisher that keeps each object's bytes (pydyf hashes them again for the PDF/A identifier) changes
    nothing in the file but how hard its streams are compressed: at pydyf's own level the same document
    written with and without it is the same, byte for byte; at the registry's level every stream holds the
    same bytes once decompressed (but the cross-reference table's offsets)."""
    document = pdf._html_class()(
        string="<h1>Protocol</h1><p>A clause.</p><table><tr><td>cell</td></tr></table>"
    ).render()
    options = {"pdf_variant": "pdf/a-3a", "custom_metadata": True}
    import pydyf

    written = []

    def finisher(document, pdf_file):
        pdf._serialise_once(document, pdf_file)
        written.extend(pdf_file.objects)

    plain = document.write_pdf(**options)
    faster = document.write_pdf(finisher=pdf._serialise_once, **options)
    assert pdf.COMPRESSION_LEVEL < 9 and faster != plain
    # The last stream is the cross-reference table, whose offsets move with the streams' lengths.
    assert decompressed_streams(faster)[:-1] == decompressed_streams(plain)[:-1]
    monkeypatch.setattr(pdf, "COMPRESSION_LEVEL", 9)
    once = document.write_pdf(finisher=finisher, **options)
    assert once == plain
    assert b"/ID [" in once  # the identifier PDF/A needs is still written
    streams = [item for item in written if isinstance(item, pydyf.Stream)]
    assert streams and all("data" in vars(stream) for stream in streams)  # kept from the first serialisation


def decompressed_streams(data):
    """Every Flate stream of a PDF, decompressed, in the order they are written."""
    return [zlib.decompress(body) for body in re.findall(rb"/FlateDecode[^>]*>>\nstream\n(.*?)\nendstream", data, re.S)]


def test_the_contents_leader_is_one_run_of_dots_per_entry(knowsley_pdf):
    """Each entry's dot leader is drawn as one run of text, not a text object per dot (about 1,000 for the
    page), and its dots keep the places WeasyPrint gives them: one leader's width apart, ending before the
    page number."""
    reader = PdfReader(io.BytesIO(knowsley_pdf["data"]))
    contents = reader.pages[1]
    entries = len(re.findall(r"\.\s+\d+\s*$", text_of(knowsley_pdf["data"])[1], re.M))
    assert entries > 10
    assert contents.get_contents().get_data().count(b"BT\n") < 4 * entries
    with pdfplumber.open(io.BytesIO(knowsley_pdf["data"]), pages=[2]) as document:
        aim = next(w for w in document.pages[0].extract_words() if w["text"].startswith("Aim"))
        line = [c for c in document.pages[0].chars if abs(c["top"] - aim["top"]) < 1]
    dots = [c["x0"] for c in line if c["text"] == "."]
    numbers = [c["x0"] for c in line if c["text"].isdigit()]
    assert len(dots) > 40
    assert max(abs(b - a - (dots[1] - dots[0])) for a, b in itertools.pairwise(dots)) < 0.05
    assert max(dots) < max(numbers)


def test_a_clause_number_hangs_beside_the_first_line_of_its_clause(knowsley_pdf):
    """The number sits in the clause's left margin on the line where its text starts, not on a line of its own."""
    with plumbed(knowsley_pdf["data"], lambda text: "3.1" in text) as pages:
        page = next(page for page in pages if "3.1" in (page.extract_text() or "").split())
        words = page.extract_words()
    number = next(w for w in words if w["text"] == "3.1")
    beside = [w for w in words if abs(w["top"] - number["top"]) < 3 and w is not number]
    assert beside and min(w["x0"] for w in beside) - number["x0"] == pytest.approx(14 / 25.4 * 72, abs=1)


def test_the_signature_line_is_a_pattern_not_a_path_per_dot(knowsley_pdf):
    """The dotted line to sign on is one tiled dot: the signatures page draws a few curves, where a
    one-sided dotted border drew four per dot (about 2,000 for the page)."""
    reader = PdfReader(io.BytesIO(knowsley_pdf["data"]))
    texts = text_of(knowsley_pdf["data"])  # each page's extract_text(), as read once for the module
    page = next(
        page for page, text in zip(reader.pages, texts, strict=True) if "Signed on behalf of each party" in text
    )
    content = page.get_contents().get_data()
    assert content.count(b" c\n") < 50
    assert "/Pattern" in page["/Resources"]


def test_sealing_measures_the_signature_once_per_key(knowsley_pdf, monkeypatch):
    """pyHanko signs a dummy digest to size the signature; the registry does that once per key, not per
    seal, and each seal still verifies."""
    from pyhanko.sign.signers.pdf_cms import Signer

    signing._bytes_reserved.cache_clear()
    signatures = []
    original = Signer.async_sign_prescribed_attributes

    async def counted(self, *args, **kwargs):
        signatures.append(kwargs.get("dry_run", False))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(Signer, "async_sign_prescribed_attributes", counted)
    for _ in range(2):
        assert signing.check_seal(signing.seal_pdf(knowsley_pdf["data"])).ok
    assert signatures == [True, False, False]


def test_the_garbage_collector_is_back_on_after_drawing_even_when_drawing_fails():
    """Drawing pauses Python's garbage collector and always turns it back on, and leaves it off where it was off."""
    import gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError), pdf._collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("drawing failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with pdf._collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
