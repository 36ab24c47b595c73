"""Admin wiring for assessments: supplier assurance as a snippet."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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
