"""Filters for the assessments index: kind, words, and records overdue for review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.visibility import visible_to_public


class AssessmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind of record"),
        required=False,
        choices=[
            ("", _("All records")),
            ("dpia", _("Data protection impact assessments")),
            ("algorithm", _("Algorithm records")),
        ],
    )
    review = forms.ChoiceField(
        label=_("Review"),
        required=False,
        choices=[("", _("Any")), ("overdue", _("Overdue for review"))],
    )


@dataclass(frozen=True)
class ListedRecord:
    kind: str
    title: str
    url: str
    summary: str
    meta: str
    overdue: bool


def listed_records(index: Any, data: Any) -> tuple[AssessmentFilterForm, list[ListedRecord]]:
    """The public records under ``index`` that match the filters, by title."""
    from .models import AlgorithmRecordPage, DpiaPage

    form = AssessmentFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {}
    words = filters.get("q", "").strip()
    kind = filters.get("kind", "")
    today = timezone.localdate()
    records: list[ListedRecord] = []
    if kind in ("", "dpia"):
        dpias = visible_to_public(DpiaPage.objects.child_of(index).live())
        if words:
            # Only always-public fields are searched: withheld text must not be findable.
            dpias = dpias.filter(Q(title__icontains=words) | Q(summary__icontains=words))
        if filters.get("review") == "overdue":
            dpias = dpias.filter(review_by__lt=today)
        records += [
            ListedRecord(
                kind=str(_("Data protection impact assessment")),
                title=dpia.title,
                url=dpia.url,
                summary=dpia.summary,
                meta=str(_("Review due by %(day)s") % {"day": f"{dpia.review_by:%-d %B %Y}"}),
                overdue=dpia.is_overdue,
            )
            for dpia in dpias
        ]
    if kind in ("", "algorithm") and filters.get("review") != "overdue":
        algorithms = visible_to_public(AlgorithmRecordPage.objects.child_of(index).live())
        if words:
            algorithms = algorithms.filter(
                Q(title__icontains=words) | Q(description__icontains=words)
            )
        records += [
            ListedRecord(
                kind=str(_("Algorithm record")),
                title=record.title,
                url=record.url,
                summary=record.description,
                meta=str(_("Phase: %(phase)s") % {"phase": record.get_phase_display()}),
                overdue=False,
            )
            for record in algorithms
        ]
    return form, sorted(records, key=lambda record: record.title.lower())
