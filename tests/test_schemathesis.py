"""Property-based run of every operation in /api/schema/: no 5xx, and no response the schema does not describe.

Schemathesis generates requests from the OpenAPI document (valid and invalid parameters and bodies)
and sends them through the WSGI application as an administrator, so writes reach the services too.

On PostgreSQL, the production database, each operation gets schemathesis's coverage phase (every
boundary and invalid value the schema implies, about 150-200 requests for an operation with a body) and
five generated examples. The coverage phase is most of the module's time, so on SQLite, the development
default, each operation gets ten generated examples instead, positive and negative (derandomized, so the
same ones each run): every operation but one still receives invalid requests as well as valid ones (the
exception, an area by its slug, takes any string; its only invalid requests come from the coverage phase).
"""

# ruff: noqa: F403, F405
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api_support import *

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def load_schema():
    """The schema as a client fetches it, through the WSGI app (no database needed)."""
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


schema = load_schema()
ON_POSTGRESQL = connection.vendor == "postgresql"
if not ON_POSTGRESQL:
    schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture
def keep_test_connection():
    """Requests go straight to the WSGI handler, which closes stale connections when a request ends;
    inside a test's transaction that would close the test's own connection (Django's test client
    disconnects the same signal handler for the same reason)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers(administrator, area, keep_test_connection):
    build_knowsley(area)
    token = client_for(administrator)._credentials["HTTP_AUTHORIZATION"]
    return {"Authorization": token}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=5 if ON_POSTGRESQL else 10,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_conforms_to_the_schema(case, admin_headers):
    """Whatever is sent, the answer is documented: its status, content type, headers and body shape."""
    case.call_and_validate(headers=admin_headers, checks=CHECKS)
