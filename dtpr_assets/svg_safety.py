"""Make third-party SVG files safe to inline in a public web page.

Council-supplied and imported icons end up inside portal pages, so anything that can run code
or fetch from elsewhere is refused rather than quietly stripped: a file that tried it should be
looked at by a person.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_SVG_BYTES = 512 * 1024

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "audio"}
)
# Editor bookkeeping (Inkscape, Sketch, Illustrator) that only adds weight.
_DROPPED_ELEMENTS = frozenset({"metadata"})
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_UNSAFE_CSS = re.compile(r"@import|expression\s*\(|url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_UNSAFE_VALUE = re.compile(r"^\s*(?:(?:java|vb)script\s*:|data\s*:\s*text/html)", re.IGNORECASE)


class InvalidSvg(ValueError):
    """The file is not an SVG document, or contains something that is not allowed."""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _namespace(name: str) -> str | None:
    return name[1:].split("}", 1)[0] if name.startswith("{") else None


def parse_safe_svg(text: str) -> ET.Element:
    """Parse and clean an SVG document, raising :class:`InvalidSvg` with a readable reason."""
    if len(text.encode("utf-8")) > MAX_SVG_BYTES:
        raise InvalidSvg("it is larger than 512 KB, which is far too big for an icon")
    if _DECLARATION.search(text):
        # Entity declarations are how XML bombs and external entity reads work.
        raise InvalidSvg("it contains a DOCTYPE or ENTITY declaration")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise InvalidSvg(f"it is not well-formed XML ({error})") from None

    if _local(root.tag) != "svg" or _namespace(root.tag) not in (SVG_NS, None):
        raise InvalidSvg("its top-level element is not <svg>")

    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local(element.tag).lower()
        if name in _FORBIDDEN_ELEMENTS:
            raise InvalidSvg(f"it contains a <{_local(element.tag)}> element")
        if name == "style" and element.text and _UNSAFE_CSS.search(element.text):
            raise InvalidSvg("its CSS imports or links to outside resources")
        for attribute, value in element.attrib.items():
            attribute_name = _local(attribute).lower()
            if attribute_name.startswith("on"):
                raise InvalidSvg(f"it has an event-handler attribute ({_local(attribute)})")
            if attribute_name == "href" and not value.strip().startswith("#"):
                raise InvalidSvg(f"it links to an outside resource ({value.strip()[:60]})")
            if attribute_name == "style" and _UNSAFE_CSS.search(value):
                raise InvalidSvg("its inline CSS links to outside resources")
            if _UNSAFE_VALUE.match(value):
                raise InvalidSvg(f"its {_local(attribute)} attribute contains a script URL")

    _strip_foreign(root)
    # Elements without a namespace would not render once written out as standalone SVG.
    for element in root.iter():
        if isinstance(element.tag, str) and _namespace(element.tag) is None:
            element.tag = f"{{{SVG_NS}}}{element.tag}"
    return root


def _strip_foreign(parent: ET.Element) -> None:
    for child in list(parent):
        namespace = _namespace(child.tag) if isinstance(child.tag, str) else None
        if namespace not in (SVG_NS, None) or _local(str(child.tag)) in _DROPPED_ELEMENTS:
            parent.remove(child)
            continue
        _strip_foreign(child)
    for attribute in list(parent.attrib):
        if _namespace(attribute) not in (None, XLINK_NS):
            del parent.attrib[attribute]


def sanitise_svg(text: str) -> str:
    """Return a cleaned copy of an SVG document, or raise :class:`InvalidSvg`."""
    return ET.tostring(parse_safe_svg(text), encoding="unicode")


def label_svg(text: str, *, title: str, size: int | None = None) -> str:
    """Sanitise an SVG and give it ``role="img"``, our ``<title>`` and optionally a pixel size."""
    root = parse_safe_svg(text)
    for existing in root.findall(f"{{{SVG_NS}}}title"):
        root.remove(existing)
    title_element = ET.Element(f"{{{SVG_NS}}}title")
    title_element.text = title
    root.insert(0, title_element)
    root.set("role", "img")
    if size is not None:
        root.set("width", str(size))
        root.set("height", str(size))
    return ET.tostring(root, encoding="unicode")
