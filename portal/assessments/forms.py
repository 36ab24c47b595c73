"""Admin forms for assessments: checks that need a record and its rows together."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm


class SupplierAssuranceForm(WagtailAdminModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        formset = self.formsets.get("answers")
        if formset is None or not formset.is_valid():
            return cleaned
        questions = [
            form.cleaned_data["question"]
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        repeated = sorted({question for question in questions if questions.count(question) > 1})
        if repeated:
            from .models.suppliers import QUESTION_LABELS

            raise ValidationError(
                _("Answer each question once. “%(question)s” is answered more than once.")
                % {"question": QUESTION_LABELS[repeated[0]]}
            )
        return cleaned


class AlgorithmRecordForm(WagtailAdminPageForm):
    """ATRS rules that span the record and its rows: suppliers, assessments, data, risks."""

    def clean(self) -> dict[str, Any]:
        from .atrs import record_completeness_problems

        cleaned = super().clean()
        rows: dict[str, list[Any]] = {}
        for name in ("suppliers", "data_sources", "impact_assessments", "risks"):
            formset = self.formsets.get(name)
            if formset is None or not formset.is_valid():
                return cleaned
            rows[name] = [
                form.cleaned_data
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
        self.instance.built_in_house = cleaned.get("built_in_house", False)
        problems = record_completeness_problems(
            self.instance, rows, list(cleaned.get("dpias") or [])
        )
        if problems:
            raise ValidationError([ValidationError(problem) for problem in problems])
        return cleaned
