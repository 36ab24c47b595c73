"""Answering a survey on the web, one section per page, with JavaScript on or off.

The GOV.UK "question pages" pattern: the survey's page has a "Start now" button (after a
participation code when the survey needs one); each section is a page of its own whose
"Continue" checks just that section and keeps its answers in the session; "Check your answers"
lists them all with "Change" links, and "Send" hands them to ``responses.submit``, the same
function the app's API uses. The confirmation is fetched after a redirect (POST-redirect-GET),
so a refresh never sends the answers again.

Nothing about the person is kept: the session holds the answers only until they are sent,
the rate limit counts a daily keyed hash of the connection's address in the cache, and the
participant cookie is a random token (see ``participant_token``).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.throttling import DailyAddressThrottle

from .definition import QuestionDefinition
from .forms import SectionForm
from .models import ParticipationCode, Response, SurveyPage
from .responses import Outcome, normalise_code, participant_hash, submit

SESSION_KEY = "surveys_web"
PARTICIPANT_COOKIE = "ps_participant"
# Long enough to outlast any survey, short enough for browsers to honour (Chrome caps at 400).
PARTICIPANT_COOKIE_AGE = 400 * 24 * 60 * 60
DEFAULT_RATE = "60/hour"


class SurveyResponseThrottle(DailyAddressThrottle):
    """Answers sent from the web form, counted per daily address key as the API counts them.

    Like ``citizen_science.web_form.WebReadingThrottle``: no address is kept, only a keyed hash
    that changes every day. The rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    ["survey_responses"]`` (from ``THROTTLE_SURVEY_RESPONSES``) when set.
    """

    scope = "survey_responses"
    default_rate = DEFAULT_RATE


class Progress:
    """This browser's answers to one survey so far, kept in the session until they are sent.

    ``sections`` maps a section's number to its checked raw answers; a section is there once
    its "Continue" succeeded. ``client_uuid`` is made once per set of answers, so sending them
    twice (a double click, the back button) finds the first response and its receipt.
    """

    def __init__(self, request: HttpRequest, page: SurveyPage) -> None:
        self.request = request
        self.key = str(page.pk)
        state = request.session.get(SESSION_KEY, {}).get(self.key, {})
        self.sections: dict[str, dict[str, Any]] = dict(state.get("sections", {}))
        self.client_uuid: str = state.get("client_uuid") or str(uuid.uuid4())
        self.code: str = state.get("code", "")
        self.receipt: str = state.get("receipt", "")

    def save(self) -> None:
        everything = dict(self.request.session.get(SESSION_KEY, {}))
        everything[self.key] = {
            "sections": self.sections,
            "client_uuid": self.client_uuid,
            "code": self.code,
            "receipt": self.receipt,
        }
        self.request.session[SESSION_KEY] = everything

    def answers(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for section in self.sections.values():
            merged.update(section)
        return merged

    def start_again(self) -> None:
        """After a response was sent: a new set of answers gets a new client_uuid."""
        self.sections, self.receipt, self.code = {}, "", ""
        self.client_uuid = str(uuid.uuid4())

    def first_unanswered(self, count: int) -> int | None:
        return next((n for n in range(1, count + 1) if str(n) not in self.sections), None)


# --- the participant cookie ------------------------------------------------------------------


def participant_token(request: HttpRequest) -> str:
    """This browser's participant token, made on first use.

    The cookie holds a random value and nothing about the person: not who they are, not what
    they answered. The server keeps it only as a keyed hash per survey
    (``responses.participant_hash``), enough to refuse a second response from this browser and
    useless for following anyone from one survey to another.
    """
    token = request.COOKIES.get(PARTICIPANT_COOKIE, "")
    if not (16 <= len(token) <= 64):
        token = getattr(request, "_survey_participant", "") or secrets.token_urlsafe(32)
        request._survey_participant = token  # type: ignore[attr-defined]
    return token


def _set_participant_cookie(request: HttpRequest, page: SurveyPage, response: HttpResponse) -> None:
    token = participant_token(request)
    if request.COOKIES.get(PARTICIPANT_COOKIE) == token:
        return
    parent = page.get_parent()
    path = urlsplit(parent.get_url(request=request) or "/").path if parent else "/"
    response.set_cookie(
        PARTICIPANT_COOKIE,
        token,
        max_age=PARTICIPANT_COOKIE_AGE,
        path=path or "/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def _already_answered(request: HttpRequest, page: SurveyPage) -> bool:
    token = request.COOKIES.get(PARTICIPANT_COOKIE)
    if not token:
        return False
    return Response.objects.filter(survey=page, participant=participant_hash(page, token)).exists()


# --- addresses ----------------------------------------------------------------------------------


def _url(request: HttpRequest, page: SurveyPage, name: str = "", *args: Any) -> str:
    base = page.get_url(request=request)
    return base + page.reverse_subpage(name, args=args) if name else base


def _see_other(url: str) -> HttpResponseRedirect:
    # 303: the browser fetches the next page with GET, so a refresh never posts again.
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# --- the views -----------------------------------------------------------------------------------


def answer_section(request: HttpRequest, page: SurveyPage, number: int) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    definition = page.definition
    if not 1 <= number <= len(definition.sections):
        raise Http404
    if not page.is_open():
        return _closed(request, page)
    progress = Progress(request, page)
    if request.method == "POST" and "start" in request.POST:
        return _start(request, page, progress)
    if number == 1 and request.method != "POST" and _already_answered(request, page):
        return _start_page(request, page, already_answered=True)
    if page.require_code and not progress.code:
        return _see_other(_url(request, page))
    if progress.receipt:
        progress.start_again()
        progress.save()

    if request.method != "POST":
        form = SectionForm(definition, number, answers=progress.sections.get(str(number)))
        return _show_section(request, page, form, changing="change" in request.GET)

    form = SectionForm(definition, number, data=request.POST)
    changing = "change" in request.POST
    if not form.is_valid():
        return _show_section(request, page, form, changing=changing)
    progress.sections[str(number)] = form.raw_answers()
    progress.save()
    if changing or number == len(definition.sections):
        following = progress.first_unanswered(len(definition.sections))
        if following is not None and following != number:
            return _see_other(_url(request, page, "answer_section", following))
        return _see_other(_url(request, page, "check_answers"))
    return _see_other(_url(request, page, "answer_section", number + 1))


def check_answers(request: HttpRequest, page: SurveyPage) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not page.is_open():
        return _closed(request, page)
    progress = Progress(request, page)
    if progress.receipt and not progress.sections:
        # Sent already, and the confirmation was shown: show it again rather than an empty form.
        return _see_other(_url(request, page, "sent"))
    if page.require_code and not progress.code:
        return _see_other(_url(request, page))
    unanswered = progress.first_unanswered(len(page.definition.sections))
    if unanswered is not None:
        return _see_other(_url(request, page, "answer_section", unanswered))
    if request.method != "POST":
        if _already_answered(request, page) and not progress.receipt:
            return _start_page(request, page, already_answered=True)
        return _show_check(request, page, progress)

    throttle = SurveyResponseThrottle()
    if not throttle.allow_request(request, None):
        return _too_many(request, page, throttle.wait())
    outcome = submit(
        page,
        progress.answers(),
        client_uuid=uuid.UUID(progress.client_uuid),
        participant_token=participant_token(request),
        code=progress.code,
    )
    if outcome.result != "rejected":
        progress.receipt = outcome.receipt or ""
        progress.save()
        response = _see_other(_url(request, page, "sent"))
        _set_participant_cookie(request, page, response)
        return response
    return _rejected(request, page, progress, outcome)


def sent(request: HttpRequest, page: SurveyPage) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    progress = Progress(request, page)
    if not progress.receipt:
        # An old bookmark, or another browser: offer the survey rather than someone's receipt.
        return _see_other(_url(request, page))
    if progress.sections or progress.code:
        # The answers are in the database now; the session keeps only the receipt to show.
        progress.sections, progress.code = {}, ""
        progress.save()
    return render(
        request,
        "surveys/sent.html",
        {"page": page, "receipt": progress.receipt, "closes_at": page.closes_at},
    )


# --- pieces ----------------------------------------------------------------------------------


def _start(request: HttpRequest, page: SurveyPage, progress: Progress) -> HttpResponse:
    """The start page's form: check the participation code before the first question."""
    if _already_answered(request, page):
        return _start_page(request, page, already_answered=True)
    if page.require_code:
        typed = request.POST.get("code", "")
        problem = _code_problem(page, typed)
        if problem:
            return _start_page(request, page, code_error=problem, code=typed)
        progress.code = normalise_code(typed)
        progress.save()
    response = _see_other(_url(request, page, "answer_section", 1))
    _set_participant_cookie(request, page, response)
    return response


