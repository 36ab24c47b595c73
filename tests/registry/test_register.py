import re

import pytest

from tests.factories import CCTV_CHAIN, PEOPLE_COUNTER_CHAIN, DevicePageFactory

pytestmark = pytest.mark.django_db


def listed_titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="ps-device-list__title"><a [^>]*>([^<]+)</a>', html)


@pytest.fixture
def devices(register):
    return {
        "air": DevicePageFactory(
            parent=register, title="Air sensor, Clock Tower", area="Market ward"
        ),
        "cctv": DevicePageFactory(
            parent=register,
            title="CCTV camera, Market Square",
            datachain=CCTV_CHAIN,
            area="Market ward",
        ),
        "counter": DevicePageFactory(
            parent=register,
            title="People counter, Park gate",
            datachain=PEOPLE_COUNTER_CHAIN,
            area="Park ward",
            status="planned",
        ),
    }


def test_register_lists_every_live_device_with_a_count(client, register, devices):
    response = client.get(register.url)
    assert response.status_code == 200
    assert sorted(listed_titles(response)) == sorted(d.title for d in devices.values())
    assert "3 devices" in response.content.decode()


def test_register_hides_unpublished_devices(client, register, devices):
    devices["cctv"].unpublish()
    assert "CCTV camera, Market Square" not in listed_titles(client.get(register.url))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"purpose": "safety_security"}, ["cctv"]),
        ({"technology": "person_detection"}, ["counter"]),
        ({"personal_data": "identifiable"}, ["cctv"]),
        ({"personal_data": "de_identified"}, ["counter"]),
        ({"personal_data": "none"}, ["air"]),
        ({"status": "planned"}, ["counter"]),
        ({"area": "Market ward"}, ["air", "cctv"]),
        ({"area": "Market ward", "personal_data": "none"}, ["air"]),
    ],
)
def test_filters_narrow_the_list(client, register, devices, query, expected):
    response = client.get(register.url, query)
    assert sorted(listed_titles(response)) == sorted(devices[name].title for name in expected)
    count = len(expected)
    assert f"{count} device{'s' if count != 1 else ''}" in response.content.decode()


def test_filters_offer_only_what_is_on_the_register(client, register, devices):
    html = client.get(register.url).content.decode()
    assert 'value="safety_security"' in html
    assert 'value="enforcement"' not in html


def test_search_finds_devices_by_word_and_by_code(client, register, devices):
    assert listed_titles(client.get(register.url, {"q": "Clock"})) == [devices["air"].title]
    code = devices["counter"].code.lower().replace("-", "")
    assert listed_titles(client.get(register.url, {"q": code})) == [devices["counter"].title]


def test_an_unknown_filter_value_is_explained_not_an_error(client, register, devices):
    response = client.get(register.url, {"status": "exploded", "area": "Market ward"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose one of the options in the list." in html
    # The valid filter still applies.
    assert sorted(listed_titles(response)) == sorted([devices["air"].title, devices["cctv"].title])


def test_nothing_matches_says_how_to_widen_the_search(client, register, devices):
    html = client.get(register.url, {"q": "zeppelin"}).content.decode()
    assert "No devices match" in html
    assert "0 devices" in html


def test_register_paginates_long_lists(client, register):
    for number in range(55):
        DevicePageFactory(parent=register, title=f"Bin sensor {number:02d}")
    first = client.get(register.url)
    assert len(listed_titles(first)) == 50
    assert "55 devices" in first.content.decode()
    second = client.get(register.url, {"page": 2})
    assert len(listed_titles(second)) == 5
