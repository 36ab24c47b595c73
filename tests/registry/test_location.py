import datetime

import pytest
from django.core.exceptions import ValidationError

from portal.registry.models import geojson_polygon_problem
from tests.factories import DevicePageFactory

SQUARE = [[-0.11, 51.47], [-0.10, 51.47], [-0.10, 51.48], [-0.11, 51.47]]


def test_a_valid_polygon_is_accepted():
    assert geojson_polygon_problem({"type": "Polygon", "coordinates": [SQUARE]}) is None


@pytest.mark.parametrize(
    ("value", "advice"),
    [
        ({"type": "Point", "coordinates": [0, 0]}, '"type": "Polygon"'),
        ({"type": "Polygon", "coordinates": []}, "a list of rings"),
        ({"type": "Polygon", "coordinates": [SQUARE[:-1]]}, "must end where it starts"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[51.47, -0.11], [51.47, 200], [0, 0], [51.47, -0.11]]],
            },
            "longitude first",
        ),
        ("not json at all", '"type": "Polygon"'),
    ],
)
def test_a_bad_polygon_is_explained(value, advice):
    assert advice in geojson_polygon_problem(value)


@pytest.mark.django_db
def test_review_date_before_installation_is_refused(register):
    device = DevicePageFactory(parent=register)
    device.installed_on = device.review_by = None
    device.full_clean()
    device.installed_on = datetime.date(2025, 5, 1)
    device.review_by = datetime.date(2025, 4, 1)
    with pytest.raises(ValidationError) as error:
        device.full_clean()
    assert "on or after the installation date" in str(error.value)


@pytest.mark.django_db
def test_unknown_pages_offer_a_search_of_the_register(client, register):
    response = client.get("/devices/no-such-device/")
    assert response.status_code == 404
    assert "search the register" in response.content.decode()
