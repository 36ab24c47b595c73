"""Algorithm records (ATRS): the public page, the rules, the DTPR-for-AI chain, JSON both ways."""

import copy
import html
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.assessments.atrs import ATRS_FIELDS, AtrsImportError, import_record
from portal.assessments.models import AlgorithmRecordPage
from tests.factories import (
    CCTV_CHAIN,
    AlgorithmRecordPageFactory,
    AssessmentIndexPageFactory,
    DevicePageFactory,
    DpiaPageFactory,
)

pytestmark = pytest.mark.django_db

AI_CHAIN = [
    {"type": "purpose", "value": {"element": "enforcement", "additional_description": ""}},
    {"type": "accountable", "value": {"element": "institution", "additional_description": ""}},
    {"type": "affected", "value": {"element": "drivers", "additional_description": ""}},
    {
        "type": "functional_modes",
        "value": {"element": "decision_support", "additional_description": "Officers decide."},
    },
    {"type": "rights", "value": {"element": "right_contest", "additional_description": ""}},
]


def text_of(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", body))


@pytest.fixture
def index(site_tree):
    return AssessmentIndexPageFactory(parent=site_tree[0])


@pytest.fixture
def camera(register):
    return DevicePageFactory(parent=register, title="Bus gate camera", datachain=CCTV_CHAIN)


@pytest.fixture
def record(index, camera):
    dpia = DpiaPageFactory(parent=index, title="Bus gate DPIA", slug="bus-gate-dpia")
    record = AlgorithmRecordPageFactory(parent=index, ai_datachain=AI_CHAIN)
    record.devices.add(camera)
    record.dpias.add(dpia)
    record.save_revision().publish()
    return record


def test_the_record_page_answers_the_atrs_questions_in_plain_english(client, record, camera):
    text = text_of(client.get(record.url))
    assert record.title in text
    assert "Kestrel Traffic Systems Ltd" in text
    assert "Not designed to track vehicles" in text
    assert "An officer checks every case" in text
    assert "Data protection impact assessment: Bus gate DPIA" in text
    assert "Equality impact assessment" in text
    assert "Misread plates" in text
    assert f"Bus gate camera ({camera.code})" in text


def test_appeals_are_split_into_the_output_and_the_decision(client, record):
    text = text_of(client.get(record.url))
    assert "What the tool produces Not applicable. The match is not sent to anyone" in text
    assert "The decision it informs Yes. Who can start it: The registered keeper." in text


def test_the_dtpr_for_ai_chain_is_shown_with_icons(client, record):
    page = client.get(record.url).content.decode()
    assert "What rights do you have?" in page
    assert "Officers decide." in page
    assert page.count('<svg aria-hidden="true"') >= len(AI_CHAIN)


def test_the_device_page_lists_its_algorithm_records(client, record, camera):
    html_page = client.get(camera.url).content.decode()
    assert f"Algorithm record: {record.title}" in html_page
    assert f'href="{record.url}"' in html_page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"output_appeal": "na", "output_appeal_detail": ""}, "output_appeal_detail", "reason"),
        ({"output_appeal": "na", "output_appeal_detail": "N/A"}, "output_appeal_detail", "reason"),
        (
            {"decision_appeal": "no", "decision_appeal_detail": "none."},
            "decision_appeal_detail",
            "reason",
        ),
        (
            {"decision_appeal": "yes", "decision_appeal_who": ""},
            "decision_appeal_who",
            "who can start",
        ),
        ({"phase": "retired", "stage": "production"}, "stage", "both places"),
    ],
)
def test_the_record_refuses_answers_that_tell_residents_nothing(record, changes, field, message):
    for name, value in changes.items():
        setattr(record, name, value)
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    assert field in caught.value.message_dict
    assert message in " ".join(caught.value.message_dict[field]).lower()


def test_a_companies_house_number_must_look_like_one(record):
    supplier = record.suppliers.first()
    supplier.external_supplier_identifier = "12345"
    with pytest.raises(ValidationError, match="8 characters"):
        supplier.full_clean()
    supplier.external_supplier_identifier = "sc123456"
    supplier.full_clean()
    assert supplier.external_supplier_identifier == "SC123456"


