"""Algorithm records following the UK Algorithmic Transparency Recording Standard (ATRS).

Fields carry the ATRS field ids as their names wherever the standard has one, so the JSON
export and import (``portal.assessments.atrs``) map one to one. Repeating ATRS groups
(suppliers, data sources, impact assessments, risks) are rows.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.assessments.forms import AlgorithmRecordForm
from portal.assessments.publication import publication_times
from portal.core.visibility import CachedViewRestrictionsMixin, visible_to_public
from portal.registry.blocks import AiDatachainBlock, datachain_entries
from portal.registry.presentation import describe_datachain

COMPANIES_HOUSE_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6})$")
# Answers that say nothing: published records often give "N/A" with no reason.
EMPTY_REASONS = frozenset({"n/a", "na", "n.a.", "not applicable", "none", "-", "no", "nil"})


class Phase(models.TextChoices):
    """ATRS ``phase``."""

    IDEA = "idea", _("Idea")
    DESIGN = "design", _("Design")
    DEVELOPMENT = "development", _("Development")
    PRODUCTION = "production", _("Production")
    RETIRED = "retired", _("Retired")


class Function(models.TextChoices):
    """The GOV.UK facet for the public service the tool supports."""

    GENERAL = "general_public_services", _("General public services")
    ORDER_SAFETY = "public_order_and_safety", _("Public order and safety")
    ECONOMIC = "economic_affairs", _("Economic affairs")
    ENVIRONMENT = "environmental_protection", _("Environmental protection")
    HOUSING = "housing_and_community_amenities", _("Housing and community amenities")
    HEALTH = "health", _("Health")
    RECREATION = "recreation_culture_and_religion", _("Recreation, culture and religion")
    EDUCATION = "education", _("Education")
    SOCIAL = "social_protection", _("Social protection")
    REGULATION = "regulation", _("Regulation")


class Capability(models.TextChoices):
    """The GOV.UK facet for what kind of thing the tool does."""

    VISION = "computer_vision", _("Computer vision")
    AUDITION = "computer_audition", _("Computer audition")
    LINGUISTICS = "computer_linguistics", _("Computer linguistics")
    ROBOTICS = "robotics", _("Robotics")
    FORECASTING = "forecasting", _("Forecasting")
    DISCOVERY = "discovery", _("Discovery")
    PLANNING = "planning", _("Planning")
    CREATION = "creation", _("Creation")
    ANALYSIS = "analysis", _("Analysis")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    """The GOV.UK facet ``phase``, which groups the ATRS phases differently."""

    PRE_DEPLOYMENT = "pre_deployment", _("Pre-deployment")
    PILOT = "beta_pilot", _("Beta or pilot")
    PRODUCTION = "production", _("Production")
    RETIRED = "retired", _("Retired")


class Appeal(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


def _appeal_fields(subject: Any) -> tuple[models.Field, models.Field, models.Field]:
    return (
        models.CharField(
            _("can %(subject)s be challenged?") % {"subject": subject},
            max_length=3,
            choices=Appeal.choices,
        ),
        models.CharField(
            _("who can start it"),
            max_length=300,
            blank=True,
            help_text=_("e.g. 'The person fined, or anyone acting for them'."),
        ),
        models.TextField(
            _("how, or why not"),
            blank=True,
            help_text=_(
                "If yes: how to challenge it and who reviews it. If no or not applicable: why."
            ),
        ),
    )


class AlgorithmRecordPage(CachedViewRestrictionsMixin, Page):
    """An ATRS record (Tier 1 and Tier 2), with an optional DTPR-for-AI datachain."""

    # Tier 1. ATRS ``name`` is the page title.
    description = models.TextField(
        _("description"),
        max_length=1500,
        help_text=_("ATRS “description” (required). What the tool is and why it is used."),
    )
    website = models.URLField(_("website"), blank=True, help_text=_("ATRS “website”."))
    contact_email = models.EmailField(
        _("contact e-mail"),
        help_text=_("ATRS “contact_email” (required). A role mailbox, never a person's."),
    )

    # Tier 2: owner and responsibility.
    organisation = models.CharField(
        _("organisation"), max_length=200, help_text=_("ATRS “organisation” (required).")
    )
    team = models.CharField(_("team"), max_length=200, blank=True)
    senior_responsible_owner = models.CharField(
        _("senior responsible owner"),
        max_length=200,
        blank=True,
        help_text=_("A role title, such as 'Head of Parking Services', never a name."),
    )
    built_in_house = models.BooleanField(
        _("built and run by the council, with no external supplier"),
        default=False,
        help_text=_("Tick instead of adding a supplier."),
    )

    # Tier 2: description and rationale.
    scope = models.TextField(
        _("scope"),
        help_text=_("ATRS “scope” (required). What it is for, and what it was not designed for."),
    )
    benefit = models.TextField(_("benefit"), help_text=_("ATRS “benefit” (required)."))
    alternatives_considered = models.TextField(_("alternatives considered"), blank=True)
    model_type = models.CharField(
        _("model type"),
        max_length=300,
        help_text=_("ATRS “model_type” (required), e.g. 'Rules-based', 'Image classifier'."),
    )
    frequency_usage = models.CharField(_("how often it is used"), max_length=300, blank=True)
    phase = models.CharField(
        _("phase"),
        max_length=12,
        choices=Phase.choices,
        help_text=_("ATRS “phase” (required)."),
    )
    maintenance = models.TextField(_("maintenance"), blank=True)
    system_architecture = models.URLField(
        _("system architecture"), blank=True, help_text=_("A link to a diagram or description.")
    )

    # Tier 2: oversight.
    process_integration = models.TextField(_("how it fits into the process"), blank=True)
    provided_information = models.TextField(_("what it tells the people using it"), blank=True)
    human_decisions = models.TextField(
        _("human decisions"),
        help_text=_("ATRS “human_decisions” (required). What people decide, and how."),
    )
    required_training = models.TextField(_("training for staff"), blank=True)
    # ATRS "appeals_and_review" (required), split so that "N/A" always carries a reason.
    output_appeal, output_appeal_who, output_appeal_detail = _appeal_fields(_("the tool's output"))
    decision_appeal, decision_appeal_who, decision_appeal_detail = _appeal_fields(
        _("the wider decision")
    )

    # Record metadata and GOV.UK facets.
    atrs_version = models.CharField(
        _("ATRS version"), max_length=10, default="1.1", help_text=_("ATRS “standard_version”.")
    )
    record_id = models.CharField(
        _("ATRS record id"),
        max_length=100,
        blank=True,
        help_text=_("The id the record has elsewhere, e.g. on GOV.UK. Kept on import."),
    )
    date_completion = models.DateField(_("record completed on"))
    date_archive = models.DateField(_("archived on"), null=True, blank=True)
    function = models.CharField(_("function"), max_length=40, choices=Function.choices)
    capability = models.CharField(_("capability"), max_length=30, choices=Capability.choices)
    stage = models.CharField(_("stage (GOV.UK facet)"), max_length=20, choices=Stage.choices)
    region = models.CharField(_("region"), max_length=100, default="London")

    devices = ParentalManyToManyField(
        "registry.DevicePage",
        blank=True,
        related_name="algorithm_records",
        verbose_name=_("devices it runs on"),
    )
    dpias = ParentalManyToManyField(
        "assessments.DpiaPage",
        blank=True,
        related_name="algorithm_records",
        verbose_name=_("DPIAs it cites"),
    )
    ai_datachain = StreamField(
        AiDatachainBlock(), blank=True, verbose_name=_("DTPR for AI datachain")
    )

    record_panels: ClassVar[list] = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("description"), FieldPanel("website"), FieldPanel("contact_email")],
            heading=_("Tier 1"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("organisation"), FieldPanel("team")]),
                FieldPanel("senior_responsible_owner"),
                FieldPanel("built_in_house"),
            ],
            heading=_("Owner and responsibility"),
        ),
        InlinePanel("suppliers", heading=_("External suppliers"), label=_("Supplier")),
        MultiFieldPanel(
            [
                FieldPanel("scope"),
                FieldPanel("benefit"),
                FieldPanel("alternatives_considered"),
                FieldRowPanel([FieldPanel("model_type"), FieldPanel("phase")]),
                FieldPanel("frequency_usage"),
                FieldPanel("maintenance"),
                FieldPanel("system_architecture"),
            ],
            heading=_("Description and rationale"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("process_integration"),
                FieldPanel("provided_information"),
                FieldPanel("human_decisions"),
                FieldPanel("required_training"),
            ],
            heading=_("Oversight"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("output_appeal"), FieldPanel("output_appeal_who")]),
                FieldPanel("output_appeal_detail"),
                FieldRowPanel([FieldPanel("decision_appeal"), FieldPanel("decision_appeal_who")]),
                FieldPanel("decision_appeal_detail"),
            ],
            heading=_("Appeals and review"),
        ),
    ]
    data_panels: ClassVar[list] = [
        InlinePanel("data_sources", heading=_("Data"), label=_("Data source"), min_num=1),
        InlinePanel(
            "impact_assessments", heading=_("Impact assessments"), label=_("Impact assessment")
        ),
        FieldPanel("dpias"),
        InlinePanel("risks", heading=_("Risks"), label=_("Risk"), min_num=1),
    ]
    link_panels: ClassVar[list] = [
        FieldPanel("devices"),
        FieldPanel("ai_datachain"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("atrs_version"), FieldPanel("record_id")]),
                FieldRowPanel([FieldPanel("date_completion"), FieldPanel("date_archive")]),
                FieldRowPanel([FieldPanel("function"), FieldPanel("capability")]),
                FieldRowPanel([FieldPanel("stage"), FieldPanel("region")]),
            ],
            heading=_("Record details"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(record_panels, heading=_("Record")),
            ObjectList(data_panels, heading=_("Data and risks")),
            ObjectList(link_panels, heading=_("Devices, DTPR and details")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields: ClassVar[list] = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("organisation"),
        index.FilterField("phase"),
    ]

    parent_page_types: ClassVar[list[str]] = ["assessments.AssessmentIndexPage"]
    subpage_types: ClassVar[list[str]] = []
    page_description = _("An algorithm record following the UK ATRS, Tier 1 and Tier 2.")
    template = "assessments/algorithm_record_page.html"

    base_form_class = AlgorithmRecordForm

    class Meta:
        verbose_name = _("algorithm record")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        for part in ("output", "decision"):
            answer = getattr(self, f"{part}_appeal")
            who = getattr(self, f"{part}_appeal_who").strip()
            detail = getattr(self, f"{part}_appeal_detail").strip()
            if answer == Appeal.YES and not who:
                errors[f"{part}_appeal_who"] = str(
                    _("Say who can start a challenge, e.g. 'The person the decision is about'.")
                )
            if answer in (Appeal.NO, Appeal.NOT_APPLICABLE) and (
                detail.lower().rstrip(".") in EMPTY_REASONS or not detail
            ):
                errors[f"{part}_appeal_detail"] = str(
                    _(
                        "Give the reason it cannot be challenged. “Not applicable” on its own "
                        "does not tell residents why."
                    )
                )
            if answer == Appeal.YES and not detail:
                errors[f"{part}_appeal_detail"] = str(
                    _("Say how to challenge it and who reviews the challenge.")
                )
        if (self.phase == Phase.RETIRED) != (self.stage == Stage.RETIRED):
            errors["stage"] = str(
                _("Retire the record in both places: set the phase and the stage to “Retired”.")
            )
        if errors:
            raise ValidationError(errors)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context.update(
            public_devices=visible_to_public(self.devices.live()).order_by("title"),
            public_dpias=visible_to_public(self.dpias.live()).order_by("title"),
            ai_sections=describe_datachain(datachain_entries(self.ai_datachain), "ai"),
            updated_on=publication_times(self),
        )
        return context


class AlgorithmSupplier(Orderable):
    """ATRS ``external_supplier``, ``external_supplier_identifier``, ``external_supplier_role``
    and ``data_access_terms``, one row per supplier."""

    page = ParentalKey(AlgorithmRecordPage, on_delete=models.CASCADE, related_name="suppliers")
    external_supplier = models.CharField(_("supplier"), max_length=200)
    external_supplier_identifier = models.CharField(
        _("Companies House number"),
        max_length=8,
        blank=True,
        help_text=_("Eight characters, e.g. 01234567 or SC123456."),
    )
    external_supplier_role = models.TextField(_("what the supplier does"))
    data_access_terms = models.TextField(_("the supplier's access to data"), blank=True)

    panels: ClassVar[list] = [
        FieldRowPanel(
            [FieldPanel("external_supplier"), FieldPanel("external_supplier_identifier")]
        ),
        FieldPanel("external_supplier_role"),
        FieldPanel("data_access_terms"),
    ]

    def clean(self) -> None:
        super().clean()
        number = self.external_supplier_identifier.strip().upper()
        if number and not COMPANIES_HOUSE_NUMBER.match(number):
            raise ValidationError(
                {
                    "external_supplier_identifier": _(
                        "A Companies House number is 8 characters: 8 digits (01234567) or 2 "
                        "letters and 6 digits (SC123456). Leave it empty if there is none."
                    )
                }
            )
        self.external_supplier_identifier = number


class AlgorithmDataSource(Orderable):
    """ATRS ``source_data_name`` and the data fields that repeat with it."""

    page = ParentalKey(AlgorithmRecordPage, on_delete=models.CASCADE, related_name="data_sources")
    source_data_name = models.CharField(_("data source"), max_length=200)
    source_data_description = models.TextField(_("description"))
    source_data_url = models.URLField(_("link"), blank=True)
    data_collection = models.TextField(_("how and why it was collected"))
    data_sharing_agreements = models.TextField(_("data sharing agreements"))
    data_access_and_storage = models.TextField(_("who can access it and where it is stored"))

    panels: ClassVar[list] = [
        FieldRowPanel([FieldPanel("source_data_name"), FieldPanel("source_data_url")]),
        FieldPanel("source_data_description"),
        FieldPanel("data_collection"),
        FieldPanel("data_sharing_agreements"),
        FieldPanel("data_access_and_storage"),
    ]


class AlgorithmImpactAssessment(Orderable):
    """ATRS ``impact_assessment_name`` and its repeating details (DPIAs are linked apart)."""

    page = ParentalKey(
        AlgorithmRecordPage, on_delete=models.CASCADE, related_name="impact_assessments"
    )
    impact_assessment_name = models.CharField(_("assessment"), max_length=200)
    impact_assessment_description = models.TextField(_("description"), blank=True)
    impact_assessment_date = models.DateField(_("date"), null=True, blank=True)
    impact_assessment_link = models.URLField(_("link"), blank=True)

    panels: ClassVar[list] = [
        FieldRowPanel([FieldPanel("impact_assessment_name"), FieldPanel("impact_assessment_date")]),
        FieldPanel("impact_assessment_description"),
        FieldPanel("impact_assessment_link"),
    ]


class AlgorithmRisk(Orderable):
    """ATRS ``risk_name``, ``risk_description`` and ``risk_mitigation``."""

    page = ParentalKey(AlgorithmRecordPage, on_delete=models.CASCADE, related_name="risks")
    risk_name = models.CharField(_("risk"), max_length=200)
    risk_description = models.TextField(_("description"), blank=True)
    risk_mitigation = models.TextField(_("mitigation"), blank=True)

    panels: ClassVar[list] = [
        FieldPanel("risk_name"),
        FieldPanel("risk_description"),
        FieldPanel("risk_mitigation"),
    ]
