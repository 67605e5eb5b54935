"""Reading protocol documents into a structured draft: the five seed protocols as text, as Word
documents and as PDFs built from the same text, and hostile files refused with a clear message."""

import io
import zipfile

import pytest

from protocols.importing import ImportRefused, find_date, parse_blocks, parse_document, read_document
from protocols.importing.readers import MAX_UPLOAD_BYTES, read_text
from tests.import_support import (
    SEEDS_ABSENT,
    build_docx,
    build_pdf,
    normalised,
    outline,
    seed_files,
    written_text,
)

DOTTED_1_TO_5 = ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "a)", "b)", "c)", "d)", "3.1", "a)", "b)"]

# What each seed says, read by a person: sections, clauses (bullets and tables included), every
# clause number as written, in order, and the facts its front page or signature lines state.
EXPECTED = {
    "000": {
        "title": "PROTOCOL ON THE WORKING ARRANGEMENTS BETWEEN WEST BERKSHIRE LOCAL SAFEGUARDING CHILDREN BOARD, "
        "THE HEALTH AND WELLBEING BOARD AND THE MUNRO IMPLEMENTATION BOARD",
        "sections": 5,
        "clauses": 71,
        "numbers": [],
        "date_agreed": ("April 2013", "month"),
        "approvals": [
            ("Health & Wellbeing board", "December 2012", "month", ""),
            ("Munro Implementation Board", "October 2012", "month", ""),
            ("West Berks LSCB", "April 2013", "month", ""),
        ],
    },
    "001": {
        "title": "WORKING AGREEMENT BETWEEN THE LOCAL SAFEGUARDING CHILDREN BOARD AND HEALTH AND WELLBEING BOARD",
        "sections": 17,
        "clauses": 76,
        "numbers": DOTTED_1_TO_5
        + ["3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9"]
        + ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "a)", "b)", "c)", "5.1", "A)"]
        + [f"{n}." for n in range(1, 17)]
        + ["a.", "b.", "c."],
        "document_date": ("22 January 2015", "day"),
        "author": "Tim Deacon, LSCB Manager",
        "approvals": [],
    },
    "002": {
        "title": "JOINT PROTOCOL BETWEEN Cheshire West and Chester Local Safeguarding Children Board "
        "Cheshire West and Chester Health and Wellbeing Board Cheshire West and Chester Children's Trust "
        "Cheshire West and Chester Community Safety Partnership",
        "sections": 11,
        "clauses": 80,
        "numbers": ["2."] + [f"{n}." for n in range(4, 46)],
        "date_agreed": ("11 August 2015", "day"),
        "approvals": [
            ("Chair of Children's Trust", "22 July 2015", "day", "Gerald Meehan"),
            ("Chair of Local Safeguarding Children Board", "11 August 2015", "day", "Gill Frame"),
            ("Chair of Health & Wellbeing Board", "23 July 2015", "day", "Councillor Sam Dixon"),
            (
                "Chair of Cheshire West and Chester Community Safety Partnership",
                "23 July 2015",
                "day",
                "Mark Palethorpe",
            ),
        ],
        "warnings": ["Numbering skips from the start to 2.", "Numbering skips from 2 to 4."],
        "glossary": 6,
    },
    "003": {
        "title": "Protocol Agreement between Slough Children’s Partnership Board and the Slough Local Safeguarding "
        "Children Board",
        "sections": 10,
        "clauses": 88,
        "numbers": ["a.", "b.", "c.", "d.", "e.", "f.", "g.", "h.", "i.", "j.", "k."],
        "document_date": ("July 2011", "month"),
        "approvals": [],
    },
    "004": {
        "title": "Partnership Protocol between the Knowsley Health and Wellbeing Board and the Knowsley Safeguarding "
        "Children Board",
        "sections": 16,
        "clauses": 96,
        "numbers": ["1.1", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
        + [f"({letter})" for letter in "abcdefghi"]
        + ["3.7", "4.1", "4.2", "4.3"]
        + [f"{letter})" for letter in "abcdef"]
        + ["5.1"]
        + [f"{letter})" for letter in "abcdef"]
        + ["5.2"]
        + [f"6.{n}" for n in range(1, 11)]
        + ["7.1", "7.2", "7.3", "8.1", "8.2", "8.3", "9.1", "10.1", "2.1"]
        + [f"{letter})" for letter in "abcdefghij"]
        + ["3.1", "3.2", "a)", "b)", "3.3", "a)", "b)", "c)", "4.1"],
        "version": "2",
        "date_agreed": ("June 2015", "month"),
        "approvals": [("", "June 2015", "month", "")],
        "warnings": ["A table was not understood; it is kept as a table."],
    },
}


