"""Without JavaScript the register, its filters and the device pages all work."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_support import BROWSER_MARKS, PHONE, device_paths, django_orm

from dtpr_assets.taxonomy import load_taxonomy
from portal.core.demo.borough import DEVICES
from portal.registry.models import DevicePage
from portal.registry.presentation import personal_data_answer

pytestmark = BROWSER_MARKS

PERSONAL_DATA_QUESTION = "Does this collect personal data?"


def _live_devices() -> list[DevicePage]:
    with django_orm():
        return list(DevicePage.objects.live().order_by("title"))


def _listed_titles(page: Any) -> list[str]:
    return [title.strip() for title in page.locator(".ps-device-list__title").all_inner_texts()]


def _result_count(page: Any) -> int:
    text = page.locator("#result-count").inner_text()
    match = re.fullmatch(r"(\d+) devices?", text.strip())
    assert match, f"Unexpected result count: {text!r}"
    return int(match.group(1))


def test_register_lists_every_device_and_links_to_it(demo_url: str, new_context: Any) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo_url}/devices/")
    devices = _live_devices()

    assert _result_count(page) == len(devices)
    assert sorted(_listed_titles(page)) == sorted(device.title for device in devices)
    assert page.locator("#ps-map").is_hidden(), "Without JavaScript the empty map must stay hidden"

    links = page.locator(".ps-device-list__title a")
    broken = [
        f"{links.nth(i).inner_text()!r} links to {links.nth(i).get_attribute('href')!r}"
        for i in range(links.count())
        if not (links.nth(i).get_attribute("href") or "").startswith("/devices/")
    ]
    assert not broken, "Register links that do not lead to the device page:\n" + "\n".join(broken)

    with page.expect_navigation():
        page.get_by_role("link", name="CCTV camera, Market Square").click()
    assert page.locator("h1").inner_text() == "CCTV camera, Market Square"


def _purpose_expectation() -> tuple[str, str, list[str]]:
    """(filter label, option label, titles) for the purpose of the demo's CCTV camera."""
    element = load_taxonomy().element("purpose", "safety_security")
    titles = [
        spec["title"]
        for spec in DEVICES
        if any(
            block["type"] == "purpose" and block["value"]["element"] == element.id
            for block in spec["chain"]
        )
    ]
    return "Purpose", element.name, titles


def _personal_data_expectation() -> tuple[str, str, list[str]]:
    with django_orm():
        titles = list(
            DevicePage.objects.live()
            .filter(personal_data="identifiable")
            .values_list("title", flat=True)
        )
    return "Personal data", "Identifiable", titles


@pytest.mark.parametrize("expectation", [_personal_data_expectation, _purpose_expectation])
def test_register_filters_work_without_javascript(
    expectation: Any, demo_url: str, new_context: Any
) -> None:
    page = new_context(java_script_enabled=False, viewport=PHONE).new_page()
    page.goto(f"{demo_url}/devices/")
    everything = _result_count(page)
    label, option, expected = expectation()
    assert 0 < len(expected) < everything, "The demo should make this filter meaningful"

    # The filters sit in a closed <details> until used, so open it as a visitor would.
    select = page.get_by_label(label, exact=True)
    assert not select.is_visible()
    page.get_by_text("Filter by purpose, technology", exact=False).click()
    select.select_option(label=option)
    action = page.locator("form.ps-filters").get_attribute("action")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Show devices").click()
    response = navigation.value
    assert response is not None
    assert response.ok, (
        f"Submitting the filters (form action={action!r}) led to {page.url}: HTTP {response.status}"
    )

    assert _result_count(page) == len(expected)
    assert sorted(_listed_titles(page)) == sorted(expected)
    # The choice is kept, so the reader can see what the list is filtered by.
    selected = page.get_by_label(label, exact=True).evaluate(
        "select => select.options[select.selectedIndex].text"
    )
    assert selected == option
    if label == "Personal data":
        for meta in page.locator(".ps-device-list__meta").all_inner_texts():
            assert "Collects personal data that can identify people" in meta
    assert page.get_by_role("link", name="Clear filters").is_visible()


def test_device_pages_answer_the_dtpr_questions_without_javascript(
    demo_url: str, new_context: Any
) -> None:
    questions = [category.question for category in load_taxonomy().categories]
    with django_orm():
        answers = {
            device.slug: f"{personal_data_answer(device.personal_data)[0]}."
            for device in DevicePage.objects.live()
        }
    page = new_context(java_script_enabled=False, viewport=PHONE).new_page()
    failures = []
    for path in device_paths():
        page.goto(f"{demo_url}{path}")
        headings = [h.strip() for h in page.locator("main h2").all_inner_texts()]
        problems = [f"no heading {q!r}" for q in questions if q not in headings]
        if PERSONAL_DATA_QUESTION not in headings:
            problems.append(f"no heading {PERSONAL_DATA_QUESTION!r}")
        elif questions[0] in headings and headings.index(PERSONAL_DATA_QUESTION) > headings.index(
            questions[0]
        ):
            problems.append(f"{PERSONAL_DATA_QUESTION!r} comes after {questions[0]!r}")
        else:
            answer = page.locator(".ps-answer-lead strong").inner_text().strip()
            expected = answers[path.rstrip("/").rsplit("/", 1)[-1]]
            if answer != expected:
                problems.append(f"personal data answer {answer!r}, expected {expected!r}")
        if page.locator("#ps-map").is_visible():
            problems.append("the map container shows although it cannot be drawn")
        if problems:
            failures.append(f"{path}: " + "; ".join(problems))
    assert not failures, "\n".join(failures)
