from __future__ import annotations

import pytest

from tests.factories import build_site


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as each starts with an empty database."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_tree(db):
    """(home, register): a minimal page tree served at / and /devices/."""
    return build_site()


@pytest.fixture
def register(site_tree):
    return site_tree[1]
