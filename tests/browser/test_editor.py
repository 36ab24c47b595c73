"""A comms officer in the Wagtail admin: a device that breaks the DTPR rules is refused, visibly."""

from __future__ import annotations

from typing import Any

from browser_support import BROWSER_MARKS, django_orm
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from portal.registry.models import DevicePage

pytestmark = BROWSER_MARKS

PASSWORD = "correct horse battery staple"


def _sign_in(page: Any, base_url: str) -> None:
    with django_orm():
        get_user_model().objects.create_superuser("comms", "comms@millbrook.example", PASSWORD)
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("Username").fill("comms")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/admin/")


def test_a_fourth_purpose_is_refused_with_a_message_on_the_block(
    demo_url: str, new_context: Any
) -> None:
    with django_orm():
        device = DevicePage.objects.get(slug="anpr-station-road-bus-gate")
        purposes_before = device.purpose_index
    page = new_context().new_page()
    _sign_in(page, demo_url)
    page.goto(f"{demo_url}/admin/pages/{device.pk}/edit/")

    # Turn the first two non-purpose blocks into purposes by adding two purpose blocks.
    elements = page.locator("select[name$='-value-element']")
    for purpose in ("Health", "Ecology"):
        count = elements.count()
        page.locator("button[title='Insert a block']").first.click()
        page.get_by_role("option", name="Purpose", exact=True).first.click()
        # The new block is drawn by script; on a busy machine choosing at once would set an
        # existing block's element instead.
        expect(elements).to_have_count(count + 1)
        elements.first.select_option(label=purpose)

    # Wait for the answer to the save itself: on a busy machine the old page is still there
    # for a moment, and it does not hold the message yet.
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()

    message = page.get_by_text("A device can show at most three purposes", exact=False)
    assert message.first.is_visible()
    assert page.get_by_text("could not be saved due to validation errors").first.is_visible()
    with django_orm():
        device.refresh_from_db()
        assert device.purpose_index == purposes_before
        assert not device.has_unpublished_changes


def test_an_identifiable_camera_without_a_dpia_cannot_be_published_as_active(
    demo_url: str, new_context: Any
) -> None:
    from portal.assessments.models import DpiaPage

    with django_orm():
        # The legacy help point camera is active, identifiable and has no DPIA in the demo.
        device = DevicePage.objects.get(slug="help-point-millbrook-station")
        assert device.personal_data == "identifiable"
        assert not DpiaPage.objects.filter(devices=device).exists()
        live_before = device.live_revision_id
    page = new_context().new_page()
    _sign_in(page, demo_url)
    page.goto(f"{demo_url}/admin/pages/{device.pk}/edit/")
    page.locator("#id_summary").fill("A help point with a camera, reworded.")
    page.locator("button[data-w-dropdown-target='toggle']").last.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()

    assert page.get_by_text(
        "cannot be published as active until a signed-off data protection impact assessment",
        exact=False,
    ).first.is_visible()
    with django_orm():
        device.refresh_from_db()
        # Wagtail autosaves drafts as the editor types; drafts are allowed, publishing is not.
        assert device.summary != "A help point with a camera, reworded."
        assert device.live_revision_id == live_before
