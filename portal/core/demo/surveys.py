"""Surveys in Millbrook: a data charter consultation and an e-scooter attitude tracker.

Everything here is invented but realistic:

* "Millbrook Data Charter" asks whether five concrete uses of data are acceptable, and on what
  conditions, in the spirit of Camden's Data Charter consultation (the scenarios and wording
  are our own). It closed a month ago; its results and "we asked, you said, we did" are out.
  Older residents are more at ease with cameras, younger ones more wary of sharing data, and
  almost nobody wants the council to sell data.
* "E-scooters in Millbrook" is a tracker asked twice with the same question keys: a spring
  wave (closed, results published) and an autumn wave that is still open. Younger residents
  are far more positive about e-scooters than older ones; between the waves worries ease a
  little after the council marked out parking bays.

Respondents lean older than the borough, as they do in real consultations, and very few
people over 75 from Station ward answered, so the age-by-ward breakdown has a cell small
enough to be hidden. Population margins (age band and ward) let results be weighted back.

Responses are made by a seeded random generator (``plan_responses``, which the benchmark
also uses to make 100,000) and get ``client_uuid``s derived with ``uuid5``, so every run plans
exactly the same answers and a rerun adds nothing: responses already stored are left alone,
as are moderators' decisions on comments. Pages are updated in place, like the rest of the
demo. Answers are stored in the cleaned shapes ``surveys.validation.check_answers`` returns,
exactly as ``surveys.responses.submit`` would store them, but with ``bulk_create``.
"""

from __future__ import annotations

import datetime
import math
import random
import uuid
import zoneinfo
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from portal.core.demo.borough import DEVICES
from portal.core.receipts import new_receipt
from portal.home.models import HomePage
from surveys.estimates import LIKERT_FIVE_POINT, PREFER_NOT_TO_SAY, Judgement
from surveys.models import (
    Channel,
    FreeTextAnswer,
    FreeTextStatus,
    Response,
    SurveyIndexPage,
    SurveyPage,
    TrackerSeries,
)
from surveys.responses import participant_hash

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Every demo client_uuid is derived from this, so reruns find their rows.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.millbrook.example/demo/surveys")
MODERATOR = "moderator"

INDEX_TITLE = "Have your say"
INDEX_INTRODUCTION = (
    "Tell us what you think about how the council uses technology and data in Millbrook. "
    "Every survey says how your answers are used and kept; none asks for your name, and we "
    "publish what we heard and what we did about it."
)

ACCEPTABLE = Judgement.ACCEPTABLE.value
WITH_CONDITIONS = Judgement.ACCEPTABLE_WITH_CONDITIONS.value
NOT_ACCEPTABLE = Judgement.NOT_ACCEPTABLE.value
NOT_SURE = Judgement.NOT_SURE.value
JUDGEMENTS = (ACCEPTABLE, WITH_CONDITIONS, NOT_ACCEPTABLE, NOT_SURE)


# --- who lives in Millbrook, and who answers ------------------------------------------------

# (option key, label as people read it): the census-style bands, youngest first.
AGE_BANDS: tuple[tuple[str, str], ...] = (
    ("16-24", "16\u201324"),
    ("25-34", "25\u201334"),
    ("35-44", "35\u201344"),
    ("45-54", "45\u201354"),
    ("55-64", "55\u201364"),
    ("65-74", "65\u201374"),
    ("75-plus", "75+"),
)
OLDEST = len(AGE_BANDS) - 1
# The borough's wards, as the device register names them ("Market ward", …).
WARD_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(spec["area"].removesuffix(" ward") for spec in DEVICES)
)
WARDS: tuple[tuple[str, str], ...] = tuple((slugify(name), f"{name} ward") for name in WARD_NAMES)
AGE_KEY = "age-band"
WARD_KEY = "ward"

# Shares of residents aged 16 and over: a young inner-London borough (2021 census-like).
# The keys are the option keys of the age-band and ward questions, which is what the
# weighting reads from each response.
POPULATION_MARGINS: dict[str, dict[str, float]] = {
    "age_band": {
        "16-24": 0.12,
        "25-34": 0.25,
        "35-44": 0.20,
        "45-54": 0.15,
        "55-64": 0.12,
        "65-74": 0.08,
        "75-plus": 0.08,
    },
    "area": {"market": 0.19, "station": 0.24, "park": 0.20, "northfield": 0.21, "riverside": 0.16},
}
# Who answers: older residents far more than the young, and Park ward more than Station.
RESPONDENT_AGES = (0.06, 0.14, 0.18, 0.18, 0.18, 0.15, 0.11)
# The e-scooter tracker is also advertised in the operator's app, so more young people answer.
TRACKER_RESPONDENT_AGES = (0.10, 0.18, 0.18, 0.16, 0.15, 0.13, 0.10)
RESPONDENT_WARDS = {
    "market": 0.20,
    "station": 0.16,
    "park": 0.24,
    "northfield": 0.22,
    "riverside": 0.18,
}
# Station ward is new flats by the railway: hardly anyone over 75 lives there, so few answer
# and the age-by-ward table has a cell below the minimum size.
FEW_OLDEST_IN = "station"
FEW_OLDEST_FACTOR = 0.12


