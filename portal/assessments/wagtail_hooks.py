"""Admin wiring for assessments: supplier assurance as a snippet, the ATRS import page."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import SupplierAssurance


class SupplierAssuranceViewSet(SnippetViewSet):
    model = SupplierAssurance
    icon = "tick-inverse"
    menu_label = _("Supplier assurance")
    menu_order = 215
    add_to_admin_menu = True
    list_display = ("supplier", "device", "assessed_on")
    list_filter = ("supplier",)


register_snippet(SupplierAssuranceViewSet)


@hooks.register("register_admin_urls")
def register_import_atrs_url() -> list[Any]:
    return [
        path("assessments/import-atrs/", admin_views.import_atrs, name="assessments_import_atrs")
    ]


@hooks.register("register_admin_menu_item")
def register_import_atrs_menu_item() -> MenuItem:
    return MenuItem(
        _("Import ATRS record"), reverse("assessments_import_atrs"), icon_name="download", order=225
    )
