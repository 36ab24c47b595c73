from django.urls import path

from . import results_views

app_name = "surveys"

# Wagtail only serves paths ending in a slash, so the download is a plain Django view.
urlpatterns = [
    path("surveys/<slug:slug>/results.csv", results_views.results_csv, name="results-csv"),
]
