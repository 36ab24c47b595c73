"""Typed, read-only access to the versioned DTPR taxonomies shipped in ``data/``.

There is one taxonomy per datachain type: ``device`` for technology in public places and ``ai``
for algorithm records. An element file may take elements from another shipped taxonomy by id
(``reuse_from`` in the file, described in the README), so elements the two datachains share,
such as purposes, access, retention and storage, have one source.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

Datachain = Literal["device", "ai"]
Identifiability = Literal["identifiable", "de_identified", "none"]
Shape = Literal["hexagon", "circle", "rounded_square", "octagon"]

CURRENT_VERSION = "2025-11"
CURRENT_AI_VERSION = "2026-08"
CURRENT_VERSIONS: Mapping[Datachain, str] = MappingProxyType(
    {"device": CURRENT_VERSION, "ai": CURRENT_AI_VERSION}
)
DATACHAIN_LABELS: Mapping[Datachain, str] = MappingProxyType({"device": "device", "ai": "AI"})

IDENTIFIABILITY_VALUES: tuple[Identifiability, ...] = ("identifiable", "de_identified", "none")


class UnknownCategory(KeyError):
    """Raised when a category id is neither a category nor a known alias of one."""

    def __init__(self, category_id: str, datachain: Datachain = "device") -> None:
        super().__init__(category_id)
        self.category_id = category_id
        self.datachain = datachain

    def __str__(self) -> str:
        label = DATACHAIN_LABELS[self.datachain]
        return f"“{self.category_id}” is not a DTPR {label} category."


class UnknownElement(KeyError):
    """Raised when an element id does not exist in the given category."""

    def __init__(self, category_id: str, element_id: str) -> None:
        super().__init__(category_id, element_id)
        self.category_id = category_id
        self.element_id = element_id

    def __str__(self) -> str:
        return f"“{self.element_id}” is not an element of the “{self.category_id}” category."


class UnknownVersion(LookupError):
    """Raised when no data files exist for the requested taxonomy version."""


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    question: str
    shape: Shape
    order: int
    # Whether every datachain of this type needs at least one element from the category.
    required: bool = False


@dataclass(frozen=True)
class Variable:
    id: str
    label: str
    required: bool
    help_text: str = ""


@dataclass(frozen=True)
class Element:
    id: str
    category: str
    name: str
    identifiability: Identifiability
    description: str
    variables: tuple[Variable, ...] = ()
    # Set when the public label depends on a variable, e.g. "Retained {duration}".
    name_template: str | None = None
    datachain: Datachain = "device"
    # The element of another taxonomy this one was loaded from, so icons can follow it.
    reused_from: Element | None = field(default=None, repr=False, compare=False)

    @property
    def collects_personal_data(self) -> bool:
        return self.identifiability != "none"

    @property
    def required_variables(self) -> tuple[Variable, ...]:
        return tuple(variable for variable in self.variables if variable.required)

    def label(self, variables: Mapping[str, Any] | None = None) -> str:
        """The name a resident sees, with variables filled in when every one is present."""
        if self.name_template is None:
            return self.name
        values = {key: str(value).strip() for key, value in (variables or {}).items()}
        wanted = {variable.id for variable in self.variables}
        if not wanted or not all(values.get(name) for name in wanted):
            return self.name
        return self.name_template.format(**{name: values[name] for name in wanted})


@dataclass(frozen=True)
class LegacyElement:
    """An element id from an older taxonomy and what it has become."""

    from_category: str
    from_element_id: str
    category: str
    element_id: str
    variables: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, eq=False)
class Taxonomy:
    version: str
    categories: tuple[Category, ...]
    elements: tuple[Element, ...]
    category_aliases: Mapping[str, str] = field(default_factory=dict)
    legacy_elements: tuple[LegacyElement, ...] = ()
    datachain: Datachain = "device"
    # The DTPR schema the content follows, e.g. "ai@2026-08-12-beta", where DTPR names one.
    schema_version: str | None = None
    _categories_by_id: Mapping[str, Category] = field(init=False, repr=False)
    _elements_by_key: Mapping[tuple[str, str], Element] = field(init=False, repr=False)
    _legacy_by_key: Mapping[tuple[str, str], LegacyElement] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The dataclass is frozen so callers cannot mutate shared cached data; the lookup
        # tables are derived once here instead.
        categories = {category.id: category for category in self.categories}
        elements = {(element.category, element.id): element for element in self.elements}
        legacy = {(item.from_category, item.from_element_id): item for item in self.legacy_elements}
        object.__setattr__(self, "category_aliases", MappingProxyType(dict(self.category_aliases)))
        object.__setattr__(self, "_categories_by_id", MappingProxyType(categories))
        object.__setattr__(self, "_elements_by_key", MappingProxyType(elements))
        object.__setattr__(self, "_legacy_by_key", MappingProxyType(legacy))

    def normalise_category_id(self, category_id: str) -> str:
        """The stored spelling of a category id; accepts v1 prefixes like ``device__tech``."""
        cleaned = category_id.strip()
        if cleaned in self._categories_by_id:
            return cleaned
        alias = self.category_aliases.get(cleaned)
        if alias is not None:
            return alias
        raise UnknownCategory(category_id, self.datachain)

    def has_category(self, category_id: str) -> bool:
        try:
            self.normalise_category_id(category_id)
        except UnknownCategory:
            return False
        return True

    def category(self, category_id: str) -> Category:
        return self._categories_by_id[self.normalise_category_id(category_id)]

    def element(self, category_id: str, element_id: str) -> Element:
        normalised = self.normalise_category_id(category_id)
        try:
            return self._elements_by_key[(normalised, element_id)]
        except KeyError:
            raise UnknownElement(normalised, element_id) from None

    def has_element(self, category_id: str, element_id: str) -> bool:
        try:
            self.element(category_id, element_id)
        except KeyError:
            return False
        return True

    def elements_in(self, category_id: str) -> tuple[Element, ...]:
        normalised = self.normalise_category_id(category_id)
        return tuple(element for element in self.elements if element.category == normalised)

    def categories_containing(self, element_id: str) -> tuple[Category, ...]:
        """Every category that has an element with this id, in display order."""
        return tuple(
            category
            for category in self.categories
            if (category.id, element_id) in self._elements_by_key
        )

    def legacy_replacement(self, category_id: str, element_id: str) -> LegacyElement | None:
        try:
            normalised = self.normalise_category_id(category_id)
        except UnknownCategory:
            return None
        return self._legacy_by_key.get((normalised, element_id))

    def choices_by_category(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Grouped ``(category name, [(element id, element name), ...])`` for a select widget."""
        return [
            (
                category.name,
                [(element.id, element.name) for element in self.elements_in(category.id)],
            )
            for category in self.categories
        ]


