"""The DCAT-AP 3 catalogue, as a harvester (CKAN with ckanext-dcat, data.gov.uk) reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, SH

from tests.opendata.catalogue_support import build_borough

pytestmark = pytest.mark.django_db

SHAPES = Graph().parse(Path(__file__).parent / "shapes" / "dcat-ap-3-plainsight.ttl")
# An open namespace: rdflib's closed DCAT warns when pytest inspects the module.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCAT_VERSION = URIRef(f"{DCAT}version")
OGL = URIRef("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
EU = "http://publications.europa.eu/resource/authority/"


@pytest.fixture
def borough(site_tree):
    return build_borough(*site_tree)


def catalogue(client, fmt: str) -> Graph:
    response = client.get(f"/data/catalog.{fmt}")
    assert response.status_code == 200
    return Graph().parse(data=response.content, format="json-ld" if fmt == "jsonld" else "turtle")


def shacl_report(graph: Graph) -> tuple[bool, Graph]:
    conforms, report, _text = validate(graph, shacl_graph=SHAPES, allow_warnings=True)
    return conforms, report


@pytest.mark.parametrize("fmt", ["jsonld", "ttl"])
def test_both_serialisations_pass_the_shapes(client, borough, fmt):
    graph = catalogue(client, fmt)
    conforms, report = shacl_report(graph)
    violations = [
        (str(report.value(result, SH.focusNode)), str(report.value(result, SH.resultPath)))
        for result in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(result, SH.resultSeverity) == SH.Violation
    ]
    assert conforms, violations
    # The only warning allowed: survey results have no area of their own.
    warned = {
        str(report.value(result, SH.focusNode))
        for result in report.subjects(RDF.type, SH.ValidationResult)
    }
    assert warned == {"http://testserver/data/datasets/survey-data-and-you/#dataset"}


def test_the_shapes_catch_a_dataset_without_a_title_or_licence(client, borough):
    graph = catalogue(client, "ttl")
    dataset = URIRef("http://testserver/data/datasets/devices/#dataset")
    graph.remove((dataset, DCTERMS.title, None))
    for distribution in graph.objects(dataset, DCAT.distribution):
        graph.remove((distribution, DCTERMS.license, None))
    conforms, report = shacl_report(graph)
    assert not conforms
    paths = {
        report.value(result, SH.resultPath)
        for result in report.subjects(RDF.type, SH.ValidationResult)
    }
    assert {DCTERMS.title, DCTERMS.license} <= paths


def test_every_dataset_has_the_required_properties(client, borough):
    graph = catalogue(client, "jsonld")
    (catalogue_node,) = graph.subjects(RDF.type, DCAT.Catalog)
    datasets = set(graph.objects(catalogue_node, DCAT.dataset))
    assert {str(d) for d in datasets} == {
        "http://testserver/data/datasets/devices/#dataset",
        "http://testserver/data/datasets/readings-millbrook-breathes/#dataset",
        "http://testserver/data/datasets/survey-data-and-you/#dataset",
    }
    publisher = graph.value(catalogue_node, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal("Millbrook Borough Council", lang="en")
    for dataset in datasets:
        for prop in (
            DCTERMS.title, DCTERMS.description, DCAT.distribution, DCTERMS.license,
            DCTERMS.publisher, DCAT.contactPoint, DCAT.theme, DCAT.keyword, DCTERMS.issued,
            DCTERMS.modified, DCTERMS.accrualPeriodicity, DCTERMS.accessRights, DCTERMS.creator,
            DCAT_VERSION, OWL.versionInfo, DCAT.landingPage, DCTERMS.temporal,
        ):  # fmt: skip
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        assert graph.value(dataset, DCTERMS.accessRights) == URIRef(f"{EU}access-right/PUBLIC")
        contact = graph.value(dataset, DCAT.contactPoint)
        assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:opendata@millbrook.example")
        # The landing page is the dataset's page on this site, and it exists.
        landing = str(graph.value(dataset, DCAT.landingPage))
        assert str(dataset) == landing + "#dataset"
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert graph.value(distribution, DCAT.accessURL) is not None
            assert str(graph.value(distribution, DCTERMS.format)).startswith(f"{EU}file-type/")
            assert graph.value(distribution, DCTERMS.license) is not None


def test_licences_are_the_configured_one_and_the_campaigns_own(client, borough, settings):
    settings.OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
    graph = catalogue(client, "ttl")
    devices = URIRef("http://testserver/data/datasets/devices/#dataset")
    readings = URIRef("http://testserver/data/datasets/readings-millbrook-breathes/#dataset")
    assert graph.value(devices, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    # A campaign states its own licence (Open Government Licence by default).
    assert graph.value(readings, DCTERMS.license) == URIRef(
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    )


def test_devices_dataset_extent_and_period(client, borough):
    graph = catalogue(client, "ttl")
    devices = URIRef("http://testserver/data/datasets/devices/#dataset")
    location = graph.value(devices, DCTERMS.spatial)
    bbox = str(graph.value(location, DCAT.bbox))
    assert bbox == (
        "POLYGON((-0.11 51.47,-0.1012 51.47,-0.1012 51.4801,-0.11 51.4801,-0.11 51.47))"
    )
    themes = set(graph.objects(devices, DCAT.theme))
    assert themes == {URIRef(f"{EU}data-theme/GOVE"), URIRef(f"{EU}data-theme/TECH")}


def test_distributions_point_at_downloads_that_work(client, borough):
    graph = catalogue(client, "ttl")
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        url = str(graph.value(distribution, DCAT.downloadURL))
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        media = str(graph.value(distribution, DCAT.mediaType)).rsplit("/", 2)
        assert response["Content-Type"].startswith(f"{media[-2]}/{media[-1]}"), url


def test_uris_are_stable_between_fetches_and_serialisations(client, borough):
    first = catalogue(client, "jsonld")
    assert isomorphic(first, catalogue(client, "jsonld"))
    assert isomorphic(first, catalogue(client, "ttl"))
    subjects = {s for s in first.subjects() if isinstance(s, URIRef)}
    assert URIRef("http://testserver/data/datasets/devices/#csv") in subjects


def test_data_services_for_the_apis(client, borough):
    graph = catalogue(client, "ttl")
    endpoints = {
        str(graph.value(service, DCAT.endpointURL)): service
        for service in graph.subjects(RDF.type, DCAT.DataService)
    }
    assert set(endpoints) == {
        "http://testserver/api/v1/",
        "http://testserver/sta/v1.1/",
        "http://testserver/open311/v2/",
    }
    served = set(graph.objects(endpoints["http://testserver/sta/v1.1/"], DCAT.servesDataset))
    assert URIRef("http://testserver/data/datasets/devices/#dataset") in served


def test_catalog_negotiates_turtle(client, borough):
    response = client.get("/data/catalog", HTTP_ACCEPT="text/turtle")
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    assert "Accept" in response["Vary"]
    assert client.get("/data/catalog")["Content-Type"] == "application/ld+json"


def test_catalogue_is_cacheable_and_answers_304(client, borough):
    response = client.get("/data/catalog.ttl")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Link"].endswith('rel="license"')
    assert client.get("/data/catalog.ttl", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_unpublished_campaign_or_survey_leaves_the_catalogue(client, borough):
    borough.survey.results_published = False
    borough.survey.save_revision().publish()
    borough.campaign.unpublish()
    graph = catalogue(client, "ttl")
    assert {str(d) for d in graph.subjects(RDF.type, DCAT.Dataset)} == {
        "http://testserver/data/datasets/devices/#dataset"
    }
