"""How pages name a clause in a sentence: by its number as written, or by its opening words when it has none."""

from tests.factories import ClauseFactory


def test_numbered_clause_is_cited_by_its_reference(db):
    parent = ClauseFactory(number="4.6", text="<p>Reports.</p>")
    item = ClauseFactory(section=parent.section, parent=parent, number="(a)", text="<p>The annual report.</p>")
    assert parent.citation == "clause 4.6"
    assert item.citation == "clause 4.6(a)"


def test_unnumbered_clause_is_cited_by_its_opening_words(db):
    clause = ClauseFactory(
        number="", text="<p>The LSCB <b>presents</b> its annual report to the Board each autumn.</p>"
    )
    assert clause.citation == "the clause \u201cThe LSCB presents its annual report\u2026\u201d"
