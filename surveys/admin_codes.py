"""Participation codes in the Wagtail admin: make a batch, download it, see how many are used.

Staff with ``surveys.add_participationcode`` make a batch for a survey, then take it away as a
CSV (for a mail house) or as a printable page of slips to cut out. Codes are not personal, so
a batch can be downloaded again; what must never exist is a list of which code went to which
address, and the pages say so.
"""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import quote

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import policy_registry

from .codes import BATCH_NAME_MAX_LENGTH, MOST_PER_BATCH, format_code, generate_codes
from .models import ParticipationCode, SurveyPage

SLIPS_PER_PART = 2000
BATCHES_PER_PAGE = 50
PRIVACY_WARNING = gettext_lazy(
    "Keep no record of which code went to which address: that would let responses be traced "
    "to people."
)


def may_make_codes(user: Any) -> bool:
    return policy_registry.get_by_type(ParticipationCode).user_has_permission(user, "add")


class CodesPermissionMixin(PermissionCheckedMixin):
    model = ParticipationCode
    permission_required = "add"


class CodesHeaderMixin(WagtailAdminTemplateMixin):
    header_icon = "key"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items = [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("survey_codes:index"), "label": _("Participation codes")},
        ]
        if self.get_page_title() != items[-1]["label"]:
            items.append({"url": "", "label": self.get_page_title()})
        else:
            items[-1]["url"] = ""
        return items


def survey_address(survey: SurveyPage, request: HttpRequest) -> str:
    return survey.get_full_url(request) or survey.title


# --- the batches -------------------------------------------------------------------------


