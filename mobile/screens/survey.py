"""Answer a survey offline: what happens to the answers first, then one section at a time.

``prepare(survey=slug)`` shows the survey the home screen downloaded; ``prepare(record=uuid)``
opens a response the council rejected, answered as it was sent, at the first part with a
message. Saving writes the response to the outbox with the participant token made for it, so
every retry sends the same one.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.services.forms import QuestionSpec, SurveyForm

from .form_parts import (
    ChoiceList,
    FormPart,
    RankingField,
    ScenarioField,
    TextField,
    scroll_to_top_of,
)

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

SAVED = "Saved on this phone; it will be sent when you have signal."
RESAVED = "Corrected and saved on this phone; it will be sent again when you have signal."
INTRO = -1  # the page before the first section


class SurveyScreen(Screen):
    title = StringProperty("Survey")
    introduction = StringProperty("")
    how_answers_are_used = StringProperty("")
    what_is_stored = StringProperty("")
    closed = StringProperty("")
    require_code = BooleanProperty(False)
    code = StringProperty("")
    code_error = StringProperty("")
    page = NumericProperty(INTRO)
    page_count = NumericProperty(0)
    heading = StringProperty("")
    section_introduction = StringProperty("")
    summary = StringProperty("")
    confirmation = StringProperty("")
    saved = BooleanProperty(False)
    fixing = BooleanProperty(False)
    ready = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.form: SurveyForm | None = None
        self.answers: dict[str, Any] = {}
        self.errors: dict[str, list[str]] = {}
        self.parts: dict[str, FormPart] = {}
        self.record_uuid: str | None = None
        self.participant_token: str | None = None
        self.general_problem = ""  # about the whole response (the council's reason), not a question

    @property
    def session(self) -> Any:
        return App.get_running_app().session

    # --- opening ------------------------------------------------------------------------------

    def prepare(self, *, survey: str | None = None, record: str | None = None) -> None:
        if survey is None and record is None and self.form is not None:
            # Back from another screen: the answers stay as the person left them.
            return
        store = self.session.store
        queued = store.record(record) if record else None
        self.fixing = queued is not None
        self.saved = False
        self.summary = self.confirmation = self.code_error = self.closed = ""
        self.answers, self.errors = {}, {}
        self.record_uuid = self.participant_token = None
        self.general_problem = ""
        slug = queued.target if queued is not None else survey
        definition = store.download("survey", slug) if slug else None
        self.ready = definition is not None
        if definition is None:
            self.form = None
            self.title = "Survey"
            self.summary = (
                "This survey is not on the phone yet. Open the home screen with signal to "
                "download it, then try again."
            )
            self.page, self.page_count = INTRO, 0
            self._build_page()
            return
        form = self.form = SurveyForm(definition)
        self.title = form.title
        self.introduction = form.introduction
        self.how_answers_are_used = form.how_answers_are_used
        self.what_is_stored = form.what_is_stored
        self.require_code = form.require_code
        self.page_count = len(form.sections)
        self.code = ""
        if queued is not None:
            self.record_uuid = queued.client_uuid
            self.participant_token = queued.payload.get("participant_token")
            self.answers = dict(queued.payload.get("answers") or {})
            self.code = queued.payload.get("code") or ""
            self.errors = dict(queued.errors)
            self.code_error = " ".join(self.errors.get("code", []))
            general = " ".join(
                message
                for key, messages in self.errors.items()
                if key not in form.questions and key != "code"
                for message in messages
            )
            # The sync keeps the council's messages as the reason too; those about a question
            # are shown beside it, so above the form goes only what belongs to no question.
            fallback = "The council could not accept these answers."
            self.general_problem = general or (
                fallback
                if any(key in form.questions or key == "code" for key in self.errors)
                else queued.reason or fallback
            )
            self.summary = self.general_problem
            self.page = self._first_page_with_errors()
        else:
            self.closed = form.closed_message()
            self.page = INTRO
        self._build_page()

    # --- pages --------------------------------------------------------------------------------

    def on_page(self, *_args: Any) -> None:
        self._build_page()

    def _first_page_with_errors(self) -> int:
        assert self.form is not None
        if "code" in self.errors:
            return INTRO
        pages = [self.form.section_of(key) for key in self.errors]
        found = [page for page in pages if page is not None]
        return min(found) if found else INTRO

    def _build_page(self) -> None:
        box = self.ids.questions
        box.clear_widgets()
        self.parts = {}
        if self.form is None or self.page == INTRO or self.saved:
            self.heading = self.section_introduction = ""
            return
        section = self.form.sections[int(self.page)]
        self.heading = section.heading
        self.section_introduction = section.introduction
        for question in section.questions:
            part = self._part_for(question)
            part.show_messages(self.errors.get(question.key))
            part.bind(error=self._refresh_summary)
            box.add_widget(part)
            self.parts[question.key] = part
        self.ids.scroll.scroll_y = 1
        self._refresh_summary()
        first = next((part for key, part in self.parts.items() if key in self.errors), None)
        if first is not None:
            scroll_to_top_of(self.ids.scroll, first)

    def _part_for(self, question: QuestionSpec) -> FormPart:
        answer = self.answers.get(question.key)
        common = {"name": question.key, "label": question.text, "hint": question.hint}
        if question.widget in ("one", "many"):
            many = question.widget == "many"
            hint = question.hint
            if many and question.most_choices:
                hint = " ".join(
                    text for text in (hint, f"Choose up to {question.most_choices}.") if text
                )
            elif many:
                hint = hint or "Choose any that apply."
            selected = list(answer or []) if many else ([answer] if answer else [])
            return ChoiceList(
                **{**common, "hint": hint},
                choices=[(choice.key, choice.label) for choice in question.choices],
                selected=selected,
                multiple=many,
            )
        if question.widget == "order":
            return RankingField(
                **common,
                choices=[(choice.key, choice.label) for choice in question.options],
                order=list(answer or []),
            )
        if question.widget == "scenario":
            value = {"judgement": answer} if isinstance(answer, str) else dict(answer or {})
            return ScenarioField(
                **common,
                vignette=question.vignette,
                judgements=[(choice.key, choice.label) for choice in question.options],
                conditions=[(choice.key, choice.label) for choice in question.conditions],
                judgement=value.get("judgement") or "",
                chosen_conditions=list(value.get("conditions") or []),
                comment=value.get("comment") or "",
                comment_limit=question.limit or 0,
            )
        return TextField(**common, text=answer or "", multiline=True, limit=question.limit or 0)

    def _collect(self) -> None:
        """Keep what is on this page in ``answers`` before it is left."""
        for key, part in self.parts.items():
            if isinstance(part, ChoiceList):
                self.answers[key] = list(part.selected) if part.multiple else part.value
            elif isinstance(part, RankingField):
                self.answers[key] = list(part.order)
            elif isinstance(part, ScenarioField):
                self.answers[key] = part.value
            elif isinstance(part, TextField):
                self.answers[key] = part.text

    # --- moving on ----------------------------------------------------------------------------

    def go_on(self) -> None:
        """Start, Next or Save, depending on the page."""
        if self.form is None:
            return
        self._collect()
        if self.page == INTRO:
            if self.require_code and not self.code.strip():
                self.code_error = (
                    "Enter the code printed on your invitation letter, like K7Q2-MX9P."
                )
                self.summary = "Enter the code to start."
                return
            self.code_error = ""
            self.summary = self.general_problem
            self.page = 0
            return
        errors = self.form.check(self.answers, section=int(self.page))
        self._show(errors)
        if errors:
            return
        if self.page < self.page_count - 1:
            self.page += 1
            return
        self.save()

    def go_back_a_page(self) -> None:
        self._collect()
        if self.page > INTRO:
            self.page -= 1

    def _show(self, errors: dict[str, list[str]]) -> None:
        for key in list(self.errors):
            if key in self.parts:
                del self.errors[key]
        self.errors.update(errors)
        for key, part in self.parts.items():
            part.show_messages(errors.get(key))
        self._refresh_summary()
        first = next((self.parts[key] for key in self.parts if key in errors), None)
        if first is not None:
            scroll_to_top_of(self.ids.scroll, first)

    def _refresh_summary(self, *_args: Any) -> None:
        """What is still wrong on this page, above the buttons; it goes as answers change."""
        count = sum(1 for part in self.parts.values() if part.error)
        fields = (
            f"Check the {'answer' if count == 1 else f'{count} answers'} marked in red."
            if count
            else ""
        )
        self.summary = " ".join(text for text in (self.general_problem, fields) if text)

    def save(self) -> None:
        assert self.form is not None
        errors = self.form.check(self.answers, code=self.code)
        if errors:
            self.errors = errors
            self.code_error = " ".join(errors.get("code", []))
            self.page = self._first_page_with_errors()
            self._show(errors)
            return
        store = self.session.store
        if self.fixing and self.record_uuid:
            payload = self.form.payload(
                self.answers,
                client_uuid=self.record_uuid,
                participant_token=self.participant_token or self.session.participant_token(),
                code=self.code,
            )
            try:
                store.resubmit(self.record_uuid, payload)
            except ValueError:
                # Sent or answered since the form was opened (the sync runs alongside).
                self.general_problem = (
                    "These answers are no longer waiting to be fixed. See the outbox for where "
                    "they are."
                )
                self._refresh_summary()
                return
            self.confirmation = RESAVED
        else:
            client_uuid = str(uuid.uuid4())
            # Made once, now, and kept in the payload: a retry must send the same token.
            payload = self.form.payload(
                self.answers,
                client_uuid=client_uuid,
                participant_token=self.session.participant_token(),
                code=self.code,
            )
            store.queue("survey_response", self.form.slug, payload, client_uuid=client_uuid)
            self.confirmation = SAVED
        self.saved = True
        self.summary = ""
        self._build_page()
        app = App.get_running_app()
        app.status = self.confirmation
        if hasattr(app, "refresh_counts"):
            app.refresh_counts()
