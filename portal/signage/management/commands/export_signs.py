"""Write printable signs for all devices, or some, to a ZIP file."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.models import Site

from portal.core.models import CouncilSettings
from portal.registry.models import DevicePage
from portal.signage.codes import normalise_code
from portal.signage.export import stream_signs_zip
from portal.signage.signs import SignSize


class ProgressBar:
    """A one-line progress bar on a terminal; occasional lines when output is a file."""

    def __init__(self, total: int, stream: Any) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()

    def advance(self, *_args: Any) -> None:
        self.done += 1
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        line = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} devices"
        if self.interactive:
            self.stream.write("\r" + line)
            self.stream.flush()
        elif self.done == self.total or self.done % max(1, self.total // 10) == 0:
            self.stream.write(line + "\n")

    def finish(self) -> float:
        if self.interactive:
            self.stream.write("\n")
        return time.monotonic() - self.started


class Command(BaseCommand):
    help = "Export printable DTPR signs (PDF and SVG) and a CSV manifest as a ZIP file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--size",
            action="append",
            choices=[size.slug for size in SignSize],
            help="Sign size; repeat for several. Default: a5.",
        )
        parser.add_argument(
            "--code",
            action="append",
            default=[],
            help="Only this device (its short code); repeat for several. Default: all devices.",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Where to write the ZIP. Default: signs-<date>.zip in the current folder.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = [SignSize.from_slug(slug) for slug in options["size"] or ["a5"]]
        devices = DevicePage.objects.live().public().order_by("title")
        if options["code"]:
            codes = {}
            for typed in options["code"]:
                code = normalise_code(typed)
                if code is None:
                    raise CommandError(
                        f"{typed!r} is not a valid device code. Codes look like K7Q-29XG."
                    )
                codes[code] = typed
            devices = devices.filter(code__in=codes)
            missing = set(codes) - set(devices.values_list("code", flat=True))
            if missing:
                raise CommandError(
                    "No published device has the code " + ", ".join(sorted(missing)) + "."
                )
        total = devices.count()
        if total == 0:
            raise CommandError("There are no published devices to make signs for.")
        output = options["output"] or Path(f"signs-{timezone.localdate():%Y-%m-%d}.zip")
        site = Site.objects.filter(is_default_site=True).first()
        council = CouncilSettings.for_site(site)

        progress = ProgressBar(
            total, self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr
        )
        partial = output.with_suffix(output.suffix + ".part")
        with partial.open("wb") as file:
            for chunk in stream_signs_zip(
                devices.iterator(), sizes=sizes, council=council, on_device_done=progress.advance
            ):
                file.write(chunk)
        # Renamed only when complete, so a half-written file is never mistaken for the export.
        partial.replace(output)
        seconds = progress.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote signs for {total} devices ({', '.join(s.slug for s in sizes)}) to "
                f"{output} in {seconds:.1f} s."
            )
        )
