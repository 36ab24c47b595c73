"""Printable DTPR signs: what a sign says (``SignContent``) and how it is laid out (SVG, in mm).

The sign follows DTPR's grammar: the council's identity, a headline, a row of hexagons
(purposes in black, the technology coloured by identifiability, the accountable organisation),
a plain answer to "Does this collect personal data?", and a QR code with the short link beneath.
Every piece of text is measured and wrapped, shrunk or shortened to stay inside its box.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from dtpr_assets.icons import contrast_ratio, render_icon

from .qr import QUIET_ZONE_MODULES, qr_svg_path
from .rendering import SIGN_FONT_FAMILY, text_width
from .services import short_link, short_link_text

if TYPE_CHECKING:
    from portal.core.models import CouncilSettings
    from portal.registry.models import DevicePage

SVG_NS = "http://www.w3.org/2000/svg"
BLACK = "#0B0C0C"
WHITE = "#FFFFFF"
# The printed symbol, quiet zone excluded: at least 25 mm, so a phone reads it from a step away.
MINIMUM_QR_MM = 25.0
LINE_HEIGHT = 1.2
# Helvetica's ascent as a share of the font size: where the baseline sits below a line's top.
ASCENT = 0.78
ET.register_namespace("", SVG_NS)


class SignSize(Enum):
    A5 = ("a5", 148.0, 210.0, "A5 portrait (148 × 210 mm)")  # noqa: RUF001
    A6 = ("a6", 105.0, 148.0, "A6 portrait (105 × 148 mm)")  # noqa: RUF001
    STICKER = ("sticker", 100.0, 100.0, "Square sticker (100 × 100 mm)")  # noqa: RUF001

    def __init__(self, slug: str, width_mm: float, height_mm: float, label: str) -> None:
        self.slug = slug
        self.width_mm = width_mm
        self.height_mm = height_mm
        self.label = label

    @classmethod
    def from_slug(cls, slug: str) -> SignSize:
        for size in cls:
            if size.slug == slug:
                return size
        choices = ", ".join(size.slug for size in cls)
        raise ValueError(
            _("“%(slug)s” is not a sign size. Use size= one of: %(choices)s.")
            % {"slug": slug[:20], "choices": choices}
        )


DEFAULT_SIGN_SIZE = SignSize.A5


@dataclass(frozen=True)
class Hexagon:
    category: str
    element_id: str
    label: str


@dataclass(frozen=True)
class SignContent:
    """Everything a sign shows, as plain data, so the layout can be tested on its own."""

    council_name: str
    brand_colour: str
    headline: str
    purposes: list[Hexagon]
    technology: Hexagon | None
    accountable_name: str
    personal_data: str
    short_link: str
    short_link_text: str
    contact_line: str
    code: str
    logo_png: bytes | None = None

    @property
    def hexagons(self) -> list[Hexagon]:
        accountable = Hexagon("accountable", "institution", self.accountable_name)
        technology = [self.technology] if self.technology else []
        return [*self.purposes, *technology, accountable]

    @property
    def personal_data_answer(self) -> str:
        return str(PERSONAL_DATA_ON_SIGN[self.personal_data])


PERSONAL_DATA_ON_SIGN = {
    "identifiable": _("Personal data: yes. It can identify people."),
    "de_identified": _("Personal data: it senses people but keeps nothing that identifies them."),
    "none": _("Personal data: none. It collects no information about people."),
}


def sign_content(device: DevicePage, *, council: CouncilSettings) -> SignContent:
    from dtpr_assets.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    entries = device.datachain_entries()
    purposes = [
        Hexagon("purpose", e["element_id"], taxonomy.element("purpose", e["element_id"]).name)
        for e in entries
        if e["category"] == "purpose"
    ][:3]
    # The first technology is the one the DTPR rules put first: the identifiable or
    # de-identified one when there is one. Shown for every device: "Air Quality" tells a
    # passer-by as much as "Identifiable Video" does.
    technology = next(
        (
            Hexagon("tech", e["element_id"], taxonomy.element("tech", e["element_id"]).name)
            for e in entries
            if e["category"] == "tech"
        ),
        None,
    )
    organisations = device.organisations
    first = organisations[0] if organisations else None
    contact = (
        ((first.email or first.phone) if first else "")
        or council.contact_email
        or council.contact_phone
    )
    return SignContent(
        council_name=council.council_name,
        brand_colour=council.brand_colour,
        headline=device.title,
        purposes=purposes,
        technology=technology,
        accountable_name=first.name if first else council.council_name,
        personal_data=device.personal_data,
        short_link=short_link(device.code),
        short_link_text=short_link_text(device.code),
        contact_line=_("Questions? %(contact)s") % {"contact": contact} if contact else "",
        code=device.code,
        logo_png=_logo_png(council),
    )


def _logo_png(council: CouncilSettings) -> bytes | None:
    if not council.logo_id:
        return None
    try:
        rendition = council.logo.get_rendition("max-600x200|format-png")
        with rendition.file.open("rb") as file:
            return file.read()
    except (OSError, ValueError):
        # A missing image file must not stop a sign from printing: the name stands in.
        return None


# --- text fitting ----------------------------------------------------------------------


def _wrap(text: str, *, max_width: float, size: float, bold: bool) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        while text_width(word, size, bold=bold) > max_width:
            # A word longer than the line: break it where it no longer fits.
            cut = max(
                1,
                next(
                    (
                        i
                        for i in range(len(word), 0, -1)
                        if text_width(word[:i] + "-", size, bold=bold) <= max_width
                    ),
                    1,
                ),
            )
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut] + "-")
            word = word[cut:]
        candidate = f"{current} {word}".strip()
        if text_width(candidate, size, bold=bold) <= max_width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def fit_text(
    text: str, *, max_width: float, max_lines: int, size: float, min_size: float, bold: bool
) -> tuple[list[str], float]:
    """Wrap ``text`` into at most ``max_lines`` lines, shrinking towards ``min_size``.

    If it still does not fit, the last line ends with an ellipsis: text never leaves its box.
    """
    current = size
    while current >= min_size:
        lines = _wrap(text, max_width=max_width, size=current, bold=bold)
        if len(lines) <= max_lines:
            return lines, current
        current = round(current * 0.92, 3)
    lines = _wrap(text, max_width=max_width, size=min_size, bold=bold)[:max_lines]
    last = lines[-1]
    while last and text_width(last + "…", min_size, bold=bold) > max_width:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return lines, min_size


# --- layout ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Proportions:
    margin: float
    band: float
    council_size: float
    headline_size: float
    headline_min: float
    headline_lines: int
    body_size: float
    hexagon: float
    label_size: float
    qr: float
    small_size: float


PROPORTIONS = {
    SignSize.A5: Proportions(
        margin=9,
        band=22,
        council_size=7.5,
        headline_size=9,
        headline_min=5.5,
        headline_lines=3,
        body_size=4.6,
        hexagon=25,
        label_size=3.4,
        qr=62,
        small_size=2.8,
    ),
    SignSize.A6: Proportions(
        margin=6,
        band=15,
        council_size=5.2,
        headline_size=6.2,
        headline_min=3.8,
        headline_lines=3,
        body_size=3.3,
        hexagon=17,
        label_size=2.4,
        qr=44,
        small_size=2.2,
    ),
    SignSize.STICKER: Proportions(
        margin=5,
        band=12,
        council_size=4.4,
        headline_size=5.2,
        headline_min=3.4,
        headline_lines=2,
        body_size=2.9,
        hexagon=11.5,
        label_size=2.0,
        qr=36,
        small_size=2.0,
    ),
}


@dataclass
class _Canvas:
    width: float
    height: float
    parts: list[str] = field(default_factory=list)
    boxes: list[tuple[str, float, float, float, float]] = field(default_factory=list)

    def text(
        self,
        lines: list[str],
        *,
        x: float,
        top: float,
        size: float,
        bold: bool = False,
        fill: str = BLACK,
        anchor: str = "start",
        label: str = "text",
    ) -> float:
        """Draw lines of text from ``top``; return the y just below the last line."""
        weight = ' font-weight="bold"' if bold else ""
        for number, line in enumerate(lines):
            baseline = top + size * ASCENT + number * size * LINE_HEIGHT
            self.parts.append(
                f'<text x="{x:.2f}" y="{baseline:.2f}" font-family="{SIGN_FONT_FAMILY}" '
                f'font-size="{size:.2f}"{weight} fill="{fill}" text-anchor="{anchor}">'
                f"{escape(line)}</text>"
            )
            width = text_width(line, size, bold=bold)
            left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
            self.boxes.append((label, left, top + number * size * LINE_HEIGHT, width, size))
        return top + len(lines) * size * LINE_HEIGHT

    def icon(self, category: str, element_id: str, *, x: float, y: float, size: float) -> None:
        root = ET.fromstring(render_icon(category, element_id))
        inner = "".join(
            ET.tostring(child, encoding="unicode")
            for child in root
            if child.tag not in {f"{{{SVG_NS}}}title", f"{{{SVG_NS}}}desc"}
        )
        scale = size / 36
        self.parts.append(
            f'<g transform="translate({x:.2f} {y:.2f}) scale({scale:.4f})">{inner}</g>'
        )
        self.boxes.append(("icon", x, y, size, size))


def render_sign_svg(content: SignContent, size: SignSize) -> str:
    p = PROPORTIONS[size]
    canvas = _Canvas(size.width_mm, size.height_mm)
    inner_width = size.width_mm - 2 * p.margin
    band_colour = content.brand_colour
    if contrast_ratio(band_colour, WHITE) < 4.5:
        band_colour = BLACK  # settings refuse such colours; a sign must still be readable

    # 1. The council's band: its logo on white, or its name in white on its colour.
    canvas.parts.append(f'<rect width="{size.width_mm}" height="{size.height_mm}" fill="{WHITE}"/>')
    if content.logo_png:
        canvas.parts.append(
            f'<rect y="{p.band - 1.5:.2f}" width="{size.width_mm}" height="1.5" '
            f'fill="{band_colour}"/>'
        )
        encoded = base64.b64encode(content.logo_png).decode("ascii")
        canvas.parts.append(
            f'<image x="{p.margin}" y="{p.margin * 0.4:.2f}" width="{inner_width:.2f}" '
            f'height="{p.band - 1.5 - p.margin * 0.8:.2f}" preserveAspectRatio="xMinYMid meet" '
            f'xlink:href="data:image/png;base64,{encoded}"><title>{escape(content.council_name)}</title></image>'
        )
    else:
        canvas.parts.append(
            f'<rect width="{size.width_mm}" height="{p.band}" fill="{band_colour}"/>'
        )
        lines, council_size = fit_text(
            content.council_name,
            max_width=inner_width,
            max_lines=2,
            size=p.council_size,
            min_size=p.council_size * 0.6,
            bold=True,
        )
        block = len(lines) * council_size * LINE_HEIGHT
        canvas.text(
            lines,
            x=p.margin,
            top=(p.band - block) / 2 + council_size * 0.1,
            size=council_size,
            bold=True,
            fill=WHITE,
            label="council",
        )

    # 2. Headline and the answer about personal data.
    y = p.band + p.margin * 0.8
    lines, headline_size = fit_text(
        content.headline,
        max_width=inner_width,
        max_lines=p.headline_lines,
        size=p.headline_size,
        min_size=p.headline_min,
        bold=True,
    )
    y = canvas.text(lines, x=p.margin, top=y, size=headline_size, bold=True, label="headline")
    lines, body_size = fit_text(
        content.personal_data_answer,
        max_width=inner_width,
        max_lines=2,
        size=p.body_size,
        min_size=p.body_size * 0.75,
        bold=True,
    )
    y = canvas.text(
        lines, x=p.margin, top=y + p.margin * 0.4, size=body_size, bold=True, label="personal data"
    )

    # 3. Bottom up: the licence line, then the contact line.
    bottom = size.height_mm - p.margin * 0.6
    licence = _("DTPR icons CC BY 4.0")
    canvas.text(
        [licence],
        x=p.margin,
        top=bottom - p.small_size * LINE_HEIGHT,
        size=p.small_size,
        label="licence",
    )
    bottom -= p.small_size * LINE_HEIGHT + p.margin * 0.3
    if content.contact_line:
        lines, contact_size = fit_text(
            content.contact_line,
            max_width=inner_width,
            max_lines=2,
            size=p.body_size,
            min_size=p.body_size * 0.7,
            bold=False,
        )
        top = bottom - len(lines) * contact_size * LINE_HEIGHT
        canvas.text(lines, x=p.margin, top=top, size=contact_size, label="contact")
        bottom = top - p.margin * 0.4

    # 4. The honeycomb and the QR code share what is left.
    if size is SignSize.STICKER:
        _sticker_middle(canvas, content, p, top=y + p.margin * 0.5, bottom=bottom)
    else:
        _portrait_middle(canvas, content, p, top=y + p.margin * 0.6, bottom=bottom)

    _check_inside(canvas)
    description = " ".join(
        [
            content.headline + ".",
            content.personal_data_answer,
            _("Purpose:") + " " + ", ".join(h.label for h in content.purposes) + ".",
            _("Accountable:") + " " + content.accountable_name + ".",
            _("Scan the QR code or visit %(link)s.") % {"link": content.short_link_text},
        ]
    )
    return (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{size.width_mm:g}mm" height="{size.height_mm:g}mm" '
        f'viewBox="0 0 {size.width_mm:g} {size.height_mm:g}" role="img">'
        f"<title>{escape(_('Sign for %(name)s') % {'name': content.headline})}</title>"
        f"<desc>{escape(description)}</desc>" + "".join(canvas.parts) + "</svg>"
    )


def _honeycomb(
    canvas: _Canvas,
    hexagons: list[Hexagon],
    p: Proportions,
    *,
    left: float,
    top: float,
    width: float,
    columns: int,
) -> float:
    """Hexagons in rows of ``columns``, each labelled beneath; return the bottom."""
    cell = width / columns
    hexagon = min(p.hexagon, cell * 0.8)
    label_lines = 3
    row_height = hexagon + p.label_size * LINE_HEIGHT * label_lines + p.label_size * 0.8
    bottom = top
    for index, item in enumerate(hexagons):
        row, column = divmod(index, columns)
        row_items = min(columns, len(hexagons) - row * columns)
        # Centre a short last row.
        offset = (width - row_items * cell) / 2
        centre = left + offset + column * cell + cell / 2
        y = top + row * row_height
        canvas.icon(item.category, item.element_id, x=centre - hexagon / 2, y=y, size=hexagon)
        lines, label_size = fit_text(
            item.label,
            max_width=cell * 0.94,
            max_lines=label_lines,
            size=p.label_size,
            min_size=p.label_size * 0.75,
            bold=True,
        )
        bottom = max(
            bottom,
            canvas.text(
                lines,
                x=centre,
                top=y + hexagon + p.label_size * 0.4,
                size=label_size,
                bold=True,
                anchor="middle",
                label="hexagon label",
            ),
        )
    return bottom


def qr_total_size(link: str, *, wanted: float) -> float:
    """The QR's size with its quiet zone: ``wanted``, but never a symbol under 25 mm."""
    _path, modules = qr_svg_path(link)
    symbol = modules - 2 * QUIET_ZONE_MODULES
    return max(wanted, MINIMUM_QR_MM * modules / symbol)


