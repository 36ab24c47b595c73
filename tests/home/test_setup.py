"""The home page made on a fresh database is the site's root and gives its pages addresses."""

import pytest
from wagtail.models import Page, Site

from portal.home.models import HomePage
from portal.home.setup import site_home_page
from tests.factories import ScienceIndexPageFactory

pytestmark = pytest.mark.django_db


def test_a_fresh_database_gets_a_home_page_at_the_site_root():
    HomePage.objects.all().delete()
    home = site_home_page("bench-home")
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert Page.objects.get(pk=home.pk).url_path == "/bench-home/"
    index = ScienceIndexPageFactory(parent=home, slug="science")
    assert index.url == "/science/"
    assert site_home_page("other") == home  # a second call changes nothing
