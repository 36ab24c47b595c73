"""Questions, problems and objections residents raise about a device."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index


class Concern(index.Indexed, models.Model):
    """What a resident told us. No IP address, browser details or name is ever kept."""

    class Category(models.TextChoices):
        QUESTION = "question", _("I have a question about it")
        PROBLEM = "problem", _("It is broken, damaged or in the wrong place")
        OBJECTION = "objection", _("I object to it or to how it uses data")
        PUBLISH_DPIA = (
            "publish_dpia",
            _("Please publish its data protection impact assessment (DPIA), or the parts withheld"),
        )
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("Being looked at")
        ANSWERED = "answered", _("Answered")
        CLOSED_ACTION = "closed_action", _("Closed: action taken")
        CLOSED_NO_ACTION = "closed_no_action", _("Closed: no action needed")

    CLOSED_STATUSES: ClassVar[set[str]] = {Status.CLOSED_ACTION, Status.CLOSED_NO_ACTION}

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    device = models.ForeignKey(
        "registry.DevicePage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
        verbose_name=_("device"),
    )
    dpia = models.ForeignKey(
        "assessments.DpiaPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publication_requests",
        verbose_name=_("DPIA"),
        help_text=_("For a request to publish the withheld parts of a published DPIA."),
    )
    category = models.CharField(_("about"), max_length=12, choices=Category.choices)
    description = models.TextField(_("what the resident said"), max_length=2000)
    email = models.EmailField(
        _("e-mail for updates"),
        blank=True,
        help_text=_("Deleted automatically when the concern is closed."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    public_note = models.TextField(
        _("public note"),
        blank=True,
        help_text=_(
            "Public: shown on the concern's status page and in the open Open311 feed "
            "(/open311/v2/). Never include personal details."
        ),
    )
    received_on = models.DateField(_("received on"), auto_now_add=True)
    updated_on = models.DateField(_("updated on"), auto_now=True)

    panels: ClassVar[list] = [
        MultiFieldPanel(
            [
                FieldPanel("device", read_only=True),
                FieldPanel("dpia", read_only=True),
                FieldPanel("category", read_only=True),
                FieldPanel("description", read_only=True),
                FieldPanel("email", read_only=True),
            ],
            heading=_("What the resident told us"),
        ),
        FieldRowPanel([FieldPanel("status")]),
        FieldPanel("public_note"),
    ]
    search_fields: ClassVar[list] = [
        index.SearchField("reference"),
        index.SearchField("description"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ("-received_on", "-id")
        verbose_name = _("concern")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        from .notifications import tell_resident_if_changed

        # Read before the address is cleared: the resident hears that it closed.
        tell_resident_if_changed(self)
        # The form promises the address is kept only until the concern is closed.
        if self.is_closed:
            self.email = ""
        super().save(*args, **kwargs)

    @property
    def is_publication_request(self) -> bool:
        return self.category == self.Category.PUBLISH_DPIA

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES
