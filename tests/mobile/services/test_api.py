"""The app's API client against the live test server, and through connections that fail."""

from __future__ import annotations

import socket
import threading

import pytest

from mobile.services.api import ApiClient, ApiError, TransportError
from portal.citizen_science.models import Reading
from tests.mobile.fault_proxy import fault_proxy
from tests.mobile.server_content import (
    CAMPAIGN,
    GENEROUS_RATES,
    SURVEY,
    make_campaign_and_survey,
    new_uuid,
    reading_payload,
    survey_payload,
    throttle_rates,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def server(live_server):
    make_campaign_and_survey()
    with throttle_rates(**GENEROUS_RATES):
        yield live_server.url


def test_register_download_and_send(server):
    api = ApiClient(server)
    registered = api.register([CAMPAIGN])
    assert registered["consented_to"] == [CAMPAIGN]
    assert api.token == registered["token"]
    assert api.me()["contributor"]["id"] == registered["id"]

    assert CAMPAIGN in [c["slug"] for c in api.campaigns()]
    assert api.campaign(CAMPAIGN)["unit"] == "mm"
    assert SURVEY in [s["slug"] for s in api.surveys()]
    assert api.survey(SURVEY)["slug"] == SURVEY

    reading_uuid = new_uuid()
    answer = api.send_readings(
        [{**reading_payload(), "client_uuid": reading_uuid, "campaign": CAMPAIGN}]
    )
    assert answer.status == 200
    (receipt,) = answer.json()["receipts"]
    assert (receipt["client_uuid"], receipt["result"]) == (reading_uuid, "created")
    assert Reading.objects.get(client_uuid=reading_uuid).receipt == receipt["receipt"]

    body = {"client_uuid": new_uuid(), **survey_payload("t" * 24)}
    assert api.send_survey_response(SURVEY, body).status == 201
    assert api.send_survey_response(SURVEY, body).json()["result"] == "duplicate"


def test_reads_say_what_went_wrong(server):
    with pytest.raises(ApiError) as missing:
        ApiClient(server).campaign("no-such-campaign")
    assert missing.value.status == 404
    with pytest.raises(ApiError, match="Register"):
        ApiClient(server).me()  # no token: refused before anything is sent
    stranger = ApiClient(server, token="not-a-real-token")
    assert stranger.send_readings([reading_payload()]).status == 401


def test_no_answer_is_a_transport_error():
    closed = socket.create_server(("127.0.0.1", 0))
    address = closed.getsockname()
    closed.close()
    with pytest.raises(TransportError):
        ApiClient(f"http://{address[0]}:{address[1]}").campaigns()

    # A server that takes the request and never answers: the client gives up after its timeout.
    silent = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    taker = threading.Thread(target=lambda: held.append(silent.accept()[0]), daemon=True)
    taker.start()
    with pytest.raises(TransportError):
        ApiClient(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.5).campaigns()
    taker.join()
    for connection in held:
        connection.close()
    silent.close()


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [
        ("drop_before", "no answer"),
        ("drop_after", "no answer"),
        ("stall", "no answer"),
        ("error_before", 500),
        ("error_after", 500),
    ],
)
def test_each_fault_of_the_proxy_reaches_the_client_as_a_phone_would_see_it(server, fault, outcome):
    api = ApiClient(server)
    api.register([CAMPAIGN])
    reading_uuid = new_uuid()
    with fault_proxy(server, fault_rate=1.0, kinds=(fault,), stall_seconds=1.5) as proxy:
        through = ApiClient(proxy.url, token=api.token, timeout=0.5)
        item = {**reading_payload(), "client_uuid": reading_uuid, "campaign": CAMPAIGN}
        if outcome == "no answer":
            with pytest.raises(TransportError):
                through.send_readings([item])
        else:
            answer = through.send_readings([item])
            assert (answer.status, answer.json()) == (500, None)
    assert proxy.counts == {fault: 1}
    # The faults "after" forwarded the request: the server acted though the client never heard.
    acted = fault in ("drop_after", "error_after", "stall")
    assert Reading.objects.filter(client_uuid=reading_uuid).exists() == acted
    if acted:  # sending again gives the original receipt, not a second reading
        again = api.send_readings([item]).json()["receipts"][0]
        assert again["result"] == "duplicate"
        assert Reading.objects.filter(client_uuid=reading_uuid).count() == 1


def test_the_proxy_forwards_when_no_fault_is_drawn(server):
    with fault_proxy(server, fault_rate=0.0) as proxy:
        assert CAMPAIGN in [c["slug"] for c in ApiClient(proxy.url).campaigns()]
    assert proxy.counts == {"forward": 1}
