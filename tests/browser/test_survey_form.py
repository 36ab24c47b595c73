"""A resident answers a survey in a browser with no JavaScript, and every step passes axe."""

from __future__ import annotations

from typing import Any

from browser_support import (
    BROWSER_MARKS,
    VIEWPORTS,
    describe_violations,
    django_orm,
    horizontal_overflow,
    run_axe,
)
from wagtail.models import Site

from surveys.models import Response, SurveyIndexPage
from tests.factories import SurveyIndexPageFactory, SurveyPageFactory

pytestmark = BROWSER_MARKS

SURVEY_PATH = "/surveys/web-form-survey/"


def _survey() -> None:
    """The factory's three-section survey, open now, under the demo's home page."""
    with django_orm():
        index = SurveyIndexPage.objects.first()
        if index is None:
            home = Site.objects.get(is_default_site=True).root_page
            index = SurveyIndexPageFactory(parent=home)
        SurveyPageFactory(parent=index, slug="web-form-survey", title="Cameras, scooters and you")
    assert index.slug == "surveys"


def _continue(page: Any, name: str = "Continue") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def _answer_everything(page: Any) -> None:
    page.get_by_label("Acceptable, but only with conditions").check()
    page.get_by_label("Footage deleted after 30 days").check()
    page.get_by_label("Tell us why (optional)").fill("Only to find missing people.")
    page.get_by_role("group", name="I trust the council").get_by_label("Agree", exact=True).check()
    _continue(page)

    page.get_by_label("Bus").check()
    page.get_by_label("Speed").check()
    page.get_by_label("Noise").check()
    page.get_by_label("Privacy").select_option(label="1st")
    page.get_by_label("Safety").select_option(label="2nd")
    page.get_by_label("Cost").select_option(label="3rd")
    page.get_by_label("Anything else? (optional)").fill("More benches, please.")
    _continue(page)

    page.get_by_role("group", name="How old are you?").get_by_label("Prefer not to say").check()
    page.get_by_label("North").check()
    _continue(page)


def test_a_resident_answers_the_whole_survey_without_javascript(
    demo_url: str, new_context: Any, screenshot_dir: Any
) -> None:
    _survey()
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo_url}{SURVEY_PATH}")
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    assert page.url.endswith(f"{SURVEY_PATH}answer/1/")
    _answer_everything(page)

    assert page.url.endswith(f"{SURVEY_PATH}check/")
    assert page.locator("h1").inner_text() == "Check your answers before sending them"
    _continue(page, "Send")

    assert page.url.endswith(f"{SURVEY_PATH}sent/")
    assert page.locator("h1").inner_text() == "Answers sent"
    with django_orm():
        response = Response.objects.get(survey__slug="web-form-survey")
    assert response.receipt in page.locator(".govuk-panel__body").inner_text()
    assert response.answers["priorities"] == ["privacy", "safety", "cost"]
    assert response.answers["worries"] == ["speed", "noise"]
    page.screenshot(path=str(screenshot_dir / "survey-sent-nojs.png"), full_page=True)

    page.reload()  # a refresh shows the receipt again and sends nothing
    assert response.receipt in page.locator(".govuk-panel__body").inner_text()
    with django_orm():
        assert Response.objects.filter(survey__slug="web-form-survey").count() == 1


def test_every_step_passes_axe_and_fits_a_phone(
    demo_url: str, new_context: Any, axe_source: str, screenshot_dir: Any
) -> None:
    _survey()
    failures = []

    def check(page: Any, what: str, name: str) -> None:
        if violations := run_axe(page, axe_source):
            failures.append(describe_violations(f"{what} at {name} size", violations))
        if name == "phone":
            overflow = horizontal_overflow(page)
            if overflow["scrollWidth"] > overflow["innerWidth"]:
                failures.append(f"{what} scrolls sideways on a phone: {overflow['offenders']}")
        slug = what.replace(" ", "-")
        page.screenshot(path=str(screenshot_dir / f"survey-{slug}-{name}.png"), full_page=True)

    for name, viewport in VIEWPORTS.items():
        page = new_context(viewport=viewport).new_page()
        page.goto(f"{demo_url}{SURVEY_PATH}")
        check(page, "start page", name)

        page.goto(f"{demo_url}{SURVEY_PATH}answer/1/")
        check(page, "section", name)
        page.get_by_label("Not acceptable").check()
        page.get_by_label("An independent audit each year").check()
        _continue(page)
        summary = page.locator(".govuk-error-summary__list li").all_inner_texts()
        assert summary == [
            "Conditions go with “acceptable, but only with conditions”. Choose that, or untick "
            "the conditions."
        ]
        check(page, "section with errors", name)

        page.goto(f"{demo_url}{SURVEY_PATH}answer/2/")
        page.get_by_label("Safety").select_option(label="1st")
        page.get_by_label("Privacy").select_option(label="1st")
        _continue(page)
        summary = page.locator(".govuk-error-summary__list li").all_inner_texts()
        assert summary == ["Safety and Privacy both have 1st. Give each option a different place."]
        check(page, "ranking with errors", name)

        page.goto(f"{demo_url}{SURVEY_PATH}answer/1/")
        _answer_everything(page)
        check(page, "check your answers", name)
        _continue(page, "Send")
        check(page, "confirmation", name)
        # A new browser for the next size: this one has answered.
    with django_orm():
        assert Response.objects.filter(survey__slug="web-form-survey").count() == 2
    assert not failures, "\n\n".join(failures)
