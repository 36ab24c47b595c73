import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Site, WorkflowPage

from dtpr_assets.taxonomy import load_taxonomy
from portal.core.models import StandardPage
from portal.registry.models import DeviceIndexPage, DevicePage, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_demo_borough_has_the_devices_a_newcomer_needs_to_see(demo):
    devices = list(DevicePage.objects.live())
    assert len(devices) >= 15
    purposes = {p for d in devices for p in d.purpose_index.split("|") if p}
    assert len(purposes) >= 8
    assert {d.personal_data for d in devices} == {"identifiable", "de_identified", "none"}
    technologies = {t for d in devices for t in d.technology_index.split("|") if t}
    assert {
        "identifiable_video",
        "identifiable_image",
        "person_detection",
        "air_quality",
    } <= technologies
    assert {d.status for d in devices} == {
        "planned",
        "installed",
        "active",
        "paused",
        "investigation",
        "retired",
    }
    assert len({d.area for d in devices}) >= 4


def test_every_demo_device_is_valid_and_accountable(demo):
    taxonomy = load_taxonomy()
    for device in DevicePage.objects.live():
        assert device.organisations, device.title
        categories = {entry["category"] for entry in device.datachain_entries()}
        assert categories == {category.id for category in taxonomy.categories}, device.title


def test_loading_the_demo_twice_changes_nothing(demo):
    codes = dict(DevicePage.objects.values_list("slug", "code"))
    counts = (
        DevicePage.objects.count(),
        Organisation.objects.count(),
        StandardPage.objects.count(),
    )
    call_command("load_demo", verbosity=0)
    assert dict(DevicePage.objects.values_list("slug", "code")) == codes
    assert counts == (
        DevicePage.objects.count(),
        Organisation.objects.count(),
        StandardPage.objects.count(),
    )
    assert Site.objects.count() == 1


def test_demo_serves_the_pages_every_council_site_needs(demo, client):
    for path in ["/", "/devices/", "/about/", "/privacy/", "/accessibility/", "/contact/"]:
        assert client.get(path).status_code == 200, path


def test_demo_prints_how_to_sign_in(capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    assert "Sign in at /admin/ as 'admin'" in output
    assert "plainsight-demo" in output


def test_printed_credentials_sign_in_to_the_admin(demo, client):
    assert client.login(username="admin", password="plainsight-demo")
    assert client.get("/admin/").status_code == 200


def test_roles_and_device_workflow_exist(demo):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Editors",
        "Moderators",
        "Publishers",
    }
    register = DeviceIndexPage.objects.get()
    assert WorkflowPage.objects.get(page=register).workflow.name == "Device review"


def test_every_demo_page_has_a_working_url(demo, client):
    for device in DevicePage.objects.live():
        assert device.url == f"/devices/{device.slug}/"
        assert client.get(device.url).status_code == 200
    register_html = client.get("/devices/").content.decode()
    assert 'href="None"' not in register_html
    assert '"url":null' not in register_html
