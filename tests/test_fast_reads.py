"""The short answers of protocols.middleware: an anonymous reader's agreed version page from the whole response
kept for such readers, and a sealed PDF streamed from its file in one query. Neither ever shows a draft to
someone who may not read it, one reader's page to another, or anything older than the last change."""

import hashlib
import os

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.base import ContentFile
from django.db import InterfaceError, connection
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from boards import services as board_services
from core.models import ChangeCounter
from core.writes import current_change, unlocked
from protocols import page_cache, pdf, views
from protocols.frozen import freeze
from protocols.models import ProtocolVersion, RenderedDocument
from tests.factories import ProtocolFactory, VersionFactory
from tests.pdf_fixtures import build_protocol

# The change counters' rows, as a migrated database has them (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("counter_rows")


Status = ProtocolVersion.Status


@pytest.fixture
def agreed(area):
    version = build_protocol(area=area)
    freeze(version)
    return version


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# Agreed versions' pages for anonymous readers -----------------------------------------------------------------


def test_an_anonymous_readers_page_is_answered_from_the_kept_response_in_one_query(client, agreed):
    """The first anonymous reader's page is kept whole; the next costs only the change counter's query."""
    for url in (
        agreed.get_absolute_url(),
        reverse("protocols:version_print", args=[agreed.protocol.slug, agreed.number]),
    ):
        first, drawn = get(client, url)
        again, kept = get(client, url)
        assert first.status_code == again.status_code == 200
        assert kept == 1 < drawn
        assert again.content == first.content
        for header in ("ETag", "Content-Security-Policy", "X-Frame-Options", "Cache-Control", "Content-Type"):
            assert again[header] == first[header], header


