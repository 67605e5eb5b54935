"""Rich text round-trips: what a business manager types in the editor reads back exactly as typed on the
version page, the printable version, the PDF, the API, link labels and the iCal feed."""

import datetime
import html
import importlib
import io
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from accountability.models import Relation
from core.models import AuditRecord
from protocols import services
from protocols.diff import compare_versions
from protocols.models import Clause, ProtocolVersion, Section
from protocols.sanitize import html_to_text, one_line, sanitize_html
from tests.factories import (
    BoardFactory,
    ClauseFactory,
    ObligationFactory,
    RecipientFactory,
    RelationFactory,
    SectionFactory,
    VersionFactory,
)

TYPED = "Health & Wellbeing <Board>"
# The editor's rich-text box posts its HTML, in which a typed "&" or "<" is already escaped.
TYPED_AS_SENT = "Health &amp; Wellbeing &lt;Board&gt;"
TYPED_STORED = "<p>Health &amp; Wellbeing &lt;Board&gt;</p>"
QUOTES = 'The "Chair" said: it\'s < 5 & > 2'
QUOTES_AS_SENT = 'The "Chair" said: it\'s &lt; 5 &amp; &gt; 2'
LIST_AS_SENT = "The LSCB must:<ul><li>publish a report;</li><li>publish a plan.</li></ul>"
LIST_LINES = "The LSCB must:\npublish a report;\npublish a plan."
DOUBLE_ESCAPED = "<p>Health &amp;amp; Wellbeing &amp;lt;Board&amp;gt;</p>"


