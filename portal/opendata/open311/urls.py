"""GeoReport v2 at /open311/v2/; every resource ends in its format, .json or .xml."""

from django.urls import re_path

from . import views

app_name = "open311"

# Any extension is matched so that an unsupported one (.csv) gets a GeoReport error, not a
# bare HTML 404.
FORMAT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})"

urlpatterns = [
    re_path(rf"^services{FORMAT}$", views.services, name="services"),
    re_path(rf"^services/(?P<code>[\w-]+){FORMAT}$", views.service_definition, name="service"),
    re_path(rf"^requests{FORMAT}$", views.requests, name="requests"),
    re_path(rf"^requests/(?P<reference>[\w-]+){FORMAT}$", views.request_detail, name="request"),
    re_path(rf"^servicerequestupdates{FORMAT}$", views.request_updates, name="updates"),
    re_path(r"^(?P<resource>services|requests|servicerequestupdates)/?$", views.no_format),
]
