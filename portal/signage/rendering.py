"""SVG to vector PDF and to PNG, and the text measurement that keeps sign text inside its box.

PyMuPDF (MuPDF in the wheel, no system libraries) draws the SVG. Text on signs uses the PDF
base-14 Helvetica, so the widths measured here are the widths it is drawn at.
"""

from __future__ import annotations

import pymupdf

SIGN_FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', sans-serif"


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` at font size ``size``, in the same unit as ``size``."""
    return pymupdf.get_text_length(text, fontname="hebo" if bold else "helv", fontsize=size)


def svg_to_pdf(svg: str, *, title: str = "") -> bytes:
    document = pymupdf.open(stream=svg.encode("utf-8"), filetype="svg")
    pdf = pymupdf.open("pdf", document.convert_to_pdf())
    if title:
        pdf.set_metadata({"title": title, "creator": "Plainsight"})
    return pdf.tobytes(garbage=3, deflate=True)


def svg_to_png(svg: str, *, dpi: int = 150) -> bytes:
    document = pymupdf.open(stream=svg.encode("utf-8"), filetype="svg")
    return document[0].get_pixmap(dpi=dpi, alpha=False).tobytes("png")
