"""ATRS JSON: export an algorithm record, and import one, keyed by the ATRS field ids.

The shape follows the standard's sections. Fields that repeat in the standard (suppliers, data
sources, impact assessments, risks) are parallel lists under their own ids, as in the ATRS
template's repeated columns. What ATRS has no field for lives under ``plainsight``: the
appeals split, the devices the tool runs on, the DPIAs it cites and the DTPR-for-AI datachain.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dtpr_assets.validation import validate_ai_datachain
from portal.core.visibility import visible_to_public
from portal.registry.blocks import datachain_blocks, datachain_entries

from .publication import public_url, publication_times

if TYPE_CHECKING:
    from .models import AlgorithmRecordPage, AssessmentIndexPage


@dataclass(frozen=True)
class AtrsField:
    id: str
    section: str
    required: bool = False
    repeats: bool = False


def _fields(section: str, spec: str) -> list[AtrsField]:
    """``"name! description! website"``: ``!`` marks required, ``*`` marks repeating."""
    fields = []
    for token in spec.split():
        name = token.rstrip("!*")
        fields.append(AtrsField(name, section, "!" in token, "*" in token))
    return fields


ATRS_FIELDS: list[AtrsField] = [
    *_fields("tier_1", "name! description! website contact_email!"),
    *_fields(
        "owner_and_responsibility",
        "organisation! team senior_responsible_owner external_supplier*! "
        "external_supplier_identifier* external_supplier_role*! data_access_terms*",
    ),
    *_fields(
        "description_and_rationale",
        "scope! benefit! alternatives_considered model_type! frequency_usage phase! "
        "maintenance system_architecture",
    ),
    *_fields(
        "oversight",
        "process_integration provided_information human_decisions! required_training "
        "appeals_and_review!",
    ),
    *_fields(
        "data",
        "source_data_name*! source_data_description*! source_data_url* data_collection*! "
        "data_sharing_agreements*! data_access_and_storage*!",
    ),
    *_fields(
        "risks_and_impact_assessments",
        "impact_assessment_name*! impact_assessment_description* impact_assessment_date* "
        "impact_assessment_link* risk_name*! risk_description* risk_mitigation*",
    ),
]
FIELDS_BY_ID = {field.id: field for field in ATRS_FIELDS}

# The rows behind each repeating group: related name, the group's fields in order.
ROW_GROUPS: dict[str, list[str]] = {
    "suppliers": [
        "external_supplier",
        "external_supplier_identifier",
        "external_supplier_role",
        "data_access_terms",
    ],
    "data_sources": [
        "source_data_name",
        "source_data_description",
        "source_data_url",
        "data_collection",
        "data_sharing_agreements",
        "data_access_and_storage",
    ],
    "impact_assessments": [
        "impact_assessment_name",
        "impact_assessment_description",
        "impact_assessment_date",
        "impact_assessment_link",
    ],
    "risks": ["risk_name", "risk_description", "risk_mitigation"],
}
APPEAL_PARTS = ("output", "decision")


class AtrsImportError(Exception):
    """The record cannot be imported; ``problems`` says what to fix, by ATRS field id."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _text(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def appeals_text(record: AlgorithmRecordPage) -> str:
    """ATRS's single ``appeals_and_review`` answer, written from the split fields."""
    parts = []
    for part, heading in (("output", _("The tool's output")), ("decision", _("The decision"))):
        answer = getattr(record, f"get_{part}_appeal_display")()
        who = getattr(record, f"{part}_appeal_who")
        detail = getattr(record, f"{part}_appeal_detail")
        line = f"{heading}: {answer}."
        if who:
            line += " " + _("Who can start it: %(who)s.") % {"who": who}
        if detail:
            line += f" {detail}"
        parts.append(line)
    return "\n".join(parts)


