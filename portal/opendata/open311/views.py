"""GeoReport v2 endpoints at /open311/v2/: thin views over ``catalogue``, ``feed`` and
``submission``.

POSTs are exempt from CSRF: the endpoint reads no cookie and starts no session, so a forged
cross-site POST carries nothing a resident's own request would not, and gains no one else's
rights. It is exactly what any API client may send, and it meets the same validation and rate
limits. CORS stays read-only (settings allow GET, HEAD and OPTIONS), so other sites' scripts
cannot read the answer to a POST.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import catalogue, feed, submission
from .formats import (
    Format,
    UnknownFormat,
    error_response,
    parse_format,
    record_response,
    unknown_format_response,
)

View = Callable[..., HttpResponse]
READ_METHODS = ("GET", "HEAD")


def georeport(*methods: str) -> Callable[[View], View]:
    """Resolve the format from the URL's extension and answer wrong methods in GeoReport form."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: str, fmt: str, **kwargs: str) -> HttpResponse:
            try:
                chosen = parse_format(fmt)
            except UnknownFormat:
                return unknown_format_response(fmt)
            if request.method not in methods:
                response = error_response(
                    [
                        _("This address accepts %(methods)s only.")
                        % {"methods": ", ".join(m for m in methods if m != "HEAD")}
                    ],
                    status=405,
                    fmt=chosen,
                )
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, fmt=chosen, **kwargs)

        return wrapped

    return decorate


def _query(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "") for key in request.GET}


@georeport(*READ_METHODS)
def services(request: HttpRequest, *, fmt: Format) -> HttpResponse:
    return record_response(catalogue.list_services(), fmt, root_tag="services", item_tag="service")


@georeport(*READ_METHODS)
def service_definition(request: HttpRequest, code: str, *, fmt: Format) -> HttpResponse:
    try:
        definition = catalogue.service_definition(code)
    except ValueError:
        return error_response(
            [
                _(
                    "No service has the code “%(code)s”. The services are listed at "
                    "services.%(fmt)s."
                )
                % {"code": code[:40], "fmt": fmt}
            ],
            status=404,
            fmt=fmt,
        )
    return record_response(definition, fmt, root_tag="service_definition")


@csrf_exempt
@georeport(*READ_METHODS, "POST")
def requests(request: HttpRequest, *, fmt: Format) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    try:
        concerns = feed.search_requests(_query(request))
    except feed.FilterProblem as problem:
        return error_response(problem.messages, fmt=fmt)
    return record_response(
        feed.Publisher().requests(concerns), fmt, root_tag="service_requests", item_tag="request"
    )


def _post_request(request: HttpRequest, fmt: Format) -> HttpResponse:
    try:
        submitted = submission.submit_request(request)
    except submission.SubmissionRefused as refused:
        response = error_response(refused.messages, status=refused.status, fmt=fmt)
        if refused.status == 429:
            response["Retry-After"] = "3600"
        return response
    receipt = {
        "service_request_id": submitted.concern.reference,
        "service_notice": submitted.notice,
        # Residents have no accounts: nothing links one concern to another.
        "account_id": None,
    }
    return record_response(
        [receipt], fmt, root_tag="service_requests", item_tag="request", status=201
    )


@georeport(*READ_METHODS)
def request_detail(request: HttpRequest, reference: str, *, fmt: Format) -> HttpResponse:
    concern = feed.find_request(reference)
    if concern is None:
        return error_response(
            [
                _(
                    "No published service request has the id “%(id)s”. Check it against the "
                    "reference you were given, such as CK7Q29XG."
                )
                % {"id": reference[:40]}
            ],
            status=404,
            fmt=fmt,
        )
    return record_response(
        feed.Publisher().requests([concern]),
        fmt,
        root_tag="service_requests",
        item_tag="request",
    )


@georeport(*READ_METHODS)
def request_updates(request: HttpRequest, *, fmt: Format) -> HttpResponse:
    try:
        concerns = feed.search_updates(_query(request))
    except feed.FilterProblem as problem:
        return error_response(problem.messages, fmt=fmt)
    return record_response(
        [feed.update_record(concern) for concern in concerns],
        fmt,
        root_tag="service_request_updates",
        item_tag="request_update",
    )


def no_format(request: HttpRequest, resource: str) -> HttpResponse:
    return error_response(
        [
            _("Add the format to the address: %(resource)s.json or %(resource)s.xml.")
            % {"resource": resource}
        ],
        status=404,
    )
