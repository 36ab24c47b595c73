"""A photo sent with a reading comes out the right way up, small enough, and with nothing in it
but pixels; anything that is not a usable photo is refused with a message that says what to do.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import random
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from portal.citizen_science.photos import CleanPhoto, PhotoRejected, clean_photo, thumbnail

SERIAL_NUMBER = "SN-4471-PRIVATE"
HOME_ADDRESS = "12 Acacia Avenue"
XMP_PACKET = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.4N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
SECRETS = (SERIAL_NUMBER.encode(), HOME_ADDRESS.encode(), b"Acme", b"51,30.4N")


def private_exif(*, orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: where the photo was taken and which camera took it."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Acme"
    exif[ExifTags.Base.Model] = "Pocket Phone 9"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = SERIAL_NUMBER
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def two_colour_picture(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue, so a rotation shows where the halves went."""
    width, height = size
    picture = Image.new(mode, size, "blue")
    picture.paste("red", (0, 0, width // 2, height))
    return picture


def noisy_picture(size: tuple[int, int]) -> Image.Image:
    # Noise does not compress, so a cut-short file is cut in the middle of the pixel data.
    noise = random.Random(7).randbytes(size[0] * size[1] * 3)
    return Image.frombytes("RGB", size, noise)


def encoded(picture: Image.Image, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def phone_jpeg(size: tuple[int, int] = (300, 200), *, orientation: int = 6) -> bytes:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encoded(
        two_colour_picture(size),
        "JPEG",
        exif=private_exif(orientation=orientation),
        icc_profile=srgb,
        comment=HOME_ADDRESS,
        xmp=XMP_PACKET,
    )


def transparent_png() -> bytes:
    picture = two_colour_picture((120, 80), mode="RGBA")
    picture.paste((0, 0, 0, 0), (0, 0, 20, 20))
    text = PngInfo()
    text.add_text("Comment", HOME_ADDRESS)
    text.add_itxt("Author", SERIAL_NUMBER)
    return encoded(picture, "PNG", pnginfo=text, exif=private_exif())


def webp_with_exif() -> bytes:
    return encoded(two_colour_picture((160, 90)), "WEBP", exif=private_exif(), xmp=XMP_PACKET)


def named_stream(content: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = name
    return stream


def png_declaring_size(width: int, height: int) -> bytes:
    """A valid 1 by 1 PNG whose header claims another size, as a decompression bomb's does."""
    png = bytearray(encoded(Image.new("1", (1, 1)), "PNG"))
    # Signature (8 bytes), then the IHDR chunk: length (4), type (4), width, height...
    png[16:24] = struct.pack(">II", width, height)
    header_end = 8 + 4 + 4 + 13
    png[header_end : header_end + 4] = struct.pack(">I", zlib.crc32(png[12:header_end]))
    return bytes(png)


def exif_with_mistyped_gps_tag(*, orientation: int) -> bytes:
    """EXIF as a careless app writes it: GPSLatitudeRef stored as a fraction, not a letter.

    Pillow 13 can read this, but fails while writing it back after turning the picture.
    """
    tiff_header = b"MM\x00*" + struct.pack(">I", 8)
    gps_ifd_offset = 8 + 2 + 2 * 12 + 4
    first_ifd = (
        struct.pack(">H", 2)
        + struct.pack(">HHIHH", ExifTags.Base.Orientation, 3, 1, orientation, 0)
        + struct.pack(">HHII", ExifTags.IFD.GPSInfo, 4, 1, gps_ifd_offset)
        + struct.pack(">I", 0)
    )
    signed_rational = 10
    gps_ifd = (
        struct.pack(">H", 1)
        + struct.pack(">HHII", ExifTags.GPS.GPSLatitudeRef, signed_rational, 1, 0)
        + struct.pack(">I", 0)
    )
    return b"Exif\x00\x00" + tiff_header + first_ifd + gps_ifd


def reopened(photo: CleanPhoto) -> Image.Image:
    picture = Image.open(io.BytesIO(photo.content))
    picture.load()
    return picture


def assert_nothing_but_pixels(photo: CleanPhoto) -> None:
    picture = reopened(photo)
    assert len(picture.getexif()) == 0
    assert not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "Comment"):
        assert key not in picture.info
    assert not getattr(picture, "text", {})
    for secret in SECRETS:
        assert secret not in photo.content
    for marker in (b"Exif", b"http://ns.adobe.com/xap/1.0/", b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert marker not in photo.content


# What is kept and what is thrown away


def test_jpeg_from_a_phone_loses_its_location_camera_and_serial_number() -> None:
    source = Image.open(io.BytesIO(phone_jpeg()))
    # The test only means something if the location really was in the upload.
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert SERIAL_NUMBER.encode() in phone_jpeg()

    photo = clean_photo(phone_jpeg())

    assert photo.content_type == "image/jpeg"
    assert photo.extension == ".jpg"
    assert_nothing_but_pixels(photo)


def test_sideways_phone_photo_is_turned_the_right_way_up() -> None:
    # Stored 300 wide and 200 high, with orientation 6: "turn 90° clockwise to view".
    photo = clean_photo(phone_jpeg((300, 200), orientation=6))

    picture = reopened(photo).convert("RGB")
    assert (photo.width, photo.height) == picture.size == (200, 300)
    # The red left half of the stored picture is the top half once turned clockwise.
    assert picture.getpixel((100, 40))[0] > 200
    assert picture.getpixel((100, 260))[2] > 200


def test_png_keeps_its_transparency_but_loses_its_text() -> None:
    photo = clean_photo(transparent_png())

    picture = reopened(photo)
    assert photo.content_type == "image/png"
    assert photo.extension == ".png"
    assert picture.mode == "RGBA"
    assert picture.getpixel((5, 5))[3] == 0
    assert picture.getpixel((100, 60)) == (0, 0, 255, 255)
    assert_nothing_but_pixels(photo)


def test_webp_is_accepted_and_stripped() -> None:
    photo = clean_photo(webp_with_exif())

    assert photo.content_type == "image/jpeg"
    assert (photo.width, photo.height) == (160, 90)
    assert_nothing_but_pixels(photo)


def test_phone_jpeg_with_an_extra_depth_picture_is_accepted() -> None:
    # Many phones write MPO: a JPEG followed by more pictures.
    main, depth_map = two_colour_picture((64, 48)), Image.new("RGB", (64, 48), "grey")
    mpo = encoded(main, "MPO", save_all=True, append_images=[depth_map], exif=private_exif())

    photo = clean_photo(mpo)

    assert photo.content_type == "image/jpeg"
    assert (photo.width, photo.height) == (64, 48)
    assert_nothing_but_pixels(photo)


def test_photo_with_garbled_location_data_is_still_accepted_and_turned() -> None:
    garbled = encoded(
        two_colour_picture((300, 200)), "JPEG", exif=exif_with_mistyped_gps_tag(orientation=6)
    )

    photo = clean_photo(garbled)

    assert (photo.width, photo.height) == (200, 300)
    assert_nothing_but_pixels(photo)


def test_script_hidden_after_the_picture_does_not_survive() -> None:
    polyglot = phone_jpeg() + b"<script>alert('stolen')</script>"

    photo = clean_photo(polyglot)

    assert b"<script" not in photo.content


def test_large_photo_is_shrunk_to_the_longest_side_allowed() -> None:
    photo = clean_photo(encoded(noisy_picture((1200, 300)), "JPEG"), max_side=400)

    assert (photo.width, photo.height) == reopened(photo).size == (400, 100)


def test_small_photo_is_not_enlarged() -> None:
    photo = clean_photo(encoded(two_colour_picture((50, 40)), "PNG"))

    assert (photo.width, photo.height) == (50, 40)


@pytest.mark.parametrize(
    ("content", "misleading_name", "content_type"),
    [
        (transparent_png(), "reading.jpg", "image/png"),
        (phone_jpeg(), "reading.png", "image/jpeg"),
        (webp_with_exif(), "reading.gif", "image/jpeg"),
    ],
)
def test_type_comes_from_the_pixels_not_the_file_name(
    content: bytes, misleading_name: str, content_type: str
) -> None:
    photo = clean_photo(named_stream(content, misleading_name))

    assert photo.content_type == content_type
    assert reopened(photo).format == content_type.removeprefix("image/").upper()


def test_opaque_png_screenshot_becomes_a_jpeg() -> None:
    screenshot = encoded(two_colour_picture((80, 60), mode="RGBA"), "PNG")

    assert clean_photo(screenshot).content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("picture", "expected_colour"),
    [
        (Image.new("CMYK", (40, 30), (0, 255, 255, 0)), (255, 0, 0)),
        (Image.new("L", (40, 30), 128), 128),
        # 16-bit greys, as scientific cameras write them: mid-grey must not turn white.
        (Image.new("I;16", (40, 30), 32768), 128),
    ],
    ids=["cmyk", "grey", "16-bit-grey"],
)
def test_unusual_colour_modes_keep_their_colours(
    picture: Image.Image, expected_colour: tuple[int, ...] | int
) -> None:
    image_format = "PNG" if picture.mode.startswith("I") else "JPEG"

    photo = clean_photo(encoded(picture, image_format))

    colour = reopened(photo).getpixel((20, 15))
    if isinstance(expected_colour, int):
        assert abs(colour - expected_colour) <= 2
    else:
        assert all(abs(got - want) <= 3 for got, want in zip(colour, expected_colour))


def test_checksum_and_size_describe_the_cleaned_file() -> None:
    photo = clean_photo(phone_jpeg())

    assert photo.sha256 == hashlib.sha256(photo.content).hexdigest()
    assert (photo.width, photo.height) == reopened(photo).size


def test_the_same_upload_gives_the_same_file() -> None:
    assert clean_photo(phone_jpeg()).sha256 == clean_photo(phone_jpeg()).sha256


def test_upload_can_be_read_from_a_stream() -> None:
    assert clean_photo(io.BytesIO(webp_with_exif())).width == 160


def test_thumbnail_is_small_and_clean() -> None:
    photo = clean_photo(encoded(noisy_picture((900, 600)), "JPEG"))

    small = thumbnail(photo, side=120)

    assert (small.width, small.height) == reopened(small).size == (120, 80)
    assert small.content_type == "image/jpeg"
    assert len(small.content) < len(photo.content)
    assert_nothing_but_pixels(small)


def test_thumbnail_of_a_transparent_png_stays_transparent() -> None:
    small = thumbnail(clean_photo(transparent_png()), side=60)

    assert small.content_type == "image/png"
    assert reopened(small).getpixel((1, 1))[3] == 0


# Refusals: each one is a PhotoRejected, never another error, and says how to put it right


NOT_A_PHOTO_HINT = "JPEG, PNG or WebP"


@pytest.mark.parametrize(
    ("upload", "expected_hint"),
    [
        (named_stream(b"NO2 reading: 41 ug/m3", "photo.jpg"), NOT_A_PHOTO_HINT),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", NOT_A_PHOTO_HINT),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(1)</script></svg>",
            NOT_A_PHOTO_HINT,
        ),
        (encoded(Image.new("P", (20, 20)), "GIF"), NOT_A_PHOTO_HINT),
        (encoded(Image.new("RGB", (20, 20)), "BMP"), NOT_A_PHOTO_HINT),
        (encoded(Image.new("RGB", (20, 20)), "TIFF"), NOT_A_PHOTO_HINT),
        (encoded(noisy_picture((64, 64)), "JPEG")[:2000], "Send it again"),
        # Pillow raises ValueError, not OSError, for this one.
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x00IHDR", NOT_A_PHOTO_HINT),
        (b"", "Choose the photo again"),
        (png_declaring_size(0, 10), NOT_A_PHOTO_HINT),
        (encoded(Image.new("L", (2100, 100)), "PNG"), "Crop it"),
    ],
    ids=[
        "text-named-jpg",
        "html",
        "svg",
        "gif",
        "bmp",
        "tiff",
        "truncated-jpeg",
        "png-cut-short-in-its-header",
        "empty",
        "zero-width",
        "thin-strip",
    ],
)
def test_unusable_upload_is_refused_with_a_way_forward(
    upload: bytes | io.BytesIO, expected_hint: str
) -> None:
    with pytest.raises(PhotoRejected) as refusal:
        clean_photo(upload)

    assert expected_hint in refusal.value.message
    assert str(refusal.value) == refusal.value.message


def test_oversized_upload_is_refused_with_both_sizes() -> None:
    with pytest.raises(PhotoRejected, match=r"is 2\.5 kB; the largest accepted is 1 kB"):
        clean_photo(b"\xff" * 2500, max_bytes=1000)


def test_oversized_stream_is_refused_with_its_size() -> None:
    with pytest.raises(PhotoRejected, match=r"is 2\.5 kB; the largest accepted is 1 kB"):
        clean_photo(io.BytesIO(b"\xff" * 2500), max_bytes=1000)


class EndlessUpload(io.RawIOBase):
    """An upload that never ends, as a hostile or broken client might send."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:
        buffer[:] = b"\xff" * len(buffer)
        return len(buffer)


def test_endless_upload_is_refused_once_it_passes_the_limit() -> None:
    with pytest.raises(PhotoRejected, match="larger than 1 kB") as refusal:
        clean_photo(EndlessUpload(), max_bytes=1000)

    assert refusal.value.code == "too_large"
    assert "Send a smaller photo" in refusal.value.message


def test_size_just_over_the_limit_does_not_read_as_equal_to_it() -> None:
    with pytest.raises(PhotoRejected, match=r"is 10\.1 MB; the largest accepted is 10 MB"):
        clean_photo(b"\x00" * 10_000_001)


def test_photo_over_the_pixel_limit_is_refused_before_decoding() -> None:
    # 64 megapixels: under Pillow's own limit, so only our check stands in the way.
    with pytest.raises(PhotoRejected, match="8000 by 8000 pixels") as refusal:
        clean_photo(png_declaring_size(8000, 8000))

    assert "largest accepted is 40 megapixels" in refusal.value.message
    assert "Lower the camera's resolution" in refusal.value.message


@pytest.mark.parametrize(
    ("width", "height"),
    [(50_000, 50_000), (10_000, 10_000)],
    ids=["beyond-pillows-limit", "within-pillows-warning-band"],
)
@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_is_refused_even_when_warnings_are_errors(
    width: int, height: int
) -> None:
    bomb = png_declaring_size(width, height)
    assert len(bomb) < 100

    with pytest.raises(PhotoRejected, match="largest accepted, 40 megapixels") as refusal:
        clean_photo(bomb)

    assert refusal.value.code == "too_many_pixels"


# Whatever arrives, the only failure is a polite refusal


SEED_IMAGES = (
    encoded(two_colour_picture((24, 16)), "JPEG", exif=private_exif(orientation=6)),
    encoded(two_colour_picture((24, 16), mode="RGBA"), "PNG"),
    encoded(two_colour_picture((24, 16)), "WEBP"),
)


@st.composite
def damaged_images(draw: st.DrawFn) -> bytes:
    """Real images with a few bytes overwritten, perhaps cut short: hostile but nearly valid."""
    image = bytearray(draw(st.sampled_from(SEED_IMAGES)))
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        image[draw(st.integers(0, len(image) - 1))] = draw(st.integers(0, 255))
    cut = draw(st.none() | st.integers(1, len(image)))
    return bytes(image[:cut])


# Pillow warns about each malformed EXIF tag it skips; hundreds of those would bury real warnings.
@pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")
@given(upload=st.one_of(st.binary(max_size=4096), damaged_images()))
@settings(max_examples=300, deadline=None)
def test_any_bytes_are_either_cleaned_or_politely_refused(upload: bytes) -> None:
    with contextlib.suppress(PhotoRejected):
        photo = clean_photo(upload)
        assert reopened(photo).format in {"JPEG", "PNG"}
