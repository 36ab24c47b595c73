"""A resident raises a concern from a device page, with no JavaScript, and can follow it."""

from __future__ import annotations

import re
from typing import Any

from browser_support import (
    BROWSER_MARKS,
    VIEWPORTS,
    describe_violations,
    django_orm,
    run_axe,
)

from portal.concerns.models import Concern
from portal.registry.models import DevicePage

pytestmark = BROWSER_MARKS

DEVICE_SLUG = "cctv-market-square"
DEVICE_PATH = f"/devices/{DEVICE_SLUG}/"
DEVICE_TITLE = "CCTV camera, Market Square"
STATUS_URL = re.compile(r"/concerns/(?P<reference>C[A-Z0-9]+)/\?new=1$")


def _summary_row(page: Any, key: str) -> str:
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=key)
    )
    return " ".join(row.locator(".govuk-summary-list__value").inner_text().split())


def _send(page: Any, *, category: str = "", description: str = "", email: str = "") -> None:
    """Fill in the concern form (on a device page, or shown again with errors) and send it."""
    form = page.locator("form[action='/concerns/']")
    if category:
        form.get_by_label(category).check()
    form.get_by_label("Tell us more").fill(description)
    form.get_by_label("E-mail address (optional)").fill(email)
    # Wait for the answer before anything else reads the database or the page.
    with page.expect_navigation():
        form.get_by_role("button", name="Send").click()


def test_a_resident_raises_a_concern_and_lands_on_its_status_page(
    demo_url: str, new_context: Any
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo_url}{DEVICE_PATH}")
    description = "Who is allowed to watch the footage from this camera?"
    _send(
        page,
        category="I object to it or to how it uses data",
        description=description,
        email="resident@example.com",
    )

    match = STATUS_URL.search(page.url)
    assert match, f"Expected the concern's status page, got {page.url}"
    reference = match["reference"]
    assert page.locator("h1").inner_text() == "Thank you: we have your message"
    assert reference in page.locator(".govuk-panel__body").inner_text()
    assert page.get_by_text("We will also e-mail you when it changes.").is_visible()
    assert _summary_row(page, "Device") == DEVICE_TITLE
    assert _summary_row(page, "About") == "I object to it or to how it uses data"
    assert _summary_row(page, "Status") == "Open Received"
    assert description not in page.locator("main").inner_text(), "Status pages are public"

    with django_orm():
        concern = Concern.objects.select_related("device").get()
    assert concern.reference == reference
    assert concern.device.title == DEVICE_TITLE
    assert (concern.category, concern.description, concern.email) == (
        Concern.Category.OBJECTION,
        description,
        "resident@example.com",
    )

    # The reference alone, as from a bookmark, leads back to the status.
    page.goto(f"{demo_url}/concerns/{reference}/")
    assert page.locator("h1").inner_text() == f"Concern {reference}"
    assert _summary_row(page, "Status") == "Open Received"


def test_an_empty_concern_is_explained_and_nothing_is_stored(
    demo_url: str, new_context: Any
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo_url}{DEVICE_PATH}")
    _send(page)

    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary")
    assert summary.locator(".govuk-error-summary__title").inner_text() == "There is a problem"
    links = summary.locator(".govuk-error-summary__list a")
    messages = [text.strip() for text in links.all_inner_texts()]
    assert messages == [
        "Choose what your message is about.",
        "Tell us what your question, problem or objection is.",
    ]
    # Each message leads to the field it is about, and is repeated beside that field.
    for i, message in enumerate(messages):
        target = page.locator(links.nth(i).get_attribute("href") or "#missing")
        assert target.count() == 1, f"{message!r} links to nothing on the page"
        group = page.locator(".govuk-form-group--error").filter(has=target)
        assert message in group.locator(".govuk-error-message").inner_text()
    # The resident can correct the form where they are: it still names the device.
    assert page.locator(".govuk-caption-m").inner_text() == DEVICE_TITLE
    assert page.locator("input[name=device]").count() == 1

    with django_orm():
        assert not Concern.objects.exists()


def test_the_concern_form_with_errors_and_the_status_page_pass_axe(
    demo_url: str, new_context: Any, axe_source: str
) -> None:
    page = new_context().new_page()
    failures = []

    def check(where: str) -> None:
        for name, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            violations = run_axe(page, axe_source)
            if violations:
                failures.append(describe_violations(f"{where} at {name} size", violations))

    page.goto(f"{demo_url}{DEVICE_PATH}")
    _send(page, description="")
    assert page.locator(".govuk-error-summary").is_visible()
    check("The concern form with errors")

    _send(page, category="I have a question about it", description="How long is footage kept?")
    reference = STATUS_URL.search(page.url)
    assert reference, f"Expected the concern's status page, got {page.url}"
    check("A new concern's status page")

    page.goto(f"{demo_url}/concerns/{reference['reference']}/")
    check("A concern's status page")

    assert not failures, "\n\n".join(failures)


def test_concerns_sent_at_the_same_moment_are_all_stored(demo_url: str, new_context: Any) -> None:
    """Residents send concerns while staff update another: every request is answered and kept.

    The live server answers each request in its own thread while this test writes through the
    ORM, so this fails (locked tables, lost savepoints, a hung run) if the test database is
    shared between threads unsafely; see portal/settings/test.py.
    """
    with django_orm():
        device = DevicePage.objects.get(slug=DEVICE_SLUG)
        staff_concern = Concern.objects.create(
            reference="CSTAFF001", device=device, category="question", description="Staff test"
        )
    page = new_context().new_page()
    page.goto(f"{demo_url}{DEVICE_PATH}")
    page.evaluate(
        """(code) => {
            window.statuses = [];
            const answered = (response) => window.statuses.push(response.status);
            for (let i = 0; i < 5; i++) {
                const body = new URLSearchParams(
                    {device: code, category: 'problem', description: `Broken ${i}`});
                fetch('/concerns/', {method: 'POST', body}).then(answered);
                fetch(location.pathname).then(answered);
            }
        }""",
        device.code,
    )
    with django_orm():
        for status in [*Concern.Status.values] * 10:
            staff_concern.status = status
            staff_concern.save()
    page.wait_for_function("() => window.statuses.length === 10")
    assert page.evaluate("() => window.statuses") == [200] * 10
    with django_orm():
        assert Concern.objects.filter(category="problem").count() == 5
