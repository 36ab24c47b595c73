"""The survey comments queue in the Wagtail admin: free text to publish or withhold.

A moderator sees the words, the question they answer, the survey and the day they came in:
never the rest of the response, since a comment next to someone's age band, ward and other
answers could tell a colleague who wrote it. Comments are residents' words, so the admin
never adds, edits or deletes them; the only change it offers is a decision, made through
``moderation.moderate_free_text``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, TitleColumn
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import IndexView

from portal.core.admin_bulk import ReasonedBulkDecision

from .models import FreeTextAnswer, FreeTextStatus, SurveyPage
from .moderation import REASON_MAX_LENGTH, moderate_free_text

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

ANY_STATUS = "any"
INDEX_URL_NAME = "wagtailsnippets_surveys_freetextanswer:list"
# The response's other fields stay in the database: the queue never loads them.
HIDDEN_RESPONSE_FIELDS = (
    "response__answers",
    "response__participant",
    "response__client_uuid",
    "response__receipt",
    "response__channel",
    "response__code",
)


class FreeTextPermissionPolicy(ModelPermissionPolicy):
    """Staff with ``change_freetextanswer`` decide on comments; nobody adds or deletes them."""

    NOT_IN_ADMIN: ClassVar[frozenset[str]] = frozenset({"add", "delete"})

    def user_has_permission(self, user: AbstractBaseUser, action: str) -> bool:
        return action not in self.NOT_IN_ADMIN and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions: Any) -> QuerySet:
        allowed = [action for action in actions if action not in self.NOT_IN_ADMIN]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


def may_moderate(user: AbstractBaseUser) -> bool:
    return policy_registry.get_by_type(FreeTextAnswer).user_has_permission(user, "change")


# --- question texts ----------------------------------------------------------------------


def question_texts(survey_ids: set[int]) -> dict[tuple[int, str], str]:
    """(survey id, question key) → the question as residents read it."""
    texts = {}
    for survey in SurveyPage.objects.filter(pk__in=survey_ids):
        for key, question in survey.definition.questions.items():
            texts[survey.pk, key] = question.text
    return texts


def question_choices() -> list[tuple[str, str]]:
    """The questions comments have come in for, by key, worded as on the survey."""
    pairs = set(
        FreeTextAnswer.objects.values_list("response__survey_id", "question_key").distinct()
    )
    texts = question_texts({survey_id for survey_id, _key in pairs})
    by_key: dict[str, set[str]] = {}
    for survey_id, key in pairs:
        by_key.setdefault(key, set()).add(texts.get((survey_id, key), key))
    return sorted(
        ((key, " / ".join(sorted(wordings))) for key, wordings in by_key.items()),
        key=lambda choice: choice[1].lower(),
    )


# --- the queue ---------------------------------------------------------------------------


class FreeTextFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[*FreeTextStatus.choices, (ANY_STATUS, gettext_lazy("Any status"))],
        empty_label=gettext_lazy("Waiting for moderation"),
        method="filter_status",
    )
    survey = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Survey"),
        field_name="response__survey",
        queryset=SurveyPage.objects.order_by("title"),
    )
    question = django_filters.ChoiceFilter(
        label=gettext_lazy("Question"),
        field_name="question_key",
        choices=question_choices,
        empty_label=gettext_lazy("Any question"),
    )

    class Meta:
        model = FreeTextAnswer
        fields: ClassVar[list[str]] = []

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset if value == ANY_STATUS else queryset.filter(status=value)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=FreeTextStatus.PENDING)
        return queryset


def queue(request: HttpRequest) -> QuerySet[FreeTextAnswer]:
    """The comments the listing shows for this request's filters (used by 'select all' too)."""
    answers = FreeTextAnswer.objects.all()
    filters = FreeTextFilterSet(request.GET, queryset=answers, request=request)
    if not filters.is_valid():
        return answers.filter(status=FreeTextStatus.PENDING)
    answers = filters.qs
    if query := request.GET.get("q", "").strip():
        answers = answers.filter(text__icontains=query)
    return answers


def survey_title(answer: FreeTextAnswer) -> str:
    return answer.response.survey.title


def question_text(answer: FreeTextAnswer) -> str:
    return getattr(answer, "question_text", answer.question_key)


def submitted_day(answer: FreeTextAnswer) -> str:
    # The day only: the minute a comment arrived could match someone seen filling it in.
    return date_format(timezone.localtime(answer.response.submitted_at), "j M Y")


def decision_url(action_type: str, answer_ids: list[int], *, next_url: str) -> str:
    query = urlencode([*(("id", pk) for pk in answer_ids), ("next", next_url)])
    return reverse("wagtail_bulk_action", args=["surveys", "freetextanswer", action_type]) + (
        f"?{query}"
    )


