"""The record of what was agreed: written once when a version is agreed, the source of the fingerprint, the
sealed PDF and /verify/, and never changed by a later rename, an admin page or a deletion in the register."""

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from accountability.models import Duty
from boards.models import Board, Person
from core.exceptions import VersionLocked
from core.models import AuditRecord
from core.writes import unlocked
from protocols import frozen, pdf, services, verification
from protocols.models import AgreedRecord, Approval, GlossaryEntry, Party, ProtocolVersion, Section
from tests.api_support import client_for
from tests.factories import (
    ApprovalFactory,
    BoardFactory,
    PersonFactory,
    PostFactory,
    SectionFactory,
    UserFactory,
    VersionFactory,
)
from tests.pdf_fixtures import build_protocol

pytestmark = pytest.mark.django_db

Status = ProtocolVersion.Status


@pytest.fixture(autouse=True)
def media_root(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        yield


@pytest.fixture
def agreed(area):
    return build_protocol(area=area)


@pytest.fixture
def superuser():
    return UserFactory(username="registry-admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def verify(client, data):
    upload = SimpleUploadedFile("protocol.pdf", data, "application/pdf")
    return client.post(reverse("protocols:verify"), {"document": upload}).context["result"]


def messages_of(response):
    return " ".join(str(message) for message in response.context["messages"])


# What the record holds ---------------------------------------------------------------------------------


def test_the_record_holds_the_agreed_content_with_names_as_they_were(agreed):
    record = frozen.freeze(agreed)
    document = record.document
    assert record.fingerprint == agreed.content_fingerprint() == frozen.fingerprint_of(document)
    assert document["version"]["number"] == 2 and document["version"]["review_due"] == "2026-06-01"
    assert document["version"]["effective_date"] == "2015-06-01"
    assert [s["heading"] for s in document["sections"]] == ["Heading 1", "Heading 2", "Heading 3"]
    first = document["sections"][0]["clauses"]
    assert (first[0]["number"], first[-1]["parent"], first[-1]["reference"]) == ("1.1", "cl1-1", "1.1(a)")
    boards = [party["board"]["name"] for party in document["parties"]]
    assert boards == ["Knowsley Safeguarding Children Board", "Knowsley Health and Wellbeing Board"]
    kscb = document["parties"][0]
    assert kscb["approvals"][0]["signatory_name"] == "Ann Example"
    assert kscb["memberships"][0]["member_label"] == "KSCB Independent Chair"
    assert document["glossary"] == [
        ["HWB", "Health and Wellbeing Board"],
        ["KSCB", "Knowsley Safeguarding Children Board"],
    ]
    [obligation] = document["obligations"]
    assert (obligation["senders"], obligation["recipients"], obligation["title"]) == (
        ["KSCB"],
        ["HWB"],
        "KSCB Annual Report",
    )
    assert obligation["clause"]["reference"] == "1.1"
    assert document["duties"][0]["holder"] == "KSCB"
    assert document["relations"][0]["sentence"] == "HWB consults KSCB"
    assert document["diagram"]["edges"]


def test_agreeing_a_version_writes_its_record_once(business_manager, area):
    version = VersionFactory(protocol__area=area, status=Status.AWAITING_APPROVAL)
    SectionFactory(version=version, heading="Purpose")
    party = Party.objects.create(version=version, board=BoardFactory(areas=[area]))
    ApprovalFactory(party=party)
    agreed = services.version_agree(user=business_manager, version=version)
    record = AgreedRecord.objects.get(version=agreed)
    assert record.document["sections"][0]["heading"] == "Purpose"
    assert frozen.freeze(agreed).pk == record.pk


def test_recording_a_past_agreed_version_writes_its_record(business_manager, area):
    protocol = VersionFactory(protocol__area=area, status=Status.DRAFT).protocol
    past = services.version_record_past(user=business_manager, protocol=protocol, status=Status.SUPERSEDED, label="V1")
    assert AgreedRecord.objects.get(version=past).document["version"]["label"] == "V1"


def test_the_migration_back_fills_versions_agreed_before_it(agreed):
    """Versions agreed before the record existed get one from their rows, with the fingerprint they had."""
    fingerprint = frozen.fingerprint_of(frozen.build_document(agreed))
    assert not AgreedRecord.objects.exists()
    migration = importlib.import_module("protocols.migrations.0009_agreed_record")
    migration.back_fill(apps, connection.schema_editor())
    assert AgreedRecord.objects.get(version=agreed).fingerprint == fingerprint


# A rename in the register ------------------------------------------------------------------------------


def test_renaming_a_board_through_the_api_leaves_sealed_pdfs_verifying(agreed, business_manager, client):
    """A business manager changes a party board's slug and name: the fingerprint, the stored PDF and /verify/
    keep to what was sealed; the version page shows the new name."""
    fingerprint = agreed.content_fingerprint()
    sealed = pdf.sealed_document(agreed).file.read()
    board = Board.objects.get(slug="knowsley-hwb-kscb-hwb")
    response = client_for(business_manager).patch(
        f"/api/boards/{board.pk}/",
        {"slug": "knowsley-health-and-wellbeing", "name": "Knowsley Health Board"},
        format="json",
        HTTP_IF_MATCH=f'W/"{board.revision}"',
    )
    assert response.status_code == 200, response.content
    board.refresh_from_db()
    assert board.slug == "knowsley-health-and-wellbeing"

    agreed = ProtocolVersion.objects.get(pk=agreed.pk)
    assert agreed.content_fingerprint() == fingerprint
    assert verify(client, sealed).verdict == verification.Verdict.VALID
    redrawn = pdf.render_version_pdf(agreed, certificate=True)
    assert redrawn.fingerprint == fingerprint
    assert "Knowsley Health Board" in client.get(agreed.get_absolute_url()).content.decode()


def test_renaming_the_protocol_leaves_its_sealed_pdf_verifying(agreed, client):
    """The PDF names the protocol by the slug it was sealed under; a later slug does not orphan it."""
    sealed = pdf.sealed_document(agreed).file.read()
    agreed.protocol.slug = "knowsley-joint-working"
    agreed.protocol.save()
    result = verify(client, sealed)
    assert result.verdict == verification.Verdict.VALID and result.version == agreed


def test_a_fingerprint_the_registry_never_sealed_is_unknown(agreed, client):
    sealed = pdf.sealed_document(agreed).file.read()
    with unlocked():  # stands in for a record altered outside the registry
        AgreedRecord.objects.filter(version=agreed).update(fingerprint="0" * 64)
    assert verify(client, sealed).verdict == verification.Verdict.UNKNOWN_VERSION


# The record cannot change ------------------------------------------------------------------------------


def test_the_record_refuses_saves_deletes_and_bulk_writes(agreed):
    record = frozen.freeze(agreed)
    record.document = {**record.document, "glossary": []}
    with pytest.raises(VersionLocked):
        record.save()
    with pytest.raises(VersionLocked):
        record.delete()
    with pytest.raises(VersionLocked):
        AgreedRecord.objects.filter(pk=record.pk).update(fingerprint="x")
    with pytest.raises(VersionLocked):
        AgreedRecord.objects.filter(pk=record.pk).delete()
    assert AgreedRecord.objects.get(pk=record.pk).document["glossary"]


def test_the_record_cannot_change_in_sql(agreed):
    """PostgreSQL's trigger refuses an UPDATE or DELETE of the record whatever runs it; SQLite has no
    triggers here, and there the model and queryset guards above stand alone."""
    record = frozen.freeze(agreed)
    if connection.vendor != "postgresql":
        with pytest.raises(VersionLocked):
            AgreedRecord.objects.filter(pk=record.pk).update(fingerprint="x")
        return
    for statement in (
        "UPDATE protocols_agreedrecord SET fingerprint = 'x' WHERE id = %s",
        "DELETE FROM protocols_agreedrecord WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="written once"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [record.pk])
    assert AgreedRecord.objects.get(pk=record.pk).fingerprint == record.fingerprint


def test_the_record_is_read_only_in_the_admin(agreed, admin_client):
    record = frozen.freeze(agreed)
    url = f"/admin/protocols/agreedrecord/{record.pk}/"
    page = admin_client.get(url + "change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client.post(url + "change/", {"fingerprint": "x"}).status_code == 403
    assert admin_client.post(url + "delete/", {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/protocols/agreedrecord/add/").status_code == 403
    assert AgreedRecord.objects.get(pk=record.pk).fingerprint == record.fingerprint


# Admin paths to an agreed version's content ----------------------------------------------------------


@pytest.mark.parametrize(
    "model, values",
    [
        (
            "section",
            lambda v: {"version": v.pk, "key": "new", "number": "9", "heading": "Added", "kind": "body", "position": 9},
        ),
        ("party", lambda v: {"version": v.pk, "board": BoardFactory().pk, "position": 9, "signatories_expected": 1}),
        ("glossaryentry", lambda v: {"version": v.pk, "term": "LSCB", "meaning": "Added"}),
    ],
)
def test_adding_to_an_agreed_version_in_the_admin_is_refused_with_a_message(agreed, admin_client, model, values):
    before = (Section.objects.count(), Party.objects.count(), GlossaryEntry.objects.count())
    inlines = {
        f"{prefix}-{name}": value
        for prefix in ("clauses", "approvals")
        for name, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
    }
    response = admin_client.post(f"/admin/protocols/{model}/add/", {**values(agreed), **inlines}, follow=True)
    assert response.status_code == 200
    assert "agreed" in messages_of(response)
    assert (Section.objects.count(), Party.objects.count(), GlossaryEntry.objects.count()) == before


def test_an_agreed_approval_cannot_be_edited_or_deleted_in_the_admin(agreed, admin_client):
    approval = Approval.objects.filter(party__version=agreed).first()
    url = f"/admin/protocols/approval/{approval.pk}/"
    assert b'name="_save"' not in admin_client.get(url + "change/").content
    assert (
        admin_client.post(url + "change/", {"party": approval.party_id, "signatory_name": "Someone"}).status_code == 403
    )
    assert admin_client.post(url + "delete/", {"post": "yes"}).status_code == 403
    approval.refresh_from_db()
    assert approval.signatory_name == "Ann Example"
    with pytest.raises(VersionLocked):
        approval.signatory_name = "Someone"
        approval.save()


@pytest.mark.parametrize("model", ["section", "clause", "approval", "glossaryentry", "party"])
def test_bulk_deleting_agreed_content_in_the_admin_deletes_nothing(agreed, admin_client, model):
    rows = apps.get_model("protocols", model).objects.filter(
        **{apps.get_model("protocols", model).VERSION_PATH: agreed}
    )
    selected = {"action": "delete_selected", "_selected_action": list(rows.values_list("pk", flat=True))}
    count = rows.count()
    response = admin_client.post(f"/admin/protocols/{model}/", {**selected, "post": "yes"})
    assert response.status_code in (200, 302, 403)
    assert rows.count() == count


def test_the_audit_history_is_read_only_in_the_admin(agreed, admin_client):
    record = AuditRecord.objects.create(action=AuditRecord.Action.UPDATE, object_type="x", object_id="1")
    selected = {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    assert admin_client.post("/admin/core/auditrecord/", selected).status_code in (200, 302, 403)
    assert admin_client.post(f"/admin/core/auditrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk).exists()


# Deleting what an agreed version names -----------------------------------------------------------------


def test_deleting_a_board_an_agreed_version_names_is_refused(agreed):
    """The board holds a duty under the agreed version (a cascade) without being party to it."""
    board = BoardFactory()
    with unlocked():
        Duty.objects.create(version=agreed, holder_board=board, description="Scrutinise")
    with pytest.raises(VersionLocked, match="agreed version"), transaction.atomic():
        board.delete()
    assert Duty.objects.filter(version=agreed, holder_board=board).exists()


def test_deleting_a_person_or_post_on_an_agreed_signature_is_refused(agreed):
    person, post = PersonFactory(name="Ann Example"), PostFactory(title="Independent Chair")
    with unlocked():
        Approval.objects.filter(party__version=agreed, signatory_name="Ann Example").update(
            signatory_person=person, signatory_post=post
        )
    for record in (person, post):
        with pytest.raises(VersionLocked), transaction.atomic():
            record.delete()
    approval = Approval.objects.get(party__version=agreed, signatory_name="Ann Example")
    assert (approval.signatory_person_id, approval.signatory_post_id) == (person.pk, post.pk)


def test_deleting_a_person_on_an_agreed_signature_in_the_admin_is_a_message(agreed, admin_client):
    person = PersonFactory(name="Ann Example")
    with unlocked():
        Approval.objects.filter(party__version=agreed, signatory_name="Ann Example").update(signatory_person=person)
    response = admin_client.post(f"/admin/boards/person/{person.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "agreed version" in messages_of(response)
    assert Person.objects.filter(pk=person.pk).exists()


def test_deleting_a_user_who_recorded_an_agreed_approval_in_the_admin_is_a_message(agreed, admin_client):
    user = UserFactory(username="recorder")
    with unlocked():
        Approval.objects.filter(party__version=agreed).update(recorded_by=user)
    response = admin_client.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "agreed version" in messages_of(response)
    assert Approval.objects.filter(party__version=agreed, recorded_by=user).exists()


def test_deleting_a_draft_only_board_still_works(area):
    board = BoardFactory()
    with unlocked():
        Duty.objects.create(version=VersionFactory(status=Status.DRAFT), holder_board=board, description="Draft")
    board.delete()
    assert not Board.objects.filter(pk=board.pk).exists()
