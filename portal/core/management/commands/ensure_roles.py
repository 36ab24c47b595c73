"""Create or update the staff groups and their permissions, without any demo content."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from portal.core.roles import ensure_roles
from portal.home.setup import site_home_page


class Command(BaseCommand):
    help = (
        "Create or update the Editors, Moderators and Publishers groups and the device review "
        "workflow. Safe to run again after an upgrade: it only adds what is missing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        groups = ensure_roles(site_home_page())
        self.stdout.write(f"Staff groups up to date: {', '.join(sorted(groups))}.")