@dataclass(frozen=True)
class Resident:
    """One made-up respondent: their true age band and ward, and how far they trust the
    council (a standard normal score). What they *say* about themselves may differ: some
    prefer not to say."""

    age: int  # index into AGE_BANDS, 0 = 16-24
    ward: str  # ward option key
    trust: float

    @property
    def age_fraction(self) -> float:
        """0 for the youngest band, 1 for the oldest."""
        return self.age / OLDEST


def _resident(rng: random.Random, ages: tuple[float, ...] = RESPONDENT_AGES) -> Resident:
    age = rng.choices(range(len(AGE_BANDS)), weights=ages)[0]
    wards = {
        ward: share * (FEW_OLDEST_FACTOR if age == OLDEST and ward == FEW_OLDEST_IN else 1)
        for ward, share in RESPONDENT_WARDS.items()
    }
    ward = rng.choices(list(wards), weights=list(wards.values()))[0]
    return Resident(age=age, ward=ward, trust=rng.gauss(0, 1))


def _said(rng: random.Random, value: str, *, prefer_not: float, skip: float) -> str | None:
    """What someone answers to an "about you" question: the truth, "prefer not to say" or
    nothing."""
    draw = rng.random()
    if draw < prefer_not:
        return PREFER_NOT_TO_SAY
    if draw < prefer_not + skip:
        return None
    return value


def _likert(rng: random.Random, mean: float) -> str:
    """A point of the five-point scale from a normal score around ``mean`` (0 = neither)."""
    score = rng.gauss(mean, 1)
    cuts = (-1.5, -0.5, 0.5, 1.5)
    return LIKERT_FIVE_POINT[sum(score > cut for cut in cuts)]


def _blend(young: tuple[float, ...], old: tuple[float, ...], fraction: float) -> list[float]:
    return [y + (o - y) * fraction for y, o in zip(young, old, strict=True)]


# --- building blocks of the StreamField -----------------------------------------------------


def _options(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "label": label} for key, label in pairs]


def _question(kind: str, key: str, question: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "value": {
            "key": key,
            "question": question,
            "hint": fields.pop("hint", ""),
            "required": False,
            **fields,
        },
    }


def _section(heading: str, introduction: str, *questions: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "section",
        "value": {"heading": heading, "introduction": introduction, "questions": list(questions)},
    }


def _about_you(*extra: dict[str, Any]) -> dict[str, Any]:
    return _section(
        "About you",
        "These questions are optional. We use them to see whether people of different ages and "
        "in different wards see things differently, and to check how well the answers reflect "
        "the borough. Groups of fewer than 10 people are never shown.",
        _question(
            "demographic",
            AGE_KEY,
            "How old are you?",
            dimension="age_band",
            options=_options(*AGE_BANDS),
        ),
        _question(
            "demographic",
            WARD_KEY,
            "Which ward do you live in?",
            hint="If you are not sure, the ward is printed on your council tax bill.",
            dimension="area",
            options=_options(*WARDS),
        ),
        *extra,
    )


# --- the Data Charter ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    key: str
    heading: str
    vignette: str
    conditions: tuple[tuple[str, str, float], ...]  # (key, label, how often it is chosen)
    # Chances of acceptable, with conditions, not acceptable and not sure for the youngest
    # and the oldest respondents; ages between are in between.
    young: tuple[float, float, float, float]
    old: tuple[float, float, float, float]
    # (judgement, comment, status, moderator's reason): each comment is written once.
    comments: tuple[tuple[str, str, str, str], ...] = ()


