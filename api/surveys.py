"""Surveys in the API: what is open, a survey's full definition to answer offline, and responses.

Thin views over ``surveys``: the definition comes from ``SurveyPage.definition`` and responses
go through ``surveys.responses.submit``, the same path as the web form. Responses are anonymous:
no authentication, and nothing here reads or keeps the address a response came from (the rate
limit uses a key that changes daily).
"""

from __future__ import annotations

import datetime
import io
import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.links import public_url
from portal.core.visibility import visible_to_public
from surveys.definition import PREFER_NOT_TO_SAY_LABEL, QuestionDefinition
from surveys.estimates import PREFER_NOT_TO_SAY
from surveys.models import Channel, SurveyPage
from surveys.responses import Outcome, submit
from surveys.validation import check_answers

from . import shapes
from .throttling import SurveyResponseThrottle

# A response is a few kilobytes; the largest honest one (many long free-text answers, with
# non-Latin text escaped as \uXXXX) stays well under this.
MAX_BODY_BYTES = 512 * 1024
PARTICIPANT_TOKEN_LENGTH = (16, 200)
CODE_MAX_LENGTH = 40
# A body full of made-up keys gets a short answer, not an error per key.
MOST_ERRORS_SHOWN = 30
BODY_FIELDS = ("client_uuid", "answers", "participant_token", "code")

ERROR = shapes.ERROR

ANSWER_FORMATS = """
**Answer formats**, in `answers` under each question's `key`:

- `scenario`: `{"judgement": "<judgement>", "conditions": ["<condition key>"], "comment": "…"}`
  where the judgement is `acceptable`, `acceptable_with_conditions`, `not_acceptable` or
  `not_sure`. `conditions` go only with `acceptable_with_conditions`; `comment` only when the
  question's `limit` is above 0, up to `limit` characters. A bare judgement string is accepted.
- `likert`, `single_choice`: one option key, e.g. `"agree"`, or `"prefer_not_to_say"`.
- `demographic`: one option key or `"prefer_not_to_say"`; never required.
- `multiple_choice`: a list of option keys, each once, at most `most_choices` of them.
- `ranking`: a list of option keys, most preferred first; options left out are not ranked.
- `free_text`: a string of up to `limit` characters.

Leave out (or send `null` for) a question the person skipped; a question with
`required: true` must be answered. Free text (free-text answers and scenario comments) is read
by a moderator before anything is published.
"""


# --- what the app downloads ----------------------------------------------------------------


def public_surveys() -> QuerySet[SurveyPage]:
    return visible_to_public(SurveyPage.objects.live()).select_related("series")


def survey_summary(survey: SurveyPage, request: Request | None = None) -> dict[str, Any]:
    url = public_url(survey, request)
    return {
        "slug": survey.slug,
        "title": survey.title,
        "introduction": survey.introduction,
        "opens_at": survey.opens_at.isoformat(),
        "closes_at": survey.closes_at.isoformat(),
        "is_open": survey.is_open(),
        "require_code": survey.require_code,
        "results_published": survey.results_published,
        "series": survey.series.name if survey.series else None,
        "wave": survey.wave_label or None,
        "url": url,
        "results_url": (
            f"{url}{survey.reverse_subpage('results').lstrip('/')}"
            if url and survey.results_published
            else None
        ),
    }


def question_definition(question: QuestionDefinition) -> dict[str, Any]:
    # Every question carries every field, null or empty where it does not apply, so an app
    # can read them all with one shape.
    return {
        "key": question.key,
        "kind": question.kind,
        "text": question.text,
        "hint": question.hint,
        "required": question.required,
        "options": [{"key": option.key, "label": option.label} for option in question.options],
        "prefer_not_to_say": (
            {"key": PREFER_NOT_TO_SAY, "label": _(PREFER_NOT_TO_SAY_LABEL)}
            if question.offers_prefer_not_to_say
            else None
        ),
        "most_choices": question.most_choices if question.kind == "multiple_choice" else None,
        "limit": question.limit if question.kind in {"free_text", "scenario"} else None,
        "vignette": question.vignette if question.kind == "scenario" else None,
        "conditions": [
            {"key": option.key, "label": option.label} for option in question.conditions
        ],
        "dimension": question.dimension if question.kind == "demographic" else None,
    }


def survey_definition(survey: SurveyPage, request: Request | None = None) -> dict[str, Any]:
    return {
        **survey_summary(survey, request),
        "how_answers_are_used": survey.how_answers_are_used,
        "what_is_stored": _(
            "Only the answers, the day and time they arrived and whether they came from the web "
            "or the app. No name, e-mail address, IP address or device details. Written answers "
            "are read by a moderator before anything is published."
        ),
        "sections": [
            {
                "heading": section.heading,
                "introduction": section.introduction,
                "questions": [question_definition(q) for q in section.questions],
            }
            for section in survey.definition.sections
        ],
    }


def survey_or_404(slug: str) -> SurveyPage:
    survey = public_surveys().filter(slug=slug).first()
    if survey is None:
        raise exceptions.NotFound(
            _("No survey has this slug. GET /api/v1/surveys/ lists the surveys and their slugs.")
        )
    return survey


