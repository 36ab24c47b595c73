"""The rules for the app's two forms, read from the definitions the server publishes.

A campaign definition (``GET /api/v1/campaigns/<slug>/``) becomes a :class:`ReadingForm`: the
fields to show, checks with the server's rules (so most mistakes are caught with no signal) and
the reading exactly as ``POST /api/v1/readings/`` takes it. A survey definition (``GET
/api/v1/surveys/<slug>/``) becomes a :class:`SurveyForm`: a plain spec per question for the
screen, checks, and the ``answers`` object the survey API takes.

Errors are keyed as the server keys them (reading fields, question keys), so a record the
server rejected shows its messages beside the same inputs as the app's own checks. Plain
Python only: the screens render these specs, and the tests run them without a window.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A site code is a slug, so this can never be a real site's code.
ELSEWHERE = "@elsewhere"
# Phones' clocks drift; the server allows ten minutes "in the future" for the same reason.
CLOCK_SKEW = datetime.timedelta(minutes=10)
MAX_NOTES = 1000
MAX_ACCURACY_M = 100_000
PREFER_NOT_TO_SAY = "prefer_not_to_say"
CONDITIONAL = "acceptable_with_conditions"
JUDGEMENTS = ("acceptable", CONDITIONAL, "not_acceptable", "not_sure")

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


# --- typed values --------------------------------------------------------------------------

_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?$", re.IGNORECASE
)
_DATE_DMY = re.compile(r"^(?P<day>\d{1,2})[\s/.\-](?P<month>\d{1,2})[\s/.\-](?P<year>\d{4})$")
_DATE_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")


def parse_time(text: str) -> datetime.time | None:
    """14:30, 14.30, 2:30pm, 2pm, midday or midnight; None for anything else."""
    text = text.strip().lower()
    if text in {"midday", "noon"}:
        return datetime.time(12, 0)
    if text == "midnight":
        return datetime.time(0, 0)
    match = _TIME.match(text)
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


def parse_date(text: str, *, today: datetime.date) -> datetime.date | None:
    """21/11/2026 (day first, as in Britain), 2026-11-21, today or yesterday; else None."""
    text = text.strip().lower()
    if text == "today":
        return today
    if text == "yesterday":
        return today - datetime.timedelta(days=1)
    match = _DATE_DMY.match(text) or _DATE_ISO.match(text)
    if match is None:
        return None
    try:
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def parse_number(text: str, *, suffixes: tuple[str, ...] = ()) -> float | None:
    """A number as people type it: spaces and a trailing unit are ignored."""
    value = text.strip()
    for suffix in sorted(suffixes, key=len, reverse=True):
        if suffix and value.lower().endswith(suffix.lower()):
            value = value[: -len(suffix)].strip()
            break
    try:
        number = float(value.replace(" ", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def format_number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def format_date(day: datetime.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_time(moment: datetime.datetime | datetime.time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _span(low: float | None, high: float | None, unit: str) -> str:
    """A range in words: "from 0 to 500 µg/m³", "at least 20 dB" or "at most 140 dB"."""
    if low is not None and high is not None:
        return f"from {low:g} to {high:g} {unit}"
    if low is not None:
        return f"at least {low:g} {unit}"
    return f"at most {high:g} {unit}"


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def local_moment(
    day: datetime.date, at: datetime.time, zone: datetime.tzinfo | None
) -> datetime.datetime:
    """The moment a person means by a date and time on the phone's clock, with its offset."""
    naive = datetime.datetime.combine(day, at)
    # Without a zone, astimezone() reads a naive time as the phone's local time (summer time
    # included), which is what the person typed.
    return naive.replace(tzinfo=zone) if zone is not None else naive.astimezone()


# --- readings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One input on the reading form; ``name`` is the entry's key, ``error_key`` the payload's."""

    name: str
    kind: str  # "site", "number", "date", "time" or "text"
    label: str
    hint: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    unit: str = ""
    error_key: str = ""
    # Shown only when the site is "somewhere else".
    location: bool = False


