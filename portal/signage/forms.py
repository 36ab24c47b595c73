from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.registry.models import DevicePage, DeviceStatus

from .signs import SignSize


class PrintSignsForm(forms.Form):
    sizes = forms.MultipleChoiceField(
        label=_("Sizes"),
        choices=[(size.slug, size.label) for size in SignSize],
        initial=["a5"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one size.")},
    )
    which = forms.ChoiceField(
        label=_("Which devices"),
        choices=[
            ("all", _("Every published device")),
            ("chosen", _("Only the devices I tick below")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
    status = forms.MultipleChoiceField(
        label=_("With status"),
        choices=DeviceStatus.choices,
        initial=[DeviceStatus.PLANNED, DeviceStatus.INSTALLED, DeviceStatus.ACTIVE],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Applies to every published device. Leave all unticked for every status."),
    )
    devices = forms.ModelMultipleChoiceField(
        label=_("Devices"),
        queryset=DevicePage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["devices"].queryset = DevicePage.objects.live().public().order_by("title")
        self.fields["devices"].label_from_instance = lambda device: (
            f"{device.title} ({device.code})"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("which") == "chosen" and not cleaned.get("devices"):
            self.add_error(
                "devices", _("Tick at least one device, or choose every published device.")
            )
        return cleaned

    def chosen_devices(self) -> Any:
        if self.cleaned_data["which"] == "chosen":
            return self.cleaned_data["devices"].order_by("title")
        devices = DevicePage.objects.live().public().order_by("title")
        if self.cleaned_data["status"]:
            devices = devices.filter(status__in=self.cleaned_data["status"])
        return devices

    def chosen_sizes(self) -> list[SignSize]:
        return [SignSize.from_slug(slug) for slug in self.cleaned_data["sizes"]]
