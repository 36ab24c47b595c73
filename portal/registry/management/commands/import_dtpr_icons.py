"""Replace Plainsight's built-in DTPR icons with a folder of official (or the council's) SVGs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dtpr_assets.icon_import import import_icon_folder


class Command(BaseCommand):
    help = (
        "Import a folder of DTPR icon SVGs (e.g. a download of the official DTPR icon set). "
        "Files are matched to elements by name, checked for unsafe content and copied into "
        "DTPR_ICON_DIR, where they replace the built-in icons."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", type=Path, help="Folder containing the SVG files.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; copy nothing."
        )

    def handle(self, *args: Any, folder: Path, dry_run: bool, **options: Any) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder. Give the path of a folder of SVG files.")
        destination = Path(settings.DTPR_ICON_DIR)
        report = import_icon_folder(folder, destination, dry_run=dry_run)
        for skipped in report.skipped:
            self.stderr.write(f"Skipped {skipped.source}: {skipped.reason}")
        if options["verbosity"] > 1:
            for icon in report.imported:
                self.stdout.write(f"{icon.source} -> {icon.category}/{icon.element_id}")
        prefix = "Dry run: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
        if not dry_run:
            self.stdout.write(f"Icons are in {destination}.")
