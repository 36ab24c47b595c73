"""Which published device a reported point means, when the resident gave no device code."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from portal.registry.models import DevicePage

EARTH_RADIUS_METRES = 6_371_000
METRES_PER_DEGREE_LATITUDE = 111_320


@dataclass(frozen=True)
class NearbyDevice:
    device: DevicePage
    metres: float


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance: exact enough at street scale, anywhere on Earth."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(min(1.0, a)))


def devices_near(lat: float, lon: float, *, radius_metres: float) -> list[NearbyDevice]:
    """Listed devices within ``radius_metres`` of the point, nearest first.

    A bounding box narrows the query in the database (plain decimal comparisons work on SQLite
    and PostgreSQL alike); the exact distance is then worked out for the few left.
    """
    d_lat = radius_metres / METRES_PER_DEGREE_LATITUDE
    # Near the poles a degree of longitude shrinks to nothing; cap the box at the whole globe.
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    d_lon = min(radius_metres / (METRES_PER_DEGREE_LATITUDE * cos_lat), 360.0)
    candidates = DevicePage.objects.listed().filter(
        latitude__gte=Decimal(str(round(lat - d_lat, 6))),
        latitude__lte=Decimal(str(round(lat + d_lat, 6))),
        longitude__gte=Decimal(str(round(lon - d_lon, 6))),
        longitude__lte=Decimal(str(round(lon + d_lon, 6))),
    )
    nearby = [
        NearbyDevice(
            device, distance_metres(lat, lon, float(device.latitude), float(device.longitude))
        )
        for device in candidates
    ]
    return sorted(
        (item for item in nearby if item.metres <= radius_metres), key=lambda item: item.metres
    )
