"""Participation codes: made in batches, unique, read back as typed, downloaded and printed."""

import csv
import io
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.core.receipts import RECEIPT_ALPHABET
from portal.core.roles import MODERATORS, PUBLISHERS, ensure_roles
from surveys import codes as codes_module
from surveys.codes import format_code, generate_codes
from surveys.models import ParticipationCode
from surveys.responses import normalise_code, submit
from tests.factories import SurveyIndexPageFactory, SurveyPageFactory

pytestmark = pytest.mark.django_db

WARNING = "Keep no record of which code went to which address"


def member_of(group_name: str):
    user = get_user_model().objects.create_user(username=group_name.lower(), password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def survey(site_tree):
    home, _register = site_tree
    ensure_roles(home)
    index = SurveyIndexPageFactory(parent=home)
    return SurveyPageFactory(
        parent=index, title="Data and you", slug="data-and-you", require_code=True
    )


@pytest.fixture
def publisher(client, survey):
    user = member_of(PUBLISHERS)
    client.force_login(user)
    return user


# --- the service -------------------------------------------------------------------------


def test_codes_are_eight_unambiguous_characters_unique_and_stored_in_one_batch(survey):
    made = generate_codes(survey, 500, batch="North ward letters")

    assert len(made) == len(set(made)) == 500
    assert all(re.fullmatch(f"[{RECEIPT_ALPHABET}]{{8}}", code) for code in made)
    stored = ParticipationCode.objects.filter(survey=survey, batch="North ward letters")
    assert set(stored.values_list("code", flat=True)) == set(made)
    assert not stored.filter(used_at__isnull=False).exists()


def test_printed_codes_read_back_as_stored_however_they_are_typed(survey):
    code = generate_codes(survey, 1, batch="Test")[0]
    printed = format_code(code)

    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", printed)
    for typed in (printed, printed.lower(), printed.replace("-", " "), f" {printed} "):
        assert normalise_code(typed) == code


def test_a_printed_code_lets_one_response_in(survey):
    code = format_code(generate_codes(survey, 1, batch="Test")[0])
    answers = {"cctv-search": {"judgement": "acceptable"}}

    first = submit(survey, answers, client_uuid=uuid.uuid4(), code=code.lower())
    second = submit(survey, answers, client_uuid=uuid.uuid4(), code=code)

    assert first.result == "created"
    assert second.result == "rejected"
    assert "already been used" in second.errors["code"][0]


def test_clashes_with_existing_codes_are_drawn_again(survey, monkeypatch):
    ParticipationCode.objects.create(survey=survey, code="AAAAAAAA", batch="Old")
    draws = iter(["AAAAAAAA", "BBBBBBBB", "AAAAAAAA", "CCCCCCCC"])
    monkeypatch.setattr(codes_module, "new_code", lambda: next(draws))

    made = generate_codes(survey, 2, batch="New")

    assert sorted(made) == ["BBBBBBBB", "CCCCCCCC"]
    assert ParticipationCode.objects.get(code="AAAAAAAA").batch == "Old"


@pytest.mark.parametrize(
    ("count", "batch", "field", "message"),
    [
        (0, "Letters", "count", "from 1 to 50,000"),
        (10**9, "Letters", "count", "make several batches"),
        (10, "  ", "batch", "Give the batch a name"),
        (10, "x" * 41, "batch", "40 characters or fewer"),
    ],
)
def test_bad_requests_are_refused_before_anything_is_made(survey, count, batch, field, message):
    with pytest.raises(ValidationError) as refused:
        generate_codes(survey, count, batch=batch)

    assert message in " ".join(refused.value.message_dict[field])
    assert not ParticipationCode.objects.exists()


def test_a_batch_name_is_used_once_per_survey(survey):
    generate_codes(survey, 3, batch="Letters")

    with pytest.raises(ValidationError) as refused:
        generate_codes(survey, 3, batch="Letters")

    assert "already has a batch called “Letters”" in str(refused.value)
    assert ParticipationCode.objects.count() == 3


# --- the admin ---------------------------------------------------------------------------


def test_making_a_batch_in_the_admin_lists_it_with_its_counts(client, publisher, survey):
    form = client.get(reverse("survey_codes:generate"), {"survey": survey.pk})
    assert WARNING in form.content.decode()

    response = client.post(
        reverse("survey_codes:generate"),
        {"survey": survey.pk, "count": "25", "batch": "South ward letters"},
    )

    assert response.status_code == 302
    assert ParticipationCode.objects.filter(batch="South ward letters").count() == 25
    ParticipationCode.objects.filter(pk=ParticipationCode.objects.first().pk).update(
        used_at="2026-03-02T10:00Z"
    )
    listing = client.get(response.url).content.decode()
    assert "South ward letters" in listing
    assert WARNING in listing
    assert re.search(r"<td>25</td>\s*<td>1</td>\s*<td>24</td>", listing)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"count": "0", "batch": "A"}, "Make at least 1 code."),
        ({"count": str(10**9), "batch": "A"}, "Make at most 50,000 codes in one batch."),
        ({"count": "lots", "batch": "A"}, "Enter a whole number of codes in figures"),
        ({"count": "", "batch": "A"}, "Enter how many codes to make"),
        ({"count": "10", "batch": ""}, "Give the batch a name"),
        ({"count": "10", "batch": "A", "survey": "999999"}, "That survey was not found"),
        ({"count": "10", "batch": "A", "survey": "not-a-number"}, "That survey was not found"),
    ],
)
def test_bad_input_shows_the_form_again_with_what_to_fix(client, publisher, survey, data, message):
    response = client.post(reverse("survey_codes:generate"), {"survey": survey.pk, **data})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ParticipationCode.objects.exists()


