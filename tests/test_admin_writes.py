"""The Django admin writes through the one write path and cannot change what was agreed: agreed records
open read-only, and a change the write path refuses comes back as a message, never a server error."""

import pytest
from django.test import Client

from accountability.models import ObligationRecipient, ReportingObligation
from core.models import AuditRecord
from protocols.models import Clause, ProtocolVersion
from tests.factories import (
    ClauseFactory,
    ObligationFactory,
    PersonFactory,
    RecipientFactory,
    SectionFactory,
    UserFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db

Status = ProtocolVersion.Status
NO_HOLDINGS = {"holdings-TOTAL_FORMS": 0, "holdings-INITIAL_FORMS": 0}


@pytest.fixture
def superuser():
    return UserFactory(username="registry-admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def agreed_section():
    return SectionFactory(version=VersionFactory(status=Status.AGREED), heading="Reporting")


def test_a_change_in_the_admin_is_audited_like_any_other(admin_client, superuser):
    person = PersonFactory(name="Ann Lee")
    response = admin_client.post(
        f"/admin/boards/person/{person.pk}/change/", {"name": "Dr Ann Lee", "honorific": "", **NO_HOLDINGS}
    )
    assert response.status_code == 302, response.content
    person.refresh_from_db()
    assert person.name == "Dr Ann Lee"
    record = AuditRecord.objects.get(object_type="boards.Person", object_id=str(person.pk))
    assert (record.user, record.action, record.before, record.after) == (
        superuser,
        AuditRecord.Action.UPDATE,
        {"name": "Ann Lee"},
        {"name": "Dr Ann Lee"},
    )


def test_saving_unchanged_in_the_admin_records_nothing(admin_client):
    person = PersonFactory(name="Ann Lee")
    admin_client.post(f"/admin/boards/person/{person.pk}/change/", {"name": "Ann Lee", "honorific": "", **NO_HOLDINGS})
    assert not AuditRecord.objects.exists()


def test_an_agreed_clause_opens_read_only_and_refuses_a_post(admin_client, agreed_section):
    clause = ClauseFactory(section=agreed_section, text="<p>Agreed words.</p>")
    url = f"/admin/protocols/clause/{clause.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.post(url, {"text": "<p>Other words.</p>", "section": agreed_section.pk}).status_code == 403
    clause.refresh_from_db()
    assert clause.text == "<p>Agreed words.</p>"


def test_adding_a_clause_to_an_agreed_version_is_refused_with_a_message(admin_client, agreed_section):
    response = admin_client.post(
        "/admin/protocols/clause/add/",
        {"section": agreed_section.pk, "key": "new", "number": "9.9", "text": "<p>Added.</p>", "position": 0},
        follow=True,
    )
    assert response.status_code == 200
    assert "agreed" in " ".join(str(m) for m in response.context["messages"])
    assert not Clause.objects.filter(key="new").exists()


def test_bulk_deleting_agreed_obligations_deletes_nothing(admin_client):
    """The bulk delete action names the agreed rows it may not delete, and refuses the confirmation."""
    obligation = ObligationFactory(version=VersionFactory(status=Status.AGREED))
    RecipientFactory(obligation=obligation)
    selected = {"action": "delete_selected", "_selected_action": [obligation.pk]}
    confirm = admin_client.post("/admin/accountability/reportingobligation/", selected)
    assert confirm.status_code == 200
    assert confirm.context["perms_lacking"]
    response = admin_client.post("/admin/accountability/reportingobligation/", {**selected, "post": "yes"})
    assert response.status_code == 403
    assert ReportingObligation.objects.filter(pk=obligation.pk).exists()
    assert ObligationRecipient.objects.filter(obligation=obligation).exists()


def test_deleting_a_draft_obligation_in_the_admin_is_audited(admin_client, superuser):
    obligation = ObligationFactory(version=VersionFactory(status=Status.DRAFT))
    response = admin_client.post(f"/admin/accountability/reportingobligation/{obligation.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ReportingObligation.objects.filter(pk=obligation.pk).exists()
    record = AuditRecord.objects.get(object_type="accountability.ReportingObligation")
    assert (record.user, record.action, record.version_id) == (
        superuser,
        AuditRecord.Action.DELETE,
        obligation.version_id,
    )


def test_the_audit_trail_cannot_be_added_to_changed_or_deleted_in_the_admin(admin_client):
    person = PersonFactory(name="Ann Lee")
    admin_client.post(
        f"/admin/boards/person/{person.pk}/change/", {"name": "Dr Ann Lee", "honorific": "", **NO_HOLDINGS}
    )
    record = AuditRecord.objects.get()
    assert admin_client.get("/admin/core/auditrecord/add/").status_code == 403
    assert admin_client.post(f"/admin/core/auditrecord/{record.pk}/change/", {"message": "x"}).status_code == 403
    assert admin_client.post(f"/admin/core/auditrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk, message="").exists()
