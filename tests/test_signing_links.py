"""Personal signing links: the business manager sends one to each signatory, who reads the version,
confirms a code emailed to them and signs or declines without an account. Expired, reused, withdrawn
and tampered links sign nothing."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import AuditRecord
from protocols import services
from protocols.models import Approval, ProtocolVersion, SignatureRequest
from tests.factories import BoardFactory, MembershipFactory, PersonFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
CLIENT = services.Client(address="192.0.2.10", user_agent="TestBrowser/1.0")
LINK = re.compile(r"/sign/([A-Za-z0-9_-]+)/")
CODE = re.compile(r"Your code is (\d{6})")


@pytest.fixture
def boards(area):
    return (
        BoardFactory(areas=[area], name="Health and Wellbeing Board", slug="hwb"),
        BoardFactory(areas=[area], name="Safeguarding Partnership", slug="sp"),
    )


@pytest.fixture
def sent(business_manager, area, boards):
    protocol = services.protocol_create(user=business_manager, area=area, title="Joint working", party_boards=boards)
    version = protocol.versions.get()
    section = services.section_create(user=business_manager, version=version, heading="Purpose", number="1")
    services.clause_create(user=business_manager, section=section, text="<p>The boards share reports.</p>")
    return services.version_send_for_approval(user=business_manager, version=version, change_summary="First")


def parties(version):
    return list(version.parties.select_related("board").order_by("position"))


def send_link(user, party, name="Ada Lovelace", email="ada@example.org", capacity="Chair"):
    mail.outbox.clear()
    request = services.signature_request_send(
        user=user, party=party, signatory_name=name, signatory_email=email, capacity=capacity, site="http://testserver"
    )
    token = LINK.search(mail.outbox[-1].body).group(1)
    return request, token


def confirm(token):
    mail.outbox.clear()
    services.signing_code_send(token=token)
    code = CODE.search(mail.outbox[-1].body).group(1)
    return services.signing_code_confirm(token=token, code=code)


def sign(token, version, text="Ada Lovelace"):
    from protocols.changes import content_mark

    return services.signing_sign(
        token=token, signature_kind="typed", signature_text=text, seen_mark=content_mark(version), client=CLIENT
    )


# Services -------------------------------------------------------------------------------------------------------


def test_a_link_is_emailed_and_only_its_hash_is_stored(business_manager, sent):
    request, token = send_link(business_manager, parties(sent)[0])
    assert mail.outbox[-1].to == ["ada@example.org"]
    assert "Health and Wellbeing Board" in mail.outbox[-1].body and "as Chair" in mail.outbox[-1].body
    assert token not in request.token_hash and len(request.token_hash) == 64
    assert not SignatureRequest.objects.filter(token_hash=token).exists()
    assert request.expires_at - request.sent_at == datetime.timedelta(days=14)
    assert AuditRecord.objects.filter(object_type="protocols.SignatureRequest", version_id=sent.pk).exists()


def test_signing_records_the_approval_through_the_approvals_service_with_its_evidence(business_manager, sent):
    request, token = send_link(business_manager, parties(sent)[0])
    confirm(token)
    signed = sign(token, sent)
    approval = Approval.objects.get(pk=signed.approval_id)
    assert (approval.signatory_name, approval.capacity, approval.signature_text) == (
        "Ada Lovelace",
        "Chair",
        "Ada Lovelace",
    )
    assert approval.approved_on == timezone.localdate() and approval.recorded_by is None
    assert signed.code_confirmed_at is not None and signed.used_at is not None
    assert signed.seen_fingerprint == services.text_fingerprint(sent)
    assert signed.client_hash == CLIENT.fingerprint() and "192.0.2.10" not in signed.client_hash
    assert approval.signature_request == signed


def test_the_version_is_agreed_when_every_signatory_has_signed_through_links(business_manager, sent):
    hwb, sp = parties(sent)
    services.party_approval_rule(user=business_manager, party=sp, signatories_expected=2)
    tokens = [
        send_link(business_manager, hwb, "Ada Lovelace", "ada@example.org")[1],
        send_link(business_manager, sp, "Grace Hopper", "grace@example.org", "Co-chair")[1],
        send_link(business_manager, sp, "Mary Somerville", "mary@example.org", "Co-chair")[1],
    ]
    for token in tokens:
        confirm(token)
        sign(token, sent)
        sent.refresh_from_db()
        assert sent.is_agreed == (token == tokens[-1])
    assert sent.agreed_record.document is not None


def test_signing_needs_the_code_confirmed(business_manager, sent):
    _request, token = send_link(business_manager, parties(sent)[0])
    with pytest.raises(Exception, match="Confirm the code"):
        sign(token, sent)
    assert not Approval.objects.exists()


def test_wrong_codes_are_limited(business_manager, sent, settings):
    settings.SIGNING_CODE_ATTEMPTS = 3
    _request, token = send_link(business_manager, parties(sent)[0])
    mail.outbox.clear()
    services.signing_code_send(token=token)
    code = CODE.search(mail.outbox[-1].body).group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(3):
        with pytest.raises(Exception, match="not right"):
            services.signing_code_confirm(token=token, code=wrong)
    with pytest.raises(Exception, match="Too many wrong codes"):
        services.signing_code_confirm(token=token, code=code)
    assert SignatureRequest.objects.get().code_confirmed_at is None


def test_a_page_seen_before_the_version_changed_signs_nothing(business_manager, sent):
    _request, token = send_link(business_manager, parties(sent)[0])
    confirm(token)
    with pytest.raises(Exception, match="changed while this page was open"):
        services.signing_sign(token=token, signature_kind="typed", signature_text="Ada", seen_mark=-1, client=CLIENT)
    assert not Approval.objects.exists()


def test_declining_records_the_reason_and_uses_the_link(business_manager, sent):
    _request, token = send_link(business_manager, parties(sent)[0])
    declined = services.signing_decline(token=token, reason="Clause 1 names the wrong board.", client=CLIENT)
    assert declined.decline_reason == "Clause 1 names the wrong board." and declined.used_at is not None
    with pytest.raises(services.SigningLinkRefused) as refused:
        services.signing_link_open(token)
    assert refused.value.kind == "used"
    assert not Approval.objects.exists()


def test_resending_makes_a_new_link_and_the_old_one_stops_working(business_manager, sent):
    request, old = send_link(business_manager, parties(sent)[0])
    mail.outbox.clear()
    services.signature_request_resend(
        user=business_manager, signature_request=request, site="http://testserver", signatory_email="ada@new.example"
    )
    new = LINK.search(mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == ["ada@new.example"] and new != old
    with pytest.raises(services.SigningLinkRefused) as refused:
        services.signing_link_open(old)
    assert refused.value.kind == "cancelled"
    assert services.signing_link_open(new).signatory_email == "ada@new.example"


def test_suggestions_come_from_the_register_post_holders(business_manager, sent, area):
    hwb = parties(sent)[0]
    post = PostFactory(title="Leader of the Council", area=area)
    MembershipFactory(board=hwb.board, post=post, capacity="chair")
    from boards.models import PostHolding

    PostHolding.objects.create(post=post, person=PersonFactory(name="Ada Lovelace"))
    assert services.signatory_suggestions(hwb) == [
        {
            "signatory_name": "Ada Lovelace",
            "signatory_email": "",
            "signatory_post_title": post.title,
            "capacity": "Chair",
        }
    ]
    send_link(business_manager, hwb)
    assert services.signatory_suggestions(hwb)[0]["signatory_email"] == "ada@example.org"


# Views ---------------------------------------------------------------------------------------------------------


def test_the_manager_sends_a_link_from_the_approvals_page(client, business_manager, sent):
    client.force_login(business_manager)
    hwb = parties(sent)[0]
    page = client.get(reverse("protocols:editor_approvals", kwargs={"slug": sent.protocol.slug}))
    url = reverse("protocols:signature_request_new", kwargs={"slug": sent.protocol.slug, "party_id": hwb.pk})
    assert url in page.content.decode()
    bad = client.post(url, {"signatory_name": "Ada", "signatory_email": "not an address"})
    assert bad.status_code == 200 and "correct format" in bad.content.decode() and not mail.outbox
    response = client.post(url, {"signatory_name": "Ada", "signatory_email": "ada@example.org", "capacity": "Chair"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    assert "http://testserver/sign/" in mail.outbox[0].body
    page = client.get(reverse("protocols:editor_approvals", kwargs={"slug": sent.protocol.slug}))
    assert "ada@example.org" in page.content.decode() and "Waiting" in page.content.decode()


def test_others_cannot_send_links(client, outsider, sent):
    client.force_login(outsider)
    url = reverse(
        "protocols:signature_request_new", kwargs={"slug": sent.protocol.slug, "party_id": parties(sent)[0].pk}
    )
    assert client.post(url, {"signatory_name": "Ada", "signatory_email": "ada@example.org"}).status_code in (403, 404)
    assert not SignatureRequest.objects.exists()


def test_the_signatory_reads_confirms_and_signs_on_the_page(client, business_manager, sent):
    _request, token = send_link(business_manager, parties(sent)[0])
    url = reverse("protocols:signing_link", kwargs={"token": token})
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    assert "The boards share reports." in body and "Health and Wellbeing Board" in body and "Chair" in body
    assert "Sign version 1" in body and 'value="sign"' not in body  # no signing before the code
    mail.outbox.clear()
    client.post(url, {"action": "send_code"})
    code = CODE.search(mail.outbox[-1].body).group(1)
    wrong = client.post(url, {"action": "confirm", "code": "12345"})
    assert "6-digit code" in wrong.content.decode()
    client.post(url, {"action": "confirm", "code": code})
    page = client.get(url)
    seen = re.search(r'name="seen" value="(\d+)"', page.content.decode()).group(1)
    done = client.post(url, {"action": "sign", "seen": seen, "signature_kind": "typed", "signature_text": "Ada L"})
    assert "You have signed" in done.content.decode()
    assert Approval.objects.get().signature_text == "Ada L"
    again = client.get(url)
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_a_code_confirmed_in_another_browser_does_not_sign_here(client, business_manager, sent):
    _request, token = send_link(business_manager, parties(sent)[0])
    confirm(token)  # confirmed elsewhere, not in this client's session
    url = reverse("protocols:signing_link", kwargs={"token": token})
    response = client.post(url, {"action": "sign", "seen": "0", "signature_kind": "typed", "signature_text": "Ada"})
    assert "in this browser" in response.content.decode()
    assert not Approval.objects.exists()


def test_an_expired_link_gets_a_clear_page_and_signs_nothing(client, business_manager, sent):
    request, token = send_link(business_manager, parties(sent)[0])
    confirm(token)
    SignatureRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    url = reverse("protocols:signing_link", kwargs={"token": token})
    response = client.post(url, {"action": "sign", "seen": "0", "signature_kind": "typed", "signature_text": "Ada"})
    assert response.status_code == 410 and "has expired" in response.content.decode()
    assert not Approval.objects.exists()


def test_a_reused_link_gets_a_clear_page_and_signs_nothing(client, business_manager, sent):
    _request, token = send_link(business_manager, parties(sent)[0])
    confirm(token)
    sign(token, sent)
    url = reverse("protocols:signing_link", kwargs={"token": token})
    response = client.post(url, {"action": "sign", "seen": "0", "signature_kind": "typed", "signature_text": "Ada"})
    assert response.status_code == 410 and "already been used to sign" in response.content.decode()
    assert Approval.objects.count() == 1


def test_a_tampered_link_gets_a_clear_page_and_signs_nothing(client, business_manager, sent):
    _request, token = send_link(business_manager, parties(sent)[0])
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    url = reverse("protocols:signing_link", kwargs={"token": tampered})
    response = client.post(url, {"action": "sign", "seen": "0", "signature_kind": "typed", "signature_text": "Ada"})
    assert response.status_code == 404 and "not valid" in response.content.decode()
    assert not Approval.objects.exists()


def test_a_declined_reason_shows_on_the_approvals_page(client, business_manager, sent):
    _request, token = send_link(business_manager, parties(sent)[0])
    url = reverse("protocols:signing_link", kwargs={"token": token})
    empty = client.post(url, {"action": "decline", "reason": ""})
    assert empty.status_code == 200 and SignatureRequest.objects.get().declined_at is None
    client.post(url, {"action": "decline", "reason": "The reporting dates are wrong."})
    client.force_login(business_manager)
    page = client.get(reverse("protocols:editor_approvals", kwargs={"slug": sent.protocol.slug})).content.decode()
    assert "Declined" in page and "The reporting dates are wrong." in page


def test_a_version_no_longer_awaiting_approval_cannot_be_signed(business_manager, sent):
    _request, token = send_link(business_manager, parties(sent)[0])
    services.version_return_to_draft(user=business_manager, version=sent)
    with pytest.raises(services.SigningLinkRefused) as refused:
        services.signing_link_open(token)
    assert refused.value.kind == "closed"
    assert ProtocolVersion.objects.get(pk=sent.pk).is_open


# Evidence on the sealed PDF and /verify/, void signatures, reminders -----------------------------------------


def agree_with_one_link(business_manager, version):
    """The first party signs through a link; the business manager records the second party's approval."""
    hwb, sp = parties(version)
    _request, token = send_link(business_manager, hwb)
    confirm(token)
    sign(token, version)
    services.approval_record(
        user=business_manager, party=sp, approved_on=datetime.date(2025, 1, 6), signatory_name="Grace Hopper"
    )
    return ProtocolVersion.objects.get(pk=version.pk)


