"""Moderating survey comments: the decisions, the reasons they need, and their cost."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import FreeTextAnswer
from surveys.moderation import moderate_free_text, publish, withhold
from tests.factories import FreeTextAnswerFactory, SurveyIndexPageFactory, SurveyPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(site_tree):
    return SurveyPageFactory(parent=SurveyIndexPageFactory(parent=site_tree[0]))


@pytest.fixture
def moderator(db):
    return get_user_model().objects.create_user(username="moderator", password="x")


def status_of(answer):
    return FreeTextAnswer.objects.get(pk=answer.pk).status


def test_publishing_a_pending_comment_needs_no_reason_and_records_who_and_when(survey, moderator):
    answer = FreeTextAnswerFactory(response__survey=survey)

    changed = publish([answer], user=moderator)

    answer.refresh_from_db()
    assert changed == 1
    assert answer.status == "published"
    assert answer.moderated_by == moderator
    assert answer.moderated_at is not None
    assert answer.reason == ""


def test_withholding_needs_a_reason_and_keeps_it(survey, moderator):
    answer = FreeTextAnswerFactory(response__survey=survey)

    with pytest.raises(ValidationError) as refused:
        withhold([answer], user=moderator, reason="   ")
    assert "Say why these comments are not published" in str(refused.value)
    assert status_of(answer) == "pending"

    withhold([answer], user=moderator, reason="Names a member of staff.")

    answer.refresh_from_db()
    assert (answer.status, answer.reason) == ("withheld", "Names a member of staff.")


def test_changing_an_earlier_decision_needs_a_reason(survey, moderator):
    answer = FreeTextAnswerFactory(response__survey=survey, status="withheld", reason="Abusive")

    with pytest.raises(ValidationError) as refused:
        publish([answer], user=moderator)
    assert "Say why the decision is being changed" in str(refused.value)

    publish([answer], user=moderator, reason="Read again: criticism, not abuse.")
    assert status_of(answer) == "published"


def test_a_comment_can_be_put_back_in_the_queue_with_a_reason(survey, moderator):
    answer = FreeTextAnswerFactory(response__survey=survey, status="published")

    moderate_free_text([answer], to_status="pending", user=moderator, reason="Second opinion.")

    assert status_of(answer) == "pending"


def test_comments_already_in_the_status_are_left_alone_and_not_counted(survey, moderator):
    published = FreeTextAnswerFactory(response__survey=survey, status="published")
    pending = FreeTextAnswerFactory(response__survey=survey)

    changed = publish(FreeTextAnswer.objects.all(), user=moderator)

    assert changed == 1
    published.refresh_from_db()
    assert published.moderated_by is None  # untouched
    assert status_of(pending) == "published"


def test_nothing_is_written_when_part_of_a_decision_is_refused(survey, moderator):
    pending = FreeTextAnswerFactory(response__survey=survey)
    withheld = FreeTextAnswerFactory(response__survey=survey, status="withheld")

    with pytest.raises(ValidationError):
        publish([pending, withheld], user=moderator)

    assert status_of(pending) == "pending"
    assert status_of(withheld) == "withheld"


@pytest.mark.parametrize(
    ("to_status", "reason", "message"),
    [
        ("deleted", "x", "is not a status"),
        ("withheld", "x" * 301, "300 characters or fewer"),
    ],
)
def test_bad_requests_are_refused_with_a_fix(survey, moderator, to_status, reason, message):
    answer = FreeTextAnswerFactory(response__survey=survey)

    with pytest.raises(ValidationError) as refused:
        moderate_free_text([answer], to_status=to_status, user=moderator, reason=reason)

    assert message in str(refused.value)
    assert status_of(answer) == "pending"


def test_a_large_decision_costs_a_handful_of_queries(survey, moderator):
    FreeTextAnswerFactory.create_batch(30, response__survey=survey)
    few = list(FreeTextAnswer.objects.all()[:3])

    with CaptureQueriesContext(connection) as small:
        withhold(few, user=moderator, reason="Duplicate.")
    with CaptureQueriesContext(connection) as large:
        withhold(FreeTextAnswer.objects.all(), user=moderator, reason="Duplicate.")

    assert len(large.captured_queries) == len(small.captured_queries) <= 6
    assert not FreeTextAnswer.objects.exclude(status="withheld").exists()
