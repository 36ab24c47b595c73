"""Run the app on a desktop: ``python -m mobile [--server URL] [--data-dir DIR]``."""

from __future__ import annotations

import argparse
import os


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m mobile", description=__doc__)
    parser.add_argument(
        "--server",
        help="the portal's address (default: the one saved in settings, "
        "else http://127.0.0.1:8000)",
    )
    parser.add_argument("--data-dir", help="where the app keeps its outbox and photos")
    arguments = parser.parse_args()
    # Kivy reads sys.argv itself unless told not to.
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from mobile.app import PlainsightApp

    PlainsightApp(data_dir=arguments.data_dir, server=arguments.server).run()


if __name__ == "__main__":
    main()
