import pytest
from wagtail.models import PageViewRestriction

from portal.core.visibility import visible_to_public
from portal.registry.models import DevicePage
from tests.factories import DevicePageFactory

pytestmark = pytest.mark.django_db


def titles(pages):
    return sorted(page.title for page in pages)


def test_matches_wagtails_public_filter_and_follows_new_restrictions(register):
    DevicePageFactory(parent=register, title="Open")
    hidden = DevicePageFactory(parent=register, title="Restricted")
    assert titles(visible_to_public(DevicePage.objects.live())) == ["Open", "Restricted"]
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
    assert titles(visible_to_public(DevicePage.objects.live())) == ["Open"]
    assert titles(visible_to_public(DevicePage.objects.live())) == titles(
        DevicePage.objects.live().public()
    )
    PageViewRestriction.objects.filter(page=hidden).delete()
    assert titles(visible_to_public(DevicePage.objects.live())) == ["Open", "Restricted"]


def test_a_restriction_on_an_ancestor_hides_its_descendants(register):
    DevicePageFactory(parent=register, title="Under the register")
    PageViewRestriction.objects.create(page=register, restriction_type="login")
    assert titles(visible_to_public(DevicePage.objects.live())) == []


def test_a_restricted_page_still_asks_for_its_password(client, register):
    device = DevicePageFactory(parent=register)
    assert client.get(device.url).status_code == 200
    PageViewRestriction.objects.create(page=device, restriction_type="password", password="x")
    response = client.get(device.url)
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()
    assert device.summary not in response.content.decode()


def test_a_restriction_on_the_register_covers_every_device(client, register):
    device = DevicePageFactory(parent=register)
    PageViewRestriction.objects.create(page=register, restriction_type="login")
    assert client.get(device.url).status_code == 302  # to the sign-in page


def test_an_alias_of_a_restricted_page_is_restricted_too(client, site_tree):
    from tests.factories import StandardPageFactory

    home, _register = site_tree
    page = StandardPageFactory(parent=home, slug="staff-notes")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    client.get("/")  # the caches are filled before the alias exists
    alias = page.create_alias(parent=home, update_slug="notes-alias")
    assert client.get(alias.url).status_code == 302


def test_unrestricted_pages_skip_the_restriction_queries(
    client, register, django_assert_num_queries
):
    device = DevicePageFactory(parent=register)
    client.get(device.url)  # fills the cache of restricted and alias paths
    page = DevicePage.objects.get(pk=device.pk)
    with django_assert_num_queries(0):
        assert list(page.get_view_restrictions()) == []
