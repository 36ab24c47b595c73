"""Getting a photo ready before it is queued: pixels only, the right way up, not too large.

Phones write the place a photo was taken (often someone's home), the camera's serial number and
more into EXIF, XMP and ICC data. The photo is decoded and encoded again from its pixels alone
before it is written to the outbox, so none of that is ever stored in the queue or sent, even
though the server would strip it again. A large photo is shrunk here too, so uploads over a
weak signal stay small.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image, ImageOps

# The server takes up to 10 MB and 40 megapixels; the phone refuses the same, before any work.
MAX_BYTES: Final = 10_000_000
MAX_PIXELS: Final = 40_000_000
# The server keeps photos at most 2048 pixels on the longest side: sending more is wasted data.
MAX_SIDE: Final = 2048
MAX_ASPECT_RATIO: Final = 20
JPEG_QUALITY: Final = 85
# Only these parsers look at a chosen file (Pillow would otherwise try many more formats).
_DECODERS: Final = ("JPEG", "PNG", "WEBP")


class PhotoNotUsable(ValueError):
    """The chosen file cannot be attached; the message says what to do instead."""


@dataclass(frozen=True)
class PreparedPhoto:
    path: Path
    width: int
    height: int
    size_bytes: int


def prepare_photo(
    source: str | Path,
    photos_dir: str | Path,
    *,
    max_side: int = MAX_SIDE,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
) -> PreparedPhoto:
    """A fresh JPEG in ``photos_dir`` made from ``source``'s pixels, or :class:`PhotoNotUsable`.

    The source is never changed or removed: it belongs to the person's gallery.
    """
    source = Path(source)
    try:
        size = source.stat().st_size
    except OSError as error:
        raise PhotoNotUsable(
            "The photo could not be found. Take it again or choose another."
        ) from error
    if size == 0:
        raise PhotoNotUsable("The file is empty. Take the photo again or choose another.")
    if size > max_bytes:
        raise PhotoNotUsable(
            f"The photo is {size / 1_000_000:.1f} MB; the largest accepted is "
            f"{max_bytes / 1_000_000:g} MB. Choose a smaller photo or lower the camera's "
            "resolution."
        )
    try:
        image = Image.open(source, formats=_DECODERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(None, max_pixels) from error
    except Exception as error:
        # Pillow reports files it cannot read with many exception types.
        raise PhotoNotUsable(
            "This file is not a photo the app can use. Choose a JPEG, PNG or WebP picture."
        ) from error
    with image:
        width, height = image.size
        if width * height > max_pixels:
            raise _too_many_pixels((width, height), max_pixels)
        if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
            raise PhotoNotUsable(
                f"The picture is {width} by {height} pixels, too long and thin to show. "
                "Crop it and choose it again."
            )
        try:
            # Lets a large JPEG be decoded at a fraction of its size: less memory on a phone.
            image.draft("RGB", (max_side, max_side))
            image.load()
        except Exception as error:
            raise PhotoNotUsable(
                "The photo is damaged or incomplete. Take it again or choose another."
            ) from error
        # The orientation tag is about to be dropped with the rest of the EXIF, so it is
        # applied to the pixels first; a tag too broken to read leaves the picture as stored.
        try:
            upright = ImageOps.exif_transpose(image)
        except Exception:
            upright = image
        rgb = _flattened(upright)
    rgb.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A new image from the raw pixels has an empty ``info``, so the encoder cannot carry an
    # ICC profile, comment or EXIF block across from the original.
    pixels_only = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    target_dir = Path(photos_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{uuid.uuid4()}.jpg"
    partial = target.with_suffix(".part")
    pixels_only.save(partial, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    # Renamed only once complete, so a crash never leaves a half-written photo in the outbox.
    partial.replace(target)
    return PreparedPhoto(target, pixels_only.width, pixels_only.height, target.stat().st_size)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB, with any see-through parts laid on white (a JPEG has no transparency)."""
    if image.mode.startswith("I"):
        # 16-bit greys: a plain convert() would clip everything above 255 to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def _too_many_pixels(size: tuple[int, int] | None, max_pixels: int) -> PhotoNotUsable:
    limit = max_pixels // 1_000_000
    if size is None:
        return PhotoNotUsable(
            f"The photo has far more than {limit} megapixels, the most accepted. "
            "Lower the camera's resolution and take it again."
        )
    width, height = size
    return PhotoNotUsable(
        f"The photo is {width} by {height} pixels; the most accepted is {limit} megapixels. "
        "Lower the camera's resolution and take it again."
    )