PUBLISHED = FreeTextStatus.PUBLISHED.value
PENDING = FreeTextStatus.PENDING.value
WITHHELD = FreeTextStatus.WITHHELD.value

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        key="support-finder",
        heading="Finding households who may be missing out",
        vignette=(
            "Many pensioners and low-paid families do not claim help they are entitled to, such "
            "as Pension Credit or Council Tax Support. The council could compare its council "
            "tax and housing benefit records to find households who probably qualify but do "
            "not claim, and write to them to offer help with a claim. Nobody outside the "
            "council's benefits team would see the records."
        ),
        conditions=(
            ("staff-only", "Only the benefits team sees names and addresses", 0.62),
            ("explain-letter", "The letter says how we found you and what we looked at", 0.48),
            ("opt-out", "You can ask not to be included", 0.55),
            ("annual-audit", "An independent audit each year", 0.30),
        ),
        young=(0.30, 0.38, 0.20, 0.12),
        old=(0.50, 0.34, 0.09, 0.07),
        comments=(
            (
                ACCEPTABLE,
                "My mum went two years without Pension Credit because she didn't know she "
                "could claim. If the council already knows, it should tell people.",
                PUBLISHED,
                "",
            ),
            (
                WITH_CONDITIONS,
                "Fine as long as the letter is kind. A letter saying 'we looked at your "
                "finances' would frighten a lot of older people.",
                PUBLISHED,
                "",
            ),
            (
                NOT_ACCEPTABLE,
                "I gave my details to pay council tax, not to be profiled. Advertise the "
                "benefits properly instead.",
                PUBLISHED,
                "",
            ),
            (
                WITH_CONDITIONS,
                "Please make sure it works for people who don't read English well.",
                PENDING,
                "",
            ),
        ),
    ),
    Scenario(
        key="footfall-sharing",
        heading="Sharing footfall counts with the business district",
        vignette=(
            "People counters on the High Street count how many people walk past each hour. "
            "They keep no images. The council could give the hourly counts to the Millbrook "
            "Town Centre Business District, which wants to plan events and opening hours."
        ),
        conditions=(
            ("counts-only", "Counts only: never images or phone identifiers", 0.66),
            ("open-data", "The same counts published as open data for everyone", 0.44),
            ("no-resale", "The business district may not sell or pass them on", 0.51),
        ),
        young=(0.30, 0.34, 0.20, 0.16),
        old=(0.46, 0.30, 0.11, 0.13),
        comments=(
            (
                ACCEPTABLE,
                "Counts of people walking past are not personal data. Share them with "
                "everyone, not just the shops.",
                PUBLISHED,
                "",
            ),
            (
                WITH_CONDITIONS,
                "OK if it really is just numbers. I'd want to know the counters can't pick up "
                "phones.",
                PUBLISHED,
                "",
            ),
            (
                NOT_SURE,
                "Who is on the business district board? I would want to know who gets it.",
                PENDING,
                "",
            ),
        ),
    ),
    Scenario(
        key="cctv-missing-person",
        heading="Looking for a missing person on town-centre cameras",
        vignette=(
            "When someone is reported missing, the police can ask the council to search "
            "recordings from its town-centre cameras. Software could speed this up by finding "
            "people whose clothes match the description, for a council operator to check. "
            "It would not recognise faces."
        ),
        conditions=(
            ("police-request", "Only after a formal request from the police", 0.58),
            ("delete-30-days", "Recordings deleted after 30 days", 0.63),
            ("named-person", "A named person at the council is accountable", 0.41),
            ("searches-published", "The number of searches published each year", 0.37),
        ),
        young=(0.16, 0.36, 0.34, 0.14),
        old=(0.58, 0.30, 0.06, 0.06),
        comments=(
            (
                ACCEPTABLE,
                "If it was my child I would want every camera checked straight away.",
                PUBLISHED,
                "",
            ),
            (
                NOT_ACCEPTABLE,
                "Clothes matching today, face recognition tomorrow. Once the software is "
                "bought it will be used for other things.",
                PUBLISHED,
                "",
            ),
            (
                WITH_CONDITIONS,
                "Only for missing people, written into the policy, and checked by someone "
                "outside the council.",
                PUBLISHED,
                "",
            ),
            (
                NOT_ACCEPTABLE,
                "The operator on the late shift is my neighbour at 14 Kiln Lane and he "
                "watches everyone. He should not be allowed near this.",
                WITHHELD,
                "Not published: it names a private person and where he lives. The concern "
                "about operators has been passed to the CCTV manager.",
            ),
        ),
    ),
    Scenario(
        key="pothole-cameras",
        heading="Spotting potholes with cameras on bin lorries",
        vignette=(
            "Cameras on the front of bin lorries could take pictures of the road as the lorries "
            "do their rounds. A computer program would flag potholes and worn road markings so "
            "they are repaired sooner. Faces and number plates would be blurred on the lorry, "
            "before any picture is sent to the council."
        ),
        conditions=(
            (
                "blur-on-lorry",
                "Faces and number plates blurred before pictures leave the lorry",
                0.71,
            ),
            ("delete-30-days", "Pictures deleted after 30 days", 0.46),
            ("annual-audit", "An independent audit each year of what the program flags", 0.33),
            ("person-checks", "A person checks each flag before repairs are ordered", 0.29),
        ),
        young=(0.38, 0.36, 0.14, 0.12),
        old=(0.47, 0.32, 0.11, 0.10),
        comments=(
            (
                ACCEPTABLE,
                "Anything that gets Northfield Road fixed faster. The lorries go down every "
                "street anyway.",
                PUBLISHED,
                "",
            ),
            (
                WITH_CONDITIONS,
                "Good idea, but the blurring has to happen on the lorry. I don't want pictures "
                "of my front garden on a server somewhere.",
                PUBLISHED,
                "",
            ),
            (
                NOT_SURE,
                "Who makes the program and do they keep the pictures to train it?",
                PENDING,
                "",
            ),
        ),
    ),
    Scenario(
        key="selling-data",
        heading="Selling data to raise money",
        vignette=(
            "To raise money for services, the council could sell residents' names, addresses "
            "and parking permit details to a marketing company, which would use them to send "
            "offers by post."
        ),
        conditions=(
            ("opt-out", "You can opt out", 0.64),
            ("money-for-services", "All the money goes to local services", 0.52),
        ),
        young=(0.02, 0.05, 0.86, 0.07),
        old=(0.03, 0.07, 0.84, 0.06),
        comments=(
            (
                NOT_ACCEPTABLE,
                "Absolutely not. This would destroy any trust in everything else in this survey.",
                PUBLISHED,
                "",
            ),
            (
                NOT_ACCEPTABLE,
                "Why is this even a question? Please say clearly in the charter that the "
                "council will never sell our data.",
                PUBLISHED,
                "",
            ),
        ),
    ),
)
# Of every hundred respondents, this many write a comment on a given scenario (until that
# scenario's comments run out).
COMMENT_CHANCE = 0.03

