"""The load benchmark's simulated users ask only for pages that exist (benchmarks/load_plan.py, whose
paths and routes benchmarks/locustfile.py requests), so its figures are of real pages, not of 404s."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve

from benchmarks.load_plan import MANAGER_AREA, MANAGERS, ROUTES, build_plan
from boards.models import Area, RoleAssignment
from protocols import services
from protocols.models import Protocol, ProtocolVersion
from tests.conftest import load_demo, module_data
from tests.factories import RoleAssignmentFactory, UserFactory


def load():
    load_demo()
    call_command("create_demo_accounts", stdout=io.StringIO())


demo_with_accounts = module_data(load)

# The view each of the managers' routes must reach (the URL names of protocols/urls.py and the API router).
VIEWS = {
    "sign_in": "login",
    "editor": "editor",
    "start_review": "start_review",
    "clause_edit": "clause_edit",
    "send_for_approval": "send_for_approval",
    "approvals": "editor_approvals",
    "approval_add": "approval_add",
    "history": "history",
    "version": "version_detail",
    "version_pdf": "version_pdf",
    "api_open_versions": "version-list",
    "api_clauses": "clause-list",
    "api_clause": "clause-detail",
}


@pytest.fixture
def plan(demo_with_accounts, db):
    agreed = ProtocolVersion.objects.agreed().select_related("protocol").order_by("pk")
    return build_plan(pdf_versions=agreed[:1], sample=5)


def test_each_kind_of_page_a_reader_or_member_asks_for_is_served(plan, client):
    """Every path resolves to a view, and the first of each kind answers 200, to readers and to members."""
    for kind, paths in plan["readers"].items():
        assert paths, kind
        for path in paths:
            resolve(urlsplit(path).path)
        if kind != "agreed version PDF":  # drawing a PDF is bench_pdf's and test_pdf's business
            assert client.get(paths[0]).status_code == 200, (kind, paths[0])
    assert resolve(plan["readers"]["agreed version PDF"][0]).url_name == "version_pdf"
    assert plan["members"], "no board member with boards and versions to read"
    member = plan["members"][0]
    client.force_login(RoleAssignment.objects.get(user__username=member["username"]).user)
    for kind, paths in member["paths"].items():
        assert paths, kind
        assert client.get(paths[0]).status_code == 200, (kind, paths[0])


def test_the_business_managers_routes_are_the_editor_pages_they_use(plan, client):
    """With a draft open, each route a manager follows answers: editor, clause form, approvals, API."""
    protocol = Protocol.objects.get(slug=plan["managers"][0]["protocol"])
    assert protocol.area.slug == MANAGER_AREA
    assert [manager["username"] for manager in plan["managers"]] == MANAGERS
    manager = UserFactory()
    RoleAssignmentFactory(
        user=manager, role=RoleAssignment.Role.BUSINESS_MANAGER, area=Area.objects.get(slug=MANAGER_AREA)
    )
    draft = services.version_start_review(user=manager, protocol=protocol)
    clause = draft.sections.order_by("position").first().clauses.order_by("position").first()
    party = draft.parties.order_by("position").first()
    values = {"slug": protocol.slug, "key": clause.key, "party": party.pk, "number": draft.number}
    values |= {"version": draft.pk, "clause": clause.pk}
    client.force_login(manager)
    assert set(ROUTES) == set(VIEWS)
    for name, route in ROUTES.items():
        path = route.format(**values)
        assert resolve(urlsplit(path).path).url_name == VIEWS[name], name
        if name in {"start_review", "approval_add", "version_pdf"}:
            continue  # a POST only; a form only while awaiting approval; a draft's PDF is drawn on request
        assert client.get(path).status_code == 200, (name, path)