def qr_symbol_size(link: str, total: float) -> float:
    _path, modules = qr_svg_path(link)
    return total * (modules - 2 * QUIET_ZONE_MODULES) / modules


def _qr(
    canvas: _Canvas,
    content: SignContent,
    p: Proportions,
    *,
    centre: float,
    top: float,
    size: float,
    link_width: float,
) -> float:
    path, modules = qr_svg_path(content.short_link)
    scale = size / modules
    x = centre - size / 2
    canvas.parts.append(
        f'<g transform="translate({x:.2f} {top:.2f}) scale({scale:.4f})" '
        f'shape-rendering="crispEdges">'
        f'<rect width="{modules}" height="{modules}" fill="{WHITE}"/>'
        f'<path d="{path}" fill="#000000"/></g>'
    )
    canvas.boxes.append(("qr", x, top, size, size))
    lines, link_size = fit_text(
        content.short_link_text,
        max_width=link_width,
        max_lines=1,
        size=p.body_size,
        min_size=p.small_size,
        bold=True,
    )
    return canvas.text(
        lines,
        x=centre,
        top=top + size + p.label_size * 0.2,
        size=link_size,
        bold=True,
        anchor="middle",
        label="short link",
    )


def _portrait_middle(
    canvas: _Canvas, content: SignContent, p: Proportions, *, top: float, bottom: float
) -> None:
    inner_width = canvas.width - 2 * p.margin
    hexagons = content.hexagons
    below_hexagons = _honeycomb(
        canvas,
        hexagons,
        p,
        left=p.margin,
        top=top,
        width=inner_width,
        columns=min(len(hexagons), 5),
    )
    caption = _("Scan for what it collects, who can see it and how long it is kept")
    lines, caption_size = fit_text(
        caption,
        max_width=inner_width,
        max_lines=2,
        size=p.body_size * 0.9,
        min_size=p.body_size * 0.7,
        bold=False,
    )
    caption_height = len(lines) * caption_size * LINE_HEIGHT + p.label_size * 0.5
    link_height = p.body_size * LINE_HEIGHT + p.label_size * 0.2
    room = bottom - below_hexagons - p.margin * 0.6
    qr_size = qr_total_size(
        content.short_link, wanted=min(p.qr, room - caption_height - link_height)
    )
    # Centre the caption, QR code and link in the space between the hexagons and the contact.
    block = caption_height + qr_size + link_height
    caption_top = below_hexagons + max(p.margin * 0.3, (bottom - below_hexagons - block) / 2)
    centre = canvas.width / 2
    canvas.text(
        lines, x=centre, top=caption_top, size=caption_size, anchor="middle", label="caption"
    )
    _qr(
        canvas,
        content,
        p,
        centre=centre,
        top=caption_top + caption_height,
        size=qr_size,
        link_width=inner_width,
    )


