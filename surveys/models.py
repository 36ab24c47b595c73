"""Deliberative surveys: pages with questions, anonymous responses, codes, moderated free text.

A response holds answers only: no name, no e-mail, no IP address, no browser details. One
response per participant is enforced with a hash of a participant token (the web form's
cookie, or the app's) or with a one-time code from a postal invitation.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.core.visibility import CachedViewRestrictionsMixin

from .blocks import SectionBlock
from .definition import SurveyDefinition, build_definition


class SurveyIndexPage(CachedViewRestrictionsMixin, Page):
    """The surveys index at /surveys/: open surveys first, then published results."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels: ClassVar[list] = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types: ClassVar[list[str]] = ["home.HomePage"]
    subpage_types: ClassVar[list[str]] = ["surveys.SurveyPage"]
    max_count = 1
    page_description = _("Lists the council's surveys. A site has one.")
    template = "surveys/survey_index_page.html"

    class Meta:
        verbose_name = _("survey index")


class TrackerSeries(models.Model):
    """Surveys asked again over time (waves) with shared question keys, compared in results."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels: ClassVar[list] = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        verbose_name = _("tracker series")
        verbose_name_plural = _("tracker series")

    def __str__(self) -> str:
        return self.name


class SurveyPage(RoutablePageMixin, CachedViewRestrictionsMixin, Page):
    """A survey residents answer on the web or in the app, and later its published results."""

    introduction = models.TextField(
        _("introduction"), help_text=_("What the survey is about and why the council asks.")
    )
    how_answers_are_used = models.TextField(
        _("how answers are used and kept"),
        help_text=_(
            "Who reads the answers, what is published, how long responses are kept, and that "
            "no name, address or IP address is recorded."
        ),
    )
    sections = StreamField(
        [("section", SectionBlock())],
        verbose_name=_("sections and questions"),
        help_text=_("Each section is one page of the form."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    series = models.ForeignKey(
        TrackerSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="waves",
        verbose_name=_("tracker series"),
        help_text=_("Optional. Waves of one series are compared on the questions they share."),
    )
    wave_label = models.CharField(
        _("wave"), max_length=60, blank=True, help_text=_("e.g. 'Spring 2026'.")
    )
    require_code = models.BooleanField(
        _("a participation code is needed"),
        default=False,
        help_text=_("For postal invitations: each printed code can be used for one response."),
    )
    results_published = models.BooleanField(_("results published"), default=False)
    minimum_cell_size = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=10,
        validators=[MinValueValidator(5), MaxValueValidator(100)],
        help_text=_("Counts below this are hidden in every published table (10 is usual)."),
    )
    population_margins = models.JSONField(
        _("population margins for weighting"),
        null=True,
        blank=True,
        help_text=_(
            'Optional. Shares of the population by age band and area, e.g. {"age_band": '
            '{"16\u201324": 0.14, …}, "area": {"North ward": 0.2, …}}. Each set adds up to 1.'
        ),
    )
    we_asked = models.TextField(_("we asked"), blank=True)
    you_said = models.TextField(_("you said"), blank=True)
    we_did = models.TextField(_("we did"), blank=True)

    content_panels: ClassVar[list] = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("how_answers_are_used"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldPanel("sections"),
        MultiFieldPanel(
            [FieldPanel("series"), FieldPanel("wave_label"), FieldPanel("require_code")],
            heading=_("Waves and participation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("results_published"),
                FieldPanel("minimum_cell_size"),
                FieldPanel("population_margins"),
            ],
            heading=_("Results"),
        ),
        MultiFieldPanel(
            [FieldPanel("we_asked"), FieldPanel("you_said"), FieldPanel("we_did")],
            heading=_("We asked, you said, we did"),
        ),
    ]
    search_fields: ClassVar[list] = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types: ClassVar[list[str]] = ["surveys.SurveyIndexPage"]
    subpage_types: ClassVar[list[str]] = []
    page_description = _("A survey, with scenario and other questions, and its results.")
    template = "surveys/survey_page.html"

    class Meta:
        verbose_name = _("survey")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The survey must close after it opens.")
        if self.wave_label and not self.series_id:
            errors["series"] = _("Choose the tracker series this wave belongs to.")
        problem = margins_problem(self.population_margins)
        if problem:
            errors["population_margins"] = problem
        if errors:
            raise ValidationError(errors)

    @functools.cached_property
    def definition(self) -> SurveyDefinition:
        return build_definition(self.sections)

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    @path("")
    def survey(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    @path("answer/<int:number>/")
    def answer_section(self, request: HttpRequest, number: int) -> HttpResponse:
        from .web import answer_section

        return answer_section(request, self, number)

    @path("check/")
    def check_answers(self, request: HttpRequest) -> HttpResponse:
        from .web import check_answers

        return check_answers(request, self)

    @path("sent/")
    def sent(self, request: HttpRequest) -> HttpResponse:
        from .web import sent

        return sent(request, self)

    @path("results/")
    def results(self, request: HttpRequest) -> HttpResponse:
        from .results_views import results_page

        return results_page(request, self)


def margins_problem(margins: Any) -> str | None:
    """What is wrong with a population margins value, in words an editor can act on."""
    if margins in (None, {}):
        return None
    if not isinstance(margins, dict) or set(margins) - {"age_band", "area"}:
        return str(_('Give an object with "age_band" and/or "area", each of shares.'))
    for dimension, shares in margins.items():
        if not isinstance(shares, dict) or not shares:
            return str(
                _("Give the %(name)s shares as an object of band: share.") % {"name": dimension}
            )
        if not all(isinstance(v, int | float) and 0 <= v <= 1 for v in shares.values()):
            return str(_("Shares are numbers between 0 and 1, e.g. 0.14 for 14 %."))
        if abs(sum(shares.values()) - 1) > 0.005:
            return str(
                _("The %(name)s shares add up to %(total).3f; they must add up to 1.")
                % {"name": dimension, "total": sum(shares.values())}
            )
    return None


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    APP = "app", _("App")


class Response(models.Model):
    """One person's answers. Nothing here identifies them."""

    survey = models.ForeignKey(SurveyPage, on_delete=models.PROTECT, related_name="responses")
    client_uuid = models.UUIDField(unique=True, editable=False)
    receipt = models.CharField(max_length=20, unique=True, editable=False)
    submitted_at = models.DateTimeField(editable=False, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    answers = models.JSONField(default=dict)
    # A keyed hash of the participant's token for this survey: enough to refuse a second
    # response, useless for following a person across surveys.
    participant = models.CharField(max_length=64, blank=True, editable=False)
    code = models.OneToOneField(
        "ParticipationCode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
    )

    class Meta:
        ordering = ("-submitted_at",)
        constraints: ClassVar[list] = [
            models.UniqueConstraint(
                fields=["survey", "participant"],
                condition=~models.Q(participant=""),
                name="one_response_per_participant",
            )
        ]
        indexes: ClassVar[list] = [models.Index(fields=["survey", "submitted_at"])]

    def __str__(self) -> str:
        return self.receipt


class ParticipationCode(models.Model):
    """A one-time code printed on a postal invitation. Keep no list of who got which code."""

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=20, unique=True)
    batch = models.CharField(max_length=40, help_text=_("Which printing the code came from."))
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("batch", "code")

    def __str__(self) -> str:
        return self.code


class FreeTextStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    WITHHELD = "withheld", _("Not published")


class FreeTextAnswer(models.Model):
    """Words a resident wrote: published only after a moderator has read them."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="free_text")
    question_key = models.CharField(max_length=60)
    text = models.TextField()
    status = models.CharField(
        max_length=10, choices=FreeTextStatus.choices, default=FreeTextStatus.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("comment")
        ordering = ("response__submitted_at",)
        indexes: ClassVar[list] = [models.Index(fields=["question_key", "status"])]

    def __str__(self) -> str:
        return f"{self.response}: {self.question_key}"
