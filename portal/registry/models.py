"""The public register of street devices: organisations, the register page and device pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from dtpr_assets.validation import personal_data_level
from portal.concerns.forms import ConcernForm
from portal.core.maps import map_points_json
from portal.core.visibility import CachedViewRestrictionsMixin, visible_to_public
from portal.signage.panels import SignAndScansPanel
from portal.signage.services import issue_code, short_link, short_link_text

from .blocks import DatachainBlock, datachain_entries
from .forms import DevicePageForm
from .presentation import describe_datachain, personal_data_answer

# Free e-mail services are where personal addresses live; a register lists role mailboxes.
PERSONAL_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "live.co.uk",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "aol.com",
        "btinternet.com",
        "sky.com",
        "virginmedia.com",
        "proton.me",
        "protonmail.com",
    }
)


class Organisation(index.Indexed, models.Model):
    """An organisation accountable for devices. Never a person: role mailboxes only."""

    class Role(models.TextChoices):
        COUNCIL = "council", _("Council")
        OPERATOR = "operator", _("Operator")
        SUPPLIER = "supplier", _("Supplier")
        PARTNER = "partner", _("Partner")

    name = models.CharField(_("name"), max_length=160, unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COUNCIL)
    email = models.EmailField(
        _("role mailbox"),
        blank=True,
        help_text=_("A shared mailbox such as dataprotection@council.example, never a person's."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)

    panels: ClassVar[list] = [
        FieldPanel("name"),
        FieldPanel("role"),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("website")],
            heading=_("How residents contact them"),
        ),
    ]
    search_fields: ClassVar[list] = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ("name",)
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        domain = self.email.rpartition("@")[2].lower()
        if domain in PERSONAL_MAIL_DOMAINS:
            raise ValidationError(
                {
                    "email": _(
                        "This looks like a personal e-mail address. Enter a shared role mailbox "
                        "at the organisation's own domain, such as info@operator.example."
                    )
                }
            )
        if not (self.email or self.phone or self.website):
            raise ValidationError(
                _(
                    "Give at least one way to contact this organisation: a role mailbox, a phone "
                    "number or a website."
                )
            )


class DeviceStatus(models.TextChoices):
    """A device's lifecycle, in the order a device usually moves through it."""

    PLANNED = "planned", _("Planned")
    INSTALLED = "installed", _("Installed, not yet in use")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    UNDER_INVESTIGATION = "investigation", _("Under investigation")
    RETIRED = "retired", _("Retired")


STATUS_TAG_COLOURS = {
    DeviceStatus.PLANNED: "blue",
    DeviceStatus.INSTALLED: "turquoise",
    DeviceStatus.ACTIVE: "green",
    DeviceStatus.PAUSED: "yellow",
    DeviceStatus.UNDER_INVESTIGATION: "orange",
    DeviceStatus.RETIRED: "grey",
}

# What each status means for a resident standing next to the device.
STATUS_EXPLANATIONS = {
    DeviceStatus.PLANNED: _("The council plans to install this device. It is not collecting data."),
    DeviceStatus.INSTALLED: _(
        "This device is installed but not switched on yet. It is not collecting data."
    ),
    DeviceStatus.ACTIVE: _("This device is in use."),
    DeviceStatus.PAUSED: _("This device is switched off for now and is not collecting data."),
    DeviceStatus.UNDER_INVESTIGATION: _(
        "This device is out of service while the council investigates a problem or a concern "
        "about it. It is not collecting data."
    ),
    DeviceStatus.RETIRED: _("This device has been retired and no longer collects data."),
}


class PersonalData(models.TextChoices):
    IDENTIFIABLE = "identifiable", _("Identifiable")
    DE_IDENTIFIED = "de_identified", _("De-identified")
    NONE = "none", _("None")


# How the register describes a device's personal data in a line; "None" alone reads like a gap.
PERSONAL_DATA_SUMMARIES = {
    PersonalData.IDENTIFIABLE: _("Collects personal data that can identify people"),
    PersonalData.DE_IDENTIFIED: _("Senses people but de-identifies the data"),
    PersonalData.NONE: _("Collects no personal data"),
}


