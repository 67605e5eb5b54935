"""One router for every API viewset, plus the OpenAPI schema and its interactive documentation."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accountability import api as accountability_api
from accounts import api as accounts_api
from boards import api as boards_api
from core.api_errors import not_found
from protocols import api as protocols_api
from protocols import import_api

router = DefaultRouter()
router.register("areas", boards_api.AreaViewSet, basename="area")
router.register("boards", boards_api.BoardViewSet, basename="board")
router.register("posts", boards_api.PostViewSet, basename="post")
router.register("people", boards_api.PersonViewSet, basename="person")
router.register("memberships", boards_api.MembershipViewSet, basename="membership")
router.register("post-holdings", boards_api.HoldingViewSet, basename="post-holding")
router.register("protocols", protocols_api.ProtocolViewSet, basename="protocol")
router.register("versions", protocols_api.VersionViewSet, basename="version")
router.register("sections", protocols_api.SectionViewSet, basename="section")
router.register("clauses", protocols_api.ClauseViewSet, basename="clause")
router.register("glossary-entries", protocols_api.GlossaryEntryViewSet, basename="glossary-entry")
router.register("approvals", protocols_api.ApprovalViewSet, basename="approval")
router.register("imports", import_api.ImportViewSet, basename="import")
router.register("parties", protocols_api.PartyViewSet, basename="party")
router.register("legal-instruments", accountability_api.LegalInstrumentViewSet, basename="legal-instrument")
router.register("legal-references", accountability_api.LegalReferenceViewSet, basename="legal-reference")
router.register("duties", accountability_api.DutyViewSet, basename="duty")
router.register("obligations", accountability_api.ObligationViewSet, basename="obligation")
router.register("obligation-fulfilments", accountability_api.FulfilmentViewSet, basename="obligation-fulfilment")
router.register("relations", accountability_api.RelationViewSet, basename="relation")
router.register("meetings", accountability_api.MeetingViewSet, basename="meeting")
router.register("priorities", accountability_api.PriorityViewSet, basename="priority")
router.register("escalation-routes", accountability_api.EscalationRouteViewSet, basename="escalation-route")
router.register("graph", accountability_api.GraphViewSet, basename="graph")

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("auth/token/", accounts_api.TokenView.as_view(), name="auth-token"),
    # The documentation pages are third-party bundles: Swagger UI's start-up script is served as a file
    # (the split view), its few inline styles and Redoc's inline start-up and styles are allowed on these pages only.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        csp_update({"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    *router.urls,
    re_path(r"^[\s\S]*$", not_found),  # [\s\S]: even a path with a newline gets the JSON 404
]
