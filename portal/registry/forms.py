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
        self._require_dpia_to_go_live(cleaned)
        return cleaned

    def _require_dpia_to_go_live(self, cleaned: dict[str, Any]) -> None:
        """An active device that can identify or single out people needs a signed-off DPIA.

        Checked when the editor publishes or submits for moderation; drafts may be saved so
        the work can continue while the DPIA is written.
        """
        from dtpr_assets.validation import personal_data_level
        from portal.assessments.models import DpiaPage

        from .blocks import datachain_entries

        going_live = any(action in self.data for action in ("action-publish", "action-submit"))
        if not going_live or cleaned.get("status") != "active" or "datachain" not in cleaned:
            return
        level = personal_data_level(datachain_entries(cleaned["datachain"]))
        if level == "none":
            return
        dpias = DpiaPage.objects.live().filter(devices=self.instance) if self.instance.pk else []
        if any(dpia.is_signed_off for dpia in dpias):
            return
        raise ValidationError(
            _(
                "This device collects personal data, so it cannot be published as active until "
                "a signed-off data protection impact assessment covering it is published. Add "
                "the device to the DPIA's “Devices covered” and record the sign-offs (measures, "
                "residual risks and the DPO's advice), or set the status to “Planned” for now."
            )
        )
