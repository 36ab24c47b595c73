"""Admin wiring for surveys: comments to moderate, participation codes and tracker series."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_codes, admin_moderation
from .models import FreeTextAnswer, SurveyPage, TrackerSeries

register_permission_policy(
    FreeTextAnswer, admin_moderation.FreeTextPermissionPolicy(FreeTextAnswer)
)


class SurveyCommentsViewSet(SnippetViewSet):
    model = FreeTextAnswer
    icon = "comment"
    menu_label = _("Survey comments")
    menu_name = "survey-comments"
    menu_order = 10
    index_view_class = admin_moderation.FreeTextIndexView
    index_template_name = "surveys/admin/comments_index.html"
    copy_view_enabled = False
    filterset_class = admin_moderation.FreeTextFilterSet
    ordering = "-response__submitted_at"
    list_per_page = 50
    search_fields: ClassVar[list[str]] = ["text"]
    search_backend_name = None

    def get_urlpatterns(self) -> list[Any]:
        patterns = [pattern for pattern in super().get_urlpatterns() if pattern.name != "edit"]
        return [*patterns, path("edit/<str:pk>/", admin_moderation.edit_redirect, name="edit")]


class TrackerSeriesViewSet(SnippetViewSet):
    model = TrackerSeries
    icon = "history"
    menu_label = _("Tracker series")
    menu_name = "tracker-series"
    menu_order = 20
    list_display = ("name", "description")
    search_fields: ClassVar[list[str]] = ["name"]
    search_backend_name = None


class SurveysViewSetGroup(SnippetViewSetGroup):
    items = (
        SurveyCommentsViewSet,
        TrackerSeriesViewSet,
        admin_codes.ParticipationCodesViewSet,
    )
    menu_label = _("Surveys")
    menu_icon = "list-ul"
    menu_name = "surveys"
    menu_order = 230


register_snippet(SurveysViewSetGroup)


# Wagtail's registry takes the action classes themselves as the hook functions.
hooks.register("register_bulk_action", admin_moderation.PublishCommentsBulkAction)
hooks.register("register_bulk_action", admin_moderation.WithholdCommentsBulkAction)


@hooks.register("register_page_listing_more_buttons")
def survey_page_buttons(page: Any, user: Any, next_url: str | None = None) -> Iterator[Button]:
    """From a survey in the page listing, straight to its comments and its codes."""
    if page.specific_class is not SurveyPage:
        return
    if admin_moderation.may_moderate(user):
        yield Button(
            _("Comments to moderate"),
            reverse(admin_moderation.INDEX_URL_NAME) + f"?survey={page.pk}",
            icon_name="comment",
            priority=60,
        )
    if admin_codes.may_make_codes(user):
        yield Button(
            _("Participation codes"),
            reverse("survey_codes:index") + f"?survey={page.pk}",
            icon_name="key",
            priority=61,
        )


# --- the responses export (surveys/admin_views.py) ----------------------------------------


class SurveyExportsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm("surveys.view_response")


@hooks.register("register_admin_urls")
def register_survey_export_urls() -> list[Any]:
    return [path("survey-exports/", include("surveys.admin_urls"))]


@hooks.register("register_admin_menu_item")
def register_survey_exports_menu_item() -> MenuItem:
    return SurveyExportsMenuItem(
        _("Survey exports"), reverse("survey_exports:index"), icon_name="download", order=250
    )