@pytest.fixture(scope="module")
def seeds():
    files = seed_files()
    if not files:
        pytest.skip(SEEDS_ABSENT)
    assert sorted(f.name[:3] for f in files) == sorted(EXPECTED)
    return {f.name[:3]: f for f in files}


@pytest.fixture(scope="module")
def parsed_text(seeds):
    return {key: parse_document(path.read_bytes(), path.name) for key, path in seeds.items()}


def _date(value):
    return (str(value), value.precision) if value is not None else None


def assert_matches_seed(doc, key, seed_text):
    expected = EXPECTED[key]
    assert doc.title == expected["title"]
    assert len(doc.sections) == expected["sections"]
    assert doc.clause_count == expected["clauses"]
    assert doc.clause_numbers() == expected["numbers"]
    assert _date(doc.date_agreed) == expected.get("date_agreed")
    assert _date(doc.document_date) == expected.get("document_date")
    assert doc.version == expected.get("version", "")
    assert doc.author == expected.get("author", "")
    assert [(a.party, str(a.date), a.date.precision, a.signatory) for a in doc.approvals] == expected["approvals"]
    assert doc.past_versions == []  # none of the five gives a version table
    assert len(doc.glossary) == expected.get("glossary", 0)
    for warning in expected.get("warnings", []):
        assert any(w.startswith(warning) for w in doc.warnings), (warning, doc.warnings)
    # Every word of the document is kept, in order: nothing dropped, nothing added.
    assert normalised(written_text(doc)) == normalised(seed_text)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_read_from_text(seeds, parsed_text, key):
    """Each seed read as plain text gives its sections, clauses, numbering as written, and dates."""
    assert_matches_seed(parsed_text[key], key, seeds[key].read_text())


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_read_from_word(seeds, parsed_text, key):
    """The same document as a Word file with heading and list styles reads to the same structure."""
    doc = parse_document(build_docx(parsed_text[key]), "protocol.docx")
    assert_matches_seed(doc, key, seeds[key].read_text())
    assert outline(doc) == outline(parsed_text[key])


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_read_from_pdf(seeds, parsed_text, key):
    """The same document printed to PDF reads back to the same structure: paragraphs rejoined
    across line wraps and page breaks, list levels from the indents, ruled tables as tables."""
    doc = parse_document(build_pdf(parsed_text[key]), "protocol.pdf")
    assert_matches_seed(doc, key, seeds[key].read_text())
    assert outline(doc) == outline(parsed_text[key])


# --- structures the seeds do not show -----------------------------------------------------------


def test_version_history_table_becomes_past_versions():
    text = (
        "Joint protocol between the boards\n"
        "Version\tDate\tStatus\tAuthor\tChanges\n"
        "0.1\t3 March 2014\tCirculated draft\tJ. Smith\tFirst draft\n"
        "1.0\tApril 2014\tAgreed\tJ. Smith\tAgreed by both boards\n"
        "1.1\t2015\tWithdrawn\t\t\n"
        "1. Purpose\n"
        "1.1 The boards will meet.\n"
    )
    doc = parse_document(text.encode(), "p.txt")
    assert [(v.version, _date(v.date), v.status) for v in doc.past_versions] == [
        ("0.1", ("3 March 2014", "day"), "circulated_draft"),
        ("1.0", ("April 2014", "month"), "approved"),
        ("1.1", ("2015", "year"), "withdrawn"),
    ]
    assert doc.past_versions[0].author == "J. Smith"
    assert not any("table" in w for w in doc.warnings)


def test_glossary_table_becomes_entries_and_unknown_table_warns():
    text = (
        "Protocol\n1. Glossary\nTerm\tMeaning\nLSCB\tLocal Safeguarding Children Board\nDCS\tDirector of Children's Services\n"
        "2. Membership\nBoard\tChair\tOfficer\tNotes\nLSCB\tX\t\tY\n"
    )
    doc = parse_document(text.encode(), "p.txt")
    assert doc.glossary == [("LSCB", "Local Safeguarding Children Board"), ("DCS", "Director of Children's Services")]
    assert doc.warnings == ["A table was not understood; it is kept as a table."]
    membership = doc.sections[1].clauses[0]
    assert membership.kind == "table" and "<td>Officer</td>" in membership.table_html


