from django.urls import path

from . import views

app_name = "concerns"

urlpatterns = [
    path("concerns/", views.raise_concern, name="raise"),
    path("concerns/<slug:reference>/", views.concern_status, name="status"),
]
