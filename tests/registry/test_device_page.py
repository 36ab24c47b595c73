import datetime
import re

import pytest
from django.utils import timezone

from dtpr_assets.taxonomy import load_taxonomy
from tests.factories import (
    CCTV_CHAIN,
    PEOPLE_COUNTER_CHAIN,
    DevicePageFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_device_page_answers_every_dtpr_question_in_order(client, register):
    device = DevicePageFactory(parent=register, datachain=CCTV_CHAIN)
    response = client.get(device.url)
    assert response.status_code == 200
    html = response.content.decode()
    questions = [category.question for category in load_taxonomy().categories]
    positions = [html.find(question) for question in questions]
    assert all(position > 0 for position in positions), questions
    assert positions == sorted(positions)


def test_personal_data_answer_comes_before_the_dtpr_answers(client, register):
    cctv = DevicePageFactory(parent=register, datachain=CCTV_CHAIN)
    html = client.get(cctv.url).content.decode()
    answer = html.find("Does this collect personal data?")
    assert 0 < answer < html.find(load_taxonomy().category("purpose").question)
    assert "<strong>Yes.</strong>" in html


@pytest.mark.parametrize(
    ("datachain", "expected_answer", "expected_level"),
    [
        (CCTV_CHAIN, "Yes.", "identifiable"),
        (PEOPLE_COUNTER_CHAIN, "Not in a form that identifies you.", "de_identified"),
        (None, "No.", "none"),
    ],
)
def test_personal_data_answer_follows_the_technology(
    client, register, datachain, expected_answer, expected_level
):
    extra = {"datachain": datachain} if datachain else {}
    device = DevicePageFactory(parent=register, **extra)
    assert device.personal_data == expected_level
    assert f"<strong>{expected_answer}</strong>" in client.get(device.url).content.decode()


def test_device_page_shows_element_names_descriptions_and_retention(client, register):
    device = DevicePageFactory(parent=register, datachain=CCTV_CHAIN)
    text = text_of(client.get(device.url))
    taxonomy = load_taxonomy()
    for entry in CCTV_CHAIN:
        element = taxonomy.element(entry["type"], entry["value"]["element"])
        assert element.description in text
    assert "31 days" in text


def test_accountable_organisations_are_listed_in_order_with_contacts(client, register):
    council = OrganisationFactory(name="Riverside Council", email="streets@riverside.example")
    operator = OrganisationFactory(
        name="Lamp Co Ltd", role="operator", email="", phone="0800 000 111", website=""
    )
    device = DevicePageFactory(parent=register, organisations=[council, operator])
    html = client.get(device.url).content.decode()
    assert html.find("Riverside Council") < html.find("Lamp Co Ltd")
    assert 'href="mailto:streets@riverside.example"' in html
    assert 'href="tel:0800000111"' in html


def test_retired_device_says_so_and_when(client, register):
    device = DevicePageFactory(
        parent=register, status="retired", retired_on=datetime.date(2025, 3, 4)
    )
    assert "This device was retired on 4 March 2025" in text_of(client.get(device.url))


def test_retiring_a_device_without_a_date_records_today(register):
    device = DevicePageFactory(parent=register)
    device.status = "retired"
    device.full_clean()
    assert device.retired_on == timezone.localdate()


def test_device_page_carries_its_location_for_the_map_and_in_words(client, register):
    device = DevicePageFactory(parent=register)
    html = client.get(device.url).content.decode()
    assert device.location_description in html
    assert '"lat":51.47' in html
    assert 'id="ps-map"' in html


def test_each_device_gets_a_unique_short_code_that_survives_renaming(register):
    first = DevicePageFactory(parent=register)
    second = DevicePageFactory(parent=register)
    assert first.code != second.code
    code = first.code
    first.title = "Renamed sensor"
    first.slug = "renamed-sensor"
    first.save()
    first.refresh_from_db()
    assert first.code == code


def test_device_past_its_do_not_show_after_date_leaves_the_register(client, register):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DevicePageFactory(parent=register, title="Old sensor", hide_after=yesterday)
    DevicePageFactory(parent=register, title="Current sensor")
    text = text_of(client.get(register.url))
    assert "Current sensor" in text
    assert "Old sensor" not in text


def test_public_pages_send_a_strict_content_security_policy(client, register):
    device = DevicePageFactory(parent=register)
    policy = client.get(device.url)["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_unknown_dtpr_icon_is_a_404_and_known_icon_is_svg(client, db):
    assert client.get("/dtpr/icons/tech/no_such_thing.svg").status_code == 404
    response = client.get("/dtpr/icons/tech/identifiable_video.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"#FFDD00" in response.content.upper()


def test_device_page_needs_at_most_eight_queries(client, register, django_assert_max_num_queries):
    device = DevicePageFactory(parent=register, datachain=CCTV_CHAIN)
    client.get(device.url)  # warm the site-root cache, as any running server has
    with django_assert_max_num_queries(8):
        assert client.get(device.url).status_code == 200


def test_unpublished_and_unknown_devices_are_not_found(client, register):
    device = DevicePageFactory(parent=register)
    url = device.url
    device.unpublish()
    assert client.get(url).status_code == 404
    assert client.get("/devices/no-such-device/").status_code == 404
    assert client.get(f"{url}extra/").status_code == 404
