"""Nothing redacted or internal in a DPIA may reach the public, by any route."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from portal.assessments.models import STEPS, DpiaPage
from tests.assessments.dpia_support import (
    STEP_NAMES,
    dpia_with_every_level,
    secret,
    withheld_secrets,
)
from tests.factories import AssessmentIndexPageFactory, DpiaPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[0, 1, 2], ids=["rotation-a", "rotation-b", "rotation-c"])
def dpia(request, site_tree):
    """A DPIA with every publication level in use; across the three rotations every step is
    tried at every level."""
    home, register = site_tree
    return dpia_with_every_level(home, register, request.param)


def steps_at(dpia, level):
    return [name for name in STEP_NAMES if getattr(dpia, f"{name}_level") == level]


def test_public_parts_are_shown_and_withheld_parts_explained(client, dpia):
    html = client.get(dpia.url).content.decode()
    for name in steps_at(dpia, "public"):
        assert getattr(dpia, name) in html
    for name in steps_at(dpia, "redacted"):
        assert f"Reason for {name}: it would show where cameras point." in html
    assert "RISKSECRETPUBLIC" in html
    assert "MEASURESECRETPUBLIC" in html
    assert "A risk has been withheld." in html
    assert "It would help someone avoid the cameras." in html


def test_no_withheld_text_in_the_public_html(client, dpia):
    html = client.get(dpia.url).content.decode()
    leaks = [text for text in withheld_secrets(dpia) if text in html]
    assert not leaks


def test_internal_steps_leave_no_heading_behind(client, dpia):
    html = client.get(dpia.url).content.decode()
    labels = {name: str(label) for name, label, _help in STEPS}
    for name in steps_at(dpia, "internal"):
        assert labels[name] not in html


def test_no_withheld_text_in_search_sitemap_or_other_pages(client, dpia, site_tree):
    for text in withheld_secrets(dpia):
        assert not DpiaPage.objects.live().search(text), text
        assert not DpiaPage.objects.search(text), text
    for path in ["/sitemap.xml", "/assessments/", "/devices/", "/"]:
        body = client.get(path).content.decode()
        assert not [text for text in withheld_secrets(dpia) if text in body], path
    assert dpia.summary in client.get("/assessments/").content.decode()


def test_anonymous_visitors_cannot_preview_or_see_drafts(dpia):
    anonymous = Client()
    dpia.nature_level = "public"
    dpia.save_revision()  # a draft that would publish a redacted field
    preview = anonymous.get(f"/admin/pages/{dpia.pk}/edit/preview/")
    assert preview.status_code in {302, 403}
    html = anonymous.get(dpia.url).content.decode()
    assert secret("nature", "redacted") not in html


def test_the_summary_is_searchable(dpia):
    assert [page.pk for page in DpiaPage.objects.live().search("assessed town centre cameras")] == [
        dpia.pk
    ]


def test_a_redaction_needs_a_reason(dpia):
    dpia.need_level = "redacted"
    dpia.need_reason = ""
    with pytest.raises(ValidationError) as error:
        dpia.full_clean()
    assert "Say why this is withheld" in str(error.value.message_dict["need_reason"])


def test_a_redacted_risk_needs_a_reason(dpia):
    risk = dpia.risks.first()
    risk.publication_level = "redacted"
    risk.redaction_reason = " "
    with pytest.raises(ValidationError):
        risk.full_clean()


def test_accepting_a_high_residual_risk_requires_the_ico(dpia):
    risk = dpia.risks.first()
    risk.residual = "high"
    risk.effect = "accepted"
    with pytest.raises(ValidationError) as error:
        risk.full_clean()
    assert "consulting the ICO" in str(error.value)
    dpia.ico_consulted = True
    risk.page = dpia
    risk.full_clean()


def test_overdue_review_is_announced(client, dpia):
    import datetime

    dpia.review_by = datetime.date(2020, 1, 1)
    dpia.save_revision().publish()
    html = client.get(dpia.url).content.decode()
    assert "This assessment is overdue for review" in html
    assert re.search(r"due by 1 January 2020", html)


def test_the_json_holds_public_parts_and_reasons_and_nothing_withheld(client, dpia):
    response = client.get(f"{dpia.url}dpia.json")
    assert response.status_code == 200
    body = response.content.decode()
    assert not [text for text in withheld_secrets(dpia) if text in body]
    data = response.json()
    shown = {step["title"]: step for step in data["steps"]}
    labels = {name: str(label) for name, label, _help in STEPS}
    for name in steps_at(dpia, "public"):
        assert shown[labels[name]]["text"] == getattr(dpia, name)
    for name in steps_at(dpia, "redacted"):
        assert shown[labels[name]] == {
            "title": labels[name],
            "withheld": True,
            "reason": f"Reason for {name}: it would show where cameras point.",
        }
    for name in steps_at(dpia, "internal"):
        assert labels[name] not in shown
    assert [risk["withheld"] for risk in data["risks"]] == [False, True]
    assert data["risks"][0]["risk"] == "RISKSECRETPUBLIC"


def test_a_draft_dpia_has_no_json(client, site_tree):
    index = AssessmentIndexPageFactory(parent=site_tree[0])
    draft = DpiaPageFactory(parent=index, live=False)
    assert client.get(f"/assessments/{draft.slug}/dpia.json").status_code == 404
