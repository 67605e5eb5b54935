"""Approvals as a protocol writes them: a date or a signer it does not state, several signatories for one
party (two co-chairs signing in different months), a party's approval recorded from a paper copy, and an
untitled opening section. Each is entered through the editor and the API by a business manager and reads
back the same on the version page, in the PDF and in the API."""

# ruff: noqa: F403, F405
import datetime
import hashlib
import io
import json

import pytest
from pypdf import PdfReader

from core.exceptions import InvalidTransition
from core.text import NOT_STATED
from core.writes import unlocked
from protocols import frozen, pdf, services
from protocols.models import Approval, GlossaryEntry, Party, ProtocolVersion, Section
from tests.api_support import *
from tests.factories import ApprovalFactory, BoardFactory, PartyFactory, SectionFactory, VersionFactory

pytestmark = pytest.mark.django_db
Status = ProtocolVersion.Status


def pdf_text(version):
    data = pdf.render_version_pdf(version, certificate=version.is_locked).data
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squash(text):
    return " ".join(text.split())


@pytest.fixture
def boards(area):
    return (
        BoardFactory(areas=[area], name="Knowsley Health and Wellbeing Board", slug="hwb"),
        BoardFactory(areas=[area], name="Knowsley Community Safety Partnership", slug="csp"),
    )


@pytest.fixture
def sent(business_manager, area, boards):
    """A draft with one section, sent to its two parties for approval."""
    protocol = services.protocol_create(user=business_manager, area=area, title="Joint protocol", party_boards=boards)
    version = protocol.versions.get()
    section = services.section_create(user=business_manager, version=version, heading="Purpose", number="1")
    services.clause_create(user=business_manager, section=section, text="<p>The boards work together.</p>")
    return services.version_send_for_approval(user=business_manager, version=version, change_summary="First")


def parties_of(version):
    hwb, csp = version.parties.select_related("board").order_by("position")
    return hwb, csp


# An approval with no date and no named signer --------------------------------------------------------------


def test_an_approval_with_no_date_and_no_signer_is_recorded_as_not_stated(business_manager, sent):
    """The service takes None and empty strings as "not stated"; once every party has approved, the version
    is agreed with no effective date or review date rather than a guessed one."""
    hwb, csp = parties_of(sent)
    approval = services.approval_record(user=business_manager, party=hwb, approved_on=None, signatory_name="")
    assert (approval.approved_on, approval.signatory_name, approval.approved_display) == (None, "", "")
    services.approval_record(
        user=business_manager,
        party=csp,
        approved_on=datetime.date(2015, 7, 23),
        signatory_name="Mark Palethorpe",
        signatory_post_title="Chair",
    )
    sent.refresh_from_db()
    assert sent.status == Status.AGREED
    assert sent.effective_date is None and sent.review_due is None


def test_the_editor_records_an_approval_with_no_date_and_no_signer(client, business_manager, sent):
    """An empty date must be said to be not stated (a tick), so a forgotten date is refused; the recorded
    approval then reads "Not stated in the protocol" on the version page and in the PDF, with no invented
    wording about a meeting."""
    hwb, csp = parties_of(sent)
    client.force_login(business_manager)
    url = f"/protocols/{sent.protocol.slug}/edit/approvals/{hwb.pk}/"
    forgotten = client.post(url, {"signature_kind": "none"})
    assert forgotten.status_code == 200
    assert "or say that the protocol does not state the date" in forgotten.content.decode()
    assert not Approval.objects.exists()

    response = client.post(url, {"date_not_stated": "on", "signature_kind": "none"})
    assert response.status_code == 302
    approval = Approval.objects.get(party=hwb)
    assert (approval.approved_on, approval.signatory_name, approval.signatory_post_title) == (None, "", "")

    page = client.get(sent.get_absolute_url()).content.decode()
    matrix = page[page.index('id="approvals"') : page.index("</table>", page.index('id="approvals"'))]
    assert matrix.count(f'<span class="not-stated">{NOT_STATED}</span>') == 3  # date, name and post

    text = squash(pdf_text(sent))
    signatures = text[text.index("Signatures Signed on behalf") :]
    assert f"Name {NOT_STATED}" in signatures and f"Approved {NOT_STATED}" in signatures
    assert f"Post {NOT_STATED}" in signatures
    assert "board's meeting" not in text


