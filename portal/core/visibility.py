"""Which pages the public may see, without a query per listing.

Wagtail's ``.public()`` reads every view restriction on each call. Listings on hot pages (the
device page, the register) use the restricted paths from the cache instead; the cache is
cleared whenever a restriction changes or a page moves, so privacy never waits for it.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.signals import page_slug_changed, post_page_move

CACHE_KEY = "plainsight:restricted-page-paths"
CACHE_SECONDS = 300
PageSet = TypeVar("PageSet", bound=PageQuerySet)


def restricted_paths() -> list[str]:
    paths = cache.get(CACHE_KEY)
    if paths is None:
        paths = sorted(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(CACHE_KEY, paths, CACHE_SECONDS)
    return paths


def visible_to_public(pages: PageSet) -> PageSet:
    """Like ``pages.public()``: leaves out pages under a view restriction."""
    restricted = Q()
    for path in restricted_paths():
        restricted |= Q(path__startswith=path)
    return pages.exclude(restricted) if restricted else pages


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_page_move)
@receiver(page_slug_changed)
def forget_restricted_paths(**kwargs: object) -> None:
    cache.delete(CACHE_KEY)
