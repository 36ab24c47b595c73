"""URLs of the survey exports, mounted in the admin (see ``register_admin_urls``)."""

from django.urls import path

from . import admin_views

app_name = "survey_exports"

urlpatterns = [
    path("", admin_views.export_index, name="index"),
    path("<int:survey_id>/responses.csv", admin_views.responses_csv, name="responses"),
    path("<int:survey_id>/codebook.csv", admin_views.codebook_csv, name="codebook"),
]
