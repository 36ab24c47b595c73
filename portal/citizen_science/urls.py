from django.urls import path

from . import downloads

app_name = "citizen_science"

# Wagtail only serves paths ending in a slash, so the downloads are plain Django views.
urlpatterns = [
    path("science/<slug:slug>/readings.csv", downloads.readings_csv, name="readings-csv"),
    path(
        "science/<slug:slug>/readings.geojson", downloads.readings_geojson, name="readings-geojson"
    ),
]
