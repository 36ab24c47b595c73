"""Photos that citizen scientists send with their readings, made safe to store and to show.

An uploaded photo is attacker-controlled input, and it is private: phones write the GPS
position (usually the volunteer's home), the camera's make, model and serial number, and
sometimes a comment or an editing history into EXIF, XMP and PNG text chunks. ``clean_photo``
decodes the upload with Pillow, checks it against size limits before the pixels are decoded,
and encodes the pixels again from scratch, so that nothing but the picture itself survives.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from dataclasses import dataclass
from typing import IO, Final

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

DEFAULT_MAX_BYTES: Final = 10_000_000
DEFAULT_MAX_PIXELS: Final = 40_000_000
DEFAULT_MAX_SIDE: Final = 2048
DEFAULT_THUMBNAIL_SIDE: Final = 480

# A strip this long and thin is never a useful photo of a reading, and shrinking it to fit
# the longest side would leave a short side of a pixel or two.
MAX_ASPECT_RATIO: Final = 20

JPEG_QUALITY: Final = 85

# Pillow's parsers that may look at an upload. Naming them stops Pillow trying its other
# parsers (EPS, PSD, TIFF and so on) on hostile input.
_DECODERS: Final = ("JPEG", "PNG", "WEBP")
# Pillow reports a JPEG carrying extra pictures (a depth map or preview, as many phones
# write) as MPO; its first picture is an ordinary JPEG.
_ACCEPTED_FORMATS: Final = frozenset({"JPEG", "MPO", "PNG", "WEBP"})


@dataclass(frozen=True)
class CleanPhoto:
    """A re-encoded photo holding pixels only: no EXIF, GPS, XMP, ICC profile or comments."""

    content: bytes
    content_type: str  # "image/jpeg" or "image/png", from the encoder, never from the upload
    extension: str  # with the dot, as os.path.splitext gives it: ".jpg" or ".png"
    width: int
    height: int
    sha256: str  # hex digest of ``content``


class PhotoRejected(ValueError):
    """The upload cannot be used; ``message`` tells the volunteer what to do instead."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def clean_photo(
    data: bytes | IO[bytes],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_side: int = DEFAULT_MAX_SIDE,
) -> CleanPhoto:
    """Check an uploaded photo, turn it the right way up, shrink it and strip its metadata.

    Raises PhotoRejected, and nothing else, for any upload that is not a usable JPEG, PNG or
    WebP photo within the limits.
    """
    raw = _read_within_limit(data, max_bytes=max_bytes)
    image = _open_within_limits(raw, max_pixels=max_pixels)
    upright = _decode_upright(image, max_side=max_side)
    return _encode(_in_display_mode(upright), max_side=max_side)


def thumbnail(photo: CleanPhoto, side: int = DEFAULT_THUMBNAIL_SIDE) -> CleanPhoto:
    """A smaller copy of an already cleaned photo, for public pages."""
    # The content is our own output, so the upload limits have nothing left to guard.
    image = _decode_upright(Image.open(io.BytesIO(photo.content)), max_side=side)
    return _encode(image, max_side=side)


def _read_within_limit(data: bytes | IO[bytes], *, max_bytes: int) -> bytes:
    if isinstance(data, bytes):
        if len(data) > max_bytes:
            raise _too_large(len(data), max_bytes=max_bytes)
        raw = data
    else:
        # One byte over the limit is enough to know the upload is too large.
        raw = _read_at_most(data, max_bytes + 1)
        if len(raw) > max_bytes:
            raise _too_large(_stream_size(data, len(raw)), max_bytes=max_bytes)
    if not raw:
        raise PhotoRejected(
            _("The file is empty. Choose the photo again and resend it."), code="empty"
        )
    return raw


def _read_at_most(stream: IO[bytes], limit: int) -> bytes:
    # A raw or network stream may return fewer bytes than asked for before it ends.
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _stream_size(stream: IO[bytes], already_read: int) -> int | None:
    """The stream's full length, for a precise message, if it can tell without reading on."""
    try:
        position = stream.tell()
        end = stream.seek(0, io.SEEK_END)
    except (AttributeError, OSError, ValueError):
        return None
    return already_read + end - position


def _too_large(size: int | None, *, max_bytes: int) -> PhotoRejected:
    limit = _describe_bytes(max_bytes, round_up=False)
    if size is None:
        message = _(
            "The photo is larger than %(limit)s, the largest accepted. "
            "Send a smaller photo or lower the camera's resolution."
        ) % {"limit": limit}
    else:
        message = _(
            "The photo is %(size)s; the largest accepted is %(limit)s. "
            "Send a smaller photo or lower the camera's resolution."
        ) % {"size": _describe_bytes(size, round_up=True), "limit": limit}
    return PhotoRejected(message, code="too_large")


