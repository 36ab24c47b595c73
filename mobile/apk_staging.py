"""Assemble the folder buildozer packages into the APK: ``python -m mobile.apk_staging --out DIR``.

Buildozer wants ``main.py`` at the top of its source folder, and everything in that folder
becomes importable at the top level on the phone. The repository's root cannot be that
folder (it holds the portal, and ``mobile/platform`` must not become a top-level ``platform``
that hides Python's own), so ``make apk`` builds a clean one in ``mobile/build/src``:

* ``main.py``, which starts the app;
* the ``mobile`` package (screens, services, platform adapters, kv files), without tests,
  caches or build leftovers;
* the ``dtpr_assets`` package with its taxonomy data;
* every DTPR icon pre-rendered as PNG in ``mobile/assets/icons`` (PyMuPDF does not run on
  Android; see :mod:`mobile.services.icons`).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from mobile.services.icons import render_all

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPOSITORY / "mobile" / "build" / "src"

MAIN_PY = '''"""Started by python-for-android on the phone: runs the Plainsight app."""

from mobile.__main__ import main

main()
'''

# Left out of the APK: build machinery and anything the app never reads.
_LEFT_OUT = shutil.ignore_patterns(
    "__pycache__",
    "*.pyc",
    "build",
    "bin",
    ".buildozer",
    "p4a-recipes",
    "buildozer.spec",
    "apk_staging.py",
    "*.md",
)


def stage_apk_source(out_dir: str | Path = DEFAULT_OUT) -> Path:
    """Build the staging folder afresh and return it."""
    out = Path(out_dir).resolve()
    if out == REPOSITORY or REPOSITORY.is_relative_to(out):
        raise ValueError(f"Refusing to empty {out}: choose a folder inside mobile/build.")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(REPOSITORY / "mobile", out / "mobile", ignore=_LEFT_OUT)
    shutil.copytree(REPOSITORY / "dtpr_assets", out / "dtpr_assets", ignore=_LEFT_OUT)
    render_all(out / "mobile" / "assets" / "icons")
    (out / "main.py").write_text(MAIN_PY, encoding="utf-8")
    return out


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mobile.apk_staging", description=__doc__)
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="the folder to (re)create")
    options = parser.parse_args(arguments)
    out = stage_apk_source(options.out)
    print(f"APK source staged in {out}")


if __name__ == "__main__":
    main()
