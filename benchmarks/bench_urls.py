"""The project's URLs plus /bench-noop/, a view that does nothing: the floor the framework and middleware set."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def noop(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench-noop/", noop), *project_urlpatterns]
