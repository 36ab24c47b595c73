"""Settings for the test suite: fast hashing, plain static storage, no external map tiles."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, os

SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
# The test machine has no internet: a tile layer would only add failed requests.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# WhiteNoise serves straight from the source folders, so no collectstatic is needed here.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The browser tests' pages come from pytest-django's live server, which answers each request in a
# thread of its own while the test goes on in the main thread. SQLite's default in-memory test
# database cannot serve two threads: if the server starts after the test database exists, every
# thread is handed the test's one connection, so one thread's transaction or savepoint swallows or
# breaks another's and a query that calls one of Django's Python functions deadlocks the whole run
# (the GIL against SQLite's connection lock); if the server starts first, as when only the
# browser tests run, each thread opens its own connection to the shared-cache database, whose table
# locks fail at once ("database table is locked"). A file gives every thread its own connection,
# as in production, and SQLite's ordinary locking makes them wait their turn: IMMEDIATE takes the
# write lock when a transaction begins, so two writers queue on the timeout instead of one failing
# at once. The file is thrown away after the run, so it is not synced to disk, and it is named
# after the process so that two runs on one machine never share it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"plainsight-test-{os.getpid()}.sqlite3"),
    }
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA synchronous = OFF",
    }
