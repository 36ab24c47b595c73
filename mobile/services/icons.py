"""DTPR icons as PNG files the device screen can show.

The icons come from :func:`dtpr_assets.icons.render_icon` as SVG, the same drawings as the
portal's. Kivy's own SVG loader draws them wrongly (their outlines are lost), so they are
rasterised to PNG instead:

* in the APK, by a build step that renders every element once
  (``python -m mobile.services.icons --out mobile/build/src/mobile/assets/icons``, run by
  ``make apk``), because PyMuPDF is not built for Android: the app looks there first;
* on a desktop, on first use with PyMuPDF (a portal dependency), into a cache folder;
* with neither, :meth:`IconFiles.path_for` returns None and the screen shows the text alone.

No Kivy here.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from dtpr_assets.icons import render_icon
from dtpr_assets.taxonomy import Taxonomy, UnknownCategory, UnknownElement, load_taxonomy

# Shown at 48 dp: sharp up to a 2.5x screen (most phones), scaled down on a desktop.
ICON_PIXELS = 128
BUNDLED_ICONS_DIR = Path(__file__).resolve().parent.parent / "assets" / "icons"


def icon_file_name(category_id: str, element_id: str, size: int = ICON_PIXELS) -> str:
    return f"{category_id}--{element_id}--{size}.png"


def rasterise_svg(svg: str, size: int) -> bytes | None:
    """The SVG drawn as a ``size`` by ``size`` PNG with a transparent background.

    None when PyMuPDF is not installed (as in the APK, which ships pre-rendered icons).
    """
    try:
        import pymupdf
    except ImportError:
        return None
    with pymupdf.open(stream=svg.encode("utf-8"), filetype="svg") as document:
        page = document[0]
        scale = size / max(page.rect.width, page.rect.height)
        pixmap = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=True)
        return pixmap.tobytes("png")


def render_icon_png(
    category_id: str, element_id: str, *, size: int = ICON_PIXELS, taxonomy: Taxonomy | None = None
) -> bytes | None:
    svg = render_icon(category_id, element_id, size=size, taxonomy=taxonomy)
    return rasterise_svg(svg, size)


def _write_atomically(path: Path, content: bytes) -> None:
    # A half-written PNG left by a killed app would be shown as a broken image for ever.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    os.replace(temporary, path)


class IconFiles:
    """Where to find (or make) the PNG of each element's icon."""

    def __init__(
        self,
        cache_dir: str | Path,
        *,
        bundled_dir: str | Path | None = BUNDLED_ICONS_DIR,
        size: int = ICON_PIXELS,
        taxonomy: Taxonomy | None = None,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.bundled_dir = Path(bundled_dir) if bundled_dir is not None else None
        self.size = size
        self._taxonomy = taxonomy

    @property
    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is None:
            self._taxonomy = load_taxonomy()
        return self._taxonomy

    def path_for(self, category_id: str, element_id: str) -> Path | None:
        """The icon's PNG, rendered now if need be; None when there is no way to draw it."""
        name = icon_file_name(category_id, element_id, self.size)
        if self.bundled_dir is not None and (self.bundled_dir / name).is_file():
            return self.bundled_dir / name
        cached = self.cache_dir / name
        if cached.is_file():
            return cached
        try:
            png = render_icon_png(category_id, element_id, size=self.size, taxonomy=self.taxonomy)
        except (UnknownCategory, UnknownElement):
            return None
        if png is None:
            return None
        _write_atomically(cached, png)
        return cached


def render_all(out_dir: str | Path, *, size: int = ICON_PIXELS) -> list[Path]:
    """Render every element of the current device taxonomy into ``out_dir`` (the APK's set)."""
    taxonomy = load_taxonomy()
    written = []
    for element in taxonomy.elements:
        png = render_icon_png(element.category, element.id, size=size, taxonomy=taxonomy)
        if png is None:
            raise SystemExit("PyMuPDF is needed to pre-render the icons: pip install pymupdf")
        path = Path(out_dir) / icon_file_name(element.category, element.id, size)
        _write_atomically(path, png)
        written.append(path)
    return written


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m mobile.services.icons",
        description="Pre-render every DTPR element's icon as PNG, for packaging in the APK.",
    )
    parser.add_argument("--out", required=True, help="folder to write the PNG files into")
    parser.add_argument("--size", type=int, default=ICON_PIXELS, help="width and height in px")
    options = parser.parse_args(arguments)
    written = render_all(options.out, size=options.size)
    print(f"{len(written)} icons written to {options.out}")


if __name__ == "__main__":
    main()
