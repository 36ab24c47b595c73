"""Log a reading: the form a campaign's definition asks for, filled in and saved with no signal.

``prepare(campaign=slug)`` builds the form from the definition the home screen downloaded;
``prepare(record=client_uuid)`` opens a reading the council rejected, filled in as it was sent,
with the council's messages beside the fields, to fix and resend. Saving only writes to the
phone's outbox; the sync sends it when there is signal.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.platform.gps import Fix, LocationSource, location_source
from mobile.platform.photos import choose_photo, photo_camera
from mobile.services.forms import ELSEWHERE, FieldSpec, ReadingForm, format_number
from mobile.services.photos import PhotoNotUsable, prepare_photo

from .form_parts import ChoiceList, FormPart, MomentField, TextField, scroll_to_top_of

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

SAVED = "Saved on this phone; it will be sent when you have signal."
RESAVED = "Corrected and saved on this phone; it will be sent again when you have signal."
# Server errors about the reading as a whole rather than one field.
GENERAL_ERRORS = ("campaign", "unit", "client_uuid", "non_field_errors")


class ReadingScreen(Screen):
    title = StringProperty("Log a reading")
    introduction = StringProperty("")
    summary = StringProperty("")  # what is wrong, above the form
    notice = StringProperty("")  # a warning to look at before saving again
    confirmation = StringProperty("")
    saved = BooleanProperty(False)
    fixing = BooleanProperty(False)
    elsewhere = BooleanProperty(False)
    gps_status = StringProperty("")
    photo_path = StringProperty("")  # the cleaned copy, in the app's photos folder
    photo_error = StringProperty("")
    # Photos already queued with a record being fixed.
    kept_photos = ListProperty([])
    # Where the desktop's file chooser opens (the person's home folder unless set).
    photo_folder = StringProperty("")
    # A form is on show (the campaign was downloaded).
    parts_ready = BooleanProperty(False)
    location: LocationSource | None = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.form: ReadingForm | None = None
        self.parts: dict[str, FormPart] = {}
        self.client_uuid = ""
        self.confirmed_warnings: dict[str, list[str]] = {}
        self.general_problem = ""  # a message about the whole reading, not one field
        self.chooser: Any = None

    def on_kv_post(self, base_widget: Any) -> None:
        # Held here: the panel is taken out and put back each time the form is built, and the
        # ids only keep a weak reference to it.
        self.location_panel = self.ids.location_panel.__self__

    @property
    def session(self) -> Any:
        return App.get_running_app().session

    # --- opening the form -------------------------------------------------------------------

    def prepare(
        self,
        *,
        campaign: str | None = None,
        record: str | None = None,
        location: LocationSource | None = None,
    ) -> None:
        if campaign is None and record is None and self.form is not None:
            # Back from another screen: the form stays as the person left it.
            return
        self._discard_unsaved_photo()
        self.location = location or location_source()
        self.saved = False
        self.summary = self.notice = self.confirmation = self.photo_error = ""
        self.gps_status = ""
        self.kept_photos = []
        self.confirmed_warnings = {}
        self.general_problem = ""
        store = self.session.store
        queued = store.record(record) if record else None
        self.fixing = queued is not None
        slug = queued.target if queued is not None else campaign
        definition = store.download("campaign", slug) if slug else None
        if definition is None:
            self.form = None
            self.title = "Log a reading"
            self.summary = (
                "This campaign is not on the phone yet. Open the home screen with signal to "
                "download it, then try again."
            )
            self._build({})
            return
        self.form = ReadingForm(definition)
        self.title = self.form.title
        self.introduction = self.form.method
        if queued is not None:
            self.client_uuid = queued.client_uuid
            self.kept_photos = [photo.path for photo in queued.photos]
            self._build(self.form.entries_from(queued.payload))
            # The sync keeps the council's messages as the reason too; those about a field are
            # shown beside it, so above the form goes only what belongs to no field.
            self.general_problem = self._general(queued.errors) or (
                "The council could not accept this reading."
                if any(key in self.parts for key in queued.errors)
                else queued.reason or "The council could not accept this reading."
            )
            self._show_errors(queued.errors)
            self._refresh_summary()
            self._scroll_to_first_problem(queued.errors)
        else:
            self.client_uuid = str(uuid.uuid4())
            self._build(self.form.blank_entries())
            if not self.form.accepting_readings:
                self.general_problem = "This campaign is not taking readings now."
                self._refresh_summary()

    def _build(self, entries: dict[str, str]) -> None:
        fields = self.ids.fields
        location_box = self.ids.location_fields
        fields.clear_widgets()
        location_box.clear_widgets()
        self.parts = {}
        self.parts_ready = self.form is not None
        if self.form is None:
            return
        specs = self.form.fields
        for spec in specs:
            if spec.kind == "site":
                part: FormPart = ChoiceList(
                    name=spec.name,
                    label=spec.label,
                    hint=spec.hint,
                    choices=[(choice.key, choice.label) for choice in spec.choices],
                    selected=[entries[spec.name]] if entries.get(spec.name) else [],
                )
                part.bind(selected=self._site_chosen)
                fields.add_widget(part)
                # Where the location inputs go, shown for "Somewhere else" only.
                fields.add_widget(self.location_panel)
            elif spec.location:
                part = self._text_field(spec, entries)
                location_box.add_widget(part)
            elif spec.kind == "date":
                moment = next(m for m in self.form.moments if spec.name == f"{m.prefix}_date")
                part = MomentField(
                    name=moment.payload_key,
                    label=spec.label,
                    date_text=entries.get(f"{moment.prefix}_date", ""),
                    time_text=entries.get(f"{moment.prefix}_time", ""),
                )
                fields.add_widget(part)
                self.parts[moment.payload_key] = part
                continue
            elif spec.kind == "time":
                continue
            else:
                part = self._text_field(spec, entries)
                fields.add_widget(part)
            self.parts[spec.error_key or spec.name] = part
        for part in self.parts.values():
            part.bind(error=self._refresh_summary)
        self.elsewhere = entries.get("site") == ELSEWHERE

    def _text_field(self, spec: FieldSpec, entries: dict[str, str]) -> TextField:
        return TextField(
            name=spec.name,
            label=spec.label,
            hint=spec.hint,
            text=entries.get(spec.name, ""),
            multiline=spec.kind == "text",
            limit=1000 if spec.kind == "text" else 0,
            input_type="number" if spec.kind == "number" else "text",
        )

    def _site_chosen(self, part: ChoiceList, selected: list[str]) -> None:
        self.elsewhere = selected == [ELSEWHERE]

    def on_elsewhere(self, _screen: Any, elsewhere: bool) -> None:
        typed = any(
            self.parts[name].text for name in ("latitude", "longitude") if name in self.parts
        )
        # Looked for at once, unless a place is already there (typed, or being fixed): a fix
        # arriving later must not replace what the person gave.
        if elsewhere and self.location is not None and not typed and not self.gps_status:
            self.find_position()
        elif not elsewhere and self.location is not None:
            self.location.stop()

    def on_leave(self, *_args: Any) -> None:
        # GPS costs battery. The form (and any photo) is kept for the person's return; an
        # unsaved photo copy is removed when the form is next opened afresh.
        if self.location is not None:
            self.location.stop()

    # --- location ---------------------------------------------------------------------------

    def find_position(self) -> None:
        if self.location is not None:
            self.location.start(self._located, self._gps_news)

    def _gps_news(self, message: str) -> None:
        self.gps_status = message

    def _located(self, fix: Fix) -> None:
        self.parts["latitude"].text = f"{fix.latitude:.6f}"
        self.parts["longitude"].text = f"{fix.longitude:.6f}"
        self.parts["accuracy_m"].text = format_number(fix.accuracy_m)
        self.gps_status = f"Position found to within {fix.accuracy_m:g} metres."

    # --- photo --------------------------------------------------------------------------------

    def take_photo(self) -> None:
        """The camera on a phone; a file chooser on a desktop (kept in ``chooser``)."""
        camera = photo_camera(self.session.data_dir / "camera")
        if camera is not None:
            camera.take_photo(self.attach_photo)
            return
        self.chooser = choose_photo(self.attach_photo, start_dir=self.photo_folder or Path.home())

    def attach_typed_photo(self) -> None:
        typed = self.ids.photo_path_input.text.strip()
        if not typed:
            self.photo_error = "Type the path of the photo file, or choose it."
            return
        self.attach_photo(Path(typed).expanduser())

    def attach_photo(self, source: Path | None) -> None:
        if source is None:
            return
        try:
            prepared = prepare_photo(source, self.session.photos_dir)
        except PhotoNotUsable as error:
            self.photo_error = str(error)
            return
        self._discard_unsaved_photo()
        self.photo_error = ""
        self.photo_path = str(prepared.path)

    def remove_photo(self) -> None:
        self._discard_unsaved_photo()

    def _discard_unsaved_photo(self) -> None:
        # The cleaned copy belongs to no record until the reading is saved.
        if self.photo_path and not self.saved:
            with contextlib.suppress(OSError):
                Path(self.photo_path).unlink()
        self.photo_path = ""

    # --- saving -------------------------------------------------------------------------------

    def entries(self) -> dict[str, str]:
        entries: dict[str, str] = {}
        for key, part in self.parts.items():
            if isinstance(part, ChoiceList):
                entries[part.name] = part.value or ""
            elif isinstance(part, MomentField):
                prefix = "start" if key == "exposure_start" else "observed"
                entries[f"{prefix}_date"] = part.date_text
                entries[f"{prefix}_time"] = part.time_text
            elif isinstance(part, TextField):
                entries[part.name] = part.text
        if entries.get("site") != ELSEWHERE:
            for name in ("latitude", "longitude", "accuracy_m"):
                entries.pop(name, None)
        return entries

    def save(self) -> None:
        if self.form is None:
            return
        checked = self.form.check(self.entries(), client_uuid=self.client_uuid)
        self.general_problem = self._general(checked.errors)
        self._show_errors(checked.errors, checked.warnings)
        self._refresh_summary()
        if not checked.valid:
            self.notice = ""
            self._scroll_to_first_problem(checked.errors)
            return
        if checked.warnings and checked.warnings != self.confirmed_warnings:
            # A second look, not a refusal: the same value saved again goes through.
            self.confirmed_warnings = checked.warnings
            self.notice = "Check the value marked in brown. If it is right, press Save again."
            self._scroll_to_first_problem(checked.warnings)
            return
        assert checked.payload is not None
        store = self.session.store
        if self.fixing:
            try:
                store.resubmit(self.client_uuid, checked.payload)
            except ValueError:
                # Sent or answered since the form was opened (the sync runs alongside).
                self.general_problem = (
                    "This reading is no longer waiting to be fixed. See the outbox for where it is."
                )
                self._refresh_summary()
                return
            self.confirmation = RESAVED
        else:
            store.queue(
                "reading",
                self.form.slug,
                checked.payload,
                photo_paths=[self.photo_path] if self.photo_path else [],
                client_uuid=self.client_uuid,
            )
            self.confirmation = SAVED
        self.saved = True
        self.notice = ""
        if self.location is not None:
            self.location.stop()
        app = App.get_running_app()
        app.status = self.confirmation
        if hasattr(app, "refresh_counts"):
            app.refresh_counts()
        self.ids.scroll.scroll_y = 1

    def another(self) -> None:
        slug = self.form.slug if self.form else None
        self.photo_path = ""
        self.prepare(campaign=slug, location=self.location)

    # --- messages -----------------------------------------------------------------------------

    def _show_errors(
        self, errors: dict[str, list[str]], warnings: dict[str, list[str]] | None = None
    ) -> None:
        warnings = warnings or {}
        for key, part in self.parts.items():
            part.show_messages(errors.get(key), warnings.get(key))

    def _refresh_summary(self, *_args: Any) -> None:
        """What is still wrong, above the Save button; it shrinks as answers are corrected."""
        count = sum(1 for part in self.parts.values() if part.error)
        fields = (
            f"Check the {'answer' if count == 1 else f'{count} answers'} marked in red."
            if count
            else ""
        )
        self.summary = " ".join(text for text in (self.general_problem, fields) if text)

    def _general(self, errors: dict[str, list[str]]) -> str:
        return " ".join(
            message
            for key, messages in errors.items()
            if key not in self.parts or key in GENERAL_ERRORS
            for message in messages
        )

    def _scroll_to_first_problem(self, problems: dict[str, list[str]]) -> None:
        for part in reversed(self.ids.fields.children):
            if part in self.parts.values() and (part.error or part.warning):
                scroll_to_top_of(self.ids.scroll, part)
                return
            if part is self.location_panel:
                for inner in reversed(self.ids.location_fields.children):
                    if inner.error:
                        scroll_to_top_of(self.ids.scroll, inner)
                        return
