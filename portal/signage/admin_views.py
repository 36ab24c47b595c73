"""The admin's "Print signs" page: choose devices and sizes, download a ZIP."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.models import council_for_request

from .export import stream_signs_zip
from .forms import PrintSignsForm


def print_signs(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    form = PrintSignsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        devices = form.chosen_devices()
        if not devices.exists():
            form.add_error(
                None, _("No published device matches: widen the statuses or tick some devices.")
            )
        else:
            zip_stream = stream_signs_zip(
                devices.iterator(),
                sizes=form.chosen_sizes(),
                council=council_for_request(request),
            )
            response = StreamingHttpResponse(zip_stream, content_type="application/zip")
            filename = f"signs-{timezone.localdate():%Y-%m-%d}.zip"
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    return render(request, "signage/admin/print_signs.html", {"form": form})