class _TextOf(HTMLParser):
    """The text of every element whose class list has `css_class`, block ends as line breaks."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"}
    BLOCKS = {"p", "li", "ul", "ol", "div", "br", "tr"}

    def __init__(self, css_class):
        super().__init__(convert_charrefs=True)
        self.css_class, self.depth, self.found, self.parts = css_class, 0, [], []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            if tag in self.BLOCKS:
                self.parts.append("\n")
            if tag not in self.VOID:
                self.depth += 1
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.depth, self.parts = 1, []

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag in self.BLOCKS:
            self.parts.append("\n")
        self.depth -= 1
        if not self.depth:
            lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
            self.found.append("\n".join(line for line in lines if line))

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(page, css_class):
    parser = _TextOf(css_class)
    parser.feed(page)
    return parser.found


@pytest.fixture
def editor_client(client, business_manager):
    client.force_login(business_manager)
    return client


@pytest.fixture
def typed(editor_client, business_manager, area):
    """A draft whose clauses were typed in the editor: an unnumbered one, one with quotes, and a list."""
    boards = [
        BoardFactory(areas=[area], name="Health and Wellbeing Board", short_name="HWB"),
        BoardFactory(areas=[area]),
    ]
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=boards
    )
    version = protocol.versions.get()
    section = services.section_create(user=business_manager, version=version, heading="Reporting", number="3")
    add_url = reverse("protocols:clause_add", kwargs={"slug": protocol.slug, "key": section.key})
    for number, text in (("", TYPED_AS_SENT), ("3.2", QUOTES_AS_SENT), ("3.3", LIST_AS_SENT)):
        response = editor_client.post(add_url, {f"add-{section.key}-number": number, f"add-{section.key}-text": text})
        assert response.status_code == 302
    clauses = {c.number: c for c in Clause.objects.filter(section=section)}
    return version, clauses[""], clauses["3.2"], clauses["3.3"]


def agree(version):
    ProtocolVersion.objects.filter(pk=version.pk).update(status=ProtocolVersion.Status.AGREED)
    version.refresh_from_db()
    return version


def test_text_typed_in_the_editor_is_stored_escaped_once(typed):
    """'&' is stored as '&amp;' and '<' as '&lt;', once: never '&amp;amp;'."""
    _version, plain, quotes, listed = typed
    assert plain.text == TYPED_STORED
    assert quotes.text == f"<p>{html.escape(QUOTES, quote=False)}</p>"
    assert listed.text == LIST_AS_SENT
    assert not Clause.objects.filter(text__contains="&amp;amp;").exists()


def test_text_typed_without_javascript_is_stored_the_same(editor_client, typed):
    """The plain textarea (no JavaScript) sends the characters themselves; '<Board>' is no tag, so it stays."""
    version, plain, _quotes, _listed = typed
    url = reverse("protocols:clause_edit", kwargs={"slug": version.protocol.slug, "key": plain.key})
    prefix = f"c-{plain.key}"
    editor_client.post(url, {f"{prefix}-revision": plain.revision, f"{prefix}-number": "", f"{prefix}-text": TYPED})
    plain.refresh_from_db()
    assert plain.text == TYPED_STORED and plain.revision == 1


def test_version_page_and_printable_version_show_the_text_as_typed(editor_client, typed):
    """The clause bodies read exactly as typed (text, not markup), and the link label quotes it."""
    version, *_ = typed
    for url in (
        version.get_absolute_url(),
        reverse("protocols:version_print", kwargs={"slug": version.protocol.slug, "number": version.number}),
    ):
        page = editor_client.get(url).content.decode()
        assert text_of(page, "registry-clause__body") == [TYPED, QUOTES, LIST_LINES]
        assert text_of(page, "registry-clause__link")[0] == f"Link to this clause ({TYPED})"
        assert "&amp;amp;" not in page and "&amp;lt;" not in page


def test_pdf_shows_the_text_as_typed_with_list_items_apart(editor_client, typed):
    """The PDF's extracted text has the typed characters, each clause's number read just before its words, and
    each list item on its own line."""
    version, *_ = typed
    url = reverse("protocols:version_pdf", kwargs={"slug": version.protocol.slug, "number": version.number})
    data = editor_client.get(url, {"generate": "1"}).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert TYPED in lines and f"3.2 {QUOTES}" in lines
    assert "3.3 The LSCB must:" in lines
    assert [line for line in lines if line.endswith("publish a report;")]
    assert [line for line in lines if line.endswith("publish a plan.")]
    assert "&amp;" not in text and "must:publish" not in text and "report;publish" not in text


def test_api_gives_html_escaped_once_and_plain_text_as_typed(editor_client, typed):
    """`text` is the stored HTML; `plain_text` the words as typed, one line per list item."""
    version, plain, quotes, listed = typed
    body = editor_client.get(f"/api/clauses/{plain.pk}/").json()
    assert body["text"] == TYPED_STORED and body["plain_text"] == TYPED
    assert editor_client.get(f"/api/clauses/{quotes.pk}/").json()["plain_text"] == QUOTES
    assert editor_client.get(f"/api/clauses/{listed.pk}/").json()["plain_text"] == LIST_LINES
    nested = editor_client.get(f"/api/versions/{version.pk}/").json()["sections"][0]["clauses"]
    assert [c["plain_text"] for c in nested] == [TYPED, QUOTES, LIST_LINES]


def test_api_writes_round_trip(editor_client, typed):
    """HTML read from the API and sent back unchanged is stored unchanged; a new clause sent as HTML is kept."""
    version, plain, _quotes, _listed = typed
    read = editor_client.get(f"/api/clauses/{plain.pk}/")
    response = editor_client.patch(
        f"/api/clauses/{plain.pk}/",
        {"text": read.json()["text"]},
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
    )
    assert response.status_code == 200 and response.json()["revision"] == 1
    created = editor_client.post(
        "/api/clauses/",
        {"section": plain.section_id, "text": TYPED_AS_SENT, "number": "3.4"},
        content_type="application/json",
    ).json()
    assert created["text"] == TYPED_STORED and created["plain_text"] == TYPED


def test_search_finds_typed_characters(editor_client, typed):
    """Searching for what was typed, '<Board>' included, finds the clause although it is stored escaped."""
    _version, plain, *_ = typed
    found = editor_client.get("/api/clauses/", {"search": "Wellbeing <Board>"}).json()["results"]
    assert [c["id"] for c in found] == [plain.pk]


def test_saving_the_same_text_again_changes_nothing(editor_client, typed):
    """What the edit form holds, posted back as it is, leaves the clause, its revision and the audit trail alone."""
    version, *_ = typed
    for clause in Clause.objects.filter(section__version=version):
        url = reverse("protocols:clause_edit", kwargs={"slug": version.protocol.slug, "key": clause.key})
        form = editor_client.get(url).content.decode()
        start = form.index(f'name="c-{clause.key}-text"')
        textarea = html.unescape(form[form.index(">", start) + 1 : form.index("</textarea>", start)])
        assert textarea == clause.text  # the editor loads the stored HTML as it is
        events = AuditRecord.objects.count()
        prefix = f"c-{clause.key}"
        data = {f"{prefix}-revision": clause.revision, f"{prefix}-number": clause.number, f"{prefix}-text": textarea}
        editor_client.post(url, data)
        editor_client.post(url, data)
        stored = Clause.objects.get(pk=clause.pk)
        assert (stored.text, stored.revision) == (clause.text, clause.revision)
        assert AuditRecord.objects.count() == events


@pytest.mark.parametrize(
    "value",
    [
        TYPED,
        TYPED_AS_SENT,
        QUOTES,
        QUOTES_AS_SENT,
        LIST_AS_SENT,
        DOUBLE_ESCAPED,
        "one\n\ntwo\nthree",
        "line one<div>line two</div><div><br></div>",
        "<script>alert(1)</script>left",
        "a&nbsp;&nbsp;b <b>bold</b> x <y",
    ],
)
def test_sanitising_twice_gives_the_same_html(value):
    once = sanitize_html(value)
    assert sanitize_html(once) == once and "&amp;amp;" not in once


def test_lists_and_blocks_stay_separated_in_plain_text():
    """Paragraphs, list items, line breaks and table rows each make a line; on one line, list items join with '; '."""
    assert html_to_text(sanitize_html(LIST_AS_SENT)) == LIST_LINES
    assert one_line(LIST_LINES) == "The LSCB must: publish a report; publish a plan."
    assert one_line("Members\nthe Chair\nthe Vice-Chair") == "Members; the Chair; the Vice-Chair"
    assert html_to_text("<p>one<br>two</p><p>three</p>") == "one\ntwo\nthree"
    assert html_to_text("line one<div>line two</div>") == "line one\nline two"
    table = "<table><tr><th>Board</th><th>Chair</th></tr><tr><td>H&amp;WB</td><td>Leader</td></tr></table>"
    assert html_to_text(table) == "Board | Chair\nH&WB | Leader"


def test_an_unnumbered_list_clause_is_cited_by_its_words_on_one_line(typed):
    _version, _plain, _quotes, listed = typed
    listed.number = ""
    assert listed.citation == "the clause “The LSCB must: publish a report;…”"


def test_link_labels_map_and_ical_quote_the_clause_as_typed(client, area, typed):
    """Citations on the calendar, board and map pages, and the iCal description, carry the typed characters."""
    version, plain, _quotes, _listed = agree(typed[0]), *typed[1:]
    sender, receiver = [p.board for p in version.parties.order_by("position")]
    obligation = ObligationFactory(
        senders=[sender], version=version, source_clause=plain, title="Report on H&WB <priorities>"
    )
    RecipientFactory(obligation=obligation, board=receiver)
    RelationFactory(
        kind=Relation.Kind.HOLDS_TO_ACCOUNT,
        subject_board=receiver,
        object_board=sender,
        version=version,
        source_clause=plain,
    )
    citation = f"the clause “{TYPED}”"
    for url in (f"/areas/{area.slug}/calendar/", sender.get_absolute_url(), f"/areas/{area.slug}/map/"):
        page = client.get(url).content.decode()
        assert citation in text_of(page, "govuk-link"), url
        assert "&amp;amp;" not in page and "&amp;lt;" not in page
    feed = Calendar.from_ical(client.get(f"/areas/{area.slug}/calendar.ics").content)
    events = [e for e in feed.walk("VEVENT") if "H&WB" in str(e["summary"])]
    assert events and str(events[0]["summary"]) == f"{sender.label}: Report on H&WB <priorities> to {receiver.label}"
    description = str(events[0]["description"]).splitlines()
    assert description[-2].startswith(f"Stated in {citation}: http") and description[-1] == TYPED


def _repair_migration():
    return importlib.import_module("protocols.migrations.0003_repair_double_escaped_text")


@pytest.mark.django_db
def test_migration_repairs_drafts_and_leaves_agreed_versions_as_signed(client):
    """Drafts are rewritten once-escaped; an agreed version keeps its rows and fingerprint, and reads repaired."""
    agreed = VersionFactory(status=ProtocolVersion.Status.AGREED, title="Agreed")
    agreed_clause = ClauseFactory(section=SectionFactory(version=agreed, heading="H &amp; W"), text=DOUBLE_ESCAPED)
    fingerprint = agreed.content_fingerprint()
    draft = VersionFactory(protocol=agreed.protocol, number=agreed.number + 1, status=ProtocolVersion.Status.DRAFT)
    draft_section = SectionFactory(version=draft, heading="Health &amp; Wellbeing")
    draft_clause = ClauseFactory(section=draft_section, text=DOUBLE_ESCAPED)
    ProtocolVersion.objects.filter(pk=draft.pk).update(introduction="<p>AT&amp;amp;T</p>")

    _repair_migration().repair(apps, None)

    draft_clause.refresh_from_db()
    draft_section.refresh_from_db()
    draft.refresh_from_db()
    assert draft_clause.text == TYPED_STORED and draft.introduction == "<p>AT&amp;T</p>"
    assert draft_section.heading == "Health & Wellbeing"
    agreed_clause.refresh_from_db()
    assert agreed_clause.text == DOUBLE_ESCAPED and Section.objects.get(version=agreed).heading == "H &amp; W"
    assert agreed.content_fingerprint() == fingerprint
    page = client.get(agreed.get_absolute_url()).content.decode()
    assert text_of(page, "registry-clause__body") == [TYPED]
    assert client.get(f"/api/clauses/{agreed_clause.pk}/").json()["text"] == TYPED_STORED


@pytest.mark.django_db
def test_a_review_started_from_an_agreed_version_stored_twice_escaped_starts_once_escaped(business_manager, area):
    agreed = VersionFactory(
        status=ProtocolVersion.Status.AGREED, protocol__area=area, effective_date=datetime.date.today()
    )
    ClauseFactory(section=SectionFactory(version=agreed), text=DOUBLE_ESCAPED)
    draft = services.version_start_review(user=business_manager, protocol=agreed.protocol)
    assert Clause.objects.get(section__version=draft).text == TYPED_STORED


def test_audit_trail_and_comparison_show_the_words_as_typed(editor_client, typed):
    """The audit trail and the comparison of versions quote the text as typed, list items on their own lines."""
    version, _plain, _quotes, listed = typed
    page = editor_client.get(reverse("protocols:audit_trail", kwargs={"slug": version.protocol.slug})).content.decode()
    assert TYPED in [html.unescape(ins) for ins in re.findall(r"<ins>(.*?)</ins>", page)]
    assert "&amp;amp;" not in page
    agreed = VersionFactory(protocol=version.protocol, number=2, status=ProtocolVersion.Status.SUPERSEDED)
    ClauseFactory(section=SectionFactory(version=agreed, key=listed.section.key), key=listed.key, text=LIST_AS_SENT)
    row = next(
        r for s in compare_versions(agreed, version) for r in s.rows if r.new is not None and r.new.pk == listed.pk
    )
    assert row.status == "same" and not row.formatting_only
    assert str(row.new_html) == "The LSCB must:<br>publish a report;<br>publish a plan."
