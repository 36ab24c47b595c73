"""Factories for building test data: pages in a real page tree, organisations, devices."""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Page, Site

from portal.assessments.models import (
    AlgorithmDataSource,
    AlgorithmImpactAssessment,
    AlgorithmRecordPage,
    AlgorithmRisk,
    AlgorithmSupplier,
    AssessmentIndexPage,
    DpiaPage,
    SupplierAnswer,
    SupplierAssurance,
)
from portal.citizen_science.models import CampaignPage, Reading, ScienceIndexPage
from portal.citizen_science.models import Site as ScienceSite
from portal.citizen_science.results import period_for
from portal.core.models import StandardPage
from portal.home.models import HomePage
from portal.registry.models import DeviceIndexPage, DeviceOrganisation, DevicePage, Organisation
from surveys.models import SurveyIndexPage, SurveyPage


def chain(*items: tuple[str, str] | tuple[str, str, str]) -> list[dict]:
    """StreamField data for a datachain: (category, element[, duration or note])."""
    blocks = []
    for item in items:
        value = {"element": item[1], "additional_description": ""}
        if len(item) > 2:
            value["duration" if item[0] == "retention" else "additional_description"] = item[2]
        blocks.append({"type": item[0], "value": value})
    return blocks


AIR_QUALITY_CHAIN = chain(
    ("purpose", "health"),
    ("tech", "air_quality"),
    ("data", "values_time"),
    ("process", "aggregated"),
    ("access", "available_to_download"),
    ("retention", "data_retained", "5 years"),
    ("storage", "stored_locally"),
)
CCTV_CHAIN = chain(
    ("purpose", "safety_security"),
    ("tech", "identifiable_video"),
    ("data", "pixel_based_image"),
    ("process", "encrypted"),
    ("access", "available_to_the_accountable_organization"),
    ("retention", "data_retained", "31 days"),
    ("storage", "stored_locally"),
)
PEOPLE_COUNTER_CHAIN = chain(
    ("purpose", "planning_decision_making"),
    ("tech", "person_detection"),
    ("data", "tabular"),
    ("process", "de_identified"),
    ("access", "available_to_download"),
    ("retention", "no_data_retained"),
    ("storage", "stored_on_3rd_party_cloud"),
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Test Borough Council {n}")
    role = Organisation.Role.COUNCIL
    email = factory.Sequence(lambda n: f"devices{n}@council.example")
    phone = "020 7946 0000"

    class Meta:
        model = Organisation


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    slug = "home"

    class Meta:
        model = HomePage


class DeviceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Devices"
    slug = "devices"

    class Meta:
        model = DeviceIndexPage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = "About"
    introduction = "About this register."

    class Meta:
        model = StandardPage


class DevicePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Air quality sensor {n}")
    summary = "Measures air pollution every 15 minutes."
    status = "active"
    latitude = Decimal("51.470000")
    longitude = Decimal("-0.110000")
    location_description = "On the lamp post outside the library"
    area = "Market ward"
    datachain = factory.LazyFunction(lambda: list(AIR_QUALITY_CHAIN))

    class Meta:
        model = DevicePage
        skip_postgeneration_save = True

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        organisations = extracted if extracted is not None else [OrganisationFactory()]
        for order, organisation in enumerate(organisations):
            DeviceOrganisation.objects.create(
                page=self, organisation=organisation, sort_order=order
            )


def build_site() -> tuple[HomePage, DeviceIndexPage]:
    """A home page as the default site's root, with the register beneath it."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="home-test")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    register = DeviceIndexPageFactory(parent=home)
    return home, register


class AssessmentIndexPageFactory(wagtail_factories.PageFactory):
    title = "Assessments"
    slug = "assessments"

    class Meta:
        model = AssessmentIndexPage


class DpiaPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"DPIA: town centre cameras {n}")
    summary = "We assessed the town centre cameras before installing them."
    review_by = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=365))
    need = "To reduce crime in the market."

    class Meta:
        model = DpiaPage


class SupplierAssuranceFactory(factory.django.DjangoModelFactory):
    supplier = factory.SubFactory(
        OrganisationFactory,
        name=factory.Sequence(lambda n: f"Lens Systems {n} Ltd"),
        role=Organisation.Role.SUPPLIER,
    )
    assessed_on = datetime.date(2026, 3, 1)
    public_summary = "The supplier promised the council owns the footage and it is never sold."

    class Meta:
        model = SupplierAssurance


class SupplierAnswerFactory(factory.django.DjangoModelFactory):
    question = "council_owns_data"
    answer = "yes"
    evidence = "Contract clause 14.2."

    class Meta:
        model = SupplierAnswer


class AlgorithmRecordPageFactory(wagtail_factories.PageFactory):
    """A complete ATRS record: one supplier, one data source, one risk."""

    title = factory.Sequence(lambda n: f"Bus gate number plate matching {n}")
    description = "Reads number plates at the bus gate and flags vehicles without an exemption."
    contact_email = "parking@borough.example"
    organisation = "Test Borough Council"
    scope = "Finds vehicles driving through the bus gate. Not designed to track vehicles."
    benefit = "Keeps buses on time."
    model_type = "Automatic number plate recognition"
    phase = "production"
    human_decisions = "An officer checks every case before a penalty is issued."
    output_appeal = "na"
    output_appeal_detail = "The match is not sent to anyone: an officer checks every case first."
    decision_appeal = "yes"
    decision_appeal_who = "The registered keeper"
    decision_appeal_detail = "Make a representation within 28 days, then appeal to the tribunal."
    date_completion = datetime.date(2025, 10, 15)
    function = "public_order_and_safety"
    capability = "computer_vision"
    stage = "production"

    class Meta:
        model = AlgorithmRecordPage
        skip_postgeneration_save = True

    @factory.post_generation
    def rows(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        AlgorithmSupplier.objects.create(
            page=self,
            external_supplier="Kestrel Traffic Systems Ltd",
            external_supplier_identifier="09876543",
            external_supplier_role="Supplies the cameras.",
        )
        AlgorithmDataSource.objects.create(
            page=self,
            source_data_name="Camera images",
            source_data_description="Pictures of number plates.",
            data_collection="By the cameras.",
            data_sharing_agreements="None.",
            data_access_and_storage="Kept 28 days in the UK.",
        )
        AlgorithmImpactAssessment.objects.create(
            page=self, impact_assessment_name="Equality impact assessment"
        )
        AlgorithmRisk.objects.create(
            page=self, risk_name="Misread plates", risk_mitigation="An officer checks each one."
        )


class ScienceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Citizen science"
    slug = "science"

    class Meta:
        model = ScienceIndexPage


class CampaignPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"NO2 diffusion tubes {n}")
    summary = "Volunteers measure nitrogen dioxide outside their homes."
    observed_property = "Nitrogen dioxide (NO2)"
    unit = "µg/m³"
    method = "Put the tube up on the first Monday, take it down four weeks later."
    sampling = "exposure"
    valid_min = 0.0
    valid_max = 500.0
    expected_min = 5.0
    expected_max = 120.0
    threshold = 40.0
    threshold_label = "Annual limit"
    consent_text = "We keep your readings and publish them with locations to 250 metres."
    state = "open"
    starts_on = datetime.date(2026, 1, 1)

    class Meta:
        model = CampaignPage


class SiteFactory(factory.django.DjangoModelFactory):
    code = factory.Sequence(lambda n: f"no2-{n:03d}")
    name = factory.Sequence(lambda n: f"Elm Road {n}")
    latitude = Decimal("51.471234")
    longitude = Decimal("-0.112345")

    class Meta:
        model = ScienceSite


class ReadingFactory(factory.django.DjangoModelFactory):
    """A reading as ingestion stores it: pending, with its period worked out the same way.

    Pass ``campaign``; the site is made in that campaign unless one is given.
    """

    client_uuid = factory.LazyFunction(uuid.uuid4)
    receipt = factory.Sequence(lambda n: f"RTEST{n:07d}")
    received_at = factory.LazyFunction(timezone.now)
    batch = factory.LazyFunction(uuid.uuid4)
    site = factory.SubFactory(SiteFactory, campaign=factory.SelfAttribute("..campaign"))
    value = 32.5
    unit = "µg/m³"
    observed_at = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    exposure_start = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=datetime.UTC)
    period_start = factory.LazyAttribute(
        lambda r: period_for(r.campaign.sampling, r.observed_at, r.exposure_start)[0]
    )
    period_end = factory.LazyAttribute(
        lambda r: period_for(r.campaign.sampling, r.observed_at, r.exposure_start)[1]
    )
    status = "pending"

    class Meta:
        model = Reading


# --- surveys ------------------------------------------------------------------------------

SURVEY_SECTIONS = [
    {
        "type": "section",
        "value": {
            "heading": "Cameras in the town centre",
            "introduction": "",
            "questions": [
                {
                    "type": "scenario",
                    "value": {
                        "key": "cctv-search",
                        "question": "Is this acceptable to you?",
                        "hint": "",
                        "required": True,
                        "vignette": "The council's cameras look for a missing person.",
                        "conditions": [
                            {"label": "An independent audit each year", "key": "audit"},
                            {"label": "Footage deleted after 30 days", "key": "delete-30"},
                        ],
                        "comment_limit": 200,
                    },
                },
                {
                    "type": "likert",
                    "value": {
                        "key": "trust",
                        "question": "I trust the council to use data fairly.",
                        "hint": "",
                        "required": False,
                    },
                },
            ],
        },
    },
    {
        "type": "section",
        "value": {
            "heading": "Getting about",
            "introduction": "",
            "questions": [
                {
                    "type": "single_choice",
                    "value": {
                        "key": "travel",
                        "question": "How do you mostly travel in town?",
                        "hint": "",
                        "required": False,
                        "options": [
                            {"label": "Walking", "key": "walk"},
                            {"label": "Bus", "key": "bus"},
                            {"label": "Car", "key": "car"},
                        ],
                    },
                },
                {
                    "type": "multiple_choice",
                    "value": {
                        "key": "worries",
                        "question": "What worries you about e-scooters?",
                        "hint": "",
                        "required": False,
                        "most_choices": 2,
                        "options": [
                            {"label": "Speed", "key": "speed"},
                            {"label": "Parking on pavements", "key": "parking"},
                            {"label": "Noise", "key": "noise"},
                        ],
                    },
                },
                {
                    "type": "ranking",
                    "value": {
                        "key": "priorities",
                        "question": "Put these in order of importance.",
                        "hint": "",
                        "required": False,
                        "options": [
                            {"label": "Safety", "key": "safety"},
                            {"label": "Privacy", "key": "privacy"},
                            {"label": "Cost", "key": "cost"},
                        ],
                    },
                },
                {
                    "type": "free_text",
                    "value": {
                        "key": "anything-else",
                        "question": "Anything else?",
                        "hint": "",
                        "required": False,
                        "limit": 300,
                    },
                },
            ],
        },
    },
    {
        "type": "section",
        "value": {
            "heading": "About you",
            "introduction": "These questions are optional.",
            "questions": [
                {
                    "type": "demographic",
                    "value": {
                        "key": "age",
                        "question": "How old are you?",
                        "hint": "",
                        "required": False,
                        "dimension": "age_band",
                        "options": [
                            {"label": "16\u201334", "key": "16-34"},
                            {"label": "35\u201354", "key": "35-54"},
                            {"label": "55+", "key": "55-plus"},
                        ],
                    },
                },
                {
                    "type": "demographic",
                    "value": {
                        "key": "ward",
                        "question": "Which ward do you live in?",
                        "hint": "",
                        "required": False,
                        "dimension": "area",
                        "options": [
                            {"label": "North", "key": "north"},
                            {"label": "South", "key": "south"},
                        ],
                    },
                },
            ],
        },
    },
]


class SurveyIndexPageFactory(wagtail_factories.PageFactory):
    title = "Surveys"
    slug = "surveys"
    introduction = "Tell us what you think."

    class Meta:
        model = SurveyIndexPage


class SurveyPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Data and you {n}")
    introduction = "How should the council use data about you?"
    how_answers_are_used = "Answers are anonymous and kept for two years."
    sections = factory.LazyFunction(lambda: json.dumps(SURVEY_SECTIONS))
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))

    class Meta:
        model = SurveyPage


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """A stored response; answers default to a few that identify nobody on their own."""

    survey = factory.SubFactory(SurveyPageFactory)
    client_uuid = factory.LazyFunction(uuid.uuid4)
    receipt = factory.Sequence(lambda n: f"S{n:011d}")
    submitted_at = factory.LazyFunction(timezone.now)
    answers = factory.LazyFunction(lambda: {"trust": "agree", "age": "35-54", "ward": "north"})

    class Meta:
        model = "surveys.Response"


class FreeTextAnswerFactory(factory.django.DjangoModelFactory):
    response = factory.SubFactory(SurveyResponseFactory)
    question_key = "anything-else"
    text = factory.Sequence(lambda n: f"More benches in the park, please ({n}).")

    class Meta:
        model = "surveys.FreeTextAnswer"
