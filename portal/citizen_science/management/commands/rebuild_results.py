"""Recount a campaign's published results from its accepted readings (after a bulk import)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.citizen_science.models import CampaignPage
from portal.citizen_science.results import rebuild


class Command(BaseCommand):
    help = "Recount the results of every campaign, or of one with --campaign <slug>."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", help="the campaign's slug, e.g. no2-tubes-2026")

    def handle(self, *args: Any, **options: Any) -> None:
        campaigns = CampaignPage.objects.all()
        if options["campaign"]:
            campaigns = campaigns.filter(slug=options["campaign"])
            if not campaigns.exists():
                raise CommandError(
                    f"No campaign has the slug “{options['campaign']}”. "
                    "Copy it from the campaign's address, /science/<slug>/."
                )
        for campaign in campaigns:
            started = time.perf_counter()
            rows = rebuild(campaign.pk)
            self.stdout.write(
                f"{campaign.slug}: {rows} place-periods in {time.perf_counter() - started:.1f} s"
            )
