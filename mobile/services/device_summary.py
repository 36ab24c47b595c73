"""What the device screen shows, from the API's DTPR datachain instance of a device.

``GET /api/v1/devices/<code>/`` (``portal.registry.instances.device_instance``) gives text as
DTPR locale arrays and one element per DTPR answer, organisations included (category
``accountable``, with contact actions). :func:`summarise_device` turns that into plain values
in the order a resident reads the sign: title, status, a summary in a few sentences, then one
group per DTPR category in the taxonomy's display order.

Every device fetched is kept in the store (``download`` kind ``"device"``), so a device seen
once can be shown again without signal. No Kivy here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dtpr_assets.codes import normalise_code
from dtpr_assets.taxonomy import Taxonomy, UnknownCategory, load_taxonomy

from .api import ApiClient, ApiError, TransportError
from .store import Store

DOWNLOAD_KIND = "device"
PREFERRED_LOCALES = ("en-GB", "en")

# The portal's words for each status (portal.registry.models), which the app cannot import.
STATUS_LABELS = {
    "planned": "Planned",
    "installed": "Installed, not yet in use",
    "active": "Active",
    "paused": "Paused",
    "investigation": "Under investigation",
    "retired": "Retired",
}
STATUS_EXPLANATIONS = {
    "planned": "The council plans to install this device. It is not collecting data.",
    "installed": "This device is installed but not switched on yet. It is not collecting data.",
    "active": "This device is in use.",
    "paused": "This device is switched off for now and is not collecting data.",
    "investigation": (
        "This device is out of service while the council investigates a problem or a concern "
        "about it. It is not collecting data."
    ),
    "retired": "This device has been retired and no longer collects data.",
}
PERSONAL_DATA_SENTENCES = {
    "identifiable": "It collects personal data that can identify people.",
    "de_identified": "It senses people but de-identifies the data.",
    "none": "It collects no personal data.",
}
ACTION_LABELS = {"email": "Email", "phone": "Phone", "url": "Website"}


@dataclass(frozen=True)
class ContactAction:
    kind: str  # email, phone or url, as the API names them
    label: str  # "Email", "Phone", "Website"
    target: str  # mailto:, tel: or https: address the phone can open


@dataclass(frozen=True)
class ElementRow:
    """One DTPR answer: the icon to show beside it and what it says."""

    category_id: str
    element_id: str
    title: str
    description: str
    # (label, value) pairs such as ("How long", "31 days").
    variables: tuple[tuple[str, str], ...] = ()
    actions: tuple[ContactAction, ...] = ()
    # False when the app's taxonomy does not know the element: the row is shown as text only.
    known: bool = True

    @property
    def icon_key(self) -> tuple[str, str] | None:
        """(category, element) for :mod:`mobile.services.icons`, or None for text only."""
        return (self.category_id, self.element_id) if self.known else None


@dataclass(frozen=True)
class CategoryGroup:
    category_id: str
    name: str  # "Purpose"
    question: str  # "What is the purpose of this technology?"
    rows: tuple[ElementRow, ...]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class DeviceSummary:
    code: str
    title: str
    status: str
    status_label: str
    summary: str  # a few plain sentences: what it is, whether it is working, personal data
    location: str
    groups: tuple[CategoryGroup, ...]
    links: tuple[Link, ...]
    updated_at: str | None = None

    @property
    def organisations(self) -> tuple[ElementRow, ...]:
        """Who is accountable, each with its ways to get in touch."""
        return next((g.rows for g in self.groups if g.category_id == "accountable"), ())

    @property
    def rows(self) -> tuple[ElementRow, ...]:
        return tuple(row for group in self.groups for row in group.rows)

    def link(self, label: str) -> str | None:
        return next((link.url for link in self.links if link.label == label), None)


def text_in(value: Any, locales: Iterable[str] = PREFERRED_LOCALES) -> str:
    """The text of a DTPR locale array in the first wanted locale there is (else the first)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list) or not value:
        return ""
    by_locale = {item.get("locale"): item.get("value") or "" for item in value}
    for locale in locales:
        if by_locale.get(locale):
            return by_locale[locale]
    return str(value[0].get("value") or "")


def _variables(
    items: list[Mapping[str, Any]], taxonomy: Taxonomy, category_id: str, element_id: str
) -> tuple[tuple[str, str], ...]:
    labels: dict[str, str] = {}
    if taxonomy.has_element(category_id, element_id):
        element = taxonomy.element(category_id, element_id)
        labels = {variable.id: variable.label for variable in element.variables}
    return tuple(
        (labels.get(item["id"], item["id"].replace("_", " ").capitalize()), str(item["value"]))
        for item in items
        if str(item.get("value") or "").strip()
    )


def _row(element: Mapping[str, Any], taxonomy: Taxonomy) -> ElementRow:
    category_id, element_id = element["category_id"], element["element_id"]
    return ElementRow(
        category_id=category_id,
        element_id=element_id,
        title=text_in(element.get("title")),
        description=text_in(element.get("description")),
        variables=_variables(element.get("variables") or [], taxonomy, category_id, element_id),
        actions=tuple(
            ContactAction(
                kind=action["type"],
                label=ACTION_LABELS.get(action["type"], action["type"].capitalize()),
                target=action["target"],
            )
            for action in element.get("actions") or []
        ),
        known=taxonomy.has_element(category_id, element_id),
    )


