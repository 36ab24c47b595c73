"""Staff exports: responses as CSV with a codebook; nothing that leads to a person."""

import csv
import datetime
import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from surveys.export import codebook_rows, csv_lines, response_rows
from surveys.models import FreeTextAnswer, ParticipationCode, Response
from surveys.responses import submit
from tests.factories import SurveyIndexPageFactory, SurveyPageFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "receipt",
    "submitted_on",
    "channel",
    "cctv-search",
    "cctv-search.condition.audit",
    "cctv-search.condition.delete-30",
    "cctv-search.comment",
    "trust",
    "travel",
    "worries.speed",
    "worries.parking",
    "worries.noise",
    "priorities.safety",
    "priorities.privacy",
    "priorities.cost",
    "anything-else",
    "age",
    "ward",
]


@pytest.fixture
def survey(site_tree):
    index = SurveyIndexPageFactory(parent=site_tree[0])
    survey = SurveyPageFactory(parent=index, slug="data-and-you", require_code=True)
    for code in ("AAAA2222", "BBBB3333", "CCCC4444"):
        ParticipationCode.objects.create(survey=survey, code=code, batch="letters-1")
    return survey


def answer(survey, answers, *, code, channel="web", token=""):
    outcome = submit(
        survey,
        answers,
        client_uuid=uuid.uuid4(),
        channel=channel,
        participant_token=token,
        code=code,
    )
    assert outcome.result == "created", outcome.errors
    return outcome.receipt


def moderate(receipt: str, key: str, status: str) -> None:
    FreeTextAnswer.objects.filter(response__receipt=receipt, question_key=key).update(status=status)


@pytest.fixture
def receipts(survey):
    full = answer(
        survey,
        {
            "cctv-search": {
                "judgement": "acceptable_with_conditions",
                "conditions": ["delete-30"],
                "comment": "Only with a time limit.",
            },
            "trust": "agree",
            "travel": "prefer_not_to_say",
            "worries": ["noise", "speed"],
            "priorities": ["privacy", "safety"],
            "anything-else": '=HYPERLINK("http://evil.example", "click")',
            "age": "35-54",
            "ward": "north",
        },
        code="AAAA-2222",
        channel="app",
        token="install-one-token",
    )
    moderate(full, "anything-else", "published")
    moderate(full, "cctv-search", "withheld")
    short = answer(
        survey,
        {"cctv-search": {"judgement": "not_acceptable"}, "anything-else": "Pending words."},
        code="BBBB3333",
    )
    published_comment = answer(
        survey,
        {"cctv-search": {"judgement": "not_sure", "comment": "Who checks it?"}},
        code="CCCC4444",
    )
    moderate(published_comment, "cctv-search", "published")
    return {"full": full, "short": short, "comment": published_comment}


