"""SVG to vector PDF and to PNG, and the text measurement that keeps sign text inside its box.

PyMuPDF (MuPDF in the wheel, no system libraries) draws the SVG. Text on signs uses the PDF
base-14 Helvetica, so the widths measured here are the widths it is drawn at.
"""

from __future__ import annotations

from functools import cache

import pymupdf

SIGN_FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', sans-serif"


@cache
def _advances(name: str) -> tuple[pymupdf.Font, dict[str, float]]:
    return pymupdf.Font(name), {}


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` at font size ``size``, in the same unit as ``size``.

    Measured glyph by glyph with a ``Font``: ``pymupdf.get_text_length`` only knows Latin-1 and
    gives every other character (Welsh w and y with a circumflex, en dashes, curly quotes) one
    width, so such text was printed wider than measured. Base-14 Helvetica has no kerning, so
    the sum of advances is exact, and caching them keeps a sign's many trial wraps fast.
    """
    font, advances = _advances("hebo" if bold else "helv")
    total = 0.0
    for character in text:
        advance = advances.get(character)
        if advance is None:
            advance = advances[character] = font.glyph_advance(ord(character))
        total += advance
    return total * size


def svg_to_pdf(svg: str, *, title: str = "") -> bytes:
    document = pymupdf.open(stream=svg.encode("utf-8"), filetype="svg")
    pdf = pymupdf.open("pdf", document.convert_to_pdf())
    if title:
        pdf.set_metadata({"title": title, "creator": "Plainsight"})
    return pdf.tobytes(garbage=3, deflate=True)


def svg_to_png(svg: str, *, dpi: int = 150) -> bytes:
    document = pymupdf.open(stream=svg.encode("utf-8"), filetype="svg")
    return document[0].get_pixmap(dpi=dpi, alpha=False).tobytes("png")
