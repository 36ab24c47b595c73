"""Data protection impact assessments (DPIAs), published with per-field publication levels."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.assessments.publication import (
    check_reason,
    level_and_reason,
    public_rows,
    public_text,
    public_url,
    publication_times,
)
from portal.core.visibility import CachedViewRestrictionsMixin, visible_to_public


def assessed_text(label: str, help_text: str) -> tuple[models.Field, models.Field, models.Field]:
    """A DPIA answer with its publication level and, when withheld, the public reason."""
    return (models.TextField(label, blank=True, help_text=help_text), *level_and_reason())


# The ICO's seven steps; steps 5 and 6 (risks and measures) are rows, step 7 is the sign-off.
STEPS: list[tuple[str, Any, Any]] = [
    (
        "need",
        _("Step 1: why a DPIA is needed"),
        _("What the project aims to achieve, the type of processing, and why a DPIA is needed."),
    ),
    (
        "nature",
        _("Step 2: the nature of the processing"),
        _("How data is collected, used, stored and deleted; its source; who it is shared with."),
    ),
    (
        "scope",
        _("Step 2: the scope of the processing"),
        _(
            "What data, including any special category data; how much, how often, how long "
            "it is kept; how many people; what area."
        ),
    ),
    (
        "processing_context",
        _("Step 2: the context of the processing"),
        _(
            "The council's relationship with the people; their control; would they expect it; "
            "children or vulnerable groups; prior concerns."
        ),
    ),
    (
        "purposes",
        _("Step 2: the purposes of the processing"),
        _("What the processing is meant to achieve, for the people and for the council."),
    ),
    (
        "consultation",
        _("Step 3: consultation"),
        _(
            "How people's views were sought, or why not; who was consulted inside and "
            "outside the council."
        ),
    ),
    (
        "necessity",
        _("Step 4: necessity and proportionality"),
        _(
            "Lawful basis; whether it achieves the purpose; other ways considered; minimisation; "
            "how people are told and their rights supported; international transfers."
        ),
    ),
]


class AssessmentIndexPage(CachedViewRestrictionsMixin, Page):
    """The assessments index at /assessments/: DPIAs and algorithm records, with filters."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=600)

    content_panels: ClassVar[list] = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types: ClassVar[list[str]] = ["home.HomePage"]
    subpage_types: ClassVar[list[str]] = ["assessments.DpiaPage", "assessments.AlgorithmRecordPage"]
    max_count = 1
    page_description = _("Lists the council's published assessments. A site has one.")
    template = "assessments/assessment_index_page.html"

    class Meta:
        verbose_name = _("assessments index")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from portal.assessments.filters import listed_records

        context = super().get_context(request, *args, **kwargs)
        form, records = listed_records(self, request.GET)
        context.update(
            filter_form=form,
            records=records,
            is_filtered=any(request.GET.get(name) for name in form.fields),
        )
        return context


