"""Admin wiring for citizen science: the readings moderation queue and sites, in one menu."""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Reading, Site

register_permission_policy(Reading, admin_views.ReadingPermissionPolicy(Reading))


class ReadingViewSet(SnippetViewSet):
    model = Reading
    icon = "tasks"
    menu_label = _("Readings")
    menu_name = "readings"
    menu_order = 10
    index_view_class = admin_views.ReadingIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.ReadingInspectView
    copy_view_enabled = False
    filterset_class = admin_views.ReadingFilterSet
    ordering = "-received_at"
    list_per_page = 50
    search_fields: ClassVar[list[str]] = ["receipt"]
    search_backend_name = None
    index_template_name = "citizen_science/admin/reading_index.html"
    list_display: ClassVar[list[Any]] = [
        TitleColumn("receipt", label=_("Receipt"), sort_key="receipt"),
        Column("campaign", label=_("Campaign"), accessor="campaign.title"),
        Column("site", label=_("Site"), accessor="site"),
        Column("value", label=_("Value"), accessor=admin_views.value_with_unit, sort_key="value"),
        Column(
            "observed_at",
            label=_("Observed"),
            accessor=admin_views.observed_text,
            sort_key="observed_at",
        ),
        Column(
            "received_at",
            label=_("Received"),
            accessor=admin_views.received_text,
            sort_key="received_at",
        ),
        Column("flags", label=_("Flags"), accessor=admin_views.flags_text),
        Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        Column("photo", label=_("Photo"), accessor=admin_views.photo_text),
    ]

    def get_urlpatterns(self) -> list[Any]:
        patterns = [pattern for pattern in super().get_urlpatterns() if pattern.name != "edit"]
        return [
            *patterns,
            path("edit/<int:pk>/", admin_views.edit_redirect, name="edit"),
            path("photo/<int:pk>/<str:size>/", admin_views.reading_photo, name="photo"),
        ]


class SiteViewSet(SnippetViewSet):
    model = Site
    icon = "site"
    menu_label = _("Sites")
    menu_name = "science-sites"
    menu_order = 20
    list_display = ("code", "name", "campaign", "device")
    list_filter = ("campaign",)
    search_fields: ClassVar[list[str]] = ["code", "name"]
    search_backend_name = None


class CitizenScienceViewSetGroup(SnippetViewSetGroup):
    items = (ReadingViewSet, SiteViewSet)
    menu_label = _("Citizen science")
    menu_icon = "clipboard-list"
    menu_name = "citizen-science"
    menu_order = 220


register_snippet(CitizenScienceViewSetGroup)


# Wagtail's registry takes the action classes themselves as the hook functions.
hooks.register("register_bulk_action", admin_views.AcceptReadingsBulkAction)
hooks.register("register_bulk_action", admin_views.RejectReadingsBulkAction)
