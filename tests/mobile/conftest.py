"""The app's tests run Kivy headlessly: SDL's offscreen video driver with Mesa's EGL draws real
frames without a display, at a phone's size, and nothing is written to the user's ~/.kivy."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="plainsight-kivy-"))

# The headless app's fixtures, for tests outside screens/ too (the end-to-end test opens the
# outbox after syncing). Imported after the environment above is set.
from tests.mobile.screens.conftest import (  # noqa: F401
    app_factory,
    offline_server,
    window,
)
