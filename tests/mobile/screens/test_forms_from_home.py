"""From the home screen to the council's receipt, through the forms, against the demo borough:
a person opens a campaign and a survey the app downloaded, fills them in, and Send now brings
back a receipt for each."""

import pytest

from .content import rain_gauge
from .forms_helpers import part, type_into, walk
from .interact import button, press, screen_text, wait_until

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def card_for(home, slug):
    """The home screen's card for one campaign or survey."""
    return next(w for w in walk(home) if getattr(w, "slug", None) == slug)


def tap_choice(container, position=0):
    """Tap one of the answers offered in a question (the first unless told)."""
    from mobile.screens.form_parts import ChoiceToggle

    choices = [w for w in walk(container) if isinstance(w, ChoiceToggle)]
    press(list(reversed(choices))[position])


def test_a_reading_and_a_survey_go_from_home_to_a_receipt(app_factory, demo_server):
    # Imported here, not at collection: the screens' kv must load after the app's theme, as it
    # does in the app, or the theme's plainer rules would win.
    from mobile.screens.form_parts import ChoiceList, ScenarioField

    app = app_factory(server=demo_server)
    home = app.root.get_screen("home")
    wait_until(lambda: not home.loading, "the home screen to finish downloading")
    gauge = rain_gauge(app)
    registered = app.session.api.register([gauge["slug"]])
    app.session.remember_contributor(registered["id"], registered["token"])

    card = card_for(home, gauge["slug"])
    press(next(w for w in walk(card) if getattr(w, "text", "") == "Log a reading"))
    assert app.root.current == "reading"
    if not part(app, "site").selected:  # a campaign with one site has it chosen already
        tap_choice(part(app, "site"))
    type_into(part(app, "value").ids.input, "4.5")
    press(button(app, "Save reading"))
    assert "Saved on this phone" in screen_text(app)

    press(button(app, "Home"))
    survey = next(
        s for s in app.session.store.downloads("survey") if s["is_open"] and not s["require_code"]
    )
    card = card_for(home, survey["slug"])
    press(next(w for w in walk(card) if getattr(w, "text", "") == "Answer this survey"))
    assert app.root.current == "survey"
    screen = app.root.current_screen
    press(button(app, "Start"))
    for _page in range(screen.page_count):
        for question in list(screen.parts.values()):
            if isinstance(question, ScenarioField):
                tap_choice(question.ids.judgement)
            elif isinstance(question, ChoiceList) and not question.multiple:
                tap_choice(question)
        press(button(app, "Save answers" if screen.page == screen.page_count - 1 else "Next"))
    assert "Saved on this phone" in screen_text(app)

    press(button(app, "See the outbox"))
    press(button(app, "Send now"))
    wait_until(lambda: not app.syncing and app.counts["pending"] == 0, "the outbox to be sent")
    reading, response = sorted(app.session.store.records(), key=lambda r: r.kind)
    assert (reading.kind, reading.state, reading.payload["value"]) == ("reading", "sent", 4.5)
    assert (response.kind, response.state) == ("survey_response", "sent")
    shown = screen_text(app)
    assert f"Receipt {reading.receipt}" in shown
    assert f"Receipt {response.receipt}" in shown
