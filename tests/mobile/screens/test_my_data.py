"""My data: register with consent to chosen campaigns, see (and keep a copy of) what the council
holds, and erase it with either choice spelt out and confirmed first."""

from __future__ import annotations

import json
import uuid

import pytest

from .content import rain_gauge, reading
from .interact import button, press, screen_text, wait_until

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_my_data(app_factory, server, **kwargs):
    app = app_factory(server=server, **kwargs)
    home = app.root.get_screen("home")
    wait_until(lambda: not home.loading, "the home screen to finish downloading")
    press(button(app, "My data"))
    assert app.root.current == "my_data"
    return app, app.root.current_screen


def settled(screen):
    wait_until(lambda: not screen.busy, "the council's answer")


def register(app, screen, campaign_title):
    consent = next(
        card for card in screen.ids.consent_list.children if card.title == campaign_title
    )
    press(next(w for w in consent.walk() if getattr(w, "text", "") == "I agree to take part"))
    press(button(app, "Register"))
    settled(screen)


def test_registering_gives_consent_to_the_chosen_campaigns_only(
    app_factory, demo_server, screenshot
):
    from portal.citizen_science.models import Contributor

    app, screen = open_my_data(app_factory, demo_server)
    shown = screen_text(app)
    assert "Become a contributor" in shown
    assert "Rain gauges along the Wandle" in shown
    # Each campaign's own consent statement is shown before anything is agreed.
    campaign = rain_gauge(app)
    assert campaign["consent_text"][:40] in shown
    screenshot("my-data-register")

    press(button(app, "Register"))
    assert "Choose at least one campaign to take part in, then tap Register." in screen_text(app)
    assert app.session.contributor_token is None

    register(app, screen, "Rain gauges along the Wandle")
    shown = screen_text(app)
    assert "You are registered" in shown
    assert app.session.contributor_token
    contributor = Contributor.objects.get(public_id=app.session.store.setting("contributor_id"))
    assert [c.campaign.slug for c in contributor.consents.all()] == [campaign["slug"]]
    assert f"Contributor {contributor.public_id}" in shown
    assert "Registered for 1 campaign." in shown
    screenshot("my-data-registered")

    # Kept on the phone: registered after a restart.
    app, screen = open_my_data(app_factory, demo_server)
    assert "You are registered" in screen_text(app)


def test_see_what_the_council_holds_and_keep_a_copy(app_factory, demo_server, screenshot):
    app, screen = open_my_data(app_factory, demo_server)
    register(app, screen, "Rain gauges along the Wandle")
    campaign = rain_gauge(app)
    sent = app.session.api.send_readings(
        [{**reading(campaign, 7.5), "client_uuid": str(uuid.uuid4()), "campaign": campaign["slug"]}]
    )
    receipt = sent.json()["receipts"][0]["receipt"]

    press(button(app, "See what the council holds"))
    settled(screen)
    shown = screen_text(app)
    assert "You agreed to take part in:" in shown
    assert f"{campaign['title']} (agreed at" in shown
    assert "1 reading sent." in shown
    assert f"7.5 mm at {campaign['sites'][0]['code']}" in shown
    assert f"receipt {receipt}" in shown
    screenshot("my-data-held")

    press(button(app, "Save a copy on this phone"))
    saved = sorted(app.session.data_dir.glob("my-plainsight-data-*.json"))
    assert len(saved) == 1
    assert f"Saved to {saved[0]}" in screen_text(app)
    assert json.loads(saved[0].read_text()) == app.session.api.me()


def test_erase_spells_out_both_choices_asks_again_and_then_forgets(
    app_factory, demo_server, screenshot
):
    from portal.citizen_science.models import Contributor, Reading

    app, screen = open_my_data(app_factory, demo_server)
    register(app, screen, "Rain gauges along the Wandle")
    contributor_id = app.session.store.setting("contributor_id")
    campaign = rain_gauge(app)
    client_uuid = str(uuid.uuid4())
    app.session.api.send_readings(
        [{**reading(campaign, 2.0), "client_uuid": client_uuid, "campaign": campaign["slug"]}]
    )
    shown = screen_text(app)
    assert "removed from the campaigns' results" in shown
    assert "stay in the campaigns' results with nothing that leads to you" in shown

    press(button(app, "Erase me and delete my readings"))
    shown = screen_text(app)
    assert "This cannot be undone" in shown
    assert "Erase me and delete my readings?" in shown
    # Nothing happens until the second tap.
    assert Contributor.objects.filter(public_id=contributor_id).exists()
    screenshot("my-data-erase-confirm")
    press(button(app, "Cancel"))
    assert "This cannot be undone" not in screen_text(app)

    press(button(app, "Erase me, keep my readings anonymised"))
    assert "Erase me, keep my readings anonymised?" in screen_text(app)
    press(button(app, "Yes, erase me"))
    settled(screen)
    shown = screen_text(app)
    assert "You have been erased: 0 readings deleted, 1 reading kept anonymised." in shown
    assert "Become a contributor" in shown
    assert app.session.contributor_token is None
    assert not Contributor.objects.filter(public_id=contributor_id).exists()
    kept = Reading.objects.get(client_uuid=client_uuid)
    assert kept.contributor is None


def test_the_server_s_answers_are_shown_plainly(app_factory, demo_server, offline_server):
    app, screen = open_my_data(app_factory, demo_server)
    # A token the council no longer knows (erased from another phone, say).
    app.session.remember_contributor(str(uuid.uuid4()), "not-a-token-the-council-knows")
    screen.prepare()
    press(button(app, "See what the council holds"))
    settled(screen)
    assert "This token is not known. It may have been erased; register again." in screen_text(app)

    app, screen = open_my_data(app_factory, offline_server)
    press(button(app, "See what the council holds"))
    settled(screen)
    assert "No connection to the council's server while asking what the council holds." in (
        screen_text(app)
    )
