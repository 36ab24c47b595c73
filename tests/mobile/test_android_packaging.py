"""The Android packaging: buildozer's settings, the local zxing-cpp recipe and the staged source
folder (built here and imported; the APK itself needs the Android SDK and is not built)."""

from __future__ import annotations

import ast
import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mobile.apk_staging import REPOSITORY, stage_apk_source
from mobile.services.icons import icon_file_name

SPEC = REPOSITORY / "mobile" / "buildozer.spec"


def listed(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@pytest.fixture(scope="module")
def spec() -> configparser.SectionProxy:
    parser = configparser.ConfigParser()
    assert parser.read(SPEC) == [str(SPEC)]
    return parser["app"]


def test_the_spec_names_the_app(spec):
    assert spec["title"] == "Plainsight"
    assert spec["package.name"] == "plainsight"
    assert spec["package.domain"] == "org.plainsight"
    assert spec["orientation"] == "portrait"
    assert spec["source.dir"] == "build/src"


def test_the_spec_asks_for_camera_location_and_internet(spec):
    assert set(listed(spec["android.permissions"])) == {
        "CAMERA",
        "ACCESS_FINE_LOCATION",
        "ACCESS_COARSE_LOCATION",
        "INTERNET",
    }


def test_the_spec_requires_what_the_app_imports(spec):
    requirements = listed(spec["requirements"])
    for needed in ("python3", "kivy==2.3.1", "plyer", "pillow", "zxing_cpp", "sqlite3"):
        assert needed in requirements
    assert int(spec["android.minapi"]) <= int(spec["android.api"])
    assert spec["android.ndk_api"] == spec["android.minapi"]


def test_the_local_recipe_for_zxing_cpp_is_where_the_spec_points(spec):
    recipes = SPEC.parent / spec["p4a.local_recipes"]
    recipe = recipes / "zxing_cpp" / "__init__.py"
    tree = ast.parse(recipe.read_text(encoding="utf-8"))  # python-for-android is not installed
    names = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    assert "ZxingCppRecipe" in names
    assert any(
        isinstance(node, ast.Assign) and node.targets[0].id == "recipe" for node in tree.body
    )


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    return stage_apk_source(tmp_path_factory.mktemp("apk") / "src")


def test_staging_makes_a_source_folder_with_main_py_the_packages_and_icons(staged: Path):
    assert (staged / "main.py").is_file()
    assert (staged / "mobile" / "screens" / "scan.kv").is_file()
    assert (staged / "mobile" / "theme.kv").is_file()
    assert (staged / "dtpr_assets" / "codes.py").is_file()
    assert list((staged / "dtpr_assets" / "data").rglob("*.json"))
    icons = staged / "mobile" / "assets" / "icons"
    assert (icons / icon_file_name("tech", "identifiable_video")).stat().st_size > 500
    # Nothing the phone does not need, and no top-level "platform" hiding Python's own.
    assert not (staged / "platform").exists()
    assert not (staged / "mobile" / "buildozer.spec").exists()
    assert not list(staged.rglob("__pycache__"))
    assert not (staged / "portal").exists()


def test_the_staged_folder_imports_on_its_own(staged: Path):
    check = (
        "import platform, sys\n"
        "platform.system()\n"  # the standard library's, not mobile/platform
        "import mobile.app, mobile.screens.scan, mobile.screens.device\n"
        "import mobile.platform.qr\n"
        "from mobile.services.icons import IconFiles\n"
        "import mobile, dtpr_assets\n"
        f"assert mobile.__file__.startswith({str(staged)!r}), mobile.__file__\n"
        f"assert dtpr_assets.__file__.startswith({str(staged)!r})\n"
        "path = IconFiles('/nonexistent').path_for('purpose', 'safety_security')\n"
        "assert path is not None and 'assets/icons' in str(path), path\n"
        "compile(open('main.py').read(), 'main.py', 'exec')\n"
        "print('ok')\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(staged),
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "KIVY_NO_FILELOG": "1",
        "SDL_VIDEODRIVER": "offscreen",
        "KIVY_HOME": str(staged.parent / "kivy-home"),
    }
    # Run from the staged folder, as on the phone, so the repository is not on the path.
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=staged,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")
