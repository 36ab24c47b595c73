import pytest
from django.core.exceptions import ValidationError

from dtpr_assets.icons import contrast_ratio
from portal.core.models import CouncilSettings
from tests.factories import DevicePageFactory

pytestmark = pytest.mark.django_db


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", ["#ffdd00", "#36b2e6", "#aaaaaa"])
def test_a_brand_colour_too_light_for_white_text_is_refused(site_tree, colour):
    settings = CouncilSettings(site_id=1, council_name="Test", brand_colour=colour)
    with pytest.raises(ValidationError) as error:
        settings.clean()
    assert "Choose a darker colour" in str(error.value)


def test_a_brand_colour_that_is_not_hex_is_refused(site_tree):
    with pytest.raises(ValidationError) as error:
        CouncilSettings(brand_colour="teal").clean()
    assert "six hex digits" in str(error.value)


def test_council_name_and_colour_brand_every_page(client, site_tree):
    home, register = site_tree
    site = home.get_site()
    CouncilSettings.objects.update_or_create(
        site=site, defaults={"council_name": "Riverside Borough Council", "brand_colour": "#5a1a6b"}
    )
    device = DevicePageFactory(parent=register)
    html = client.get(device.url).content.decode()
    assert "Riverside Borough Council" in html
    assert "GOV.UK" not in html
    assert "/theme.css?v=5a1a6b" in html
    assert client.get("/theme.css").content.decode().strip() == ":root{--ps-brand:#5a1a6b;}"
