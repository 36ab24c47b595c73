"""Production settings with the static root moved into the benchmark's temporary directory.

Only STATIC_ROOT differs from ``portal.settings.production``: the harness collects static
files into its own directory so it neither depends on nor disturbs the repository's
``staticfiles/``, and so the extra same-size file it adds is thrown away afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path

from portal.settings.production import *  # noqa: F403

STATIC_ROOT = Path(os.environ["PLAINSIGHT_BENCH_STATIC_ROOT"])

# Files the repository's static tree references but lacks (see run.py), supplied from a
# temporary directory so collectstatic can finish. Empty when nothing is missing.
if os.environ.get("PLAINSIGHT_BENCH_EXTRA_STATIC"):
    STATICFILES_DIRS = [*STATICFILES_DIRS, Path(os.environ["PLAINSIGHT_BENCH_EXTRA_STATIC"])]  # noqa: F405
