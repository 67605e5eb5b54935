from django.urls import path

from . import views

app_name = "boards"
urlpatterns = [
    path("areas/<slug:slug>/boards/", views.area_boards, name="area_boards"),
    path("areas/<slug:slug>/register-history/", views.register_history, name="register_history"),
]
