"""The reading screen, headless: a person fills in the form offline, makes a mistake, fixes it,
saves, and the reading waits in the outbox; a reading the council rejected is fixed and resent."""

import datetime
import uuid
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from rest_framework.test import APIClient

from mobile.platform.gps import NO_GPS, Fix, FixedPosition
from mobile.services.forms import ReadingForm
from mobile.services.sync import Syncer
from tests.factories import CampaignPageFactory, ScienceIndexPageFactory, SiteFactory

from .conftest import pump
from .forms_helpers import (
    cut_off,
    part,
    tap,
    type_into,
    unreadable_buttons,
    visible_text,
)

pytestmark = pytest.mark.django_db


# Nothing listens here: the phone has no signal for the whole test.
NO_SIGNAL = "http://127.0.0.1:9"


@pytest.fixture
def science(site_tree):
    return ScienceIndexPageFactory(parent=site_tree[0])


@pytest.fixture
def tubes(science):
    campaign = CampaignPageFactory(
        parent=science,
        slug="tubes",
        title="NO2 tubes on our streets",
        method="Put the tube up on the first Monday and take it down four weeks later.",
    )
    SiteFactory(campaign=campaign, code="no2-001", name="Elm Road")
    SiteFactory(campaign=campaign, code="no2-002", name="Oak Lane school gates")
    return campaign


@pytest.fixture
def noise(science):
    return CampaignPageFactory(
        parent=science, slug="noise", title="Street noise", sampling="instant", unit="dB",
        valid_min=20.0, valid_max=140.0, expected_min=35.0, expected_max=90.0,
        method="Hold the meter at arm's length for a minute and note the average.",
    )  # fmt: skip


def downloaded(app, slug):
    """The definition as the home screen keeps it: fetched once, then used with no signal."""
    definition = APIClient().get(f"/api/v1/campaigns/{slug}/").json()
    app.session.store.save_download("campaign", slug, definition)
    return definition


def phone_photo(path):
    image = Image.new("RGB", (1200, 900), (90, 140, 90))
    image.paste((230, 230, 240), (450, 200, 750, 700))
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {1: "N", 2: (51.0, 28.0, 16.0), 3: "W", 4: (0.0, 6.0, 44.0)}
    )
    image.save(path, "JPEG", exif=exif)
    return path


def test_a_reading_is_filled_in_corrected_and_saved_with_a_photo_offline(
    app_factory, screenshot, tubes, tmp_path
):
    app = app_factory(server=NO_SIGNAL)
    downloaded(app, "tubes")
    screen = app.show("reading", campaign="tubes")
    pump()
    text = visible_text(app)
    assert "NO2 tubes on our streets" in text
    assert "Where did you take the reading?" in text
    assert "When did you put the tube up?" in text
    assert "Put the tube up on the first Monday" in text
    assert "Usually from 5 to 120 µg/m³." in text
    # The time now is filled in for when the tube came down.
    assert part(app, "observed_at").time_text
    screenshot("reading-empty")

    tap(app, "Elm Road (no2-001)")
    type_into(part(app, "value").ids.input, "650")
    tap(app, "Save reading")
    text = visible_text(app)
    assert "Check the 2 answers marked in red." in text
    assert "650 is not possible here: readings are from 0 to 500 µg/m³." in part(app, "value").error
    assert part(app, "exposure_start").error.startswith("Enter the date you put the tube up")
    assert app.session.store.records() == []
    screenshot("reading-validation-error")

    put_up = datetime.date.today() - datetime.timedelta(days=28)
    type_into(part(app, "value").ids.input, "38.5")
    start = part(app, "exposure_start")
    type_into(start.ids.date_input, f"{put_up:%d/%m/%Y}")
    type_into(start.ids.time_input, "9:15am")
    type_into(screen.ids.photo_path_input, str(phone_photo(tmp_path / "IMG_2041.jpg")))
    tap(app, "Attach")
    assert "Photo attached." in visible_text(app)
    assert part(app, "value").error == ""
    assert "Check the" not in visible_text(app)
    screen.ids.scroll.scroll_y = 0
    screenshot("reading-photo-attached")

    tap(app, "Save reading")
    assert "Saved on this phone; it will be sent when you have signal." in visible_text(app)
    screenshot("reading-saved")

    (record,) = app.session.store.records()
    assert (record.kind, record.target, record.state) == ("reading", "tubes", "pending")
    payload = record.payload
    assert payload["client_uuid"] == record.client_uuid
    assert (payload["site"], payload["value"], payload["unit"]) == ("no2-001", 38.5, "µg/m³")
    start_at = datetime.datetime.fromisoformat(payload["exposure_start"])
    assert start_at.utcoffset() is not None
    assert (start_at.date(), start_at.hour, start_at.minute) == (put_up, 9, 15)
    (photo,) = record.photos
    assert photo.path.startswith(str(app.session.photos_dir))
    with Image.open(photo.path) as queued:
        assert dict(queued.getexif()) == {}
        assert queued.size == (1200, 900)

    # What the phone saved is what the council takes.
    volunteer = APIClient()
    token = volunteer.post("/api/v1/contributors/", {"consent_to": ["tubes"]}, format="json")
    volunteer.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    answer = volunteer.post("/api/v1/readings/", {"readings": [payload]}, format="json")
    assert answer.json()["receipts"][0]["result"] == "created"

    tap(app, "Log another reading")
    assert part(app, "value").text == ""
    assert app.session.store.counts()["pending"] == 1


