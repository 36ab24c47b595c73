"""When each download last changed, cheaply, so that clients and caches can skip unchanged ones.

A streamed download's body is not known until it has been sent, so Django cannot hash it for
an ETag. Instead each download has a *version*: a few aggregate queries that change whenever
its content could. The version gives the ``ETag`` and ``Last-Modified`` headers, answers
``If-None-Match`` / ``If-Modified-Since`` with ``304 Not Modified`` before any row is read,
and keys the remembered size of the file for the index page.

``with_freshness`` wraps the existing per-campaign readings downloads and survey results CSV
(owned by their apps) with the same headers, so every file in the catalogue behaves alike.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from wagtail.models import ModelLogEntry, PageLogEntry

from portal.citizen_science.models import CampaignPage, Reading, ReadingStatus
from portal.opendata.freshness import latest
from portal.opendata.licence import licence_for_url
from portal.registry.models import DevicePage, Organisation
from surveys.models import Response, SurveyPage

SIZE_CACHE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Version:
    etag: str  # quoted, as sent in the header
    last_modified: datetime.datetime | None


def _version(parts: Iterable[Any], last_modified: datetime.datetime | None) -> Version:
    text = "|".join(str(part) for part in (*parts, settings.OPEN_DATA_LICENCE_URL))
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return Version(etag=quote_etag(digest), last_modified=last_modified)


def devices_version() -> Version:
    """Changes when a device is published, unpublished, moved, restricted or drops off the list.

    Publishing and unpublishing both write Wagtail's page log, as do view restrictions on a
    register above the devices, so the newest log entry bounds when the list last changed. A
    device past its "do not show after" date leaves the list at midnight without any edit.
    """
    today = timezone.localdate()
    listed = (
        DevicePage.objects.listed()
        .order_by()
        .aggregate(count=Count("pk"), ids=Sum("pk"), published=Max("last_published_at"))
    )
    hidden_since = (
        DevicePage.objects.filter(hide_after__lt=today).order_by().aggregate(day=Max("hide_after"))
    )["day"]
    logged = PageLogEntry.objects.order_by().aggregate(at=Max("timestamp"))["at"]
    organisations = (
        ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Organisation))
        .order_by()
        .aggregate(at=Max("timestamp"))["at"]
    )
    # Names appear in every row; hashing them catches a rename made outside the admin.
    names = hashlib.sha256(
        repr(list(Organisation.objects.order_by("pk").values_list("pk", "name"))).encode()
    ).hexdigest()
    dropped = None
    if hidden_since is not None:
        dropped = timezone.make_aware(
            datetime.datetime.combine(hidden_since + datetime.timedelta(days=1), datetime.time())
        )
    last_modified = latest(listed["published"], logged, organisations, dropped)
    return _version(
        ("devices", listed["count"], listed["ids"], names, last_modified, today), last_modified
    )


def readings_version_for(campaigns: list[CampaignPage]) -> dict[int, Version]:
    """Each campaign's readings download changes with the campaign page and each moderation."""
    rows = {
        row["campaign"]: row
        for row in Reading.objects.filter(campaign__in=[campaign.pk for campaign in campaigns])
        .values("campaign")
        .annotate(
            accepted=Count("pk", filter=Q(status=ReadingStatus.ACCEPTED)),
            ids=Sum("pk", filter=Q(status=ReadingStatus.ACCEPTED)),
            received=Max("received_at", filter=Q(status=ReadingStatus.ACCEPTED)),
            reviewed=Max("reviewed_at"),
        )
        .order_by()
    }
    versions = {}
    for campaign in campaigns:
        row = rows.get(campaign.pk, {})
        last_modified = latest(campaign.last_published_at, row.get("received"), row.get("reviewed"))
        versions[campaign.pk] = _version(
            (
                "readings",
                campaign.pk,
                campaign.licence,
                campaign.location_precision_m,
                row.get("accepted", 0),
                row.get("ids"),
                last_modified,
            ),
            last_modified,
        )
    return versions