class CodeBatchesView(CodesPermissionMixin, CodesHeaderMixin, TemplateView):
    """Every batch made, newest first, with how many of its codes have been used."""

    template_name = "surveys/admin/codes_index.html"
    page_title = gettext_lazy("Participation codes")

    @cached_property
    def survey(self) -> SurveyPage | None:
        survey_id = self.request.GET.get("survey", "")
        if not survey_id.isdigit():
            return None
        return SurveyPage.objects.filter(pk=survey_id).first()

    def get_header_buttons(self) -> list[Any]:
        url = reverse("survey_codes:generate")
        if self.survey:
            url += f"?survey={self.survey.pk}"
        return [HeaderButton(_("Make a batch of codes"), url=url, icon_name="plus")]

    def batches(self) -> QuerySet:
        rows = ParticipationCode.objects.all()
        if self.survey:
            rows = rows.filter(survey=self.survey)
        return (
            rows.values("survey_id", "survey__title", "survey__require_code", "batch")
            .annotate(total=Count("pk"), used=Count("used_at"), made=Min("created_at"))
            .order_by("-made", "batch")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(self.batches(), BATCHES_PER_PAGE).get_page(self.request.GET.get("p"))
        for batch in page.object_list:
            query = f"?batch={quote(batch['batch'], safe='')}"
            batch["unused"] = batch["total"] - batch["used"]
            batch["csv_url"] = reverse("survey_codes:csv", args=[batch["survey_id"]]) + query
            batch["slips_url"] = reverse("survey_codes:slips", args=[batch["survey_id"]]) + query
        context.update(
            page_obj=page,
            batches=page.object_list,
            survey=self.survey,
            privacy_warning=PRIVACY_WARNING,
        )
        return context


# --- making a batch ----------------------------------------------------------------------


class GenerateCodesForm(forms.Form):
    survey = forms.ModelChoiceField(
        label=gettext_lazy("Survey"),
        queryset=SurveyPage.objects.order_by("title"),
        empty_label=gettext_lazy("Choose a survey"),
        error_messages={
            "required": gettext_lazy("Choose the survey the codes are for."),
            "invalid_choice": gettext_lazy(
                "That survey was not found; it may have been deleted. Choose one from the list."
            ),
        },
    )
    count = forms.IntegerField(
        label=gettext_lazy("How many codes"),
        min_value=1,
        max_value=MOST_PER_BATCH,
        help_text=gettext_lazy(
            "One for each letter you will send, e.g. 2500. Up to 50,000 in one batch."
        ),
        error_messages={
            "required": gettext_lazy("Enter how many codes to make, e.g. 2500."),
            "invalid": gettext_lazy("Enter a whole number of codes in figures, e.g. 2500."),
            "min_value": gettext_lazy("Make at least 1 code."),
            "max_value": gettext_lazy(
                "Make at most 50,000 codes in one batch. For a bigger mailing, make several "
                "batches."
            ),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    batch = forms.CharField(
        label=gettext_lazy("Batch name"),
        max_length=BATCH_NAME_MAX_LENGTH,
        help_text=gettext_lazy(
            "Which printing these codes are for, e.g. “North ward letters, March”. Name the "
            "area or mailing, never a person or an address."
        ),
        error_messages={
            "required": gettext_lazy("Give the batch a name, e.g. “North ward letters, March”."),
            "max_length": gettext_lazy("Keep the batch name to 40 characters or fewer."),
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        survey, batch = cleaned_data.get("survey"), cleaned_data.get("batch")
        if (
            survey
            and batch
            and ParticipationCode.objects.filter(survey=survey, batch=batch).exists()
        ):
            self.add_error(
                "batch",
                _(
                    "This survey already has a batch called “%(batch)s”. Choose another name, "
                    "e.g. “%(batch)s 2”."
                )
                % {"batch": batch},
            )
        return cleaned_data


class GenerateCodesView(CodesPermissionMixin, CodesHeaderMixin, FormView):
    template_name = "surveys/admin/codes_generate.html"
    form_class = GenerateCodesForm
    page_title = gettext_lazy("Make a batch of participation codes")

    def get_initial(self) -> dict[str, Any]:
        survey_id = self.request.GET.get("survey", "")
        return {"survey": survey_id} if survey_id.isdigit() else {}

    def form_valid(self, form: GenerateCodesForm) -> HttpResponse:
        survey = form.cleaned_data["survey"]
        batch = form.cleaned_data["batch"]
        try:
            codes = generate_codes(survey, form.cleaned_data["count"], batch=batch)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(count)s codes made for “%(survey)s” in the batch “%(batch)s”.")
            % {"count": f"{len(codes):,}", "survey": survey.title, "batch": batch},
        )
        return redirect(reverse("survey_codes:index") + f"?survey={survey.pk}")

    def form_invalid(self, form: GenerateCodesForm) -> HttpResponse:
        messages.error(self.request, _("The codes were not made. Correct the errors below."))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["privacy_warning"] = PRIVACY_WARNING
        context["index_url"] = reverse("survey_codes:index")
        return context


# --- taking a batch away -----------------------------------------------------------------


class BatchMixin(CodesPermissionMixin):
    """The survey and batch named in the URL and its ``batch`` parameter, or a 404."""

    request: HttpRequest
    kwargs: dict[str, Any]

    @cached_property
    def survey(self) -> SurveyPage:
        return get_object_or_404(SurveyPage, pk=self.kwargs["survey_id"])

    @cached_property
    def batch(self) -> str:
        batch = self.request.GET.get("batch", "")
        if not batch or not self.codes().exists():
            raise Http404(_("This survey has no batch of codes by that name."))
        return batch

    def codes(self) -> QuerySet[ParticipationCode]:
        return ParticipationCode.objects.filter(
            survey=self.survey, batch=self.request.GET.get("batch", "")
        ).order_by("pk")

    def file_name(self, extension: str) -> str:
        name = slugify(f"{self.survey.slug} {self.batch}") or "codes"
        return f"codes-{name}.{extension}"


class _Echo:
    def write(self, value: str) -> str:
        return value


class BatchCsvView(BatchMixin, View):
    """The batch as a CSV for a mail house: code as printed, the survey's address, the batch."""

    def get(self, request: HttpRequest, survey_id: int) -> StreamingHttpResponse:
        batch = self.batch
        address = survey_address(self.survey, request)
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(["code", "survey", "address", "batch"])
            for code in self.codes().values_list("code", flat=True).iterator(chunk_size=2000):
                yield writer.writerow([format_code(code), self.survey.title, address, batch])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.file_name("csv")}"'
        response["Cache-Control"] = "private, no-store"
        return response


class BatchSlipsView(BatchMixin, TemplateView):
    """A printable page of slips, one code each, to cut out and put in envelopes."""

    template_name = "surveys/admin/codes_slips.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        batch = self.batch
        # Big batches come in parts, so a browser can open and print each one.
        page = Paginator(self.codes().values_list("code", flat=True), SLIPS_PER_PART).get_page(
            self.request.GET.get("part")
        )
        batch_query = f"?batch={quote(batch, safe='')}"
        context.update(
            survey=self.survey,
            batch=batch,
            # Without "https://", which browsers add: fewer characters to copy from a slip.
            address=survey_address(self.survey, self.request).split("://", 1)[-1],
            codes=[format_code(code) for code in page.object_list],
            page_obj=page,
            part_url=reverse("survey_codes:slips", args=[self.survey.pk]) + batch_query + "&part=",
            csv_url=reverse("survey_codes:csv", args=[self.survey.pk]) + batch_query,
            index_url=reverse("survey_codes:index") + f"?survey={self.survey.pk}",
            privacy_warning=PRIVACY_WARNING,
        )
        return context


# --- the viewset -------------------------------------------------------------------------


class CodesMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_make_codes(request.user)


class ParticipationCodesViewSet(ViewSet):
    name = "survey_codes"
    url_prefix = "surveys/codes"
    icon = "key"
    menu_label = gettext_lazy("Participation codes")
    menu_name = "survey-codes"
    menu_order = 30
    menu_item_class = CodesMenuItem

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", CodeBatchesView.as_view(), name="index"),
            path("new/", GenerateCodesView.as_view(), name="generate"),
            path("<int:survey_id>/csv/", BatchCsvView.as_view(), name="csv"),
            path("<int:survey_id>/slips/", BatchSlipsView.as_view(), name="slips"),
        ]