def export_record(record: AlgorithmRecordPage, request: HttpRequest | None = None) -> dict:
    rows = {group: list(getattr(record, group).all()) for group in ROW_GROUPS}
    values: dict[str, Any] = {
        "name": record.title,
        "appeals_and_review": appeals_text(record),
        "phase": record.phase,
    }
    for group, field_ids in ROW_GROUPS.items():
        for field_id in field_ids:
            values[field_id] = [_text(getattr(row, field_id)) for row in rows[group]]
    # DPIAs the record cites are impact assessments in ATRS terms.
    cited = list(visible_to_public(record.dpias.live()))
    for dpia in cited:
        values["impact_assessment_name"].append(dpia.title)
        values["impact_assessment_description"].append(dpia.summary)
        values["impact_assessment_date"].append(
            _text(dpia.last_published_at.date() if dpia.last_published_at else None)
        )
        values["impact_assessment_link"].append(public_url(dpia, request))
    sections: dict[str, dict[str, Any]] = {}
    for field in ATRS_FIELDS:
        value = values[field.id] if field.id in values else _text(getattr(record, field.id))
        sections.setdefault(field.section, {})[field.id] = value
    updates = publication_times(record, newest_first=False, limit=None)
    return {
        **sections,
        "metadata": {
            "id": record.record_id or f"plainsight-{record.pk}",
            "standard_version": record.atrs_version,
            "date_completion": _text(record.date_completion),
            "date_update": [moment.date().isoformat() for moment in updates],
            "date_archive": _text(record.date_archive),
            "organisation_type": "local authority",
            "function": record.function,
            "capability": record.capability,
            "phase": record.stage,
            "region": record.region,
        },
        "plainsight": {
            "url": public_url(record, request),
            "appeals": {
                part: {
                    "can_challenge": getattr(record, f"{part}_appeal"),
                    "who": getattr(record, f"{part}_appeal_who"),
                    "detail": getattr(record, f"{part}_appeal_detail"),
                }
                for part in APPEAL_PARTS
            },
            "built_in_house": record.built_in_house,
            "devices": [
                device.code for device in visible_to_public(record.devices.live()).order_by("title")
            ],
            "dpias": [dpia.slug for dpia in sorted(cited, key=lambda dpia: dpia.title)],
            "dtpr_ai_datachain": _chain_export(record),
        },
    }


def _chain_export(record: AlgorithmRecordPage) -> list[dict[str, Any]]:
    return [
        {
            "category_id": entry["category"],
            "priority": number,
            "element_id": entry["element_id"],
            "additional_description": entry["additional_description"],
            "variables": entry["variables"],
        }
        for number, entry in enumerate(datachain_entries(record.ai_datachain), start=1)
    ]


# ---- import -------------------------------------------------------------------------------


def import_record(data: Any, parent: AssessmentIndexPage) -> AlgorithmRecordPage:
    """Create a draft algorithm record from ATRS JSON, or raise ``AtrsImportError``.

    Everything is checked before anything is saved; an imported record is a draft for staff
    to review and publish.
    """
    from .models import AlgorithmRecordPage

    if not isinstance(data, dict):
        raise AtrsImportError([_("The file must hold one ATRS record: a JSON object.")])
    flat, problems = _flatten(data)
    record = AlgorithmRecordPage(title=flat.get("name", ""), live=False)
    record.slug = slugify(record.title)[:255]
    scalar_ids = [
        f.id for f in ATRS_FIELDS if not f.repeats and f.id not in {"name", "appeals_and_review"}
    ]
    for field_id in scalar_ids:
        setattr(record, field_id, flat.get(field_id, ""))
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    _apply_metadata(record, metadata, problems)
    plainsight = data.get("plainsight") if isinstance(data.get("plainsight"), dict) else {}
    _apply_appeals(record, plainsight, problems)
    record.built_in_house = bool(plainsight.get("built_in_house", False))
    rows = _rows(flat, problems)
    devices, dpias = _links(plainsight, parent, problems)
    # An export lists cited DPIAs as impact assessments too; linked, they are not repeated.
    cited = {dpia.title for dpia in dpias}
    rows["impact_assessments"] = [
        row for row in rows["impact_assessments"] if row.impact_assessment_name not in cited
    ]
    chain = _chain_import(plainsight, problems)
    record.ai_datachain = chain
    record.suppliers, record.data_sources = rows["suppliers"], rows["data_sources"]
    record.impact_assessments, record.risks = rows["impact_assessments"], rows["risks"]
    _check(record, rows, dpias, problems)
    if parent.get_children().filter(slug=record.slug).exists():
        problems.append(
            _("name: a record called “%(name)s” already exists. Rename one of them.")
            % {"name": record.title}
        )
    if problems:
        raise AtrsImportError(problems)
    with transaction.atomic():
        record.devices = devices
        record.dpias = dpias
        parent.add_child(instance=record)
        record.save_revision(log_action=True)
    return record


