"""The public web form for logging a reading, for volunteers without the app.

The form checks only what a person can get wrong while typing (a missing answer, a word where
a number goes, a date that does not exist). Everything else, such as the campaign's range of
possible values, is checked by ``ingestion`` exactly as for the app, and its errors are put
back on the fields they are about (``add_ingestion_errors``).
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .ingestion import CLOCK_SKEW
from .models import CampaignPage, Sampling
from .photos import PhotoRejected, clean_photo

# Site codes are slugs, so this value can never be a real site's code.
ELSEWHERE = "@elsewhere"
MAX_NOTES = 1000
TIME_PATTERN = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?$", re.IGNORECASE
)


def new_client_token(campaign: CampaignPage) -> str:
    """A fresh client_uuid for a new form, signed so that no one can choose someone else's."""
    return _signer(campaign).sign(str(uuid.uuid4()))


def _signer(campaign: CampaignPage) -> signing.Signer:
    return signing.Signer(salt=f"portal.citizen_science.web_form:{campaign.pk}")


def parse_time(text: str) -> datetime.time | None:
    """14:30, 14.30, 2:30pm, 2pm, 9am, midday or midnight; None for anything else."""
    text = text.strip().lower()
    if text in {"midday", "noon", _("midday"), _("noon")}:
        return datetime.time(12, 0)
    if text in {"midnight", _("midnight")}:
        return datetime.time(0, 0)
    match = TIME_PATTERN.match(text)
    if match is None or (match["minute"] is None and match["half"] is None):
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"].startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


class Moment:
    """One date-and-time question: a GOV.UK date input (day, month, year) and a time input."""

    PARTS: ClassVar[tuple[str, ...]] = ("day", "month", "year")

    def __init__(
        self,
        prefix: str,
        *,
        legend: Promise,
        subject: Promise,
        time_subject: Promise,
        time_label: Promise,
    ) -> None:
        self.prefix = prefix
        self.legend = legend  # the question, e.g. "When did you take the reading?"
        self.subject = subject  # for messages, e.g. "the date you took the reading"
        self.time_subject = time_subject  # e.g. "the time you took the reading"
        self.time_label = time_label  # e.g. "Time you took the reading"
        self.wrong_parts: set[str] = set()

    def names(self) -> list[str]:
        return [f"{self.prefix}_{part}" for part in (*self.PARTS, "time")]

    @property
    def date_name(self) -> str:
        # Errors about the date as a whole sit on its first input, which the summary links to.
        return f"{self.prefix}_day"

    @property
    def time_name(self) -> str:
        return f"{self.prefix}_time"


class NumberField(forms.FloatField):
    """A number as people type it: spaces and a trailing unit or degree sign are ignored."""

    def __init__(self, *, suffixes: tuple[str, ...] = (), **kwargs: Any) -> None:
        self.suffixes = suffixes
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> float | None:
        if isinstance(value, str):
            value = value.strip()
            for suffix in sorted(self.suffixes, key=len, reverse=True):
                if suffix and value.lower().endswith(suffix.lower()):
                    value = value[: -len(suffix)].strip()
                    break
            value = value.replace(" ", "")
        return super().to_python(value)


