"""A survey's results page as residents see it: accessible with hidden cells, fits a phone."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    BROWSER_MARKS,
    VIEWPORTS,
    describe_violations,
    django_orm,
    horizontal_overflow,
    run_axe,
)
from django.utils import timezone
from wagtail.models import Site

from surveys.models import FreeTextAnswer, Response, SurveyIndexPage
from tests.factories import SurveyIndexPageFactory, SurveyPageFactory

pytestmark = BROWSER_MARKS

PEOPLE = [
    # (how many, travel, age, ward, judgement, trust)
    (15, "walk", "16-34", "north", "acceptable", "agree"),
    (3, "bus", "16-34", "north", "acceptable_with_conditions", "strongly_agree"),
    (12, "car", "16-34", "south", "not_acceptable", "disagree"),
    (14, "walk", "35-54", "south", "acceptable_with_conditions", "agree"),
    (12, "bus", "35-54", "north", "not_sure", "neither"),
    (11, "car", "35-54", "south", "acceptable", "agree"),
    (20, "walk", "55-plus", "north", "not_acceptable", "strongly_disagree"),
    (15, "bus", "55-plus", "south", "acceptable", "agree"),
    (10, "car", "55-plus", "north", "acceptable_with_conditions", "disagree"),
]


def _survey_with_results() -> str:
    with django_orm():
        index = SurveyIndexPage.objects.first()
        if index is None:
            home = Site.objects.get(is_default_site=True).root_page
            index = SurveyIndexPageFactory(parent=home, slug="survey-results-index")
        page = SurveyPageFactory(
            parent=index,
            slug="town-centre-results",
            title="Data and the town centre",
            results_published=True,
            population_margins={
                "age_band": {"16\u201334": 0.35, "35\u201354": 0.35, "55+": 0.3},
                "area": {"North": 0.5, "South": 0.5},
            },
            we_asked="Whether cameras may look for missing people, and how you travel.",
            you_said="Most found it acceptable, many only with an independent audit.",
            we_did="We will publish an audit every year and delete footage after 30 days.",
        )
        now = timezone.now()
        responses = []
        for count, travel, age, ward, judgement, trust in PEOPLE:
            for n in range(count):
                conditions = ["audit"] if n % 2 else ["audit", "delete-30"]
                responses.append(
                    Response(
                        survey=page,
                        client_uuid=uuid.uuid4(),
                        receipt=f"S{uuid.uuid4().hex[:12]}",
                        submitted_at=now - datetime.timedelta(hours=len(responses)),
                        answers={
                            "travel": travel,
                            "age": age,
                            "ward": ward,
                            "trust": trust,
                            "cctv-search": {"judgement": judgement, "conditions": conditions}
                            if judgement == "acceptable_with_conditions"
                            else {"judgement": judgement},
                            "worries": ["speed", "parking"] if n % 3 else ["noise"],
                            "priorities": ["safety", "privacy", "cost"]
                            if n % 2
                            else ["privacy", "safety"],
                        },
                    )
                )
        Response.objects.bulk_create(responses)
        first = Response.objects.filter(survey=page).first()
        FreeTextAnswer.objects.create(
            response=first,
            question_key="anything-else",
            text="Please keep the footage for as short a time as you can.",
            status="published",
        )
        return page.url + "results/"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_results_with_hidden_cells_pass_axe_and_fit_a_phone(
    viewport: str, demo_url: str, new_context: Any, axe_source: str, screenshot_dir: Path
) -> None:
    path = _survey_with_results()
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    page.goto(f"{demo_url}{path}")
    assert page.get_by_role("heading", name="We asked, you said, we did").is_visible()
    assert page.locator(".ps-hidden-figure").count() > 2
    assert page.locator("svg .ps-chart__hidden").count() >= 1
    violations = run_axe(page, axe_source)
    assert not violations, describe_violations(f"{path} at {viewport} size", violations)
    page.screenshot(path=str(screenshot_dir / f"survey-results-{viewport}.png"), full_page=True)
    if viewport == "phone":
        overflow = horizontal_overflow(page)
        assert overflow["scrollWidth"] <= overflow["innerWidth"], overflow["offenders"]
