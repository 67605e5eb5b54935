"""Every write from the browser, the API and the admin goes through the one write path (core.writes).

While a request runs, each INSERT, UPDATE and DELETE on a table of the registry's apps is recorded
with the code that issued it; a statement whose call stack does not pass through core/writes.py is
a write that skipped the lock, the revision check, the agreed-version refusal or the audit record.
"""

import os
import re
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from boards.models import Person
from core.writes import WRITE_FUNCTIONS
from protocols import services
from protocols.models import Clause, ProtocolVersion
from tests.factories import BoardFactory, ObligationFactory, PersonFactory, RelationFactory, UserFactory

pytestmark = pytest.mark.django_db

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
APP_TABLES = ("boards_", "protocols_", "accountability_", "core_")
WRITE_PATH = str(Path("core") / "writes.py")
TESTS_FOLDER = f"{os.sep}tests{os.sep}"


@contextmanager
def recorded_writes():
    """Yield a list that fills with (statement, table, writer) for each write to an app's table, where
    writer is the core.writes function it ran in, or the code that issued it outside the write path."""
    writes = []

    def record(execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and match.group(2).lower().startswith(APP_TABLES):
            # Outermost first, as extract_stack gives them, without reading each frame's line of source.
            stack = traceback.StackSummary.extract(traceback.walk_stack(sys._getframe()), lookup_lines=False)
            stack.reverse()
            inside = [frame.name for frame in stack if frame.filename.endswith(WRITE_PATH)]
            if inside:
                writer = inside[0]
            else:
                # The tests folder, not any path with "tests" in it (a checkout's own folder may have).
                ours = [f for f in stack if "site-packages" not in f.filename and TESTS_FOLDER not in f.filename]
                writer = f"OUTSIDE: {ours[-1].filename}:{ours[-1].lineno}" if ours else "OUTSIDE"
            writes.append((match.group(1).split()[0].upper(), match.group(2), writer))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield writes


def outside(writes):
    return [write for write in writes if write[2] not in WRITE_FUNCTIONS]


@pytest.fixture
def boards(area):
    return BoardFactory(areas=[area], name="Health and Wellbeing Board"), BoardFactory(areas=[area], name="LSCB")


@pytest.fixture
def draft(business_manager, area, boards):
    protocol = services.protocol_create(
        user=business_manager, area=area, title="Partnership protocol", party_boards=boards
    )
    version = protocol.versions.get()
    section = services.section_create(user=business_manager, version=version, heading="Reporting", number="3")
    services.clause_create(
        user=business_manager, section=section, text="<p>The LSCB reports annually.</p>", number="3.1"
    )
    return version


@pytest.fixture
def browser(business_manager):
    client = Client()
    client.force_login(business_manager)
    return client


@pytest.fixture
def api(business_manager):
    client = Client()
    client.force_login(business_manager)
    return client


@pytest.fixture
def admin_site_client():
    client = Client()
    client.force_login(UserFactory(username="site-admin", is_staff=True, is_superuser=True))
    return client


def editor_url(version, name, **kwargs):
    return reverse(f"protocols:{name}", kwargs={"slug": version.protocol.slug, **kwargs})


def test_the_check_sees_a_write_that_skips_the_write_path(area):
    """The guard itself: a plain ORM save is reported, with the line that made it."""
    person = PersonFactory(name="Ann Lee")
    with recorded_writes() as writes:
        Person.objects.filter(pk=person.pk).update(name="Dr Ann Lee")
    assert len(writes) == 1 and writes[0][2].startswith("OUTSIDE: ")


def test_browser_edits_write_only_through_the_write_path(browser, draft, boards):
    clause = Clause.objects.get(section__version=draft)
    prefix = f"c-{clause.key}"
    with recorded_writes() as writes:
        saved = browser.post(
            editor_url(draft, "clause_edit", key=clause.key),
            {f"{prefix}-revision": 1, f"{prefix}-number": "3.1", f"{prefix}-text": "<p>Twice a year.</p>"},
        )
        added = browser.post(
            reverse(
                "accountability:record_add",
                kwargs={"slug": draft.protocol.slug, "key": clause.key, "kind": "obligation"},
            ),
            {
                "sender": f"board:{boards[1].pk}",
                "title": "Annual report",
                "subject": "annual_report",
                "recipients": [f"board:{boards[0].pk}"],
                "frequency": "annual",
                "window_start_month": "1",
                "window_end_month": "2",
            },
        )
        sent = browser.post(editor_url(draft, "send_for_approval"), {"change_summary": "First version."})
    assert [saved.status_code, added.status_code, sent.status_code] == [302, 302, 302]
    assert draft.obligations.count() == 1
    assert ProtocolVersion.objects.get(pk=draft.pk).status == ProtocolVersion.Status.AWAITING_APPROVAL
    assert {table for _, table, _ in writes} >= {
        "protocols_clause",
        "accountability_reportingobligation",
        "accountability_obligationrecipient",
        "protocols_protocolversion",
        "core_auditrecord",
    }
    assert outside(writes) == []


def test_api_writes_go_only_through_the_write_path(api, draft, area):
    clause = Clause.objects.get(section__version=draft)
    obligation = ObligationFactory(version=draft)
    with recorded_writes() as writes:
        patched = api.patch(
            f"/api/clauses/{clause.pk}/",
            {"text": "<p>Quarterly.</p>"},
            content_type="application/json",
            HTTP_IF_MATCH="*",
        )
        board = api.post(
            "/api/boards/",
            {"name": "Knowsley CSP", "kind": "csp", "areas": [area.slug]},
            content_type="application/json",
        )
        deleted = api.delete(f"/api/obligations/{obligation.pk}/")
    assert [patched.status_code, board.status_code, deleted.status_code] == [200, 201, 204]
    assert {"protocols_clause", "boards_board", "accountability_reportingobligation"} <= {t for _, t, _ in writes}
    assert outside(writes) == []


def test_admin_writes_go_only_through_the_write_path(admin_site_client, draft):
    person = PersonFactory(name="Ann Lee")
    relations = [RelationFactory(version=draft), RelationFactory(version=draft)]
    obligation = ObligationFactory(version=draft)
    no_holdings = {"holdings-TOTAL_FORMS": 0, "holdings-INITIAL_FORMS": 0}
    with recorded_writes() as writes:
        changed = admin_site_client.post(
            f"/admin/boards/person/{person.pk}/change/", {"name": "Dr Ann Lee", "honorific": "", **no_holdings}
        )
        deleted = admin_site_client.post(
            f"/admin/accountability/reportingobligation/{obligation.pk}/delete/", {"post": "yes"}
        )
        bulk = admin_site_client.post(
            "/admin/accountability/relation/",
            {"action": "delete_selected", "_selected_action": [r.pk for r in relations], "post": "yes"},
        )
    assert [changed.status_code, deleted.status_code, bulk.status_code] == [302, 302, 302]
    assert {"boards_person", "accountability_reportingobligation", "accountability_relation"} <= {
        t for _, t, _ in writes
    }
    assert outside(writes) == []
