"""Settings shared by every environment.

Secure by default: DEBUG is off, and anything secret comes from the environment. The
environment variables are documented in docs/environment.md; keep that table in step.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PORTAL_DIR = BASE_DIR / "portal"


def env_flag(name: str, *, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, *, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default="127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal.core",
    "portal.home",
    "portal.registry",
    "portal.signage",
    "portal.assessments",
    "portal.concerns",
    "portal.citizen_science",
    "portal.opendata",
    "api",
    "surveys",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Answers CORS preflights for the public read endpoints before anything else runs.
    "corsheaders.middleware.CorsMiddleware",
    # WhiteNoise serves static files already compressed, so it sits above GZip.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (a device page shrinks about five-fold). Django pads compressed
    # responses against BREACH, and public pages carry no secrets.
    "django.middleware.gzip.GZipMiddleware",
    # ETag from the uncompressed body and 304 Not Modified (below GZip, as Django advises).
    "django.middleware.http.ConditionalGetMiddleware",
    "portal.opendata.middleware.PublicReadCachingMiddleware",
    "portal.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PORTAL_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.core.context_processors.maps",
                "portal.core.context_processors.council",
            ],
        },
    },
]

# SQLite needs no set-up, so a first run works anywhere; production sets DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [PORTAL_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PORTAL_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let browsers cache static files for a year; compression saves phone data.
    "staticfiles": {"BACKEND": "portal.core.storage.StaticStorage"},
    # Files only staff may see, such as volunteers' photos: outside MEDIA_ROOT and without a
    # URL, so no web server serves them; admin views hand them out after a permission check.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")),
            "base_url": None,
        },
    },
}
WHITENOISE_MAX_AGE = 3600

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Plainsight")
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
# New concerns and DPIA publication requests are e-mailed here (comma-separated); empty means
# the council's contact mailbox from its settings.
CONCERNS_EMAIL = os.environ.get("CONCERNS_EMAIL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Plainsight <noreply@localhost>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 10
# Printed under every sign's QR code: set it to the public address before printing signs.
SHORT_LINK_BASE_URL = os.environ.get("SHORT_LINK_BASE_URL", WAGTAILADMIN_BASE_URL)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "xlsx", "odt", "ods", "docx"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_COMMENTS_ENABLED = True

# Imported DTPR icons (manage.py import_dtpr_icons) replace the built-in drawings.
DTPR_ICON_DIR = Path(os.environ.get("DTPR_ICON_DIR", MEDIA_ROOT / "dtpr-icons"))

# Map tiles are an enhancement over the list of devices; empty means "no base map".
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.WriteThrottle"],
    # Writes only: public reads are cacheable and unthrottled.
    "DEFAULT_THROTTLE_RATES": {
        "contributors": os.environ.get("THROTTLE_CONTRIBUTORS", "30/hour"),
        "readings": os.environ.get("THROTTLE_READINGS", "120/minute"),
        "web_readings": os.environ.get("THROTTLE_WEB_READINGS", "30/hour"),
        "survey_responses": os.environ.get("THROTTLE_SURVEY_RESPONSES", "60/hour"),
    },
}
# Open data: the licence every download and feed states, and how long shared caches keep them.
OPEN_DATA_LICENCE_NAME = os.environ.get("OPEN_DATA_LICENCE_NAME", "Open Government Licence v3.0")
OPEN_DATA_LICENCE_URL = os.environ.get(
    "OPEN_DATA_LICENCE_URL",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)
OPEN_DATA_CACHE_SECONDS = int(os.environ.get("OPEN_DATA_CACHE_SECONDS", "300"))

# CORS: any web page may read the open data (GET only, never with credentials); writes such as
# readings come from the app or the portal's own forms, which need no CORS.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api/v1|api/3|data|sta|open311)/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = ("accept", "accept-language", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Link", "Content-Disposition")

SPECTACULAR_SETTINGS = {
    "TITLE": "Plainsight API",
    "DESCRIPTION": "Open data about a council's connected devices in public space.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["portal.core.openapi.public_api_only"],
    "ENUM_NAME_OVERRIDES": {"PersonalDataEnum": "api.shapes.PERSONAL_DATA"},
}

# Residents are never tracked: a session holds only staff sign-in or a form in progress (the
# receipt of a web reading, survey answers before they are sent), and expires with the browser
# session or after two weeks.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
