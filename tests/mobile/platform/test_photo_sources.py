"""Where a reading's photo comes from: a camera on a phone, a chosen image file on a desktop."""

from mobile.platform.photos import IMAGE_PATTERNS, photo_camera


def test_a_desktop_has_no_camera_so_the_screen_offers_a_file(tmp_path):
    assert photo_camera(tmp_path) is None


def test_the_chooser_offers_the_images_the_server_takes():
    assert {pattern.lower() for pattern in IMAGE_PATTERNS} == {"*.jpg", "*.jpeg", "*.png", "*.webp"}