def _open_within_limits(raw: bytes, *, max_pixels: int) -> Image.Image:
    """Identify the image from its header alone; no pixel data is decoded here."""
    try:
        image = Image.open(io.BytesIO(raw), formats=_DECODERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own limit caught it first (the warning is raised when warnings are errors).
        raise _too_many_pixels(None, max_pixels=max_pixels) from error
    except Exception as error:
        # Pillow's parsers report malformed input with many exception types (OSError,
        # SyntaxError, ValueError, struct.error...). Django's forms.ImageField catches
        # Exception for the same reason.
        raise _not_a_photo() from error
    if image.format not in _ACCEPTED_FORMATS:
        raise _not_a_photo()

    width, height = image.size
    if width < 1 or height < 1:
        # Pillow 13 already refuses a header with a zero side; this keeps that true whatever
        # a later decoder does.
        raise _not_a_photo()
    if width * height > max_pixels:
        raise _too_many_pixels((width, height), max_pixels=max_pixels)
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise PhotoRejected(
            _(
                "The photo is %(width)d by %(height)d pixels, too long and thin to show. "
                "Crop it so that the long side is no more than %(ratio)d times the short "
                "side, then send it again."
            )
            % {"width": width, "height": height, "ratio": MAX_ASPECT_RATIO},
            code="bad_dimensions",
        )
    return image


def _not_a_photo() -> PhotoRejected:
    return PhotoRejected(
        _(
            "This file is not a JPEG, PNG or WebP image, so we cannot accept it. "
            "Send the photo as a JPEG, which most phones and cameras can save or share."
        ),
        code="unsupported_format",
    )


def _too_many_pixels(size: tuple[int, int] | None, *, max_pixels: int) -> PhotoRejected:
    limit = _one_decimal(max_pixels, 1_000_000, round_up=False)
    if size is None:
        message = _(
            "The photo has far more pixels than the largest accepted, %(limit)s megapixels. "
            "Lower the camera's resolution or resize the photo, then send it again."
        ) % {"limit": limit}
    else:
        width, height = size
        message = _(
            "The photo is %(width)d by %(height)d pixels (%(megapixels)s megapixels); "
            "the largest accepted is %(limit)s megapixels. "
            "Lower the camera's resolution or resize the photo, then send it again."
        ) % {
            "width": width,
            "height": height,
            "megapixels": _one_decimal(width * height, 1_000_000, round_up=True),
            "limit": limit,
        }
    return PhotoRejected(message, code="too_many_pixels")


def _decode_upright(image: Image.Image, *, max_side: int) -> Image.Image:
    try:
        # Lets libjpeg decode a large JPEG at 1/2, 1/4 or 1/8 scale while both sides stay at
        # least max_side: a fraction of the memory, and no visible loss after shrinking.
        image.draft(None, (max_side, max_side))
        image.load()
    except Exception as error:
        raise PhotoRejected(
            _(
                "The photo is damaged or incomplete, perhaps because the upload was cut "
                "short. Send it again; if that fails, save a fresh copy from your camera "
                "or phone."
            ),
            code="damaged",
        ) from error
    # The orientation is about to be thrown away with the rest of the EXIF, so it has to be
    # applied to the pixels now. If the EXIF is too malformed to read, the picture is still
    # worth keeping as it was stored.
    with contextlib.suppress(Exception):
        ImageOps.exif_transpose(image, in_place=True)
    return image


def _in_display_mode(image: Image.Image) -> Image.Image:
    """RGBA for pictures with any see-through pixel, otherwise RGB, or L for greys."""
    if image.mode.startswith("I"):
        # 16-bit greys: a plain convert() would clip every value above 255 to white.
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        # Screenshots and exports often carry an alpha channel that is opaque throughout;
        # those are smaller and as good as JPEGs.
        if rgba.getchannel("A").getextrema() != (255, 255):
            return rgba
        return rgba.convert("RGB")
    if image.mode in ("1", "L"):
        return image.convert("L")
    return image.convert("RGB")


def _encode(image: Image.Image, *, max_side: int) -> CleanPhoto:
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A new image built from the raw pixels has an empty ``info``. Pillow's encoders fall
    # back to ``info`` for some metadata (a JPEG comment, a PNG's ICC profile), so passing
    # the decoded image straight to save() could carry it through.
    pixels_only = Image.frombytes(image.mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    if pixels_only.mode == "RGBA":
        pixels_only.save(buffer, format="PNG", optimize=True)
        content_type, extension = "image/png", ".png"
    else:
        pixels_only.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        content_type, extension = "image/jpeg", ".jpg"
    content = buffer.getvalue()
    return CleanPhoto(
        content=content,
        content_type=content_type,
        extension=extension,
        width=pixels_only.width,
        height=pixels_only.height,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _describe_bytes(byte_count: int, *, round_up: bool) -> str:
    if byte_count >= 1_000_000:
        return _("%(size)s MB") % {"size": _one_decimal(byte_count, 1_000_000, round_up=round_up)}
    return _("%(size)s kB") % {"size": _one_decimal(byte_count, 1_000, round_up=round_up)}


def _one_decimal(count: int, unit: int, *, round_up: bool) -> str:
    """Round a photo's size up and a limit down, so a photo over the limit never reads as
    "10 MB; the largest accepted is 10 MB"."""
    # Whole tenths in integers: in floats 0.3 * 10 is a hair over 3 and would round up to 0.4.
    tenths = -(-count * 10 // unit) if round_up else count * 10 // unit
    whole, tenth = divmod(tenths, 10)
    return f"{whole}.{tenth}" if tenth else str(whole)