TRUST_KEY = "trust-council"
ONLINE_KEY = "online-services"
ONLINE_OPTIONS = (
    ("weekly", "Every week"),
    ("monthly", "About once a month"),
    ("few-times-a-year", "A few times a year"),
    ("never", "Never"),
)


def _charter_sections() -> list[dict[str, Any]]:
    sections = [
        _section(
            scenario.heading,
            "",
            _question(
                "scenario",
                scenario.key,
                "Is this acceptable to you?",
                hint="If it is acceptable only on conditions, tick the ones that matter to you.",
                vignette=scenario.vignette,
                conditions=[
                    {"key": key, "label": label} for key, label, _share in scenario.conditions
                ],
                comment_limit=500,
            ),
        )
        for scenario in SCENARIOS
    ]
    sections.append(
        _section(
            "Trust",
            "",
            _question(
                "likert", TRUST_KEY, "I trust Millbrook Council to use data about me responsibly."
            ),
        )
    )
    sections.append(
        _about_you(
            _question(
                "demographic",
                ONLINE_KEY,
                "How often do you use the council's online services?",
                dimension="other",
                options=_options(*ONLINE_OPTIONS),
            )
        )
    )
    return sections


Comments = dict[str, deque[tuple[str, str, str, str]]]


@dataclass
class Answered:
    """One response's countable answers and its comments (question key → (text, status,
    moderator's reason))."""

    answers: dict[str, Any]
    free_text: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def _charter_answers(rng: random.Random, resident: Resident, comments: Comments) -> Answered:
    answered = Answered({})
    for scenario in SCENARIOS:
        chances = _blend(scenario.young, scenario.old, resident.age_fraction)
        # People who trust the council find more uses acceptable, and fewer unacceptable.
        factor = math.exp(0.35 * resident.trust)
        chances[0] *= factor
        chances[2] /= factor
        judgement = rng.choices(JUDGEMENTS, weights=chances)[0]
        pool = comments[scenario.key]
        if pool and rng.random() < COMMENT_CHANCE:
            judgement, text, status, reason = pool.popleft()
            answered.free_text[scenario.key] = (text, status, reason)
        if rng.random() < 0.02 and scenario.key not in answered.free_text:
            continue  # skipped this one
        answer: dict[str, Any] = {"judgement": judgement}
        if judgement == WITH_CONDITIONS:
            chosen = [key for key, _label, share in scenario.conditions if rng.random() < share]
            if not chosen and rng.random() < 0.8:
                chosen = [
                    rng.choices(
                        [key for key, _label, _share in scenario.conditions],
                        weights=[share for _key, _label, share in scenario.conditions],
                    )[0]
                ]
            if chosen:
                answer["conditions"] = chosen
        answered.answers[scenario.key] = answer
    # Older residents trust the council a little more; trust itself varies most.
    trust = _likert(rng, 0.9 * resident.trust + 0.4 * resident.age_fraction - 0.1)
    answered.answers[TRUST_KEY] = trust if rng.random() > 0.02 else PREFER_NOT_TO_SAY
    _about(rng, resident, answered)
    online = rng.choices(
        [key for key, _label in ONLINE_OPTIONS],
        weights=_blend((0.30, 0.45, 0.22, 0.03), (0.08, 0.22, 0.35, 0.35), resident.age_fraction),
    )[0]
    said = _said(rng, online, prefer_not=0.03, skip=0.02)
    if said is not None:
        answered.answers[ONLINE_KEY] = said
    return answered


def _about(rng: random.Random, resident: Resident, answered: Answered) -> None:
    age = _said(rng, AGE_BANDS[resident.age][0], prefer_not=0.04, skip=0.02)
    ward = _said(rng, resident.ward, prefer_not=0.03, skip=0.02)
    if age is not None:
        answered.answers[AGE_KEY] = age
    if ward is not None:
        answered.answers[WARD_KEY] = ward


# --- the e-scooter tracker ------------------------------------------------------------------

