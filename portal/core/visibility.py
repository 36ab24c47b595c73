"""Which pages the public may see, without a query per listing.

Wagtail's ``.public()`` reads every view restriction on each call. Listings on hot pages (the
device page, the register) use the restricted paths from the cache instead; the cache is
cleared whenever a restriction changes or a page moves, so privacy never waits for it.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.signals import page_slug_changed, post_page_move

CACHE_KEY = "plainsight:restricted-page-paths"
ALIAS_CACHE_KEY = "plainsight:alias-page-paths"
CACHE_SECONDS = 300
PageSet = TypeVar("PageSet", bound=PageQuerySet)


def restricted_paths() -> list[str]:
    paths = cache.get(CACHE_KEY)
    if paths is None:
        paths = sorted(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(CACHE_KEY, paths, CACHE_SECONDS)
    return paths


def alias_paths() -> list[str]:
    paths = cache.get(ALIAS_CACHE_KEY)
    if paths is None:
        paths = sorted(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True))
        cache.set(ALIAS_CACHE_KEY, paths, CACHE_SECONDS)
    return paths


class CachedViewRestrictionsMixin:
    """Skip Wagtail's two-query view-restriction check on pages nothing restricts.

    Serving a page asks for the restrictions on it and its ancestors. For a page under no
    restricted path, and under no alias (whose source could carry a restriction), the answer
    is "none" without asking the database; otherwise Wagtail's own check runs.
    """

    path: str

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        prefixes = (*restricted_paths(), *alias_paths())
        if any(self.path.startswith(prefix) for prefix in prefixes):
            return super().get_view_restrictions()  # type: ignore[misc]
        return PageViewRestriction.objects.none()


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
    cache.delete_many([CACHE_KEY, ALIAS_CACHE_KEY])


@receiver(post_save)
@receiver(post_delete)
def forget_alias_paths(sender: type, instance: object, **kwargs: object) -> None:
    # Any page model can be aliased; only saves and deletions of aliases matter.
    if isinstance(instance, Page) and instance.alias_of_id is not None:
        cache.delete(ALIAS_CACHE_KEY)
