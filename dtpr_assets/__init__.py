"""DTPR taxonomy data, datachain validation and icons shared by the portal and the mobile app.

Both DTPR datachain types are here: device records and AI (algorithm) records.

This package is deliberately free of Django and Kivy so both can import it.
"""

from dtpr_assets.taxonomy import (
    CURRENT_AI_VERSION,
    CURRENT_VERSION,
    Category,
    Element,
    Taxonomy,
    UnknownCategory,
    UnknownElement,
    Variable,
    load_taxonomy,
)

__all__ = [
    "CURRENT_AI_VERSION",
    "CURRENT_VERSION",
    "Category",
    "Element",
    "Taxonomy",
    "UnknownCategory",
    "UnknownElement",
    "Variable",
    "load_taxonomy",
]
