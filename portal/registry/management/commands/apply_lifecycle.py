"""Run once a day (cron, systemd timer or the host's scheduler): ``manage.py apply_lifecycle``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from portal.registry.lifecycle import apply_lifecycle


class Command(BaseCommand):
    help = (
        "Apply dated device status changes (installed on, retired on), take devices past their "
        "'do not show after' date out of the search index, and list devices and DPIAs overdue "
        "for review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="Act as if today were this earlier date (YYYY-MM-DD), to replay a missed run.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    f"--date must be a date like 2026-11-21, not {options['date']!r}."
                ) from error
            if day > timezone.localdate():
                raise CommandError("--date cannot be in the future: changes happen on the day.")
        report = apply_lifecycle(day)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.changed)} status change(s), {len(report.skipped)} skipped, "
                f"{len(report.unlisted)} not listed, {len(report.overdue)} overdue for review."
            )
        )
