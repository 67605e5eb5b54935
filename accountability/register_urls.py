"""The register pages of an area, for its business managers and administrators (see register_views)."""

from django.urls import path

from . import register_views as views

app_name = "register"
urlpatterns = [
    path("areas/<slug:slug>/register/", views.register_home, name="home"),
    path("areas/<slug:slug>/register/boards/new/", views.board_new, name="board_new"),
    path("areas/<slug:slug>/register/boards/<slug:board_slug>/", views.board_detail, name="board_detail"),
    path("areas/<slug:slug>/register/boards/<slug:board_slug>/change/", views.board_change, name="board_change"),
    path(
        "areas/<slug:slug>/register/boards/<slug:board_slug>/statutory-basis/new/",
        views.legal_basis_add,
        name="legal_basis_add",
    ),
    path(
        "areas/<slug:slug>/register/boards/<slug:board_slug>/statutory-basis/legislation/new/",
        views.instrument_add,
        name="instrument_add",
    ),
    path(
        "areas/<slug:slug>/register/boards/<slug:board_slug>/statutory-basis/<int:pk>/remove/",
        views.legal_basis_remove,
        name="legal_basis_remove",
    ),
    path(
        "areas/<slug:slug>/register/boards/<slug:board_slug>/members/new/", views.membership_new, name="membership_new"
    ),
    path("areas/<slug:slug>/register/memberships/<int:pk>/", views.membership_detail, name="membership_detail"),
    path("areas/<slug:slug>/register/memberships/<int:pk>/change/", views.membership_change, name="membership_change"),
    path("areas/<slug:slug>/register/memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("areas/<slug:slug>/register/posts/new/", views.post_new, name="post_new"),
    path("areas/<slug:slug>/register/posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("areas/<slug:slug>/register/posts/<int:pk>/change/", views.post_change, name="post_change"),
    path("areas/<slug:slug>/register/posts/<int:pk>/holders/new/", views.holding_new, name="holding_new"),
    path("areas/<slug:slug>/register/holdings/<int:pk>/change/", views.holding_change, name="holding_change"),
    path("areas/<slug:slug>/register/holdings/<int:pk>/end/", views.holding_end, name="holding_end"),
    path("areas/<slug:slug>/register/people/new/", views.person_new, name="person_new"),
    path("areas/<slug:slug>/register/people/<int:pk>/", views.person_detail, name="person_detail"),
    path("areas/<slug:slug>/register/people/<int:pk>/change/", views.person_change, name="person_change"),
]