def _code_problem(page: SurveyPage, typed: str) -> str | None:
    """What is wrong with a typed code, in the words ``submit`` uses; it is claimed only then."""
    code = normalise_code(typed)
    if not code:
        return _("Enter the code printed on your invitation letter, e.g. K7Q2-MX9P.")
    row = ParticipationCode.objects.filter(survey=page, code=code).first()
    if row is None:
        return _("This code is not one of this survey's. Check it against your letter.")
    if row.used_at is not None:
        return _("This code has already been used. Each code is for one response.")
    return None


def _start_page(
    request: HttpRequest,
    page: SurveyPage,
    *,
    code_error: str = "",
    code: str = "",
    already_answered: bool = False,
) -> HttpResponse:
    """The survey's own page, with an error or a notice from a form sent from it."""
    response = page.render(
        request,
        context_overrides={
            "code_error": code_error,
            "code_value": code,
            "already_answered": already_answered,
        },
    )
    _set_participant_cookie(request, page, response)
    return response


def _show_section(
    request: HttpRequest, page: SurveyPage, form: SectionForm, *, changing: bool
) -> HttpResponse:
    count = len(page.definition.sections)
    if changing:
        back = _url(request, page, "check_answers")
    elif form.number > 1:
        back = _url(request, page, "answer_section", form.number - 1)
    else:
        back = _url(request, page)
    response = render(
        request,
        "surveys/answer_section.html",
        {
            "page": page,
            "form": form,
            "section": form.section,
            "number": form.number,
            "count": count,
            "changing": changing,
            "back_url": back,
            "action": _url(request, page, "answer_section", form.number),
            "error_links": form.error_links(),
        },
    )
    _set_participant_cookie(request, page, response)
    return response


