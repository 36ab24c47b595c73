"""The device screen's content from the API's DTPR datachain instance, and the offline copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobile.services.api import ApiError, TransportError
from mobile.services.device_summary import device_lookup, summarise_device, text_in
from mobile.services.store import Store


def text(value: str) -> list[dict[str, str]]:
    return [{"locale": "en-GB", "value": value}]


def element(category, element_id, title, *, priority=0, description="", variables=(), actions=()):
    return {
        "element_id": element_id,
        "category_id": category,
        "priority": priority,
        "title": text(title),
        "description": text(description),
        "variables": [{"id": key, "value": value} for key, value in variables],
        "actions": list(actions),
    }


# The shape of GET /api/v1/devices/<code>/ (portal.registry.instances.device_instance), with the
# elements deliberately out of display order.
INSTANCE = {
    "id": "K7Q-29XG",
    "title": text("CCTV camera, Market Square"),
    "description": text("A council camera that watches Market Square."),
    "status": "paused",
    "personal_data": "identifiable",
    "location": {"description": "On the grey pole", "area": "Market ward"},
    "elements": [
        element(
            "retention", "data_retained", "Retained 31 days", variables=[("duration", "31 days")]
        ),
        element("tech", "video_camera", "Video camera", priority=1),
        element(
            "tech", "identifiable_video", "Identifiable Video", description="Faces can be seen."
        ),
        element(
            "accountable",
            "institution",
            "Millbrook Borough Council",
            actions=[
                {
                    "type": "email",
                    "label": "Millbrook",
                    "target": "mailto:streets@millbrook.example",
                },
                {"type": "phone", "label": "Millbrook", "target": "tel:02079460123"},
            ],
        ),
        element("purpose", "safety_security", "Safety & Security"),
    ],
    "links": {
        "page": "https://x.example/devices/cctv/",
        "raise_a_concern": "https://x.example/devices/cctv/#concern",
    },
    "dpias": [{"title": "Town centre CCTV", "page": "https://x.example/assessments/cctv/"}],
    "algorithm_records": [],
}


def test_title_status_and_a_plain_summary():
    device = summarise_device(INSTANCE)
    assert device.code == "K7Q-29XG"
    assert device.title == "CCTV camera, Market Square"
    assert device.status_label == "Paused"
    assert device.summary == (
        "A council camera that watches Market Square. This device is switched off for now and "
        "is not collecting data. It collects personal data that can identify people."
    )
    assert device.location == "On the grey pole, Market ward"


def test_rows_are_grouped_by_category_in_the_dtpr_display_order():
    device = summarise_device(INSTANCE)
    assert [group.name for group in device.groups] == [
        "Accountable",
        "Purpose",
        "Technology",
        "Retention",
    ]
    technology = device.groups[2]
    assert technology.question == "How does this technology work?"
    assert [row.title for row in technology.rows] == ["Identifiable Video", "Video camera"]
    assert technology.rows[0].description == "Faces can be seen."
    assert technology.rows[0].icon_key == ("tech", "identifiable_video")


def test_variables_carry_the_taxonomys_label_and_the_value():
    retention = summarise_device(INSTANCE).groups[-1].rows[0]
    assert retention.title == "Retained 31 days"
    assert retention.variables == (("Duration", "31 days"),)


def test_accountable_organisations_come_with_ways_to_get_in_touch():
    (council,) = summarise_device(INSTANCE).organisations
    assert council.title == "Millbrook Borough Council"
    assert [(a.label, a.target) for a in council.actions] == [
        ("Email", "mailto:streets@millbrook.example"),
        ("Phone", "tel:02079460123"),
    ]


def test_links_to_the_web_page_the_concern_form_and_assessments():
    device = summarise_device(INSTANCE)
    assert device.link("Web page") == "https://x.example/devices/cctv/"
    assert device.link("Raise a concern") == "https://x.example/devices/cctv/#concern"
    assert device.link("Data protection impact assessment: Town centre CCTV")


def test_an_element_from_a_newer_taxonomy_is_kept_as_text_without_an_icon():
    body = {**INSTANCE, "elements": [element("sensing", "quantum", "Quantum sensor")]}
    (group,) = summarise_device(body).groups
    assert group.name == "Sensing"
    assert group.rows[0].title == "Quantum sensor"
    assert group.rows[0].icon_key is None


def test_text_in_prefers_british_english_then_falls_back():
    both = [{"locale": "cy-GB", "value": "Camera"}, {"locale": "en-GB", "value": "Camera (en)"}]
    assert text_in(both) == "Camera (en)"
    assert text_in([{"locale": "cy-GB", "value": "Camera"}]) == "Camera"
    assert text_in([]) == ""


@pytest.fixture
def store(tmp_path: Path):
    opened = Store(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


def test_a_fetched_device_is_kept_and_shown_again_without_signal(store):
    shown = device_lookup(store, "k7q29xg", INSTANCE, None)
    assert shown.device.title == "CCTV camera, Market Square"
    assert shown.saved_on is None
    offline = device_lookup(store, "K7Q-29XG", None, TransportError("no route to host"))
    assert offline.device.title == "CCTV camera, Market Square"
    assert offline.saved_on  # the screen says when it was saved


def test_without_signal_a_device_never_seen_says_so(store):
    lookup = device_lookup(store, "K7Q-29XG", None, TransportError("timed out"))
    assert lookup.device is None
    assert lookup.problem.startswith("No signal, and this device has not been looked at")


def test_an_unknown_code_says_no_published_device_has_it_even_if_once_kept(store):
    device_lookup(store, "K7Q-29XG", INSTANCE, None)
    lookup = device_lookup(store, "K7Q-29XG", None, ApiError(404, "Not found."))
    assert lookup.device is None
    assert lookup.problem.startswith("No published device has the code K7Q-29XG.")
