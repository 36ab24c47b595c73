"""Supplier commitments: public answers and summary on the device page, evidence internal."""

import html
import re

import pytest
from django.core.exceptions import ValidationError

from portal.assessments.models import SUPPLIER_QUESTIONS, SupplierAssurance
from tests.factories import (
    CCTV_CHAIN,
    DevicePageFactory,
    OrganisationFactory,
    SupplierAnswerFactory,
    SupplierAssuranceFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def camera(register):
    return DevicePageFactory(parent=register, title="CCTV, Market Square", datachain=CCTV_CHAIN)


@pytest.fixture
def assurance(camera):
    assurance = SupplierAssuranceFactory(
        device=camera,
        manufacturer="SECRET-MANUFACTURER",
        vulnerability_contact="SECRET-VULN-CONTACT",
    )
    SupplierAnswerFactory(
        assurance=assurance,
        question="council_owns_data",
        evidence="PUBLIC-EVIDENCE",
        evidence_level="public",
    )
    SupplierAnswerFactory(
        assurance=assurance,
        question="encryption",
        evidence="INTERNAL-EVIDENCE",
    )
    SupplierAnswerFactory(
        assurance=assurance,
        question="certification",
        answer="partial",
        evidence="REDACTED-EVIDENCE",
        evidence_level="redacted",
        evidence_reason="The certificate names the data centre's address.",
    )
    SupplierAnswerFactory(assurance=assurance, question="pas_185", answer="no", evidence="")
    return assurance


def test_the_device_page_summarises_what_the_supplier_promised(client, camera, assurance):
    text = text_of(client.get(camera.url))
    assert "What did the supplier promise?" in text
    assert assurance.supplier.name in text
    assert "owns the footage and it is never sold" in text
    assert "2 yes, 1 partly, 1 no" in text
    # Every standard question is listed, answered or not, so gaps are visible.
    for _id, question in SUPPLIER_QUESTIONS:
        assert str(question) in text
    assert text.count("Not answered yet") == len(SUPPLIER_QUESTIONS) - 4


def test_evidence_is_internal_unless_published_and_security_details_never_show(
    client, camera, assurance
):
    html = client.get(camera.url).content.decode()
    assert "PUBLIC-EVIDENCE" in html
    assert "INTERNAL-EVIDENCE" not in html
    assert "REDACTED-EVIDENCE" not in html
    assert "Evidence withheld: The certificate names the data centre" in text_of(
        client.get(camera.url)
    )
    assert "SECRET-MANUFACTURER" not in html
    assert "SECRET-VULN-CONTACT" not in html


def test_new_evidence_is_internal_by_default():
    assert SupplierAnswerFactory.build().evidence_level == "internal"


def test_yes_or_partly_needs_evidence_and_a_redaction_needs_a_reason(assurance):
    with pytest.raises(ValidationError, match="needs evidence"):
        SupplierAnswerFactory.build(assurance=assurance, answer="partial", evidence="").clean()
    with pytest.raises(ValidationError, match="Say why this is withheld"):
        SupplierAnswerFactory.build(
            assurance=assurance, evidence_level="redacted", evidence_reason=""
        ).clean()


def test_the_admin_refuses_a_question_answered_twice_and_saves_nothing(admin_client, camera):
    supplier = OrganisationFactory(name="Lens Systems Ltd", role="supplier")
    data = {
        "device": camera.pk,
        "supplier": supplier.pk,
        "assessed_on": "2026-03-01",
        "public_summary": "Summary.",
        "manufacturer": "",
        "support_ends_on": "",
        "vulnerability_contact": "",
        "answers-TOTAL_FORMS": "2",
        "answers-INITIAL_FORMS": "0",
        "answers-MIN_NUM_FORMS": "0",
        "answers-MAX_NUM_FORMS": "1000",
    }
    for index in range(2):
        data |= {
            f"answers-{index}-question": "encryption",
            f"answers-{index}-answer": "yes",
            f"answers-{index}-evidence": "Clause 3.",
            f"answers-{index}-evidence_level": "internal",
            f"answers-{index}-evidence_reason": "",
            f"answers-{index}-ORDER": str(index + 1),
        }
    url = "/admin/snippets/assessments/supplierassurance/add/"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "is answered more than once" in response.content.decode()
    assert not SupplierAssurance.objects.exists()

    data["answers-1-question"] = "api"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert SupplierAssurance.objects.get().answers.count() == 2


def test_a_device_without_supplier_assurance_shows_no_empty_section(client, camera):
    assert "What did the supplier promise?" not in client.get(camera.url).content.decode()