def _flatten(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    flat: dict[str, Any] = {}
    problems: list[str] = []
    sections = {field.section for field in ATRS_FIELDS}
    for section in sections:
        values = data.get(section, {})
        if not isinstance(values, dict):
            problems.append(_("%(section)s must be an object.") % {"section": section})
            continue
        for key, value in values.items():
            field = FIELDS_BY_ID.get(key)
            if field is None or field.section != section:
                problems.append(
                    _("%(section)s.%(key)s is not an ATRS field id in this section.")
                    % {"section": section, "key": key}
                )
                continue
            if field.repeats and not isinstance(value, list):
                value = [value]
            if not field.repeats and isinstance(value, list | dict):
                problems.append(_("%(key)s must be text, not a list.") % {"key": key})
                continue
            flat[key] = [_text(item) for item in value] if field.repeats else _text(value)
    for field in ATRS_FIELDS:
        if field.required and field.id not in {"appeals_and_review"} and not flat.get(field.id):
            if field.repeats and field.id == "external_supplier":
                continue  # may be absent when the council built the tool itself
            problems.append(
                _("%(key)s is required by the ATRS. Add it to %(section)s.")
                % {"key": field.id, "section": field.section}
            )
    return flat, problems


def _apply_metadata(record: Any, metadata: dict[str, Any], problems: list[str]) -> None:
    record.atrs_version = _text(metadata.get("standard_version")) or "1.1"
    record.record_id = _text(metadata.get("id"))
    for key, target in (
        ("function", "function"),
        ("capability", "capability"),
        ("phase", "stage"),
        ("region", "region"),
    ):
        if metadata.get(key):
            setattr(record, target, _text(metadata[key]))
        else:
            problems.append(_("metadata.%(key)s is required.") % {"key": key})
    for key in ("date_completion", "date_archive"):
        raw = _text(metadata.get(key))
        try:
            setattr(record, key, datetime.date.fromisoformat(raw) if raw else None)
        except ValueError:
            problems.append(
                _("metadata.%(key)s must be a date like 2026-03-31, not “%(raw)s”.")
                % {"key": key, "raw": raw}
            )


def _apply_appeals(record: Any, plainsight: dict[str, Any], problems: list[str]) -> None:
    appeals = plainsight.get("appeals")
    if not isinstance(appeals, dict) or not all(
        isinstance(appeals.get(p), dict) for p in APPEAL_PARTS
    ):
        problems.append(
            _(
                "appeals_and_review: say separately whether the tool's output and the wider "
                "decision can be challenged, by whom, and how (or why not), under "
                "plainsight.appeals.output and plainsight.appeals.decision, each with "
                "can_challenge (yes, no or na), who and detail."
            )
        )
        return
    for part in APPEAL_PARTS:
        setattr(record, f"{part}_appeal", _text(appeals[part].get("can_challenge")))
        setattr(record, f"{part}_appeal_who", _text(appeals[part].get("who")))
        setattr(record, f"{part}_appeal_detail", _text(appeals[part].get("detail")))


def _rows(flat: dict[str, Any], problems: list[str]) -> dict[str, list[Any]]:
    from .models import (
        AlgorithmDataSource,
        AlgorithmImpactAssessment,
        AlgorithmRisk,
        AlgorithmSupplier,
    )

    models = {
        "suppliers": AlgorithmSupplier,
        "data_sources": AlgorithmDataSource,
        "impact_assessments": AlgorithmImpactAssessment,
        "risks": AlgorithmRisk,
    }
    built: dict[str, list[Any]] = {}
    for group, field_ids in ROW_GROUPS.items():
        lists = {field_id: flat.get(field_id, []) for field_id in field_ids}
        length = len(lists[field_ids[0]])
        for field_id, values in lists.items():
            if values and len(values) != length:
                problems.append(
                    _(
                        "%(key)s has %(count)d entries but %(first)s has %(length)d: repeated "
                        "fields go together, one entry each, in the same order."
                    )
                    % {
                        "key": field_id,
                        "count": len(values),
                        "first": field_ids[0],
                        "length": length,
                    }
                )
        rows = []
        for position in range(length):
            values = {
                field_id: (lists[field_id][position] if position < len(lists[field_id]) else "")
                for field_id in field_ids
            }
            if "impact_assessment_date" in values:
                raw = values["impact_assessment_date"]
                try:
                    values["impact_assessment_date"] = (
                        datetime.date.fromisoformat(raw) if raw else None
                    )
                except ValueError:
                    problems.append(
                        _("impact_assessment_date must be a date like 2026-03-31, not “%(raw)s”.")
                        % {"raw": raw}
                    )
                    values["impact_assessment_date"] = None
            rows.append(models[group](sort_order=position, **values))
        built[group] = rows
    return built


def _links(
    plainsight: dict[str, Any], parent: AssessmentIndexPage, problems: list[str]
) -> tuple[list[Any], list[Any]]:
    from portal.registry.models import DevicePage

    from .models import DpiaPage

    codes = [_text(code) for code in plainsight.get("devices", []) or []]
    devices = list(DevicePage.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {device.code for device in devices})
    if missing:
        problems.append(
            _("plainsight.devices: no device has the code %(codes)s.")
            % {"codes": ", ".join(missing)}
        )
    slugs = [_text(slug) for slug in plainsight.get("dpias", []) or []]
    dpias = list(DpiaPage.objects.child_of(parent).filter(slug__in=slugs))
    missing = sorted(set(slugs) - {dpia.slug for dpia in dpias})
    if missing:
        problems.append(
            _("plainsight.dpias: no DPIA here has the slug %(slugs)s.")
            % {"slugs": ", ".join(missing)}
        )
    return devices, dpias


def _chain_import(plainsight: dict[str, Any], problems: list[str]) -> list[dict[str, Any]]:
    raw = plainsight.get("dtpr_ai_datachain", []) or []
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        problems.append(_("plainsight.dtpr_ai_datachain must be a list of elements."))
        return []
    entries = [
        {
            "category": _text(entry.get("category_id") or entry.get("category")).removeprefix(
                "ai__"
            ),
            "element_id": _text(entry.get("element_id")),
            "additional_description": _text(entry.get("additional_description")),
            "variables": {
                str(name): _text(value) for name, value in (entry.get("variables") or {}).items()
            }
            if isinstance(entry.get("variables"), dict)
            else {},
        }
        for entry in raw
    ]
    for problem in validate_ai_datachain(entries):
        problems.append(f"plainsight.dtpr_ai_datachain: {problem.message}")
    return datachain_blocks(entries)


def _check(record: Any, rows: dict[str, list[Any]], dpias: list[Any], problems: list[str]) -> None:
    """The model's own checks, reported with ATRS field ids."""
    try:
        record.full_clean(exclude=["path", "depth", "slug", "ai_datachain", "content_type"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.extend(f"{field}: {message}" for message in messages)
    for group_rows in rows.values():
        for position, row in enumerate(group_rows, start=1):
            try:
                row.full_clean(exclude=["page"])
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    problems.extend(
                        _("%(field)s (entry %(n)d): %(message)s")
                        % {"field": field, "n": position, "message": message}
                        for message in messages
                    )
    problems.extend(record_completeness_problems(record, rows, dpias))


def record_completeness_problems(
    record: Any, rows: dict[str, list[Any]], dpias: list[Any]
) -> list[str]:
    """Rules across a record and its rows, shared by the editor form and the import."""
    problems = []
    if not rows["suppliers"] and not record.built_in_house:
        problems.append(
            _(
                "external_supplier: add each external supplier, or tick “built and run by the "
                "council” if there is none."
            )
        )
    if not rows["impact_assessments"] and not dpias:
        problems.append(
            _(
                "impact_assessment_name: cite at least one impact assessment, such as the DPIA, "
                "or add the assessment that was done."
            )
        )
    if not rows["data_sources"]:
        problems.append(_("source_data_name: describe at least one source of data."))
    if not rows["risks"]:
        problems.append(_("risk_name: name at least one risk and how it is reduced."))
    return problems
