from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal.core import views as core_views

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("theme.css", core_views.theme_css, name="theme-css"),
    path("sitemap.xml", sitemap),
    path("", include("portal.registry.urls")),
    path("", include("portal.signage.urls")),
    path("", include("portal.concerns.urls")),
    path("", include("portal.assessments.urls")),
    path("", include("portal.citizen_science.urls")),
    path("", include("surveys.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("portal.opendata.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