def test_numbering_kept_verbatim_with_parts_appendices_and_sub_clauses():
    text = (
        "Title of the protocol\nPart B Governance\n4.6 c) The chairs will meet.\n4.7 The board will:\n"
        "(a) report;\n(b) review:\ni. the plan\nii. the budget\n- a bullet under ii\n"
        "Appendix A Terms of reference\n1. The group meets.\n3. The group reports.\n7b) stray text\n"
    )
    doc = parse_document(text.encode(), "p.txt")
    assert [(s.number, s.heading) for s in doc.sections] == [
        ("Part B", "Governance"),
        ("Appendix A", "Terms of reference"),
    ]
    assert doc.clause_numbers() == ["4.6 c)", "4.7", "(a)", "(b)", "i.", "ii.", "1.", "3."]
    review = doc.sections[0].clauses[1].children[1]
    assert [c.number for c in review.children] == ["i.", "ii."]
    assert review.children[1].children[0].kind == "bullet"
    assert "Numbering skips from 1 to 3. in “Appendix A Terms of reference”." in doc.warnings
    stray = doc.sections[1].clauses[-1]
    assert stray.number == "" and stray.text == "7b) stray text" and "not recognised" in stray.warning


def test_markdown_headings_and_lists():
    text = "# Protocol between A and B\n\n## 1. Purpose\n\n1.1 The boards agree.\n\n- first\n  - nested\n"
    doc = parse_document(text.encode(), "p.md")
    assert doc.title == "Protocol between A and B"
    assert [(s.number, s.heading) for s in doc.sections] == [("1.", "Purpose")]
    clause = doc.sections[0].clauses[0]
    assert clause.number == "1.1" and clause.children[0].text == "first"
    assert clause.children[0].children[0].text == "nested"


def test_opendocument_text_is_read():
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="1. Purpose"))
    document.text.addElement(P(text="1.1 The boards will share minutes."))
    items = List()
    item = ListItem()
    item.addElement(P(text="within a week"))
    items.addElement(item)
    document.text.addElement(items)
    out = io.BytesIO()
    document.write(out)
    fmt, _ = read_document(out.getvalue(), "anything.bin")
    doc = parse_document(out.getvalue(), "anything.bin")
    assert fmt == "odt"
    assert doc.sections[0].number == "1."
    assert doc.clause_numbers() == ["1.1"]
    assert doc.sections[0].clauses[0].children[0].text == "within a week"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("? June 2015", ("June 2015", "month")),
        ("22nd July 2015", ("22 July 2015", "day")),
        ("approved December 2012", ("December 2012", "month")),
        ("31/12/2014", ("31 December 2014", "day")),
        ("during 2014", ("2014", "year")),
        ("no date here", None),
    ],
)
def test_dates_are_read_at_the_precision_written(written, expected):
    assert _date(find_date(written)) == expected


def test_version_line_gives_version_and_month_without_a_signer():
    doc = parse_blocks(read_text("Protocol\n1. Aim\n1.1 Text.\nVersion 2 of the protocol approved: ? June 2015\n"))
    assert doc.version == "2"
    assert _date(doc.date_agreed) == ("June 2015", "month")
    assert [(a.party, a.signatory) for a in doc.approvals] == [("", "")]


# --- hostile and unreadable files ---------------------------------------------------------------


def test_wrong_type_is_refused_whatever_its_name():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    with pytest.raises(ImportRefused, match="not a document the registry can read"):
        parse_document(png, "protocol.docx")


def test_zip_that_is_not_a_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ImportRefused, match="not a Word"):
        parse_document(out.getvalue(), "protocol.docx")


def test_zip_bomb_is_refused_before_it_is_expanded():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (200 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    with pytest.raises(ImportRefused, match="zip bomb"):
        parse_document(out.getvalue(), "protocol.docx")


def test_encrypted_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(HTML(string="<p>1. Secret clause.</p>").write_pdf())).pages:
        writer.add_page(page)
    writer.encrypt("password")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ImportRefused, match="encrypted"):
        parse_document(out.getvalue(), "protocol.pdf")


def test_scanned_pdf_without_text_is_refused_with_a_reason():
    from weasyprint import HTML

    blank = HTML(string="<div style='height:5cm;background:#888'></div>").write_pdf()
    with pytest.raises(ImportRefused, match="no text, only images"):
        parse_document(blank, "scan.pdf")


def test_empty_file_is_refused():
    with pytest.raises(ImportRefused, match="empty"):
        parse_document(b"", "protocol.txt")


def test_file_over_the_size_limit_is_refused():
    with pytest.raises(ImportRefused, match="20.0 MB; the largest file the registry imports is 10 MB"):
        parse_document(b"a" * (20 * 1024 * 1024), "protocol.txt")
    assert MAX_UPLOAD_BYTES == 10 * 1024 * 1024
