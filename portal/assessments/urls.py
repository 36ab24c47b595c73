from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("assessments/<slug:slug>/atrs.json", views.atrs_json, name="atrs-json"),
    path("assessments/<slug:slug>/dpia.json", views.dpia_json, name="dpia-json"),
]
