"""Read the device code from a photo of a sign, with zxing-cpp.

A sign's QR code holds its short link, ``https://<council's host>/d/<code>`` (the portal's
``portal.signage.services.short_link``; a trailing slash is accepted too). The code in it is
checked with the same rules the portal uses (:mod:`dtpr_assets.codes`), so a damaged or foreign
QR code is reported as such instead of sending a wrong code to the server.

No Kivy here: the scan screen calls these functions and shows ``ScanResult.problem``.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from dtpr_assets.codes import normalise_code

# Phone photos are 12 megapixels and more; a sign's QR code is still readable at this size
# and zxing-cpp reads it several times faster.
LARGEST_SIDE = 2000
_SHORT_LINK_PATH = re.compile(r"^/d/(?P<code>[^/]{1,40})/?$")

NO_QR_FOUND = (
    "No QR code found in that picture. Take it again closer to the sign, so the QR code "
    "fills about half of the picture, or type the code printed under it."
)
NOT_A_PICTURE = "That file is not a picture the app can read. Choose a JPEG or PNG photo."
NO_DECODER = (
    "This copy of the app cannot read QR codes. Type the code printed under the QR code instead."
)


@dataclass(frozen=True)
class ScanResult:
    """A device code read from a sign, or a sentence saying why none could be."""

    code: str | None = None
    problem: str | None = None
    # What the QR code said, for the record (shown when it is not a Plainsight sign).
    text: str | None = None

    @property
    def found(self) -> bool:
        return self.code is not None


def code_from_text(text: str) -> ScanResult:
    """The device code in a QR code's text: a Plainsight short link, or a bare code."""
    cleaned = text.strip()
    parts = urllib.parse.urlsplit(cleaned)
    if parts.scheme in ("http", "https") and parts.netloc:
        match = _SHORT_LINK_PATH.match(parts.path)
        if match is None:
            return ScanResult(
                problem=(
                    "That QR code isn't on a Plainsight sign: it links to "
                    f"{parts.netloc}{parts.path}. Look for the sign with the council's name "
                    "and the code printed under the QR code."
                ),
                text=cleaned,
            )
        typed, from_link = urllib.parse.unquote(match["code"]), True
    else:
        typed, from_link = cleaned, False
    code = normalise_code(typed)
    if code is None:
        if from_link:
            # A short link with a broken code: a damaged print, or not one of ours.
            return ScanResult(
                problem=(
                    f"The QR code's link ends in \u201c{typed[:20]}\u201d, which is not a valid "
                    "device code. Type the code printed under the QR code instead."
                ),
                text=cleaned,
            )
        return ScanResult(
            problem=(
                "That QR code isn't on a Plainsight sign. Look for the sign with the council's "
                "name and the code printed under the QR code."
            ),
            text=cleaned,
        )
    return ScanResult(code=code, text=cleaned)


def _readable(image: Image.Image) -> Image.Image:
    # Photos from a phone are often stored sideways with an EXIF orientation tag.
    image = ImageOps.exif_transpose(image) or image
    if max(image.size) > LARGEST_SIDE:
        image = image.copy()
        image.thumbnail((LARGEST_SIDE, LARGEST_SIDE))
    return image.convert("RGB")


def decode_image(image: Image.Image) -> ScanResult:
    """The device code from the first QR code in ``image`` that holds one."""
    try:
        import zxingcpp
    except ImportError:
        # An APK built without the zxing-cpp recipe: typing the code still works.
        return ScanResult(problem=NO_DECODER)

    found = zxingcpp.read_barcodes(
        _readable(image),
        formats=[zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode],
    )
    if not found:
        return ScanResult(problem=NO_QR_FOUND)
    results = [code_from_text(barcode.text) for barcode in found]
    # A photo may show more than one QR code (a poster beside the sign): prefer ours.
    return next((result for result in results if result.found), results[0])


def decode_file(path: str | Path) -> ScanResult:
    """The device code in a photo or screenshot of a sign on disk."""
    try:
        with Image.open(path) as image:
            image.load()
            return decode_image(image)
    except (UnidentifiedImageError, OSError):
        return ScanResult(problem=NOT_A_PICTURE)
