"""Home: the open campaigns and surveys, downloaded into the phone's store and still listed with
no signal; the way to every other screen."""

from __future__ import annotations

import pytest

from .content import open_campaigns_and_surveys, rain_gauge, reading
from .interact import button, press, screen_text, sticking_out, wait_until

# Only the tests that talk to the live server need its database (each costs a flush and a
# reload of the migrated data); the others run the app against a closed port.
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def downloaded(app):
    home = app.root.get_screen("home")
    wait_until(lambda: not home.loading, "the home screen to finish downloading")
    return home


@live
def test_open_campaigns_and_surveys_are_listed_and_still_there_offline(
    app_factory, demo_server, offline_server, screenshot
):
    campaigns, surveys = open_campaigns_and_surveys()
    assert campaigns
    assert surveys

    app = app_factory(server=demo_server)
    home = downloaded(app)
    shown = screen_text(app)
    for title in campaigns + surveys:
        assert title in shown
    assert "Downloaded at" in shown
    assert "offline" not in shown
    assert sorted(c["title"] for c in home.campaigns) == campaigns
    assert sorted(s["title"] for s in home.surveys) == surveys
    # Full definitions are kept for the forms: sites, ranges, consent text, questions.
    stored = app.session.store.downloads("campaign")
    assert all("sites" in c and "consent_text" in c for c in stored)
    assert all(s["sections"][0]["questions"] for s in app.session.store.downloads("survey"))
    assert sticking_out(app) == []
    screenshot("home")

    # No signal: the app starts, says so plainly, and still lists what it downloaded.
    app = app_factory(server=offline_server)
    downloaded(app)
    shown = screen_text(app)
    assert "You are offline" in shown
    assert "you can still log readings and answer surveys" in shown
    assert "Downloaded at" in shown
    for title in campaigns + surveys:
        assert title in shown
    screenshot("home-offline")


def test_offline_before_anything_was_downloaded_says_what_to_do(app_factory, offline_server):
    app = app_factory(server=offline_server)
    downloaded(app)
    shown = screen_text(app)
    assert "Nothing has been downloaded yet: connect to the internet and tap Refresh." in shown
    assert "No campaign is taking readings right now." in shown
    assert "Not downloaded yet" in shown


@live
def test_refresh_after_coming_back_online(app_factory, demo_server, tmp_path):
    app = app_factory(server=demo_server, data_dir=tmp_path / "phone")
    downloaded(app)
    # Taking a campaign off the server: the next refresh stops offering it.
    from portal.citizen_science.models import CampaignPage

    campaign = CampaignPage.objects.live().get(title__icontains="Rain gauges")
    campaign.unpublish()
    press(button(app, "Refresh"))
    downloaded(app)
    assert "Rain gauges along the Wandle" not in screen_text(app)
    assert "Millbrook Breathes" in screen_text(app)
    # Its definition stays on the phone for readings already made.
    assert app.session.store.download("campaign", campaign.slug) is not None


@live
def test_the_outbox_button_counts_what_is_waiting_and_what_needs_fixing(app_factory, demo_server):
    app = app_factory(server=demo_server)
    downloaded(app)
    assert "Outbox\n0 waiting" in screen_text(app)
    store = app.session.store
    campaign = rain_gauge(app)
    store.queue("reading", campaign["slug"], reading(campaign, 2.5))
    store.queue("reading", campaign["slug"], reading(campaign, 3.0))
    wrong = store.queue("reading", campaign["slug"], reading(campaign, -4.0))
    store.mark_rejected(
        wrong.client_uuid, reason="Check the value.", errors={"value": ["Too low."]}
    )
    app.outbox_changed()
    wait_until(lambda: "Outbox\n2 waiting, 1 to fix" in screen_text(app), "the count")
    press(button(app, "Outbox"))
    assert app.root.current == "outbox"


def test_each_button_opens_its_screen_and_back_returns(app_factory, offline_server):
    app = app_factory(server=offline_server)
    for words, screen in (
        ("Scan a sign", "scan"),
        ("Outbox", "outbox"),
        ("My data", "my_data"),
        ("Settings", "settings"),
    ):
        press(button(app, words))
        assert app.root.current == screen
        press(button(app, "Back"))
        assert app.root.current == "home"


@live
def test_a_campaign_opens_the_reading_form_and_a_survey_its_questions(app_factory, demo_server):
    pytest.importorskip("mobile.screens.reading")
    pytest.importorskip("mobile.screens.survey")
    app = app_factory(server=demo_server)
    downloaded(app)
    press(button(app, "Answer this survey"))
    assert app.root.current == "survey"
    press(button(app, "Back"))
    first_campaign = app.root.get_screen("home").ids.campaign_list.children[-1]
    press(next(w for w in first_campaign.walk() if getattr(w, "text", "") == "Log a reading"))
    assert app.root.current == "reading"


@pytest.mark.parametrize("size", [(360, 640), (412, 915), (800, 1280)])
def test_every_screen_fits_phones_from_the_smallest_up(app_factory, offline_server, window, size):
    from .conftest import PHONE_SIZE

    try:
        window.size = size
        app = app_factory(server=offline_server)
        downloaded(app)
        for name in ("home", "outbox", "my_data", "settings"):
            app.show(name)
            assert sticking_out(app) == [], name
            assert app.root.current_screen.width == size[0]
    finally:
        window.size = PHONE_SIZE


def test_every_button_s_words_are_readable_on_it(app_factory, offline_server):
    """Measured on the widgets themselves: a Button once took the Label's dark ink."""
    from kivy.uix.button import Button

    from mobile.theme import contrast_ratio

    from .interact import current_screen, visible, walk

    app = app_factory(server=offline_server)
    checked = 0
    for name in ("home", "outbox", "my_data", "settings"):
        app.show(name)
        screen_text(app)  # laid out and drawn
        for widget in walk(current_screen(app)):
            if not isinstance(widget, Button) or not visible(widget) or widget.disabled:
                continue
            if not widget.text or widget.background_normal:
                continue  # only flat-coloured buttons: the app draws no others
            ratio = contrast_ratio(tuple(widget.color), tuple(widget.background_color))
            assert ratio >= 4.5, f"{name}: {widget.text!r} at {ratio:.1f}:1"
            checked += 1
    assert checked >= 10


@live
def test_coming_back_home_does_not_download_again_unless_the_address_changed(
    app_factory, demo_server, live_server
):
    from portal.citizen_science.models import CampaignPage

    app = app_factory(server=demo_server)
    downloaded(app)
    CampaignPage.objects.live().get(title__icontains="Rain gauges").unpublish()

    press(button(app, "Outbox"))
    press(button(app, "Back"))
    # Neither downloading nor downloaded again: the list is the one from the start.
    assert not app.root.get_screen("home").loading
    assert "Rain gauges along the Wandle" in screen_text(app)

    # The same server under another name is a new address: the lists are downloaded again.
    app.session.set_server_url(live_server.url.replace("localhost", "127.0.0.1"))
    press(button(app, "Settings"))
    press(button(app, "Back"))
    wait_until(
        lambda: "Rain gauges along the Wandle" not in screen_text(app), "the lists to be renewed"
    )
    assert "Millbrook Breathes" in screen_text(app)
