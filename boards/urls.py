from django.urls import path

from . import views

app_name = "boards"
urlpatterns = [
    path("areas/<slug:slug>/", views.area_detail, name="area_detail"),
    path("areas/<slug:slug>/boards/", views.area_boards, name="area_boards"),
    path("areas/<slug:slug>/register-history/", views.register_history, name="register_history"),
    path("boards/<slug:slug>/", views.board_detail, name="board_detail"),
]