SERIES_NAME = "E-scooters in Millbrook"
SERIES_DESCRIPTION = (
    "Twice a year we ask the same questions about rental e-scooters, to see how views change "
    "during the trial and whether what we change makes a difference."
)
SAFETY_KEY = "less-safe"
USED_KEY = "used-rental"
USED_OPTIONS = (
    ("regularly", "Yes, regularly"),
    ("once-or-twice", "Yes, once or twice"),
    ("no-but-would", "No, but I would"),
    ("no-never", "No, and I would not"),
)
WORRIES_KEY = "worries"
# (key, label, chance for the youngest, chance for the oldest)
WORRIES = (
    ("pavement-riding", "Riding on pavements", 0.35, 0.78),
    ("parked-in-the-way", "Scooters parked in the way", 0.42, 0.70),
    ("speed", "Speed", 0.22, 0.52),
    ("cannot-hear", "You cannot hear them coming", 0.12, 0.48),
    ("young-riders", "Riders under 18", 0.15, 0.40),
    ("no-worries", "None of these", 0.22, 0.03),
)
PRIORITIES_KEY = "priorities"
# (key, label, how much the youngest and the oldest care about it)
PRIORITIES = (
    ("parking-bays", "More marked parking bays", 0.6, 0.8),
    ("pavement-enforcement", "Fines for riding on pavements", -0.4, 1.4),
    ("cycle-lanes", "More protected cycle lanes", 1.2, -0.2),
    ("cheaper-rides", "Cheaper rides", 1.0, -0.8),
    ("lower-speed-limit", "A lower speed limit in the town centre", -0.2, 1.0),
)


@dataclass(frozen=True)
class Wave:
    """How a wave differs from the others: a shift in the safety score (negative = fewer
    think e-scooters make streets less safe), in how many have ridden one, and in parking
    worries."""

    safety_shift: float = 0.0
    riding_shift: float = 0.0
    parking_factor: float = 1.0


def _escooter_sections() -> list[dict[str, Any]]:
    return [
        _section(
            "E-scooters on our streets",
            "Since March 2025 you can hire an e-scooter in Millbrook as part of a national trial.",
            _question("likert", SAFETY_KEY, "E-scooters make Millbrook's streets less safe."),
            _question(
                "single_choice",
                USED_KEY,
                "Have you used a rental e-scooter?",
                options=_options(*USED_OPTIONS),
            ),
            _question(
                "multiple_choice",
                WORRIES_KEY,
                "What, if anything, worries you about e-scooters?",
                hint="Choose up to three.",
                most_choices=3,
                options=[{"key": key, "label": label} for key, label, *_rest in WORRIES],
            ),
            _question(
                "ranking",
                PRIORITIES_KEY,
                "What should the council do first? Put these in order.",
                hint="Put the most important first. You can leave out the ones you do not mind.",
                options=[{"key": key, "label": label} for key, label, *_rest in PRIORITIES],
            ),
        ),
        _about_you(),
    ]


def _escooter_answers(rng: random.Random, resident: Resident, wave: Wave) -> Answered:
    answered = Answered({})
    fraction = resident.age_fraction
    if rng.random() > 0.02:
        # The youngest mostly disagree, the oldest mostly agree.
        safety = _likert(rng, -0.9 + 2.1 * fraction + wave.safety_shift - 0.15 * resident.trust)
        answered.answers[SAFETY_KEY] = safety if rng.random() > 0.02 else PREFER_NOT_TO_SAY
    used_weights = _blend((0.22, 0.30, 0.33, 0.15), (0.0, 0.02, 0.10, 0.88), fraction)
    used_weights[0] += wave.riding_shift * (1 - fraction)
    used_weights[1] += wave.riding_shift * (1 - fraction)
    answered.answers[USED_KEY] = rng.choices([key for key, _l in USED_OPTIONS], used_weights)[0]
    worries = []
    for key, _label, young, old in WORRIES[:-1]:
        chance = young + (old - young) * fraction
        if key == "parked-in-the-way":
            chance *= wave.parking_factor
        if rng.random() < chance:
            worries.append(key)
    rng.shuffle(worries)
    worries = worries[:3]
    if not worries and rng.random() < WORRIES[-1][2] + (WORRIES[-1][3] - WORRIES[-1][2]) * fraction:
        worries = [WORRIES[-1][0]]
    if worries:
        # Stored in the order the options are offered, as validation does.
        answered.answers[WORRIES_KEY] = [key for key, *_rest in WORRIES if key in worries]
    if rng.random() > 0.08:
        scores = {
            key: young + (old - young) * fraction + rng.gauss(0, 0.8)
            for key, _label, young, old in PRIORITIES
        }
        order = sorted(scores, key=scores.__getitem__, reverse=True)
        # A third put only their top three in order.
        answered.answers[PRIORITIES_KEY] = order[:3] if rng.random() < 0.33 else order
    _about(rng, resident, answered)
    return answered


# --- the surveys -------------------------------------------------------------------------


