from django.urls import path, re_path

from . import views

app_name = "signage"

urlpatterns = [
    # QR codes encode /d/<code> without a slash; people may type either.
    re_path(r"^d/(?P<code>[^/]{1,40})/?$", views.short_link, name="short-link"),
    path("devices/<slug:slug>/sign.<str:file_format>", views.sign, name="sign"),
    path("devices/<slug:slug>/qr.<str:file_format>", views.qr_code, name="qr"),
]
