from django.urls import path

from . import views

app_name = "accountability"
urlpatterns = [
    path("areas/<slug:slug>/map/", views.area_map, name="area_map"),
    path("areas/<slug:slug>/map.json", views.area_map_json, name="area_map_json"),
    path("areas/<slug:slug>/map.svg", views.area_map_svg, name="area_map_svg"),
    path("areas/<slug:slug>/calendar/", views.area_calendar, name="area_calendar"),
    path("areas/<slug:slug>/calendar.ics", views.area_calendar_ics, name="area_calendar_ics"),
    path("boards/<slug:slug>/calendar/", views.board_calendar, name="board_calendar"),
    path("boards/<slug:slug>/calendar.ics", views.board_calendar_ics, name="board_calendar_ics"),
    path("obligations/<int:pk>/fulfilments/new/", views.obligation_fulfilment, name="obligation_fulfilment"),
    path("protocols/<slug:slug>/versions/<int:number>/map/", views.version_map, name="version_map"),
]
