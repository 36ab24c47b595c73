from django.urls import path

from portal.opendata.catalogue.freshness import readings_download_version, with_freshness

from . import downloads

app_name = "citizen_science"

# ETag, Last-Modified, 304s and the licence link, like every other file in the open-data catalogue.
fresh = with_freshness(readings_download_version)

# Wagtail only serves paths ending in a slash, so the downloads are plain Django views.
urlpatterns = [
    path("science/<slug:slug>/readings.csv", fresh(downloads.readings_csv), name="readings-csv"),
    path(
        "science/<slug:slug>/readings.geojson",
        fresh(downloads.readings_geojson),
        name="readings-geojson",
    ),
]
