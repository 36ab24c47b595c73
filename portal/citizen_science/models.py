"""Citizen science: campaigns, the sites readings are taken at, contributors and their readings.

A reading's exact location is kept for moderation only; everything public is coarsened to the
campaign's precision. A reading is stored once per ``client_uuid``, whoever sends it again.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from portal.core.visibility import CachedViewRestrictionsMixin


class ScienceIndexPage(CachedViewRestrictionsMixin, Page):
    """The citizen-science index at /science/: the council's campaigns."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels: ClassVar[list] = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types: ClassVar[list[str]] = ["home.HomePage"]
    subpage_types: ClassVar[list[str]] = ["citizen_science.CampaignPage"]
    max_count = 1
    page_description = _("Lists the citizen-science campaigns. A site has one.")
    template = "citizen_science/science_index_page.html"

    class Meta:
        verbose_name = _("citizen science index")


class CampaignState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for readings")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Results published")


class Sampling(models.TextChoices):
    # A diffusion tube integrates over weeks; a rain gauge or noise meter gives a reading at a time.
    EXPOSURE = "exposure", _("Exposure period (start and end, e.g. diffusion tubes)")
    INSTANT = "instant", _("A reading at a moment in time")


class Licence(models.TextChoices):
    OGL = "OGL-UK-3.0", _("Open Government Licence v3.0")
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    ODBL = "ODbL-1.0", _("Open Database Licence 1.0")


# Grid sizes for published locations, in metres; the exact point is never published.
PRECISION_CHOICES = [
    (100, _("100 metres")),
    (250, _("250 metres")),
    (500, _("500 metres")),
    (1000, _("1 kilometre")),
]


