"""Production's collectstatic refuses a CSS or JS file whose references are missing."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "portal" / "static"
REFERENCE = re.compile(
    r"""url\(\s*["']?(?P<url>[^"')]+)["']?\s*\)|sourceMappingURL=(?P<map>[^\s*]+)|"""
    r"""\bfrom\s*["'](?P<module>\.[^"']+)["']"""
)


def static_files():
    if not (STATIC / "build" / "plainsight.css").exists():
        pytest.fail("Static assets are not built: run `make static` (make test does it).")
    return [p for p in STATIC.rglob("*") if p.suffix in {".css", ".js"}]


def test_every_relative_reference_in_static_files_exists():
    missing = []
    for path in static_files():
        for match in REFERENCE.finditer(path.read_text(encoding="utf-8", errors="replace")):
            target = match.group("url") or match.group("map") or match.group("module")
            if target.startswith(("data:", "/", "#", "http:", "https:", "about:")):
                continue
            if not (path.parent / target.split("?")[0].split("#")[0]).exists():
                missing.append(f"{path.relative_to(STATIC)} -> {target}")
    assert not missing, "Referenced but missing (run make static?):\n" + "\n".join(missing)


def test_public_pages_use_no_gov_uk_branding():
    css = (STATIC / "build" / "plainsight.css").read_text()
    assert "GDS Transport" not in css
