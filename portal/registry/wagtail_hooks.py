"""Admin wiring for the register: organisations as snippets, the overdue-reviews panel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .lifecycle import overdue_for_review
from .models import Organisation


class OverdueReviewsPanel(Component):
    """Devices and DPIAs past their review date, on the dashboard, so reviews are not missed."""

    name = "overdue_reviews"
    order = 140
    template_name = "registry/admin/overdue_reviews_panel.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return overdue_for_review()


@hooks.register("construct_homepage_panels")
def add_overdue_reviews_panel(request: Any, panels: list[Component]) -> None:
    panels.append(OverdueReviewsPanel())


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