def _sticker_middle(
    canvas: _Canvas, content: SignContent, p: Proportions, *, top: float, bottom: float
) -> None:
    inner_width = canvas.width - 2 * p.margin
    link_height = p.body_size * LINE_HEIGHT
    qr_size = qr_total_size(content.short_link, wanted=min(p.qr, bottom - top - link_height))
    qr_column = max(qr_size, inner_width * 0.42)
    qr_centre = canvas.width - p.margin - qr_column / 2
    qr_top = max(top, bottom - qr_size - link_height)
    _qr(canvas, content, p, centre=qr_centre, top=qr_top, size=qr_size, link_width=qr_column)
    hex_width = inner_width - qr_column - p.margin * 0.5
    _honeycomb(
        canvas,
        content.hexagons,
        p,
        left=p.margin,
        top=top,
        width=hex_width,
        columns=min(len(content.hexagons), 3),
    )


class SignLayoutError(ValueError):
    """Something was placed outside the sign or on top of something else: a bug, not input."""


def _check_inside(canvas: _Canvas) -> None:
    for label, x, y, width, height in canvas.boxes:
        if (
            x < -0.01
            or y < -0.01
            or x + width > canvas.width + 0.01
            or y + height > canvas.height + 0.01
        ):
            raise SignLayoutError(f"{label} at ({x:.1f}, {y:.1f}) leaves the sign")
    ordered = sorted(canvas.boxes, key=lambda box: (box[2], box[1]))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if second[2] >= first[2] + first[4]:
                break
            overlaps_x = first[1] < second[1] + second[3] and second[1] < first[1] + first[3]
            overlaps_y = first[2] < second[2] + second[4] and second[2] < first[2] + first[4]
            if (
                overlaps_x
                and overlaps_y
                and min(first[1] + first[3] - second[1], second[1] + second[3] - first[1]) > 0.2
                and min(first[2] + first[4] - second[2], second[2] + second[4] - first[2]) > 0.2
            ):
                raise SignLayoutError(f"{first[0]} overlaps {second[0]}")
