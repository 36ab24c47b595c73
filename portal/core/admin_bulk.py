"""A moderation decision on many items at once, confirmed on a page that shows what is chosen.

Shared by the readings queue and the survey comments queue: each says which items, how to
show them, who may decide and which service records the decision; the confirmation, the
reason form, the "next" fallback and the rollback message on a refused decision live here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction


class ReasonedBulkDecision(SnippetBulkAction):
    to_status: ClassVar[str]
    # The status's TextChoices, for its label.
    statuses: ClassVar[Any]
    # Where to go when the listing gave no "next": the queue, by URL name.
    queue_url_name: ClassVar[str]
    # Enough for the moderator to see what is chosen; the count covers the rest.
    shown_on_confirmation = 30

    def __init__(self, request: HttpRequest, model: type[Any]) -> None:
        super().__init__(request, model)
        if self.next_url == request.path:
            # Without a "next" (the listing's script adds one), go back to the queue, not to
            # this page again without the items it was given.
            self.next_url = reverse(self.queue_url_name)

    # --- what each queue supplies ---------------------------------------------------------

    @staticmethod
    def may_decide(user: Any) -> bool:
        raise NotImplementedError

    @classmethod
    def decide(cls) -> Callable[..., int]:
        """The service that records the decision: (items, *, to_status, user, reason) -> changed."""
        raise NotImplementedError

    def queue(self) -> Any:
        raise NotImplementedError

    # --- shared ---------------------------------------------------------------------------

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.may_decide(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_all_objects_in_listing_query(self, parent_id: Any) -> Any:
        return self.queue().values_list("pk", flat=True)

    def check_perm(self, item: Any) -> bool:
        return True  # checked once for the whole request in dispatch

    @property
    def status_label(self) -> str:
        return str(self.statuses(self.to_status).label)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["shown"] = context["items"][: self.shown_on_confirmation]
        context["not_shown"] = max(0, len(context["items"]) - self.shown_on_confirmation)
        context["to_status_label"] = self.status_label
        context["action_name"] = self.display_name
        return context

    def get_execution_context(self) -> dict[str, Any]:
        return {
            "user": self.request.user,
            "reason": self.cleaned_form.cleaned_data.get("reason", ""),
        }

    @classmethod
    def execute_action(
        cls,
        objects: list[Any],
        *,
        user: AbstractBaseUser | None = None,
        reason: str = "",
        **kwargs: Any,
    ) -> tuple[int, int]:
        changed = cls.decide()(objects, to_status=cls.to_status, user=user, reason=reason)
        return changed, len(objects) - changed

    def form_valid(self, form: forms.Form) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ValidationError as error:
            # Nothing was written: the transaction was rolled back. Show why on the form.
            form.add_error(None, error)
            return self.form_invalid(form)
