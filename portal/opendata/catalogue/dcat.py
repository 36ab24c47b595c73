"""The open-data catalogue as DCAT-AP 3 (with the UK cross-government model's extras).

Built as an rdflib graph from ``datasets.published_datasets`` and serialised as JSON-LD or
Turtle. URIs are absolute and stable: a dataset is ``<site>/data/datasets/<id>/#dataset``, its
landing page the same address without the fragment, a distribution ``…/#<format>``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, XSD

from portal.opendata.licence import licence_for_url

from .datasets import Dataset, Distribution, Publisher, publisher_for
from .vocabularies import (
    ACCESS_PUBLIC,
    LANGUAGE_ENGLISH,
    LOCAL_AUTHORITY,
    file_type_uri,
    media_type_uri,
)

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DCAT_AP_3 = URIRef("https://semiceu.github.io/DCAT-AP/releases/3.0.0/")
GEOJSON_LITERAL = GSP.geoJSONLiteral
OPEN311_SPEC = URIRef("http://wiki.open311.org/GeoReport_v2/")
SENSORTHINGS_SPEC = URIRef("http://www.opengis.net/doc/is/sensorthings/1.1")
OPENAPI_SPEC = URIRef("https://spec.openapis.org/oas/v3.0.3")
# DCAT 3 terms that rdflib's closed DCAT namespace does not list yet.
DCAT_VERSION = URIRef(f"{DCAT}version")

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "locn": LOCN,
    "gsp": GSP,
    "owl": OWL,
    "adms": ADMS,
    "dcatap": DCATAP,
}


@dataclass(frozen=True)
class DataServiceEntry:
    key: str
    title: str
    description: str
    endpoint_path: str
    description_path: str
    conforms_to: URIRef
    serves: tuple[str, ...]  # dataset ids


def data_services(datasets: list[Dataset]) -> list[DataServiceEntry]:
    """The live APIs beside the downloads. SensorThings and Open311 are linked, not described."""
    ids = tuple(dataset.id for dataset in datasets)
    devices_and_readings = tuple(i for i in ids if i == "devices" or i.startswith("readings-"))
    return [
        DataServiceEntry(
            key="rest-api",
            title=_("Plainsight REST API"),
            description=_(
                "Read devices, citizen-science campaigns and survey results as JSON; the "
                "mobile app also sends readings and survey answers through it."
            ),
            endpoint_path=reverse("api:schema").removesuffix("schema/"),
            description_path=reverse("api:schema"),
            conforms_to=OPENAPI_SPEC,
            serves=ids,
        ),
        DataServiceEntry(
            key="sensorthings",
            title=_("SensorThings API"),
            description=_(
                "Devices and accepted citizen-science readings as OGC SensorThings API 1.1 "
                "Things, Datastreams and Observations."
            ),
            endpoint_path="/sta/v1.1/",
            description_path="/sta/v1.1/",
            conforms_to=SENSORTHINGS_SPEC,
            serves=devices_and_readings,
        ),
        DataServiceEntry(
            key="open311",
            title=_("Open311 GeoReport v2"),
            description=_(
                "Raise a concern about a device, and follow the concerns others have raised."
            ),
            endpoint_path="/open311/v2/",
            description_path="/open311/v2/services.json",
            conforms_to=OPEN311_SPEC,
            serves=tuple(i for i in ids if i == "devices"),
        ),
    ]


class CatalogueUris:
    """Every URI in the catalogue, made absolute against the address the harvester used."""

    def __init__(self, request: HttpRequest) -> None:
        self.base = request.build_absolute_uri("/").rstrip("/")

    def absolute(self, path: str) -> str:
        return self.base + path

    def catalogue(self) -> URIRef:
        return URIRef(self.absolute(reverse("opendata_catalogue:index")) + "#catalogue")

    def publisher(self) -> URIRef:
        return URIRef(self.absolute(reverse("opendata_catalogue:index")) + "#publisher")

    def landing_page(self, dataset: Dataset) -> URIRef:
        return URIRef(self.absolute(dataset.path))

    def dataset(self, dataset: Dataset) -> URIRef:
        return URIRef(self.absolute(dataset.path) + "#dataset")

    def distribution(self, dataset: Dataset, distribution: Distribution) -> URIRef:
        return URIRef(self.absolute(dataset.path) + "#" + distribution.key)

    def service(self, service: DataServiceEntry) -> URIRef:
        return URIRef(self.absolute(reverse("opendata_catalogue:index")) + "#" + service.key)


def catalogue_graph(request: HttpRequest, datasets: list[Dataset]) -> Graph:
    uris = CatalogueUris(request)
    publisher = publisher_for(request)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)

    catalogue = uris.catalogue()
    agent = uris.publisher()
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add(
        (
            catalogue,
            DCTERMS.title,
            Literal(_("%(council)s open data") % {"council": publisher.name}, lang="en"),
        )
    )
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                _(
                    "Open data published by %(council)s about the connected technology it puts "
                    "in public space, its citizen-science campaigns and its surveys."
                )
                % {"council": publisher.name},
                lang="en",
            ),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, agent))
    graph.add(
        (catalogue, FOAF.homepage, URIRef(uris.absolute(reverse("opendata_catalogue:index"))))
    )
    graph.add((catalogue, DCTERMS.language, URIRef(LANGUAGE_ENGLISH)))
    graph.add((catalogue, DCTERMS.license, URIRef(licence_for_url(None).url)))
    graph.add((catalogue, DCTERMS.conformsTo, DCAT_AP_3))
    modified = [dataset.modified for dataset in datasets if dataset.modified]
    if modified:
        graph.add((catalogue, DCTERMS.modified, _datetime(max(modified))))
    _add_agent(graph, agent, publisher)

    for dataset in datasets:
        graph.add((catalogue, DCAT.dataset, uris.dataset(dataset)))
        _add_dataset(graph, uris, dataset, agent, publisher)
    for service in data_services(datasets):
        node = uris.service(service)
        graph.add((catalogue, DCAT.service, node))
        graph.add((node, RDF.type, DCAT.DataService))
        graph.add((node, DCTERMS.title, Literal(service.title, lang="en")))
        graph.add((node, DCTERMS.description, Literal(service.description, lang="en")))
        graph.add((node, DCAT.endpointURL, URIRef(uris.absolute(service.endpoint_path))))
        graph.add((node, DCAT.endpointDescription, URIRef(uris.absolute(service.description_path))))
        graph.add((node, DCTERMS.conformsTo, service.conforms_to))
        graph.add((node, DCTERMS.publisher, agent))
        graph.add((node, DCTERMS.license, URIRef(licence_for_url(None).url)))
        graph.add((node, DCTERMS.accessRights, URIRef(ACCESS_PUBLIC)))
        for dataset in datasets:
            if dataset.id in service.serves:
                graph.add((node, DCAT.servesDataset, uris.dataset(dataset)))
    return graph


def _add_agent(graph: Graph, agent: URIRef, publisher: Publisher) -> None:
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal(publisher.name, lang="en")))
    graph.add((agent, DCTERMS.type, URIRef(LOCAL_AUTHORITY)))
    if publisher.website:
        graph.add((agent, FOAF.homepage, URIRef(publisher.website)))
    if publisher.email:
        graph.add((agent, FOAF.mbox, URIRef(f"mailto:{publisher.email}")))


def _add_dataset(
    graph: Graph, uris: CatalogueUris, dataset: Dataset, agent: URIRef, publisher: Publisher
) -> None:
    node = uris.dataset(dataset)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(dataset.id)))
    graph.add((node, DCTERMS.title, Literal(dataset.title, lang="en")))
    graph.add((node, DCTERMS.description, Literal(dataset.description, lang="en")))
    graph.add((node, DCAT.landingPage, uris.landing_page(dataset)))
    graph.add((node, DCTERMS.publisher, agent))
    graph.add((node, DCTERMS.creator, agent))
    graph.add((node, DCTERMS.accessRights, URIRef(ACCESS_PUBLIC)))
    graph.add((node, DCTERMS.accrualPeriodicity, URIRef(dataset.frequency.uri)))
    graph.add((node, DCTERMS.license, URIRef(dataset.licence.url)))
    graph.add((node, DCTERMS.language, URIRef(LANGUAGE_ENGLISH)))
    graph.add((node, DCAT_VERSION, Literal(dataset.version)))
    graph.add((node, OWL.versionInfo, Literal(dataset.version)))
    for keyword in dataset.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="en")))
    for theme in dataset.themes:
        graph.add((node, DCAT.theme, URIRef(theme.uri)))
    if dataset.issued:
        graph.add((node, DCTERMS.issued, _datetime(dataset.issued)))
    if dataset.modified:
        graph.add((node, DCTERMS.modified, _datetime(dataset.modified)))
    if dataset.source_path:
        graph.add((node, FOAF.page, URIRef(uris.absolute(dataset.source_path))))

    contact = URIRef(uris.absolute(dataset.path) + "#contact")
    graph.add((node, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(publisher.name, lang="en")))
    if publisher.email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{publisher.email}")))
    if publisher.website:
        graph.add((contact, VCARD.hasURL, URIRef(publisher.website)))

    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date)))

    if dataset.bbox:
        import json

        location = BNode()
        graph.add((node, DCTERMS.spatial, location))
        graph.add((location, RDF.type, DCTERMS.Location))
        graph.add((location, DCAT.bbox, Literal(dataset.bbox.as_wkt(), datatype=GSP.wktLiteral)))
        graph.add(
            (
                location,
                LOCN.geometry,
                Literal(json.dumps(dataset.bbox.as_geojson()), datatype=GEOJSON_LITERAL),
            )
        )

    for distribution in dataset.distributions:
        _add_distribution(graph, uris, dataset, distribution)


def _add_distribution(
    graph: Graph, uris: CatalogueUris, dataset: Dataset, distribution: Distribution
) -> None:
    node = uris.distribution(dataset, distribution)
    download = URIRef(uris.absolute(distribution.path))
    graph.add((uris.dataset(dataset), DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(distribution.title, lang="en")))
    graph.add((node, DCTERMS.description, Literal(distribution.description, lang="en")))
    graph.add((node, DCAT.accessURL, download))
    graph.add((node, DCAT.downloadURL, download))
    graph.add((node, DCTERMS.format, URIRef(file_type_uri(distribution.format_code))))
    graph.add((node, DCAT.mediaType, URIRef(media_type_uri(distribution.media_type))))
    graph.add((node, DCTERMS.license, URIRef(distribution.licence.url)))
    graph.add((node, DCTERMS.accessRights, URIRef(ACCESS_PUBLIC)))
    if dataset.modified:
        graph.add((node, DCTERMS.modified, _datetime(dataset.modified)))
    if distribution.byte_size is not None:
        graph.add(
            (node, DCAT.byteSize, Literal(distribution.byte_size, datatype=XSD.nonNegativeInteger))
        )


def _datetime(moment: datetime.datetime) -> Literal:
    # Whole seconds in UTC: what every harvester parses, and stable between serialisations.
    value = moment.astimezone(datetime.UTC).replace(microsecond=0)
    return Literal(value.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)
