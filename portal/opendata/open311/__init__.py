"""Open311 GeoReport v2: concerns about devices as service requests (see docs/open311.md)."""
