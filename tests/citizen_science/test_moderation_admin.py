from __future__ import annotations

import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from portal.citizen_science.models import ModerationEvent, PeriodResult, Reading, ReadingPhoto
from portal.citizen_science.moderation import accept
from portal.core.roles import EDITORS, MODERATORS, ensure_roles
from tests.factories import (
    CampaignPageFactory,
    ReadingFactory,
    ScienceIndexPageFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db

INDEX = "wagtailsnippets_citizen_science_reading:list"
INSPECT = "wagtailsnippets_citizen_science_reading:inspect"


def bulk_url(action: str) -> str:
    return reverse("wagtail_bulk_action", args=["citizen_science", "reading", action])


def member_of(group_name: str):
    user = get_user_model().objects.create_user(username=group_name.lower(), password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def campaign(site_tree):
    home, _register = site_tree
    ensure_roles(home)
    return CampaignPageFactory(parent=ScienceIndexPageFactory(parent=home), title="Elm Road NO2")


@pytest.fixture
def moderator(client, campaign):
    user = member_of(MODERATORS)
    client.force_login(user)
    return user


@pytest.fixture
def readings(campaign):
    site = SiteFactory(campaign=campaign, code="no2-001", name="Elm Road")
    return {
        "pending": ReadingFactory(campaign=campaign, site=site, receipt="RPENDING0001"),
        "flagged": ReadingFactory(
            campaign=campaign,
            site=site,
            receipt="RFLAGGED0001",
            value=150,
            status="flagged",
            flags=["unusually_high"],
        ),
        "accepted": ReadingFactory(
            campaign=campaign, site=site, receipt="RACCEPTED001", status="accepted"
        ),
        "rejected": ReadingFactory(
            campaign=campaign, site=site, receipt="RREJECTED001", status="rejected"
        ),
    }


def test_the_queue_shows_pending_and_flagged_readings_by_default(client, moderator, readings):
    response = client.get(reverse(INDEX))

    page = response.content.decode()
    assert response.status_code == 200
    assert "RPENDING0001" in page
    assert "RFLAGGED0001" in page
    assert "Higher than usual" in page
    assert "150 µg/m³" in page
    assert "RACCEPTED001" not in page
    assert "RREJECTED001" not in page


def test_the_queue_offers_accept_and_reject_but_never_delete_or_add(client, moderator, readings):
    page = client.get(reverse(INDEX)).content.decode()

    assert bulk_url("accept") in page
    assert bulk_url("reject") in page
    assert bulk_url("delete") not in page
    assert reverse("wagtailsnippets_citizen_science_reading:add") not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"status": "accepted"}, ["RACCEPTED001"], ["RPENDING0001", "RREJECTED001"]),
        ({"status": "any"}, ["RACCEPTED001", "RREJECTED001", "RPENDING0001"], []),
        ({"flag": "unusually_high"}, ["RFLAGGED0001"], ["RPENDING0001"]),
        ({"status": "bogus"}, ["RPENDING0001"], ["RACCEPTED001"]),
    ],
)
def test_filters_narrow_the_queue(client, moderator, readings, query, shown, hidden):
    response = client.get(reverse(INDEX), query)

    page = response.content.decode()
    assert response.status_code == 200
    for receipt in shown:
        assert receipt in page
    for receipt in hidden:
        assert receipt not in page


def test_filters_by_campaign_site_and_received_date(client, moderator, readings, campaign):
    other = CampaignPageFactory(parent=campaign.get_parent(), title="Rain gauges")
    ReadingFactory(campaign=other, receipt="ROTHERCAMP01")
    old = ReadingFactory(campaign=campaign, site=readings["pending"].site, receipt="ROLDREADING1")
    Reading.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=30)
    )
    today = timezone.localdate()

    by_campaign = client.get(reverse(INDEX), {"campaign": other.pk}).content.decode()
    by_site = client.get(reverse(INDEX), {"site": readings["pending"].site_id}).content.decode()
    by_date = client.get(
        reverse(INDEX), {"received_at_from": today.isoformat(), "received_at_to": today.isoformat()}
    ).content.decode()

    assert "ROTHERCAMP01" in by_campaign
    assert "RPENDING0001" not in by_campaign
    assert "RPENDING0001" in by_site
    assert "ROTHERCAMP01" not in by_site
    assert "RPENDING0001" in by_date
    assert "ROLDREADING1" not in by_date


def test_bulk_accept_through_the_admin_publishes_the_readings(
    client, moderator, readings, campaign
):
    chosen = [readings["pending"].pk, readings["flagged"].pk]
    url = bulk_url("accept") + "?" + "&".join(f"id={pk}" for pk in chosen)

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "RPENDING0001" in confirmation.content.decode()

    response = client.post(url, {"reason": ""}, follow=True)

    assert response.status_code == 200
    assert "2 readings are now “Accepted”." in response.content.decode()
    assert set(Reading.objects.filter(pk__in=chosen).values_list("status", flat=True)) == {
        "accepted"
    }
    assert ModerationEvent.objects.filter(user=moderator, to_status="accepted").count() == 2
    assert PeriodResult.objects.filter(campaign=campaign).exists()


def test_bulk_reject_without_a_reason_shows_the_form_again_with_an_error(
    client, moderator, readings
):
    url = bulk_url("reject") + f"?id={readings['pending'].pk}"

    response = client.post(url, {"reason": "  "})

    assert response.status_code == 200
    assert "Say why these readings are rejected" in response.content.decode()
    assert Reading.objects.get(pk=readings["pending"].pk).status == "pending"
    assert not ModerationEvent.objects.exists()


