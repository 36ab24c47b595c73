"""Standalone SVG icons for DTPR elements: a category shape with an element symbol inside.

Icons follow the DTPR geometry (36 by 36 view box, 2 px outline, hexagon / circle / rounded
square / octagon by category) but use Plainsight's own symbols from :mod:`dtpr_assets.glyphs`.
A council can replace any icon by putting an SVG in an override directory. Icons for the AI
datachain come from the same functions: pass ``taxonomy=load_taxonomy(datachain="ai")``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

from dtpr_assets.glyphs import (
    DOT,
    ELEMENT_GLYPHS_BY_DATACHAIN,
    GLYPHS,
    MONOGRAMS_BY_DATACHAIN,
    NEGATED_ELEMENTS_BY_DATACHAIN,
    NOT_OVERLAY,
)
from dtpr_assets.svg_safety import InvalidSvg, label_svg
from dtpr_assets.taxonomy import Element, Identifiability, Taxonomy, load_taxonomy

Variant = Literal["auto", "default", "dark"]
VARIANTS: tuple[str, ...] = ("auto", "default", "dark")

BLACK = "#000000"
WHITE = "#FFFFFF"
IDENTIFIABILITY_COLOURS: dict[Identifiability, str] = {
    "identifiable": "#FFDD00",
    "de_identified": "#36B2E6",
    "none": WHITE,
}
IDENTIFIABILITY_PHRASES: dict[Identifiability, str] = {
    "identifiable": "identifiable personal data",
    "de_identified": "de-identified personal data",
    "none": "no personal data",
}

_SHAPES: dict[str, str] = {
    "hexagon": '<path d="M18 1.5 32.3 9.75v16.5L18 34.5 3.7 26.25V9.75z"/>',
    "circle": '<circle cx="18" cy="18" r="16"/>',
    "rounded_square": '<rect x="2" y="2" width="32" height="32" rx="6"/>',
    "octagon": '<path d="M11.4 2h13.2L34 11.4v13.2L24.6 34H11.4L2 24.6V11.4z"/>',
}
# Widest text that stays inside every shape, in view-box units, and the cap height of a
# typical bold sans-serif as a fraction of the font size.
_MONOGRAM_MAX_WIDTH = 22.0
_CAP_HEIGHT = 0.72
_MONOGRAM_MAX_SIZE = {1: 16.0, 2: 12.5, 3: 9.5}
_MONOGRAM_FONT = "Arial, Helvetica, 'DejaVu Sans', sans-serif"
_HEX_COLOUR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")

_override_dir: Path | None = None


def set_override_dir(path: str | Path | None) -> None:
    """Use SVG files in ``path`` instead of the built-in icons; ``None`` switches this off."""
    global _override_dir
    _override_dir = Path(path) if path is not None else None


def get_override_dir() -> Path | None:
    return _override_dir


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#RRGGBB`` (or ``#RGB``) colour."""
    match = _HEX_COLOUR.match(colour.strip())
    if match is None:
        raise ValueError(f"“{colour}” is not a hex colour such as #FFDD00.")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(digits[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def symbol_colour_for(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill``; ties go to black."""
    return BLACK if contrast_ratio(fill, BLACK) >= contrast_ratio(fill, WHITE) else WHITE


def icon_alt_text(
    category_id: str,
    element_id: str,
    *,
    variables: dict[str, Any] | None = None,
    taxonomy: Taxonomy | None = None,
) -> str:
    """Text alternative, e.g. "Technology: Identifiable Video (identifiable personal data)"."""
    taxonomy = taxonomy or load_taxonomy()
    element = taxonomy.element(category_id, element_id)
    text = f"{taxonomy.category(element.category).name}: {element.label(variables)}"
    if element.category == "tech":
        text += f" ({IDENTIFIABILITY_PHRASES[element.identifiability]})"
    return text


def _lineage(element: Element) -> Iterator[Element]:
    """The element, then each element it was reused from."""
    current: Element | None = element
    while current is not None:
        yield current
        current = current.reused_from


def _looked_up(tables: Mapping[str, Mapping[tuple[str, str], str]], element: Element) -> str | None:
    for item in _lineage(element):
        found = tables[item.datachain].get((item.category, item.id))
        if found is not None:
            return found
    return None


def monogram_for(element: Element) -> str:
    """Up to three capital letters standing for the element, for when there is no glyph."""
    known = _looked_up(MONOGRAMS_BY_DATACHAIN, element)
    if known:
        return known
    words = [word for word in re.split(r"[^A-Za-z0-9]+", element.name) if word]
    return "".join(word[0] for word in words[:3]).upper() or "?"


def _monogram_svg(text: str) -> str:
    # Wide capitals such as M and W are about 0.9 em in a bold sans-serif.
    size = min(_MONOGRAM_MAX_SIZE.get(len(text), 8.0), _MONOGRAM_MAX_WIDTH / (0.9 * len(text)))
    baseline = 18 + size * _CAP_HEIGHT / 2
    return (
        f'<text x="18" y="{baseline:.1f}" fill="$c" stroke="none" text-anchor="middle" '
        f'font-family="{_MONOGRAM_FONT}" font-weight="700" font-size="{size:.1f}">'
        f"{escape(text)}</text>"
    )


def _colours(element: Element, variant: str) -> tuple[str, str]:
    """The shape fill and the symbol colour."""
    if variant == "dark" or (variant == "auto" and element.category == "purpose"):
        return BLACK, WHITE
    if variant == "auto" and element.category == "tech":
        fill = IDENTIFIABILITY_COLOURS[element.identifiability]
        return fill, symbol_colour_for(fill)
    return WHITE, BLACK


def _symbol(element: Element) -> str:
    glyph_name = _looked_up(ELEMENT_GLYPHS_BY_DATACHAIN, element)
    if glyph_name is None:
        return _monogram_svg(monogram_for(element))
    symbol = GLYPHS[glyph_name].replace("$dot", DOT)
    if any(
        (item.category, item.id) in NEGATED_ELEMENTS_BY_DATACHAIN[item.datachain]
        for item in _lineage(element)
    ):
        symbol += NOT_OVERLAY
    return symbol


def _find_override(category_id: str, element_id: str, variant: str, directory: Path) -> Path | None:
    names = [f"{category_id}__{element_id}.svg", f"{element_id}.svg"]
    if variant == "dark":
        names = [f"{category_id}__{element_id}__dark.svg", f"{element_id}__dark.svg", *names]
    for name in names:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=512)
def _read_override(path: Path, modified_ns: int, title: str, size: int | None) -> str:
    # The modification time is part of the cache key so a replaced file is picked up.
    del modified_ns
    return label_svg(path.read_text(encoding="utf-8"), title=title, size=size)


def render_icon(
    category_id: str,
    element_id: str,
    *,
    variant: str = "auto",
    size: int | None = None,
    taxonomy: Taxonomy | None = None,
    variables: dict[str, Any] | None = None,
    override_dir: str | Path | None = None,
) -> str:
    """Return a complete ``<svg>`` document for one element.

    ``variant`` is "auto" (DTPR colouring: black purposes, technology coloured by
    identifiability, outlines otherwise), "default" (outline, black symbol) or "dark" (black
    fill, white symbol). ``size`` sets the width and height in pixels. An override SVG, from
    ``override_dir`` or :func:`set_override_dir`, wins over the built-in drawing; an override
    that fails the safety checks is ignored.
    """
    if variant not in VARIANTS:
        raise ValueError(f"Unknown icon variant “{variant}”; use one of {', '.join(VARIANTS)}.")
    taxonomy = taxonomy or load_taxonomy()
    element = taxonomy.element(category_id, element_id)
    category = taxonomy.category(element.category)
    title = icon_alt_text(element.category, element.id, variables=variables, taxonomy=taxonomy)

    directory = Path(override_dir) if override_dir is not None else _override_dir
    if directory is not None:
        override = _find_override(element.category, element.id, variant, directory)
        if override is not None:
            try:
                return _read_override(override, override.stat().st_mtime_ns, title, size)
            except (InvalidSvg, OSError, UnicodeDecodeError):
                pass

    fill, symbol_colour = _colours(element, variant)
    dimensions = f' width="{size}" height="{size}"' if size is not None else ""
    body = Template(
        f'<g fill="{fill}" stroke="{BLACK}" stroke-width="2">{_SHAPES[category.shape]}</g>'
        f'<g fill="none" stroke="{symbol_colour}" stroke-width="1.8" stroke-linecap="round" '
        f'stroke-linejoin="round">{_symbol(element)}</g>'
    ).substitute(c=symbol_colour, bg=fill)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"{dimensions} role="img" '
        f"aria-label={quoteattr(title)}><title>{escape(title)}</title>{body}</svg>"
    )
