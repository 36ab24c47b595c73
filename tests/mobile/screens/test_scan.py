"""The scan screen: a demo device's sign read through the camera adapter opens its device
screen; a mistyped code is caught by its check character; a photo without a QR code says so."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from mobile.platform.camera import StillPictureCamera
from mobile.platform.qr import NO_QR_FOUND

from .conftest import pump
from .sign_scanning import (
    demo_device,
    download,
    home_screen,  # noqa: F401 (an autouse fixture)
    labels_on,
    live_demo,
    load_demo_borough,
    press,
    pump_until,
    unreachable_server,
)

CHECK_FAILED = (
    "This code doesn't check out: one character may be mistyped. "
    "Look again at the code under the QR code."
)


@live_demo
def test_scanning_a_demo_devices_sign_opens_its_device_screen(
    live_server, app_factory, screenshot, tmp_path: Path
):
    load_demo_borough()
    device = demo_device("cctv-market-square")
    sign = tmp_path / "sign.png"
    sign.write_bytes(download(f"{live_server.url}/devices/{device.slug}/sign.png"))

    app = app_factory(server=live_server.url)
    scan = app.show("scan")
    scan.camera = StillPictureCamera(sign)  # the camera "takes" the printed sign
    pump()
    screenshot("scan")
    press(scan.ids.camera_button)
    pump()

    assert app.manager.current == "device"
    screen = app.manager.current_screen
    assert screen.code == device.code
    pump_until(lambda: not screen.loading)
    assert screen.problem == ""
    assert screen.title == "CCTV camera, Market Square"
    shown = labels_on(screen)
    assert "CCTV camera, Market Square" in shown
    for row in ("Safety & Security", "Identifiable Video", "Retained 31 days", "Stored locally"):
        assert row in shown
    assert "Millbrook Borough Council" in shown

    # Typing the code printed under the QR code, loosely, leads to the same device.
    scan = app.show("scan")
    scan.ids.code_input.text = device.code.lower().replace("-", " ")
    press(scan.ids.look_up_button)
    assert app.manager.current == "device"
    pump_until(lambda: not screen.loading)
    assert screen.code == device.code
    assert screen.title == "CCTV camera, Market Square"


def test_a_mistyped_code_is_caught_by_its_check_character(app_factory, screenshot):
    app = app_factory(server=unreachable_server())
    scan = app.show("scan")
    scan.ids.code_input.text = "K7Q-29XM"  # one character wrong: the real code is K7Q-29XG
    press(scan.ids.look_up_button)
    assert app.manager.current == "scan"
    assert scan.problem == CHECK_FAILED
    assert CHECK_FAILED in labels_on(scan)
    screenshot("scan-error")


def test_a_letter_o_typed_for_a_code_is_explained(app_factory):
    app = app_factory(server=unreachable_server())
    scan = app.show("scan")
    scan.ids.code_input.text = "k7o 29xg"
    press(scan.ids.look_up_button)
    assert scan.problem.startswith("Codes never use the letter O")
    assert "a Q or a D" in scan.problem
    scan.ids.code_input.text = "K7Q-29X"
    assert scan.problem == ""  # typing again clears the old message
    press(scan.ids.look_up_button)
    assert scan.problem == "Codes have 7 characters, like K7Q-29XG; you typed 6."


def test_a_chosen_photo_without_a_qr_code_says_so(app_factory, screenshot, tmp_path: Path):
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.new("RGB", (1200, 900), (120, 130, 125)).save(photos / "pavement.jpg")
    app = app_factory(server=unreachable_server())
    scan = app.show("scan")
    press(scan.ids.photo_button)
    chooser = scan.photo_chooser
    assert chooser is not None
    chooser.chooser.path = str(photos)
    pump()
    chooser.chooser.selection = [str(photos / "pavement.jpg")]
    press(chooser.use_button)
    pump()
    assert app.manager.current == "scan"
    assert scan.problem == NO_QR_FOUND
    assert NO_QR_FOUND in labels_on(scan)
    screenshot("scan-no-qr-code")


def test_without_a_camera_the_camera_button_is_off_and_says_what_to_do(app_factory):
    app = app_factory(server=unreachable_server())
    scan = app.show("scan")
    scan.camera = None
    pump()
    assert scan.ids.camera_button.disabled
    assert "No camera here: choose a photo of the sign, or type its code." in labels_on(scan)