def test_the_api_takes_and_gives_null_for_what_is_not_stated(business_manager, sent):
    """approved_on null and no signatory_name: recorded, and read back as null (never an empty string, never
    a default date), in the approval and nested in the version."""
    hwb, csp = parties_of(sent)
    client = client_for(business_manager)
    response = client.post(
        "/api/approvals/", {"party": hwb.pk, "approved_on": None, "signatory_name": None}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["approved_on"] is None and body["approved_precision"] is None and body["approved_display"] is None
    assert body["signatory_name"] is None and body["signatory_post_title"] is None
    version = client.get(f"/api/versions/{sent.pk}/").json()
    nested = next(p for p in version["parties"] if p["id"] == hwb.pk)
    assert nested["approvals"][0]["approved_on"] is None and nested["approvals"][0]["signatory_name"] is None
    assert nested["approval_complete"] is True
    missing = client.post("/api/approvals/", {"party": csp.pk, "signatory_name": "A. Chair"}, format="json")
    assert missing.status_code == 400
    assert "approved_on" in missing.json()["error"]["fields"]


# Two co-chairs signing separately in different months -------------------------------------------------------


def test_two_co_chairs_sign_in_different_months_through_the_editor(client, business_manager, sent):
    """The CSP lists two co-chairs: the first signature leaves it waiting, the second (months later) completes
    it; a third is refused. The version is agreed from the later month, and both signatories read back on
    the page and in the PDF."""
    hwb, csp = parties_of(sent)
    client.force_login(business_manager)
    base = f"/protocols/{sent.protocol.slug}/edit/approvals/"
    assert client.post(f"{base}{csp.pk}/rule/", {f"p{csp.pk}-signatories_expected": "2"}).status_code == 302
    services.approval_record(
        user=business_manager, party=hwb, approved_on=datetime.date(2015, 7, 1), approved_precision="month"
    )
    first = {
        "day": "",
        "month": "7",
        "year": "2015",
        "signatory_name": "Jane Council",
        "signatory_post_title": "Director of Communities",
        "capacity": "Co-chair",
        "signature_kind": "typed",
        "signature_text": "Jane Council",
    }
    assert client.post(f"{base}{csp.pk}/", first).status_code == 302
    sent.refresh_from_db()
    assert sent.status == Status.AWAITING_APPROVAL
    second = {
        **first,
        "month": "9",
        "signatory_name": "Raj Police",
        "signatory_post_title": "Chief Superintendent",
        "signature_text": "Raj Police",
    }
    assert client.post(f"{base}{csp.pk}/", second).status_code == 302
    sent.refresh_from_db()
    assert sent.status == Status.AGREED
    assert sent.effective_date_display == "September 2015"
    assert [
        (a.signatory_name, a.approved_display, a.capacity) for a in Party.objects.get(pk=csp.pk).live_approvals()
    ] == [
        ("Jane Council", "July 2015", "Co-chair"),
        ("Raj Police", "September 2015", "Co-chair"),
    ]

    page = client.get(sent.get_absolute_url()).content.decode()
    assert "Jane Council" in page and "Raj Police" in page and "Director of Communities (Co-chair)" in page
    text = squash(pdf_text(sent))
    assert "signatory 1 of 2" in text and "signatory 2 of 2" in text
    assert "Capacity Co-chair" in text and "Approved July 2015" in text and "Approved September 2015" in text


def test_two_co_chairs_through_the_api_and_a_third_signature_is_refused(business_manager, sent):
    hwb, csp = parties_of(sent)
    client = client_for(business_manager)
    rule = client.post(f"/api/parties/{csp.pk}/approval-rule/", {"signatories_expected": 2}, format="json")
    assert rule.status_code == 200, rule.content
    assert rule.json()["signatories_expected"] == 2 and rule.json()["approval_complete"] is False
    for name, day in (("Jane Council", "2015-07-01"), ("Raj Police", "2015-09-01")):
        body = {"party": csp.pk, "approved_on": day, "approved_precision": "month", "signatory_name": name}
        response = client.post("/api/approvals/", {**body, "capacity": "Co-chair"}, format="json")
        assert response.status_code == 201, response.content
    third = client.post(
        "/api/approvals/", {"party": csp.pk, "approved_on": None, "signatory_name": "Someone"}, format="json"
    )
    assert third.status_code == 400
    assert "all 2 of its signatories have signed" in json.dumps(third.json())
    party = client.get(f"/api/parties/{csp.pk}/").json()
    assert [(a["signatory_name"], a["approved_display"], a["capacity"]) for a in party["approvals"]] == [
        ("Jane Council", "July 2015", "Co-chair"),
        ("Raj Police", "September 2015", "Co-chair"),
    ]
    assert party["approval_complete"] is True
    assert client.get(f"/api/versions/{sent.pk}/").json()["status"] == "awaiting_approval"  # the HWB has not


def test_agreeing_uses_the_completeness_rule(business_manager, sent):
    """version_agree refuses while a listed co-chair has not signed, naming the party that is waiting."""
    hwb, csp = parties_of(sent)
    services.party_approval_rule(user=business_manager, party=csp, signatories_expected=2)
    services.approval_record(user=business_manager, party=hwb, approved_on=None)
    services.approval_record(user=business_manager, party=csp, approved_on=None, capacity="Co-chair")
    with pytest.raises(InvalidTransition, match="Knowsley Community Safety Partnership"):
        services.version_agree(user=business_manager, version=sent)


def test_a_paper_copy_completes_a_party_with_its_note_shown(client, business_manager, sent):
    """Marked from the editor with a note: the party is complete without signature records, the version is
    agreed (no date stated), and the note reads on the page and in the PDF; a mark without a note is refused."""
    hwb, csp = parties_of(sent)
    services.approval_record(user=business_manager, party=hwb, approved_on=datetime.date(2015, 7, 23))
    client.force_login(business_manager)
    url = f"/protocols/{sent.protocol.slug}/edit/approvals/{csp.pk}/rule/"
    client.post(url, {"paper": "1", f"p{csp.pk}-paper_note": ""})
    assert not Party.objects.get(pk=csp.pk).recorded_from_paper
    note = "Signed copy held by the business manager; the chairs formally agreed it."
    assert client.post(url, {"paper": "1", f"p{csp.pk}-paper_note": note}).status_code == 302
    sent.refresh_from_db()
    assert sent.status == Status.AGREED and sent.effective_date is None
    assert note in client.get(sent.get_absolute_url()).content.decode()
    assert f"Approval recorded from a paper copy: {note}" in squash(pdf_text(sent))
    assert client_for(business_manager).get(f"/api/parties/{csp.pk}/").json()["paper_note"] == note


def test_a_paper_copy_through_the_api_needs_a_note(business_manager, sent):
    hwb, csp = parties_of(sent)
    client = client_for(business_manager)
    refused = client.post(f"/api/parties/{csp.pk}/approval-rule/", {"recorded_from_paper": True}, format="json")
    assert refused.status_code == 400 and "paper_note" in refused.json()["error"]["fields"]
    marked = client.post(
        f"/api/parties/{csp.pk}/approval-rule/",
        {"recorded_from_paper": True, "paper_note": "Minutes of 23 July 2015 record the agreement."},
        format="json",
    )
    assert marked.status_code == 200 and marked.json()["approval_complete"] is True


def test_an_edit_withdraws_a_paper_copy_mark_as_it_withdraws_signatures(business_manager, sent):
    hwb, csp = parties_of(sent)
    services.party_approval_rule(user=business_manager, party=csp, recorded_from_paper=True, paper_note="Paper.")
    services.version_return_to_draft(user=business_manager, version=sent)
    csp.refresh_from_db()
    assert (csp.recorded_from_paper, csp.paper_note) == (False, "")


def test_other_people_cannot_change_how_a_party_approves(board_member, outsider, sent):
    hwb, csp = parties_of(sent)
    for user in (board_member, outsider):
        response = client_for(user).post(
            f"/api/parties/{csp.pk}/approval-rule/", {"signatories_expected": 3}, format="json"
        )
        assert response.status_code in (403, 404)
    csp.refresh_from_db()
    assert csp.signatories_expected == 1


# An untitled opening section ---------------------------------------------------------------------------------


def test_an_untitled_opening_section_through_the_editor_and_the_api(client, business_manager, area, boards):
    """Created with no heading and no number in the editor and through the API; read back as not stated on the
    page and in the PDF, and as null in the API."""
    protocol = services.protocol_create(user=business_manager, area=area, title="Joint protocol", party_boards=boards)
    version = protocol.versions.get()
    client.force_login(business_manager)
    response = client.post(
        f"/protocols/{protocol.slug}/edit/sections/new/",
        {"new-section-heading": "", "new-section-number": "", "new-section-kind": "body"},
    )
    assert response.status_code == 302
    opening = Section.objects.get(version=version)
    assert (opening.heading, opening.number) == ("", "")
    services.clause_create(user=business_manager, section=opening, text="<p>This document sets out how.</p>")

    api = client_for(business_manager)
    created = api.post("/api/sections/", {"version": version.pk, "heading": None, "number": None}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["heading"] is None and created.json()["number"] is None
    read = api.get(f"/api/versions/{version.pk}/").json()
    assert [(s["heading"], s["number"]) for s in read["sections"]] == [(None, None), (None, None)]

    page = client.get(version.get_absolute_url()).content.decode()
    assert f'id="{opening.anchor}"><span class="not-stated">{NOT_STATED}</span></h2>' in page
    text = squash(pdf_text(version))
    assert f"{NOT_STATED} This document sets out how." in text


# The fingerprint of what was sealed before ------------------------------------------------------------------


def old_fingerprint(version):
    """The fingerprint as it was computed before signatories, paper copies and capacities existed."""
    sections = [[s.key, s.kind, s.part, s.number, s.heading] for s in version.sections.order_by("position", "key")]
    clauses = []
    parties = [[p.board.slug, []] for p in version.parties.select_related("board").order_by("position", "board__slug")]
    by_board = dict(parties)
    for a in Approval.objects.filter(party__version=version, withdrawn_at__isnull=True).order_by("party__board__slug"):
        by_board[a.party.board.slug].append(
            [
                a.approved_on.isoformat(),
                a.approved_precision,
                a.signatory_name,
                a.signatory_post_title,
                a.signature_text,
            ]
        )
    glossary = [list(row) for row in GlossaryEntry.objects.filter(version=version).values_list("term", "meaning")]
    record = {
        "protocol": version.protocol.slug,
        "number": version.number,
        "title": version.title,
        "introduction": version.introduction,
        "sections": sections,
        "clauses": clauses,
        "parties": parties,
        "glossary": glossary,
    }
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_versions_sealed_before_keep_their_fingerprint_and_new_facts_enter_it():
    """A version with one dated, named approval per party fingerprints exactly as before; a capacity, a second
    signatory listed or a paper-copy note changes it, because each is printed on the signature page."""
    version = VersionFactory(status=Status.AGREED)
    SectionFactory(version=version, heading="Purpose", number="1")
    for slug in ("hwb", "lscb"):
        party = PartyFactory(version=version, board=BoardFactory(slug=slug))
        ApprovalFactory(party=party, signatory_name=f"Chair of {slug}", signatory_post_title="Chair")
    before = version.content_fingerprint()
    assert before == old_fingerprint(version)

    def fingerprint_of_rows():
        return frozen.fingerprint_of(frozen.build_document(version))

    party = version.parties.first()
    with unlocked():  # arranging other records of a sealed version, as a data repair would
        Party.objects.filter(pk=party.pk).update(signatories_expected=2)
        listed = fingerprint_of_rows()
        Party.objects.filter(pk=party.pk).update(signatories_expected=1, recorded_from_paper=True, paper_note="Paper.")
        paper = fingerprint_of_rows()
        Party.objects.filter(pk=party.pk).update(recorded_from_paper=False, paper_note="")
        Approval.objects.filter(party=party).update(capacity="Co-chair")
        capacity = fingerprint_of_rows()
    assert len({before, listed, paper, capacity}) == 4
    assert version.content_fingerprint() == before  # what was sealed is the record's, written once
