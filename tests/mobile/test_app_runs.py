"""The app as ``make mobile`` runs it: Kivy's own loop, in a process of its own. It opens on the
home screen, starts sending the outbox in the background, and when it is closed the sending
thread stops and the outbox keeps every record."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from mobile.services.store import Store

REPO_ROOT = Path(__file__).resolve().parents[2]

RUN = """
import json, sys
from kivy.clock import Clock
from mobile.app import PlainsightApp

app = PlainsightApp(data_dir=sys.argv[1], server=sys.argv[2])
seen = {}

def look(_dt):
    # Stop once the background sync has reported (no signal here) and the home screen is up.
    if "No signal" in app.status:
        seen.update(screen=app.root.current, status=app.status, sending=app.sync.running)
        app.stop()
        return False

Clock.schedule_interval(look, 0.05)
app.run()
seen["sending_after_stop"] = app.sync.running
print(json.dumps(seen))
"""


def test_the_app_runs_sends_in_the_background_and_stops_cleanly(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        no_signal = f"http://127.0.0.1:{probe.getsockname()[1]}"
    store = Store(tmp_path / "plainsight.sqlite3")
    queued = store.queue("survey_response", "smart-lamp-posts", {"answers": {}})
    store.close()

    environment = {
        **os.environ,
        "SDL_VIDEODRIVER": "offscreen",
        "KIVY_NO_ARGS": "1",
        "KIVY_NO_CONSOLELOG": "1",
        "KIVY_NO_FILELOG": "1",
        "KIVY_HOME": tempfile.mkdtemp(prefix="plainsight-kivy-"),
    }
    result = subprocess.run(
        [sys.executable, "-c", RUN, str(tmp_path), no_signal],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["screen"] == "home"
    assert seen["status"] == "No signal: 1 waiting. The app will try again."
    assert seen["sending"] is True
    assert seen["sending_after_stop"] is False
    store = Store(tmp_path / "plainsight.sqlite3")
    record = store.record(queued.client_uuid)
    assert record.state == "pending"
    assert record.attempts >= 1
    store.close()
