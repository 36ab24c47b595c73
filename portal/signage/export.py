"""Signs for many devices at once, as a ZIP that is written while it downloads.

Streaming matters: 500 signs take a while to draw, and a response that waited for all of them
would outlast a proxy's or browser's patience. The first bytes leave after the first sign.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .rendering import svg_to_pdf
from .services import short_link
from .signs import SignSize, render_sign_svg, sign_content

if TYPE_CHECKING:
    from portal.core.models import CouncilSettings
    from portal.registry.models import DevicePage

MANIFEST_COLUMNS = [
    "code",
    "name",
    "status",
    "location",
    "area",
    "latitude",
    "longitude",
    "short_link",
    "sign_files",
]


class _Drain(io.RawIOBase):
    """A write-only stream whose contents are taken away after each file is added."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def sign_file_name(device: DevicePage, size: SignSize, extension: str) -> str:
    return f"{device.code}-{device.slug}-{size.slug}.{extension}"


def stream_signs_zip(
    devices: Iterable[DevicePage],
    *,
    sizes: list[SignSize],
    council: CouncilSettings,
    on_device_done: Callable[[DevicePage], None] | None = None,
) -> Iterator[bytes]:
    """Yield a ZIP of each device's sign as PDF and SVG in every size, plus manifest.csv."""
    drain = _Drain()
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(MANIFEST_COLUMNS)
    with zipfile.ZipFile(drain, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for device in devices:
            content = sign_content(device, council=council)
            names = []
            for size in sizes:
                svg = render_sign_svg(content, size)
                for extension, data in (("pdf", svg_to_pdf(svg)), ("svg", svg.encode())):
                    name = sign_file_name(device, size, extension)
                    archive.writestr(name, data)
                    names.append(name)
            writer.writerow(
                [
                    device.code,
                    device.title,
                    device.get_status_display(),
                    device.location_description,
                    device.area,
                    device.latitude,
                    device.longitude,
                    short_link(device.code),
                    " ".join(names),
                ]
            )
            if on_device_done is not None:
                on_device_done(device)
            yield drain.take()
        archive.writestr("manifest.csv", manifest.getvalue().encode("utf-8-sig"))
    yield drain.take()
