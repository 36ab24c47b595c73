"""The licence every open-data download, feed and catalogue entry states, as harvesters name it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# CKAN's licence ids for the licences councils use; anything else is described by its URL.
CKAN_LICENCE_IDS = {
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/": "OGL-UK-3.0",
    "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/": "OGL-UK-3.0",
    "https://creativecommons.org/licenses/by/4.0/": "CC-BY-4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0-1.0",
    "https://opendatacommons.org/licenses/odbl/1-0/": "ODC-ODbL-1.0",
}


@dataclass(frozen=True)
class Licence:
    name: str
    url: str

    def link_header(self) -> str:
        return f'<{self.url}>; rel="license"'

    @property
    def ckan_id(self) -> str:
        return CKAN_LICENCE_IDS.get(self.url, self.url)


def open_data_licence() -> Licence:
    """The council's licence for its own open data (OPEN_DATA_LICENCE_NAME / _URL)."""
    return Licence(name=settings.OPEN_DATA_LICENCE_NAME, url=settings.OPEN_DATA_LICENCE_URL)


def licence_for_url(url: str | None, *, name: str = "") -> Licence:
    """The given licence, or the council's configured open-data licence if there is none."""
    configured = open_data_licence()
    if not url or url == configured.url:
        return configured
    return Licence(name=name or url, url=url)
