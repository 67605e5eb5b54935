"""In a real browser: the business manager sends personal signing links to signatories of two parties;
each opens theirs from the email, confirms the emailed code and signs (one typed at desktop width, one
drawn on a phone-sized screen); a third declines, the manager reads why and sends the link to someone
else instead, who signs, and the version is agreed."""

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from protocols import pdf, services
from protocols.models import Approval, ProtocolVersion
from tests.browser.conftest import ARTIFACTS, assert_accessible, login
from tests.factories import BoardFactory

LINK = re.compile(r"https?://[^\s]+/sign/[A-Za-z0-9_-]+/")
CODE = re.compile(r"Your code is (\d{6})")


def last_mail_to(address):
    return [message for message in mail.outbox if address in message.to][-1].body


def send_link(page, live_server, slug, board, name, email, capacity):
    page.goto(f"{live_server.url}/protocols/{slug}/edit/approvals/")
    page.get_by_role("link", name=f"Send a signing link for {board}").click()
    page.get_by_label("Signatory's name").fill(name)
    page.get_by_label("Signatory's email address").fill(email)
    page.get_by_label("Capacity they sign in (optional)").fill(capacity)
    page.get_by_role("button", name="Send the signing link").click()
    page.get_by_text(f"Signing link sent to {name}").wait_for()
    return LINK.search(last_mail_to(email)).group(0)


def open_and_confirm(page, link, email, axe, name):
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign version 1")
    expect(page.get_by_text("The boards share their annual reports.", exact=True)).to_be_visible()
    assert_accessible(axe, page, f"signing-{name}")
    page.get_by_role("button", name="Email me a code").click()
    page.get_by_text(f"We sent a code to {email}").wait_for()
    code = CODE.search(last_mail_to(email)).group(1)
    page.get_by_label("Code from the email").fill(code)
    page.get_by_role("button", name="Confirm the code").click()
    page.get_by_text("Code confirmed. You can now sign.").wait_for()


