"""DTPR datachains as StreamFields: one block type per DTPR category.

Devices use the device datachain; algorithm records use the optional DTPR-for-AI datachain,
built from the same blocks over the AI taxonomy.

Editors add elements category by category, choosing from that category's list, so an unknown
element cannot be typed in. The whole chain is then checked against the rules in
``dtpr_assets.validation``; each problem is shown on the block it concerns, and nothing is
saved until the chain is valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from dtpr_assets.taxonomy import Datachain, load_taxonomy
from dtpr_assets.validation import DatachainProblem, validate_ai_datachain, validate_datachain

# The accountable organisations are chosen as snippets in their own panel, so the chain in the
# editor starts at purpose; the page adds the accountable entries when it is checked or shown.
EDITABLE_CATEGORIES = ("purpose", "tech", "data", "process", "access", "retention", "storage")


def element_choices(category_id: str, datachain: Datachain = "device") -> list[tuple[str, str]]:
    taxonomy = load_taxonomy(datachain=datachain)
    return [(element.id, element.name) for element in taxonomy.elements_in(category_id)]


class DatachainElementBlock(blocks.StructBlock):
    """One element of the chain: which element, plus the council's note for this device."""

    def __init__(self, category_id: str, datachain: Datachain = "device", **kwargs: Any) -> None:
        category = load_taxonomy(datachain=datachain).category(category_id)
        thing = _("this device") if datachain == "device" else _("this system")
        local_blocks: list[tuple[str, blocks.Block]] = [
            (
                "element",
                blocks.ChoiceBlock(
                    choices=lazy(element_choices, list)(category_id, datachain),
                    label=category.name,
                    help_text=category.question,
                ),
            )
        ]
        if category_id == "retention":
            local_blocks.append(
                (
                    "duration",
                    blocks.CharBlock(
                        required=False,
                        max_length=60,
                        label=_("How long"),
                        help_text=_("Required when data is retained, e.g. '30 days' or '6 years'."),
                    ),
                )
            )
        local_blocks.append(
            (
                "additional_description",
                blocks.TextBlock(
                    required=False,
                    max_length=500,
                    label=_("What this means for %(thing)s") % {"thing": thing},
                    help_text=_(
                        "Optional. A sentence or two in plain English, specific to %(thing)s."
                    )
                    % {"thing": thing},
                ),
            )
        )
        kwargs.setdefault("label", category.name)
        kwargs.setdefault("icon", "tag")
        super().__init__(local_blocks, **kwargs)
        self.category_id = category_id
        self.datachain = datachain

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        # Migrations record the category, not the taxonomy's current element list, so a new
        # taxonomy version needs no migration.
        kwargs = {} if self.datachain == "device" else {"datachain": self.datachain}
        return ("portal.registry.blocks.DatachainElementBlock", (self.category_id,), kwargs)

    def deconstruct_with_lookup(self, lookup: Any) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return self.deconstruct()

    @classmethod
    def construct_from_lookup(cls, lookup: Any, *args: Any, **kwargs: Any) -> DatachainElementBlock:
        return cls(*args, **kwargs)

    class Meta:
        template = "registry/blocks/datachain_element.html"
        form_classname = "ps-datachain-element"


class DatachainBlock(blocks.StreamBlock):
    purpose = DatachainElementBlock("purpose")
    tech = DatachainElementBlock("tech")
    data = DatachainElementBlock("data")
    process = DatachainElementBlock("process")
    access = DatachainElementBlock("access")
    retention = DatachainElementBlock("retention")
    storage = DatachainElementBlock("storage")

    class Meta:
        label = _("DTPR datachain")
        help_text = _(
            "Add what the device is for, how it works, what data it collects, how that data "
            "is processed, who can see it, how long it is kept and where it is stored."
        )
        preview_value: ClassVar[list] = []

    def clean(self, value: blocks.StreamValue) -> blocks.StreamValue:
        cleaned = super().clean(value)
        problems = validate_datachain(
            [ACCOUNTABLE_PLACEHOLDER, *datachain_entries(cleaned)],
        )
        raise_on_blocks(problems, offset=1)
        return cleaned


class AiDatachainBlock(blocks.StreamBlock):
    """The DTPR-for-AI datachain of an algorithm record: optional, checked like a device's."""

    def __init__(self, local_blocks: Any = None, **kwargs: Any) -> None:
        taxonomy = load_taxonomy(datachain="ai")
        local_blocks = local_blocks or [
            (category.id, DatachainElementBlock(category.id, datachain="ai"))
            for category in taxonomy.categories
        ]
        super().__init__(local_blocks, **kwargs)

    class Meta:
        label = _("DTPR for AI datachain")
        help_text = _(
            "Optional. If you add any element, include at least a purpose, who is accountable, "
            "who is affected and what the system does."
        )
        required = False
        preview_value: ClassVar[list] = []

    def clean(self, value: blocks.StreamValue) -> blocks.StreamValue:
        cleaned = super().clean(value)
        raise_on_blocks(validate_ai_datachain(datachain_entries(cleaned)), offset=0)
        return cleaned


def raise_on_blocks(problems: list[DatachainProblem], *, offset: int) -> None:
    """Show each problem on the block it concerns; the rest above the chain.

    ``offset`` is the number of entries validated ahead of the editor's blocks.
    """
    block_errors: dict[int, ValidationError] = {}
    general: list[ValidationError] = []
    field_messages: dict[int, dict[str, list[str]]] = {}
    for problem in problems:
        index = None if problem.index is None else problem.index - offset
        if index is None or index < 0:
            general.append(ValidationError(problem.message))
            continue
        field = (
            problem.field if problem.field in {"duration", "additional_description"} else "element"
        )
        field_messages.setdefault(index, {}).setdefault(field, []).append(problem.message)
    for index, fields in field_messages.items():
        block_errors[index] = StructBlockValidationError(
            block_errors={name: ValidationError(" ".join(msgs)) for name, msgs in fields.items()}
        )
    if block_errors or general:
        # Wagtail shows general errors above the chain and the rest on their blocks.
        raise StreamBlockValidationError(block_errors=block_errors, non_block_errors=general)


# Stands in for the organisations panel when only the chain itself is being checked.
ACCOUNTABLE_PLACEHOLDER = {"category": "accountable", "element_id": "institution"}


def datachain_entries(stream: Iterable[Any]) -> list[dict[str, Any]]:
    """The chain as plain dicts in the shape ``dtpr_assets`` works with."""
    entries = []
    for child in stream:
        value = child.value
        variables = {"duration": value["duration"]} if value.get("duration") else {}
        entries.append(
            {
                "category": child.block_type,
                "element_id": value["element"],
                "additional_description": value.get("additional_description") or "",
                "variables": variables,
            }
        )
    return entries


def datachain_blocks(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The other way: ``dtpr_assets`` entries as StreamField data, for imports and the demo."""
    blocks = []
    for entry in entries:
        value: dict[str, Any] = {
            "element": entry["element_id"],
            "additional_description": entry.get("additional_description", ""),
        }
        if entry["category"] == "retention":
            value["duration"] = (entry.get("variables") or {}).get("duration", "")
        blocks.append({"type": entry["category"], "value": value})
    return blocks