def test_the_ai_chain_is_checked_like_a_device_chain(record):
    incomplete = [block for block in AI_CHAIN if block["type"] != "affected"]
    record.ai_datachain = incomplete
    with pytest.raises(ValidationError) as caught:
        record.ai_datachain.stream_block.clean(record.ai_datachain)
    assert "Affected" in str(caught.value.as_json_data())
    record.ai_datachain = []
    record.ai_datachain.stream_block.clean(record.ai_datachain)  # optional: empty is fine


def test_the_json_export_is_keyed_by_every_atrs_field_id(client, record, camera):
    response = client.get(f"{record.url}atrs.json")
    assert response.status_code == 200
    data = response.json()
    for field in ATRS_FIELDS:
        assert field.id in data[field.section], field.id
        if field.repeats:
            assert isinstance(data[field.section][field.id], list), field.id
    assert data["tier_1"]["name"] == record.title
    assert data["owner_and_responsibility"]["external_supplier_identifier"] == ["09876543"]
    assert "Bus gate DPIA" in data["risks_and_impact_assessments"]["impact_assessment_name"]
    assert data["metadata"]["standard_version"] == "1.1"
    assert data["metadata"]["organisation_type"] == "local authority"
    assert data["plainsight"]["devices"] == [camera.code]
    assert data["plainsight"]["appeals"]["output"]["can_challenge"] == "na"
    assert [e["element_id"] for e in data["plainsight"]["dtpr_ai_datachain"]][:3] == [
        "enforcement",
        "institution",
        "drivers",
    ]


def test_an_unpublished_record_has_no_json(client, index):
    draft = AlgorithmRecordPageFactory(parent=index, live=False)
    assert client.get(f"/assessments/{draft.slug}/atrs.json").status_code == 404


def exported(client, record) -> dict:
    data = client.get(f"{record.url}atrs.json").json()
    data["tier_1"]["name"] = "Imported copy"
    return data


def test_an_exported_record_imports_back_as_an_equal_draft(client, record, index, camera):
    imported = import_record(exported(client, record), index)

    assert not imported.live
    assert imported.title == "Imported copy"
    for name in ("description", "scope", "human_decisions", "output_appeal_detail", "stage"):
        assert getattr(imported, name) == getattr(record, name), name
    assert list(imported.devices.all()) == [camera]
    assert [dpia.title for dpia in imported.dpias.all()] == ["Bus gate DPIA"]
    # The cited DPIA is linked, not repeated as a free-text assessment.
    assert [a.impact_assessment_name for a in imported.impact_assessments.all()] == [
        "Equality impact assessment"
    ]
    assert [b.block_type for b in imported.ai_datachain] == [b["type"] for b in AI_CHAIN]


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda d: d["tier_1"].pop("contact_email"), "contact_email is required by the ATRS"),
        (lambda d: d["tier_1"].update(colour="blue"), "tier_1.colour is not an ATRS field id"),
        (
            lambda d: d["data"]["source_data_description"].append("extra"),
            "source_data_description has 2 entries but source_data_name has 1",
        ),
        (
            lambda d: d["plainsight"]["appeals"]["output"].update(detail="N/A"),
            "output_appeal_detail",
        ),
        (lambda d: d["plainsight"].pop("appeals"), "say separately whether the tool's output"),
        (lambda d: d["plainsight"].update(devices=["ZZZ-ZZZZ"]), "no device has the code ZZZ-ZZZZ"),
        (lambda d: d["metadata"].update(date_completion="15/10/2025"), "must be a date like"),
        (
            lambda d: d["plainsight"]["dtpr_ai_datachain"].pop(2),
            "every AI datachain needs",
        ),
    ],
)
def test_a_bad_import_says_what_to_fix_and_saves_nothing(client, record, index, breakage, expected):
    data = copy.deepcopy(exported(client, record))
    breakage(data)
    before = AlgorithmRecordPage.objects.count()
    with pytest.raises(AtrsImportError) as caught:
        import_record(data, index)
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems
    assert AlgorithmRecordPage.objects.count() == before


