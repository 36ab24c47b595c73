"""Thin views over ``datasets``: the /data/ pages, the DCAT catalogue and the CKAN actions."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.opendata.licence import licence_for_url

from . import ckan
from .datasets import find_dataset, published_datasets, publisher_for
from .dcat import PREFIXES, catalogue_graph, data_services
from .freshness import cache_control
from .schema_org import schema_org_dataset, script_json

JSON_LD = "application/ld+json"
TURTLE = "text/turtle"


@require_safe
def index(request: HttpRequest) -> TemplateResponse:
    datasets = published_datasets(request)
    return TemplateResponse(
        request,
        "opendata/index.html",
        {
            "datasets": datasets,
            "services": data_services(datasets),
            "licence": licence_for_url(None),
            "publisher": publisher_for(request),
        },
    )


@require_safe
def dataset_page(request: HttpRequest, dataset_id: str) -> TemplateResponse:
    dataset = find_dataset(dataset_id)
    if dataset is None:
        raise Http404(_("No published dataset has that id."))
    publisher = publisher_for(request)
    return TemplateResponse(
        request,
        "opendata/dataset.html",
        {
            "dataset": dataset,
            "publisher": publisher,
            "schema_org": script_json(schema_org_dataset(request, dataset, publisher)),
            "ckan_url": reverse("opendata_catalogue:ckan-action", args=["package_show"])
            + f"?id={dataset.id}",
        },
    )


@require_safe
def catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    return _catalogue(request, JSON_LD)


@require_safe
def catalogue_turtle(request: HttpRequest) -> HttpResponse:
    return _catalogue(request, TURTLE)


@require_safe
def catalogue_negotiated(request: HttpRequest) -> HttpResponse:
    """``/data/catalog``: Turtle for a client that asks for it, JSON-LD otherwise."""
    accept = request.headers.get("Accept", "")
    wants_turtle = TURTLE in accept and JSON_LD not in accept
    response = _catalogue(request, TURTLE if wants_turtle else JSON_LD)
    patch_vary_headers(response, ["Accept"])
    return response


def _catalogue(request: HttpRequest, media_type: str) -> HttpResponse:
    graph = catalogue_graph(request, published_datasets(request))
    if media_type == TURTLE:
        body = graph.serialize(format="turtle")
        content_type = "text/turtle; charset=utf-8"
    else:
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        body = graph.serialize(format="json-ld", context=context, auto_compact=True, indent=2)
        content_type = "application/ld+json"
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = cache_control()
    response["Link"] = licence_for_url(None).link_header()
    return response


# --- CKAN ----------------------------------------------------------------------------------


def ckan_action(request: HttpRequest, action: str) -> JsonResponse:
    help_text = ckan.help_url(request, action)
    try:
        if request.method not in ("GET", "HEAD"):
            raise ckan.CkanError(
                405,
                "Method Not Allowed",
                _("This API is read-only. Use GET, with parameters in the query string."),
            )
        result = _run_action(request, action)
    except ckan.CkanError as error:
        response = JsonResponse(
            {
                "help": help_text,
                "success": False,
                "error": {"__type": error.kind, "message": error.message},
            },
            status=error.status,
        )
        if error.status == 405:
            response["Allow"] = "GET, HEAD"
        return response
    return JsonResponse({"help": help_text, "success": True, "result": result})


def _run_action(request: HttpRequest, action: str) -> Any:
    if action == "package_list":
        return [dataset.id for dataset in published_datasets(request)]
    if action == "package_show":
        dataset_id = (request.GET.get("id") or request.GET.get("name") or "").strip()
        if not dataset_id:
            raise ckan.CkanError(
                409,
                "Validation Error",
                _(
                    "Say which dataset with id, e.g. package_show?id=devices. "
                    "package_list lists them."
                ),
            )
        dataset = find_dataset(dataset_id)
        if dataset is None:
            raise ckan.CkanError(
                404,
                "Not Found Error",
                _("No published dataset has the id %(id)s. package_list lists the ids.")
                % {"id": json.dumps(dataset_id)},
            )
        return ckan.package_dict(request, dataset, publisher_for(request))
    if action == "package_search":
        query = ckan.parse_search(request.GET)
        publisher = publisher_for(request)
        found = ckan.search(published_datasets(request), query, publisher)
        return {
            "count": len(found),
            "sort": "score desc, metadata_modified desc",
            "facets": {},
            "search_facets": {},
            "results": [
                ckan.package_dict(request, dataset, publisher)
                for dataset in found[query.start : query.start + query.rows]
            ],
        }
    if action == "help_show":
        name = request.GET.get("name", "")
        if name not in ckan.ACTION_HELP:
            raise ckan.CkanError(
                404,
                "Not Found Error",
                _(
                    "There is no help for %(name)s. Ask for package_list, package_show or "
                    "package_search."
                )
                % {"name": json.dumps(name)},
            )
        return str(ckan.ACTION_HELP[name])
    raise ckan.CkanError(
        400,
        "Bad Request",
        _(
            "Action name not known: %(action)s. This read-only API offers package_list, "
            "package_show and package_search."
        )
        % {"action": json.dumps(action)},
    )
