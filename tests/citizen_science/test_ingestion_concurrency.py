"""Twenty devices sending one reading at once store it once; a retried batch adds nothing."""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from portal.citizen_science.contributors import create_contributor, give_consent
from portal.citizen_science.models import Reading
from tests.factories import (
    CampaignPageFactory,
    ScienceIndexPageFactory,
    SiteFactory,
    build_site,
)


def reading() -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "campaign": "rain",
        "site": "rain-001",
        "value": 4.2,
        "unit": "mm",
        "observed_at": (timezone.now() - datetime.timedelta(minutes=5)).isoformat(),
    }


# Real transactions, so parallel requests really race; the serialised rollback restores the
# page tree Wagtail's migrations create, which a transactional test would otherwise flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def token():
    home, _register = build_site()
    index = ScienceIndexPageFactory(parent=home)
    campaign = CampaignPageFactory(
        parent=index, slug="rain", unit="mm", sampling="instant", valid_max=500.0
    )
    SiteFactory(campaign=campaign, code="rain-001")
    contributor, token = create_contributor()
    give_consent(contributor, campaign)
    return token


def test_twenty_parallel_copies_store_one_row_and_share_one_receipt(token):
    item = reading()
    answers: list[dict] = []
    start = threading.Barrier(20)

    def send() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        start.wait()
        try:
            answers.append(
                client.post("/api/v1/readings/", {"readings": [item]}, format="json").json()
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    receipts = [answer["receipts"][0] for answer in answers]
    assert len(receipts) == 20
    assert Reading.objects.filter(client_uuid=item["client_uuid"]).count() == 1
    assert len({receipt["receipt"] for receipt in receipts}) == 1
    assert sorted(receipt["result"] for receipt in receipts).count("created") == 1


def test_a_batch_retried_after_a_lost_answer_adds_nothing(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    batch = [reading() for _ in range(50)]
    first = client.post("/api/v1/readings/", {"readings": batch}, format="json").json()
    # The server committed; the phone never saw the answer and sends the batch again.
    retry = client.post("/api/v1/readings/", {"readings": batch}, format="json").json()

    assert first["counts"] == {"created": 50, "duplicate": 0, "rejected": 0}
    assert retry["counts"] == {"created": 0, "duplicate": 50, "rejected": 0}
    assert [r["receipt"] for r in retry["receipts"]] == [r["receipt"] for r in first["receipts"]]
    assert Reading.objects.count() == 50