def _london(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


@dataclass(frozen=True)
class SurveySpec:
    slug: str
    title: str
    introduction: str
    how_answers_are_used: str
    sections: Callable[[], list[dict[str, Any]]]
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    responses: int
    # Makes one response from a respondent; comments are handed out from the pools.
    answer: Callable[[random.Random, Resident, Comments], Answered]
    results_published: bool = False
    respondent_ages: tuple[float, ...] = RESPONDENT_AGES
    # Responses are dated up to here (for an open survey: the answers so far).
    answers_until: datetime.datetime | None = None
    wave_label: str = ""
    comments: dict[str, tuple[tuple[str, str, str, str], ...]] = field(default_factory=dict)
    we_asked: str = ""
    you_said: str = ""
    we_did: str = ""


HOW_DATA_CHARTER_ANSWERS_ARE_USED = (
    "The council's data protection officer and the digital team read the answers. We publish "
    "the numbers, broken down by age band and ward, but never for groups of fewer than 10 "
    "people, and comments only after a moderator has read them. We keep the answers for two "
    "years, then delete them. We do not record your name, e-mail, address or IP address."
)
HOW_ESCOOTER_ANSWERS_ARE_USED = (
    "The transport team reads the answers and shares the published results with the trial "
    "operator. We publish the numbers, broken down by age band and ward, but never for groups "
    "of fewer than 10 people. We keep the answers until the trial ends, then delete them. We do "
    "not record your name, e-mail, address or IP address."
)
ESCOOTER_INTRODUCTION = (
    "Rental e-scooters have been on Millbrook's streets since March 2025. Twice a year we ask "
    "everyone, riders or not, the same few questions so that we can see how views change and "
    "whether what we do about parking and pavements makes a difference. It takes about three "
    "minutes."
)

DATA_CHARTER = SurveySpec(
    slug="millbrook-data-charter",
    title="Millbrook Data Charter: how should we use data about you?",
    introduction=(
        "The council holds a lot of data about Millbrook and the people who live here. Before "
        "we write a data charter, the promises we make about how we use data, we want to know "
        "where you draw the line. We describe five things we could do with data. For each, "
        "tell us whether it is acceptable to you, and on what conditions."
    ),
    how_answers_are_used=HOW_DATA_CHARTER_ANSWERS_ARE_USED,
    sections=_charter_sections,
    opens_at=_london(2026, 9, 7),
    closes_at=_london(2026, 10, 19, 23),
    responses=780,
    answer=_charter_answers,
    results_published=True,
    comments={scenario.key: scenario.comments for scenario in SCENARIOS},
    we_asked=(
        "We asked whether five uses of data were acceptable to you, and on what conditions: "
        "finding households missing out on support, sharing footfall counts, searching camera "
        "recordings for a missing person, spotting potholes from bin lorries, and selling data."
    ),
    you_said=(
        "Most of you accept using our own records to offer people help they are missing out "
        "on, if only the benefits team sees names and there is a way to opt out. Older "
        "residents were much more at ease with searching camera recordings for a missing "
        "person than younger residents, who asked for recordings to be deleted after 30 days. "
        "Almost everyone said the council must never sell data."
    ),
    we_did=(
        "The draft data charter says the council will never sell personal data. Camera "
        "recordings are now deleted after 30 days unless the police have asked for them, and "
        "each year we will publish how many searches we made. Letters offering help with "
        "benefits will say how we found you, with a phone number to opt out. The draft is "
        "with the Scrutiny Committee in December."
    ),
)

SPRING_WAVE = SurveySpec(
    slug="e-scooters-spring-2026",
    title="E-scooters in Millbrook: spring 2026",
    introduction=ESCOOTER_INTRODUCTION,
    how_answers_are_used=HOW_ESCOOTER_ANSWERS_ARE_USED,
    sections=_escooter_sections,
    opens_at=_london(2026, 3, 9),
    closes_at=_london(2026, 4, 19, 23),
    responses=520,
    answer=lambda rng, resident, _comments: _escooter_answers(rng, resident, Wave()),
    results_published=True,
    respondent_ages=TRACKER_RESPONDENT_AGES,
    wave_label="Spring 2026",
    we_asked=(
        "We asked what you think of rental e-scooters, whether you have used one, what worries "
        "you and what we should do first."
    ),
    you_said=(
        "Residents under 35 were mostly positive; most residents over 65 said e-scooters make "
        "the streets less safe. Scooters left in the way and riding on pavements were the "
        "biggest worries."
    ),
    we_did=(
        "In July we marked out 40 parking bays where scooters must be left to end a ride, and "
        "the operator now fines riders who leave them elsewhere. We are asking again in the "
        "autumn to see whether it made a difference."
    ),
)

AUTUMN_WAVE = SurveySpec(
    slug="e-scooters-autumn-2026",
    title="E-scooters in Millbrook: autumn 2026",
    introduction=ESCOOTER_INTRODUCTION,
    how_answers_are_used=HOW_ESCOOTER_ANSWERS_ARE_USED,
    sections=_escooter_sections,
    opens_at=_london(2026, 10, 5),
    closes_at=_london(2026, 11, 8, 23),
    responses=450,
    answer=lambda rng, resident, _comments: _escooter_answers(
        rng, resident, Wave(safety_shift=-0.2, riding_shift=0.03, parking_factor=0.75)
    ),
    # Closed and published, so the results page compares it with the spring wave.
    results_published=True,
    respondent_ages=TRACKER_RESPONDENT_AGES,
    wave_label="Autumn 2026",
    we_asked="We asked the spring questions again, after the parking bays came in.",
    you_said=(
        "Fewer of you said e-scooters make the streets less safe than in the spring, and fewer "
        "named scooters left in the way as a worry. Residents over 65 are still the most "
        "worried."
    ),
    we_did=(
        "We are adding 25 more parking bays near the station and the high street, and asking "
        "the operator to slow scooters to 8 mph in Market Square."
    ),
)


def _smart_streets_sections() -> list[dict[str, Any]]:
    return [
        _section(
            "Counting people at the market",
            "",
            _question(
                "scenario",
                "lamp-post-footfall",
                "Is this acceptable to you?",
                hint="If it is acceptable only on conditions, tick the ones that matter to you.",
                vignette=(
                    "Sensors on the lamp posts in Market Square count how many people walk past "
                    "each hour, from the signals phones give out. The counts help the market "
                    "decide opening times. No phone is followed from one lamp post to the next."
                ),
                conditions=_options(
                    ("counts-only", "Only hourly counts are kept, never the phone signals"),
                    ("signs", "A sign on each lamp post says what it does"),
                    ("review", "An independent check each year"),
                ),
                comment_limit=500,
            ),
        ),
        _section(
            "Cameras that spot fly-tipping",
            "",
            _question(
                "scenario",
                "lamp-post-fly-tipping",
                "Is this acceptable to you?",
                hint="If it is acceptable only on conditions, tick the ones that matter to you.",
                vignette=(
                    "A camera on a lamp post in Goods Yard Lane records only when a computer "
                    "program thinks something large has been left on the pavement. An officer "
                    "looks at the clip and may fine the person who left it."
                ),
                conditions=_options(
                    ("blur", "Faces of passers-by are blurred"),
                    ("person-decides", "A person, not the program, decides on every fine"),
                    ("delete-30", "Clips are deleted after 30 days unless there is a fine"),
                ),
                comment_limit=500,
            ),
        ),
        _about_you(),
    ]


SMART_STREETS = SurveySpec(
    slug="smart-lamp-posts",
    title="Smart lamp posts: what should they be allowed to do?",
    introduction=(
        "New lamp posts can carry sensors and cameras. Before we decide what ours may do, tell "
        "us whether two uses are acceptable to you, and on what conditions. It takes about "
        "three minutes."
    ),
    how_answers_are_used=HOW_DATA_CHARTER_ANSWERS_ARE_USED,
    sections=_smart_streets_sections,
    opens_at=_london(2026, 11, 9),
    closes_at=_london(2026, 12, 20, 23),
    # Open for anyone trying the demo: no generated answers, so every answer is someone's own.
    answers_until=_london(2026, 11, 20, 22),
    responses=0,
    answer=_charter_answers,
)


SURVEYS: tuple[SurveySpec, ...] = (DATA_CHARTER, SPRING_WAVE, AUTUMN_WAVE, SMART_STREETS)
WAVES: tuple[SurveySpec, ...] = (SPRING_WAVE, AUTUMN_WAVE)


# --- planning responses ------------------------------------------------------------------


@dataclass
class PlannedResponse:
    response: Response
    free_text: dict[str, tuple[str, str, str]]  # question key → (text, status, reason)


def plan_responses(
    survey: SurveyPage, spec: SurveySpec, *, count: int | None = None, key: str | None = None
) -> list[PlannedResponse]:
    """The responses ``spec`` describes, for ``survey``: the same ones on every call.

    ``count`` (default: the spec's) and ``key`` (default: the slug; it seeds the generator and
    the client_uuids) let the benchmark make 100,000 of the same kind for another page.
    """
    key = key or spec.slug
    count = spec.responses if count is None else count
    rng = random.Random(f"millbrook-survey:{key}")
    comments: Comments = {name: deque(pool) for name, pool in spec.comments.items()}
    start = spec.opens_at
    end = spec.answers_until or spec.closes_at
    seconds = (end - start).total_seconds()
    planned = []
    for number in range(count):
        answered = spec.answer(rng, _resident(rng, spec.respondent_ages), comments)
        client_uuid = uuid.uuid5(NAMESPACE, f"{key}:{number}")
        channel = Channel.APP if rng.random() < 0.2 else Channel.WEB
        planned.append(
            PlannedResponse(
                Response(
                    survey=survey,
                    client_uuid=client_uuid,
                    receipt=new_receipt("S"),
                    submitted_at=start + datetime.timedelta(seconds=_when(rng) * seconds),
                    channel=channel,
                    answers=answered.answers,
                    # As the web form and the app store it: a keyed hash of a token that
                    # differs per survey. The demo's tokens are derived, never shown.
                    participant=participant_hash(survey, f"demo:{client_uuid}"),
                ),
                answered.free_text,
            )
        )
    return planned


def _when(rng: random.Random) -> float:
    """When in the survey's time a response came, from 0 (opening) to 1 (closing): a rush
    after the launch, a steady trickle, and a last push before the deadline."""
    draw = rng.random()
    if draw < 0.3:
        return rng.uniform(0, 0.15)
    if draw < 0.85:
        return rng.uniform(0, 1)
    return rng.uniform(0.88, 1)


def store_responses(
    survey: SurveyPage, planned: list[PlannedResponse], *, moderator: Any = None
) -> int:
    """Insert the planned responses that are not there yet, with their comments; leave the
    rest alone, moderators' decisions included. Returns how many were added."""
    existing = set(Response.objects.filter(survey=survey).values_list("client_uuid", flat=True))
    new = [plan for plan in planned if plan.response.client_uuid not in existing]
    if not new:
        return 0
    Response.objects.bulk_create([plan.response for plan in new], batch_size=1000)
    texts = []
    for plan in new:
        for question_key, (text, status, reason) in plan.free_text.items():
            moderated = status != PENDING
            texts.append(
                FreeTextAnswer(
                    response=plan.response,
                    question_key=question_key,
                    text=text,
                    status=status,
                    moderated_by=moderator if moderated else None,
                    moderated_at=(
                        plan.response.submitted_at + datetime.timedelta(days=2)
                        if moderated
                        else None
                    ),
                    reason=reason,
                )
            )
    FreeTextAnswer.objects.bulk_create(texts)
    return len(new)


# --- pages ---------------------------------------------------------------------------------


def survey_index(home: HomePage, publish: Callable[[Page], None]) -> SurveyIndexPage:
    index = SurveyIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=SurveyIndexPage(title=INDEX_TITLE, slug="surveys"))
    index.title = INDEX_TITLE
    index.introduction = INDEX_INTRODUCTION
    index.show_in_menus = True
    publish(index)
    index.refresh_from_db()
    return index