def _show_check(
    request: HttpRequest, page: SurveyPage, progress: Progress, error: str = ""
) -> HttpResponse:
    definition = page.definition
    sections = []
    for number, section in enumerate(definition.sections, start=1):
        answers = progress.sections.get(str(number), {})
        sections.append(
            {
                "heading": section.heading,
                "change_url": _url(request, page, "answer_section", number) + "?change",
                "rows": [
                    {"question": q, "answer": _summary(q, answers.get(q.key))}
                    for q in section.questions
                ],
            }
        )
    response = render(
        request,
        "surveys/check_answers.html",
        {
            "page": page,
            "sections": sections,
            "error": error,
            "back_url": _url(request, page, "answer_section", len(definition.sections)),
            "action": _url(request, page, "check_answers"),
        },
    )
    _set_participant_cookie(request, page, response)
    return response


def _summary(question: QuestionDefinition, value: Any) -> dict[str, Any]:
    """An answer as the summary list shows it: lines, a list, a list in order, or nothing."""
    if value in (None, "", [], {}):
        return {"empty": True}
    if question.kind == "scenario":
        lines = [question.label_of(value["judgement"])] if value.get("judgement") else []
        conditions = [question.label_of(key) for key in value.get("conditions", [])]
        return {"lines": lines, "bullets": conditions, "text": value.get("comment", "")}
    if question.kind == "ranking":
        return {"ordered": [question.label_of(key) for key in value]}
    if question.kind == "multiple_choice":
        return {"bullets": [question.label_of(key) for key in value]}
    if question.kind == "free_text":
        return {"text": value}
    return {"lines": [question.label_of(value)]}


def _rejected(
    request: HttpRequest, page: SurveyPage, progress: Progress, outcome: Outcome
) -> HttpResponse:
    """Take a refusal from ``submit`` back to where it can be put right."""
    errors = outcome.errors
    if "survey" in errors:
        return _closed(request, page)
    if "participant" in errors:
        return _start_page(request, page, already_answered=True)
    if "code" in errors:
        progress.code = ""
        progress.save()
        return _start_page(request, page, code_error=errors["code"][0])
    definition = page.definition
    for number, section in enumerate(definition.sections, start=1):
        keys = {question.key for question in section.questions}
        if keys & set(errors):
            form = SectionForm(definition, number, answers=progress.sections.get(str(number)))
            form.add_errors(errors)
            return _show_section(request, page, form, changing=True)
    message = next(iter(errors.values()))[0]
    return _show_check(request, page, progress, error=message)


def _closed(request: HttpRequest, page: SurveyPage) -> HttpResponse:
    return render(
        request,
        "surveys/closed.html",
        {"page": page, "not_yet_open": timezone.now() < page.opens_at},
    )


def _too_many(request: HttpRequest, page: SurveyPage, wait: float | None) -> HttpResponse:
    minutes = max(1, round((wait or 60) / 60))
    response = render(
        request, "surveys/too_many.html", {"page": page, "minutes": minutes}, status=429
    )
    response["Retry-After"] = str(round(wait or 60))
    return response
