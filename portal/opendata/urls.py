"""Open data outside the REST API: downloads and catalogue, SensorThings, Open311, CKAN."""

from django.urls import include, path

urlpatterns = [
    path("", include("portal.opendata.catalogue.urls")),
    path("sta/v1.1/", include("portal.opendata.sensorthings.urls")),
    path("open311/v2/", include("portal.opendata.open311.urls")),
]
