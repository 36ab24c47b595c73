from django.urls import path

from portal.opendata.catalogue.freshness import survey_results_version, with_freshness

from . import results_views

app_name = "surveys"

# ETag, Last-Modified, 304s and the licence link, like every other file in the open-data catalogue.
fresh = with_freshness(survey_results_version)

# Wagtail only serves paths ending in a slash, so the download is a plain Django view.
urlpatterns = [
    path("surveys/<slug:slug>/results.csv", fresh(results_views.results_csv), name="results-csv"),
]
