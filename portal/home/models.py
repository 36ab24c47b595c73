"""The portal's home page."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from portal.core.blocks import ContentStreamBlock
from portal.core.visibility import CachedViewRestrictionsMixin


class HomePage(CachedViewRestrictionsMixin, Page):
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        max_length=600,
        help_text=_("What residents can do here, in one or two sentences."),
    )
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("content"))

    content_panels: ClassVar[list] = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    parent_page_types: ClassVar[list[str]] = ["wagtailcore.Page"]
    subpage_types: ClassVar[list[str]] = [
        "registry.DeviceIndexPage",
        "assessments.AssessmentIndexPage",
        "citizen_science.ScienceIndexPage",
        "surveys.SurveyIndexPage",
        "core.StandardPage",
    ]
    max_count = 1
    page_description = _("The front page of the portal.")
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("home page")

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        # The register is the hot path (every QR scan passes through it): look it up as its
        # own type in one query; other children take Wagtail's generic route.
        from portal.registry.models import DeviceIndexPage, DevicePage

        if len(path_components) >= 2:
            device = DevicePage.objects.under(self, *path_components[:2]).first()
            if device is not None:
                return device.route(request, path_components[2:])
        if len(path_components) == 1:
            # Deeper paths that are not a device (a campaign, a DPIA) go straight to the
            # generic route rather than paying for a register lookup that cannot help.
            register = DeviceIndexPage.objects.child_of(self).filter(slug=path_components[0])
            register_page = register.first()
            if register_page is not None:
                return register_page.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from portal.registry.models import DeviceIndexPage, DevicePage

        context = super().get_context(request, *args, **kwargs)
        context["register"] = DeviceIndexPage.objects.child_of(self).live().first()
        context["device_count"] = DevicePage.objects.descendant_of(self).listed().count()
        return context