def test_staff_import_a_file_in_the_admin(admin_client, client, record, index):
    url = "/admin/assessments/import-atrs/"
    good = json.dumps(exported(client, record)).encode()
    response = admin_client.post(url, {"record": SimpleUploadedFile("r.json", good)})
    imported = AlgorithmRecordPage.objects.get(title="Imported copy")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{imported.pk}/edit/"

    bad = admin_client.post(url, {"record": SimpleUploadedFile("r.json", b"{not json")})
    assert "The file is not valid JSON" in bad.content.decode()
    broken = json.loads(good)
    broken["tier_1"]["name"] = "Another"
    broken["tier_1"].pop("description")
    refused = admin_client.post(
        url, {"record": SimpleUploadedFile("r.json", json.dumps(broken).encode())}
    )
    assert "description is required by the ATRS" in refused.content.decode()
    assert not AlgorithmRecordPage.objects.filter(title="Another").exists()


def test_the_assessments_index_lists_and_filters_both_kinds(client, index, record):
    overdue = DpiaPageFactory(
        parent=index,
        title="Old cameras DPIA",
        review_by="2020-01-01",
        need="SECRET-NEED",
        need_level="internal",
    )
    everything = text_of(client.get(index.url))
    assert "3 records" in everything
    assert record.title in everything
    assert overdue.title in everything

    algorithms = text_of(client.get(index.url, {"kind": "algorithm"}))
    assert "1 record" in algorithms
    assert "Old cameras DPIA" not in algorithms

    late = text_of(client.get(index.url, {"review": "overdue"}))
    assert "Old cameras DPIA" in late
    assert "Bus gate DPIA" not in late

    assert "Bus gate DPIA" in text_of(client.get(index.url, {"q": "bus gate"}))
    # Withheld text is never searchable.
    assert "0 records" in text_of(client.get(index.url, {"q": "SECRET-NEED"}))

    wrong = client.get(index.url, {"kind": "everything"})
    assert "There is a problem" in wrong.content.decode()
    assert "Select a valid choice" in text_of(wrong)


def record_form(**overrides):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    data = {
        "title": "Parking permit checker",
        "slug": "parking-permit-checker",
        "description": "Checks permit applications against the register of vehicles.",
        "contact_email": "parking@borough.example",
        "organisation": "Test Borough Council",
        "scope": "Checks permits. Not for enforcement.",
        "benefit": "Faster permits.",
        "model_type": "Rules-based",
        "phase": "production",
        "human_decisions": "Officers decide refusals.",
        "output_appeal": "na",
        "output_appeal_detail": "The check only routes the application to an officer.",
        "decision_appeal": "yes",
        "decision_appeal_who": "The applicant",
        "decision_appeal_detail": "Ask for a review within 28 days.",
        "atrs_version": "1.1",
        "date_completion": "2025-10-01",
        "function": "general_public_services",
        "capability": "analysis",
        "stage": "production",
        "region": "London",
        "suppliers": inline_formset([]),
        "data_sources": inline_formset(
            [
                {
                    "source_data_name": "Applications",
                    "source_data_description": "Permit applications.",
                    "source_data_url": "",
                    "data_collection": "From the online form.",
                    "data_sharing_agreements": "None.",
                    "data_access_and_storage": "Parking team; UK.",
                }
            ]
        ),
        "impact_assessments": inline_formset(
            [
                {
                    "impact_assessment_name": "Equality impact assessment",
                    "impact_assessment_description": "",
                    "impact_assessment_date": "",
                    "impact_assessment_link": "",
                }
            ]
        ),
        "risks": inline_formset(
            [{"risk_name": "Wrong refusal", "risk_description": "", "risk_mitigation": "Review."}]
        ),
        "ai_datachain": streamfield([]),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_the_editor_needs_a_supplier_or_in_house_and_publishes_when_complete(admin_client, index):
    from django.urls import reverse

    url = reverse("wagtailadmin_pages:add", args=("assessments", "algorithmrecordpage", index.pk))
    refused = admin_client.post(url, record_form())
    assert refused.status_code == 200
    assert "add each external supplier, or tick" in html.unescape(refused.content.decode())
    assert not AlgorithmRecordPage.objects.exists()

    accepted = admin_client.post(url, record_form(built_in_house="on"))
    assert accepted.status_code == 302
    record = AlgorithmRecordPage.objects.get()
    assert record.live
    assert record.built_in_house