def test_a_second_batch_with_the_same_name_is_refused_on_the_form(client, publisher, survey):
    generate_codes(survey, 2, batch="Letters")

    response = client.post(
        reverse("survey_codes:generate"), {"survey": survey.pk, "count": "5", "batch": "Letters"}
    )

    assert response.status_code == 400
    assert "already has a batch called" in response.content.decode()
    assert ParticipationCode.objects.count() == 2


def test_the_csv_holds_each_code_as_printed_with_the_survey_address(client, publisher, survey):
    made = generate_codes(survey, 12, batch="Letters & leaflets")

    response = client.get(
        reverse("survey_codes:csv", args=[survey.pk]), {"batch": "Letters & leaflets"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(row["code"] for row in rows) == sorted(format_code(code) for code in made)
    assert {row["address"] for row in rows} == {survey.get_full_url()}
    assert {row["batch"] for row in rows} == {"Letters & leaflets"}


def test_the_printable_slips_hold_every_code_the_address_and_a_how_to(client, publisher, survey):
    made = generate_codes(survey, 12, batch="Letters")

    response = client.get(reverse("survey_codes:slips", args=[survey.pk]), {"batch": "Letters"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="slip"') == 12
    for code in made:
        assert format_code(code) in page
    assert survey.get_full_url().split("://")[1] in page
    assert "enter this code when asked" in page
    assert "@media print" in page
    assert WARNING in page
    assert "<script" not in page


def test_an_unknown_batch_or_survey_is_not_found(client, publisher, survey):
    generate_codes(survey, 2, batch="Letters")

    for url, query in [
        (reverse("survey_codes:slips", args=[survey.pk]), {"batch": "Nope"}),
        (reverse("survey_codes:csv", args=[survey.pk]), {}),
        (reverse("survey_codes:csv", args=[999999]), {"batch": "Letters"}),
    ]:
        assert client.get(url, query).status_code == 404


def test_only_staff_who_may_make_codes_see_them(client, survey):
    generate_codes(survey, 2, batch="Letters")
    client.force_login(member_of(MODERATORS))

    for url in (
        reverse("survey_codes:index"),
        reverse("survey_codes:generate"),
        reverse("survey_codes:slips", args=[survey.pk]) + "?batch=Letters",
        reverse("survey_codes:csv", args=[survey.pk]) + "?batch=Letters",
    ):
        assert client.get(url).status_code in (302, 403)
    response = client.post(
        reverse("survey_codes:generate"), {"survey": survey.pk, "count": "5", "batch": "More"}
    )
    assert response.status_code in (302, 403)
    assert ParticipationCode.objects.count() == 2


def test_the_survey_in_the_page_listing_links_to_its_codes(client, publisher, survey):
    listing = client.get(reverse("wagtailadmin_explore", args=[survey.get_parent().pk]))

    assert f"{reverse('survey_codes:index')}?survey={survey.pk}" in listing.content.decode()
