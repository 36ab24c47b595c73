"""Site-wide settings and the standard content page."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from dtpr_assets.icons import contrast_ratio

from .blocks import ContentStreamBlock
from .visibility import CachedViewRestrictionsMixin

WHITE = "#ffffff"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MINIMUM_TEXT_CONTRAST = 4.5


@register_setting(icon="site")
class CouncilSettings(BaseSiteSetting):
    """Who runs this portal. Drives the header, the footer and every contact line."""

    council_name = models.CharField(
        _("council name"),
        max_length=120,
        default="Your council",
        help_text=_("Shown in the header of every page, e.g. 'Riverside Borough Council'."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("Optional. Shown in the header instead of the council's name."),
    )
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1d4f5c",
        help_text=_(
            "A hex colour such as #1d4f5c for the header. White text must be readable on it "
            "(contrast of at least 4.5 to 1)."
        ),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("A role mailbox, such as smartstreets@council.example. Never a person's."),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("council website"), blank=True)

    panels: ClassVar[list] = [
        MultiFieldPanel(
            [FieldPanel("council_name"), FieldPanel("logo"), FieldPanel("brand_colour")],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("website")],
            heading=_("Contact"),
        ),
    ]

    class Meta:
        verbose_name = _("council settings")

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        cache.delete(council_cache_key(self.site_id))

    def clean(self) -> None:
        super().clean()
        if not HEX_COLOUR.match(self.brand_colour or ""):
            raise ValidationError(
                {
                    "brand_colour": _(
                        "Enter the colour as # followed by six hex digits, e.g. #1d4f5c."
                    )
                }
            )
        ratio = contrast_ratio(self.brand_colour, WHITE)
        if ratio < MINIMUM_TEXT_CONTRAST:
            raise ValidationError(
                {
                    "brand_colour": _(
                        "White text on this colour has a contrast of %(ratio).1f to 1; it must be "
                        "at least 4.5 to 1. Choose a darker colour."
                    )
                    % {"ratio": ratio}
                }
            )


COUNCIL_CACHE_SECONDS = 300


def council_cache_key(site_id: int) -> str:
    return f"plainsight:council-settings:{site_id}"


def council_for_request(request: HttpRequest) -> CouncilSettings:
    """The council's settings, cached so that pages do not read them on every request.

    Saving the settings clears the cache; with a per-process cache (no REDIS_URL), other
    processes see a change within five minutes.
    """
    site = Site.find_for_request(request)
    if site is None:
        return CouncilSettings()
    key = council_cache_key(site.pk)
    council = cache.get(key)
    if council is None:
        council = CouncilSettings.for_site(site)
        cache.set(key, council, COUNCIL_CACHE_SECONDS)
    return council


class StandardPage(CachedViewRestrictionsMixin, Page):
    """The pages every council site needs: about, privacy notice, accessibility, contact."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        max_length=400,
        help_text=_("One or two plain sentences shown under the title."),
    )
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("content"))

    content_panels: ClassVar[list] = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields: ClassVar[list] = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types: ClassVar[list[str]] = ["home.HomePage", "core.StandardPage"]
    subpage_types: ClassVar[list[str]] = ["core.StandardPage"]
    page_description = _("A page of text, such as the privacy notice or accessibility statement.")
    template = "core/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