class SurveysView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="surveys_list",
        summary="Surveys",
        description=(
            "Published surveys: open ones first (closing soonest first), then those not yet "
            "open, then closed ones (most recently closed first). `is_open` says whether "
            "responses are taken now; `require_code` that each response needs the one-time "
            "code printed on a postal invitation."
        ),
        responses={200: shapes.SURVEYS},
    )
    def get(self, request: Request) -> Response:
        now = timezone.now()
        surveys = sorted(public_surveys(), key=lambda survey: _listing_order(survey, now))
        return Response({"surveys": [survey_summary(survey, request) for survey in surveys]})


def _listing_order(survey: SurveyPage, now: datetime.datetime) -> tuple[int, float]:
    if survey.is_open(now):
        return (0, survey.closes_at.timestamp())
    if now < survey.opens_at:
        return (1, survey.opens_at.timestamp())
    return (2, -survey.closes_at.timestamp())


class SurveyView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="survey_retrieve",
        summary="A survey's full definition, to answer it offline",
        description=(
            "Everything an app needs to show the survey and check answers before sending: "
            "sections in order, and each question's `key`, `kind`, text, hint, options with "
            "labels, whether `prefer_not_to_say` is offered, `limit` (characters of free text "
            "or of a scenario's comment; 0 means the scenario takes no comment), `most_choices`, "
            "and for scenarios the `vignette`, the four judgements (as `options`) and the "
            "`conditions` people may attach. `how_answers_are_used` is the council's own "
            "statement of who reads the answers, what is published and how long they are "
            "kept; show it before the first question.\n" + ANSWER_FORMATS
        ),
        responses={200: shapes.SurveyDefinition, 404: ERROR},
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(survey_definition(survey_or_404(slug), request))


# --- responses -----------------------------------------------------------------------------


