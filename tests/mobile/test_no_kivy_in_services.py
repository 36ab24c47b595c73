"""``mobile/services`` runs without Kivy (and without Django): it is the part tested and
benchmarked on its own, and run from a terminal. Each module is imported in a fresh interpreter,
so nothing imported by another test can hide a stray import."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import mobile.services

SERVICES = sorted(
    f"mobile.services.{module.name}" for module in pkgutil.iter_modules(mobile.services.__path__)
)
REPO_ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import {module}
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in ("kivy", "django"))))
"""


def test_every_services_module_is_checked():
    assert {"mobile.services.api", "mobile.services.store", "mobile.services.session"} <= set(
        SERVICES
    )


@pytest.mark.parametrize("module", SERVICES)
def test_importing_a_services_module_loads_neither_kivy_nor_django(module):
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_the_probe_would_see_kivy():
    # The check can fail: a module that does import Kivy is caught.
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module="kivy.properties")],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT), "KIVY_NO_ARGS": "1"},
        check=False,
    )
    assert "kivy.properties" in json.loads(result.stdout.strip().splitlines()[-1])
