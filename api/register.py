"""The read side of the API for the register: the DTPR taxonomy, devices, DPIAs, algorithms.

Thin views: they check the query, call the services in ``portal.registry`` and
``portal.assessments`` that the web pages use, and page the results. Public GETs are cached
and answer conditional requests (``portal.opendata.middleware`` and ``freshness``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dtpr_assets.taxonomy import load_taxonomy
from portal.assessments.atrs import export_record
from portal.assessments.models import AlgorithmRecordPage, DpiaPage
from portal.core.visibility import visible_to_public
from portal.opendata.freshness import pages_last_changed, with_last_modified
from portal.registry.instances import (
    absolute,
    device_instance,
    device_summary,
    iso,
    locale_array,
    locales,
    record_links,
)
from portal.registry.models import DeviceOrganisation, DevicePage
from portal.registry.queries import FilterProblem, filter_devices
from portal.signage.codes import normalise_code

from . import shapes
from .pagination import StrictLimitOffsetPagination

PAGE_PARAMETERS = [
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": StrictLimitOffsetPagination.max_limit},
        description="How many to return (default 50).",
    ),
    OpenApiParameter(
        "offset", {"type": "integer", "minimum": 0}, description="How many to skip first."
    ),
]
LOCALE_PARAMETER = OpenApiParameter(
    "locale",
    str,
    description="Only text in this locale (BCP 47, e.g. en-GB). Default: every locale.",
)


def wanted_locales(request: Request) -> list[str] | None:
    """The locale asked for, if any; an unknown one is a 400 naming those available."""
    asked = request.query_params.get("locale")
    if asked is None:
        return None
    available = locales()
    for locale in available:
        if locale.lower() == asked.lower() or locale.split("-")[0].lower() == asked.lower():
            return [locale]
    raise exceptions.ValidationError(
        {
            "locale": [
                _("No text is published in “%(asked)s”. Available: %(available)s.")
                % {"asked": asked, "available": ", ".join(available)}
            ]
        }
    )


def paged(request: Request, view: APIView, items: Any, render: Any) -> Response:
    paginator = StrictLimitOffsetPagination()
    page = paginator.paginate_queryset(items, request, view=view)
    return paginator.get_paginated_response([render(item) for item in page or []])


class DtprTaxonomyView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="dtpr_taxonomy",
        summary="The DTPR taxonomy the register uses",
        description=(
            "Every category in display order with its question, and every element with its "
            "name, identifiability and the portal's plain-English description. Text is in "
            "DTPR locale arrays."
        ),
        parameters=[
            LOCALE_PARAMETER,
            OpenApiParameter(
                "datachain",
                str,
                enum=["device", "ai"],
                description="device (default) or ai (the DTPR for AI taxonomy of algorithm "
                "records).",
            ),
        ],
        responses={200: shapes.TAXONOMY, 400: shapes.FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        wanted = wanted_locales(request)
        datachain = request.query_params.get("datachain", "device")
        if datachain not in ("device", "ai"):
            raise exceptions.ValidationError(
                {"datachain": [_("Use device or ai.")]},
            )
        taxonomy = load_taxonomy(datachain=datachain)  # type: ignore[arg-type]
        response = Response(
            {
                "schema_version": f"{datachain}@{taxonomy.version}"
                if datachain == "device"
                else taxonomy.schema_version or f"ai@{taxonomy.version}",
                "categories": [
                    {
                        "id": category.id,
                        "name": locale_array(category.name, wanted),
                        "question": locale_array(category.question, wanted),
                        "shape": category.shape,
                        "order": category.order,
                        "required": category.required,
                        "elements": [
                            {
                                "id": element.id,
                                "name": locale_array(element.name, wanted),
                                "description": locale_array(element.description, wanted),
                                "identifiability": element.identifiability,
                                "variables": [
                                    {
                                        "id": variable.id,
                                        "label": locale_array(variable.label, wanted),
                                        "required": variable.required,
                                    }
                                    for variable in element.variables
                                ],
                                "icon": absolute(
                                    request, f"/dtpr/icons/{category.id}/{element.id}.svg"
                                )
                                if datachain == "device"
                                else None,
                            }
                            for element in taxonomy.elements_in(category.id)
                        ],
                    }
                    for category in taxonomy.categories
                ],
            }
        )
        # Never earlier than today (see freshness): the portal may be upgraded at any time.
        return with_last_modified(response, taxonomy_changed_at(datachain, taxonomy.version))


@cache
def taxonomy_changed_at(datachain: str, version: str) -> datetime:
    """When the installed taxonomy files last changed: they change only with a release."""
    folder = Path(str(resources.files("dtpr_assets").joinpath("data", datachain, version)))
    newest = max(path.stat().st_mtime for path in folder.rglob("*.json"))
    return datetime.fromtimestamp(newest, tz=UTC)


def public_devices() -> Any:
    return DevicePage.objects.listed().order_by("title", "pk")


class DevicesView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="devices_list",
        summary="Devices on the register",
        description=(
            "Published devices, by title, 50 a page (``limit`` up to 500). Filters combine: "
            "a device must match every one given."
        ),
        parameters=[
            OpenApiParameter("purpose", str, description="A DTPR purpose id, e.g. ecology."),
            OpenApiParameter(
                "technology", str, description="A DTPR technology id, e.g. air_quality."
            ),
            OpenApiParameter("personal_data", str, enum=["identifiable", "de_identified", "none"]),
            OpenApiParameter(
                "status",
                str,
                enum=["planned", "installed", "active", "paused", "investigation", "retired"],
            ),
            OpenApiParameter("area", str, description="An area or ward, e.g. Riverside ward."),
            OpenApiParameter(
                "bbox",
                str,
                description="west,south,east,north in decimal degrees, e.g. "
                "-0.20,51.40,-0.10,51.50.",
            ),
            *PAGE_PARAMETERS,
            LOCALE_PARAMETER,
        ],
        responses={200: shapes.DEVICE_PAGE, 400: shapes.FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        wanted = wanted_locales(request)
        try:
            devices = filter_devices(public_devices(), request.query_params)
        except FilterProblem as problem:
            raise exceptions.ValidationError(problem.errors) from None
        response = paged(
            request, self, devices, lambda device: device_summary(device, request, wanted)
        )
        return with_last_modified(response, pages_last_changed(DevicePage))


class DeviceView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="device_retrieve",
        summary="A device, as a DTPR datachain instance",
        description=(
            "The code is the one printed under the QR code on the device's sign (any case, "
            "with or without the dash). Links lead to its page, its sign, and its published "
            "DPIAs and algorithm records."
        ),
        parameters=[LOCALE_PARAMETER],
        responses={200: shapes.DEVICE_INSTANCE, 400: shapes.FIELD_ERRORS, 404: shapes.ERROR},
    )
    def get(self, request: Request, code: str) -> Response:
        wanted = wanted_locales(request)
        canonical = normalise_code(code)
        device = (
            visible_to_public(DevicePage.objects.live())
            .filter(code=canonical)
            .prefetch_related(
                Prefetch(
                    "accountable_organisations",
                    queryset=DeviceOrganisation.objects.select_related("organisation"),
                )
            )
            .first()
            if canonical
            else None
        )
        if device is None:
            raise exceptions.NotFound(
                _(
                    "No published device has the code “%(code)s”. Codes look like K7Q-29XG; "
                    "check each character against the sign, or GET /api/v1/devices/ to list "
                    "them."
                )
                % {"code": code}
            )
        response = Response(
            device_instance(
                device,
                request,
                dpias=list(visible_to_public(device.dpias.live()).order_by("title")),
                algorithm_records=list(
                    visible_to_public(device.algorithm_records.live()).order_by("title")
                ),
                wanted_locales=wanted,
            )
        )
        return with_last_modified(response, device.last_published_at)


def published(model: Any) -> Any:
    """Pages of this type the public may see."""
    return visible_to_public(model.objects.live())


def published_or_404(model: Any, slug: str, message: str) -> Any:
    page = published(model).filter(slug=slug).first()
    if page is None:
        raise exceptions.NotFound(message)
    return page


def dpia_summary(dpia: DpiaPage, request: Request) -> dict[str, Any]:
    return {
        "slug": dpia.slug,
        "title": dpia.title,
        "summary": dpia.summary,
        "review_by": dpia.review_by.isoformat(),
        "overdue_for_review": dpia.is_overdue,
        "updated_at": iso(dpia.last_published_at),
        **record_links(dpia, request, "api:dpia"),
    }


class DpiasView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="dpias_list",
        summary="Published data protection impact assessments",
        parameters=PAGE_PARAMETERS,
        responses={200: shapes.DPIA_PAGE, 400: shapes.FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        dpias = published(DpiaPage).order_by("title", "pk")
        response = paged(request, self, dpias, lambda dpia: dpia_summary(dpia, request))
        return with_last_modified(response, pages_last_changed(DpiaPage))


class DpiaView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="dpia_retrieve",
        summary="A DPIA: what the public may see of it",
        description=(
            "The ICO's seven steps, risks and sign-off. Withheld parts appear as the reason "
            "they were withheld; internal parts do not appear at all."
        ),
        responses={200: shapes.DPIA, 404: shapes.ERROR},
    )
    def get(self, request: Request, slug: str) -> Response:
        dpia = published_or_404(
            DpiaPage, slug, _("No published DPIA has this slug. GET /api/v1/dpias/ lists them.")
        )
        return with_last_modified(Response(dpia.public_data(request)), dpia.last_published_at)


def algorithm_summary(record: AlgorithmRecordPage, request: Request) -> dict[str, Any]:
    return {
        "slug": record.slug,
        "title": record.title,
        "description": record.description,
        "organisation": record.organisation,
        "phase": record.phase,
        "updated_at": iso(record.last_published_at),
        **record_links(record, request, "api:algorithm-record"),
    }


class AlgorithmRecordsView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="algorithm_records_list",
        summary="Published algorithmic transparency records",
        parameters=PAGE_PARAMETERS,
        responses={200: shapes.ALGORITHM_PAGE, 400: shapes.FIELD_ERRORS},
    )
    def get(self, request: Request) -> Response:
        records = published(AlgorithmRecordPage).order_by("title", "pk")
        response = paged(request, self, records, lambda record: algorithm_summary(record, request))
        return with_last_modified(response, pages_last_changed(AlgorithmRecordPage))


class AlgorithmRecordView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="algorithm_record_retrieve",
        summary="An algorithm record in the UK ATRS format",
        description="The record as the Algorithmic Transparency Recording Standard's fields.",
        responses={200: shapes.ALGORITHM_RECORD, 404: shapes.ERROR},
    )
    def get(self, request: Request, slug: str) -> Response:
        record = published_or_404(
            AlgorithmRecordPage,
            slug,
            _(
                "No published algorithm record has this slug. "
                "GET /api/v1/algorithm-records/ lists them."
            ),
        )
        return with_last_modified(
            Response(export_record(record, request)), record.last_published_at
        )