@pytest.mark.django_db(transaction=True)
def test_signatories_sign_through_their_links_and_a_declined_one_is_replaced(
    live_server, chromium_browser, page, axe, business_manager, area
):
    hwb = BoardFactory(areas=[area], name="Health and Wellbeing Board", slug="hwb")
    sp = BoardFactory(areas=[area], name="Safeguarding Partnership", slug="sp")
    protocol = services.protocol_create(user=business_manager, area=area, title="Joint working", party_boards=[hwb, sp])
    version = protocol.versions.get()
    section = services.section_create(user=business_manager, version=version, heading="Reporting", number="1")
    services.clause_create(user=business_manager, section=section, text="<p>The boards share their annual reports.</p>")
    services.version_send_for_approval(user=business_manager, version=version, change_summary="First version")
    sp_party = version.parties.get(board=sp)
    services.party_approval_rule(user=business_manager, party=sp_party, signatories_expected=2)
    mail.outbox.clear()

    login(page, live_server, "manager")
    ada = send_link(page, live_server, protocol.slug, hwb.name, "Ada Lovelace", "ada@example.org", "Chair")
    grace = send_link(page, live_server, protocol.slug, sp.name, "Grace Hopper", "grace@example.org", "Co-chair")
    mary = send_link(page, live_server, protocol.slug, sp.name, "Mary Somerville", "mary@example.org", "Co-chair")
    assert_accessible(axe, page, "approvals-with-links")

    # Ada signs with her typed name at desktop width, in a browser of her own (no account).
    ada_context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    ada_page = ada_context.new_page()
    open_and_confirm(ada_page, ada, "ada@example.org", axe, "ada")
    ARTIFACTS.mkdir(exist_ok=True)
    ada_page.screenshot(path=str(ARTIFACTS / "signing-page-1280.png"), full_page=True)
    expect(ada_page.get_by_label("Type your full name as your signature")).to_have_value("Ada Lovelace")
    assert_accessible(axe, ada_page, "signing-confirmed")
    ada_page.get_by_role("button", name="Sign version 1").click()
    expect(ada_page.get_by_role("heading", name="You have signed")).to_be_visible()
    ada_context.close()

    # Grace draws her signature on a phone-sized screen.
    phone = chromium_browser.new_context(viewport={"width": 375, "height": 812}, locale="en-GB", has_touch=True)
    grace_page = phone.new_page()
    open_and_confirm(grace_page, grace, "grace@example.org", axe, "grace")
    width = grace_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the signing page scrolls sideways at 375 px ({width} px wide)"
    grace_page.get_by_label("Draw my signature").check()
    pad = grace_page.locator("canvas[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box["width"] <= 375
    grace_page.mouse.move(box["x"] + 20, box["y"] + 40)
    grace_page.mouse.down()
    for step in range(1, 12):
        grace_page.mouse.move(box["x"] + 20 + step * 20, box["y"] + 40 + (step % 3) * 25)
    grace_page.mouse.up()
    grace_page.screenshot(path=str(ARTIFACTS / "signing-page-375.png"), full_page=True)
    grace_page.get_by_role("button", name="Sign version 1").click()
    expect(grace_page.get_by_role("heading", name="You have signed")).to_be_visible()
    phone.close()

    # Mary declines with a reason.
    mary_context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    mary_page = mary_context.new_page()
    mary_page.goto(mary)
    mary_page.get_by_label("Why you decline to sign").fill("I no longer co-chair the partnership.")
    mary_page.get_by_role("button", name="Decline to sign").click()
    expect(mary_page.get_by_role("heading", name="You have declined to sign")).to_be_visible()
    mary_page.goto(mary)
    expect(mary_page.get_by_text("already been used to decline")).to_be_visible()
    mary_context.close()

    # The manager reads why, and sends the link to the new co-chair instead.
    page.goto(f"{live_server.url}/protocols/{protocol.slug}/edit/approvals/")
    expect(page.locator(".registry-decline-reason")).to_contain_text("I no longer co-chair the partnership.")
    page.screenshot(path=str(ARTIFACTS / "approvals-with-links-1280.png"), full_page=True)
    page.get_by_role("link", name="Change the signatory instead of Mary Somerville").click()
    page.get_by_label("Signatory's name").fill("Sofia Kovalevskaya")
    page.get_by_label("Signatory's email address").fill("sofia@example.org")
    page.get_by_role("button", name="Send the signing link").click()
    page.get_by_text("Signing link sent to Sofia Kovalevskaya").wait_for()
    sofia = LINK.search(last_mail_to("sofia@example.org")).group(0)
    sofia_context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    sofia_page = sofia_context.new_page()
    open_and_confirm(sofia_page, sofia, "sofia@example.org", axe, "sofia")
    sofia_page.get_by_role("button", name="Sign version 1").click()
    expect(sofia_page.get_by_role("heading", name="You have signed")).to_be_visible()
    sofia_context.close()

    version = ProtocolVersion.objects.get(pk=version.pk)
    assert version.is_agreed
    signed = Approval.objects.filter(party__version=version).select_related("signature_request")
    assert sorted(a.signatory_name for a in signed) == ["Ada Lovelace", "Grace Hopper", "Sofia Kovalevskaya"]
    kinds = {a.signatory_name: a.signature_kind for a in signed}
    assert kinds["Grace Hopper"] == "drawn" and kinds["Ada Lovelace"] == "typed"
    assert all(a.signature_request.code_confirmed_at for a in signed)

    # The sealed PDF's certificate lists each signatory's evidence, and /verify/ shows it for that file.
    sealed = pdf.sealed_document(version).file.read()
    certificate = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(sealed)).pages).split())
    certificate = certificate.replace("… @", "…@")
    for masked in ("a…@example.org", "g…@example.org", "s…@example.org"):
        assert f"through a personal signing link sent to {masked}" in certificate
    assert "signature drawn on screen" in certificate and "name typed as the signature" in certificate
    (ARTIFACTS / "signed.pdf").write_bytes(sealed)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("#document", str(ARTIFACTS / "signed.pdf"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="How each party approved this version")).to_be_visible()
    expect(page.locator(".registry-signatures-evidence")).to_contain_text("s…@example.org")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(axe, page, "verify-with-evidence")
    page.screenshot(path=str(ARTIFACTS / "verify-evidence-375.png"), full_page=True)