def pdf_text(data):
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_the_sealed_pdf_certificate_and_verify_show_each_signers_evidence(business_manager, sent, client):
    from protocols import pdf

    agreed = agree_with_one_link(business_manager, sent)
    assert agreed.is_agreed
    evidence = agreed.agreed_record.document["parties"][0]["approvals"][0]["evidence"]
    link = SignatureRequest.objects.get()
    assert evidence["seen_fingerprint"] == link.seen_fingerprint and evidence["email"] == "ada@example.org"
    sealed = pdf.sealed_document(agreed).file.read()
    text = pdf_text(sealed)
    assert "Evidence of each signature" in text
    assert "through a personal signing link sent to a…@example.org" in text.replace("… @", "…@")
    assert "ada@example.org" not in text
    assert link.seen_fingerprint in text.replace(" ", "") and link.client_hash in text.replace(" ", "")
    assert "Recorded in the registry by manager" in text
    assert "Ada Lovelace, through their signing link" in text  # the timeline names who signed
    assert "By the signatory, through a personal signing link (evidence on the certificate page)" in text

    response = client.post(reverse("protocols:verify"), {"document": _upload(sealed)})
    body = response.content.decode()
    assert "How each party approved this version" in body
    assert "a…@example.org" in body and link.client_hash in body and "Void" not in body


