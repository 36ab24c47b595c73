"""Photos are re-encoded on the phone before they are queued: nothing but pixels leaves it."""

import io

import pytest
from PIL import ExifTags, Image, ImageCms

from mobile.services.photos import PhotoNotUsable, prepare_photo

ORIENTATION = 0x0112
ROTATED_90_CLOCKWISE = 6


def phone_jpeg(path, size=(80, 40), *, orientation=None):
    """A JPEG as a phone writes it: GPS position, camera serial number, XMP and an ICC profile."""
    image = Image.new("RGB", size, (200, 30, 30))
    # The left half red, the right half blue, to see which way up the result is.
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (51.0, 28.0, 16.0), 3: "W", 4: (0.0, 6.0, 44.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description GPSLatitude="51,28N"/></x:xmpmeta>'
    image.save(path, "JPEG", exif=exif, icc_profile=icc, xmp=xmp)
    return path


def test_a_photo_with_gps_comes_out_with_no_exif_at_all(tmp_path):
    source = phone_jpeg(tmp_path / "IMG_0001.jpg")
    with Image.open(source) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[2] == (51.0, 28.0, 16.0)
        assert "icc_profile" in original.info

    prepared = prepare_photo(source, tmp_path / "photos")

    raw = prepared.path.read_bytes()
    with Image.open(prepared.path) as result:
        assert result.format == "JPEG"
        assert dict(result.getexif()) == {}
        assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp"} & set(result.info)
        assert result.size == (80, 40)
    for hidden in (b"Exif", b"GPS", b"PhoneMaker", b"SN-123456", b"xmpmeta", b"ICC_PROFILE"):
        assert hidden not in raw


def test_the_orientation_is_applied_to_the_pixels_before_it_is_dropped(tmp_path):
    source = phone_jpeg(tmp_path / "sideways.jpg", orientation=ROTATED_90_CLOCKWISE)
    prepared = prepare_photo(source, tmp_path / "photos")
    with Image.open(prepared.path) as result:
        # Stored 80 wide and 40 high, shown turned a quarter: upright it is 40 by 80.
        assert result.size == (40, 80)
        assert ORIENTATION not in result.getexif()
        top, bottom = result.getpixel((20, 5)), result.getpixel((20, 75))
    # The red left half is now at the top.
    assert top[0] > 150 > top[2]
    assert bottom[2] > 150 > bottom[0]


def test_the_photo_gets_a_new_name_in_the_apps_folder_and_the_original_is_untouched(tmp_path):
    source = phone_jpeg(tmp_path / "IMG_0002.jpg")
    before = source.read_bytes()
    first = prepare_photo(source, tmp_path / "photos")
    second = prepare_photo(source, tmp_path / "photos")
    assert first.path.parent == second.path.parent == tmp_path / "photos"
    assert first.path.suffix == ".jpg"
    assert first.path.name != second.path.name
    assert "IMG_0002" not in first.path.name
    assert source.read_bytes() == before
    assert sorted(p.suffix for p in (tmp_path / "photos").iterdir()) == [".jpg", ".jpg"]


def test_a_very_large_photo_is_shrunk_to_2048_pixels_on_its_longest_side(tmp_path):
    source = tmp_path / "big.png"
    Image.new("RGB", (4000, 3000), (10, 120, 10)).save(source)
    prepared = prepare_photo(source, tmp_path / "photos")
    assert (prepared.width, prepared.height) == (2048, 1536)
    with Image.open(prepared.path) as result:
        assert (result.format, result.size) == ("JPEG", (2048, 1536))
    assert prepared.size_bytes == prepared.path.stat().st_size


def test_see_through_parts_are_laid_on_white(tmp_path):
    source = tmp_path / "sticker.png"
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(source)
    prepared = prepare_photo(source, tmp_path / "photos")
    with Image.open(prepared.path) as result:
        assert result.mode == "RGB"
        assert min(result.getpixel((10, 10))) > 245


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"%PDF-1.7 not a picture", "This file is not a photo the app can use."),
        (b"\xff\xd8\xff\xe0 broken jpeg", "This file is not a photo the app can use."),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_with_what_to_do(tmp_path, content, message):
    source = tmp_path / "upload.jpg"
    source.write_bytes(content)
    with pytest.raises(PhotoNotUsable, match=message):
        prepare_photo(source, tmp_path / "photos")
    assert not (tmp_path / "photos").exists() or not any((tmp_path / "photos").iterdir())


def test_a_damaged_photo_is_refused(tmp_path):
    buffer = io.BytesIO()
    Image.effect_noise((400, 400), 80).convert("RGB").save(buffer, "JPEG")
    source = tmp_path / "cut-short.jpg"
    source.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(PhotoNotUsable, match="damaged or incomplete"):
        prepare_photo(source, tmp_path / "photos")


def test_a_file_too_large_is_refused_with_the_limit(tmp_path):
    source = phone_jpeg(tmp_path / "IMG_0003.jpg")
    size = source.stat().st_size
    assert size > 1000
    with pytest.raises(PhotoNotUsable, match=r"; the largest accepted is 0.001 MB\. Choose a smal"):
        prepare_photo(source, tmp_path / "photos", max_bytes=1000)


def test_too_many_pixels_is_refused_before_decoding(tmp_path):
    source = tmp_path / "huge.png"
    Image.new("L", (3000, 2000)).save(source)
    with pytest.raises(PhotoNotUsable, match="3000 by 2000 pixels; the most accepted is 5 mega"):
        prepare_photo(source, tmp_path / "photos", max_pixels=5_000_000)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(PhotoNotUsable, match="could not be found"):
        prepare_photo(tmp_path / "gone.jpg", tmp_path / "photos")