class DeviceIndexPage(CachedViewRestrictionsMixin, Page):
    """The register at /devices/: every published device, with filters, a map and a search."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels: ClassVar[list] = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types: ClassVar[list[str]] = ["home.HomePage"]
    subpage_types: ClassVar[list[str]] = ["registry.DevicePage"]
    max_count = 1
    page_description = _("The public register of devices. A site has one.")
    template = "registry/device_index_page.html"

    class Meta:
        verbose_name = _("device register")

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        # A QR scan lands here: fetch the device as its own type in one query, rather than
        # Wagtail's generic lookup followed by a second query for the specific page.
        if path_components:
            device = DevicePage.objects.child_of(self).filter(slug=path_components[0]).first()
            if device is None:
                raise Http404
            return device.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .filters import DeviceFilter  # the filter set needs the page model to exist

        context = super().get_context(request, *args, **kwargs)
        devices = DevicePage.objects.child_of(self).listed()
        device_filter = DeviceFilter(request.GET, devices=devices)
        paginator = Paginator(device_filter.results(), 50)
        page_of_devices = paginator.get_page(request.GET.get("page"))
        context.update(
            device_filter=device_filter,
            devices=page_of_devices,
            result_count=paginator.count,
            map_points=map_points_json([device.map_point() for device in page_of_devices]),
        )
        return context


class DevicePageQuerySet(PageQuerySet):
    def visible_on(self, day: date) -> DevicePageQuerySet:
        """Devices not past their "do not show after" date."""
        return self.filter(models.Q(hide_after__isnull=True) | models.Q(hide_after__gte=day))

    def under(self, home: Page, register_slug: str, device_slug: str) -> DevicePageQuerySet:
        """The device at ``<home>/<register_slug>/<device_slug>/``, found in one query.

        A QR scan resolves the register and then the device; asking for the device whose
        parent has the register's slug saves the register's own query on every scan.
        """
        depth = home.depth + 1
        register = Page.objects.filter(
            depth=depth,
            slug=register_slug,
            path=Substr(OuterRef("path"), 1, depth * Page.steplen),
        )
        return self.filter(depth=depth + 1, path__startswith=home.path, slug=device_slug).filter(
            Exists(register)
        )

    def listed(self) -> DevicePageQuerySet:
        """What every public listing shows: live, unrestricted, not past "do not show after"."""
        return visible_to_public(self.live()).visible_on(timezone.localdate())


DevicePageManager = PageManager.from_queryset(DevicePageQuerySet)


class DevicePage(CachedViewRestrictionsMixin, Page):
    """One device in public space: the page a resident reaches from the QR code on its sign."""

    code = models.CharField(
        _("short code"),
        max_length=8,
        unique=True,
        editable=False,
        help_text=_("Printed under the QR code. Never changes."),
    )
    status = models.CharField(
        _("status"), max_length=14, choices=DeviceStatus.choices, default=DeviceStatus.PLANNED
    )
    status_since = models.DateField(
        _("status since"),
        null=True,
        blank=True,
        help_text=_("When the device entered its current status. Set to today if left empty."),
    )
    summary = models.TextField(
        _("plain-English summary"),
        max_length=600,
        help_text=_(
            "What the device does and why, in one or two sentences a resident understands."
        ),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        help_text=_("Decimal degrees, e.g. 51.507400."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
        help_text=_("Decimal degrees, e.g. -0.127800. West of Greenwich is negative."),
    )
    location_description = models.CharField(
        _("where it is"),
        max_length=200,
        help_text=_(
            "How a passer-by would find it, e.g. 'On the lamp post outside 12 High Street'."
        ),
    )
    area = models.CharField(
        _("area or ward"),
        max_length=80,
        blank=True,
        db_index=True,
        help_text=_("Used to filter the register, e.g. 'Riverside ward'."),
    )
    area_geojson = models.JSONField(
        _("area covered (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Optional. A GeoJSON Polygon of the area the device observes."),
    )
    installed_on = models.DateField(
        _("installed on"),
        null=True,
        blank=True,
        help_text=_(
            "A future date moves a planned device to “Installed” on that day "
            "(manage.py apply_lifecycle)."
        ),
    )
    review_by = models.DateField(_("review by"), null=True, blank=True)
    hide_after = models.DateField(
        _("do not show after"),
        null=True,
        blank=True,
        help_text=_("Optional. The page leaves the register after this date."),
    )
    retired_on = models.DateField(
        _("retired on"),
        null=True,
        blank=True,
        help_text=_(
            "When the device was, or will be, switched off. A future date retires it on that "
            "day (manage.py apply_lifecycle). Set to today if left empty when retired."
        ),
    )

    outcome = models.TextField(
        _("outcome"),
        blank=True,
        max_length=600,
        help_text=_("The change in the world this device is meant to bring about."),
    )
    if_had_then = models.TextField(
        _("if … had … then they could …"),
        blank=True,
        max_length=600,
        help_text=_("e.g. 'If the highways team had hourly traffic counts, then they could …'"),
    )
    insight = models.TextField(_("insight"), blank=True, max_length=600)
    data_needed = models.TextField(_("data"), blank=True, max_length=600)

    datachain = StreamField(DatachainBlock(), verbose_name=_("DTPR datachain"))

    # Derived from the datachain when the page is saved, so the register can filter quickly.
    personal_data = models.CharField(
        _("personal data"),
        max_length=16,
        choices=PersonalData.choices,
        default=PersonalData.NONE,
        editable=False,
        db_index=True,
    )
    purpose_index = models.CharField(max_length=400, editable=False, default="")
    technology_index = models.CharField(max_length=600, editable=False, default="")

    content_panels: ClassVar[list] = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("status"), FieldPanel("status_since")]),
                FieldRowPanel([FieldPanel("installed_on"), FieldPanel("review_by")]),
                FieldRowPanel([FieldPanel("retired_on"), FieldPanel("hide_after")]),
            ],
            heading=_("Status and dates"),
        ),
        InlinePanel(
            "accountable_organisations",
            heading=_("Accountable organisations"),
            label=_("Organisation"),
            help_text=_("In order of importance: the council first, then operators or suppliers."),
        ),
        FieldPanel("datachain"),
        MultiFieldPanel(
            [
                FieldPanel("outcome"),
                FieldPanel("if_had_then"),
                FieldPanel("insight"),
                FieldPanel("data_needed"),
            ],
            heading=_("Why is this here? (outcome canvas)"),
        ),
    ]
    location_panels: ClassVar[list] = [
        FieldPanel("location_description"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("area"),
        FieldPanel("area_geojson"),
    ]
    search_fields: ClassVar[list] = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("location_description"),
        index.SearchField("area"),
        index.FilterField("status"),
        index.FilterField("personal_data"),
        index.FilterField("code"),
    ]

    objects = DevicePageManager()

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Device")),
            ObjectList(location_panels, heading=_("Location")),
            ObjectList([SignAndScansPanel()], heading=_("Sign and scans")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    base_form_class = DevicePageForm
    # A copied page is a new device: it gets its own code, never the original's.
    exclude_fields_in_copy: ClassVar[list[str]] = ["code"]
    parent_page_types: ClassVar[list[str]] = ["registry.DeviceIndexPage"]
    subpage_types: ClassVar[list[str]] = []
    page_description = _(
        "A device in public space, labelled with DTPR. Its sign's QR code opens it."
    )
    template = "registry/device_page.html"

    class Meta:
        verbose_name = _("device")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            self.code = issue_code()
        self._refresh_datachain_index()
        # A draft save passes update_fields and leaves the derived columns as published.
        super().save(*args, **kwargs)

    def _refresh_datachain_index(self) -> None:
        entries = datachain_entries(self.datachain)
        self.personal_data = personal_data_level(entries)
        self.purpose_index = (
            "".join(
                f"|{entry['element_id']}" for entry in entries if entry["category"] == "purpose"
            )
            + "|"
        )
        self.technology_index = (
            "".join(f"|{entry['element_id']}" for entry in entries if entry["category"] == "tech")
            + "|"
        )

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        if self.status == DeviceStatus.RETIRED and self.retired_on is None:
            self.retired_on = today
        if self.status_since is None or self._status_changed_without_a_date():
            self.status_since = (
                self.retired_on if self.status == DeviceStatus.RETIRED else None
            ) or today
        if self.status == DeviceStatus.RETIRED and self.retired_on and self.retired_on > today:
            raise ValidationError(
                {
                    "retired_on": _(
                        "A retired device cannot have a retirement date in the future. Keep its "
                        "current status: it will be retired automatically on that date."
                    )
                }
            )
        if self.installed_on and self.retired_on and self.retired_on < self.installed_on:
            raise ValidationError(
                {"retired_on": _("The retirement date must be on or after the installation date.")}
            )
        if self.installed_on and self.review_by and self.review_by < self.installed_on:
            raise ValidationError(
                {"review_by": _("The review date must be on or after the installation date.")}
            )
        if self.area_geojson:
            problem = geojson_polygon_problem(self.area_geojson)
            if problem:
                raise ValidationError({"area_geojson": problem})

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict[str, Any]]:
        return [] if self.is_unlisted() else super().get_sitemap_urls(request)

    def _status_changed_without_a_date(self) -> bool:
        """The editor changed the status but left "status since" as it was."""
        if not self.pk:
            return False
        stored = DevicePage.objects.filter(pk=self.pk).values_list("status", "status_since").first()
        return stored is not None and stored[0] != self.status and stored[1] == self.status_since

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        answer, explanation = personal_data_answer(self.personal_data)
        context.update(
            links=self.accountable_organisations.select_related("organisation"),
            sections=describe_datachain(datachain_entries(self.datachain)),
            personal_data_answer=answer,
            personal_data_explanation=explanation,
            map_points=map_points_json([self.map_point()]),
            short_link=short_link(self.code),
            concern_form=ConcernForm(),
            # The reverse side of DpiaPage.devices; listed so residents can read what was assessed.
            assessments=list(visible_to_public(self.dpias.live()).order_by("title")),
            algorithms=list(visible_to_public(self.algorithm_records.live()).order_by("title")),
            assurances=list(
                self.supplier_assurances.select_related("supplier").prefetch_related("answers")
            ),
            short_link_text=short_link_text(self.code),
            unlisted=self.is_unlisted(),
        )
        return context

    @cached_property
    def organisations(self) -> list[Organisation]:
        return [link.organisation for link in self.accountable_organisations.all()]

    def datachain_entries(self) -> list[dict[str, Any]]:
        """The full chain, accountable organisations first, as ``dtpr_assets`` expects."""
        accountable = [
            {
                "category": "accountable",
                "element_id": "institution"
                if org.role == Organisation.Role.COUNCIL
                else "organization",
                "additional_description": org.name,
                "variables": {},
            }
            for org in self.organisations
        ]
        return accountable + datachain_entries(self.datachain)

    def map_point(self) -> dict[str, Any]:
        return {
            "name": self.title,
            "url": self.url,
            "lat": float(self.latitude),
            "lon": float(self.longitude),
            "status": str(self.get_status_display()),
            "personal": self.personal_data,
            "personal_text": self.personal_data_summary,
        }

    @property
    def status_tag_colour(self) -> str:
        """The GOV.UK tag colour for the status: green for active, grey once retired."""
        return STATUS_TAG_COLOURS[self.status]

    @property
    def personal_data_summary(self) -> str:
        return str(PERSONAL_DATA_SUMMARIES[self.personal_data])

    @property
    def is_retired(self) -> bool:
        return self.status == DeviceStatus.RETIRED

    @property
    def status_explanation(self) -> str:
        return str(STATUS_EXPLANATIONS[self.status])

    @property
    def is_out_of_service(self) -> bool:
        """Paused or under investigation: the page warns passers-by near the top."""
        return self.status in (DeviceStatus.PAUSED, DeviceStatus.UNDER_INVESTIGATION)

    def is_unlisted(self, day: date | None = None) -> bool:
        """Past its "do not show after" date: out of every public listing."""
        return self.hide_after is not None and self.hide_after < (day or timezone.localdate())

    def is_due_for_review(self, day: date | None = None) -> bool:
        return self.review_by is not None and self.review_by < (day or timezone.localdate())


def geojson_polygon_problem(value: Any) -> str | None:
    """Explain what is wrong with a GeoJSON Polygon, or return None if it is usable."""
    if not isinstance(value, dict) or value.get("type") != "Polygon":
        return str(_('Enter a GeoJSON object with "type": "Polygon" and its "coordinates".'))
    rings = value.get("coordinates")
    if not isinstance(rings, list) or not rings:
        return str(
            _("A polygon needs a list of rings, each a list of [longitude, latitude] pairs.")
        )
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
            return str(_("Each ring needs at least four positions and must end where it starts."))
        for position in ring:
            if (
                not isinstance(position, list)
                or len(position) < 2
                or not all(isinstance(n, int | float) for n in position[:2])
                or not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90)
            ):
                return str(
                    _(
                        "Each position must be [longitude, latitude] in decimal degrees, "
                        "longitude first."
                    )
                )
    return None


class DeviceOrganisation(Orderable):
    """Links a device to an accountable organisation, in order of importance."""

    page = ParentalKey(
        DevicePage, on_delete=models.CASCADE, related_name="accountable_organisations"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="device_links",
        verbose_name=_("organisation"),
    )
    responsibility = models.CharField(
        _("what they are responsible for"),
        max_length=160,
        blank=True,
        help_text=_("e.g. 'Owns the camera and decides how footage is used'."),
    )

    panels: ClassVar[list] = [FieldPanel("organisation"), FieldPanel("responsibility")]

    class Meta(Orderable.Meta):
        verbose_name = _("accountable organisation")