@dataclass
class CheckedReading:
    payload: dict[str, Any] | None
    errors: Errors = field(default_factory=dict)
    # Not mistakes, but worth a second look before saving (the server flags them for review).
    warnings: Errors = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Moment:
    """A date-and-time question: ``prefix_date`` and ``prefix_time`` give ``payload_key``."""

    prefix: str
    payload_key: str
    legend: str
    what: str  # for messages: "Enter the date you put the tube up"


class ReadingForm:
    """The reading form of one campaign, from its downloaded definition."""

    def __init__(self, definition: Mapping[str, Any]) -> None:
        self.definition = definition
        self.slug: str = definition["slug"]
        self.title: str = definition.get("title", self.slug)
        self.unit: str = definition["unit"]
        self.observed_property: str = definition.get("observed_property", "")
        self.method: str = definition.get("method") or ""
        self.accepting_readings: bool = bool(definition.get("accepting_readings", True))
        self.is_exposure = definition.get("sampling") == "exposure"
        self.valid_range: tuple[float | None, float | None] = tuple(
            definition.get("valid_range") or (None, None)
        )  # type: ignore[assignment]
        self.usual_range: tuple[float | None, float | None] = tuple(
            definition.get("usual_range") or (None, None)
        )  # type: ignore[assignment]
        self.starts_on = datetime.date.fromisoformat(definition["starts_on"])
        self.sites = tuple(
            Choice(site["code"], f"{site['name']} ({site['code']})")
            for site in definition.get("sites") or ()
        )
        self.site_codes = {site.key for site in self.sites}
        taken = Moment(
            "observed",
            "observed_at",
            "When did you take the tube down?"
            if self.is_exposure
            else "When did you take the reading?",
            "you took the tube down" if self.is_exposure else "you took the reading",
        )
        put_up = Moment(
            "start", "exposure_start", "When did you put the tube up?", "you put the tube up"
        )
        self.moments = (put_up, taken) if self.is_exposure else (taken,)

    # --- what to show ----------------------------------------------------------------------

    @property
    def fields(self) -> list[FieldSpec]:
        fields = [
            FieldSpec(
                "site",
                "site",
                "Where did you take the reading?",
                "Choose the site named on your kit, or Somewhere else to give the location.",
                required=True,
                choices=(*self.sites, Choice(ELSEWHERE, "Somewhere else")),
                error_key="site",
            ),
            FieldSpec(
                "latitude",
                "number",
                "Latitude",
                "In decimal degrees, like 51.4712",
                error_key="latitude",
                location=True,
            ),
            FieldSpec(
                "longitude",
                "number",
                "Longitude",
                "In decimal degrees; west of Greenwich is negative, like -0.1123",
                error_key="longitude",
                location=True,
            ),
            FieldSpec(
                "accuracy_m",
                "number",
                "How accurate is the location? (metres)",
                "The phone fills this in from GPS. Read off a map, 10 is about right.",
                unit="m",
                error_key="accuracy_m",
                location=True,
            ),
            FieldSpec(
                "value",
                "number",
                f"Your reading ({self.unit})",
                self.range_hint,
                required=True,
                unit=self.unit,
                error_key="value",
            ),
        ]
        for moment in self.moments:
            fields += [
                FieldSpec(
                    f"{moment.prefix}_date",
                    "date",
                    moment.legend,
                    "Day/month/year, like 21/11/2026",
                    required=True,
                    error_key=moment.payload_key,
                ),
                FieldSpec(
                    f"{moment.prefix}_time",
                    "time",
                    "Time",
                    "Like 14:30 or 2:30pm",
                    required=True,
                    error_key=moment.payload_key,
                ),
            ]
        fields.append(
            FieldSpec(
                "notes",
                "text",
                "Notes (optional)",
                "Anything that may have affected the reading. Leave out names and addresses.",
                error_key="notes",
            )
        )
        return fields

    @property
    def range_hint(self) -> str:
        low, high = self.usual_range
        if low is None and high is None:
            return ""
        return f"Usually {_span(low, high, self.unit)}."

    def blank_entries(self, *, now: datetime.datetime | None = None) -> dict[str, str]:
        """What a new form starts with: the time now, and the only site if there is one."""
        now = (now or datetime.datetime.now().astimezone()).astimezone()
        entries = dict.fromkeys((spec.name for spec in self.fields), "")
        entries["site"] = self.sites[0].key if len(self.sites) == 1 else ""
        if not self.sites:
            entries["site"] = ELSEWHERE
        entries["observed_date"] = format_date(now.date())
        entries["observed_time"] = format_time(now)
        return entries

    def entries_from(
        self, payload: Mapping[str, Any], *, zone: datetime.tzinfo | None = None
    ) -> dict[str, str]:
        """The form filled in again from a queued reading (to fix one the server rejected)."""
        entries = dict.fromkeys((spec.name for spec in self.fields), "")
        has_location = payload.get("latitude") is not None or payload.get("longitude") is not None
        entries["site"] = str(payload.get("site") or (ELSEWHERE if has_location else ""))
        for name in ("latitude", "longitude", "accuracy_m", "value"):
            value = payload.get(name)
            entries[name] = format_number(value) if isinstance(value, int | float) else ""
        for moment in self.moments:
            text = payload.get(moment.payload_key)
            try:
                when = datetime.datetime.fromisoformat(text) if isinstance(text, str) else None
            except ValueError:
                when = None
            if when is not None:
                when = when.astimezone(zone) if zone is not None else when.astimezone()
                entries[f"{moment.prefix}_date"] = format_date(when.date())
                entries[f"{moment.prefix}_time"] = format_time(when)
        entries["notes"] = str(payload.get("notes") or "")
        return entries

    # --- checking and building the reading ---------------------------------------------------

    def check(
        self,
        entries: Mapping[str, str],
        *,
        client_uuid: str,
        now: datetime.datetime | None = None,
        zone: datetime.tzinfo | None = None,
    ) -> CheckedReading:
        """The reading as the API takes it, or the errors that say how to fix the entries."""
        now = now or datetime.datetime.now(datetime.UTC)
        errors: Errors = {}
        warnings: Errors = {}

        def error(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        def text(name: str) -> str:
            return str(entries.get(name) or "").strip()

        if not self.accepting_readings:
            error("campaign", "This campaign is not taking readings now.")

        site = text("site")
        elsewhere = site == ELSEWHERE
        if not site:
            error("site", "Choose the site where you took the reading, or Somewhere else.")
        elif not elsewhere and site not in self.site_codes:
            error("site", "This campaign has no site with that code. Choose one from the list.")

        location: dict[str, float] = {}
        if elsewhere:
            for name, low, high, missing, wrong in (
                ("latitude", -90, 90, "Enter the latitude of the place, like 51.4712.",
                 "Enter the latitude in decimal degrees, between -90 and 90."),
                ("longitude", -180, 180, "Enter the longitude of the place, like -0.1123.",
                 "Enter the longitude in decimal degrees, between -180 and 180."),
                ("accuracy_m", 0, MAX_ACCURACY_M,
                 "Enter how accurate the location is, in metres, like 10.",
                 "Enter the accuracy as a number of metres, like 10."),
            ):  # fmt: skip
                raw = text(name)
                suffixes = ("metres", "meters", "m") if name == "accuracy_m" else ("°",)
                number = parse_number(raw, suffixes=suffixes) if raw else None
                if not raw:
                    error(name, missing)
                elif number is None or not low <= number <= high:
                    error(name, wrong)
                else:
                    location[name] = number

        value = None
        raw_value = text("value")
        if not raw_value:
            error("value", "Enter your reading.")
        else:
            value = parse_number(raw_value, suffixes=(self.unit,))
            if value is None:
                error("value", "Enter your reading as a number, like 23.4.")
            else:
                self._check_value(value, error, warnings)

        moments: dict[str, datetime.datetime] = {}
        for moment in self.moments:
            when = self._moment(moment, entries, now=now, zone=zone, error=error)
            if when is not None:
                moments[moment.payload_key] = when
        observed_at = moments.get("observed_at")
        exposure_start = moments.get("exposure_start")
        if exposure_start and observed_at and exposure_start >= observed_at:
            error(
                "exposure_start",
                "The tube must go up before it comes down. Check both dates and times.",
            )

        notes = text("notes")
        if len(notes) > MAX_NOTES:
            error(
                "notes",
                f"Keep your notes under {MAX_NOTES:,} characters (they have {len(notes):,}).",
            )

        if errors or value is None or observed_at is None:
            return CheckedReading(None, errors, warnings)
        payload: dict[str, Any] = {
            "client_uuid": client_uuid,
            "campaign": self.slug,
            "value": value,
            "unit": self.unit,
            "observed_at": observed_at.isoformat(),
            "notes": notes,
        }
        if exposure_start is not None:
            payload["exposure_start"] = exposure_start.isoformat()
        if elsewhere:
            payload.update(location)
        else:
            payload["site"] = site
        return CheckedReading(payload, {}, warnings)

    def _check_value(
        self, value: float, error: Callable[[str, str], None], warnings: Errors
    ) -> None:
        low, high = self.valid_range
        if (low is not None and value < low) or (high is not None and value > high):
            error(
                "value",
                f"{value:g} is not possible here: readings are {_span(low, high, self.unit)}. "
                "Check the value and its unit.",
            )
            return
        usual_low, usual_high = self.usual_range
        usual = _span(usual_low, usual_high, self.unit)
        if usual_low is not None and value < usual_low:
            warnings["value"] = [
                f"{value:g} is lower than usual (usually {usual}). "
                "If it is right, save it: a moderator will look at it."
            ]
        elif usual_high is not None and value > usual_high:
            warnings["value"] = [
                f"{value:g} is higher than usual (usually {usual}). "
                "If it is right, save it: a moderator will look at it."
            ]

    def _moment(
        self,
        moment: Moment,
        entries: Mapping[str, str],
        *,
        now: datetime.datetime,
        zone: datetime.tzinfo | None,
        error: Callable[[str, str], None],
    ) -> datetime.datetime | None:
        key = moment.payload_key
        day_text = str(entries.get(f"{moment.prefix}_date") or "").strip()
        time_text = str(entries.get(f"{moment.prefix}_time") or "").strip()
        today = now.astimezone(zone).date() if zone else now.astimezone().date()
        if not day_text:
            error(key, f"Enter the date {moment.what}, like 21/11/2026.")
            return None
        day = parse_date(day_text, today=today)
        if day is None:
            error(key, "Enter a real date as day/month/year, like 21/11/2026.")
            return None
        if not time_text:
            error(key, f"Enter the time {moment.what}, like 14:30 or 2:30pm.")
            return None
        at = parse_time(time_text)
        if at is None:
            error(key, "Enter the time as hours and minutes, like 14:30 or 2:30pm.")
            return None
        when = local_moment(day, at, zone)
        if when > now + CLOCK_SKEW:
            error(
                key, "This time is in the future. Check the date, the time and the phone's clock."
            )
            return None
        # The server counts a campaign from midnight UTC on its first day.
        campaign_start = datetime.datetime.combine(self.starts_on, datetime.time.min, datetime.UTC)
        if when < campaign_start:
            error(
                key,
                f"This is before the campaign began on {_long_date(self.starts_on)}. "
                "Check the date.",
            )
            return None
        return when


# --- surveys -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    """One question as the screen shows it.

    ``widget`` says how to answer: ``one`` (pick one option), ``many`` (tick up to
    ``most_choices``), ``order`` (put the options in order), ``text`` (type up to ``limit``
    characters) or ``scenario`` (read the vignette, pick a judgement, tick conditions only
    with "acceptable, but only with conditions", and comment when ``limit`` is above 0).
    """

    key: str
    kind: str
    widget: str
    text: str
    hint: str
    required: bool
    options: tuple[Choice, ...]
    prefer_not_to_say: Choice | None = None
    most_choices: int | None = None
    limit: int | None = None
    vignette: str = ""
    conditions: tuple[Choice, ...] = ()

    @property
    def choices(self) -> tuple[Choice, ...]:
        """Options to pick from, with "prefer not to say" last where it is offered."""
        extra = (self.prefer_not_to_say,) if self.prefer_not_to_say else ()
        return (*self.options, *extra)

    @property
    def takes_comment(self) -> bool:
        return self.kind == "scenario" and bool(self.limit)


@dataclass(frozen=True)
class SectionSpec:
    heading: str
    introduction: str
    questions: tuple[QuestionSpec, ...]


WIDGETS = {
    "scenario": "scenario",
    "likert": "one",
    "single_choice": "one",
    "demographic": "one",
    "multiple_choice": "many",
    "ranking": "order",
    "free_text": "text",
}


def _choices(items: Any) -> tuple[Choice, ...]:
    return tuple(Choice(item["key"], item["label"]) for item in items or ())


def question_spec(question: Mapping[str, Any]) -> QuestionSpec:
    kind = question["kind"]
    prefer = question.get("prefer_not_to_say")
    return QuestionSpec(
        key=question["key"],
        kind=kind,
        widget=WIDGETS.get(kind, "text"),
        text=question["text"],
        hint=question.get("hint") or "",
        # Demographic questions are never required: skipping is always allowed.
        required=bool(question.get("required")) and kind != "demographic",
        options=_choices(question.get("options")),
        prefer_not_to_say=Choice(prefer["key"], prefer["label"]) if prefer else None,
        most_choices=question.get("most_choices"),
        limit=question.get("limit"),
        vignette=question.get("vignette") or "",
        conditions=_choices(question.get("conditions")),
    )


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class SurveyForm:
    """One survey's questions, section by section, from its downloaded definition."""

    def __init__(self, definition: Mapping[str, Any]) -> None:
        self.definition = definition
        self.slug: str = definition["slug"]
        self.title: str = definition.get("title", self.slug)
        self.introduction: str = definition.get("introduction") or ""
        self.how_answers_are_used: str = definition.get("how_answers_are_used") or ""
        self.what_is_stored: str = definition.get("what_is_stored") or ""
        self.require_code = bool(definition.get("require_code"))
        self.opens_at = _aware(definition.get("opens_at"))
        self.closes_at = _aware(definition.get("closes_at"))
        self.sections = tuple(
            SectionSpec(
                heading=section.get("heading") or "",
                introduction=section.get("introduction") or "",
                questions=tuple(question_spec(q) for q in section.get("questions") or ()),
            )
            for section in definition.get("sections") or ()
        )
        self.questions = {q.key: q for section in self.sections for q in section.questions}

    def closed_message(self, now: datetime.datetime | None = None) -> str:
        """Why answers cannot be taken now, or "" when the survey is open."""
        now = now or datetime.datetime.now(datetime.UTC)
        if self.opens_at and now < self.opens_at:
            return f"This survey opens on {_long_date(self.opens_at.date())}."
        if self.closes_at and now >= self.closes_at:
            return (
                f"This survey closed on {_long_date(self.closes_at.date())}, "
                "so it takes no more answers."
            )
        return ""

    # --- checking --------------------------------------------------------------------------

    def check(
        self, answers: Mapping[str, Any], *, section: int | None = None, code: str = ""
    ) -> Errors:
        """Errors per question key (and ``code``); ``section`` checks only that section."""
        questions = (
            self.sections[section].questions if section is not None else self.questions.values()
        )
        errors: Errors = {}
        for question in questions:
            problem = self.problem(question, answers.get(question.key))
            if problem:
                errors[question.key] = [problem]
        if section is None and self.require_code and not code.strip():
            errors["code"] = ["Enter the code printed on your invitation letter, like K7Q2-MX9P."]
        return errors

    def problem(self, question: QuestionSpec, value: Any) -> str | None:
        """What is wrong with one answer, in words, or None."""
        value = self.cleaned(question, value)
        if _blank(value):
            if question.required:
                if question.kind == "scenario":
                    return "Say whether this is acceptable to you."
                return "Answer this question to go on."
            return None
        offered = [option.key for option in question.options]
        if question.widget == "one":
            allowed = [choice.key for choice in question.choices]
            return None if value in allowed else "Choose one of the answers."
        if question.widget == "many":
            if any(key not in offered for key in value):
                return "Choose from the answers offered."
            if question.most_choices and len(value) > question.most_choices:
                return (
                    f"Choose up to {question.most_choices} answers; you have chosen {len(value)}."
                )
            return None
        if question.widget == "order":
            if any(key not in offered for key in value) or len(set(value)) != len(value):
                return "Give each option one place only."
            return None
        if question.widget == "text":
            return _too_long(value, question.limit)
        # scenario
        if value.get("judgement") not in JUDGEMENTS:
            return "Say whether this is acceptable to you."
        return _too_long(value.get("comment") or "", question.limit or 0)

    # --- building ----------------------------------------------------------------------------

    def cleaned(self, question: QuestionSpec, value: Any) -> Any:
        """One answer in the API's format, with what the screen hid or left blank taken out."""
        if _blank(value):
            return None
        if question.widget == "many":
            chosen = list(dict.fromkeys(value))
            # In the order the options are offered, each once; keys no longer offered (from an
            # old record) are kept so that the check can say so.
            offered = {option.key for option in question.options}
            return _ordered_unique(chosen, question.options) + [
                key for key in chosen if key not in offered
            ]
        if question.widget == "order":
            return list(dict.fromkeys(value))
        if question.widget == "text":
            return value.strip() or None
        if question.widget == "scenario":
            if isinstance(value, str):
                value = {"judgement": value}
            judgement = value.get("judgement") or None
            answer: dict[str, Any] = {"judgement": judgement} if judgement else {}
            conditions = list(value.get("conditions") or ())
            # Conditions are shown only with "acceptable, but only with conditions": ticks left
            # behind after choosing another judgement are not part of the answer.
            if judgement == CONDITIONAL and conditions:
                answer["conditions"] = _ordered_unique(conditions, question.conditions)
            comment = str(value.get("comment") or "").strip()
            if comment and question.limit:
                answer["comment"] = comment
            return answer or None
        return value

    def answers(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """The ``answers`` object for the API: skipped questions left out."""
        built = {}
        for key, question in self.questions.items():
            value = self.cleaned(question, raw.get(key))
            if not _blank(value):
                built[key] = value
        return built

    def payload(
        self,
        raw: Mapping[str, Any],
        *,
        client_uuid: str,
        participant_token: str,
        code: str = "",
    ) -> dict[str, Any]:
        """The body of ``POST /api/v1/surveys/<slug>/responses/``."""
        body: dict[str, Any] = {
            "client_uuid": client_uuid,
            "answers": self.answers(raw),
            "participant_token": participant_token,
        }
        if code.strip():
            body["code"] = code.strip()
        return body

    def section_of(self, key: str) -> int | None:
        for index, section in enumerate(self.sections):
            if any(question.key == key for question in section.questions):
                return index
        return None


def _ordered_unique(chosen: list[str], options: tuple[Choice, ...]) -> list[str]:
    return [option.key for option in options if option.key in chosen]


def _too_long(text: str, limit: int | None) -> str | None:
    text = text.strip()
    if limit is not None and len(text) > limit:
        return f"Keep your answer to {limit:,} characters; it has {len(text):,}."
    return None


def _aware(text: Any) -> datetime.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
