"""OGC SensorThings API 1.1, read only, at /sta/v1.1/ (see docs/sensorthings.md)."""

from django.urls import path, re_path

from . import views

app_name = "sensorthings"
urlpatterns = [
    path("", views.resource, name="root"),
    # Resource paths carry brackets, quotes and slashes: the view resolves them itself.
    re_path(r"^(?P<path>.+)$", views.resource, name="resource"),
]