class BoundedJSONParser(JSONParser):
    """JSON only, read up to ``MAX_BODY_BYTES``, and any body that cannot be read is a 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            raise exceptions.ParseError(
                _("The body is larger than %(size)d KB. A survey response is far smaller.")
                % {"size": MAX_BODY_BYTES // 1024}
            )
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError(_("The JSON is nested too deeply to read.")) from error


class SurveyResponsesView(APIView):
    authentication_classes: list = []
    parser_classes = [BoundedJSONParser]
    throttle_classes = [SurveyResponseThrottle]
    throttle_scope = "survey_responses"

    @extend_schema(
        operation_id="survey_responses_create",
        summary="Send one person's answers to a survey",
        description=(
            "Anonymous: no authentication, and no name, e-mail or address is stored.\n\n"
            "- `client_uuid`: made on the device when the person finishes, kept with the "
            "queued response and sent unchanged on every retry. Sending it again returns the "
            "original receipt (200, `duplicate`) and stores nothing new.\n"
            "- `participant_token`: an opaque random string of 16 to 200 characters the app "
            "makes once per installation and keeps, the same for every survey. It allows one "
            "response per survey from each installation; the server keeps only a keyed hash "
            "of it that differs per survey, so it cannot follow anyone between surveys.\n"
            "- `code`: the one-time code printed on a postal invitation, needed when the survey "
            "has `require_code`; spaces, dashes and letter case do not matter.\n\n"
            "**Outcomes.** 201 `created` with a receipt to show the person. 200 `duplicate`: "
            "already received, with the original receipt. 400 `rejected`: something in the body "
            "needs changing, with `errors` per question key (or per field) that say how; keep "
            "the response and let the person fix it. 409 `rejected`: it can never be accepted "
            "(the survey is closed or not open yet, or this installation has already answered); "
            "remove it from the outbox and tell the person. 415: send `Content-Type: "
            "application/json`. 429: too many responses from one connection; keep the queue "
            "and try again after `Retry-After` seconds (by default 60 an hour per connection, "
            "enough for a queue sent at once).\n" + ANSWER_FORMATS
        ),
        request=inline_serializer(
            "SurveyResponseCreate",
            {
                "client_uuid": serializers.UUIDField(
                    help_text="Made on the device for this response; the same on every retry."
                ),
                "answers": serializers.DictField(
                    help_text="Question key → answer, in the formats above."
                ),
                "participant_token": serializers.CharField(
                    min_length=PARTICIPANT_TOKEN_LENGTH[0],
                    max_length=PARTICIPANT_TOKEN_LENGTH[1],
                    help_text=(
                        "An opaque random string the app makes once per installation and keeps. "
                        "Stored only as a keyed hash, different for each survey."
                    ),
                ),
                "code": serializers.CharField(
                    required=False,
                    allow_null=True,
                    max_length=CODE_MAX_LENGTH,
                    help_text="The code from a postal invitation, when the survey needs one.",
                ),
            },
        ),
        responses={
            201: inline_serializer(
                "SurveyResponseReceipt",
                {
                    "result": serializers.CharField(help_text="created"),
                    "receipt": serializers.CharField(),
                    "submitted_at": serializers.DateTimeField(),
                },
            ),
            200: inline_serializer(
                "SurveyResponseDuplicate",
                {
                    "result": serializers.CharField(help_text="duplicate"),
                    "receipt": serializers.CharField(),
                    "submitted_at": serializers.DateTimeField(),
                },
            ),
            400: inline_serializer(
                "SurveyResponseRejected",
                {
                    "result": serializers.CharField(help_text="rejected"),
                    "detail": serializers.CharField(),
                    "errors": serializers.DictField(
                        child=serializers.ListField(child=serializers.CharField())
                    ),
                },
            ),
            409: inline_serializer(
                "SurveyResponseRefused",
                {
                    "result": serializers.CharField(help_text="rejected"),
                    "detail": serializers.CharField(),
                    "errors": serializers.DictField(
                        child=serializers.ListField(child=serializers.CharField())
                    ),
                },
            ),
            404: ERROR,
            415: ERROR,
            429: ERROR,
        },
        examples=[
            OpenApiExample(
                "A response",
                request_only=True,
                value={
                    "client_uuid": "1b4e28ba-2fa1-41d2-883f-0016d3cca427",
                    "participant_token": "q3V8w1mZpK0yT7rX2bN6cH4j",
                    "answers": {
                        "cctv-search": {
                            "judgement": "acceptable_with_conditions",
                            "conditions": ["audit"],
                        },
                        "trust": "agree",
                        "worries": ["speed", "parking"],
                        "priorities": ["privacy", "safety"],
                        "age": "prefer_not_to_say",
                    },
                },
            )
        ],
    )
    def post(self, request: Request, slug: str) -> Response:
        survey = survey_or_404(slug)
        try:
            data = request.data
        except exceptions.ParseError as error:
            return rejected({"body": [str(error.detail)]})
        body, errors = read_body(data)
        if errors:
            # Say everything that needs changing at once, answers included.
            if isinstance(body["answers"], dict):
                errors = {**check_answers(survey.definition, body["answers"]).errors, **errors}
            return rejected(errors)
        outcome = submit(
            survey,
            body["answers"],
            client_uuid=body["client_uuid"],
            channel=Channel.APP,
            participant_token=body["participant_token"],
            code=body["code"],
        )
        return outcome_response(outcome)


def read_body(data: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The body's fields, checked for type and size, or an error per field that says how to fix."""
    if not isinstance(data, dict):
        return {"answers": None}, {
            "body": [
                _(
                    "Send a JSON object with client_uuid, answers and participant_token, "
                    "and code when the survey needs one."
                )
            ]
        }
    errors: dict[str, list[str]] = {}
    for name in sorted(set(data) - set(BODY_FIELDS), key=str)[:MOST_ERRORS_SHOWN]:
        errors[str(name)[:60]] = [
            _(
                "This field is not used. Send only client_uuid, answers, participant_token "
                "and code; nothing else about the person is taken."
            )
        ]
    body: dict[str, Any] = {}
    try:
        body["client_uuid"] = uuid.UUID(data.get("client_uuid"))
    except (TypeError, ValueError, AttributeError):
        errors["client_uuid"] = [
            _(
                "Give the response a UUID made on the device, e.g. "
                "“1b4e28ba-2fa1-41d2-883f-0016d3cca427”, and send the same one on every retry."
            )
        ]
    answers = data.get("answers")
    if not isinstance(answers, dict):
        errors["answers"] = [
            _('Send the answers as a JSON object, e.g. {"question-key": "option-key"}.')
        ]
    body["answers"] = answers
    token = data.get("participant_token")
    low, high = PARTICIPANT_TOKEN_LENGTH
    if not isinstance(token, str) or not low <= len(token) <= high:
        errors["participant_token"] = [
            _(
                "Send the participant_token the app made once when it was installed: a random "
                "string of %(low)d to %(high)d characters, the same for every survey."
            )
            % {"low": low, "high": high}
        ]
    body["participant_token"] = token
    code = data.get("code")
    if code is not None and (not isinstance(code, str) or len(code) > CODE_MAX_LENGTH):
        errors["code"] = [
            _("Give the code as it is printed on the invitation letter, e.g. “K7Q2-MX9P”.")
        ]
    body["code"] = code or ""
    return body, errors


def outcome_response(outcome: Outcome) -> Response:
    if outcome.result == "created":
        return Response(outcome.as_dict(), status=status.HTTP_201_CREATED)
    if outcome.result == "duplicate":
        return Response(outcome.as_dict(), status=status.HTTP_200_OK)
    return rejected(outcome.errors)


def rejected(errors: dict[str, list[str]]) -> Response:
    if "survey" in errors or "participant" in errors:
        detail = _("This response cannot be accepted. Nothing has been stored.")
        code = status.HTTP_409_CONFLICT
    else:
        detail = _("Something in the response needs changing; nothing has been stored. See errors.")
        code = status.HTTP_400_BAD_REQUEST
    shown = dict(list(errors.items())[:MOST_ERRORS_SHOWN])
    if len(errors) > MOST_ERRORS_SHOWN:
        detail += " " + _("%(count)d more problems are not shown.") % {
            "count": len(errors) - MOST_ERRORS_SHOWN
        }
    return Response({"result": "rejected", "detail": detail, "errors": shown}, status=code)
