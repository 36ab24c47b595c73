"""The address under every QR code: /d/<code>. It must work for years, whatever happens."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import Page

from portal.signage import services
from portal.signage.codes import check_character
from portal.signage.models import DailyScanCount, IssuedCode
from tests.factories import DevicePageFactory

pytestmark = pytest.mark.django_db

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131 Mobile Safari/537.36"
)


@pytest.fixture
def device(register):
    return DevicePageFactory(parent=register, title="Air sensor, Clock Tower")


def scan(client, path, **headers):
    return client.get(path, HTTP_USER_AGENT=PHONE, **headers)


def test_a_short_link_redirects_to_the_device_page(client, device):
    response = scan(client, f"/d/{device.code}")
    assert response.status_code == 302
    assert response["Location"] == device.url


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: f"{code}/",
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " "),
        lambda code: f" {code.lower().replace('-', '')} ",
    ],
)
def test_short_links_tolerate_how_people_type_codes(client, device, typed):
    response = scan(client, f"/d/{typed(device.code)}")
    assert response.status_code == 302
    assert response["Location"] == device.url


def test_short_link_survives_renaming_and_moving(client, register, device):
    code = device.code
    device.title = "Air quality sensor, Clock Tower (north side)"
    device.slug = "air-quality-clock-tower-north"
    device.save_revision().publish()
    response = scan(client, f"/d/{code}", follow=True)
    assert response.redirect_chain[-1][0] == "/devices/air-quality-clock-tower-north/"
    assert response.status_code == 200


def test_a_copied_device_gets_its_own_code(register, device):
    copy = device.copy(update_attrs={"slug": "copy-of-sensor", "title": "Copy"})
    assert copy.code
    assert copy.code != device.code


def test_codes_are_never_reused_even_after_a_device_is_deleted(register, device, monkeypatch):
    retired_code = device.code
    Page.objects.get(pk=device.pk).delete()
    candidates = iter([retired_code, "ZZZ-ZZZ9"])
    monkeypatch.setattr(services, "generate_code", lambda: next(candidates))
    assert services.issue_code() == "ZZZ-ZZZ9"
    assert IssuedCode.objects.filter(code=retired_code).exists()


def test_a_mistyped_code_gets_a_helpful_page_not_a_bare_404(client, device):
    wrong_last = device.code[:-1] + ("2" if device.code[-1] != "2" else "3")
    response = scan(client, f"/d/{wrong_last}")
    assert response.status_code == 404
    html = response.content.decode()
    assert "has a mistake in it" in html
    assert 'action="/devices/"' in html
    assert 'name="q"' in html
    assert DailyScanCount.objects.count() == 0


def test_an_unknown_valid_code_says_the_device_may_have_been_removed(client, device):
    body = "ABCDEF"
    response = scan(client, f"/d/{body}{check_character(body)}")
    assert response.status_code == 404
    assert "may have been removed" in response.content.decode()


def test_something_that_is_not_a_code_is_explained(client, db, site_tree):
    response = scan(client, "/d/hello")
    assert response.status_code == 404
    assert "is not a device code" in response.content.decode()


def test_an_unpublished_device_is_not_revealed(client, device):
    device.unpublish()
    assert scan(client, f"/d/{device.code}").status_code == 404


def test_a_retired_device_still_resolves_and_says_it_is_retired(client, register):
    device = DevicePageFactory(
        parent=register, status="retired", retired_on=datetime.date(2024, 9, 30)
    )
    response = scan(client, f"/d/{device.code}", follow=True)
    assert "This device was retired on 30 September 2024" in response.content.decode()


def test_short_link_responses_are_never_cached_by_anyone(client, device):
    assert "no-store" in scan(client, f"/d/{device.code}")["Cache-Control"]


def test_the_device_page_prints_its_short_link(client, device, settings):
    settings.SHORT_LINK_BASE_URL = "https://millbrook.example"
    html = client.get(device.url).content.decode()
    assert f"millbrook.example/d/{device.code}" in html


def test_reverse_gives_the_short_link_path(device):
    assert reverse("signage:short-link", args=[device.code]).startswith(f"/d/{device.code}")