def _groups(elements: list[Mapping[str, Any]], taxonomy: Taxonomy) -> tuple[CategoryGroup, ...]:
    rows: dict[str, list[tuple[int, ElementRow]]] = {}
    for position, element in enumerate(elements):
        priority = element.get("priority")
        order = priority if isinstance(priority, int) else position
        rows.setdefault(element["category_id"], []).append((order, _row(element, taxonomy)))

    def category_order(category_id: str) -> tuple[int, str]:
        # Categories a newer server knows and this app does not go last, in name order.
        try:
            return (taxonomy.category(category_id).order, category_id)
        except (UnknownCategory, KeyError):
            return (10_000, category_id)

    groups = []
    for category_id in sorted(rows, key=category_order):
        try:
            category = taxonomy.category(category_id)
            name, question = category.name, category.question
        except (UnknownCategory, KeyError):
            name, question = category_id.replace("_", " ").capitalize(), ""
        ordered = tuple(row for _order, row in sorted(rows[category_id], key=lambda r: r[0]))
        groups.append(CategoryGroup(category_id, name, question, ordered))
    return tuple(groups)


def _links(body: Mapping[str, Any]) -> tuple[Link, ...]:
    links = body.get("links") or {}
    found = []
    if links.get("page"):
        found.append(Link("Web page", links["page"]))
    if links.get("raise_a_concern"):
        found.append(Link("Raise a concern", links["raise_a_concern"]))
    for dpia in body.get("dpias") or []:
        found.append(Link(f"Data protection impact assessment: {dpia['title']}", dpia["page"]))
    for record in body.get("algorithm_records") or []:
        found.append(Link(f"Algorithm record: {record['title']}", record["page"]))
    return tuple(found)


def summarise_device(body: Mapping[str, Any], *, taxonomy: Taxonomy | None = None) -> DeviceSummary:
    """The device screen's content from the API's device instance."""
    taxonomy = taxonomy or load_taxonomy()
    status = str(body.get("status") or "")
    sentences = [
        text_in(body.get("description")),
        STATUS_EXPLANATIONS.get(status, ""),
        PERSONAL_DATA_SENTENCES.get(str(body.get("personal_data")), ""),
    ]
    location = body.get("location") or {}
    where = ", ".join(part for part in (location.get("description"), location.get("area")) if part)
    return DeviceSummary(
        code=str(body.get("id") or ""),
        title=text_in(body.get("title")),
        status=status,
        status_label=STATUS_LABELS.get(status, status.replace("_", " ").capitalize()),
        summary=" ".join(sentence for sentence in sentences if sentence),
        location=where,
        groups=_groups(list(body.get("elements") or []), taxonomy),
        links=_links(body),
        updated_at=body.get("updated_at"),
    )


@dataclass(frozen=True)
class DeviceLookup:
    """What the device screen has to show for a code: the device, or why it cannot."""

    code: str
    device: DeviceSummary | None = None
    problem: str | None = None
    # Set when the device came from the phone's store because the server could not be reached.
    saved_on: str | None = None


def fetch_device(api: ApiClient, code: str) -> tuple[Any, Exception | None]:
    """Ask the server for a device; safe to run off Kivy's thread (it touches no store).

    Returns the response body, or the error to hand to :func:`device_lookup`.
    """
    try:
        return api.device(code), None
    except (ApiError, TransportError) as error:
        return None, error


def _saved_on(moment: str | None) -> str | None:
    if not moment:
        return None
    try:
        return datetime.fromisoformat(moment).strftime("%-d %B %Y")
    except ValueError:
        return moment[:10]


def device_lookup(store: Store, code: str, body: Any, error: Exception | None) -> DeviceLookup:
    """Keep a fetched device for later, or fall back to the copy kept last time.

    Runs on the thread that owns ``store``.
    """
    code = normalise_code(code) or code
    if error is None and isinstance(body, dict):
        store.save_download(DOWNLOAD_KIND, code, body)
        return DeviceLookup(code, device=summarise_device(body))
    if isinstance(error, ApiError) and error.status == 404:
        # Not the copy kept from before: the council has unpublished or removed the device.
        return DeviceLookup(
            code,
            problem=(
                f"No published device has the code {code}. Check each character against the "
                "sign; the device may also have been removed from the register."
            ),
        )
    saved = store.download(DOWNLOAD_KIND, code)
    if saved is not None:
        return DeviceLookup(
            code,
            device=summarise_device(saved),
            saved_on=_saved_on(store.downloaded_at(DOWNLOAD_KIND, code)),
        )
    if isinstance(error, ApiError):
        return DeviceLookup(code, problem=f"The server could not show this device: {error.message}")
    return DeviceLookup(
        code,
        problem=(
            "No signal, and this device has not been looked at on this phone before. "
            "Try again when you have signal."
        ),
    )
