"""GeoReport v2 bodies in JSON and XML, including its error format.

The spec names the XML elements (``<services><service>``, ``<service_requests><request>``,
``<errors><error>``); JSON carries the same records as a top-level list. XML is built with
ElementTree so that whatever a resident or an editor typed is escaped, never spliced in.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _


class Format(StrEnum):
    JSON = "json"
    XML = "xml"


CONTENT_TYPES = {
    Format.JSON: "application/json; charset=utf-8",
    Format.XML: "application/xml; charset=utf-8",
}

# The element each list field's items take in XML, e.g. <attributes><attribute>.
ITEM_TAGS = {"attributes": "attribute", "values": "value"}

# Characters XML 1.0 cannot carry even escaped (most control characters). A stray one in an
# editor's note must not make the whole feed unreadable, so it is dropped from the XML only.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


class UnknownFormat(ValueError):
    """The URL asked for a format other than .json or .xml."""


def parse_format(extension: str) -> Format:
    try:
        return Format(extension.lower())
    except ValueError:
        raise UnknownFormat(extension) from None


def _xml_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list):
        for inner in value:
            _append(element, ITEM_TAGS.get(tag, "item"), inner)
    else:
        element.text = _xml_text(value)


def to_xml(root_tag: str, item_tag: str, records: Iterable[Mapping[str, Any]]) -> bytes:
    root = ET.Element(root_tag)
    for record in records:
        _append(root, item_tag, record)
    return XML_DECLARATION + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def record_response(
    records: list[dict[str, Any]] | dict[str, Any],
    fmt: Format,
    *,
    root_tag: str,
    item_tag: str = "",
    status: int = 200,
) -> HttpResponse:
    """A list of records, each an ``item_tag`` in XML; or one record (a service definition),
    which is itself the ``root_tag`` element."""
    if fmt is Format.JSON:
        body = json.dumps(records, ensure_ascii=False).encode()
    elif isinstance(records, dict):
        body = XML_DECLARATION + _single_xml(root_tag, records)
    else:
        body = to_xml(root_tag, item_tag, records)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def _single_xml(tag: str, record: Mapping[str, Any]) -> bytes:
    holder = ET.Element("holder")
    _append(holder, tag, record)
    return ET.tostring(holder[0], encoding="utf-8", xml_declaration=False)


def error_response(
    messages: list[str], *, status: int = 400, fmt: Format = Format.JSON
) -> HttpResponse:
    """GeoReport's error body: one ``{code, description}`` per problem, each a full sentence."""
    errors = [{"code": status, "description": message} for message in messages]
    return record_response(errors, fmt, root_tag="errors", item_tag="error", status=status)


def unknown_format_response(extension: str) -> HttpResponse:
    # The format asked for is the one thing we cannot answer in, so the error comes as JSON.
    return error_response(
        [
            _(
                "This service answers in JSON or XML only, not “%(extension)s”. End the address "
                "with .json or .xml instead."
            )
            % {"extension": extension[:20]}
        ],
        status=404,
    )
