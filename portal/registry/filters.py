"""Filters and search for the device register. Plain GET parameters, so no JavaScript needed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dtpr_assets.taxonomy import load_taxonomy
from portal.signage.codes import normalise_code

from .models import DevicePage, DeviceStatus, PersonalData

ANY = ("", _("Any"))


class DeviceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    purpose = forms.ChoiceField(label=_("Purpose"), required=False)
    technology = forms.ChoiceField(label=_("Technology"), required=False)
    personal_data = forms.ChoiceField(
        label=_("Personal data"), required=False, choices=[ANY, *PersonalData.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[ANY, *DeviceStatus.choices]
    )
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args: Any, devices: QuerySet[DevicePage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taxonomy = load_taxonomy()
        # Offer only what is on the register, so no filter leads to an empty page.
        used_purposes = set()
        used_technologies = set()
        areas = set()
        for purposes, technologies, area in devices.values_list(
            "purpose_index", "technology_index", "area"
        ):
            used_purposes.update(filter(None, purposes.split("|")))
            used_technologies.update(filter(None, technologies.split("|")))
            if area:
                areas.add(area)
        self.fields["purpose"].choices = [ANY] + [
            (element.id, element.name)
            for element in taxonomy.elements_in("purpose")
            if element.id in used_purposes
        ]
        self.fields["technology"].choices = [ANY] + [
            (element.id, element.name)
            for element in taxonomy.elements_in("tech")
            if element.id in used_technologies
        ]
        self.fields["area"].choices = [ANY] + [(area, area) for area in sorted(areas)]

    def add_prefix(self, field_name: str) -> str:
        return field_name


class DeviceFilter:
    """Applies the register's filters to a queryset of live devices."""

    def __init__(self, data: Any, *, devices: QuerySet[DevicePage]) -> None:
        self.devices = devices
        self.form = DeviceFilterForm(data or None, devices=devices)
        self.is_filtered = any(data.get(name) for name in self.form.fields) if data else False
        # Any filter other than the search box is in use: show the filters open.
        self.has_choices = any(data.get(name) for name in self.form.fields if name != "q")

    def results(self) -> QuerySet[DevicePage]:
        devices = self.devices
        if not self.form.is_bound:
            return devices.order_by("title")
        # An invalid choice is explained next to its field; the valid ones still apply.
        self.form.is_valid()
        criteria = {name: value for name, value in self.form.cleaned_data.items() if value}
        if purpose := criteria.get("purpose"):
            devices = devices.filter(purpose_index__contains=f"|{purpose}|")
        if technology := criteria.get("technology"):
            devices = devices.filter(technology_index__contains=f"|{technology}|")
        if personal := criteria.get("personal_data"):
            devices = devices.filter(personal_data=personal)
        if status := criteria.get("status"):
            devices = devices.filter(status=status)
        if area := criteria.get("area"):
            devices = devices.filter(area=area)
        if query := criteria.get("q"):
            code = normalise_code(query)
            if code:
                devices = devices.filter(code=code)
            else:
                matching = DevicePage.objects.live().search(query, operator="and")
                devices = devices.filter(pk__in=[page.pk for page in matching])
        return devices.order_by("title")
