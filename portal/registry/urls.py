from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("dtpr/icons/<slug:category>/<slug:element>.svg", views.dtpr_icon, name="dtpr-icon"),
]
