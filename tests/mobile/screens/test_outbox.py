"""Outbox: what waits, what the council received (with its receipt), what needs fixing (with
the server's reason) and what was refused; Send now sends through the real sync to the live
server."""

from __future__ import annotations

from pathlib import Path

import pytest

from .content import photo, rain_gauge, reading
from .interact import button, press, screen_text, type_into, wait_until

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def started_with_downloads(app_factory, server):
    app = app_factory(server=server)
    home = app.root.get_screen("home")
    wait_until(lambda: not home.loading, "the home screen to finish downloading")
    return app


def survey_answers(app):
    survey = app.session.store.downloads("survey")[0]
    return survey, {"answers": {}, "participant_token": app.session.participant_token()}


def test_every_state_is_shown_with_what_the_person_needs(
    app_factory, demo_server, screenshot, tmp_path
):
    app = started_with_downloads(app_factory, demo_server)
    store = app.session.store
    campaign = rain_gauge(app)
    slug = campaign["slug"]
    survey, answers = survey_answers(app)

    received = store.queue(
        "reading",
        slug,
        reading(campaign, 4.2, hours_ago=30),
        photo_paths=[photo(tmp_path / "a.jpg")],
    )
    store.mark_sent([(received.client_uuid, "RG-7F3K-92QD", "2026-11-20T08:15:00+00:00")])
    store.queue("reading", slug, reading(campaign, 3.1), photo_paths=[photo(tmp_path / "b.jpg")])
    store.queue("survey_response", survey["slug"], answers)
    too_much = store.queue("reading", slug, reading(campaign, 950))
    store.mark_rejected(
        too_much.client_uuid,
        reason="Check the value: it is outside what a rain gauge can hold.",
        errors={"value": ["Give a value between 0 and 300 mm."]},
    )
    closed = store.queue("survey_response", survey["slug"], answers)
    store.mark_rejected(
        closed.client_uuid, reason="This survey closed before your answers arrived.", refused=True
    )

    press(button(app, "Outbox"))
    shown = screen_text(app)
    assert "2 waiting, 1 sent, 1 to fix, 1 refused" in shown
    for heading in ("Waiting (2)", "Sent (1)", "Needs fixing (1)", "Refused (1)"):
        assert heading in shown
    assert "Reading: 3.1 mm\nRain gauges along the Wandle" in shown
    assert f"Survey answers\n{survey['title']}" in shown
    assert "1 photo: 1 waiting" in shown
    assert "Receipt RG-7F3K-92QD" in shown
    assert "Received by the council at 08:15 on 20 November 2026" in shown
    assert "Check the value: it is outside what a rain gauge can hold." in shown
    assert "Value: Give a value between 0 and 300 mm." in shown
    assert "This survey closed before your answers arrived." in shown
    assert button(app, "Fix and resend")
    assert button(app, "Remove")
    screenshot("outbox")
    outbox = app.root.current_screen
    outbox.ids.scroll.scroll_y = 0
    screenshot("outbox-sent-and-refused")


def test_a_refused_record_can_be_removed_with_its_photo(app_factory, demo_server, tmp_path):
    app = started_with_downloads(app_factory, demo_server)
    store = app.session.store
    campaign = rain_gauge(app)
    picture = photo(app.session.photos_dir / "refused.jpg")
    refused = store.queue(
        "reading", campaign["slug"], reading(campaign, 2.0), photo_paths=[picture]
    )
    store.mark_rejected(refused.client_uuid, reason="This campaign has ended.", refused=True)

    press(button(app, "Outbox"))
    assert "Refused (1)" in screen_text(app)
    press(button(app, "Remove"))
    shown = screen_text(app)
    assert "Refused (0)" in shown
    assert "This campaign has ended." not in shown
    assert "Removed from the outbox." in shown
    assert store.record(refused.client_uuid) is None
    assert not Path(picture).exists()


def test_fix_and_resend_opens_the_form_on_that_record(app_factory, demo_server):
    pytest.importorskip("mobile.screens.reading")
    app = started_with_downloads(app_factory, demo_server)
    store = app.session.store
    campaign = rain_gauge(app)
    wrong = store.queue("reading", campaign["slug"], reading(campaign, 950))
    store.mark_rejected(
        wrong.client_uuid, reason="Check the value.", errors={"value": ["Too high."]}
    )
    press(button(app, "Outbox"))
    press(button(app, "Fix and resend"))
    assert app.root.current == "reading"