def available_versions(datachain: Datachain = "device") -> tuple[str, ...]:
    root = resources.files("dtpr_assets").joinpath("data", datachain)
    if not root.is_dir():
        return ()
    return tuple(sorted(entry.name for entry in root.iterdir() if entry.is_dir()))


def _read_json(datachain: Datachain, version: str, *parts: str) -> Any:
    resource = resources.files("dtpr_assets").joinpath("data", datachain, version, *parts)
    return json.loads(resource.read_text(encoding="utf-8"))


def load_taxonomy(version: str | None = None, *, datachain: Datachain = "device") -> Taxonomy:
    """Load one taxonomy version from the package data; the result is shared and immutable.

    ``version`` defaults to the current one for ``datachain`` ("device" or "ai").
    """
    if datachain not in CURRENT_VERSIONS:
        known = ", ".join(CURRENT_VERSIONS)
        raise ValueError(f"“{datachain}” is not a DTPR datachain type. Use one of: {known}.")
    # A separate cached function so load_taxonomy() and load_taxonomy(CURRENT_VERSION) share
    # one cache entry.
    return _load_taxonomy(datachain, version or CURRENT_VERSIONS[datachain])


def _variables_from(items: list[Mapping[str, Any]]) -> tuple[Variable, ...]:
    return tuple(
        Variable(
            id=variable["id"],
            label=variable["label"],
            required=bool(variable.get("required", False)),
            help_text=variable.get("help_text", ""),
        )
        for variable in items
    )


def _element_from(
    item: Mapping[str, Any], *, category_id: str, datachain: Datachain, source: Element | None
) -> Element:
    """Build an element from its JSON; keys the item leaves out come from ``source``."""
    if source is None:
        return Element(
            id=item["id"],
            category=category_id,
            name=item["name"],
            identifiability=item["identifiability"],
            description=item["description"],
            variables=_variables_from(item.get("variables", [])),
            name_template=item.get("name_template"),
            datachain=datachain,
        )
    return replace(
        source,
        category=category_id,
        name=item.get("name", source.name),
        identifiability=item.get("identifiability", source.identifiability),
        description=item.get("description", source.description),
        variables=(_variables_from(item["variables"]) if "variables" in item else source.variables),
        name_template=item.get("name_template", source.name_template),
        datachain=datachain,
        reused_from=source,
    )


@cache
def _load_taxonomy(datachain: Datachain, version: str) -> Taxonomy:
    if version not in available_versions(datachain):
        known = ", ".join(available_versions(datachain))
        label = DATACHAIN_LABELS[datachain]
        raise UnknownVersion(
            f"There is no DTPR {label} taxonomy version “{version}”. Use one of: {known}."
        )

    category_data = _read_json(datachain, version, "categories.json")
    categories = tuple(
        sorted(
            (
                Category(
                    id=item["id"],
                    name=item["name"],
                    question=item["question"],
                    shape=item["shape"],
                    order=int(item["order"]),
                    required=bool(item.get("required", False)),
                )
                for item in category_data["categories"]
            ),
            key=lambda category: category.order,
        )
    )

    elements: list[Element] = []
    for category in categories:
        element_data = _read_json(datachain, version, "elements", f"{category.id}.json")
        # An element marked "reuse" is taken by id from another shipped taxonomy, so shared
        # elements (names, variables, icons) have one source; the item may override any field.
        origin = element_data.get("reuse_from")
        for item in element_data["elements"]:
            source = None
            if item.get("reuse"):
                source = _load_taxonomy(origin["datachain"], origin["version"]).element(
                    origin["category"], item["id"]
                )
            elements.append(
                _element_from(item, category_id=category.id, datachain=datachain, source=source)
            )

    legacy_data = _read_json(datachain, version, "legacy.json")
    legacy_elements = tuple(
        LegacyElement(
            from_category=item["from"]["category"],
            from_element_id=item["from"]["element_id"],
            category=item["to"]["category"],
            element_id=item["to"]["element_id"],
            variables=tuple(sorted(item["to"].get("variables", {}).items())),
        )
        for item in legacy_data["elements"]
    )

    return Taxonomy(
        version=version,
        categories=categories,
        elements=tuple(elements),
        category_aliases=legacy_data.get("category_aliases", {}),
        legacy_elements=legacy_elements,
        datachain=datachain,
        schema_version=category_data.get("dtpr_schema"),
    )
