"""/verify/ in Chromium: an altered file is a red warning, a replaced version is not shown as in force."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from core.writes import unlocked
from protocols import pdf, signing
from protocols.models import ProtocolVersion
from tests.browser.conftest import assert_accessible
from tests.factories import VersionFactory
from tests.pdf_fixtures import build_protocol

RED = "rgb(202, 53, 53)"  # GOV.UK Frontend 5 error colour


def check(page, live_server, data):
    page.goto(f"{live_server.url}/verify/")
    page.set_input_files("#document", files=[{"name": "p.pdf", "mimeType": "application/pdf", "buffer": data}])
    page.get_by_role("button", name="Check the file").click()


@pytest.mark.django_db(transaction=True)
def test_verdicts_are_said_in_proportion(live_server, page, axe, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        version = build_protocol()
        sealed = signing.seal_pdf(pdf.render_version_pdf(version, certificate=True).data)
        altered = bytearray(sealed)
        altered[altered.index(b"Joint working protocol")] = ord("X")

        check(page, live_server, bytes(altered))
        verdict = page.locator(".registry-verdict")
        expect(verdict).to_contain_text("Do not rely on this file")
        assert verdict.evaluate("e => getComputedStyle(e).borderTopColor") == RED
        assert_accessible(axe, page, "verify-altered")

        with unlocked():  # the history: version 2 was replaced by version 3
            ProtocolVersion.objects.filter(pk=version.pk).update(status=ProtocolVersion.Status.SUPERSEDED)
            VersionFactory(protocol=version.protocol, number=3, status=ProtocolVersion.Status.AGREED)
        check(page, live_server, sealed)
        expect(page.locator(".registry-verdict")).to_contain_text("Genuine, but replaced")
        assert page.locator(".registry-verdict").evaluate("e => getComputedStyle(e).backgroundColor") != (
            "rgb(0, 112, 60)"  # GOV.UK's confirmation green, for a version in force
        )
        expect(page.get_by_role("link", name="Read the version in force: version 3")).to_be_visible()
        assert_accessible(axe, page, "verify-replaced")
