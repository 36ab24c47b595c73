import io

import zxingcpp
from PIL import Image

from portal.signage.qr import QUIET_ZONE_MODULES, qr_modules, qr_png, qr_svg
from portal.signage.rendering import svg_to_png

LINK = "https://millbrook.example/d/K7Q-29XM"


def test_quiet_zone_is_at_least_four_modules_on_every_side():
    matrix = qr_modules(LINK)
    size = len(matrix)
    for offset in range(QUIET_ZONE_MODULES):
        assert not any(matrix[offset])
        assert not any(matrix[size - 1 - offset])
        assert not any(row[offset] or row[size - 1 - offset] for row in matrix)
    assert any(matrix[QUIET_ZONE_MODULES])  # the symbol starts right after it


def test_png_and_svg_decode_to_the_link_with_error_correction_q():
    for image in (
        Image.open(io.BytesIO(qr_png(LINK))),
        Image.open(io.BytesIO(svg_to_png(qr_svg(LINK)))),
    ):
        results = zxingcpp.read_barcodes(image)
        assert [result.text for result in results] == [LINK]
        assert results[0].ec_level == "Q"


def test_svg_says_what_it_is():
    svg = qr_svg(LINK)
    assert f"<title>QR code for {LINK}</title>" in svg
    assert 'role="img"' in svg
