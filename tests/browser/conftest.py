"""Real-browser tests: Debian's Chromium driven by Playwright, against pytest-django's live server.

Design notes, for whoever changes this next:

* One Chromium for all the browser tests (``browser_session``), stopped as soon as the last
  browser test has been torn down (``pytest_runtest_teardown`` below), so that Playwright's
  event loop never reaches the rest of the suite. See ``BrowserSession`` for why Playwright is
  paused whenever Django touches the database in the main thread, and wrap ORM calls made in a
  test body in ``django_orm()``.
* Every test that uses ``live_server`` gets pytest-django's ``transactional_db``, which empties
  the database after the test. So the demo borough is loaded for each test (about 1.5 s), and
  the tests are marked ``serialized_rollback=True`` so that each starts from the migrated
  database (Wagtail's root page and default site) whatever ran before it. Loading the demo once
  per session would mean replacing pytest-django's private ``_live_server_helper``.
* The live server answers each request in a thread of its own while the test runs, so the
  browser and the test can write to the database at the same moment. On SQLite that is safe only
  because the test database is a file (portal/settings/test.py says why an in-memory one hangs or
  fails); test_concerns.py has a test that fails if it ever goes back to memory. Still wait for a
  form's answer (``page.expect_navigation()``) before checking the database in the test.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    AXE_PATH,
    CHROMIUM,
    CHROMIUM_MISSING,
    DESKTOP,
    HERE,
    REPO_ROOT,
    BrowserSession,
)
from django.core.management import call_command

_SESSION = BrowserSession()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    # Called for the items under this directory only. Once the last browser test is torn down,
    # stop Chromium and Playwright: the tests that follow run without Playwright's event loop.
    yield
    if nextitem is None or HERE not in Path(nextitem.path).resolve().parents:
        _SESSION.stop()


@pytest.fixture(scope="session")
def browser_session() -> Iterator[BrowserSession]:
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    yield _SESSION
    _SESSION.stop()


@pytest.fixture
def demo_url(live_server: Any) -> str:
    """The live server's address, with the demo borough (Millbrook) loaded."""
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def browser(browser_session: BrowserSession, demo_url: str) -> Iterator[Any]:
    """The session's Chromium. Set up after the demo is loaded; paused before Django's flush."""
    yield browser_session.resume()
    browser_session.pause()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Any]:
    """``new_context(viewport=..., java_script_enabled=...)``; the contexts close after the test."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"{AXE_PATH} is missing: run `npm ci` in {REPO_ROOT} (make setup does this).")
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """$PLAINSIGHT_SCREENSHOT_DIR if set, else a temporary directory."""
    configured = os.environ.get("PLAINSIGHT_SCREENSHOT_DIR")
    directory = Path(configured) if configured else tmp_path / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    return directory
