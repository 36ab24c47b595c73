from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import register, surveys, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("dtpr/", register.DtprTaxonomyView.as_view(), name="dtpr"),
    path("devices/", register.DevicesView.as_view(), name="devices"),
    path("devices/<str:code>/", register.DeviceView.as_view(), name="device"),
    path("dpias/", register.DpiasView.as_view(), name="dpias"),
    path("dpias/<slug:slug>/", register.DpiaView.as_view(), name="dpia"),
    path("algorithm-records/", register.AlgorithmRecordsView.as_view(), name="algorithm-records"),
    path(
        "algorithm-records/<slug:slug>/",
        register.AlgorithmRecordView.as_view(),
        name="algorithm-record",
    ),
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

# Anything else under /api/v1/ is a JSON 404 that points to the schema, not an HTML page.
urlpatterns += [re_path(r"^[\s\S]*$", views.not_found, name="not-found")]
