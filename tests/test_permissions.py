"""Who may use each editing page: every editing URL walked with every role.

Anonymous visitors are sent to sign in (302), signed-in users without rights get 403, unknown
protocols 404, and business managers of the area and administrators get through.
"""

import pytest
from django.urls import reverse

from accountability.models import ReportingObligation
from protocols import services
from protocols.models import Clause
from protocols.permissions import can_edit_protocol, can_read_drafts, get_protocol_for_editing
from tests.factories import BoardFactory

ROLES = ["anonymous", "outsider", "board_member", "business_manager", "administrator"]
EDITORS = {"business_manager", "administrator"}
READERS = {"board_member", "business_manager", "administrator"}
MANAGERS_ANYWHERE = {"outsider", "business_manager", "administrator"}


@pytest.fixture
def protocol(area, business_manager):
    hwb, lscb = BoardFactory(areas=[area]), BoardFactory(areas=[area])
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=[hwb, lscb]
    )
    version = protocol.versions.get()
    section = services.section_create(user=business_manager, version=version, heading="Reporting", number="1")
    services.clause_create(user=business_manager, section=section, text="The LSCB reports.", number="1.1")
    from accountability.services import obligation_create

    obligation_create(
        user=business_manager,
        version=version,
        source_clause=Clause.objects.get(section=section),
        senders=[lscb],
        subject="annual_report",
        title="Annual report",
        frequency="annual",
        recipients=[hwb],
    )
    return protocol


def editing_urls(protocol):
    """(method, url) for every page that changes a protocol."""
    version = protocol.versions.get()
    section = version.sections.get()
    clause = Clause.objects.get(section=section)
    party = version.parties.first()
    obligation = ReportingObligation.objects.get(version=version)
    slug = protocol.slug

    def url(name, **kwargs):
        # The records a clause states are edited by the accountability app's pages.
        namespace = "accountability" if name.startswith("record_") else "protocols"
        return reverse(f"{namespace}:{name}", kwargs={"slug": slug, **kwargs})

    return [
        ("get", url("editor")),
        ("post", url("start_review")),
        ("get", url("editor_settings")),
        ("get", url("editor_parties")),
        ("get", url("editor_renumber")),
        ("post", url("editor_renumber")),
        ("get", url("section_add")),
        ("get", url("section_edit", key=section.key)),
        ("get", url("section_delete", key=section.key)),
        ("post", url("section_move", key=section.key)),
        ("get", url("clause_add", key=section.key)),
        ("get", url("clause_edit", key=clause.key)),
        ("get", url("clause_delete", key=clause.key)),
        ("post", url("clause_move", key=clause.key)),
        ("get", url("clause_move_to_section", key=clause.key)),
        ("get", url("record_add", key=clause.key, kind="obligation")),
        ("get", url("record_add", key=clause.key, kind="duty")),
        ("get", url("record_add", key=clause.key, kind="relation")),
        ("get", url("record_edit", kind="obligation", pk=obligation.pk)),
        ("post", url("record_delete", kind="obligation", pk=obligation.pk)),
        ("get", url("send_for_approval")),
        ("get", url("editor_approvals")),
        ("get", url("approval_add", party_id=party.pk)),
        ("post", url("return_to_draft")),
    ]


def reading_urls(protocol):
    slug = protocol.slug
    return [
        ("get", reverse("protocols:history", kwargs={"slug": slug})),
        ("get", reverse("protocols:audit_trail", kwargs={"slug": slug})),
        ("get", reverse("protocols:compare", kwargs={"slug": slug}) + "?from=1&to=1"),
    ]


def as_role(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def allowed(response):
    if response.status_code == 302:
        return not response["Location"].startswith("/accounts/login/")
    return response.status_code in (200, 204)


def check(response, role, permitted):
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role in permitted:
        assert allowed(response), response.status_code
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_every_editing_url_admits_only_editors_of_the_protocol(client, request, protocol, role):
    """Editing pages: sign-in for anonymous, 403 for board members and other areas' managers, through for editors."""
    as_role(client, request, role)
    for method, url in editing_urls(protocol):
        response = getattr(client, method)(url)
        try:
            check(response, role, EDITORS)
        except AssertionError as error:
            raise AssertionError(f"{role} {method.upper()} {url}: {response.status_code}") from error


@pytest.mark.parametrize("role", ROLES)
def test_history_audit_and_draft_comparison_are_for_readers_of_drafts(client, request, protocol, role):
    """History, audit trail and comparing drafts: board members and editors of the area only."""
    as_role(client, request, role)
    for method, url in reading_urls(protocol):
        response = getattr(client, method)(url)
        check(response, role, READERS)


@pytest.mark.parametrize("role", ROLES)
def test_editor_home_create_and_legislation_pages_need_a_managing_role(client, request, protocol, role):
    """Only business managers (of any area) and administrators reach the editor's own pages."""
    as_role(client, request, role)
    for name in ("protocols:editor_home", "protocols:protocol_create", "accountability:legislation_review"):
        check(client.get(reverse(name)), role, MANAGERS_ANYWHERE)
    check(client.get(reverse("protocols:reviews")), role, set(ROLES) - {"anonymous"})


@pytest.mark.parametrize("name", ["editor", "editor_settings", "history", "audit_trail"])
def test_unknown_protocols_are_404(client, business_manager, name):
    """An editing or history page for a protocol that does not exist is a 404, not a 403."""
    client.force_login(business_manager)
    assert client.get(reverse(f"protocols:{name}", kwargs={"slug": "no-such-protocol"})).status_code == 404


def test_unknown_clause_is_404_for_an_editor(client, business_manager, protocol):
    client.force_login(business_manager)
    url = reverse("protocols:clause_edit", kwargs={"slug": protocol.slug, "key": "nosuchclause"})
    assert client.get(url).status_code == 404


def test_public_versions_compare_without_signing_in(client, protocol, business_manager):
    """Agreed and superseded versions are public documents, so comparing them needs no sign-in."""
    version = protocol.versions.get()
    services.version_send_for_approval(user=business_manager, version=version, change_summary="First")
    for party in version.parties.all():
        services.approval_record(
            user=business_manager,
            party=party,
            approved_on=version.created_at.date(),
            signatory_name="Chair",
            signature_kind="none",
        )
    url = reverse("protocols:compare", kwargs={"slug": protocol.slug}) + "?from=1&to=1"
    assert client.get(url).status_code == 200


def test_permission_helpers_agree_with_the_pages(protocol, business_manager, board_member, outsider, administrator):
    """The helper the views and the API share gives the same answers."""
    from django.core.exceptions import PermissionDenied

    assert can_edit_protocol(business_manager, protocol) and can_edit_protocol(administrator, protocol)
    assert not can_edit_protocol(board_member, protocol) and not can_edit_protocol(outsider, protocol)
    assert can_read_drafts(board_member, protocol) and not can_read_drafts(outsider, protocol)
    assert get_protocol_for_editing(business_manager, protocol.slug) == protocol
    with pytest.raises(PermissionDenied):
        get_protocol_for_editing(outsider, protocol.slug)
