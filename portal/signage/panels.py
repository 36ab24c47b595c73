"""The "Sign and scans" tab on a device in the admin: downloads and the device's own scans."""

from __future__ import annotations

from typing import Any

from wagtail.admin.panels import Panel

from .services import scans_by_day, short_link


class SignAndScansPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "signage/admin/sign_and_scans_panel.html"

        def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
            from .signs import SignSize  # the sign renderer is only needed when this is shown

            context = super().get_context_data(parent_context)
            device = self.instance
            if not device.pk or not device.code:
                return context | {"unsaved": True}
            days = scans_by_day(device)
            busiest = max((count for _, count in days), default=0)
            context.update(
                days=[
                    {
                        "day": day,
                        "count": count,
                        "percent": 100 * count // busiest if busiest else 0,
                    }
                    for day, count in days
                ],
                total=sum(count for _, count in days),
                short_link=short_link(device.code),
                sizes=list(SignSize),
                live=device.live,
            )
            return context