class CampaignPage(RoutablePageMixin, CachedViewRestrictionsMixin, Page):
    """What volunteers measure, how, where, and how results are published."""

    summary = models.TextField(_("summary"), max_length=600)
    observed_property = models.CharField(
        _("what is measured"), max_length=120, help_text=_("e.g. 'Nitrogen dioxide (NO2)'.")
    )
    unit = models.CharField(
        _("unit"), max_length=20, help_text=_("Readings must use exactly this unit, e.g. µg/m³.")
    )
    method = models.TextField(
        _("method"), help_text=_("How to take a reading, in plain English a volunteer can follow.")
    )
    sampling = models.CharField(
        _("sampling"), max_length=10, choices=Sampling.choices, default=Sampling.INSTANT
    )
    sampling_description = models.CharField(
        _("sampling period"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 'Four-week exposure periods, changed on the first Monday'."),
    )
    valid_min = models.FloatField(
        _("lowest possible value"), help_text=_("Readings below this are refused as impossible.")
    )
    valid_max = models.FloatField(
        _("highest possible value"), help_text=_("Readings above this are refused as impossible.")
    )
    expected_min = models.FloatField(
        _("lowest usual value"),
        null=True,
        blank=True,
        help_text=_("Readings outside the usual range are accepted but flagged for a check."),
    )
    expected_max = models.FloatField(_("highest usual value"), null=True, blank=True)
    threshold = models.FloatField(
        _("threshold"),
        null=True,
        blank=True,
        help_text=_("e.g. 40 for the NO2 annual limit of 40 µg/m³. Exceedances are counted."),
    )
    threshold_label = models.CharField(_("threshold name"), max_length=120, blank=True)
    location_precision_m = models.PositiveIntegerField(
        _("published location precision"), choices=PRECISION_CHOICES, default=250
    )
    area_geojson = models.JSONField(
        _("campaign area (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Optional. Readings outside it are accepted but flagged."),
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.OGL
    )
    consent_text = models.TextField(
        _("consent"),
        help_text=_("What volunteers agree to when they join: what is kept, published and why."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.PLANNED
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    auto_accept = models.BooleanField(
        _("accept usual readings automatically"),
        default=False,
        help_text=_("Readings inside the usual range skip the moderation queue."),
    )
    bias_factor = models.DecimalField(
        _("bias adjustment factor"),
        max_digits=5,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.100")), MaxValueValidator(Decimal("5.000"))],
        help_text=_(
            "For diffusion tubes: the factor from co-location with a reference analyser. "
            "Published values are labelled adjusted; raw values are kept."
        ),
    )
    precision_limit_percent = models.PositiveSmallIntegerField(
        _("precision limit for duplicate tubes (%)"),
        default=20,
        help_text=_("Duplicate or triplicate tubes that differ more than this are flagged."),
    )

    content_panels: ClassVar[list] = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("state"), FieldPanel("starts_on"), FieldPanel("ends_on")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("observed_property"), FieldPanel("unit")]),
                FieldPanel("method"),
                FieldRowPanel([FieldPanel("sampling"), FieldPanel("sampling_description")]),
                FieldRowPanel([FieldPanel("valid_min"), FieldPanel("valid_max")]),
                FieldRowPanel([FieldPanel("expected_min"), FieldPanel("expected_max")]),
                FieldRowPanel([FieldPanel("threshold"), FieldPanel("threshold_label")]),
            ],
            heading=_("What is measured"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("auto_accept"),
                FieldRowPanel([FieldPanel("bias_factor"), FieldPanel("precision_limit_percent")]),
            ],
            heading=_("Quality"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("location_precision_m"),
                FieldPanel("area_geojson"),
                FieldPanel("licence"),
                FieldPanel("consent_text"),
            ],
            heading=_("Privacy and publication"),
        ),
    ]
    search_fields: ClassVar[list] = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("observed_property"),
    ]
    parent_page_types: ClassVar[list[str]] = ["citizen_science.ScienceIndexPage"]
    subpage_types: ClassVar[list[str]] = []
    page_description = _("A citizen-science campaign: what volunteers measure and the results.")
    template = "citizen_science/campaign_page.html"

    class Meta:
        verbose_name = _("campaign")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.valid_min is not None and self.valid_max is not None:
            if self.valid_min >= self.valid_max:
                errors["valid_max"] = _("The highest possible value must be above the lowest.")
            for name in ("expected_min", "expected_max"):
                value = getattr(self, name)
                if value is not None and not self.valid_min <= value <= self.valid_max:
                    errors[name] = _("The usual range must lie inside the possible range.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The campaign must end on or after the day it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_accepting_readings(self) -> bool:
        return self.state == CampaignState.OPEN

    @property
    def results_public(self) -> bool:
        # Accepted readings are shown while a campaign runs and after; nothing before it opens.
        return self.state != CampaignState.PLANNED

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .results import campaign_results

        context = super().get_context(request, *args, **kwargs)
        context["results"] = campaign_results(self) if self.results_public else None
        return context

    @path("")
    def campaign(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    @path("log/")
    def log_reading(self, request: HttpRequest) -> HttpResponse:
        from .web_form import log_reading

        return log_reading(request, self)


class Site(models.Model):
    """A place readings are taken. Its exact position is internal: it may be someone's home."""

    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="sites")
    code = models.SlugField(_("site code"), max_length=40, help_text=_("e.g. 'NO2-017'."))
    name = models.CharField(_("public name"), max_length=120, help_text=_("e.g. 'Elm Road'."))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    device = models.ForeignKey(
        "registry.DevicePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="science_sites",
        verbose_name=_("device"),
        help_text=_("Optional. A device whose sign volunteers scan at this site."),
    )

    panels: ClassVar[list] = [
        FieldPanel("campaign"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("device"),
    ]

    class Meta:
        ordering = ("campaign", "code")
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["campaign", "code"], name="site_code_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Contributor(models.Model):
    """A pseudonymous volunteer: no name, no e-mail; a token only they hold (stored hashed)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contributor")

    def __str__(self) -> str:
        return f"Contributor {str(self.public_id)[:8]}"


class Consent(models.Model):
    """A contributor's consent to one campaign, with the exact text they agreed to."""

    contributor = models.ForeignKey(Contributor, on_delete=models.CASCADE, related_name="consents")
    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="consents")
    consent_text = models.TextField()
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["contributor", "campaign"], name="one_consent_each")
        ]

    def __str__(self) -> str:
        return f"{self.contributor}: {self.campaign}"


class ReadingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a check")
    FLAGGED = "flagged", _("Flagged for a closer check")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Reading(models.Model):
    """One measurement. Public outputs use accepted readings only, with coarsened locations."""

    client_uuid = models.UUIDField(unique=True, editable=False)
    receipt = models.CharField(max_length=20, unique=True, editable=False)
    received_at = models.DateTimeField(editable=False, db_index=True)
    # Rows inserted by one request share it, so a batch can tell its new rows from old ones.
    batch = models.UUIDField(editable=False)

    campaign = models.ForeignKey(CampaignPage, on_delete=models.PROTECT, related_name="readings")
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="readings"
    )
    contributor = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="readings"
    )
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=20)
    observed_at = models.DateTimeField(_("observed at"), db_index=True)
    exposure_start = models.DateTimeField(_("exposure start"), null=True, blank=True)
    # Where and when this reading counts in the published results (see results.py): the local
    # days its exposure began and ended (the same day for instant readings), and for readings
    # without a site a 100 m grid cell, never the exact point.
    period_start = models.DateField(editable=False)
    period_end = models.DateField(editable=False)
    cell = models.CharField(max_length=40, blank=True, editable=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.FloatField(_("location accuracy (m)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=1000)

    status = models.CharField(
        _("status"), max_length=10, choices=ReadingStatus.choices, default=ReadingStatus.PENDING
    )
    flags = models.JSONField(_("flags"), default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ("-received_at",)
        indexes: ClassVar[list] = [
            models.Index(fields=["campaign", "status", "period_start"], name="reading_results"),
            models.Index(fields=["campaign", "status", "observed_at"], name="reading_queue"),
            # The latest accepted readings of a site (SensorThings "latest per Datastream"):
            # a few index entries per site, whatever the size of the table.
            models.Index(
                fields=["site", "status", "observed_at", "id"], name="reading_site_latest"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt


class ModerationEvent(models.Model):
    """The audit trail: who changed a reading's status, when and why."""

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=10, choices=ReadingStatus.choices)
    to_status = models.CharField(max_length=10, choices=ReadingStatus.choices)
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-at",)

    def __str__(self) -> str:
        return f"{self.reading}: {self.from_status} → {self.to_status}"


def private_storage() -> Storage:
    return storages["private"]


class ReadingPhoto(models.Model):
    """A photo sent with a reading, stored only as re-encoded pixels: no EXIF, no GPS, no serial.

    The original upload is never written to disk. Photos stay internal for moderation; only
    the thumbnail may be shown publicly, and only for accepted readings.
    """

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="photos")
    client_uuid = models.UUIDField(unique=True, editable=False)
    receipt = models.CharField(max_length=20, unique=True, editable=False)
    received_at = models.DateTimeField(auto_now_add=True)
    image = models.FileField(upload_to="readings/photos/%Y/%m/", storage=private_storage)
    thumbnail = models.FileField(upload_to="readings/thumbnails/%Y/%m/", storage=private_storage)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ("received_at",)

    def __str__(self) -> str:
        return self.receipt


class PeriodResult(models.Model):
    """Accepted readings of one place over one period, summed up once so pages never scan readings.

    A place is a site, or for readings without one a 100 m grid cell (coarsened again to the
    campaign's precision before it is shown). A period is a tube's exposure (co-located
    duplicate and triplicate tubes share one) or a local day for instant readings. Rows are
    rebuilt by ``results.refresh_periods`` whenever a reading in them is accepted, rejected or
    erased, so the results page reads a few hundred rows whether there are ten thousand
    readings or a million. Figures here are raw: the bias factor and threshold are applied on
    reading, so an editor can change them without a rebuild.
    """

    campaign = models.ForeignKey(CampaignPage, on_delete=models.CASCADE, related_name="results")
    site = models.ForeignKey(Site, null=True, on_delete=models.CASCADE, related_name="results")
    cell = models.CharField(max_length=40, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    readings = models.PositiveIntegerField()
    mean_raw = models.FloatField()
    min_raw = models.FloatField()
    max_raw = models.FloatField()

    class Meta:
        ordering = ("period_start", "period_end")
        indexes: ClassVar[list] = [
            models.Index(fields=["campaign", "period_start"], name="period_result_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.site_id or self.cell} {self.period_start}"
