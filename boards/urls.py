from django.urls import path

from . import csv_views, views

app_name = "boards"
urlpatterns = [
    path("areas/<slug:slug>/boards/", views.area_boards, name="area_boards"),
    path("areas/<slug:slug>/register-history/", views.register_history, name="register_history"),
    # Memberships as CSV, for an area's boards or for one board.
    path(
        "areas/<slug:slug>/memberships.csv",
        csv_views.memberships_csv,
        {"kind": "area"},
        name="area_memberships_csv",
    ),
    path(
        "areas/<slug:slug>/memberships/import/",
        csv_views.memberships_import,
        {"kind": "area"},
        name="area_memberships_import",
    ),
    path(
        "boards/<slug:slug>/memberships.csv",
        csv_views.memberships_csv,
        {"kind": "board"},
        name="board_memberships_csv",
    ),
    path(
        "boards/<slug:slug>/memberships/import/",
        csv_views.memberships_import,
        {"kind": "board"},
        name="board_memberships_import",
    ),
    path("memberships/template.csv", csv_views.memberships_csv_template, name="memberships_csv_template"),
]
