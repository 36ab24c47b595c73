"""The readings moderation queue in the Wagtail admin: listing, a reading's page, photos, bulk.

Readings come from volunteers, so staff never add, edit or delete them here: the only change
the admin offers is a moderation decision, made through ``moderation.moderate``. Photos are
served by ``reading_photo`` to staff who may see readings, never from a public media URL.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import IndexView, InspectView

from portal.core.admin_bulk import ReasonedBulkDecision

from .models import CampaignPage, Reading, ReadingPhoto, ReadingStatus, Site
from .moderation import (
    FLAG_LABELS,
    REASON_MAX_LENGTH,
    TRANSITIONS,
    explain_flags,
    flags_in_words,
    moderate,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

WAITING = (ReadingStatus.PENDING, ReadingStatus.FLAGGED)
ANY_STATUS = "any"
# What the buttons on a reading's page say for each status it can move to.
DECISION_LABELS = {
    ReadingStatus.ACCEPTED: gettext_lazy("Accept"),
    ReadingStatus.REJECTED: gettext_lazy("Reject"),
    ReadingStatus.FLAGGED: gettext_lazy("Flag for a closer check"),
    ReadingStatus.PENDING: gettext_lazy("Re-open (back to the queue)"),
}
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


class ReadingPermissionPolicy(ModelPermissionPolicy):
    """Staff may view readings and, with ``change_reading``, moderate them; nothing more."""

    NOT_IN_ADMIN: ClassVar[frozenset[str]] = frozenset({"add", "delete"})

    def user_has_permission(self, user: AbstractBaseUser, action: str) -> bool:
        return action not in self.NOT_IN_ADMIN and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions: Any) -> QuerySet:
        allowed = [action for action in actions if action not in self.NOT_IN_ADMIN]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


def may_moderate(user: AbstractBaseUser) -> bool:
    return policy_registry.get_by_type(Reading).user_has_permission(user, "change")


def may_view(user: AbstractBaseUser) -> bool:
    return policy_registry.get_by_type(Reading).user_has_any_permission(user, ["view", "change"])


# --- the queue ---------------------------------------------------------------------------


class ReadingFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[*ReadingStatus.choices, (ANY_STATUS, gettext_lazy("Any status"))],
        empty_label=gettext_lazy("Waiting for a decision (pending or flagged)"),
        method="filter_status",
    )
    flag = django_filters.ChoiceFilter(
        label=gettext_lazy("Flag"),
        choices=list(FLAG_LABELS.items()),
        empty_label=gettext_lazy("Any or none"),
        method="filter_flag",
    )
    campaign = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Campaign"), queryset=CampaignPage.objects.order_by("title")
    )
    site = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Site"), queryset=Site.objects.select_related("campaign")
    )
    received_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Received"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Reading
        fields: ClassVar[list[str]] = []

    def filter_status(self, queryset: QuerySet[Reading], name: str, value: str) -> QuerySet:
        return queryset if value == ANY_STATUS else queryset.filter(status=value)

    def filter_flag(self, queryset: QuerySet[Reading], name: str, value: str) -> QuerySet:
        # Flags are a JSON list; matching the quoted code works on SQLite and PostgreSQL alike.
        return queryset.filter(flags__icontains=f'"{value}"')

    def filter_queryset(self, queryset: QuerySet[Reading]) -> QuerySet[Reading]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=WAITING)
        return queryset


def queue(request: HttpRequest) -> QuerySet[Reading]:
    """The readings the listing shows for this request's filters (used by 'select all' too)."""
    filters = ReadingFilterSet(request.GET, queryset=Reading.objects.all(), request=request)
    if not filters.is_valid():
        return Reading.objects.filter(status__in=WAITING)
    readings = filters.qs
    if query := request.GET.get("q", "").strip():
        readings = readings.filter(receipt__icontains=query)
    return readings


