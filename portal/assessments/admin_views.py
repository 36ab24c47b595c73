"""The admin's "Import ATRS record" page: upload ATRS JSON, get a draft algorithm record."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .atrs import AtrsImportError, import_record
from .models import AssessmentIndexPage

MAX_UPLOAD_BYTES = 1_000_000


class AtrsUploadForm(forms.Form):
    record = forms.FileField(
        label=gettext_lazy("ATRS record (JSON)"),
        help_text=gettext_lazy(
            "A file exported from Plainsight or written to the ATRS field ids. The record is "
            "created as a draft for you to check and publish."
        ),
    )

    def clean_record(self) -> object:
        upload = self.cleaned_data["record"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is over 1 MB: an ATRS record is much smaller."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise forms.ValidationError(
                _(
                    "The file is not valid JSON (%(error)s). Export it again, or check it in "
                    "an editor."
                )
                % {"error": error}
            ) from error


def import_atrs(request: HttpRequest) -> HttpResponse:
    index = AssessmentIndexPage.objects.first()
    if index is None or not index.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    form = AtrsUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            record = import_record(form.cleaned_data["record"], index)
        except AtrsImportError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                _("Imported “%(title)s” as a draft. Check it, then publish.")
                % {"title": record.title},
            )
            return redirect("wagtailadmin_pages:edit", record.pk)
    return render(
        request, "assessments/admin/import_atrs.html", {"form": form, "problems": problems}
    )
