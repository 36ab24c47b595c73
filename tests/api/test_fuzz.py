"""Property-based fuzzing of the whole API against its committed OpenAPI schema (schemathesis).

Every operation in api/openapi.yaml is called with generated valid and invalid input against
the live test server, holding a small register, campaign and survey. Each response must not be
a server error, must have a status the schema lists for that operation, and must match the
shape the schema gives for that status.
"""

from __future__ import annotations

import io
from pathlib import Path

import hypothesis.strategies as st
import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, settings

from portal.assessments.models import AlgorithmRecordPage, DpiaPage
from portal.citizen_science.contributors import create_contributor
from portal.citizen_science.definitions import public_campaigns
from portal.registry.models import DevicePage
from surveys.models import SurveyPage

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COMMITTED_SCHEMA = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"
EXAMPLES_PER_OPERATION = 25


def fuzz_content() -> dict[str, dict[str, str]]:
    """The demo borough (devices, records, campaigns with readings, surveys with results),
    and path parameters that reach some of it."""
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    device = DevicePage.objects.live().order_by("pk").first()
    return {
        "code": {"code": device.code},
        "dpia": {"slug": DpiaPage.objects.live().order_by("pk").first().slug},
        "record": {"slug": AlgorithmRecordPage.objects.live().order_by("pk").first().slug},
        "campaign": {"slug": public_campaigns().order_by("pk").first().slug},
        "survey": {"slug": SurveyPage.objects.live().filter(results_published=True).first().slug},
    }


def known_parameters(path: str, known: dict[str, dict[str, str]]) -> dict[str, str]:
    if "{code}" in path:
        return known.get("code", {})
    for fragment, key in (
        ("/dpias/", "dpia"),
        ("/algorithm-records/", "record"),
        ("/campaigns/", "campaign"),
        ("/surveys/", "survey"),
    ):
        if fragment in path and "{slug}" in path:
            return known.get(key, {})
    return {}


# Loaded at collection, so each operation is a test of its own (schemathesis's fixture-based
# loader does not work with pytest 9). The content each test needs is made by ``known`` below.
fuzzed = schemathesis.openapi.from_path(COMMITTED_SCHEMA)
KNOWN: dict[str, dict[str, str]] = {}


@fuzzed.hook
def flatmap_path_parameters(context, path_parameters):
    # Half the time, a slug or code that exists, so the success responses are fuzzed too.
    real = known_parameters(context.operation.path, KNOWN)
    if not real or path_parameters is None:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, **real}])


@pytest.fixture
def known(live_server, transactional_db):
    KNOWN.clear()
    KNOWN.update(fuzz_content())
    yield KNOWN
    KNOWN.clear()


@pytest.fixture
def token(transactional_db):
    return create_contributor()[1]


@fuzzed.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_schema_under_fuzzing(case, live_server, known, token):
    headers = (
        {"Authorization": f"Token {token}"}
        if case.operation.path.startswith("/api/v1/contributors/me/")
        or case.operation.path.startswith("/api/v1/readings/")
        else {}
    )
    # positive_data_acceptance expects every schema-valid request to succeed, but a bounding
    # box or a reading is checked for meaning (south of north, a value in range) beyond its
    # type; those get a 400 that says why, which the schema documents.
    case.call_and_validate(
        base_url=live_server.url,
        headers=headers,
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
