"""Turns a device's datachain into what the device page shows: the DTPR questions, in order.

Kept out of the templates so the page, the sign and the API describe a device the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from dtpr_assets.icons import render_icon
from dtpr_assets.taxonomy import Datachain, Taxonomy, load_taxonomy

# Accountability is answered by the organisations panel, so it is not repeated here.
ANSWERED_BY_CHAIN = ("purpose", "tech", "data", "process", "access", "retention", "storage")


@dataclass(frozen=True)
class ShownElement:
    name: str
    description: str
    note: str
    icon: SafeString


@dataclass(frozen=True)
class ShownCategory:
    id: str
    name: str
    question: str
    elements: list[ShownElement] = field(default_factory=list)


def describe_datachain(
    entries: list[dict[str, Any]], datachain: Datachain = "device"
) -> list[ShownCategory]:
    """Every question in order, with the elements that answer it (device or AI datachain).

    An AI datachain is optional and has no organisations panel: only its answered questions
    are returned, accountability included.
    """
    taxonomy = load_taxonomy(datachain=datachain)
    if datachain == "device":
        category_ids: tuple[str, ...] = ANSWERED_BY_CHAIN
    else:
        used = {entry["category"] for entry in entries}
        category_ids = tuple(category.id for category in taxonomy.categories if category.id in used)
    sections = []
    for category_id in category_ids:
        category = taxonomy.category(category_id)
        shown = []
        for entry in entries:
            if entry["category"] != category_id:
                continue
            element = taxonomy.element(category_id, entry["element_id"])
            shown.append(
                ShownElement(
                    name=element.label(entry.get("variables") or {}),
                    description=element.description,
                    note=entry.get("additional_description", ""),
                    icon=icon_svg(category_id, element.id, taxonomy=taxonomy),
                )
            )
        sections.append(
            ShownCategory(
                id=category_id, name=category.name, question=category.question, elements=shown
            )
        )
    return sections


def icon_svg(category_id: str, element_id: str, taxonomy: Taxonomy | None = None) -> SafeString:
    """The icon as inline SVG, hidden from screen readers: the element's name is beside it."""
    svg = render_icon(category_id, element_id, taxonomy=taxonomy)
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return mark_safe(svg)


PERSONAL_DATA_ANSWERS = {
    "identifiable": (
        _("Yes"),
        _(
            "It collects information that could identify a person, such as a face, a number "
            "plate or a device identifier."
        ),
    ),
    "de_identified": (
        _("Not in a form that identifies you"),
        _(
            "It senses people, but removes anything that could identify someone before the "
            "data is kept."
        ),
    ),
    "none": (_("No"), _("It does not collect information about people.")),
}


def personal_data_answer(level: str) -> tuple[Promise, Promise]:
    return PERSONAL_DATA_ANSWERS[level]
