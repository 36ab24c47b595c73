"""DTPR icons rasterised to PNG for the device screen, and the APK's pre-rendered set."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from PIL import Image

from mobile.services.icons import ICON_PIXELS, IconFiles, icon_file_name, main


def opened(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image.convert("RGBA")


def test_an_elements_icon_is_drawn_as_a_png_of_the_right_size(tmp_path: Path):
    icons = IconFiles(tmp_path / "cache", bundled_dir=None)
    path = icons.path_for("tech", "identifiable_video")
    assert path == tmp_path / "cache" / "tech--identifiable_video--128.png"
    assert path.stat().st_size > 500
    image = opened(path)
    assert image.size == (ICON_PIXELS, ICON_PIXELS)


def test_the_icon_looks_like_a_dtpr_icon_outline_fill_and_clear_corners(tmp_path: Path):
    image = opened(IconFiles(tmp_path, bundled_dir=None).path_for("tech", "identifiable_video"))
    # Outside the hexagon: transparent, so the icon sits on any background.
    assert image.getpixel((2, 2))[3] == 0
    # Identifiable technology is filled yellow (DTPR's colour for it), inside the outline.
    assert image.getpixel((64, 20))[:3] == (0xFF, 0xDD, 0x00)
    # The black outline is kept (Kivy's own SVG loader loses these strokes).
    column = [image.getpixel((64, y)) for y in range(20)]
    assert any(pixel[3] > 200 and max(pixel[:3]) < 40 for pixel in column)


def test_a_purpose_icon_is_a_black_hexagon_with_a_white_symbol(tmp_path: Path):
    image = opened(IconFiles(tmp_path, bundled_dir=None).path_for("purpose", "safety_security"))
    colours = {pixel[:3] for pixel in image.get_flattened_data() if pixel[3] == 255}
    assert (0, 0, 0) in colours
    assert (255, 255, 255) in colours


def test_icons_are_made_once_and_then_read_from_the_cache(tmp_path: Path):
    icons = IconFiles(tmp_path, bundled_dir=None)
    first = icons.path_for("retention", "data_retained")
    first.write_bytes(b"kept")
    assert icons.path_for("retention", "data_retained").read_bytes() == b"kept"


def test_the_apks_pre_rendered_icons_are_used_first(tmp_path: Path):
    bundled = tmp_path / "bundled"
    main(["--out", str(bundled)])
    names = {path.name for path in bundled.iterdir()}
    assert icon_file_name("tech", "identifiable_video") in names
    assert len(names) > 100
    icons = IconFiles(tmp_path / "cache", bundled_dir=bundled)
    assert icons.path_for("tech", "identifiable_video").parent == bundled
    assert not (tmp_path / "cache").exists()


def test_without_pymupdf_or_bundled_icons_the_screen_gets_no_picture(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pymupdf", None)  # as in the APK: not installed
    assert (
        IconFiles(tmp_path, bundled_dir=tmp_path / "none").path_for("tech", "video_camera") is None
    )


def test_an_element_the_app_does_not_know_gets_no_picture(tmp_path: Path):
    assert IconFiles(tmp_path, bundled_dir=None).path_for("tech", "quantum_sensor") is None


@pytest.mark.parametrize("element", [("accountable", "institution"), ("storage", "stored_locally")])
def test_every_category_shape_renders(tmp_path: Path, element):
    path = IconFiles(tmp_path, bundled_dir=None).path_for(*element)
    assert Image.open(io.BytesIO(path.read_bytes())).size == (ICON_PIXELS, ICON_PIXELS)