def survey_page(
    index: SurveyIndexPage,
    spec: SurveySpec,
    publish: Callable[[Page], None],
    *,
    series: TrackerSeries | None = None,
) -> SurveyPage:
    page = SurveyPage.objects.child_of(index).filter(slug=spec.slug).first()
    is_new = page is None
    if page is None:
        page = SurveyPage(slug=spec.slug)
    page.title = spec.title
    page.introduction = spec.introduction
    page.how_answers_are_used = spec.how_answers_are_used
    page.sections = spec.sections()
    page.opens_at = spec.opens_at
    # An open survey stays open for a few weeks whenever the demo is loaded.
    page.closes_at = (
        max(spec.closes_at, timezone.now() + datetime.timedelta(weeks=4))
        if spec.answers_until
        else spec.closes_at
    )
    page.series = series
    page.wave_label = spec.wave_label
    page.results_published = spec.results_published
    page.population_margins = POPULATION_MARGINS
    page.we_asked, page.you_said, page.we_did = spec.we_asked, spec.you_said, spec.we_did
    # The demo obeys the same rules as the editor.
    page.sections.stream_block.clean(page.sections)
    if is_new:
        index.add_child(instance=page)
    publish(page)
    page.refresh_from_db()
    return page


# --- loading -------------------------------------------------------------------------------


