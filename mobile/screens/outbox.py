"""Outbox: everything made on this phone, by what has happened to it.

Waiting (not yet answered), Sent (with the council's receipt), Needs fixing (the server's
reason and what to change, and a way back into the form) and Refused (it can never be accepted;
the person can remove it). Nothing leaves this list until the person removes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from mobile.services.store import Record

from .wording import plural, when

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

# Sent records pile up: the newest are shown, the rest counted.
SENT_SHOWN = 30
# Waiting records can be thousands after a long day offline: the oldest are shown, the rest counted.
WAITING_SHOWN = 30

FORM_OF_KIND = {"reading": "reading", "survey_response": "survey"}


def photo_line(record: Record) -> str:
    if not record.photos:
        return ""
    states = [photo.state for photo in record.photos]
    parts = []
    for state, words in (
        ("sent", "sent"),
        ("pending", "waiting"),
        ("refused", "refused"),
        ("rejected", "refused"),
    ):
        count = states.count(state)
        if count:
            parts.append(f"{count} {words}")
    return f"{plural(len(states), 'photo')}: {', '.join(parts)}"


def what_to_change(reason: str, errors: dict[str, list[str]]) -> str:
    """The server's reason, then each field's messages the reason does not already say."""
    lines = [reason] if reason else []
    for field, messages in errors.items():
        new = [message for message in messages if message not in reason]
        if new:
            lines.append(f"{field.replace('_', ' ').capitalize()}: {' '.join(new)}")
    return "\n".join(lines)


class OutboxScreen(Screen):
    summary = StringProperty("")

    @property
    def session(self) -> Any:
        return App.get_running_app().session

    def prepare(self, **_context: Any) -> None:
        self.refresh()

    def _definition(self, kind: str, slug: str) -> dict[str, Any]:
        # Read once per refresh: a campaign's definition carries all its sites, and up to 60
        # records from the same few campaigns are listed.
        key = (kind, slug)
        if key not in self._definitions:
            self._definitions[key] = self.session.store.download(kind, slug) or {}
        return self._definitions[key]

    def title_of(self, record: Record) -> str:
        if record.kind == "reading":
            campaign = self._definition("campaign", record.target)
            value = record.payload.get("value")
            # The unit as queued, which may be what the server asked to change.
            unit = record.payload.get("unit") or campaign.get("unit") or ""
            name = campaign.get("title") or record.target
            return f"Reading: {value} {unit}".strip() + f"\n{name}" if value is not None else name
        survey = self._definition("survey", record.target)
        return f"Survey answers\n{survey.get('title') or record.target}"

    def refresh(self) -> None:
        store = self.session.store
        self._definitions: dict[tuple[str, str], dict[str, Any]] = {}
        counts = store.counts()
        self.summary = (
            f"{counts['pending']} waiting, {counts['sent']} sent, "
            f"{counts['rejected']} to fix, {counts['refused']} refused"
        )
        self.ids.waiting_heading.text = f"Waiting ({counts['pending']})"
        self.ids.sent_heading.text = f"Sent ({counts['sent']})"
        self.ids.fix_heading.text = f"Needs fixing ({counts['rejected']})"
        self.ids.refused_heading.text = f"Refused ({counts['refused']})"

        waiting = store.records(states=["pending"], limit=WAITING_SHOWN)
        self._fill(
            self.ids.waiting_list, [self._waiting(r) for r in waiting], counts["pending"], "waiting"
        )
        sent = store.records(states=["sent"], limit=SENT_SHOWN, newest_first=True)
        self._fill(self.ids.sent_list, [self._sent(r) for r in sent], counts["sent"], "sent")
        rejected = store.records(states=["rejected"])
        self._fill(self.ids.fix_list, [self._rejected(r) for r in rejected], counts["rejected"])
        refused = store.records(states=["refused"])
        self._fill(self.ids.refused_list, [self._refused(r) for r in refused], counts["refused"])

    def _waiting(self, record: Record) -> dict[str, str]:
        lines = [f"Made at {when(record.created_at)}"]
        if record.attempts:
            lines.append(f"Tried {plural(record.attempts, 'time')} so far")
        return {
            "title": self.title_of(record),
            "detail": "\n".join(filter(None, [*lines, photo_line(record)])),
        }

    def _sent(self, record: Record) -> dict[str, str]:
        lines = [
            f"Receipt {record.receipt}",
            f"Received by the council at {when(record.received_at)}" if record.received_at else "",
            photo_line(record),
        ]
        return {
            "title": self.title_of(record),
            "detail": "\n".join(filter(None, lines)),
            "tone": "sent",
        }

    def _rejected(self, record: Record) -> dict[str, str]:
        return {
            "title": self.title_of(record),
            "detail": f"Made at {when(record.created_at)}",
            "reason": what_to_change(record.reason or "", record.errors),
            "tone": "fix",
            "action": "Fix and resend",
            "client_uuid": record.client_uuid,
        }

    def _refused(self, record: Record) -> dict[str, str]:
        return {
            "title": self.title_of(record),
            "detail": f"Made at {when(record.created_at)}",
            "reason": record.reason or "",
            "tone": "refused",
            "action": "Remove",
            "client_uuid": record.client_uuid,
        }

    def _fill(
        self, column: Any, cards: list[dict[str, str]], total: int, more_words: str = ""
    ) -> None:
        column.clear_widgets()
        for content in cards:
            card = Factory.OutboxCard()
            for name, value in content.items():
                setattr(card, name, value)
            # Taken out rather than hidden: a card lays out even an empty line with spacing.
            if not card.reason:
                card.remove_widget(card.ids.reason_text)
            if not card.action:
                card.remove_widget(card.ids.action_button)
            column.add_widget(card)
        if not cards:
            note = Factory.NoteText(text="None.")
            column.add_widget(note)
        elif total > len(cards) and more_words:
            column.add_widget(
                Factory.NoteText(text=f"And {total - len(cards)} more {more_words}, not shown.")
            )

    # --- actions --------------------------------------------------------------------------

    def act(self, action: str, client_uuid: str) -> None:
        if action == "Fix and resend":
            self.fix(client_uuid)
        elif action == "Remove":
            self.remove(client_uuid)

    def fix(self, client_uuid: str) -> None:
        record = self.session.store.record(client_uuid)
        if record is None:
            return
        App.get_running_app().show(FORM_OF_KIND[record.kind], record=client_uuid)

    def remove(self, client_uuid: str) -> None:
        app = App.get_running_app()
        for path in self.session.store.discard(client_uuid):
            Path(path).unlink(missing_ok=True)
        app.status = "Removed from the outbox."
        app.outbox_changed()

    def send_now(self) -> None:
        App.get_running_app().send_now()
