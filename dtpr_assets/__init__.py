"""DTPR taxonomy data, datachain validation and icons shared by the portal and the mobile app.

This package is deliberately free of Django and Kivy so both can import it.
"""

from dtpr_assets.taxonomy import (
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
    "CURRENT_VERSION",
    "Category",
    "Element",
    "Taxonomy",
    "UnknownCategory",
    "UnknownElement",
    "Variable",
    "load_taxonomy",
]