class DpiaPage(CachedViewRestrictionsMixin, Page):
    """A DPIA following the ICO's seven steps, with a publication level on every part."""

    summary = models.TextField(
        _("plain-English summary"),
        max_length=1500,
        help_text=_(
            "Always public. What was assessed, the main risks and what the council does about "
            "them, in words a resident understands."
        ),
    )
    review_by = models.DateField(
        _("review by"), help_text=_("When this DPIA must next be reviewed.")
    )
    devices = ParentalManyToManyField(
        "registry.DevicePage",
        blank=True,
        related_name="dpias",
        verbose_name=_("devices covered"),
    )
    ico_consulted = models.BooleanField(
        _("ICO consulted"),
        default=False,
        help_text=_("Required before accepting a residual high risk."),
    )

    need, need_level, need_reason = assessed_text(*STEPS[0][1:])
    nature, nature_level, nature_reason = assessed_text(*STEPS[1][1:])
    scope, scope_level, scope_reason = assessed_text(*STEPS[2][1:])
    processing_context, processing_context_level, processing_context_reason = assessed_text(
        *STEPS[3][1:]
    )
    purposes, purposes_level, purposes_reason = assessed_text(*STEPS[4][1:])
    consultation, consultation_level, consultation_reason = assessed_text(*STEPS[5][1:])
    necessity, necessity_level, necessity_reason = assessed_text(*STEPS[6][1:])

    content_panels: ClassVar[list] = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("review_by"), FieldPanel("ico_consulted")]),
        FieldPanel("devices"),
        *[
            MultiFieldPanel(
                [
                    FieldPanel(name),
                    FieldRowPanel([FieldPanel(f"{name}_level"), FieldPanel(f"{name}_reason")]),
                ],
                heading=label,
            )
            for name, label, _help in STEPS
        ],
        InlinePanel("risks", heading=_("Steps 5 and 6: risks and measures"), label=_("Risk")),
        InlinePanel("sign_offs", heading=_("Step 7: sign-off"), label=_("Sign-off")),
    ]
    # Only what is always public is indexed: withheld text must never be searchable.
    search_fields: ClassVar[list] = [*Page.search_fields, index.SearchField("summary")]

    parent_page_types: ClassVar[list[str]] = ["assessments.AssessmentIndexPage"]
    subpage_types: ClassVar[list[str]] = []
    page_description = _("A data protection impact assessment, published field by field.")
    template = "assessments/dpia_page.html"

    class Meta:
        verbose_name = _("DPIA")
        verbose_name_plural = _("DPIAs")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        for name, _label, _help in STEPS:
            try:
                check_reason(
                    getattr(self, f"{name}_level"),
                    getattr(self, f"{name}_reason"),
                    field=f"{name}_reason",
                )
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        return self.review_by < timezone.localdate()

    @property
    def is_signed_off(self) -> bool:
        kinds = {sign_off.kind for sign_off in self.sign_offs.all()}
        return {
            SignOff.Kind.MEASURES,
            SignOff.Kind.RESIDUAL_RISKS,
            SignOff.Kind.DPO_ADVICE,
        } <= kinds

    def public_steps(self) -> list[Any]:
        shown = (
            public_text(
                label=str(label),
                text=getattr(self, name),
                level=getattr(self, f"{name}_level"),
                reason=getattr(self, f"{name}_reason"),
            )
            for name, label, _help in STEPS
        )
        return [step for step in shown if step is not None and (step.text or step.is_withheld)]

    def public_data(self, request: HttpRequest | None = None) -> dict[str, Any]:
        """The DPIA as JSON for anyone: built only from what the public page may show."""

        def step(shown: Any) -> dict[str, Any]:
            if shown.is_withheld:
                return {"title": shown.label, "withheld": True, "reason": shown.withheld_because}
            return {"title": shown.label, "withheld": False, "text": shown.text}

        def risk(row: Any) -> dict[str, Any]:
            if getattr(row, "is_withheld", False):
                return {"withheld": True, "reason": row.withheld_because}
            return {
                "withheld": False,
                "risk": row.risk,
                "likelihood": row.likelihood,
                "severity": row.severity,
                "overall": row.overall,
                "measures": row.measures,
                "effect": row.effect,
                "residual": row.residual,
                "approved": row.approved,
            }

        return {
            "title": self.title,
            "url": public_url(self, request),
            "summary": self.summary,
            "review_by": self.review_by.isoformat(),
            "overdue_for_review": self.is_overdue,
            "last_published_at": self.last_published_at.isoformat()
            if self.last_published_at
            else None,
            "devices": [
                {"code": device.code, "title": device.title, "url": public_url(device, request)}
                for device in visible_to_public(self.devices.live())
            ],
            "steps": [step(shown) for shown in self.public_steps()],
            "risks": [risk(row) for row in public_rows(self.risks.all())],
            "sign_offs": [
                {
                    "kind": sign_off.kind,
                    "role": sign_off.role,
                    "date": sign_off.date.isoformat(),
                    "advice_outcome": sign_off.advice_outcome,
                    "notes": sign_off.notes,
                }
                for sign_off in self.sign_offs.all()
            ],
        }

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        steps = self.public_steps()
        risks = public_rows(self.risks.all())
        context.update(
            public_steps=steps,
            public_risks=risks,
            has_withheld=any(getattr(part, "is_withheld", False) for part in [*steps, *risks]),
            sign_offs=self.sign_offs.all(),
            public_devices=visible_to_public(self.devices.live()),
            published_on=publication_times(self),
        )
        return context


