"""Checks that a datachain follows the DTPR rules, with messages a council editor can act on.

:func:`validate_datachain` checks a device's datachain and :func:`validate_ai_datachain` the
optional DTPR-for-AI datachain of an algorithm record. A datachain entry is a mapping::

    {"category": "tech", "element_id": "identifiable_video", "priority": 1,
     "additional_description": "...", "variables": {"duration": "for 30 days"}}

Only ``category`` and ``element_id`` are required. Entries are given in display order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dtpr_assets.taxonomy import (
    DATACHAIN_LABELS,
    Element,
    Identifiability,
    Taxonomy,
    UnknownCategory,
    load_taxonomy,
)

MAX_PURPOSES = 3

# Data types that can only come from a sensor that sees or hears people, so a resident needs
# to be told which technology collects them.
DATA_REQUIRING_TECHNOLOGY = ("personal", "pixel_based_image")

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
_SENSITIVITY: dict[Identifiability, int] = {"identifiable": 0, "de_identified": 1, "none": 2}


@dataclass(frozen=True)
class DatachainProblem:
    """One thing to fix. ``index`` points at an entry, ``field`` at a key within it."""

    message: str
    index: int | None = None
    field: str | None = None


@dataclass(frozen=True)
class _Resolved:
    index: int
    entry: Mapping[str, Any]
    element: Element


def _count_in_words(count: int) -> str:
    return _NUMBER_WORDS.get(count, str(count))


def _joined(names: Sequence[str]) -> str:
    """``["A", "B", "C"]`` as "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _variables(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    variables = entry.get("variables")
    return variables if isinstance(variables, Mapping) else {}


def _display_order(resolved: Sequence[_Resolved]) -> list[_Resolved]:
    """Order within a category: entries with a priority first (lowest first), then list order."""

    def key(item: _Resolved) -> tuple[bool, int, int]:
        priority = item.entry.get("priority")
        if isinstance(priority, int) and not isinstance(priority, bool):
            return (False, priority, item.index)
        return (True, 0, item.index)

    return sorted(resolved, key=key)


def _resolve(
    entries: Sequence[Mapping[str, Any]], taxonomy: Taxonomy
) -> tuple[list[_Resolved], list[DatachainProblem]]:
    resolved: list[_Resolved] = []
    problems: list[DatachainProblem] = []
    category_names = ", ".join(category.name for category in taxonomy.categories)

    for index, entry in enumerate(entries):
        category_id = _text(entry.get("category"))
        element_id = _text(entry.get("element_id"))
        position = index + 1

        if not category_id:
            problems.append(
                DatachainProblem(
                    f"Choose a category for entry {position}: one of {category_names}.",
                    index=index,
                    field="category",
                )
            )
            continue
        try:
            category = taxonomy.category(category_id)
        except UnknownCategory:
            problems.append(
                DatachainProblem(
                    f"“{category_id}” is not a DTPR category. Choose one of {category_names}.",
                    index=index,
                    field="category",
                )
            )
            continue

        if not element_id:
            problems.append(
                DatachainProblem(
                    f"Choose an element for entry {position} from the {category.name} list.",
                    index=index,
                    field="element_id",
                )
            )
            continue

        if taxonomy.has_element(category.id, element_id):
            resolved.append(_Resolved(index, entry, taxonomy.element(category.id, element_id)))
            continue

        legacy = taxonomy.legacy_replacement(category.id, element_id)
        homes = taxonomy.categories_containing(element_id)
        if legacy is not None:
            replacement = taxonomy.element(legacy.category, legacy.element_id)
            settings = "".join(f" and set {name} to “{value}”" for name, value in legacy.variables)
            message = (
                f"“{element_id}” is an old element that DTPR has replaced. Choose "
                f"“{replacement.name}” in {taxonomy.category(replacement.category).name}"
                f"{settings}."
            )
        elif homes:
            home = homes[0]
            name = taxonomy.element(home.id, element_id).name
            message = (
                f"“{name}” belongs in the {home.name} category, not {category.name}. "
                f"Move it to {home.name}."
            )
        else:
            message = (
                f"“{element_id}” is not an element of the {category.name} category. "
                f"Choose an element from the {category.name} list."
            )
        problems.append(DatachainProblem(message, index=index, field="element_id"))

    return resolved, problems


