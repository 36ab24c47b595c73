"""Admin wiring for the register: organisations as snippets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ("name", "role", "email", "phone")
    list_filter = ("role",)
    search_fields = ("name",)


register_snippet(OrganisationViewSet)
