"""QR codes for short links: error correction Q, a four-module quiet zone, SVG or PNG."""

from __future__ import annotations

import io
from functools import lru_cache
from xml.sax.saxutils import escape

import qrcode
import qrcode.constants
from PIL import Image

QUIET_ZONE_MODULES = 4


@lru_cache(maxsize=1024)
def _matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    # Q recovers about 25 % of damaged modules: signs get scratched, dirty and photographed
    # at an angle.
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_Q, border=QUIET_ZONE_MODULES, box_size=1
    )
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def qr_modules(data: str) -> list[list[bool]]:
    """The matrix of dark (True) modules, quiet zone included."""
    return [list(row) for row in _matrix(data)]


def qr_svg_path(data: str) -> tuple[str, int]:
    """An SVG path drawing the dark modules on a grid of one unit per module, and its size."""
    matrix = _matrix(data)
    commands = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                # One rectangle per horizontal run keeps the path (and the file) small.
                commands.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return "".join(commands), len(matrix)


def qr_svg(data: str) -> str:
    path, size = qr_svg_path(data)
    title = escape(f"QR code for {data}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size * 8}" height="{size * 8}" role="img" shape-rendering="crispEdges">'
        f"<title>{title}</title>"
        f'<rect width="{size}" height="{size}" fill="#FFFFFF"/>'
        f'<path d="{path}" fill="#000000"/></svg>'
    )


def qr_png(data: str, *, pixels_per_module: int = 10) -> bytes:
    matrix = _matrix(data)
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    image = image.resize((size * pixels_per_module,) * 2, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
