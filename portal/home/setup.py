"""The portal's home page on a fresh database, where Wagtail left only its welcome page."""

from __future__ import annotations

from wagtail.models import Page, Site

from .models import HomePage


def site_home_page(slug: str = "home") -> HomePage:
    """The home page, created as the default site's root (replacing Wagtail's placeholder)."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    # Wagtail's first migration leaves a placeholder welcome page as the site root, which
    # holds the slug "home" until it is deleted; the new page takes ``slug`` meanwhile.
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Home", slug=f"{slug}-new"))
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="localhost", is_default_site=True
    )
    placeholder = site.root_page if site.pk else None
    site.root_page = home
    site.save()
    if placeholder is not None and placeholder.pk != home.pk:
        placeholder.delete()
    home.refresh_from_db()
    home.slug = slug
    # Wagtail recomputes url_path when the slug changes; both must be written.
    home.save(update_fields=["slug", "url_path"])
    return home
