"""The controlled vocabularies DCAT-AP 3 asks for (EU Publications Office authority tables)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"


class Theme(StrEnum):
    """EU data themes (data-theme authority table)."""

    ENVI = "ENVI"
    GOVE = "GOVE"
    SOCI = "SOCI"
    TECH = "TECH"
    TRAN = "TRAN"

    @property
    def uri(self) -> str:
        return f"{EU_AUTHORITY}data-theme/{self.value}"

    @property
    def label(self) -> str:
        return str(THEME_LABELS[self])


THEME_LABELS = {
    Theme.ENVI: _("Environment"),
    Theme.GOVE: _("Government and public sector"),
    Theme.SOCI: _("Population and society"),
    Theme.TECH: _("Science and technology"),
    Theme.TRAN: _("Transport"),
}


class Frequency(StrEnum):
    """How often a dataset changes (frequency authority table)."""

    UPDATE_CONT = "UPDATE_CONT"
    IRREG = "IRREG"
    NEVER = "NEVER"

    @property
    def uri(self) -> str:
        return f"{EU_AUTHORITY}frequency/{self.value}"

    @property
    def label(self) -> str:
        return str(FREQUENCY_LABELS[self])


FREQUENCY_LABELS = {
    Frequency.UPDATE_CONT: _("Updated whenever the council publishes a change"),
    Frequency.IRREG: _("Updated now and then"),
    Frequency.NEVER: _("Final: no further updates"),
}


def file_type_uri(code: str) -> str:
    return f"{EU_AUTHORITY}file-type/{code}"


def media_type_uri(media_type: str) -> str:
    return f"{IANA_MEDIA_TYPES}{media_type}"


ACCESS_PUBLIC = f"{EU_AUTHORITY}access-right/PUBLIC"
LANGUAGE_ENGLISH = f"{EU_AUTHORITY}language/ENG"
LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"
