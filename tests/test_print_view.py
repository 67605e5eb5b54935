import pytest
from django.urls import reverse

from tests.factories import ClauseFactory, SectionFactory, VersionFactory


def print_url(version):
    return reverse("protocols:version_print", kwargs={"slug": version.protocol.slug, "number": version.number})


@pytest.mark.django_db
def test_the_printable_version_applies_the_print_stylesheet_on_screen(client):
    """The printable version of an agreed protocol shows its clauses with print.css for every medium."""
    version = VersionFactory(status="agreed")
    ClauseFactory(section=SectionFactory(version=version), number="4.6", text="<p>Annual report to the board.</p>")

    response = client.get(print_url(version))

    assert response.status_code == 200
    assert b'css/print.css" media="all"' in response.content
    assert b"Annual report to the board." in response.content
    page = client.get(version.get_absolute_url())
    assert b'css/print.css" media="print"' in page.content
    assert print_url(version).encode() in page.content


@pytest.mark.django_db
def test_a_draft_has_no_printable_version_for_anonymous_readers(client):
    """Drafts stay private in print too: anonymous readers get 404."""
    version = VersionFactory(status="draft")

    assert client.get(print_url(version)).status_code == 404