def _when(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i") if moment else ""


def value_with_unit(reading: Reading) -> str:
    return f"{reading.value:g} {reading.unit}"


def observed_text(reading: Reading) -> str:
    return _when(reading.observed_at)


def received_text(reading: Reading) -> str:
    return _when(reading.received_at)


def flags_text(reading: Reading) -> str:
    return flags_in_words(reading.flags) or _("None")


def photo_text(reading: Reading) -> str:
    return _("Yes") if getattr(reading, "has_photo", False) else _("No")


class ReadingIndexView(IndexView):
    """The queue: pending and flagged readings first, newest first, filterable."""

    default_ordering = "-received_at"

    def get_base_queryset(self) -> QuerySet[Reading]:
        return (
            super()
            .get_base_queryset()
            .select_related("campaign", "site")
            .annotate(has_photo=Exists(ReadingPhoto.objects.filter(reading=OuterRef("pk"))))
        )

    def filter_queryset(self, queryset: QuerySet[Reading]) -> QuerySet[Reading]:
        if self.filters is not None and not self.filters.is_valid():
            # A mistyped filter shows the queue as it is by default, with the error by the field.
            return queryset.filter(status__in=WAITING)
        return super().filter_queryset(queryset)

    def get_edit_url(self, instance: Reading) -> None:
        # A reading's values are the volunteer's; its page (the inspect view) holds the decisions.
        return None

    def get_copy_url(self, instance: Reading) -> None:
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["moderation_buttons"] = (
            [
                ListingButton(
                    action.display_name,
                    reverse(
                        "wagtail_bulk_action",
                        args=["citizen_science", "reading", action.action_type],
                    ),
                    attrs={"aria-label": action.aria_label, "data-bulk-action-button": ""},
                    priority=action.action_priority,
                    classname=" ".join({*action.classes, "bulk-action-btn"}),
                )
                for action in (AcceptReadingsBulkAction, RejectReadingsBulkAction)
            ]
            if may_moderate(self.request.user)
            else []
        )
        return context


# --- a reading's page --------------------------------------------------------------------


class DecisionForm(forms.Form):
    to_status = forms.ChoiceField(choices=ReadingStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Needed to reject, to flag, or to change an earlier decision. It is kept in the "
            "reading's history."
        ),
        error_messages={
            "max_length": gettext_lazy("Keep the reason to 300 characters or fewer."),
        },
    )

    def __init__(self, *args: Any, reading: Reading, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reading = reading

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        to_status = cleaned_data.get("to_status")
        if to_status and to_status not in TRANSITIONS[self.reading.status]:
            # Someone else decided first, or the page was open in two tabs.
            raise ValidationError(
                _("This reading is now “%(status)s”. Choose one of the buttons below.")
                % {"status": self.reading.get_status_display()}
            )
        if not to_status:
            raise ValidationError(_("Choose a decision with one of the buttons below."))
        return cleaned_data


class ReadingInspectView(InspectView):
    """Everything a moderator needs to decide on one reading, and the decision buttons."""

    template_name = "citizen_science/admin/reading_inspect.html"

    def get_object(self, queryset: Any = None) -> Reading:
        return get_object_or_404(
            Reading.objects.select_related("campaign", "site", "contributor", "reviewed_by"),
            pk=self.pk,
        )

    def get_edit_url(self) -> None:
        return None

    def get_page_title(self) -> str:
        return _("Reading")  # the receipt follows as the subtitle

    @cached_property
    def form(self) -> DecisionForm:
        data = self.request.POST if self.request.method == "POST" else None
        return DecisionForm(data, reading=self.object)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_moderate(request.user):
            raise PermissionDenied
        form = self.form
        if form.is_valid():
            to_status = form.cleaned_data["to_status"]
            try:
                moderate(
                    [self.object],
                    to_status=to_status,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Reading %(receipt)s is now “%(status)s”.")
                    % {
                        "receipt": self.object.receipt,
                        "status": ReadingStatus(to_status).label,
                    },
                )
                return redirect(self.index_url_name)
        messages.error(request, _("The decision was not saved. Correct the errors below."))
        return self.render_to_response(self.get_context_data(), status=400)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        reading = self.object
        photos = list(reading.photos.all())
        context.update(
            reading=reading,
            value=value_with_unit(reading),
            observed=_when(reading.observed_at),
            exposure_start=_when(reading.exposure_start),
            received=_when(reading.received_at),
            reviewed=_when(reading.reviewed_at),
            flag_explanations=explain_flags(reading, reading.campaign),
            photos=[
                {
                    "photo": photo,
                    "thumbnail_url": reverse(
                        "wagtailsnippets_citizen_science_reading:photo",
                        args=[photo.pk, "thumbnail"],
                    ),
                    "full_url": reverse(
                        "wagtailsnippets_citizen_science_reading:photo", args=[photo.pk, "full"]
                    ),
                }
                for photo in photos
            ],
            events=reading.events.select_related("user").order_by("-at", "-pk"),
            may_moderate=may_moderate(self.request.user),
            form=self.form,
            decisions=[
                (status, DECISION_LABELS[status])
                for status in (
                    ReadingStatus.ACCEPTED,
                    ReadingStatus.REJECTED,
                    ReadingStatus.FLAGGED,
                    ReadingStatus.PENDING,
                )
                if status in TRANSITIONS[reading.status]
            ],
        )
        return context


def edit_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """Links to a reading's 'edit' page (Wagtail makes them) lead to its moderation page."""
    return redirect("wagtailsnippets_citizen_science_reading:inspect", pk)


def reading_photo(request: HttpRequest, pk: int, size: str) -> HttpResponse:
    """A reading's photo for staff only: never cached, never from a public media URL."""
    if not may_view(request.user):
        raise PermissionDenied
    if size not in {"thumbnail", "full"}:
        raise Http404
    photo = get_object_or_404(ReadingPhoto, pk=pk)
    stored = photo.thumbnail if size == "thumbnail" else photo.image
    content_type = mimetypes.guess_type(stored.name)[0]
    if content_type not in PHOTO_TYPES:
        content_type = photo.content_type if photo.content_type in PHOTO_TYPES else None
    if content_type is None:
        raise Http404
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- bulk decisions ----------------------------------------------------------------------


class AcceptReadingsForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed only if some of these readings were rejected before."),
        error_messages={"max_length": gettext_lazy("Keep the note to 300 characters or fewer.")},
    )


class RejectReadingsForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Kept with each reading and in its history, e.g. “Tube found split on collection”."
        ),
        error_messages={
            "required": gettext_lazy(
                "Say why these readings are rejected, e.g. “Tube found split on collection”."
            ),
            "max_length": gettext_lazy("Keep the reason to 300 characters or fewer."),
        },
    )


class ModerateReadingsBulkAction(ReasonedBulkDecision):
    """A decision on many readings at once, confirmed on a page that shows what is chosen."""

    models: ClassVar[list] = [Reading]
    statuses = ReadingStatus
    queue_url_name = "wagtailsnippets_citizen_science_reading:list"
    template_name = "citizen_science/admin/bulk_moderate.html"

    may_decide = staticmethod(may_moderate)

    @classmethod
    def decide(cls) -> Callable[..., int]:
        return moderate

    def queue(self) -> Any:
        return queue(self.request)

    @classmethod
    def get_queryset(cls, model: type[Reading], object_ids: Any) -> list[Reading]:
        readings = list(
            Reading.objects.filter(pk__in=[pk for pk in object_ids if str(pk).isdigit()])
            .select_related("campaign", "site")
            .order_by("-received_at")
        )
        if not readings:
            raise Http404
        return readings

    def object_context(self, reading: Reading) -> dict[str, Any]:
        return {
            "item": reading,
            "url": reverse("wagtailsnippets_citizen_science_reading:inspect", args=[reading.pk]),
            "value": value_with_unit(reading),
            "flags": flags_in_words(reading.flags),
        }

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        message = _("%(count)d readings are now “%(status)s”.") % {
            "count": num_parent_objects,
            "status": ReadingStatus(self.to_status).label,
        }
        if num_child_objects:
            message += " " + _(
                "%(count)d were already “%(status)s” and were left as they were."
            ) % {
                "count": num_child_objects,
                "status": ReadingStatus(self.to_status).label,
            }
        return message


class AcceptReadingsBulkAction(ModerateReadingsBulkAction):
    display_name = gettext_lazy("Accept")
    action_type = "accept"
    aria_label = gettext_lazy("Accept the selected readings")
    action_priority = 10
    classes: ClassVar[set[str]] = set()
    form_class = AcceptReadingsForm
    to_status = ReadingStatus.ACCEPTED


class RejectReadingsBulkAction(ModerateReadingsBulkAction):
    display_name = gettext_lazy("Reject")
    action_type = "reject"
    aria_label = gettext_lazy("Reject the selected readings")
    action_priority = 20
    classes: ClassVar[set[str]] = {"serious"}
    form_class = RejectReadingsForm
    to_status = ReadingStatus.REJECTED
