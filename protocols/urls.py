from django.urls import path

from . import editor_views as ed
from . import import_views, signing_views, views

app_name = "protocols"
urlpatterns = [
    path("", views.home, name="home"),
    path("protocols/<slug:slug>/", views.protocol_detail, name="protocol_detail"),
    path("protocols/<slug:slug>/versions/<int:number>/", views.version_detail, name="version_detail"),
    # Reading and exporting (issue 3)
    path("protocols/", views.protocols, name="protocol_list"),
    path("areas/<slug:area_slug>/protocols/", views.protocols, name="area_protocol_list"),
    path("protocols/<slug:slug>/versions/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path("protocols/<slug:slug>/versions/<int:number>/print/", views.version_print, name="version_print"),
    path("verify/", views.verify, name="verify"),
    path("approvals/<int:pk>/signature/", views.approval_signature, name="approval_signature"),
    path("sign/<str:token>/", signing_views.signing_link, name="signing_link"),
]

# Editing (issue 4): the editor, approvals, history, comparison, audit trail and reviews.
editing_urlpatterns = [
    path("editor/", ed.editor_home, name="editor_home"),
    path("editor/new/", ed.protocol_create, name="protocol_create"),
    path("editor/import/", import_views.import_upload, name="import_upload"),
    path("editor/import/<int:pk>/", import_views.import_review, name="import_review"),
    path("editor/import/reading/<str:token>/", import_views.import_reading, name="import_reading"),
    path("protocols/<slug:slug>/edit/import/", import_views.import_upload, name="import_version"),
    path("imports/<int:pk>/original/", import_views.import_original, name="import_original"),
    path("reviews/", ed.review_dashboard, name="reviews"),
    path("protocols/<slug:slug>/edit/", ed.editor, name="editor"),
    path("protocols/<slug:slug>/edit/start-review/", ed.start_review, name="start_review"),
    path("protocols/<slug:slug>/edit/details/", ed.protocol_settings, name="editor_settings"),
    path("protocols/<slug:slug>/edit/parties/", ed.parties, name="editor_parties"),
    path("protocols/<slug:slug>/edit/renumber/", ed.renumber, name="editor_renumber"),
    path("protocols/<slug:slug>/edit/glossary/", ed.glossary, name="editor_glossary"),
    path("protocols/<slug:slug>/edit/glossary/<int:pk>/", ed.glossary_entry_edit, name="editor_glossary_entry"),
    path("protocols/<slug:slug>/edit/sections/new/", ed.section_add, name="section_add"),
    path("protocols/<slug:slug>/edit/sections/<str:key>/", ed.section_edit, name="section_edit"),
    path("protocols/<slug:slug>/edit/sections/<str:key>/delete/", ed.section_delete, name="section_delete"),
    path("protocols/<slug:slug>/edit/sections/<str:key>/move/", ed.section_move, name="section_move"),
    path("protocols/<slug:slug>/edit/sections/<str:key>/clauses/new/", ed.clause_add, name="clause_add"),
    path("protocols/<slug:slug>/edit/clauses/<str:key>/", ed.clause_detail, name="clause_detail"),
    path("protocols/<slug:slug>/edit/clauses/<str:key>/edit/", ed.clause_edit, name="clause_edit"),
    path("protocols/<slug:slug>/edit/clauses/<str:key>/delete/", ed.clause_delete, name="clause_delete"),
    path("protocols/<slug:slug>/edit/clauses/<str:key>/move/", ed.clause_move, name="clause_move"),
    path(
        "protocols/<slug:slug>/edit/clauses/<str:key>/move-to-section/",
        ed.clause_move_to_section,
        name="clause_move_to_section",
    ),
    path("protocols/<slug:slug>/edit/send/", ed.send_for_approval, name="send_for_approval"),
    path("protocols/<slug:slug>/edit/approvals/", ed.approvals, name="editor_approvals"),
    path("protocols/<slug:slug>/edit/approvals/<int:party_id>/", ed.approval_add, name="approval_add"),
    path(
        "protocols/<slug:slug>/edit/approvals/<int:party_id>/rule/", ed.party_approval_rule, name="party_approval_rule"
    ),
    path(
        "protocols/<slug:slug>/edit/approvals/<int:party_id>/signing-link/",
        signing_views.signature_request_new,
        name="signature_request_new",
    ),
    path(
        "protocols/<slug:slug>/edit/signing-links/<int:pk>/",
        signing_views.signature_request_action,
        name="signature_request_action",
    ),
    path("protocols/<slug:slug>/edit/return-to-draft/", ed.return_to_draft, name="return_to_draft"),
    path("protocols/<slug:slug>/history/", ed.history, name="history"),
    path("protocols/<slug:slug>/history/record/", ed.record_past_version, name="record_past_version"),
    path("protocols/<slug:slug>/compare/", ed.compare, name="compare"),
    path("protocols/<slug:slug>/audit/", ed.audit_trail, name="audit_trail"),
]
urlpatterns += editing_urlpatterns