class RiskScale(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class DpiaRisk(Orderable):
    """One risk to individuals (ICO step 5) and what is done about it (step 6)."""

    class Likelihood(models.TextChoices):
        REMOTE = "remote", _("Remote")
        POSSIBLE = "possible", _("Possible")
        PROBABLE = "probable", _("Probable")

    class Severity(models.TextChoices):
        MINIMAL = "minimal", _("Minimal")
        SIGNIFICANT = "significant", _("Significant")
        SEVERE = "severe", _("Severe")

    class Effect(models.TextChoices):
        ELIMINATED = "eliminated", _("Eliminated")
        REDUCED = "reduced", _("Reduced")
        ACCEPTED = "accepted", _("Accepted")

    page = ParentalKey(DpiaPage, on_delete=models.CASCADE, related_name="risks")
    risk = models.TextField(
        _("risk"), help_text=_("The source of the risk and its possible impact on people.")
    )
    likelihood = models.CharField(_("likelihood"), max_length=10, choices=Likelihood.choices)
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices)
    overall = models.CharField(_("overall risk"), max_length=8, choices=RiskScale.choices)
    measures = models.TextField(_("measures"), help_text=_("What reduces or removes the risk."))
    effect = models.CharField(_("effect on risk"), max_length=10, choices=Effect.choices)
    residual = models.CharField(_("residual risk"), max_length=8, choices=RiskScale.choices)
    approved = models.BooleanField(_("measure approved"), default=False)
    publication_level, redaction_reason = level_and_reason()

    panels: ClassVar[list] = [
        FieldPanel("risk"),
        FieldRowPanel([FieldPanel("likelihood"), FieldPanel("severity"), FieldPanel("overall")]),
        FieldPanel("measures"),
        FieldRowPanel([FieldPanel("effect"), FieldPanel("residual"), FieldPanel("approved")]),
        FieldRowPanel([FieldPanel("publication_level"), FieldPanel("redaction_reason")]),
    ]

    def clean(self) -> None:
        super().clean()
        check_reason(self.publication_level, self.redaction_reason, field="redaction_reason")
        page = getattr(self, "page", None)
        ico_consulted = bool(page and page.ico_consulted)
        if (
            self.residual == RiskScale.HIGH
            and self.effect == self.Effect.ACCEPTED
            and not ico_consulted
        ):
            raise ValidationError(
                {
                    "residual": _(
                        "A high residual risk can only be accepted after consulting the ICO. "
                        "Reduce the risk, or consult the ICO and tick “ICO consulted”."
                    )
                }
            )


class SignOff(Orderable):
    """ICO step 7: who approved what, and the DPO's advice. Role titles, never names."""

    class Kind(models.TextChoices):
        MEASURES = "measures", _("Measures approved by")
        RESIDUAL_RISKS = "residual", _("Residual risks approved by")
        DPO_ADVICE = "dpo", _("Data protection officer's advice")
        CONSULTATION = "consultation", _("Consultation responses reviewed by")
        REVIEW = "review", _("Kept under review by")

    class Outcome(models.TextChoices):
        NOT_APPLICABLE = "", _("Not applicable")
        ACCEPTED = "accepted", _("Advice accepted")
        OVERRULED = "overruled", _("Advice overruled")

    page = ParentalKey(DpiaPage, on_delete=models.CASCADE, related_name="sign_offs")
    kind = models.CharField(_("sign-off"), max_length=14, choices=Kind.choices)
    role = models.CharField(
        _("role"), max_length=160, help_text=_("A role title, such as 'Head of Community Safety'.")
    )
    date = models.DateField(_("date"))
    advice_outcome = models.CharField(
        _("advice outcome"), max_length=10, choices=Outcome.choices, blank=True
    )
    notes = models.TextField(
        _("summary or reasons"),
        blank=True,
        help_text=_("The DPO's advice in brief, or the reasons for overruling it."),
    )

    panels: ClassVar[list] = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("role"), FieldPanel("date")]),
        FieldPanel("advice_outcome"),
        FieldPanel("notes"),
    ]

    def clean(self) -> None:
        super().clean()
        if self.advice_outcome == self.Outcome.OVERRULED and not self.notes.strip():
            raise ValidationError(
                {
                    "notes": _(
                        "Give the reasons for overruling the data protection officer's advice."
                    )
                }
            )
