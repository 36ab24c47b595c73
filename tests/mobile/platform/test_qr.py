"""Reading a device code from a picture of a sign, as the scan screen does."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from PIL import Image

from mobile.platform.camera import StillPictureCamera
from mobile.platform.qr import (
    NO_DECODER,
    NO_QR_FOUND,
    NOT_A_PICTURE,
    code_from_text,
    decode_file,
    decode_image,
)
from portal.signage.qr import qr_png


def qr_picture(text: str) -> Image.Image:
    """The QR code exactly as the portal draws it for a sign."""
    return Image.open(io.BytesIO(qr_png(text))).convert("RGB")


def photo_of(text: str, *, size: tuple[int, int] = (3000, 4000), angle: float = 0) -> Image.Image:
    """A large grey 'photo' with the QR code small and slightly turned in one corner."""
    photo = Image.new("RGB", size, (150, 145, 140))
    code = qr_picture(text).rotate(angle, expand=True, fillcolor=(255, 255, 255))
    photo.paste(code, (size[0] // 5, size[1] // 3))
    return photo


def test_a_signs_short_link_gives_its_device_code():
    result = decode_image(qr_picture("https://plainsight.millbrook.example/d/K7Q-29XG"))
    assert result.found
    assert result.code == "K7Q-29XG"
    assert result.problem is None


def test_a_large_phone_photo_with_the_code_turned_is_read():
    result = decode_image(photo_of("https://plainsight.millbrook.example/d/K7Q-29XG", angle=12))
    assert result.code == "K7Q-29XG"


def test_a_photo_saved_to_disk_is_read(tmp_path: Path):
    path = tmp_path / "sign.jpg"
    photo_of("http://127.0.0.1:8000/d/k7q29xg/").save(path, quality=85)
    assert decode_file(path).code == "K7Q-29XG"


def test_a_photo_without_a_qr_code_says_so(tmp_path: Path):
    path = tmp_path / "wall.png"
    Image.new("RGB", (800, 600), (200, 190, 180)).save(path)
    result = decode_file(path)
    assert not result.found
    assert result.problem == NO_QR_FOUND
    assert "No QR code found in that picture" in result.problem


def test_a_qr_code_that_is_not_on_a_plainsight_sign_says_where_it_leads():
    result = decode_image(qr_picture("https://cafe.example/menu?table=4"))
    assert not result.found
    assert result.problem.startswith("That QR code isn't on a Plainsight sign")
    assert "cafe.example/menu" in result.problem


def test_a_qr_code_holding_plain_text_is_not_taken_for_a_sign():
    result = decode_image(qr_picture("WIFI:S:Library;T:WPA;P:books;;"))
    assert result.problem.startswith("That QR code isn't on a Plainsight sign")


def test_a_short_link_whose_code_fails_its_check_character_is_refused():
    # K7Q-29XM was the example in the architecture notes; its check character is wrong.
    result = code_from_text("https://plainsight.millbrook.example/d/K7Q-29XM")
    assert not result.found
    assert "\u201cK7Q-29XM\u201d, which is not a valid device code" in result.problem


def test_our_code_is_chosen_when_the_photo_shows_another_qr_code_too():
    photo = Image.new("RGB", (1400, 700), "white")
    photo.paste(qr_picture("https://cafe.example/menu"), (40, 40))
    photo.paste(qr_picture("https://x.example/d/K7Q-29XG"), (760, 40))
    assert decode_image(photo).code == "K7Q-29XG"


def test_a_file_that_is_not_a_picture_says_so(tmp_path: Path):
    path = tmp_path / "notes.jpg"
    path.write_text("not a picture")
    assert decode_file(path).problem == NOT_A_PICTURE


def test_without_zxing_cpp_the_app_asks_for_the_typed_code(monkeypatch):
    monkeypatch.setitem(sys.modules, "zxingcpp", None)  # as in an APK built without it
    result = decode_image(qr_picture("https://x.example/d/K7Q-29XG"))
    assert result.problem == NO_DECODER


@pytest.mark.parametrize("exists", [True, False])
def test_the_still_picture_camera_hands_back_its_picture_or_nothing(tmp_path: Path, exists: bool):
    picture = tmp_path / "sign.png"
    if exists:
        qr_picture("https://x.example/d/K7Q-29XG").save(picture)
    taken: list[Path | None] = []
    StillPictureCamera(picture).take_picture(taken.append)
    assert taken == [picture if exists else None]
