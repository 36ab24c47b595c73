"""Open-data downloads, the DCAT catalogue and the CKAN read API, declared as full paths."""

from django.urls import path

from . import device_export, views

app_name = "opendata_catalogue"

urlpatterns = [
    path("data/", views.index, name="index"),
    path("data/datasets/<str:dataset_id>/", views.dataset_page, name="dataset"),
    path("data/devices.csv", device_export.devices_csv, name="devices-csv"),
    path("data/devices.geojson", device_export.devices_geojson, name="devices-geojson"),
    path("data/catalog", views.catalogue_negotiated, name="catalogue"),
    path("data/catalog.jsonld", views.catalogue_jsonld, name="catalogue-jsonld"),
    path("data/catalog.ttl", views.catalogue_turtle, name="catalogue-turtle"),
    path("api/3/action/<str:action>", views.ckan_action, name="ckan-action"),
]