@dataclass
class Loaded:
    """What is in place after a run, for the command's summary line and the tests."""

    responses: dict[str, int] = field(default_factory=dict)  # slug → responses
    comments: Counter[str] = field(default_factory=Counter)  # status → comments
    added: int = 0

    def summary(self) -> str:
        per_survey = ", ".join(f"{slug} {count}" for slug, count in self.responses.items())
        comments = ", ".join(f"{count} {status}" for status, count in sorted(self.comments.items()))
        return (
            f"Surveys: {len(self.responses)} surveys ({per_survey}); "
            f"{sum(self.responses.values())} responses ({self.added} added), "
            f"comments: {comments}."
        )


def load_surveys(home: HomePage, publish: Callable[[Page], None]) -> Loaded:
    """Build the survey index, the data charter survey and the e-scooter tracker's waves."""
    loaded = Loaded()
    index = survey_index(home, publish)
    moderator = get_user_model().objects.filter(username=MODERATOR).first()
    series, _created = TrackerSeries.objects.update_or_create(
        name=SERIES_NAME, defaults={"description": SERIES_DESCRIPTION}
    )
    for spec in SURVEYS:
        page = survey_page(index, spec, publish, series=series if spec.wave_label else None)
        loaded.added += store_responses(page, plan_responses(page, spec), moderator=moderator)
        loaded.responses[spec.slug] = Response.objects.filter(survey=page).count()
    loaded.comments.update(
        FreeTextAnswer.objects.filter(
            response__survey__slug__in=[spec.slug for spec in SURVEYS]
        ).values_list("status", flat=True)
    )
    return loaded
