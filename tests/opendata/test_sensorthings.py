"""The SensorThings API as a data user meets it: entity sets, paths, query options, privacy."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from portal.citizen_science.geo import coarsen
from portal.citizen_science.models import ReadingStatus
from portal.citizen_science.results import refresh_for_readings
from tests.opendata.sensorthings_support import (
    GARDEN_LAT,
    GARDEN_LON,
    PARK_LAT,
    PARK_LON,
    SECRET_NOTE,
    SITE_LAT,
    SITE_LON,
    STA,
    build_borough,
    make_reading,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def borough(site_tree):
    return build_borough(*site_tree)


def get(client, path, **headers):
    response = client.get(STA + path, **headers)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def walk(client, path):
    """Every entity of a collection, following @iot.nextLink to the end."""
    body = get(client, path)
    seen = list(body["value"])
    pages = 1
    while "@iot.nextLink" in body:
        parts = urlsplit(body["@iot.nextLink"])
        response = client.get(f"{parts.path}?{parts.query}")
        assert response.status_code == 200
        body = response.json()
        seen.extend(body["value"])
        pages += 1
    return seen, pages


def ids(body):
    return [entity["@iot.id"] for entity in body["value"]]


# --- the service root and entity sets ------------------------------------------------------


def test_root_lists_every_entity_set_with_absolute_urls(client, borough):
    body = get(client, "")
    names = {entry["name"]: entry["url"] for entry in body["value"]}
    assert set(names) == {
        "Things", "Locations", "HistoricalLocations", "Datastreams", "Sensors",
        "ObservedProperties", "Observations", "FeaturesOfInterest",
    }  # fmt: skip
    assert names["Things"] == "http://testserver/sta/v1.1/Things"
    assert any("datamodel" in item for item in body["serverSettings"]["conformance"])


def test_things_are_listed_devices_public_sites_and_readings_elsewhere(client, borough):
    things = get(client, "Things")["value"]
    by_id = {thing["@iot.id"]: thing for thing in things}
    assert set(by_id) == {
        f"device-{borough.device.code}",
        f"site-{borough.high_street.pk}",
        f"site-{borough.park.pk}",
        f"site-{borough.gauge.pk}",
        f"campaign-{borough.no2.pk}",
    }
    device = by_id[f"device-{borough.device.code}"]
    assert device["name"] == borough.device.title
    assert device["description"] == borough.device.summary
    assert device["properties"]["code"] == borough.device.code
    assert device["properties"]["status"] == "active"
    assert device["properties"]["url"].endswith(borough.device.url)
    site = by_id[f"site-{borough.high_street.pk}"]
    assert site["properties"]["device"] == f"device-{borough.device.code}"
    assert site["@iot.selfLink"] == (
        f"http://testserver/sta/v1.1/Things('site-{borough.high_street.pk}')"
    )
    assert site["Datastreams@iot.navigationLink"] == site["@iot.selfLink"] + "/Datastreams"


def test_planned_draft_campaigns_and_unpublished_devices_are_absent(client, borough):
    text = json.dumps([get(client, name + "?$top=1000") for name in (
        "Things", "Locations", "Datastreams", "Sensors", "ObservedProperties",
        "FeaturesOfInterest", "Observations",
    )])  # fmt: skip
    for hidden in ("Hidden Road", "Secret Close", "Unpublished camera", borough.hidden_device.code):
        assert hidden not in text
    assert f"campaign-{borough.planned.pk}'" not in text
    assert f"campaign-{borough.draft.pk}'" not in text


def test_locations_of_sites_are_grid_centres_and_devices_keep_theirs(client, borough):
    high_street = get(client, f"Things('site-{borough.high_street.pk}')/Locations")["value"]
    lat, lon = coarsen(float(SITE_LAT), float(SITE_LON), 250)
    assert high_street[0]["location"] == {"type": "Point", "coordinates": [lon, lat]}
    assert high_street[0]["encodingType"] == "application/geo+json"
    device = get(client, f"Things('device-{borough.device.code}')/Locations")["value"]
    assert device[0]["location"]["coordinates"] == [
        float(borough.device.longitude),
        float(borough.device.latitude),
    ]


def test_exact_positions_notes_contributors_and_receipts_never_appear(client, borough):
    paths = [
        "Things?$expand=Locations,Datastreams",
        "Locations?$expand=Things",
        "Datastreams?$expand=Observations($top=1000),Thing,Sensor,ObservedProperty",
        "FeaturesOfInterest?$expand=Observations($top=1000)",
        "Observations?$top=1000&$expand=FeatureOfInterest,Datastream",
        "Sensors?$expand=Datastreams",
        "ObservedProperties",
    ]
    text = " ".join(json.dumps(get(client, path)) for path in paths)
    for lat, lon in ((SITE_LAT, SITE_LON), (PARK_LAT, PARK_LON), (GARDEN_LAT, GARDEN_LON)):
        for value in (str(lat), str(lon), str(float(lat)), str(float(lon))):
            assert value not in text
    assert SECRET_NOTE not in text
    for reading in borough.accepted:
        assert reading.receipt not in text
        assert str(reading.client_uuid) not in text
    contributor = borough.elsewhere.contributor
    assert str(contributor.public_id) not in text
    assert "contributor" not in text.lower()


def test_observations_are_accepted_readings_only_with_published_values(client, borough):
    seen, _pages = walk(client, "Observations")
    assert sorted(entity["@iot.id"] for entity in seen) == sorted(r.pk for r in borough.accepted)
    by_id = {entity["@iot.id"]: entity for entity in seen}
    tube = by_id[borough.accepted[0].pk]
    assert tube["result"] == 36.0  # 40 raw, times 0.9
    assert tube["parameters"]["valueBasis"] == "adjusted"
    assert tube["parameters"]["biasFactor"] == 0.9
    assert tube["parameters"]["rawResult"] == 40.0
    # An exposure reading's time is the exposure period; a rain reading is an instant.
    assert tube["phenomenonTime"] == "2026-01-05T09:00:00Z/2026-02-02T09:00:00Z"
    assert tube["resultTime"] == "2026-02-02T09:00:00Z"
    rain = by_id[borough.accepted[6].pk]
    assert rain["phenomenonTime"] == "2026-02-02T09:00:00Z"
    assert rain["result"] == 1.5
    assert rain["parameters"]["valueBasis"] == "raw"


def test_a_reading_away_from_sites_has_a_campaign_thing_and_a_grid_square(client, borough):
    reading = borough.elsewhere
    stream = get(client, f"Observations({reading.pk})/Datastream")
    assert stream["@iot.id"] == f"campaign-{borough.no2.pk}"
    thing = get(client, f"Datastreams('campaign-{borough.no2.pk}')/Thing")
    assert thing["@iot.id"] == f"campaign-{borough.no2.pk}"
    assert get(client, f"Things('campaign-{borough.no2.pk}')/Locations")["value"] == []
    feature = get(client, f"Observations({reading.pk})/FeatureOfInterest")
    cell_lat, cell_lon = (float(part) for part in reading.cell.split(","))
    lat, lon = coarsen(cell_lat, cell_lon, 250)
    assert feature["feature"]["coordinates"] == [lon, lat]
    assert feature["@iot.id"].startswith(f"area-{borough.no2.pk}-")
    again = get(client, f"FeaturesOfInterest('{feature['@iot.id']}')/Observations")
    assert ids(again) == [reading.pk]


def test_datastreams_carry_unit_type_and_time_range(client, borough):
    stream = get(client, f"Datastreams('site-{borough.high_street.pk}')")
    assert stream["unitOfMeasurement"] == {
        "name": "microgram per cubic metre",
        "symbol": "µg/m³",
        "definition": "https://ucum.org/ucum#ug/m3",
    }
    assert stream["observationType"].endswith("OM_Measurement")
    start, end = stream["phenomenonTime"].split("/")
    assert start <= "2026-01-05T09:00:00Z"
    assert end >= "2026-04-27T09:00:00Z"
    assert stream["properties"]["observationCount"] == 4
    assert stream["properties"]["valueBasis"] == "adjusted"


# --- navigation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected_set", "count"),
    [
        ("Things('site-{hs}')/Datastreams", "Datastreams", 1),
        ("Things('site-{hs}')/HistoricalLocations", "HistoricalLocations", 0),
        ("Locations('site-{hs}')/Things", "Things", 1),
        ("Datastreams('site-{hs}')/Observations", "Observations", 4),
        ("Sensors('campaign-{no2}')/Datastreams", "Datastreams", 3),
        ("ObservedProperties('campaign-{no2}')/Datastreams", "Datastreams", 3),
        ("FeaturesOfInterest('site-{park}')/Observations", "Observations", 2),
        ("Things('site-{hs}')/Datastreams('site-{hs}')/Observations", "Observations", 4),
        ("HistoricalLocations", "HistoricalLocations", 0),
    ],
)
def test_collection_navigation(client, borough, path, expected_set, count):
    path = path.format(hs=borough.high_street.pk, park=borough.park.pk, no2=borough.no2.pk)
    body = get(client, path + ("&" if "?" in path else "?") + "$count=true")
    assert body["@iot.count"] == count
    assert len(body["value"]) == count
    for entity in body["value"]:
        assert f"/sta/v1.1/{expected_set}(" in entity["@iot.selfLink"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Datastreams('site-{hs}')/Thing", "site-{hs}"),
        ("Datastreams('site-{hs}')/Sensor", "campaign-{no2}"),
        ("Datastreams('site-{hs}')/ObservedProperty", "campaign-{no2}"),
        ("Observations({reading})/Datastream", "site-{hs}"),
        ("Observations({reading})/FeatureOfInterest", "site-{hs}"),
    ],
)
def test_single_navigation(client, borough, path, expected):
    values = {
        "hs": borough.high_street.pk,
        "no2": borough.no2.pk,
        "reading": borough.accepted[0].pk,
    }
    body = get(client, path.format(**values))
    assert body["@iot.id"] == expected.format(**values)


def test_sensor_and_observed_property_describe_the_campaign(client, borough):
    sensor = get(client, f"Sensors('campaign-{borough.no2.pk}')")
    assert sensor["description"] == borough.no2.method
    assert sensor["metadata"].endswith("/no2/")
    prop = get(client, f"ObservedProperties('campaign-{borough.no2.pk}')")
    assert prop["name"] == "Nitrogen dioxide (NO2)"


def test_property_paths_and_raw_values(client, borough):
    key = f"Things('site-{borough.high_street.pk}')"
    assert get(client, key + "/name") == {"name": "High Street"}
    raw = client.get(STA + key + "/name/$value")
    assert raw.status_code == 200
    assert raw["Content-Type"].startswith("text/plain")
    assert raw.content.decode() == "High Street"
    result = client.get(STA + f"Observations({borough.accepted[0].pk})/result/$value")
    assert result.content.decode() == "36.0"


# --- query options -----------------------------------------------------------------------------


def test_top_skip_and_next_link_walk_every_row_exactly_once(client, borough):
    seen, pages = walk(client, "Observations?$top=3&$orderby=phenomenonTime desc")
    assert pages == 4
    assert sorted(entity["@iot.id"] for entity in seen) == sorted(r.pk for r in borough.accepted)
    assert len(seen) == len({entity["@iot.id"] for entity in seen})
    times = [entity["resultTime"] for entity in seen]
    assert times == sorted(times, reverse=True)
    things, _pages = walk(client, "Things?$top=2")
    assert len(things) == 5
    assert len({thing["@iot.id"] for thing in things}) == 5


def test_default_and_maximum_page_sizes(client, borough):
    first = borough.accepted[6].observed_at
    for number in range(120):
        when = first.replace(minute=number % 60, second=number // 60)
        make_reading(borough.rain, 2.0, site=borough.gauge, when=when)
    body = get(client, "Observations")
    assert len(body["value"]) == 100
    assert "$skip=100" in body["@iot.nextLink"]
    assert len(get(client, "Observations?$top=5000")["value"]) == len(borough.accepted) + 120


def test_count_follows_accepted_readings_and_moderation(client, borough):
    assert get(client, "Observations?$count=true&$top=1")["@iot.count"] == len(borough.accepted)
    reading = borough.accepted[0]
    reading.status = ReadingStatus.REJECTED
    reading.save()
    refresh_for_readings([reading])
    body = get(client, "Observations?$count=true&$top=1")
    assert body["@iot.count"] == len(borough.accepted) - 1
    path = f"Datastreams('site-{borough.high_street.pk}')/Observations?$count=true"
    assert get(client, path)["@iot.count"] == 3


def test_top_zero_gives_the_count_and_no_endless_next_link(client, borough):
    body = get(client, "Observations?$top=0&$count=true")
    assert body == {"@iot.count": len(borough.accepted), "value": []}
    body = get(client, "Things?$top=0")
    assert body == {"value": []}


def test_count_with_a_filter_counts_the_matching_rows(client, borough):
    body = get(client, "Observations?$count=true&$top=1&$filter=result gt 39")
    # 44, 52 (times 0.9: 39.6, 46.8) and the 61 in the garden (54.9).
    assert body["@iot.count"] == 3
    assert len(body["value"]) == 1


@pytest.mark.parametrize(
    ("expression", "expected_raw"),
    [
        ("result gt 40", {52.0, 61.0}),
        ("result ge 36 and result le 36", {40.0}),
        ("result eq 36 or result eq 18", {40.0, 20.0}),
        ("not (result lt 40)", {52.0, 61.0}),
        ("result ne 36 and result gt 30", {44.0, 52.0, 61.0, 36.0}),
        (
            "(result gt 40 or result lt 2) and phenomenonTime lt 2026-04-01T00:00:00Z",
            {1.5, 52.0, 61.0},
        ),
        ("phenomenonTime ge 2026-04-20T00:00:00Z", {36.0}),
        ("resultTime lt 2026-02-03", {40.0, 20.0, 1.5}),
        ("40 lt result", {52.0, 61.0}),
    ],
)
def test_filter_on_observations(client, borough, expression, expected_raw):
    body = get(client, f"Observations?$top=1000&$filter={expression}")
    assert {entity["parameters"]["rawResult"] for entity in body["value"]} == expected_raw


def test_filter_by_id(client, borough):
    reading = borough.accepted[2]
    assert ids(get(client, f"Observations?$filter=@iot.id eq {reading.pk}")) == [reading.pk]
    assert ids(get(client, f"Observations?$filter=id eq {reading.pk}")) == [reading.pk]
    thing = f"site-{borough.park.pk}"
    assert ids(get(client, f"Things?$filter=@iot.id eq '{thing}'")) == [thing]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("name eq 'High Street'", {"High Street"}),
        ("name ne 'High Street' and properties/kind eq 'site'", {"Park Lane", "Allotments"}),
        ("startswith(name, 'Park') or name eq 'Allotments'", {"Park Lane", "Allotments"}),
        ("contains(name, 'Market')", {"Air quality sensor, Market Square"}),
        ("properties/status eq 'active'", {"Air quality sensor, Market Square"}),
    ],
)
def test_filter_on_things(client, borough, expression, expected):
    body = get(client, f"Things?$filter={expression}")
    assert {entity["name"] for entity in body["value"]} == expected


def test_orderby_several_keys(client, borough):
    body = get(client, "Observations?$top=1000&$orderby=resultTime asc,result desc")
    keys = [(entity["resultTime"], -entity["result"]) for entity in body["value"]]
    assert keys == sorted(keys)
    names = [entity["name"] for entity in get(client, "Things?$orderby=name desc")["value"]]
    assert names == sorted(names, reverse=True)


def test_select_limits_the_properties(client, borough):
    body = get(client, "Observations?$top=2&$select=result,phenomenonTime")
    for entity in body["value"]:
        assert set(entity) == {"@iot.selfLink", "result", "phenomenonTime"}
    body = get(client, "Things?$select=@iot.id,name")
    assert set(body["value"][0]) == {"@iot.id", "@iot.selfLink", "name"}


def test_latest_observation_per_datastream(client, borough):
    body = get(client, "Datastreams?$expand=Observations($orderby=phenomenonTime desc;$top=1)")
    latest = {stream["@iot.id"]: stream["Observations"] for stream in body["value"]}
    assert latest[f"site-{borough.high_street.pk}"][0]["parameters"]["rawResult"] == 36.0
    assert latest[f"site-{borough.park.pk}"][0]["parameters"]["rawResult"] == 30.0
    assert latest[f"site-{borough.gauge.pk}"][0]["parameters"]["rawResult"] == 5.5
    assert latest[f"campaign-{borough.no2.pk}"][0]["@iot.id"] == borough.elsewhere.pk
    stream = next(s for s in body["value"] if s["@iot.id"] == f"site-{borough.high_street.pk}")
    assert "$skip=1" in stream["Observations@iot.nextLink"]
    assert "Datastreams('site-" in stream["Observations@iot.nextLink"]


def test_expand_with_nested_options_and_count(client, borough):
    body = get(
        client,
        f"Things('site-{borough.high_street.pk}')?$expand=Datastreams($select=name),Locations",
    )
    assert set(body["Datastreams"][0]) == {"@iot.selfLink", "name"}
    assert len(body["Locations"]) == 1
    body = get(
        client,
        "Datastreams?$filter=name eq 'Nitrogen dioxide (NO2) at High Street'"
        "&$expand=Observations($filter=result gt 35;$orderby=result;$select=result)",
    )
    results = [entity["result"] for entity in body["value"][0]["Observations"]]
    assert results == [36.0, 39.6, 46.8]
    body = get(client, "Datastreams?$expand=Observations($top=0;$count=true)")
    counts = {stream["@iot.id"]: stream["Observations@iot.count"] for stream in body["value"]}
    assert counts[f"site-{borough.high_street.pk}"] == 4
    body = get(client, "Observations?$top=1&$expand=Datastream($select=name),FeatureOfInterest")
    assert set(body["value"][0]["Datastream"]) == {"@iot.selfLink", "name"}
    assert body["value"][0]["FeatureOfInterest"]["encodingType"] == "application/geo+json"


# --- HTTP --------------------------------------------------------------------------------------


def test_etag_gives_304_and_cors_allows_any_origin(client, borough):
    response = client.get(STA + "Things", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get(STA + "Things", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_writes_are_refused(client, borough):
    assert client.post(STA + "Things", {}).status_code == 405
    assert client.delete(STA + "Things('site-1')").status_code == 405


# --- cost --------------------------------------------------------------------------------------


def test_query_counts_stay_flat_as_sites_and_readings_grow(
    client, borough, django_assert_max_num_queries
):
    from tests.factories import SiteFactory

    for number in range(30):
        site = SiteFactory(campaign=borough.rain, code=f"extra-{number}", name=f"Extra {number}")
        for day in range(3):
            make_reading(borough.rain, 3.0 + day, site=site,
                         when=borough.accepted[6].observed_at.replace(day=3 + day))  # fmt: skip
    from portal.citizen_science.results import rebuild

    rebuild(borough.rain.pk)
    paths = [
        "Things?$top=1000&$count=true",
        "Datastreams?$top=1000&$expand=Observations($orderby=phenomenonTime desc;$top=1)",
        "Observations?$count=true&$top=100&$expand=Datastream,FeatureOfInterest",
        "FeaturesOfInterest?$expand=Observations($top=2)",
        "Things?$expand=Datastreams,Locations",
        f"Datastreams('site-{borough.high_street.pk}')/Observations?$count=true",
    ]
    for path in paths:
        with django_assert_max_num_queries(8):
            get(client, path)


def test_latest_per_datastream_is_the_same_through_the_fallback_query(client, borough, monkeypatch):
    from portal.opendata.sensorthings import observations

    path = "Datastreams?$expand=Observations($orderby=result desc;$top=2)"
    shared = get(client, path)
    monkeypatch.setattr(observations, "_per_site", lambda *args: None)
    assert get(client, path) == shared
    stream = next(s for s in shared["value"] if s["@iot.id"] == f"site-{borough.high_street.pk}")
    assert [o["parameters"]["rawResult"] for o in stream["Observations"]] == [52.0, 44.0]
