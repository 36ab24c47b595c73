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