def test_send_now_sends_to_the_council_and_shows_each_receipt(
    app_factory, demo_server, screenshot, tmp_path
):
    pytest.importorskip("mobile.services.sync")
    from portal.citizen_science.models import Reading

    app = started_with_downloads(app_factory, demo_server)
    store = app.session.store
    campaign = rain_gauge(app)
    answer = app.session.api.register([campaign["slug"]])
    app.session.remember_contributor(answer["id"], answer["token"])
    good = [
        store.queue("reading", campaign["slug"], reading(campaign, value, hours_ago=hours))
        for value, hours in ((1.5, 2), (0.0, 26), (12.25, 50))
    ]
    with_photo = store.queue(
        "reading",
        campaign["slug"],
        reading(campaign, 6.5, hours_ago=74),
        photo_paths=[photo(app.session.photos_dir / "gauge.jpg")],
    )
    good.append(with_photo)
    wrong_unit = store.queue(
        "reading", campaign["slug"], {**reading(campaign, 3.0), "unit": "inches"}
    )

    press(button(app, "Outbox"))
    assert "Waiting (5)" in screen_text(app)
    assert "Reading: 3.0 inches" in screen_text(app)
    press(button(app, "Send now"))
    wait_until(lambda: not app.syncing and app.counts["pending"] == 0, "the outbox to be sent")
    shown = screen_text(app)
    assert "Sent (4)" in shown
    assert "Needs fixing (1)" in shown
    assert "Waiting (0)" in shown
    receipts = {
        str(r.client_uuid): r.receipt
        for r in Reading.objects.filter(contributor__public_id=answer["id"])
    }
    assert len(receipts) == 4
    for record in good:
        receipt = store.record(record.client_uuid).receipt
        assert receipt == receipts[record.client_uuid]
        assert f"Receipt {receipt}" in shown
    fix = store.record(wrong_unit.client_uuid)
    assert fix.state == "rejected"
    assert fix.reason
    assert fix.reason in shown
    # The person is told what happened at the foot of the screen.
    assert app.status in shown
    assert app.status
    wait_until(lambda: store.record(with_photo.client_uuid).photos[0].state == "sent", "the photo")
    app.outbox_changed()
    assert "1 photo: 1 sent" in screen_text(app)
    screenshot("outbox-after-send")


def test_sync_starts_with_the_app_and_stops_with_it_keeping_everything(
    app_factory, offline_server, tmp_path
):
    pytest.importorskip("mobile.services.sync")
    data_dir = tmp_path / "phone"
    app = app_factory(server=offline_server, data_dir=data_dir)
    queued = app.session.store.queue(
        "survey_response", "smart-lamp-posts", {"answers": {}, "participant_token": "t" * 32}
    )
    app = app_factory(server=offline_server, data_dir=data_dir, auto_sync=True)
    # With no signal the sync keeps trying (backing off) until the app stops.
    assert app.syncing
    wait_until(lambda: "No signal" in app.status, "the sync's report")
    assert "1 waiting" in app.status
    sync = app.sync
    # Restarting stops the running app: its sync thread ends, nothing is lost.
    app = app_factory(server=offline_server, data_dir=data_dir)
    assert not sync.running
    record = app.session.store.record(queued.client_uuid)
    assert record.state == "pending"
    assert record.attempts >= 1


def test_after_fixing_the_address_send_now_sends_at_once(
    app_factory, demo_server, offline_server, tmp_path
):
    pytest.importorskip("mobile.services.sync")
    from portal.citizen_science.models import Reading

    data_dir = tmp_path / "phone"
    app = app_factory(server=demo_server, data_dir=data_dir)
    home = app.root.get_screen("home")
    wait_until(lambda: not home.loading, "the download")
    campaign = rain_gauge(app)
    answer = app.session.api.register([campaign["slug"]])
    app.session.remember_contributor(answer["id"], answer["token"])
    queued = app.session.store.queue("reading", campaign["slug"], reading(campaign, 8.0))

    # The phone was set up with a wrong address: the sync finds no one and keeps trying.
    app = app_factory(server=offline_server, data_dir=data_dir, auto_sync=True)
    wait_until(lambda: "No signal: 1 waiting" in app.status, "the sync's first report")
    assert app.syncing

    press(button(app, "Settings"))
    type_into(app.root.current_screen.ids.server_input, demo_server)
    press(button(app, "Save address"))
    press(button(app, "Back"))
    press(button(app, "Outbox"))
    press(button(app, "Sending"))
    wait_until(lambda: app.counts["sent"] == 1, "the reading to be sent")
    receipt = Reading.objects.get(client_uuid=queued.client_uuid).receipt
    assert f"Receipt {receipt}" in screen_text(app)


def test_a_long_day_offline_shows_the_oldest_waiting_and_counts_the_rest(
    app_factory, offline_server
):
    app = app_factory(server=offline_server)
    store = app.session.store
    for value in range(45):
        store.queue("reading", "rain-gauges-wandle", {"value": float(value), "unit": "mm"})
    press(button(app, "Outbox"))
    shown = screen_text(app)
    assert "Waiting (45)" in shown
    assert "Reading: 0.0 mm" in shown
    assert "Reading: 29.0 mm" in shown
    assert "Reading: 30.0 mm" not in shown
    assert "And 15 more waiting, not shown." in shown
