"""My data: register as a contributor, see what the council holds about you, and erase it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, DictProperty, StringProperty
from kivy.uix.screenmanager import Screen

from .background import describe_problem, in_background
from .home import OPEN_CAMPAIGNS
from .wording import plural, when

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

# What "Erase me" can do with readings already sent: the API's two choices, in words.
ERASE_CHOICES = {
    "delete": (
        "Erase me and delete my readings",
        "Your readings are removed from the campaigns' results, as well as everything that "
        "identifies you.",
    ),
    "keep-anonymised": (
        "Erase me, keep my readings anonymised",
        "Your readings stay in the campaigns' results with nothing that leads to you: no "
        "notes, no photos, no exact location.",
    ),
}

# How many readings the summary lists; the saved file has them all.
READINGS_LISTED = 20


def describe_export(held: dict[str, Any], titles: dict[str, str] | None = None) -> str:
    """What the council holds, as a person would read it (``titles``: campaign slug to title)."""
    titles = titles or {}
    contributor = held.get("contributor", {})
    lines = [f"Registered at {when(contributor.get('created_at'))}."]
    consents = held.get("consents", [])
    if consents:
        lines.append("")
        lines.append("You agreed to take part in:")
        lines += [
            f"  {titles.get(c['campaign'], c['campaign'])} (agreed at {when(c['given_at'])})"
            for c in consents
        ]
    readings = held.get("readings", [])
    lines.append("")
    lines.append(
        f"{plural(len(readings), 'reading')} sent." if readings else "No readings sent yet."
    )
    for reading in readings[:READINGS_LISTED]:
        where = f" at {reading['site']}" if reading.get("site") else ""
        lines.append(
            f"  {when(reading['observed_at'])}: {reading['value']} {reading['unit']}{where} "
            f"({reading['status']}, receipt {reading['receipt']})"
        )
    if len(readings) > READINGS_LISTED:
        lines.append(f"  and {len(readings) - READINGS_LISTED} more in the saved file.")
    return "\n".join(lines)


class MyDataScreen(Screen):
    ERASE_CHOICES = ERASE_CHOICES
    registered = BooleanProperty(False)
    contributor_id = StringProperty("")
    # Campaign slug -> chosen (consent given when registering).
    chosen = DictProperty({})
    busy = BooleanProperty(False)
    problem = StringProperty("")
    held_text = StringProperty("")
    saved_to = StringProperty("")
    # The erase choice waiting for confirmation ("" when none).
    erase_choice = StringProperty("")
    erase_question = StringProperty("")

    @property
    def session(self) -> Any:
        return App.get_running_app().session

    def prepare(self, **_context: Any) -> None:
        self.problem = ""
        self.held_text = ""
        self.saved_to = ""
        self.erase_choice = ""
        self.show_state()

    def show_state(self) -> None:
        store = self.session.store
        self.registered = self.session.contributor_token is not None
        self.contributor_id = store.setting("contributor_id") or ""
        column = self.ids.consent_list
        column.clear_widgets()
        if self.registered:
            return
        campaigns = store.downloads("campaign")
        open_now = store.setting(OPEN_CAMPAIGNS)
        if open_now is not None:
            listed = set(json.loads(open_now))
            campaigns = [c for c in campaigns if c["slug"] in listed]
        self.chosen = {c["slug"]: self.chosen.get(c["slug"], False) for c in campaigns}
        for campaign in campaigns:
            card = Factory.ConsentCard()
            card.slug = campaign["slug"]
            card.title = campaign.get("title") or campaign["slug"]
            card.consent_text = campaign.get("consent_text") or ""
            column.add_widget(card)
        if not campaigns:
            column.add_widget(
                Factory.NoteText(
                    text="No campaigns downloaded yet: open Home while online, then come back."
                )
            )

    def choose(self, slug: str, agreed: bool) -> None:
        self.chosen[slug] = agreed

    # --- registering ----------------------------------------------------------------------

    def register(self) -> None:
        consent_to = sorted(slug for slug, agreed in self.chosen.items() if agreed)
        if not consent_to:
            self.problem = "Choose at least one campaign to take part in, then tap Register."
            return
        self._start(lambda: self.session.api.register(consent_to), self._registered, "registering")

    def _registered(self, answer: dict[str, Any]) -> None:
        self.session.remember_contributor(answer["id"], answer["token"])
        App.get_running_app().status = (
            f"Registered for {plural(len(answer.get('consented_to', [])), 'campaign')}. "
            "Your readings can now be sent."
        )
        self.show_state()
        # Readings made before registering were waiting for this token.
        if App.get_running_app().counts.get("pending"):
            App.get_running_app().send_now()

    # --- seeing what is held --------------------------------------------------------------

    def see_held(self) -> None:
        self.saved_to = ""
        self._start(self.session.api.me, self._held, "asking what the council holds")

    def _held(self, held: dict[str, Any]) -> None:
        self._held_data = held
        titles = {c["slug"]: c["title"] for c in self.session.store.downloads("campaign")}
        self.held_text = describe_export(held, titles)

    def save_held(self) -> None:
        held = getattr(self, "_held_data", None)
        if held is None:
            return
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M%S")
        path = self.session.data_dir / f"my-plainsight-data-{stamp}.json"
        path.write_text(json.dumps(held, indent=2, ensure_ascii=False), encoding="utf-8")
        self.saved_to = f"Saved to {path}"

    # --- erasing --------------------------------------------------------------------------

    def ask_erase(self, choice: str) -> None:
        """The first step: say exactly what will happen and wait for a second tap."""
        title, meaning = ERASE_CHOICES[choice]
        waiting = App.get_running_app().counts.get("pending", 0)
        unsent = (
            f" {plural(waiting, 'record')} in your outbox not sent yet: readings among them "
            "will not be sent after this."
            if waiting
            else ""
        )
        self.erase_choice = choice
        self.erase_question = (
            f"{title}?\n{meaning} This cannot be undone, and this phone forgets your "
            f"contributor token.{unsent}"
        )

    def cancel_erase(self) -> None:
        self.erase_choice = ""

    def confirm_erase(self) -> None:
        choice = self.erase_choice
        if not choice:
            return
        self._start(lambda: self.session.api.erase(choice), self._erased, "erasing your data")

    def _erased(self, answer: dict[str, Any]) -> None:
        self.session.forget_contributor()
        self.erase_choice = ""
        self.held_text = ""
        deleted = answer.get("readings_deleted", 0)
        kept = answer.get("readings_kept_anonymised", 0)
        App.get_running_app().status = (
            f"You have been erased: {plural(deleted, 'reading')} deleted, "
            f"{plural(kept, 'reading')} kept anonymised."
        )
        self.show_state()

    # --- talking to the server ------------------------------------------------------------

    def _start(self, work: Any, done: Any, doing: str) -> None:
        if self.busy:
            return
        self.busy = True
        self.problem = ""

        def finished(result: Any) -> None:
            self.busy = False
            done(result)

        def failed(error: Exception) -> None:
            self.busy = False
            self.problem = describe_problem(error, doing)

        in_background(work, done=finished, failed=failed)