class FreeTextIndexView(IndexView):
    """The queue: comments waiting for moderation, newest first, filterable."""

    default_ordering = "-response__submitted_at"
    page_title = gettext_lazy("Survey comments")

    def get_base_queryset(self) -> QuerySet[FreeTextAnswer]:
        return (
            super()
            .get_base_queryset()
            .select_related("response__survey")
            .defer(*HIDDEN_RESPONSE_FIELDS)
        )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.filters is not None and not self.filters.is_valid():
            # A mistyped filter shows the queue as it is by default, with the error by the field.
            return queryset.filter(status=FreeTextStatus.PENDING)
        return super().filter_queryset(queryset)

    @cached_property
    def columns(self) -> list[Any]:
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="snippet"),
            Column("survey", label=_("Survey"), accessor=survey_title),
            Column("question", label=_("Question"), accessor=question_text),
            # The title column carries each row's publish and withhold buttons.
            self._get_title_column_class(TitleColumn)(
                "text", label=_("Comment"), get_url=lambda answer: None
            ),
            Column(
                "submitted",
                label=_("Sent"),
                accessor=submitted_day,
                sort_key="response__submitted_at",
            ),
            Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        ]

    def get_table(self, object_list: Any) -> Any:
        answers = list(object_list)
        texts = question_texts({answer.response.survey_id for answer in answers})
        for answer in answers:
            answer.question_text = texts.get(
                (answer.response.survey_id, answer.question_key), answer.question_key
            )
        return super().get_table(answers)

    def get_edit_url(self, instance: FreeTextAnswer) -> None:
        # Residents' words are never edited; the decision buttons are the only change.
        return None

    def get_copy_url(self, instance: FreeTextAnswer) -> None:
        return None

    def get_inspect_url(self, instance: FreeTextAnswer) -> None:
        return None

    def get_list_more_buttons(self, instance: FreeTextAnswer) -> list[Any]:
        if not may_moderate(self.request.user):
            return []
        next_url = self.request.get_full_path()
        buttons = []
        for action in (PublishCommentsBulkAction, WithholdCommentsBulkAction):
            if instance.status != action.to_status:
                buttons.append(
                    ListingButton(
                        action.display_name,
                        decision_url(action.action_type, [instance.pk], next_url=next_url),
                        attrs={"aria-label": action.single_label},
                        priority=action.action_priority,
                    )
                )
        return buttons

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["moderation_buttons"] = (
            [
                ListingButton(
                    action.display_name,
                    reverse(
                        "wagtail_bulk_action",
                        args=["surveys", "freetextanswer", action.action_type],
                    ),
                    attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
                    priority=action.action_priority,
                    classname=" ".join({*action.classes, "bulk-action-btn"}),
                )
                for action in (PublishCommentsBulkAction, WithholdCommentsBulkAction)
            ]
            if may_moderate(self.request.user)
            else []
        )
        return context


def edit_redirect(request: HttpRequest, pk: str) -> HttpResponse:
    """Old or guessed edit links go to the queue: comments are decided on, never edited."""
    return redirect(INDEX_URL_NAME)


# --- decisions, on one comment or many ----------------------------------------------------


class PublishCommentsForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Needed only if some of these comments were withheld before. Kept for staff; "
            "never published."
        ),
        error_messages={"max_length": gettext_lazy("Keep the note to 300 characters or fewer.")},
    )


class WithholdCommentsForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Kept for staff and never published, e.g. “Names a member of staff” or “Abusive”."
        ),
        error_messages={
            "required": gettext_lazy(
                "Say why these comments are not published, e.g. “Names a member of staff”."
            ),
            "max_length": gettext_lazy("Keep the reason to 300 characters or fewer."),
        },
    )


class ModerateCommentsBulkAction(ReasonedBulkDecision):
    """A decision on one or many comments, confirmed on a page that shows them."""

    models: ClassVar[list] = [FreeTextAnswer]
    single_label: ClassVar[Any]
    statuses = FreeTextStatus
    queue_url_name = INDEX_URL_NAME
    template_name = "surveys/admin/comments_bulk_moderate.html"

    may_decide = staticmethod(may_moderate)

    @classmethod
    def decide(cls) -> Callable[..., int]:
        return moderate_free_text

    def queue(self) -> Any:
        return queue(self.request)

    @classmethod
    def get_queryset(cls, model: type[FreeTextAnswer], object_ids: Any) -> list[FreeTextAnswer]:
        answers = list(
            FreeTextAnswer.objects.filter(pk__in=[pk for pk in object_ids if str(pk).isdigit()])
            .select_related("response__survey")
            .defer(*HIDDEN_RESPONSE_FIELDS)
            .order_by("-response__submitted_at", "pk")
        )
        if not answers:
            raise Http404
        return answers

    def object_context(self, answer: FreeTextAnswer) -> dict[str, Any]:
        return {"item": answer}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        shown = context["shown"]
        texts = question_texts({entry["item"].response.survey_id for entry in shown})
        for entry in shown:
            answer = entry["item"]
            entry["question"] = texts.get(
                (answer.response.survey_id, answer.question_key), answer.question_key
            )
            entry["sent"] = submitted_day(answer)
        return context

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        status = FreeTextStatus(self.to_status).label
        message = _("%(count)d comments are now “%(status)s”.") % {
            "count": num_parent_objects,
            "status": status,
        }
        if num_parent_objects == 1:
            message = _("1 comment is now “%(status)s”.") % {"status": status}
        if num_child_objects:
            message += " " + _(
                "%(count)d were already “%(status)s” and were left as they were."
            ) % {"count": num_child_objects, "status": status}
        return message


class PublishCommentsBulkAction(ModerateCommentsBulkAction):
    display_name = gettext_lazy("Publish")
    action_type = "publish"
    aria_label = gettext_lazy("Publish the selected comments")
    single_label = gettext_lazy("Publish this comment")
    action_priority = 10
    classes: ClassVar[set[str]] = set()
    form_class = PublishCommentsForm
    to_status = FreeTextStatus.PUBLISHED


class WithholdCommentsBulkAction(ModerateCommentsBulkAction):
    display_name = gettext_lazy("Withhold")
    action_type = "withhold"
    aria_label = gettext_lazy("Withhold the selected comments")
    single_label = gettext_lazy("Withhold this comment")
    action_priority = 20
    classes: ClassVar[set[str]] = {"serious"}
    form_class = WithholdCommentsForm
    to_status = FreeTextStatus.WITHHELD
