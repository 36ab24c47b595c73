"""Settings: the server address (checked, with a message that says how to fix it), shared-phone
mode, and the versions a person reads out when asking for help."""

from __future__ import annotations

from mobile.app import APP_VERSION
from mobile.services.store import SCHEMA_VERSION

from .interact import button, press, screen_text, type_into


def open_settings(app):
    press(button(app, "Settings"))
    assert app.root.current == "settings"
    return app.root.current_screen


def test_a_bad_address_is_refused_with_how_to_fix_it_and_a_good_one_is_kept(
    app_factory, offline_server, screenshot
):
    app = app_factory(server=offline_server)
    settings = open_settings(app)
    assert settings.ids.server_input.text == offline_server

    type_into(settings.ids.server_input, "plainsight.millbrook.gov.uk")
    press(button(app, "Save address"))
    shown = screen_text(app)
    assert "starting with https://" in shown
    # Nothing changed: the app still talks to the old address.
    assert app.session.server_url == offline_server
    screenshot("settings-bad-address")

    type_into(settings.ids.server_input, "  https://plainsight.millbrook.gov.uk/  ")
    press(button(app, "Save address"))
    shown = screen_text(app)
    assert "starting with https://" not in shown
    assert "Saved. The app now talks to https://plainsight.millbrook.gov.uk." in shown
    assert app.session.api.server == "https://plainsight.millbrook.gov.uk"

    # Kept on the phone: the next start uses it.
    app = app_factory()
    settings = open_settings(app)
    assert settings.ids.server_input.text == "https://plainsight.millbrook.gov.uk"


def test_an_address_with_a_query_is_refused(app_factory, offline_server):
    app = app_factory(server=offline_server)
    settings = open_settings(app)
    type_into(settings.ids.server_input, "https://plainsight.example.gov.uk/?page=2")
    press(button(app, "Save address"))
    assert "Leave out anything after ? or #" in screen_text(app)
    assert app.session.server_url == offline_server


def test_shared_phone_mode_is_explained_and_switches_participant_tokens(
    app_factory, offline_server, screenshot
):
    app = app_factory(server=offline_server)
    open_settings(app)
    shown = screen_text(app)
    assert "handed round" in shown
    assert "Shared phone: off" in shown
    own_token = app.session.participant_token()
    assert app.session.participant_token() == own_token

    press(button(app, "Shared phone: off"))
    assert "Shared phone: on" in screen_text(app)
    assert app.session.shared_device
    # Each response on a shared phone is somebody else.
    assert app.session.participant_token() != app.session.participant_token()
    screenshot("settings-shared-phone")

    press(button(app, "Shared phone: on"))
    assert not app.session.shared_device
    assert app.session.participant_token() == own_token


def test_versions_are_shown(app_factory, offline_server):
    app = app_factory(server=offline_server)
    open_settings(app)
    shown = screen_text(app)
    assert f"App version {APP_VERSION}" in shown
    assert f"Outbox format version {SCHEMA_VERSION}" in shown


def test_back_returns_home_from_the_button_and_from_the_phone_s_back_key(
    app_factory, offline_server, window
):
    app = app_factory(server=offline_server)
    open_settings(app)
    press(button(app, "Back"))
    assert app.root.current == "home"
    # No Back button on the first screen: there is nowhere to go.
    assert "Back" not in screen_text(app)

    open_settings(app)
    handled = window.dispatch("on_keyboard", 27, 0, None, [])
    assert handled
    assert app.root.current == "home"
    # On the home screen the app leaves the back key to the phone, which closes the app (not
    # dispatched here: on a desktop, Kivy would close the test's window).
    assert app.key_pressed(window, 27) is False