def test_an_unusual_value_is_questioned_once_then_saved(app_factory, noise):
    app = app_factory(server=NO_SIGNAL)
    downloaded(app, "noise")
    app.show("reading", campaign="noise", location=FixedPosition(Fix(51.4712, -0.1123, 6.0)))
    pump()
    type_into(part(app, "value").ids.input, "118")
    tap(app, "Save reading")
    assert part(app, "value").warning.startswith(
        "118 is higher than usual (usually from 35 to 90 dB)"
    )
    assert "If it is right, press Save again." in visible_text(app)
    assert app.session.store.records() == []
    tap(app, "Save reading")
    (record,) = app.session.store.records()
    assert record.payload["value"] == 118
    # The phone's fix went in with its accuracy.
    assert (record.payload["latitude"], record.payload["accuracy_m"]) == (51.4712, 6.0)


def test_with_no_gps_the_location_is_typed_with_its_accuracy(app_factory, screenshot, noise):
    app = app_factory(server=NO_SIGNAL)
    downloaded(app, "noise")
    app.show("reading", campaign="noise")
    pump()
    # No sites in this campaign: "Somewhere else" is chosen, and the desktop has no GPS.
    assert NO_GPS in visible_text(app)
    type_into(part(app, "latitude").ids.input, "51.4712")
    type_into(part(app, "longitude").ids.input, "-0.1123")
    type_into(part(app, "value").ids.input, "64")
    tap(app, "Save reading")
    assert part(app, "accuracy_m").error == (
        "Enter how accurate the location is, in metres, like 10."
    )
    type_into(part(app, "accuracy_m").ids.input, "25 m")
    assert "Check the answer marked in red." not in visible_text(app)
    screen = app.root.current_screen
    screen.ids.scroll.scroll_to(screen.location_panel, padding=0, animate=False)
    screenshot("reading-manual-location")
    tap(app, "Save reading")
    (record,) = app.session.store.records()
    assert {k: record.payload[k] for k in ("latitude", "longitude", "accuracy_m")} == {
        "latitude": 51.4712,
        "longitude": -0.1123,
        "accuracy_m": 25.0,
    }
    assert "site" not in record.payload


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rejected_reading_is_fixed_and_resent_under_the_same_uuid(
    app_factory, screenshot, tubes, live_server
):
    app = app_factory(server=live_server.url)
    session = app.session
    # Downloaded and registered while there was signal, as the home and my data screens do.
    definition = session.api.campaign("tubes")
    session.store.save_download("campaign", "tubes", definition)
    created = session.api.register(["tubes"])
    session.remember_contributor(created["id"], created["token"])
    form = ReadingForm(definition)
    now = datetime.datetime.now().astimezone()
    entries = {
        **form.blank_entries(),
        "site": "no2-002",
        "value": "180",
        "start_date": f"{now - datetime.timedelta(days=28):%d/%m/%Y}",
        "start_time": "08:00",
    }
    client_uuid = str(uuid.uuid4())
    payload = form.check(entries, client_uuid=client_uuid).payload
    session.store.queue("reading", "tubes", payload, client_uuid=client_uuid)
    # Since the phone downloaded the campaign, the council narrowed its range of possible
    # values: the sync sends the reading, and the council's answer is kept with it.
    tubes.valid_max = 150.0
    tubes.save_revision().publish()
    report = Syncer(session.store, session.api).sync_once()
    assert report.rejected == 1
    rejected = session.store.record(client_uuid)
    assert rejected.state == "rejected"
    council_says = rejected.errors["value"][0]
    assert council_says.startswith("180 is impossible here: values run from 0 to 150")

    app.show("reading", record=client_uuid)
    pump()
    assert part(app, "value").text == "180"
    assert part(app, "value").error == council_says
    assert "The council could not accept this reading." in visible_text(app)
    screenshot("reading-fix-rejected")

    type_into(part(app, "value").ids.input, "95")
    tap(app, "Save and send again")
    assert "Corrected and saved on this phone" in visible_text(app)
    again = session.store.record(client_uuid)
    assert again.state == "pending"
    assert again.payload["value"] == 95
    assert again.payload["client_uuid"] == client_uuid
    assert {k: v for k, v in again.payload.items() if k != "value"} == {
        k: v for k, v in payload.items() if k != "value"
    }
    assert Syncer(session.store, session.api).sync_once().sent == 1
    sent = session.store.record(client_uuid)
    assert sent.state == "sent"
    assert sent.receipt.startswith("R")


