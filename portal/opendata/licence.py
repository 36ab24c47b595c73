"""The licence every open-data download, feed and catalogue entry states."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class OpenDataLicence:
    name: str
    url: str

    def link_header(self) -> str:
        return f'<{self.url}>; rel="license"'


def open_data_licence() -> OpenDataLicence:
    """The council's licence for its own open data (OPEN_DATA_LICENCE_NAME / _URL)."""
    return OpenDataLicence(name=settings.OPEN_DATA_LICENCE_NAME, url=settings.OPEN_DATA_LICENCE_URL)