def read(lines) -> list[list[str]]:
    text = "".join(lines)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def by_receipt(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    header, *body = rows
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


def test_one_row_per_response_with_a_column_per_countable_answer(survey, receipts):
    rows = read(csv_lines(response_rows(survey)))
    assert rows[0] == HEADER
    found = by_receipt(rows)
    assert set(found) == set(receipts.values())

    full = found[receipts["full"]]
    assert full["submitted_on"] == timezone.localdate().isoformat()
    assert full["channel"] == "app"
    assert full["cctv-search"] == "acceptable_with_conditions"
    assert (full["cctv-search.condition.audit"], full["cctv-search.condition.delete-30"]) == (
        "0",
        "1",
    )
    assert (full["trust"], full["travel"], full["age"], full["ward"]) == (
        "agree",
        "prefer_not_to_say",
        "35-54",
        "north",
    )
    assert [full[f"worries.{k}"] for k in ("speed", "parking", "noise")] == ["1", "0", "1"]
    assert [full[f"priorities.{k}"] for k in ("safety", "privacy", "cost")] == ["2", "1", ""]

    short = found[receipts["short"]]
    assert short["channel"] == "web"
    assert short["cctv-search"] == "not_acceptable"
    # Conditions belong to "acceptable, but only with conditions"; unanswered is blank, not 0.
    assert short["cctv-search.condition.audit"] == ""
    assert [short[f"worries.{k}"] for k in ("speed", "parking", "noise")] == ["", "", ""]
    assert (short["trust"], short["priorities.safety"], short["age"]) == ("", "", "")


def test_free_text_appears_only_once_published(survey, receipts):
    found = by_receipt(read(csv_lines(response_rows(survey))))
    # Published, and made safe to open in a spreadsheet.
    assert (
        found[receipts["full"]]["anything-else"] == '\'=HYPERLINK("http://evil.example", "click")'
    )
    assert found[receipts["full"]]["cctv-search.comment"] == ""  # withheld
    assert found[receipts["short"]]["anything-else"] == ""  # pending
    assert found[receipts["comment"]]["cctv-search.comment"] == "Who checks it?"


def test_nothing_leads_to_a_person(survey, receipts):
    text = "".join(csv_lines(response_rows(survey)))
    stored = Response.objects.get(receipt=receipts["full"])
    assert stored.participant
    assert stored.participant not in text
    assert "install-one-token" not in text
    for code in ("AAAA2222", "AAAA-2222", "BBBB3333", "CCCC4444"):
        assert code not in text
    # The day, never the time.
    assert stored.submitted_at.strftime("%H:%M") not in text
    assert "T" not in by_receipt(read([text]))[receipts["full"]]["submitted_on"]


def test_within_a_day_rows_are_in_receipt_order_not_arrival_order(survey, receipts):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Response.objects.filter(receipt=receipts["comment"]).update(submitted_at=yesterday)
    rows = read(csv_lines(response_rows(survey)))[1:]
    assert [row[0] for row in rows] == [
        receipts["comment"],
        *sorted([receipts["full"], receipts["short"]]),
    ]
    assert rows[0][1] == timezone.localdate(yesterday).isoformat()


def test_the_codebook_explains_every_column_and_value(survey, receipts):
    header, *entries = read(csv_lines(codebook_rows(survey)))
    assert header == ["column", "question_key", "question_text", "kind", "value", "label", "notes"]
    # The same columns, in the same order, as the responses file.
    columns = list(dict.fromkeys(entry[0] for entry in entries))
    assert columns == HEADER

    def values(column: str) -> dict[str, str]:
        return {e[4]: e[5] for e in entries if e[0] == column}

    def notes(column: str) -> str:
        return next(e[6] for e in entries if e[0] == column)

    assert values("travel") == {
        "walk": "Walking",
        "bus": "Bus",
        "car": "Car",
        "prefer_not_to_say": "Prefer not to say",
    }
    assert values("trust")["neither"] == "Neither agree nor disagree"
    assert values("channel") == {"web": "Web form", "app": "App"}
    assert values("cctv-search")["acceptable_with_conditions"] == (
        "Acceptable, but only with conditions"
    )
    assert values("cctv-search.condition.audit") == {
        "1": "Attached: An independent audit each year",
        "0": "Not attached",
    }
    assert values("worries.parking") == {"1": "Chosen: Parking on pavements", "0": "Not chosen"}
    assert values("priorities.cost") == {
        "1": "Place 1 of 3",
        "2": "Place 2 of 3",
        "3": "Place 3 of 3",
    }
    assert "worries" not in values("worries.parking")
    assert "published answers only" in notes("anything-else")
    assert "published comments only" in notes("cctv-search.comment")
    assert "time is left out" in notes("submitted_on")
    entry = next(e for e in entries if e[0] == "worries.noise")
    assert entry[1:4] == ["worries", "What worries you about e-scooters?", "multiple_choice"]


# --- the admin pages -----------------------------------------------------------------------


def staff(username: str, *, may_view_responses: bool):
    user = get_user_model().objects.create_user(username=username, password="x")
    group = Group.objects.create(name=f"{username} group")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if may_view_responses:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="surveys", codename="view_response")
        )
    user.groups.add(group)
    return user


def test_analysts_download_responses_and_codebook(client, survey, receipts):
    client.force_login(staff("analyst", may_view_responses=True))

    index = client.get(reverse("survey_exports:index"))
    assert index.status_code == 200
    page = index.content.decode()
    assert survey.title in page
    assert reverse("survey_exports:responses", args=[survey.pk]) in page

    download = client.get(reverse("survey_exports:responses", args=[survey.pk]))
    assert download.status_code == 200
    assert download.streaming
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "private" in download["Cache-Control"]
    assert "no-store" in download["Cache-Control"]
    assert 'filename="data-and-you-responses-' in download["Content-Disposition"]
    rows = read(chunk.decode() for chunk in download.streaming_content)
    assert rows[0] == HEADER
    assert len(rows) == 4

    codebook = client.get(reverse("survey_exports:codebook", args=[survey.pk]))
    assert codebook.status_code == 200
    assert 'filename="data-and-you-codebook-' in codebook["Content-Disposition"]


@pytest.mark.parametrize("name", ["index", "responses", "codebook"])
def test_staff_without_the_permission_get_nothing(client, survey, receipts, name):
    args = [] if name == "index" else [survey.pk]
    url = reverse(f"survey_exports:{name}", args=args)
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert not getattr(anonymous, "streaming", False)

    client.force_login(staff("editor", may_view_responses=False))
    refused = client.get(url, follow=True)
    assert "do not have permission" in refused.content.decode()
    assert receipts["full"] not in refused.content.decode()