def test_an_anonymous_readers_unchanged_page_is_answered_not_modified_in_one_query(client, agreed):
    first = client.get(agreed.get_absolute_url())
    response, queries = get(client, agreed.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304 and queries == 1
    other_cookies = {"HTTP_IF_NONE_MATCH": first["ETag"], "HTTP_COOKIE": "csrftoken=abc; theme=dark"}
    assert client.get(agreed.get_absolute_url(), **other_cookies).status_code == 304  # not a session: same page
    assert client.get(agreed.get_absolute_url(), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_an_edit_shows_on_the_next_anonymous_request(client, agreed, administrator):
    client.get(agreed.get_absolute_url())
    etag = client.get(agreed.get_absolute_url())["ETag"]
    board = agreed.parties.get(position=0).board
    board_services.board_update(
        user=administrator, board=board, expected_revision=board.revision, name="Knowsley Safeguarding Partnership"
    )
    response, queries = get(client, agreed.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag and queries > 1
    parties = response.content.decode().split("Parties</dt>")[1].split("</dd>")[0]
    assert "Knowsley Safeguarding Partnership" in parties


def test_signed_in_readers_and_anonymous_readers_never_get_each_others_page(client, agreed, business_manager):
    url = agreed.get_absolute_url()
    client.get(url)
    client.get(url)  # kept for anonymous readers
    client.force_login(business_manager)
    signed_in = client.get(url).content.decode()
    assert "Sign out manager" in signed_in and "Edit or start a review" in signed_in
    client.get(url)  # a second signed-in request: the body from the cache, never the kept response
    assert "Sign out manager" in client.get(url).content.decode()
    client.logout()
    for _ in range(2):
        public = client.get(url).content.decode()
        assert "Sign out" not in public and "Edit or start a review" not in public and "Sign in" in public


def test_a_signed_in_readers_page_is_never_kept_whole(client, agreed, board_member):
    client.force_login(board_member)
    client.get(agreed.get_absolute_url())
    response, queries = get(client, agreed.get_absolute_url())
    # The counter, the version with its fingerprint, the session, the user, the user's roles, whether they may edit.
    assert response.status_code == 200 and queries == 6
    assert "private" in response["Cache-Control"]


def test_a_reader_with_a_message_waiting_sees_it_and_no_one_else_does(client, agreed):
    url = agreed.get_absolute_url()
    client.get(url)
    client.get(url)
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[CookieStorage.cookie_name] = storage._encode([Message(constants.SUCCESS, "Your change was saved")])
    assert "Your change was saved" in client.get(url).content.decode()
    del client.cookies[CookieStorage.cookie_name]
    response, queries = get(client, url)
    assert "Your change was saved" not in response.content.decode() and queries == 1


def test_a_page_with_a_csrf_token_is_not_kept(client, agreed, monkeypatch):
    """Should the page ever carry a CSRF token (a form), the response is this reader's alone."""
    render = views.render

    def render_with_token(request, *args, **kwargs):
        get_token(request)
        return render(request, *args, **kwargs)

    monkeypatch.setattr(views, "render", render_with_token)
    client.get(agreed.get_absolute_url())
    _, queries = get(client.__class__(), agreed.get_absolute_url())
    assert queries > 1


def test_drafts_are_never_kept_or_shown_to_anonymous_readers(client, area, board_member):
    draft = build_protocol(area=area, status=Status.DRAFT, slug="draft-protocol")
    client.force_login(board_member)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.logout()
    for _ in range(2):
        response, queries = get(client, draft.get_absolute_url())
        assert response.status_code == 404 and queries > 1


def test_the_fast_paths_query_also_checks_a_reused_connection(agreed, monkeypatch):
    """Django checks a reused connection with `SELECT 1` before a request's first query; the fast path's one
    query is that check, so an answer costs one round trip to the database, not two."""
    checks = []
    is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or is_usable())
    connection.ensure_connection()
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setattr(connection, "health_check_done", False)
    assert page_cache.first_query(current_change) == ChangeCounter.objects.get(scope="all").value
    assert connection.health_check_done and checks == []


def test_a_fast_path_on_a_connection_that_was_lost_closes_it_and_asks_again(db, monkeypatch):
    """Should the reused connection have died (a database restart), the query fails as the check would have:
    the connection is closed as the check would close it, and the query runs again on a new one."""
    connection.ensure_connection()
    closed, asked = [], []

    def query():
        asked.append(1)
        if len(asked) == 1:
            raise InterfaceError("connection already closed")
        return "the answer"

    with monkeypatch.context() as patch:  # undone before the test's transaction is rolled back
        patch.setattr(connection, "health_check_enabled", True)
        patch.setattr(connection, "health_check_done", False)
        patch.setattr(connection, "in_atomic_block", False)  # as in a request (a test runs in a transaction)
        patch.setattr(connection, "close", lambda: closed.append(1))
        assert page_cache.first_query(query) == "the answer"
    assert asked == [1, 1] and closed == [1]


# Sealed PDFs --------------------------------------------------------------------------------------------------


def store(version, data, name="sealed.pdf"):
    """A stored sealed PDF standing in for a drawn one (drawing and sealing is tested in test_pdf)."""
    return RenderedDocument.objects.create(
        version=version,
        renderer_version=pdf.RENDERER_VERSION,
        file=ContentFile(data, name=name),
        content_fingerprint="f" * 64,
        file_sha256=hashlib.sha256(data).hexdigest(),
        page_count=1,
        sealed=True,
    )


def pdf_url(version):
    return reverse("protocols:version_pdf", args=[version.protocol.slug, version.number])


def test_a_sealed_pdf_is_streamed_in_one_query_with_its_validators(client, agreed, media, board_member):
    data = b"%PDF-1.7\n% sealed\n%%EOF\n"
    stored = store(agreed, data)
    for reader in (None, board_member):  # the same public copy for everyone
        if reader:
            client.force_login(reader)
        response, queries = get(client, pdf_url(agreed))
        assert queries == 1 and response.status_code == 200
        assert body(response) == data
        assert response["Content-Length"] == str(len(data))
        assert response["Content-Type"] == "application/pdf"
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="{agreed.protocol.slug}-version-{agreed.number}.pdf"'
        )
        assert response["ETag"] == f'"{stored.file_sha256}"'
        assert response["Last-Modified"] == http_date(os.stat(stored.file.path).st_mtime)
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_sealed_pdf_is_answered_not_modified_by_etag_or_date(client, agreed, media):
    store(agreed, b"%PDF-1.7\n% sealed\n%%EOF\n")
    first = client.get(pdf_url(agreed))
    for condition in ({"HTTP_IF_NONE_MATCH": first["ETag"]}, {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]}):
        response, queries = get(client, pdf_url(agreed), **condition)
        assert response.status_code == 304 and queries == 1, condition
        assert response["ETag"] == first["ETag"] and "immutable" in response["Cache-Control"]
    assert client.get(pdf_url(agreed), HTTP_IF_NONE_MATCH='"another"').status_code == 200
    assert client.get(pdf_url(agreed), HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_a_pdf_sealed_again_is_served_at_once_never_the_old_file(client, agreed, media):
    """A new seal (a rotated key) writes a new file; the old one may stay on disk, and is never served again."""
    old = b"%PDF-1.7\n% sealed with the old key\n%%EOF\n"
    stored = store(agreed, old, name="first.pdf")
    first = client.get(pdf_url(agreed))
    assert body(first) == old
    old_path = stored.file.path
    new = b"%PDF-1.7\n% sealed with the new key\n%%EOF\n"
    stored.file.save("second.pdf", ContentFile(new), save=False)
    stored.file_sha256 = hashlib.sha256(new).hexdigest()
    stored.save(update_fields=["file", "file_sha256"])
    os.utime(stored.file.path, (os.stat(old_path).st_mtime + 60,) * 2)
    assert os.path.exists(old_path)
    for condition in ({}, {"HTTP_IF_NONE_MATCH": first["ETag"]}, {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]}):
        response = client.get(pdf_url(agreed), **condition)
        assert response.status_code == 200 and body(response) == new, condition
        assert response["ETag"] == f'"{stored.file_sha256}"'


