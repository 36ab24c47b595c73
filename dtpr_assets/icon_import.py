"""Bring a folder of icon SVGs (for example the official DTPR set) into an override directory.

Files are matched to elements by name, checked and cleaned by :mod:`dtpr_assets.svg_safety`, and
written as ``<category>__<element_id>.svg`` so :func:`dtpr_assets.icons.render_icon` finds them.
Accepted names include ``air_quality.svg``, ``tech__air_quality.svg``,
``device__tech__air_quality.svg``, ``tech_air_quality.svg`` and ``tech/air_quality.svg``, each
optionally with a variant suffix such as ``-dark`` or ``__dark``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dtpr_assets.svg_safety import InvalidSvg, sanitise_svg
from dtpr_assets.taxonomy import Taxonomy, load_taxonomy

# Suffixes that name a colour or style variant rather than part of the element id. No element
# id ends in one of these words, which a test checks.
VARIANT_WORDS = (
    "dark",
    "light",
    "default",
    "inverse",
    "inverted",
    "black",
    "white",
    "yellow",
    "blue",
    "colour",
    "color",
    "outline",
    "outlined",
    "filled",
    "fill",
    "mono",
)
DEFAULT_VARIANTS = frozenset({"", "default", "outline", "outlined"})
_VARIANT_SUFFIX = re.compile(r"(?:__|[-_.])(" + "|".join(VARIANT_WORDS) + r")$")


@dataclass(frozen=True)
class ImportedIcon:
    category: str
    element_id: str
    source: Path
    destination: Path
    variant: str


@dataclass(frozen=True)
class SkippedFile:
    source: Path
    reason: str


@dataclass(frozen=True)
class ImportReport:
    imported: tuple[ImportedIcon, ...]
    skipped: tuple[SkippedFile, ...]
    # Elements with no usable file: they keep Plainsight's built-in icon.
    unmatched_elements: tuple[tuple[str, str], ...]

    def summary(self) -> str:
        return (
            f"Imported {len(self.imported)} icons, skipped {len(self.skipped)} files; "
            f"{len(self.unmatched_elements)} elements keep the built-in icon."
        )


@dataclass(frozen=True)
class _Candidate:
    source: Path
    category: str
    element_id: str
    variant: str

    @property
    def rank(self) -> tuple[int, int, str]:
        # Default artwork first; among equals prefer the shallowest, then alphabetical, path so
        # repeated imports of the same folder give the same result.
        is_default = self.variant in DEFAULT_VARIANTS
        return (0 if is_default else 1, len(self.source.parts), str(self.source))


def split_variant(stem: str) -> tuple[str, str]:
    """Split ``"air_quality-dark"`` into ``("air_quality", "dark")``."""
    cleaned = stem.strip().lower()
    match = _VARIANT_SUFFIX.search(cleaned)
    if match is None:
        return cleaned, ""
    return cleaned[: match.start()], match.group(1)


def _category_of(name: str, taxonomy: Taxonomy) -> str | None:
    cleaned = name.strip().lower().replace("-", "_")
    return taxonomy.normalise_category_id(cleaned) if taxonomy.has_category(cleaned) else None


def match_icon_name(
    path: Path, *, taxonomy: Taxonomy | None = None, root: Path | None = None
) -> tuple[str, str, str] | None:
    """Return ``(category, element_id, variant)`` for an icon file name, or ``None``.

    Folder names between ``root`` and the file are used as a category hint for bare element
    ids, so ``tech/air_quality.svg`` matches even if another category had an ``air_quality``.
    """
    taxonomy = taxonomy or load_taxonomy()
    stem, variant = split_variant(path.stem)
    stem = re.sub(r"[\s-]+", "_", stem)

    if "__" in stem:
        *prefix_parts, element_id = stem.split("__")
        for length in range(len(prefix_parts), 0, -1):
            category = _category_of("__".join(prefix_parts[-length:]), taxonomy)
            if category and taxonomy.has_element(category, element_id):
                return category, element_id, variant
        return None

    folders = path.parent.relative_to(root).parts if root is not None else path.parent.parts[-1:]
    for folder in reversed(folders):
        category = _category_of(folder, taxonomy)
        if category and taxonomy.has_element(category, stem):
            return category, stem, variant

    homes = taxonomy.categories_containing(stem)
    if len(homes) == 1:
        return homes[0].id, stem, variant

    # DTPR v1 file names can carry the category with a single underscore: "tech_air_quality".
    prefixes = [category.id for category in taxonomy.categories] + list(taxonomy.category_aliases)
    for prefix in sorted(prefixes, key=len, reverse=True):
        if stem.startswith(f"{prefix}_"):
            category = _category_of(prefix, taxonomy)
            element_id = stem[len(prefix) + 1 :]
            if category and taxonomy.has_element(category, element_id):
                return category, element_id, variant
    return None


def _svg_files(source: Path) -> list[Path]:
    return sorted(
        path
        for path in source.rglob("*")
        if path.is_file()
        and path.suffix.lower() == ".svg"
        and not any(part.startswith(".") for part in path.relative_to(source).parts)
    )


def import_icon_folder(
    source: Path,
    destination: Path,
    *,
    taxonomy: Taxonomy | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Copy safe, matching SVGs from ``source`` (searched recursively) into ``destination``.

    For each element the default variant wins over others such as ``-dark``; if the preferred
    file is unsafe or broken the next one is tried. With ``dry_run`` nothing is written.
    """
    taxonomy = taxonomy or load_taxonomy()
    if not source.is_dir():
        raise NotADirectoryError(
            f"“{source}” is not a folder; give the folder that holds the SVGs."
        )

    skipped: list[SkippedFile] = []
    candidates: dict[tuple[str, str], list[_Candidate]] = {}
    for path in _svg_files(source):
        match = match_icon_name(path, taxonomy=taxonomy, root=source)
        if match is None:
            skipped.append(SkippedFile(path, "its name does not match any DTPR element"))
            continue
        category, element_id, variant = match
        candidates.setdefault((category, element_id), []).append(
            _Candidate(path, category, element_id, variant)
        )

    imported: list[ImportedIcon] = []
    if not dry_run:
        destination.mkdir(parents=True, exist_ok=True)
    for (category, element_id), options in sorted(candidates.items()):
        chosen: ImportedIcon | None = None
        for option in sorted(options, key=lambda candidate: candidate.rank):
            if chosen is not None:
                skipped.append(
                    SkippedFile(option.source, f"{chosen.source.name} was used for this element")
                )
                continue
            try:
                cleaned = sanitise_svg(option.source.read_text(encoding="utf-8"))
            except InvalidSvg as error:
                skipped.append(SkippedFile(option.source, f"refused because {error}"))
                continue
            except (OSError, UnicodeDecodeError) as error:
                skipped.append(SkippedFile(option.source, f"could not be read ({error})"))
                continue
            target = destination / f"{category}__{element_id}.svg"
            if not dry_run:
                target.write_text(cleaned + "\n", encoding="utf-8")
            chosen = ImportedIcon(category, element_id, option.source, target, option.variant)
            imported.append(chosen)

    done = {(icon.category, icon.element_id) for icon in imported}
    unmatched = tuple(
        (element.category, element.id)
        for element in taxonomy.elements
        if (element.category, element.id) not in done
    )
    return ImportReport(tuple(imported), tuple(skipped), unmatched)