def _duplicates(resolved: Sequence[_Resolved], taxonomy: Taxonomy) -> list[DatachainProblem]:
    problems: list[DatachainProblem] = []
    seen: set[tuple[str, str]] = set()
    for item in resolved:
        key = (item.element.category, item.element.id)
        if key in seen:
            category_name = taxonomy.category(item.element.category).name
            problems.append(
                DatachainProblem(
                    f"“{item.element.name}” appears more than once in {category_name}; "
                    "remove the repeated entry.",
                    index=item.index,
                    field="element_id",
                )
            )
        seen.add(key)
    return problems


def _too_many_purposes(resolved: Sequence[_Resolved], *, subject: str) -> list[DatachainProblem]:
    """``subject`` names what shows the purposes, such as "A device"."""
    purposes = [item for item in resolved if item.element.category == "purpose"]
    if len(purposes) <= MAX_PURPOSES:
        return []
    extra = len(purposes) - MAX_PURPOSES
    noun = "purpose" if extra == 1 else "purposes"
    first_extra = _display_order(purposes)[MAX_PURPOSES]
    return [
        DatachainProblem(
            f"{subject} can show at most three purposes; remove {_count_in_words(extra)} "
            f"{noun} so that only the three most important remain.",
            index=first_extra.index,
            field="element_id",
        )
    ]


def _purposes(resolved: Sequence[_Resolved]) -> list[DatachainProblem]:
    if not any(item.element.category == "purpose" for item in resolved):
        return [
            DatachainProblem(
                "Add at least one purpose so residents can see why this device is here."
            )
        ]
    return _too_many_purposes(resolved, subject="A device")


def _required_categories(
    resolved: Sequence[_Resolved], taxonomy: Taxonomy
) -> list[DatachainProblem]:
    """One problem for each category the taxonomy marks as required and the chain lacks."""
    required = [category for category in taxonomy.categories if category.required]
    required_names = _joined([category.name for category in required])
    present = {item.element.category for item in resolved}
    problems: list[DatachainProblem] = []
    for category in required:
        if category.id in present:
            continue
        example = taxonomy.elements_in(category.id)[0]
        problems.append(
            DatachainProblem(
                f"Add at least one {category.name} element, such as “{example.name}”: every "
                f"{DATACHAIN_LABELS[taxonomy.datachain]} datachain needs {required_names}."
            )
        )
    return problems


def _accountability(
    resolved: Sequence[_Resolved], organisation_count: int | None
) -> list[DatachainProblem]:
    problems: list[DatachainProblem] = []
    if not any(item.element.category == "accountable" for item in resolved):
        problems.append(
            DatachainProblem(
                "Add an Accountable element (Institution or Organization) so residents can "
                "see who is responsible for this device."
            )
        )
    if organisation_count == 0:
        problems.append(
            DatachainProblem(
                "Add at least one accountable organisation, starting with the council, so "
                "residents know who to contact.",
                field="organisations",
            )
        )
    return problems


def _technology(resolved: Sequence[_Resolved]) -> list[DatachainProblem]:
    technology = _display_order([item for item in resolved if item.element.category == "tech"])
    needs_technology = [
        item
        for item in resolved
        if item.element.collects_personal_data
        or (item.element.category == "data" and item.element.id in DATA_REQUIRING_TECHNOLOGY)
    ]

    if not technology:
        if not needs_technology:
            return []
        trigger = needs_technology[0]
        return [
            DatachainProblem(
                f"A technology element is required when the datachain includes "
                f"“{trigger.element.name}”; add the technology that collects this data.",
                index=trigger.index,
            )
        ]

    first_ordinary: _Resolved | None = None
    for item in technology:
        if not item.element.collects_personal_data:
            first_ordinary = first_ordinary or item
        elif first_ordinary is not None:
            return [
                DatachainProblem(
                    f"Move “{item.element.name}” above “{first_ordinary.element.name}”: "
                    "technology that collects identifiable or de-identified personal data "
                    "must be listed first in Technology.",
                    index=item.index,
                    field="priority",
                )
            ]
    return []


def _variables_present(resolved: Sequence[_Resolved]) -> list[DatachainProblem]:
    problems: list[DatachainProblem] = []
    for item in resolved:
        values = _variables(item.entry)
        for variable in item.element.required_variables:
            if not _text(values.get(variable.id)):
                problems.append(
                    DatachainProblem(
                        f"Fill in the {variable.label.lower()} for “{item.element.name}”. "
                        f"{variable.help_text}".strip(),
                        index=item.index,
                        field=variable.id,
                    )
                )
    return problems