def test_a_pdf_redrawn_into_the_same_file_is_served_with_its_new_validators(client, agreed, media):
    stored = store(agreed, b"%PDF-1.7\n% first\n%%EOF\n")
    first = client.get(pdf_url(agreed))
    new = b"%PDF-1.7\n% drawn and sealed again\n%%EOF\n"
    with open(stored.file.path, "wb") as file:
        file.write(new)
    os.utime(stored.file.path, (os.stat(stored.file.path).st_mtime + 60,) * 2)
    RenderedDocument.objects.filter(pk=stored.pk).update(file_sha256=hashlib.sha256(new).hexdigest())
    response = client.get(pdf_url(agreed), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200 and body(response) == new
    assert response["Last-Modified"] != first["Last-Modified"] and response["ETag"] != first["ETag"]


def test_an_address_given_to_another_version_serves_that_versions_pdf(client, area, media):
    """The fast path remembers which version an address names; a deleted protocol's address used again by a new
    one (generated data cleared and made again) serves the new version's PDF, never the old one's."""
    old_version = VersionFactory(protocol=ProtocolFactory(area=area, slug="reused"), status=Status.AGREED)
    store(old_version, b"%PDF-1.7\n% the first protocol\n%%EOF\n", name="old.pdf")
    assert body(client.get(pdf_url(old_version))) == b"%PDF-1.7\n% the first protocol\n%%EOF\n"
    with unlocked():
        old_version.protocol.delete()
    new_version = VersionFactory(
        protocol=ProtocolFactory(area=area, slug="reused"), number=old_version.number, status=Status.AGREED
    )
    new = b"%PDF-1.7\n% the second protocol\n%%EOF\n"
    store(new_version, new, name="new.pdf")
    assert pdf_url(new_version) == pdf_url(old_version)
    assert body(client.get(pdf_url(new_version))) == new
    response, queries = get(client, pdf_url(new_version))
    assert body(response) == new and queries == 1


def test_a_missing_file_goes_to_the_view_which_draws_it_again(client, agreed, media):
    stored = store(agreed, b"%PDF-1.7\n%%EOF\n")
    os.remove(stored.file.path)
    response = client.get(pdf_url(agreed))
    assert response.status_code == 200 and "Preparing your PDF" in response.content.decode()


def test_a_drafts_pdf_keeps_the_full_permission_check(client, area, board_member, media):
    """Even a stored file wrongly marked sealed is never served for a draft without the reader's rights."""
    draft = build_protocol(area=area, status=Status.DRAFT, slug="draft-protocol")
    store(draft, b"%PDF-1.7\n% not for the public\n%%EOF\n")
    response = client.get(pdf_url(draft))
    assert response.status_code == 404
    client.force_login(board_member)
    response = client.get(pdf_url(draft))  # the view: a draft has no stored copy, it is drawn on request
    assert response.status_code == 200 and b"not for the public" not in body(response)


def test_the_view_serves_a_stored_pdf_with_the_same_validators(client, agreed, media, settings):
    """Where the middleware stands aside (storage that is not a local folder), the view answers the same way."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "protocols.middleware.FastReadsMiddleware"]
    data = b"%PDF-1.7\n% sealed\n%%EOF\n"
    stored = store(agreed, data)
    response = client.get(pdf_url(agreed))
    assert body(response) == data and response["ETag"] == f'"{stored.file_sha256}"'
    assert response["Last-Modified"] == http_date(os.stat(stored.file.path).st_mtime)
    assert client.get(pdf_url(agreed), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    assert client.get(pdf_url(agreed), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
