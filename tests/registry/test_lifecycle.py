import datetime
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from portal.registry.lifecycle import apply_lifecycle
from portal.registry.models import DevicePage
from tests.factories import DevicePageFactory, DpiaPageFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize(
    ("status", "label", "warned"),
    [
        ("planned", "Planned", False),
        ("installed", "Installed, not yet in use", False),
        ("active", "Active", False),
        ("paused", "Paused", True),
        ("investigation", "Under investigation", True),
        ("retired", "Retired", True),
    ],
)
def test_each_status_is_shown_with_what_it_means(client, register, status, label, warned):
    device = DevicePageFactory(parent=register, status=status, status_since=YESTERDAY)
    text = text_of(client.get(device.url))
    assert label in text
    assert device.status_explanation in text
    assert f"since {YESTERDAY:%-d %B %Y}" in text
    assert ("Warning" in text) is warned


def test_an_investigated_device_is_out_of_service_near_the_top(client, register):
    device = DevicePageFactory(parent=register, status="investigation")
    html = client.get(device.url).content.decode()
    notice = html.find("out of service while the council investigates")
    assert 0 < notice < html.find("Does this collect personal data?")


def test_changing_the_status_dates_it_today_unless_the_editor_gave_a_date(register):
    device = DevicePageFactory(parent=register, status="active", status_since=YESTERDAY)
    device.status = "paused"
    device.full_clean()
    assert device.status_since == TODAY

    device.save()
    device.status = "active"
    device.status_since = datetime.date(2026, 1, 5)
    device.full_clean()
    assert device.status_since == datetime.date(2026, 1, 5)


def test_past_do_not_show_after_a_device_leaves_listings_but_its_page_says_why(client, register):
    shown = DevicePageFactory(parent=register, title="Shown sensor", hide_after=TODAY)
    hidden = DevicePageFactory(parent=register, title="Hidden sensor", hide_after=YESTERDAY)

    register_text = text_of(client.get(register.url))
    assert shown.title in register_text
    assert hidden.title not in register_text
    assert hidden.title not in text_of(client.get(register.url, {"q": "Hidden"}))
    assert "1 device" in text_of(client.get("/"))
    assert hidden.url not in client.get("/sitemap.xml").content.decode()
    assert shown.url in client.get("/sitemap.xml").content.decode()

    response = client.get(hidden.url)
    assert response.status_code == 200
    assert "taken out of the council's register after" in text_of(response)
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "noindex" not in client.get(shown.url).content.decode()


def test_a_short_link_still_leads_to_an_unlisted_device(client, register):
    hidden = DevicePageFactory(parent=register, hide_after=YESTERDAY)
    response = client.get(f"/d/{hidden.code}")
    assert response.status_code == 302
    assert response["Location"].endswith(hidden.url)


def test_apply_lifecycle_retires_and_installs_on_the_planned_day(register):
    retiring = DevicePageFactory(parent=register, status="active", retired_on=TODAY)
    later = DevicePageFactory(parent=register, status="active", retired_on=TOMORROW)
    arriving = DevicePageFactory(parent=register, status="planned", installed_on=YESTERDAY)

    report = apply_lifecycle()

    retiring = DevicePage.objects.get(pk=retiring.pk)
    assert (retiring.status, retiring.status_since) == ("retired", TODAY)
    assert retiring.live_revision is not None  # published as a revision, so it shows in history
    assert DevicePage.objects.get(pk=later.pk).status == "active"
    arriving = DevicePage.objects.get(pk=arriving.pk)
    assert (arriving.status, arriving.status_since) == ("installed", YESTERDAY)
    assert len(report.changed) == 2

    # Running again changes nothing: a daily schedule may run it twice.
    assert apply_lifecycle().changed == []


def test_apply_lifecycle_leaves_devices_with_unpublished_drafts_to_their_editors(register):
    device = DevicePageFactory(parent=register, status="active", retired_on=YESTERDAY)
    device.summary = "A draft nobody has published yet."
    device.save_revision()

    report = apply_lifecycle()

    assert DevicePage.objects.get(pk=device.pk).status == "active"
    assert "has unpublished changes" in report.skipped[0]


def test_apply_lifecycle_lists_overdue_reviews_and_unlisted_devices(register, site_tree):
    from tests.factories import AssessmentIndexPageFactory

    DevicePageFactory(parent=register, title="Overdue camera", review_by=YESTERDAY)
    DevicePageFactory(
        parent=register, title="Retired camera", status="retired", review_by=YESTERDAY
    )
    DevicePageFactory(parent=register, title="Gone sensor", hide_after=YESTERDAY)
    index = AssessmentIndexPageFactory(parent=site_tree[0])
    DpiaPageFactory(parent=index, title="Old DPIA", review_by=YESTERDAY)
    DpiaPageFactory(parent=index, title="Fresh DPIA")

    lines = apply_lifecycle().lines()

    assert any("Overdue camera" in line for line in lines)
    assert not any("Retired camera" in line for line in lines)
    assert any("Gone sensor" in line and "Not listed" in line for line in lines)
    assert any("Old DPIA" in line for line in lines)
    assert not any("Fresh DPIA" in line for line in lines)


def test_apply_lifecycle_command_reports_and_refuses_bad_dates(register, capsys):
    DevicePageFactory(parent=register, status="active", retired_on=YESTERDAY)
    call_command("apply_lifecycle", date=YESTERDAY.isoformat())
    assert "1 status change(s)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="must be a date like"):
        call_command("apply_lifecycle", date="21/11/2026")
    with pytest.raises(CommandError, match="cannot be in the future"):
        call_command("apply_lifecycle", date=TOMORROW.isoformat())


def test_dashboard_lists_devices_and_dpias_overdue_for_review(admin_client, register, site_tree):
    from tests.factories import AssessmentIndexPageFactory

    DevicePageFactory(parent=register, title="Overdue camera", review_by=YESTERDAY)
    DevicePageFactory(parent=register, title="Current camera", review_by=TOMORROW)
    index = AssessmentIndexPageFactory(parent=site_tree[0])
    DpiaPageFactory(parent=index, title="Old DPIA", review_by=YESTERDAY)

    text = text_of(admin_client.get("/admin/"))

    assert "Overdue for review" in text
    assert "Overdue camera" in text
    assert "Old DPIA" in text
    assert "Current camera" not in text


def test_a_retired_device_cannot_be_retired_in_the_future(register):
    from django.core.exceptions import ValidationError

    device = DevicePageFactory(parent=register, status="active", retired_on=TOMORROW)
    device.status = "retired"
    with pytest.raises(ValidationError, match="retired automatically on that date"):
        device.full_clean()
