"""The device editor's form: checks that need the whole page, organisations included."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class DevicePageForm(WagtailAdminPageForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        formset = self.formsets.get("accountable_organisations")
        if formset is None or not formset.is_valid():
            return cleaned
        chosen = [
            form.cleaned_data.get("organisation")
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        chosen = [organisation for organisation in chosen if organisation is not None]
        if not chosen:
            raise ValidationError(
                _(
                    "Add at least one accountable organisation (the council first). Residents "
                    "must be able to see who is responsible for this device and how to contact "
                    "them."
                )
            )
        if len(set(chosen)) != len(chosen):
            raise ValidationError(
                _("Each organisation can be listed only once. Remove the repeated one.")
            )
        return cleaned
