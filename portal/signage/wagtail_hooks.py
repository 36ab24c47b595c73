"""Admin wiring for signs: the dashboard's scan panel and the "Print signs" page."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from portal.registry.models import DevicePage

from . import admin_views
from .services import scan_totals

DASHBOARD_ROWS = 15


class ScansPanel(Component):
    """Scans per device over the last 30 days, on the Wagtail dashboard."""

    name = "sign_scans"
    order = 150
    template_name = "signage/admin/scans_dashboard_panel.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        totals = scan_totals(days=30)
        shown = totals[:DASHBOARD_ROWS]
        devices = DevicePage.objects.in_bulk([device_id for device_id, _ in shown])
        return {
            "rows": [
                {"device": devices[device_id], "scans": scans}
                for device_id, scans in shown
                if device_id in devices
            ],
            "more": max(0, len(totals) - DASHBOARD_ROWS),
            "total": sum(scans for _, scans in totals),
        }


@hooks.register("construct_homepage_panels")
def add_scans_panel(request: Any, panels: list[Component]) -> None:
    panels.append(ScansPanel())


@hooks.register("register_admin_urls")
def register_print_signs_url() -> list[Any]:
    return [path("signs/print/", admin_views.print_signs, name="signage_print_signs")]


@hooks.register("register_admin_menu_item")
def register_print_signs_menu_item() -> MenuItem:
    return MenuItem(
        _("Print signs"), reverse("signage_print_signs"), icon_name="doc-full", order=220
    )
