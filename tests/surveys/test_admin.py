"""The survey comments queue, as a moderator uses it through the real admin URLs."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from portal.core.roles import EDITORS, MODERATORS, PUBLISHERS, ensure_roles
from surveys.models import FreeTextAnswer
from tests.factories import (
    FreeTextAnswerFactory,
    SurveyIndexPageFactory,
    SurveyPageFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db

INDEX = "wagtailsnippets_surveys_freetextanswer:list"


def bulk_url(action: str, *answers) -> str:
    url = reverse("wagtail_bulk_action", args=["surveys", "freetextanswer", action])
    return url + "?" + "&".join(f"id={answer.pk}" for answer in answers)


def member_of(group_name: str):
    user = get_user_model().objects.create_user(username=group_name.lower(), password="x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def survey(site_tree):
    home, _register = site_tree
    ensure_roles(home)
    index = SurveyIndexPageFactory(parent=home)
    return SurveyPageFactory(parent=index, title="Data and you", slug="data-and-you")


@pytest.fixture
def moderator(client, survey):
    user = member_of(MODERATORS)
    client.force_login(user)
    return user


@pytest.fixture
def comments(survey):
    response = SurveyResponseFactory(
        survey=survey,
        submitted_at=timezone.now() - datetime.timedelta(days=2),
        answers={"trust": "strongly_disagree", "age": "55-plus", "ward": "south"},
    )
    return {
        "pending": FreeTextAnswerFactory(
            response=response, question_key="anything-else", text="Fix the streetlights."
        ),
        "scenario": FreeTextAnswerFactory(
            response__survey=survey, question_key="cctv-search", text="Only with a warrant."
        ),
        "published": FreeTextAnswerFactory(
            response__survey=survey, text="Lovely new benches.", status="published"
        ),
        "withheld": FreeTextAnswerFactory(
            response__survey=survey, text="Rude words here.", status="withheld", reason="Abuse"
        ),
    }


def test_the_queue_shows_pending_comments_with_their_question_and_day(client, moderator, comments):
    response = client.get(reverse(INDEX))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Fix the streetlights." in page
    assert "Only with a warrant." in page
    assert "Anything else?" in page  # the question as residents read it
    assert "Data and you" in page
    sent = timezone.localtime(comments["pending"].response.submitted_at)
    assert f"{sent.day} {sent:%b %Y}" in page
    assert f"{sent:%H:%M}" not in page
    assert "Lovely new benches." not in page
    assert "Rude words here." not in page


def test_the_queue_shows_nothing_else_of_the_response(client, moderator, comments):
    page = client.get(reverse(INDEX), {"status": "any"}).content.decode()

    response = comments["pending"].response
    assert response.receipt not in page
    assert "strongly_disagree" not in page
    assert "Strongly disagree" not in page
    assert "55+" not in page
    assert "55-plus" not in page
    assert "How old are you?" not in page
    assert "Abuse" not in page  # the reason is on the comment, not in the listing


def test_the_queue_offers_publish_and_withhold_but_never_add_or_delete(client, moderator, comments):
    page = client.get(reverse(INDEX)).content.decode()

    assert reverse("wagtail_bulk_action", args=["surveys", "freetextanswer", "publish"]) in page
    assert reverse("wagtail_bulk_action", args=["surveys", "freetextanswer", "withhold"]) in page
    assert reverse("wagtail_bulk_action", args=["surveys", "freetextanswer", "delete"]) not in page
    assert reverse("wagtailsnippets_surveys_freetextanswer:add") not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"status": "published"}, ["Lovely new benches."], ["Fix the streetlights."]),
        (
            {"status": "any"},
            ["Lovely new benches.", "Rude words here.", "Fix the streetlights."],
            [],
        ),
        ({"question": "cctv-search"}, ["Only with a warrant."], ["Fix the streetlights."]),
        ({"status": "bogus"}, ["Fix the streetlights."], ["Lovely new benches."]),
        ({"q": "warrant"}, ["Only with a warrant."], ["Fix the streetlights."]),
    ],
)
def test_filters_narrow_the_queue(client, moderator, comments, query, shown, hidden):
    response = client.get(reverse(INDEX), query)

    page = response.content.decode()
    assert response.status_code == 200
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


def test_the_survey_filter_keeps_to_one_survey(client, moderator, comments, survey):
    other = SurveyPageFactory(parent=survey.get_parent(), title="Parks", slug="parks")
    FreeTextAnswerFactory(response__survey=other, text="Dogs off leads.")

    mine = client.get(reverse(INDEX), {"survey": survey.pk}).content.decode()
    theirs = client.get(reverse(INDEX), {"survey": other.pk}).content.decode()

    assert "Fix the streetlights." in mine
    assert "Dogs off leads." not in mine
    assert "Dogs off leads." in theirs
    assert "Fix the streetlights." not in theirs


def test_the_newest_comments_come_first(client, moderator, comments, survey):
    FreeTextAnswerFactory(response__survey=survey, text="Newest of all.")

    page = client.get(reverse(INDEX)).content.decode()

    assert page.index("Newest of all.") < page.index("Fix the streetlights.")


def test_publishing_in_bulk_through_the_admin(client, moderator, comments):
    chosen = (comments["pending"], comments["scenario"])
    confirmation = client.get(bulk_url("publish", *chosen))

    assert confirmation.status_code == 200
    assert "Fix the streetlights." in confirmation.content.decode()

    response = client.post(bulk_url("publish", *chosen), {"reason": ""})

    assert response.status_code == 302
    for answer in FreeTextAnswer.objects.filter(pk__in=[a.pk for a in chosen]):
        assert answer.status == "published"
        assert answer.moderated_by == moderator


def test_withholding_without_a_reason_says_what_to_write(client, moderator, comments):
    response = client.post(bulk_url("withhold", comments["pending"]), {"reason": "  "})

    assert response.status_code == 200
    assert "Say why these comments are not published" in response.content.decode()
    assert FreeTextAnswer.objects.get(pk=comments["pending"].pk).status == "pending"


def test_withholding_with_a_reason_keeps_it_for_staff(client, moderator, comments):
    response = client.post(
        bulk_url("withhold", comments["pending"], comments["scenario"]),
        {"reason": "Names a member of staff."},
    )

    assert response.status_code == 302
    for answer in FreeTextAnswer.objects.filter(status="withheld").exclude(reason="Abuse"):
        assert answer.reason == "Names a member of staff."
    assert FreeTextAnswer.objects.filter(status="withheld").count() == 3


def test_republishing_a_withheld_comment_asks_for_a_note(client, moderator, comments):
    response = client.post(bulk_url("publish", comments["withheld"]), {"reason": ""})

    assert response.status_code == 200
    assert "Say why the decision is being changed" in response.content.decode()
    assert FreeTextAnswer.objects.get(pk=comments["withheld"].pk).status == "withheld"


def test_each_row_offers_its_own_decisions(client, moderator, comments):
    page = client.get(reverse(INDEX)).content.decode()

    single = bulk_url("withhold", comments["pending"]).replace("&", "&amp;")
    assert single in page


def test_select_all_keeps_to_the_filters(client, moderator, comments):
    client.post(
        reverse("wagtail_bulk_action", args=["surveys", "freetextanswer", "publish"])
        + "?id=all&question=cctv-search",
        {"reason": ""},
    )

    assert FreeTextAnswer.objects.get(pk=comments["scenario"].pk).status == "published"
    assert FreeTextAnswer.objects.get(pk=comments["pending"].pk).status == "pending"


def test_publishers_may_moderate_too(client, survey, comments):
    client.force_login(member_of(PUBLISHERS))

    assert client.get(reverse(INDEX)).status_code == 200
    client.post(bulk_url("publish", comments["pending"]), {"reason": ""})
    assert FreeTextAnswer.objects.get(pk=comments["pending"].pk).status == "published"


def test_someone_without_the_permission_cannot_see_or_decide(client, survey, comments):
    client.force_login(member_of(EDITORS))
    answer = comments["pending"]

    listing = client.get(reverse(INDEX))
    bulk = client.post(bulk_url("publish", answer), {"reason": ""})

    for response in (listing, bulk):
        assert response.status_code in (302, 403)
    assert "Fix the streetlights." not in listing.content.decode()
    assert FreeTextAnswer.objects.get(pk=answer.pk).status == "pending"


def test_comments_cannot_be_added_edited_or_deleted(client, moderator, comments):
    answer = comments["pending"]

    add = client.get(reverse("wagtailsnippets_surveys_freetextanswer:add"))
    edit = client.get(reverse("wagtailsnippets_surveys_freetextanswer:edit", args=[answer.pk]))
    delete = client.post(reverse("wagtailsnippets_surveys_freetextanswer:delete", args=[answer.pk]))
    bulk_delete = client.post(bulk_url("delete", answer))

    assert add.status_code in (302, 403)
    assert edit.status_code == 302
    assert edit.url == reverse(INDEX)
    assert delete.status_code in (302, 403, 404)
    assert bulk_delete.status_code in (302, 403, 404)
    assert FreeTextAnswer.objects.get(pk=answer.pk).text == "Fix the streetlights."


def test_the_surveys_menu_holds_comments_and_tracker_series(client, moderator, comments):
    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Survey comments" in page
    assert reverse(INDEX) in page
    # Moderators make no codes: that menu item is for publishers.
    assert reverse("survey_codes:index") not in page
