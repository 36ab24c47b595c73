"""Every demo sign, printed and photographed, opens its own device page.

The photo model: a 12-megapixel phone camera (4032 px across) at one metre sees a field about
1.3 m wide, so about 3.1 pixels per millimetre of sign. The 150 dpi print raster (5.9 px/mm) is
scaled down to that, blurred by about a pixel (focus and shake) and turned by 10 degrees.
"""

import io
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image, ImageFilter

from portal.core.models import CouncilSettings
from portal.registry.models import DevicePage
from portal.signage.rendering import svg_to_png
from portal.signage.signs import SignSize, render_sign_svg, sign_content

pytestmark = pytest.mark.django_db

PRINT_DPI = 150
PHONE_PIXELS_PER_MM = 4032 / 1300


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def photographed(image: Image.Image) -> Image.Image:
    scale = PHONE_PIXELS_PER_MM / (PRINT_DPI / 25.4)
    smaller = image.resize(
        (round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS
    )
    blurred = smaller.filter(ImageFilter.GaussianBlur(radius=1))
    return blurred.rotate(10, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")


def test_every_demo_sign_scans_to_its_device_page_even_when_photographed(client, settings):
    settings.SHORT_LINK_BASE_URL = "https://millbrook.example"
    call_command("load_demo", "--no-users", verbosity=0)
    council = CouncilSettings.objects.get()
    failures = []
    devices = list(DevicePage.objects.live())
    assert len(devices) >= 15
    for device in devices:
        for size in SignSize:
            svg = render_sign_svg(sign_content(device, council=council), size)
            printed = Image.open(io.BytesIO(svg_to_png(svg, dpi=PRINT_DPI)))
            for label, image in (("printed", printed), ("photographed", photographed(printed))):
                found = decode(image)
                if found != [f"https://millbrook.example/d/{device.code}"]:
                    failures.append(f"{device.slug} {size.slug} {label}: {found}")
                    continue
                response = client.get(
                    urlsplit(found[0]).path, follow=True, HTTP_USER_AGENT="Mozilla/5.0 (iPhone)"
                )
                if response.status_code != 200 or response.redirect_chain[-1][0] != device.url:
                    failures.append(
                        f"{device.slug} {size.slug} {label}: landed on {response.redirect_chain}"
                    )
    assert not failures, "\n".join(failures)