def test_bulk_reject_with_a_reason_records_it_on_each_reading(client, moderator, readings):
    chosen = [readings["pending"].pk, readings["accepted"].pk]
    url = bulk_url("reject") + "?" + "&".join(f"id={pk}" for pk in chosen)

    response = client.post(url, {"reason": "Tubes found split on collection."})

    assert response.status_code == 302
    for reading in Reading.objects.filter(pk__in=chosen):
        assert reading.status == "rejected"
        assert reading.review_reason == "Tubes found split on collection."


def test_accepting_a_rejected_reading_in_bulk_asks_for_a_note_instead_of_failing(
    client, moderator, readings
):
    url = bulk_url("accept") + f"?id={readings['rejected'].pk}"

    response = client.post(url, {"reason": ""})

    assert response.status_code == 200
    assert "Say why the decision is being changed" in response.content.decode()
    assert Reading.objects.get(pk=readings["rejected"].pk).status == "rejected"


def test_select_all_in_the_listing_keeps_to_the_filters(client, moderator, readings):
    url = bulk_url("accept") + "?id=all&flag=unusually_high"

    client.post(url, {"reason": ""})

    assert Reading.objects.get(pk=readings["flagged"].pk).status == "accepted"
    assert Reading.objects.get(pk=readings["pending"].pk).status == "pending"
    assert Reading.objects.get(pk=readings["rejected"].pk).status == "rejected"


def test_someone_without_the_permission_cannot_see_or_decide(client, campaign, readings):
    client.force_login(member_of(EDITORS))
    reading = readings["pending"]

    listing = client.get(reverse(INDEX))
    detail = client.get(reverse(INSPECT, args=[reading.pk]))
    bulk = client.post(bulk_url("accept") + f"?id={reading.pk}", {"reason": ""})
    single = client.post(reverse(INSPECT, args=[reading.pk]), {"to_status": "accepted"})

    for response in (listing, detail, bulk, single):
        assert response.status_code in (302, 403)
    assert Reading.objects.get(pk=reading.pk).status == "pending"


def test_readings_cannot_be_added_edited_or_deleted_in_the_admin(client, moderator, readings):
    reading = readings["pending"]

    add = client.get(reverse("wagtailsnippets_citizen_science_reading:add"))
    edit = client.get(reverse("wagtailsnippets_citizen_science_reading:edit", args=[reading.pk]))
    delete = client.post(
        reverse("wagtailsnippets_citizen_science_reading:delete", args=[reading.pk])
    )

    assert add.status_code in (302, 403)
    assert add.get("Location", "") != reverse(INSPECT, args=[reading.pk])
    assert edit.status_code == 302
    assert edit["Location"] == reverse(INSPECT, args=[reading.pk])
    assert delete.status_code in (302, 403)
    assert Reading.objects.filter(pk=reading.pk).exists()


def test_a_readings_page_explains_its_flags_and_shows_its_history(
    client, moderator, readings, campaign
):
    reading = readings["flagged"]
    accept([reading], user=moderator)

    page = client.get(reverse(INSPECT, args=[reading.pk])).content.decode()

    assert "above the usual highest value of 120 µg/m³" in page
    assert "Flagged for a closer check" in page  # the history's "from"
    assert "moderators" in page  # who decided
    assert "Re-open (back to the queue)" in page


def test_accepting_on_a_readings_page_returns_to_the_queue(client, moderator, readings):
    reading = readings["pending"]

    response = client.post(
        reverse(INSPECT, args=[reading.pk]), {"to_status": "accepted", "reason": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(INDEX)
    assert Reading.objects.get(pk=reading.pk).status == "accepted"


def test_rejecting_on_a_readings_page_without_a_reason_says_what_to_write(
    client, moderator, readings
):
    reading = readings["pending"]

    response = client.post(reverse(INSPECT, args=[reading.pk]), {"to_status": "rejected"})

    assert response.status_code == 400
    assert "Say why the readings are rejected" in response.content.decode()
    assert Reading.objects.get(pk=reading.pk).status == "pending"


def test_a_decision_the_reading_already_has_is_refused_with_a_message(client, moderator, readings):
    reading = readings["accepted"]

    response = client.post(reverse(INSPECT, args=[reading.pk]), {"to_status": "accepted"})

    assert response.status_code == 400
    assert "now “Accepted”" in response.content.decode()


@pytest.fixture
def photo(readings):
    stored = ReadingPhoto(
        reading=readings["pending"],
        client_uuid=uuid.uuid4(),
        receipt="RPHOTO000001",
        content_type="image/jpeg",
        width=4,
        height=3,
        sha256="0" * 64,
    )
    stored.image.save("tube.jpg", ContentFile(b"\xff\xd8full"), save=False)
    stored.thumbnail.save("tube-small.jpg", ContentFile(b"\xff\xd8small"), save=False)
    stored.save()
    return stored


def test_photos_are_shown_to_moderators_through_the_admin_only(client, moderator, photo):
    page = client.get(reverse(INSPECT, args=[photo.reading_id])).content.decode()
    thumbnail_url = reverse(
        "wagtailsnippets_citizen_science_reading:photo", args=[photo.pk, "thumbnail"]
    )

    response = client.get(thumbnail_url)

    assert thumbnail_url in page
    assert photo.image.url not in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8small"
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    listing = client.get(reverse(INDEX)).content.decode()
    assert "Yes" in listing


def test_photos_are_refused_without_the_permission(client, campaign, photo):
    url = reverse("wagtailsnippets_citizen_science_reading:photo", args=[photo.pk, "full"])

    client.force_login(member_of(EDITORS))
    as_editor = client.get(url)
    client.logout()
    anonymous = client.get(url)

    assert as_editor.status_code in (302, 403)
    assert anonymous.status_code == 302  # to the admin login
    assert "login" in anonymous["Location"]
