"""Scan counts: one number per device per day, and nothing about the person scanning."""

import datetime

import pytest
from django.utils import timezone

from portal.signage.models import DailyScanCount
from portal.signage.services import record_scan, scan_totals, scans_by_day
from tests.factories import DevicePageFactory

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"


@pytest.fixture
def device(register):
    return DevicePageFactory(parent=register)


def scans_today(device):
    row = DailyScanCount.objects.filter(device=device, day=timezone.localdate()).first()
    return row.scans if row else 0


def test_each_scan_adds_one_to_the_days_count(client, device):
    for _ in range(3):
        client.get(f"/d/{device.code}", HTTP_USER_AGENT=PHONE)
    assert scans_today(device) == 3
    assert DailyScanCount.objects.count() == 1


def test_head_requests_are_not_counted(client, device):
    response = client.head(f"/d/{device.code}", HTTP_USER_AGENT=PHONE)
    assert response.status_code == 302
    assert scans_today(device) == 0


@pytest.mark.parametrize(
    "user_agent",
    [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "WhatsApp/2.24.1.6 A",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "Twitterbot/1.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "curl/8.5.0",
        "",
    ],
)
def test_link_previews_and_bots_are_not_counted(client, device, user_agent):
    response = client.get(f"/d/{device.code}", HTTP_USER_AGENT=user_agent)
    assert response.status_code == 302  # they still get where they were going
    assert scans_today(device) == 0


def test_browser_prefetches_are_not_counted(client, device):
    client.get(f"/d/{device.code}", HTTP_USER_AGENT=PHONE, HTTP_SEC_PURPOSE="prefetch")
    assert scans_today(device) == 0


def test_a_scan_stores_nothing_about_the_visitor(client, device):
    response = client.get(
        f"/d/{device.code}",
        HTTP_USER_AGENT=PHONE,
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert not response.cookies
    assert "Set-Cookie" not in response
    fields = {field.name for field in DailyScanCount._meta.get_fields()}
    assert fields == {"id", "device", "day", "scans"}
    assert not client.session.keys()


def test_scans_by_day_lists_the_last_thirty_days_with_zeros(device):
    today = timezone.localdate()
    record_scan(device, day=today)
    record_scan(device, day=today)
    record_scan(device, day=today - datetime.timedelta(days=3))
    record_scan(device, day=today - datetime.timedelta(days=40))
    days = scans_by_day(device)
    assert len(days) == 30
    assert days[-1] == (today, 2)
    assert days[-4] == (today - datetime.timedelta(days=3), 1)
    assert sum(count for _, count in days) == 3


def test_scan_totals_rank_devices_over_thirty_days(register):
    busy, quiet = DevicePageFactory(parent=register), DevicePageFactory(parent=register)
    for _ in range(5):
        record_scan(busy)
    record_scan(quiet)
    record_scan(quiet, day=timezone.localdate() - datetime.timedelta(days=31))
    assert scan_totals() == [(busy.pk, 5), (quiet.pk, 1)]