def _upload(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("protocol.pdf", data, content_type="application/pdf")


def test_a_signature_made_on_another_text_is_void_and_says_so(business_manager, sent):
    from protocols import frozen

    agreed = agree_with_one_link(business_manager, sent)
    document = agreed.agreed_record.document
    assert [row["void"] for row in frozen.signatures_evidence(document) if row["method"] == "signing_link"] == [False]
    document["parties"][0]["approvals"][0]["evidence"]["seen_fingerprint"] = "0" * 64
    assert [row["void"] for row in frozen.signatures_evidence(document) if row["method"] == "signing_link"] == [True]


def test_a_signature_before_the_version_changed_is_void_on_the_approvals_page(client, business_manager, sent):
    from protocols.models import Clause

    hwb = parties(sent)[0]
    link, token = send_link(business_manager, hwb)
    confirm(token)
    sign(token, sent)
    clause = Clause.objects.get(section__version=sent)
    services.clause_update(
        user=business_manager, clause=clause, expected_revision=clause.revision, text="<p>The boards meet.</p>"
    )
    client.force_login(business_manager)
    page = client.get(reverse("protocols:editor_approvals", kwargs={"slug": sent.protocol.slug})).content.decode()
    assert "Void" in page and "signature is void" in page
    mail.outbox.clear()
    client.post(
        reverse("protocols:signature_request_action", kwargs={"slug": sent.protocol.slug, "pk": link.pk}),
        {"action": "resend"},
    )
    new = LINK.search(mail.outbox[-1].body).group(1)
    assert services.signing_link_open(new).signatory_email == "ada@example.org"
    assert SignatureRequest.objects.get(pk=link.pk).cancelled_at is not None


def test_reminders_go_once_after_n_days_with_a_new_link(business_manager, sent, settings):
    from django.core.management import call_command

    settings.SITE_URL = "https://registry.example.org"
    link, old = send_link(business_manager, parties(sent)[0])
    mail.outbox.clear()
    call_command("send_signing_reminders", days=5)
    assert not mail.outbox  # sent today: not yet due
    SignatureRequest.objects.filter(pk=link.pk).update(sent_at=timezone.now() - datetime.timedelta(days=6))
    call_command("send_signing_reminders", days=5)
    assert len(mail.outbox) == 1 and "A reminder" in mail.outbox[0].body
    assert "https://registry.example.org/sign/" in mail.outbox[0].body
    new = LINK.search(mail.outbox[0].body).group(1)
    assert services.signing_link_open(new).reminded_at is not None
    with pytest.raises(services.SigningLinkRefused):
        services.signing_link_open(old)
    call_command("send_signing_reminders", days=5)
    assert len(mail.outbox) == 1


def test_the_send_page_fills_in_a_post_holder_from_the_register(client, business_manager, sent, area):
    from boards.models import PostHolding

    hwb = parties(sent)[0]
    post = PostFactory(title="Independent Chair of the Board", area=area)
    MembershipFactory(board=hwb.board, post=post, capacity="co_chair")
    PostHolding.objects.create(post=post, person=PersonFactory(name="Grace Hopper"))
    client.force_login(business_manager)
    url = reverse("protocols:signature_request_new", kwargs={"slug": sent.protocol.slug, "party_id": hwb.pk})
    page = client.get(url).content.decode()
    assert "Fill in Grace Hopper, Co-chair (Independent Chair of the Board)" in page
    filled = client.get(url + "?suggestion=0").content.decode()
    assert 'value="Grace Hopper"' in filled and 'value="Co-chair"' in filled


def test_the_approvals_page_reads_links_in_a_fixed_number_of_queries(client, business_manager, sent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(business_manager)
    url = reverse("protocols:editor_approvals", kwargs={"slug": sent.protocol.slug})
    hwb, sp = parties(sent)
    send_link(business_manager, hwb)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(4):
        send_link(business_manager, sp if index % 2 else hwb, f"Signer {index}", f"s{index}@example.org")
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert page.content.decode().count("data-signing-link=") == 5
    assert len(five) == len(one)


def test_a_link_for_a_party_whose_approval_is_complete_signs_nothing(client, business_manager, sent):
    hwb = parties(sent)[0]
    _request, token = send_link(business_manager, hwb)
    services.approval_record(user=business_manager, party=hwb, approved_on=None, signatory_name="Ada Lovelace")
    response = client.get(reverse("protocols:signing_link", kwargs={"token": token}))
    assert response.status_code == 410 and "already complete" in response.content.decode()
    assert Approval.objects.count() == 1


def test_the_version_page_marks_a_signature_made_through_a_link(client, business_manager, sent, boards):
    """Awaiting approval and once agreed (read from the record of what was agreed), a signature the signatory
    made through their link says so; one the business manager recorded does not."""
    hwb, sp = parties(sent)
    token = send_link(business_manager, hwb)[1]
    confirm(token)
    sign(token, sent)
    client.force_login(business_manager)
    url = reverse("protocols:version_detail", kwargs={"slug": sent.protocol.slug, "number": sent.number})
    marker = "Signed by the signatory through a personal signing link"

    awaiting = client.get(url).content.decode()
    assert awaiting.count(marker) == 1

    services.approval_record(
        user=business_manager, party=sp, signatory_name="Grace Hopper", approved_on=timezone.localdate()
    )
    sent.refresh_from_db()
    assert sent.is_agreed
    agreed = client.get(url).content.decode()
    assert agreed.count(marker) == 1
    assert agreed.index("Ada Lovelace") < agreed.index(marker) < agreed.index("Grace Hopper")


def test_the_admin_shows_signing_links_as_evidence_and_changes_none(client, business_manager, sent):
    request, token = send_link(business_manager, parties(sent)[0])
    admin = UserFactory(username="registry-admin", is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get("/admin/protocols/signaturerequest/")
    detail = client.get(f"/admin/protocols/signaturerequest/{request.pk}/change/")
    changed = client.post(f"/admin/protocols/signaturerequest/{request.pk}/change/", {"signatory_name": "Eve"})
    deleted = client.post(f"/admin/protocols/signaturerequest/{request.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200 and "Ada Lovelace" in listing.content.decode()
    assert detail.status_code == 200 and "ada@example.org" in detail.content.decode()
    assert request.token_hash not in detail.content.decode()  # the hashes stay out of sight too
    assert client.get("/admin/protocols/signaturerequest/add/").status_code == 403
    assert changed.status_code == 403 and deleted.status_code == 403
    assert SignatureRequest.objects.get(pk=request.pk).signatory_name == "Ada Lovelace"