def survey_versions_for(surveys: list[SurveyPage]) -> dict[int, Version]:
    """Published results change with the survey page and with each response counted."""
    rows = {
        row["survey"]: row
        for row in Response.objects.filter(survey__in=[survey.pk for survey in surveys])
        .values("survey")
        .annotate(count=Count("pk"), latest=Max("submitted_at"))
        .order_by()
    }
    versions = {}
    for survey in surveys:
        row = rows.get(survey.pk, {})
        last_modified = latest(survey.last_published_at, row.get("latest"))
        versions[survey.pk] = _version(
            ("survey", survey.pk, row.get("count", 0), last_modified), last_modified
        )
    return versions


# --- remembered sizes ----------------------------------------------------------------------


def _size_key(path: str, etag: str) -> str:
    return "plainsight:download-size:" + hashlib.sha256(f"{path}|{etag}".encode()).hexdigest()


def known_size(path: str, etag: str) -> int | None:
    """The size of this version of a download, if someone has downloaded it already."""
    return cache.get(_size_key(path, etag))


def _counting(chunks: Iterable[Any], path: str, etag: str) -> Iterator[Any]:
    size = 0
    for chunk in chunks:
        size += len(chunk.encode() if isinstance(chunk, str) else chunk)
        yield chunk
    # Only a download sent to the end has a true size; an interrupted one never gets here.
    cache.set(_size_key(path, etag), size, SIZE_CACHE_SECONDS)


# --- headers and conditional requests ------------------------------------------------------


def cache_control() -> str:
    return f"public, max-age={settings.OPEN_DATA_CACHE_SECONDS}"


def not_modified(request: HttpRequest, version: Version) -> HttpResponse | None:
    """A 304 (or 412) if the client's copy is current, else None. Carries the same headers."""
    last_modified = version.last_modified.timestamp() if version.last_modified else None
    response = get_conditional_response(
        request, etag=version.etag, last_modified=last_modified, response=None
    )
    if response is None:
        return None
    stamp(response, version)
    return response


def stamp(
    response: HttpResponseBase, version: Version, *, licence_url: str | None = None
) -> HttpResponseBase:
    """Put the validators, caching and (optionally) licence headers on a download."""
    response["ETag"] = version.etag
    if version.last_modified is not None:
        response["Last-Modified"] = http_date(version.last_modified.timestamp())
    # Set here, not left to the site middleware, which marks a view's own 304 "no-store".
    response["Cache-Control"] = cache_control()
    if licence_url and not response.has_header("Link"):
        response["Link"] = f'<{licence_url}>; rel="license"'
    return response


def remember_size(response: HttpResponseBase, request: HttpRequest, version: Version) -> None:
    if request.method != "GET" or response.status_code != 200:
        return
    if isinstance(response, StreamingHttpResponse):
        response.streaming_content = _counting(
            response.streaming_content, request.path, version.etag
        )
    elif isinstance(response, HttpResponse):
        cache.set(_size_key(request.path, version.etag), len(response.content), SIZE_CACHE_SECONDS)


View = Callable[..., HttpResponseBase]


def with_freshness(
    version_of: Callable[[str], tuple[Version, str | None] | None],
) -> Callable[[View], View]:
    """Wrap a ``(request, slug)`` download view with validators, 304s and a licence link.

    ``version_of(slug)`` returns the version and the licence URL, or None when there is no
    such public download, in which case the view runs as before (and says 404 its own way).
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, slug: str) -> HttpResponseBase:
            found = version_of(slug)
            if found is None:
                return view(request, slug)
            version, licence_url = found
            early = not_modified(request, version)
            if early is not None:
                return early
            response = view(request, slug)
            if response.status_code == 200:
                stamp(response, version, licence_url=licence_url)
                remember_size(response, request, version)
            return response

        return wrapped

    return decorate


def readings_download_version(slug: str) -> tuple[Version, str | None] | None:
    from portal.citizen_science.definitions import public_campaigns
    from portal.citizen_science.downloads import LICENCE_URLS

    campaign = public_campaigns().filter(slug=slug).first()
    if campaign is None:
        return None
    return readings_version_for([campaign])[campaign.pk], LICENCE_URLS.get(campaign.licence)


def survey_results_version(slug: str) -> tuple[Version, str | None] | None:
    from portal.core.visibility import visible_to_public

    survey = (
        visible_to_public(SurveyPage.objects.live())
        .filter(slug=slug, results_published=True)
        .first()
    )
    if survey is None:
        return None
    return survey_versions_for([survey])[survey.pk], licence_for_url(None).url
