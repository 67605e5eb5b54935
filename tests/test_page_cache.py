"""Agreed versions' pages are drawn once and cached, keyed by everything they show: an edit anywhere shows
on the next request, drafts are never cached, and an unchanged page is answered 304 Not Modified."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards import services as board_services
from core import page_cache as core_page_cache
from core.models import ChangeCounter
from core.writes import current_change, note_change
from protocols import page_cache, pdf
from protocols.frozen import freeze
from protocols.models import ProtocolVersion, RenderedDocument
from protocols.services import version_start_review
from tests.pdf_fixtures import build_protocol

# The change counters' rows, as a migrated database has them (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("counter_rows")


Status = ProtocolVersion.Status


@pytest.fixture
def agreed(area):
    version = build_protocol(area=area)
    freeze(version)
    return version


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_an_agreed_version_page_is_drawn_once_and_then_served_from_the_cache(client, agreed):
    """The second anonymous request reads one query (the change counter: the whole response is kept for readers
    who are not signed in, see test_fast_reads) instead of thirty-odd, and shows the same page."""
    drawn, first = queries_for(client, agreed.get_absolute_url())
    cached, second = queries_for(client, agreed.get_absolute_url())
    assert cached == 1 < drawn
    assert first == second
    print_url = reverse("protocols:version_print", args=[agreed.protocol.slug, agreed.number])
    assert queries_for(client, print_url)[0] > 3  # the print page is cached under its own key
    assert queries_for(client, print_url)[0] == 1


def test_a_board_renamed_shows_on_the_next_request(client, agreed, administrator):
    """The page shows boards' names as they are today (the sealed PDF keeps them as agreed)."""
    client.get(agreed.get_absolute_url())
    board = agreed.parties.get(position=0).board
    board_services.board_update(
        user=administrator, board=board, expected_revision=board.revision, name="Knowsley Safeguarding Partnership"
    )
    html = client.get(agreed.get_absolute_url()).content.decode()
    parties = html.split("Parties</dt>")[1].split("</dd>")[0]  # the glossary quotes the old name as written
    assert "Knowsley Safeguarding Partnership" in parties and "Knowsley Safeguarding Children Board" not in parties


def test_a_new_draft_shows_among_the_other_versions_to_those_who_may_read_it(client, agreed, business_manager):
    """Starting a review changes what the agreed version's page lists to its readers, at once; anonymous
    readers still do not see the draft."""
    client.force_login(business_manager)
    before = client.get(agreed.get_absolute_url()).content.decode()
    assert "This is the only version you can read." in before and "Edit or start a review" in before
    draft = version_start_review(user=business_manager, protocol=agreed.protocol)
    after = client.get(agreed.get_absolute_url()).content.decode()
    assert f'href="{draft.get_absolute_url()}"' in after
    client.logout()
    public = client.get(agreed.get_absolute_url()).content.decode()
    assert f'href="{draft.get_absolute_url()}"' not in public and "Edit or start a review" not in public


def test_readers_with_other_rights_get_their_own_copy(client, agreed, business_manager, board_member, outsider):
    """A copy drawn for a business manager (with the editor's link) is never served to anyone else."""
    client.force_login(business_manager)
    assert "Edit or start a review" in client.get(agreed.get_absolute_url()).content.decode()
    for reader in (board_member, outsider):
        client.force_login(reader)
        assert "Edit or start a review" not in client.get(agreed.get_absolute_url()).content.decode()
    client.logout()
    assert "Version history" not in client.get(agreed.get_absolute_url()).content.decode()


def test_drafts_are_never_cached(client, area, board_member):
    draft = build_protocol(area=area, status=Status.DRAFT, slug="draft-protocol")
    client.force_login(board_member)
    first, _ = queries_for(client, draft.get_absolute_url())
    again, _ = queries_for(client, draft.get_absolute_url())
    assert first == again > 3
    assert "ETag" not in client.get(draft.get_absolute_url())


def test_an_unchanged_page_is_answered_not_modified_and_a_changed_one_in_full(client, agreed, administrator):
    response = client.get(agreed.get_absolute_url())
    etag = response["ETag"]
    assert response["Cache-Control"] == "no-cache"
    assert client.get(agreed.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    board = agreed.parties.get(position=1).board
    board_services.board_update(user=administrator, board=board, expected_revision=board.revision, short_name="HWB2")
    changed = client.get(agreed.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    client.force_login(administrator)  # another sign-in state draws another header: no 304 for it
    assert client.get(agreed.get_absolute_url(), HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 200


def test_every_audited_change_moves_the_change_counter_on(agreed, administrator):
    before = current_change()
    board = agreed.parties.get(position=0).board
    board_services.board_update(user=administrator, board=board, expected_revision=board.revision, short_name="KSCP")
    assert current_change() == before + 1


def test_a_new_release_of_the_templates_draws_the_page_afresh(client, agreed, monkeypatch):
    client.get(agreed.get_absolute_url())
    monkeypatch.setattr(page_cache, "release", lambda: "another-release")  # the page's body
    monkeypatch.setattr(core_page_cache, "release", lambda: "another-release")  # the whole response kept
    assert queries_for(client, agreed.get_absolute_url())[0] > 3


def store_sealed_pdf(version):
    """A stored sealed PDF standing in for a drawn one (drawing and sealing is tested in test_pdf)."""
    data = b"%PDF-1.7\n% a sealed copy\n%%EOF\n"
    return RenderedDocument.objects.create(
        version=version,
        renderer_version=pdf.RENDERER_VERSION,
        file=ContentFile(data, name="sealed.pdf"),
        content_fingerprint="f" * 64,
        file_sha256=hashlib.sha256(data).hexdigest(),
        page_count=1,
        sealed=True,
    ), data


def test_a_sealed_pdf_is_streamed_with_its_size_etag_and_a_long_public_lifetime(client, agreed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored, data = store_sealed_pdf(agreed)
    url = reverse("protocols:version_pdf", args=[agreed.protocol.slug, agreed.number])
    response = client.get(url)
    assert b"".join(response.streaming_content) == data
    assert response["Content-Length"] == str(len(data))
    assert response["ETag"] == f'"{stored.file_sha256}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"another"').status_code == 200


def test_a_drafts_pdf_is_neither_kept_nor_answered_not_modified(client, area, board_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = build_protocol(area=area, status=Status.DRAFT, slug="draft-protocol")
    client.force_login(board_member)
    url = reverse("protocols:version_pdf", args=[draft.protocol.slug, draft.number]) + "?generate=1"
    response = client.get(url, HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"] and "ETag" not in response


def test_a_calendar_feed_is_answered_not_modified_until_something_changes(client, agreed, administrator):
    url = f"/areas/{agreed.protocol.area.slug}/calendar.ics"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    board_url = f"/boards/{agreed.parties.get(position=0).board.slug}/calendar.ics"
    assert client.get(board_url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200  # each feed its own tag
    board = agreed.parties.get(position=0).board
    board_services.board_update(user=administrator, board=board, expected_revision=board.revision, short_name="KSCP")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_the_change_counter_comes_back_with_the_first_change_after_it_was_lost():
    """Without its row nothing is cached (current_change is None); the next change makes the row again."""
    ChangeCounter.objects.all().delete()
    assert current_change() is None
    note_change()
    assert current_change() == 1
