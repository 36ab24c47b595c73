import pytest

from tests.factories import DevicePageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def test_home_page_counts_devices_and_links_to_the_register(client, site_tree):
    _home, register = site_tree
    DevicePageFactory(parent=register)
    DevicePageFactory(parent=register)
    html = client.get("/").content.decode()
    assert "There are 2 devices on the register." in html
    assert 'href="/devices/"' in html


def test_standard_pages_beside_the_register_are_served(client, site_tree):
    home, _register = site_tree
    StandardPageFactory(parent=home, title="Privacy notice", slug="privacy")
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert "Privacy notice" in response.content.decode()