def test_a_photo_is_chosen_with_the_file_chooser_and_a_non_image_refused(
    app_factory, tubes, tmp_path
):
    pictures = tmp_path / "Pictures"
    pictures.mkdir()
    phone_photo(pictures / "IMG_3001.jpg")
    (pictures / "notes.jpg").write_text("not a picture")
    app = app_factory(server=NO_SIGNAL)
    downloaded(app, "tubes")
    screen = app.show("reading", campaign="tubes")
    pump()

    # The chooser opens in the person's home folder; here, in the test's pictures.
    screen.photo_folder = str(pictures)
    tap(app, "Choose a photo")
    popup = screen.chooser
    # Only pictures are offered.
    assert set(popup.chooser.filters) >= {"*.jpg", "*.png", "*.webp"}
    assert popup.chooser.path == str(pictures)
    popup.chooser.selection = [str(pictures / "notes.jpg")]
    popup.use_button.dispatch("on_release")
    pump()
    assert screen.photo_error == (
        "This file is not a photo the app can use. Choose a JPEG, PNG or WebP picture."
    )
    assert screen.photo_path == ""

    tap(app, "Choose a photo")
    popup = screen.chooser
    popup.chooser.selection = [str(pictures / "IMG_3001.jpg")]
    popup.use_button.dispatch("on_release")
    pump()
    assert screen.photo_error == ""
    assert Path(screen.photo_path).parent == app.session.photos_dir
    assert "Photo attached." in visible_text(app)

    # Removed before saving: the cleaned copy goes too.
    copy_path = Path(screen.photo_path)
    tap(app, "Remove the photo")
    assert not copy_path.exists()
    assert screen.photo_path == ""


def test_a_reading_sent_while_it_was_being_fixed_is_not_changed(app_factory, tubes):
    app = app_factory(server=NO_SIGNAL)
    definition = downloaded(app, "tubes")
    form = ReadingForm(definition)
    client_uuid = str(uuid.uuid4())
    entries = {**form.blank_entries(), "site": "no2-001", "value": "30",
               "start_date": "01/11/2026", "start_time": "08:00"}  # fmt: skip
    payload = form.check(entries, client_uuid=client_uuid).payload
    store = app.session.store
    store.queue("reading", "tubes", payload, client_uuid=client_uuid)
    store.mark_rejected(client_uuid, reason="Check the value.", errors={"value": ["Check it."]})
    app.show("reading", record=client_uuid)
    pump()
    # The background sync gets there first (the person fixed it on another screen, say).
    store.resubmit(client_uuid, payload)
    store.mark_sent([(client_uuid, "R-TEST-1", "2026-11-21T10:00:00+00:00")])
    type_into(part(app, "value").ids.input, "31")
    tap(app, "Save and send again")
    assert "This reading is no longer waiting to be fixed." in visible_text(app)
    assert store.record(client_uuid).payload["value"] == 30
    assert store.record(client_uuid).receipt == "R-TEST-1"


def test_coming_back_to_the_reading_keeps_what_was_typed(app_factory, tubes):
    app = app_factory(server=NO_SIGNAL)
    downloaded(app, "tubes")
    app.show("reading", campaign="tubes")
    pump()
    tap(app, "Oak Lane school gates (no2-002)")
    type_into(part(app, "value").ids.input, "41.2")
    app.show("home")
    assert app.go_back()
    pump()
    assert app.root.current == "reading"
    assert part(app, "value").text == "41.2"
    assert part(app, "site").selected == ["no2-002"]


@pytest.mark.parametrize("size", [(360, 640), (412, 915), (800, 1280)])
def test_the_form_fits_phones_from_the_smallest_up_and_its_buttons_are_readable(
    app_factory, window, tubes, size
):
    from .conftest import PHONE_SIZE

    try:
        window.size = size
        app = app_factory(server=NO_SIGNAL)
        downloaded(app, "tubes")
        app.show("reading", campaign="tubes")
        tap(app, "Somewhere else")
        assert cut_off(app) == []
        assert unreadable_buttons(app) == []
        assert app.root.current_screen.width == size[0]
    finally:
        window.size = PHONE_SIZE