class ReadingForm(forms.Form):
    """One reading, as a volunteer fills it in; ``as_reading()`` gives it to ``ingest``."""

    client_uuid = forms.CharField(widget=forms.HiddenInput, required=False)
    site = forms.ChoiceField(
        label=gettext_lazy("Where did you take the reading?"),
        help_text=gettext_lazy("Choose the site named on your kit or the campaign's map."),
        error_messages={
            "required": gettext_lazy(
                "Choose the site where you took the reading, or choose “Somewhere else”."
            ),
            "invalid_choice": gettext_lazy(
                "That site is not part of this campaign any more. Choose a site from the list, "
                "or choose “Somewhere else”."
            ),
        },
    )
    latitude = NumberField(
        label=gettext_lazy("Latitude"),
        required=False,
        suffixes=("°",),
        help_text=gettext_lazy("In decimal degrees, for example 51.4712"),
        error_messages={"invalid": gettext_lazy("Enter the latitude as a number, like 51.4712.")},
    )
    longitude = NumberField(
        label=gettext_lazy("Longitude"),
        required=False,
        suffixes=("°",),
        help_text=gettext_lazy("In decimal degrees; west of Greenwich is negative, like -0.1123"),
        error_messages={
            "invalid": gettext_lazy("Enter the longitude as a number, like -0.1123."),
        },
    )
    accuracy_m = NumberField(
        label=gettext_lazy("How accurate is the location?"),
        required=False,
        suffixes=("metres", "meters", "m"),
        help_text=gettext_lazy(
            "In metres. Your phone's map app shows it; if you read the position off a map, "
            "10 is about right."
        ),
        error_messages={
            "invalid": gettext_lazy("Enter the accuracy as a number of metres, like 10."),
        },
    )
    value = NumberField(
        label=gettext_lazy("Your reading"),
        error_messages={
            "required": gettext_lazy("Enter your reading."),
            "invalid": gettext_lazy("Enter your reading as a number, like 23.4."),
        },
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes (optional)"),
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Anything that may have affected the reading, such as roadworks or a damaged tube. "
            "Do not include your name, address or other personal details."
        ),
        error_messages={
            "max_length": gettext_lazy(
                "Keep your notes under 1,000 characters (they have %(show_value)d)."
            ),
        },
    )
    photo = forms.FileField(
        label=gettext_lazy("Photo (optional)"),
        required=False,
        help_text=gettext_lazy(
            "A JPEG, PNG or WebP photo of the tube or meter, up to 10 MB. We remove its "
            "location, camera details and other hidden information before we keep it."
        ),
        error_messages={
            "empty": gettext_lazy("The photo you chose is empty. Choose another, or leave it out."),
            "invalid": gettext_lazy("Choose the photo as a file, or leave it out."),
        },
    )
    consent = forms.BooleanField(
        label=gettext_lazy("I agree to this"),
        error_messages={
            "required": gettext_lazy(
                "Tick the box to say you agree to how your reading is kept and published. We "
                "cannot take a reading without it."
            ),
        },
    )

    def __init__(self, *args: Any, campaign: CampaignPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.is_exposure = campaign.sampling == Sampling.EXPOSURE
        self.photo_was_chosen = bool(self.files.get("photo"))
        self._new_token: str | None = None
        sites = [(site.code, f"{site.name} ({site.code})") for site in campaign.sites.all()]
        self.fields["site"].choices = [
            ("", _("Choose a site")),
            *sites,
            (ELSEWHERE, _("Somewhere else")),
        ]
        if not sites:
            self.fields["site"].initial = ELSEWHERE
        self.fields["value"].suffixes = (campaign.unit,)
        self.moments = self._moments()
        for moment in self.moments:
            for name in moment.names():
                self.fields[name] = forms.CharField(required=False, max_length=20)
            self.fields[moment.time_name].label = moment.time_label

    def _moments(self) -> list[Moment]:
        taken = Moment(
            "observed",
            legend=gettext_lazy("When did you take the tube down?")
            if self.is_exposure
            else gettext_lazy("When did you take the reading?"),
            subject=gettext_lazy("the date you took the tube down")
            if self.is_exposure
            else gettext_lazy("the date you took the reading"),
            time_subject=gettext_lazy("the time you took the tube down")
            if self.is_exposure
            else gettext_lazy("the time you took the reading"),
            time_label=gettext_lazy("Time you took the tube down")
            if self.is_exposure
            else gettext_lazy("Time you took the reading"),
        )
        if not self.is_exposure:
            return [taken]
        put_up = Moment(
            "start",
            legend=gettext_lazy("When did you put the tube up?"),
            subject=gettext_lazy("the date you put the tube up"),
            time_subject=gettext_lazy("the time you put the tube up"),
            time_label=gettext_lazy("Time you put the tube up"),
        )
        return [put_up, taken]

    # --- the hidden client_uuid -------------------------------------------------------------

    @property
    def client_token(self) -> str:
        """The signed client_uuid to render: the one sent, if it was genuine, else a new one."""
        if self.is_bound and self.client_uuid_value() is not None:
            return self.data["client_uuid"]
        if not self.is_bound and self.initial.get("client_uuid"):
            return self.initial["client_uuid"]
        if self._new_token is None:
            self._new_token = new_client_token(self.campaign)
        return self._new_token

    def client_uuid_value(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(_signer(self.campaign).unsign(self.data.get("client_uuid", "")))
        except (signing.BadSignature, ValueError):
            return None

    def clean_client_uuid(self) -> uuid.UUID:
        value = self.client_uuid_value()
        if value is None:
            raise ValidationError(
                _(
                    "This form could not be checked, so nothing was saved. Check your answers "
                    "and send the form again."
                )
            )
        return value

    # --- fields -----------------------------------------------------------------------------

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            clean_photo(upload)  # checked now so that a bad photo stops the reading being stored
        except PhotoRejected as error:
            raise ValidationError(error.message, code=error.code) from error
        upload.seek(0)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("site") == ELSEWHERE:
            for name, message in (
                ("latitude", _("Enter the latitude of the place, like 51.4712.")),
                ("longitude", _("Enter the longitude of the place, like -0.1123.")),
                ("accuracy_m", _("Enter how accurate the location is, in metres, like 10.")),
            ):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, message)
        moments = {moment.prefix: self._clean_moment(moment) for moment in self.moments}
        cleaned["observed_at"] = moments.get("observed")
        cleaned["exposure_start"] = moments.get("start")
        return cleaned

    def _clean_moment(self, moment: Moment) -> datetime.datetime | None:
        raw = {
            part: (self.data.get(f"{moment.prefix}_{part}") or "").strip() for part in Moment.PARTS
        }
        time_text = (self.data.get(moment.time_name) or "").strip()
        day = self._clean_date(moment, raw)
        if not time_text:
            self.add_error(
                moment.time_name,
                _("Enter %(subject)s, like 14:30 or 2:30pm.") % {"subject": moment.time_subject},
            )
            return None
        at = parse_time(time_text)
        if at is None:
            self.add_error(
                moment.time_name,
                _("Enter the time as hours and minutes, like 14:30 or 2:30pm."),
            )
            return None
        if day is None:
            return None
        return self._aware(moment, datetime.datetime.combine(day, at))

    def _clean_date(self, moment: Moment, raw: dict[str, str]) -> datetime.date | None:
        subject = moment.subject
        missing = [part for part in Moment.PARTS if not raw[part]]
        if len(missing) == len(Moment.PARTS):
            moment.wrong_parts = set(Moment.PARTS)
            self.add_error(moment.date_name, _("Enter %(subject)s.") % {"subject": subject})
            return None
        if missing:
            moment.wrong_parts = set(missing)
            names = {"day": _("a day"), "month": _("a month"), "year": _("a year")}
            self.add_error(
                moment.date_name,
                _("%(subject)s must include %(parts)s.")
                % {
                    "subject": _capitalise(subject),
                    "parts": _(" and ").join(str(names[part]) for part in missing),
                },
            )
            return None
        if not all(raw[part].isdigit() for part in Moment.PARTS) or len(raw["year"]) != 4:
            moment.wrong_parts = {part for part in Moment.PARTS if not raw[part].isdigit()} or {
                "year"
            }
            self.add_error(
                moment.date_name,
                _("%(subject)s must be a real date, like 27 3 2026.")
                % {"subject": _capitalise(subject)},
            )
            return None
        try:
            return datetime.date(int(raw["year"]), int(raw["month"]), int(raw["day"]))
        except ValueError:
            moment.wrong_parts = set(Moment.PARTS)
            self.add_error(
                moment.date_name,
                _("%(subject)s must be a real date, like 27 3 2026.")
                % {"subject": _capitalise(subject)},
            )
            return None

    def _aware(self, moment: Moment, local: datetime.datetime) -> datetime.datetime | None:
        """The local time as entered, in the council's time zone, or None with an error."""
        zone = ZoneInfo(settings.TIME_ZONE)
        aware = local.replace(tzinfo=zone)
        # On the day the clocks go forward an hour of local time never happens.
        if aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != local:
            self.add_error(
                moment.time_name,
                _("The clocks went forward at that time, so it did not happen. Check the time."),
            )
            return None
        if aware > timezone.now() + CLOCK_SKEW:
            moment.wrong_parts = set(Moment.PARTS)
            self.add_error(
                moment.date_name,
                _("%(subject)s must be in the past. Check the date and the time.")
                % {"subject": _capitalise(moment.subject)},
            )
            return None
        return aware

    # --- handing over to ingestion ------------------------------------------------------------

    def as_reading(self) -> dict[str, Any]:
        """The reading in the API's shape, so that it gets exactly the API's checks."""
        data = self.cleaned_data
        item: dict[str, Any] = {
            "client_uuid": str(data["client_uuid"]),
            "campaign": self.campaign.slug,
            "value": data["value"],
            "unit": self.campaign.unit,
            "observed_at": data["observed_at"].isoformat(),
            "notes": data.get("notes") or "",
        }
        if self.is_exposure:
            item["exposure_start"] = data["exposure_start"].isoformat()
        if data["site"] == ELSEWHERE:
            item.update(
                latitude=data["latitude"],
                longitude=data["longitude"],
                accuracy_m=data["accuracy_m"],
            )
        else:
            item["site"] = data["site"]
        return item

    # Where each of ingestion's field errors belongs on this form; None means the whole form.
    INGESTION_FIELDS: ClassVar[dict[str, str]] = {
        "site": "site",
        "value": "value",
        "observed_at": "observed_day",
        "exposure_start": "start_day",
        "latitude": "latitude",
        "longitude": "longitude",
        "accuracy_m": "accuracy_m",
        "notes": "notes",
    }

    def add_ingestion_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            name = self.INGESTION_FIELDS.get(key)
            if name is not None and name not in self.fields:
                name = None
            for message in messages:
                self.add_error(name, message)
                if name is not None and name.endswith("_day"):
                    for moment in self.moments:
                        if moment.date_name == name:
                            moment.wrong_parts = set(Moment.PARTS)

    # --- for the template -----------------------------------------------------------------------

    def error_links(self) -> list[tuple[str | None, str]]:
        """(the id of the input to link to, the message) in the order the fields appear.

        A field shows one message at a time, as GOV.UK asks, so the summary lists one each.
        """
        links: list[tuple[str | None, str]] = [
            (None, str(message)) for message in self.non_field_errors()
        ]
        # Slicing an ErrorList gives its ValidationErrors, not their messages: list() first.
        links += [(None, message) for message in list(self.errors.get("client_uuid", []))[:1]]
        for name in self.field_order_for_errors():
            for message in list(self.errors.get(name, []))[:1]:
                links.append((self._anchor(name), message))
        return links

    def moment_rows(self) -> list[dict[str, Any]]:
        """Each date-and-time question with its bound fields, for the template."""
        labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        widths = {"day": 2, "month": 2, "year": 4}
        rows = []
        for moment in self.moments:
            date_errors = self.errors.get(moment.date_name, [])
            rows.append(
                {
                    "moment": moment,
                    "date_error": date_errors[0] if date_errors else None,
                    "parts": [
                        {
                            "field": self[f"{moment.prefix}_{part}"],
                            "label": labels[part],
                            "width": widths[part],
                            "wrong": bool(date_errors) and part in moment.wrong_parts,
                        }
                        for part in Moment.PARTS
                    ],
                    "time": self[moment.time_name],
                }
            )
        return rows

    def field_order_for_errors(self) -> list[str]:
        names = ["site", "latitude", "longitude", "accuracy_m", "value"]
        for moment in self.moments:
            names += [moment.date_name, moment.time_name]
        return [*names, "notes", "photo", "consent"]

    def _anchor(self, name: str) -> str:
        for moment in self.moments:
            if name == moment.date_name and moment.wrong_parts:
                first = next(part for part in Moment.PARTS if part in moment.wrong_parts)
                return f"{moment.prefix}_{first}"
        return name


def _capitalise(text: Any) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]