def validate_datachain(
    entries: Sequence[Mapping[str, Any]],
    *,
    taxonomy: Taxonomy | None = None,
    organisation_count: int | None = None,
) -> list[DatachainProblem]:
    """Return every problem with a device datachain; an empty list means it can be published.

    ``organisation_count`` is the number of organisations attached to the device record; pass
    it when known so a record with no one accountable is caught.
    """
    taxonomy = taxonomy or load_taxonomy()
    resolved, problems = _resolve(entries, taxonomy)
    problems += _duplicates(resolved, taxonomy)
    problems += _purposes(resolved)
    problems += _accountability(resolved, organisation_count)
    problems += _technology(resolved)
    problems += _variables_present(resolved)
    return problems


def validate_ai_datachain(
    entries: Sequence[Mapping[str, Any]], *, taxonomy: Taxonomy | None = None
) -> list[DatachainProblem]:
    """Return every problem with an algorithm record's AI datachain; empty means publishable.

    The AI datachain is optional on an algorithm record, so an empty list of entries is valid
    and has no problems. Once there is any entry, the chain must hold every required category
    (purpose, accountable, affected and functional modes), at most three purposes, no repeats
    and the variables its elements need, such as how long retained data is kept.
    """
    taxonomy = taxonomy or load_taxonomy(datachain="ai")
    if taxonomy.datachain != "ai":
        raise ValueError(
            'validate_ai_datachain() needs an AI taxonomy: pass load_taxonomy(datachain="ai"), '
            "or use validate_datachain() for a device."
        )
    if not entries:
        return []
    resolved, problems = _resolve(entries, taxonomy)
    problems += _duplicates(resolved, taxonomy)
    problems += _required_categories(resolved, taxonomy)
    problems += _too_many_purposes(resolved, subject="An algorithm record")
    problems += _variables_present(resolved)
    return problems


def personal_data_level(
    entries: Sequence[Mapping[str, Any]], taxonomy: Taxonomy | None = None
) -> Identifiability:
    """The most sensitive identifiability of any technology in the datachain."""
    taxonomy = taxonomy or load_taxonomy()
    resolved, _ = _resolve(entries, taxonomy)
    levels = [item.element.identifiability for item in resolved]
    return min(levels, key=_SENSITIVITY.__getitem__, default="none")


def _strip_prefix(element_id: str, category_id: str, taxonomy: Taxonomy) -> str:
    # v1 exports sometimes repeat the category inside the element id, e.g. "device__tech__radar".
    for alias, target in [(category_id, category_id), *taxonomy.category_aliases.items()]:
        if target == category_id and element_id.startswith(f"{alias}__"):
            return element_id[len(alias) + 2 :]
    return element_id


def _variables_as_dict(raw: Any) -> dict[str, Any]:
    if isinstance(raw, Mapping):
        return dict(raw)
    if isinstance(raw, Sequence) and not isinstance(raw, str):
        # The DTPR machine-readable form is a list of {"id": ..., "value": ...}.
        return {
            item["id"]: item.get("value")
            for item in raw
            if isinstance(item, Mapping) and "id" in item
        }
    return {}


def normalise_legacy_entries(
    entries: Sequence[Mapping[str, Any]], taxonomy: Taxonomy | None = None
) -> list[dict[str, Any]]:
    """Rewrite old spellings into the current form without dropping any other keys.

    Handles prefixed category ids (``device__tech``, or ``ai__rights`` with the AI taxonomy),
    DTPR's ``category_id`` key and list-shaped variables, category-prefixed element ids, and
    the fixed retention elements that used to sit under storage (``retained_24_hours`` becomes
    ``data_retained`` "for 24 hours").
    Entries that cannot be understood are returned unchanged so the validator can report them.
    """
    taxonomy = taxonomy or load_taxonomy()
    normalised: list[dict[str, Any]] = []
    for entry in entries:
        result = dict(entry)
        category_id = _text(result.pop("category_id", None)) or _text(result.get("category"))
        element_id = _text(result.get("element_id"))
        variables = _variables_as_dict(result.get("variables"))
        if taxonomy.has_category(category_id):
            category_id = taxonomy.normalise_category_id(category_id)
            element_id = _strip_prefix(element_id, category_id, taxonomy)
            legacy = taxonomy.legacy_replacement(category_id, element_id)
            if legacy is not None:
                category_id, element_id = legacy.category, legacy.element_id
                # A value the council already typed is more specific than the legacy label.
                for name, value in legacy.variables:
                    if not _text(variables.get(name)):
                        variables[name] = value
        result["category"] = category_id
        result["element_id"] = element_id
        if variables or "variables" in result:
            result["variables"] = variables
        normalised.append(result)
    return normalised
