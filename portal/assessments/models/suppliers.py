"""Supplier assurance: what a device's supplier promised, answered question by question.

The questions are the standard tender questions for connected places (NCSC principles, see
the records reference). The public sees each answer and a summary; the evidence behind an
answer, and the supplier's security details, are internal unless staff publish them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from portal.assessments.forms import SupplierAssuranceForm
from portal.assessments.publication import (
    PublicationLevel,
    PublicText,
    check_reason,
    level_and_reason,
    public_text,
)

# (id, what the supplier is asked, how the public page states a "yes")
SUPPLIER_QUESTIONS: list[tuple[str, Any]] = [
    ("data_protection", _("Complies with UK data protection law")),
    ("council_owns_data", _("The council owns the data")),
    ("no_resale", _("Will not sell or reuse the data without the council's permission")),
    ("open_access", _("Gives the council free, open access to its data")),
    (
        "certification",
        _("Holds security certification, such as ISO 27001 or Cyber Essentials Plus"),
    ),
    ("disaster_recovery", _("Has a disaster recovery plan")),
    ("encryption", _("Encrypts the data when stored and when sent")),
    ("pseudonymisation", _("Pseudonymises personal data")),
    ("api", _("Provides an API to all of the council's data")),
    ("subcontracting", _("Tells the council about any subcontracted processing")),
    ("data_flows", _("Documents where data is stored and how it flows")),
    ("pas_185", _("Follows PAS 185, the security-minded approach to smart places")),
]
QUESTION_LABELS = dict(SUPPLIER_QUESTIONS)


class SupplierAssurance(ClusterableModel):
    """One supplier's commitments for one device."""

    device = models.ForeignKey(
        "registry.DevicePage",
        on_delete=models.CASCADE,
        related_name="supplier_assurances",
        verbose_name=_("device"),
    )
    supplier = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="assurances",
        verbose_name=_("supplier"),
    )
    assessed_on = models.DateField(_("answers given on"))
    public_summary = models.TextField(
        _("public summary"),
        max_length=800,
        help_text=_(
            "Shown on the device page. In plain English: what the supplier promised and "
            "anything important it would not promise."
        ),
    )
    # Security details stay internal: published, they would help an attacker more than a resident.
    manufacturer = models.CharField(_("manufacturer"), max_length=160, blank=True)
    support_ends_on = models.DateField(
        _("security support ends on"),
        null=True,
        blank=True,
        help_text=_("When the supplier stops providing security updates. Internal."),
    )
    vulnerability_contact = models.CharField(
        _("vulnerability contact"),
        max_length=200,
        blank=True,
        help_text=_("Where to report a security flaw to the supplier. Internal."),
    )

    panels: ClassVar[list] = [
        FieldRowPanel([FieldPanel("device"), FieldPanel("supplier"), FieldPanel("assessed_on")]),
        FieldPanel("public_summary"),
        InlinePanel(
            "answers",
            heading=_("Answers to the tender questions"),
            label=_("Answer"),
            help_text=_(
                "Answers are public; the evidence is internal unless you choose otherwise."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("manufacturer"),
                FieldRowPanel([FieldPanel("support_ends_on"), FieldPanel("vulnerability_contact")]),
            ],
            heading=_("Security details (never published)"),
        ),
    ]

    base_form_class = SupplierAssuranceForm

    class Meta:
        verbose_name = _("supplier assurance")
        verbose_name_plural = _("supplier assurance")
        constraints: ClassVar[list] = [
            models.UniqueConstraint(
                fields=["device", "supplier"], name="one_assurance_per_supplier_and_device"
            )
        ]
        ordering = ("supplier__name",)

    def __str__(self) -> str:
        return f"{self.supplier}: {self.device}"

    def public_answers(self) -> list[dict[str, Any]]:
        """Every standard question in order, answered or not, with any public evidence."""
        given = {answer.question: answer for answer in self.answers.all()}
        rows = []
        for question, label in SUPPLIER_QUESTIONS:
            answer = given.get(question)
            rows.append(
                {
                    "question": str(label),
                    "answer": answer.answer if answer else "",
                    "answer_label": str(answer.get_answer_display())
                    if answer
                    else str(_("Not answered yet")),
                    "evidence": answer.public_evidence() if answer else None,
                }
            )
        return rows

    def tally(self) -> dict[str, int]:
        counts = Counter(answer.answer for answer in self.answers.all())
        return {
            "yes": counts[SupplierAnswer.Answer.YES],
            "partial": counts[SupplierAnswer.Answer.PARTIAL],
            "no": counts[SupplierAnswer.Answer.NO],
            "unanswered": len(SUPPLIER_QUESTIONS) - sum(counts.values()),
        }


class SupplierAnswer(Orderable):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        PARTIAL = "partial", _("Partly")
        NO = "no", _("No")

    assurance = ParentalKey(SupplierAssurance, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("question"), max_length=20, choices=SUPPLIER_QUESTIONS)
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("The contract clause, certificate or document that shows it."),
    )
    evidence_level, evidence_reason = level_and_reason(
        PublicationLevel.INTERNAL, label=_("evidence publication")
    )

    panels: ClassVar[list] = [
        FieldRowPanel([FieldPanel("question"), FieldPanel("answer")]),
        FieldPanel("evidence"),
        FieldRowPanel([FieldPanel("evidence_level"), FieldPanel("evidence_reason")]),
    ]

    def clean(self) -> None:
        super().clean()
        check_reason(self.evidence_level, self.evidence_reason, field="evidence_reason")
        if self.answer in (self.Answer.YES, self.Answer.PARTIAL) and not self.evidence.strip():
            raise ValidationError(
                {
                    "evidence": _(
                        "Say what shows this, such as the contract clause or certificate. An "
                        "answer of “Yes” or “Partly” needs evidence."
                    )
                }
            )

    def public_evidence(self) -> PublicText | None:
        if not self.evidence.strip():
            return None
        return public_text(
            label=str(_("Evidence")),
            text=self.evidence,
            level=self.evidence_level,
            reason=self.evidence_reason,
        )
