from django.urls import path

from . import editor_views, views

app_name = "accountability"
urlpatterns = [
    path("areas/<slug:slug>/", views.area_detail, name="area_detail"),
    path("boards/<slug:slug>/", views.board_detail, name="board_detail"),
    path("compare/", views.compare_areas, name="compare_areas"),
    path("areas/<slug:slug>/map/", views.area_map, name="area_map"),
    path("areas/<slug:slug>/map.json", views.area_map_json, name="area_map_json"),
    path("areas/<slug:slug>/map.svg", views.area_map_svg, name="area_map_svg"),
    path("areas/<slug:slug>/calendar/", views.area_calendar, name="area_calendar"),
    path("areas/<slug:slug>/calendar.ics", views.area_calendar_ics, name="area_calendar_ics"),
    path("boards/<slug:slug>/calendar/", views.board_calendar, name="board_calendar"),
    path("boards/<slug:slug>/calendar.ics", views.board_calendar_ics, name="board_calendar_ics"),
    path("obligations/<int:pk>/fulfilments/new/", views.obligation_fulfilment, name="obligation_fulfilment"),
    path("protocols/<slug:slug>/versions/<int:number>/map/", views.version_map, name="version_map"),
    # Editing (the protocol editor's panels for what a clause states, and legislation reviews)
    path("protocols/<slug:slug>/edit/clauses/<str:key>/<str:kind>/new/", editor_views.record_add, name="record_add"),
    path("protocols/<slug:slug>/edit/records/<str:kind>/<int:pk>/", editor_views.record_edit, name="record_edit"),
    path(
        "protocols/<slug:slug>/edit/records/<str:kind>/<int:pk>/delete/",
        editor_views.record_delete,
        name="record_delete",
    ),
    path("reviews/legislation/", editor_views.legislation_review, name="legislation_review"),
]
