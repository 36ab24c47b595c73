from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from portal.citizen_science.models import ModerationEvent, PeriodResult, Reading
from portal.citizen_science.moderation import accept, explain_flags, moderate, reject
from tests.factories import (
    CampaignPageFactory,
    ReadingFactory,
    ScienceIndexPageFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(site_tree):
    home, _register = site_tree
    return CampaignPageFactory(parent=ScienceIndexPageFactory(parent=home))


@pytest.fixture
def moderator():
    return get_user_model().objects.create_user(username="moderator", password="x")


def published_readings(campaign) -> int:
    return sum(PeriodResult.objects.filter(campaign=campaign).values_list("readings", flat=True))


def test_accepting_publishes_the_readings_and_records_who_and_when(campaign, moderator):
    readings = ReadingFactory.create_batch(
        3, campaign=campaign, site=SiteFactory(campaign=campaign)
    )

    changed = accept(readings, user=moderator)

    assert changed == 3
    assert published_readings(campaign) == 3
    for reading in Reading.objects.all():
        assert reading.status == "accepted"
        assert reading.reviewed_by == moderator
        assert reading.reviewed_at is not None
    events = ModerationEvent.objects.all()
    assert [(e.from_status, e.to_status, e.user) for e in events] == [
        ("pending", "accepted", moderator)
    ] * 3


def test_rejecting_an_accepted_reading_takes_it_out_of_the_results(campaign, moderator):
    site = SiteFactory(campaign=campaign)
    kept, dropped = (
        ReadingFactory(campaign=campaign, site=site, value=20),
        ReadingFactory(campaign=campaign, site=site, value=80),
    )
    accept([kept, dropped], user=moderator)
    assert PeriodResult.objects.get(campaign=campaign).mean_raw == 50

    reject([dropped], user=moderator, reason="Tube found split on collection.")

    result = PeriodResult.objects.get(campaign=campaign)
    assert (result.readings, result.mean_raw) == (1, 20)
    dropped.refresh_from_db()
    assert dropped.review_reason == "Tube found split on collection."
    assert dropped.events.first().from_status == "accepted"


def test_rejecting_without_a_reason_is_refused_with_a_sentence_saying_what_to_write(
    campaign, moderator
):
    reading = ReadingFactory(campaign=campaign)

    with pytest.raises(ValidationError) as refused:
        reject([reading], user=moderator, reason="   ")

    assert "Say why" in refused.value.message_dict["reason"][0]
    reading.refresh_from_db()
    assert reading.status == "pending"
    assert not ModerationEvent.objects.exists()


def test_a_reason_longer_than_the_field_is_refused_before_anything_changes(campaign, moderator):
    reading = ReadingFactory(campaign=campaign)

    with pytest.raises(ValidationError) as refused:
        reject([reading], user=moderator, reason="x" * 301)

    assert "300 characters" in refused.value.message_dict["reason"][0]
    assert Reading.objects.get().status == "pending"


def test_accepting_an_accepted_reading_changes_nothing_and_writes_no_event(campaign, moderator):
    reading = ReadingFactory(campaign=campaign)
    accept([reading], user=moderator)

    assert accept([reading], user=moderator) == 0
    assert ModerationEvent.objects.count() == 1


def test_reopening_a_decision_needs_a_reason_and_then_leaves_the_results(campaign, moderator):
    reading = ReadingFactory(campaign=campaign)
    accept([reading], user=moderator)

    with pytest.raises(ValidationError) as refused:
        moderate([reading], to_status="pending", user=moderator)
    assert "already accepted or rejected" in refused.value.message_dict["reason"][0]

    moderate([reading], to_status="pending", user=moderator, reason="Volunteer queried the value.")
    assert published_readings(campaign) == 0
    assert [(e.from_status, e.to_status) for e in reading.events.all()] == [
        ("accepted", "pending"),
        ("pending", "accepted"),
    ]


def test_a_flagged_reading_cannot_be_put_back_as_pending(campaign, moderator):
    reading = ReadingFactory(campaign=campaign, status="flagged", flags=["unusually_high"])

    with pytest.raises(ValidationError) as refused:
        moderate([reading], to_status="pending", user=moderator, reason="Not sure.")

    assert "Accept or reject flagged readings" in refused.value.messages[0]


def test_an_unknown_status_is_refused(campaign, moderator):
    reading = ReadingFactory(campaign=campaign)

    with pytest.raises(ValidationError):
        moderate([reading], to_status="approved", user=moderator)


def test_a_queryset_can_be_moderated_as_a_whole(campaign, moderator):
    ReadingFactory.create_batch(2, campaign=campaign, status="flagged", flags=["unusually_high"])
    ReadingFactory(campaign=campaign)

    changed = reject(
        Reading.objects.filter(status="flagged"), user=moderator, reason="Kit was faulty."
    )

    assert changed == 2
    assert sorted(Reading.objects.values_list("status", flat=True)) == [
        "pending",
        "rejected",
        "rejected",
    ]


def test_a_thousand_readings_are_moderated_in_a_handful_of_queries(
    campaign, moderator, django_assert_max_num_queries
):
    site = SiteFactory(campaign=campaign)
    Reading.objects.bulk_create(
        ReadingFactory.build(campaign=campaign, site=site) for _ in range(1000)
    )

    # One read, one update, the events (SQLite takes 166 rows per INSERT, PostgreSQL all 1,000)
    # and the results rebuild: never a query per reading.
    with django_assert_max_num_queries(20):
        changed = accept(Reading.objects.filter(campaign=campaign), user=moderator)

    assert changed == 1000
    assert ModerationEvent.objects.count() == 1000
    assert published_readings(campaign) == 1000


def test_flags_are_explained_with_the_campaigns_usual_range(campaign):
    reading = ReadingFactory(campaign=campaign, value=300, flags=["unusually_high", "outside_area"])

    high, outside = explain_flags(reading)

    assert "usual highest value of 120 µg/m³" in high
    assert "outside the campaign area" in outside
