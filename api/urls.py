from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import surveys, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("campaigns/", views.CampaignsView.as_view(), name="campaigns"),
    path("campaigns/<slug:slug>/", views.CampaignView.as_view(), name="campaign"),
    path("contributors/", views.ContributorsView.as_view(), name="contributors"),
    path("contributors/me/", views.ContributorMeView.as_view(), name="contributor-me"),
    path("contributors/me/consents/", views.ConsentsView.as_view(), name="consents"),
    path("readings/", views.ReadingsView.as_view(), name="readings"),
    path(
        "readings/<uuid:reading_uuid>/photos/",
        views.ReadingPhotosView.as_view(),
        name="reading-photos",
    ),
    path("surveys/", surveys.SurveysView.as_view(), name="surveys"),
    path("surveys/<slug:slug>/", surveys.SurveyView.as_view(), name="survey"),
    path(
        "surveys/<slug:slug>/responses/",
        surveys.SurveyResponsesView.as_view(),
        name="survey-responses",
    ),
]

# Survey results (read only); kept apart so other resources' routes merge cleanly.
from .survey_results import SurveyResultsView  # noqa: E402

urlpatterns += [
    path("surveys/<slug:slug>/results/", SurveyResultsView.as_view(), name="survey-results"),
]
