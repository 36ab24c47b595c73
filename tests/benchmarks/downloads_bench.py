"""The register as open data at 5,000 devices: step 8 of run.py (``run.py --only downloads``).

``/data/devices.geojson`` and ``/data/devices.csv`` are streamed from one query over the
published devices and their organisations. This step measures them at 500 and at 5,000
devices in one temporary SQLite database (``downloads.sqlite3`` in the bench's workspace):
the 500 are made first and measured, then 4,500 more are added and the same requests are
timed again, in alternating rounds so that the machine's noise falls on both sizes alike.

It reports, per size: median and p95 of the full download (every byte read), its size, the
queries it took, and the **5,000 / 500** ratio of the medians: near 10 means the cost per
device stays the same as the register grows (no per-device queries, nothing quadratic).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    from run import Workspace

WORKER_FLAG = "--downloads-worker"
WORKER_MARK = "BENCH_DOWNLOADS_JSON "
SMALL, LARGE = 500, 5000
ROUNDS, ROUNDS_QUICK = 7, 3
PATHS = ("/data/devices.geojson", "/data/devices.csv")


def worker_main(payload: dict[str, Any]) -> None:
    import django

    django.setup()
    print(WORKER_MARK + json.dumps(worker(payload), default=str), flush=True)


def make_devices(register: Any, start: int, stop: int) -> None:
    from decimal import Decimal

    from django.db import transaction

    from portal.registry.blocks import datachain_blocks
    from portal.registry.models import DeviceOrganisation, DevicePage, Organisation

    council, _ = Organisation.objects.get_or_create(
        name="Bench Borough Council", defaults={"email": "streets@bench.example"}
    )
    chain = datachain_blocks(
        [
            {"category": "purpose", "element_id": "ecology"},
            {"category": "tech", "element_id": "air_quality"},
            {"category": "data", "element_id": "values_time"},
            {
                "category": "retention",
                "element_id": "data_retained",
                "variables": {"duration": "5 years"},
            },
            {"category": "storage", "element_id": "stored_locally"},
        ]
    )
    with transaction.atomic():
        for number in range(start, stop):
            device = register.add_child(
                instance=DevicePage(
                    title=f"Air quality sensor {number:05d}",
                    slug=f"sensor-{number:05d}",
                    summary="Measures nitrogen dioxide every 15 minutes.",
                    status="active",
                    latitude=Decimal("51.40") + Decimal(number % 100) / 1000,
                    longitude=Decimal("-0.20") + Decimal(number // 100) / 1000,
                    location_description=f"Lamp post {number}, High Street",
                    area="Market ward",
                    datachain=chain,
                )
            )
            DeviceOrganisation.objects.create(page=device, organisation=council, sort_order=0)


def worker(payload: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.home.setup import site_home_page
    from portal.registry.models import DeviceIndexPage

    home = site_home_page("bench-home")
    register = home.add_child(instance=DeviceIndexPage(title="Devices", slug="devices"))
    client = Client(HTTP_HOST="127.0.0.1")

    def fetch(path: str) -> tuple[float, int]:
        started = time.perf_counter()
        response = client.get(path)
        size = sum(len(chunk) for chunk in response.streaming_content)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (path, response.status_code)
        return elapsed, size

    def measure(count: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for path in PATHS:
            fetch(path)  # warm: templates, taxonomy, caches
            with CaptureQueriesContext(connection) as queries:
                _seconds, size = fetch(path)
            out[path] = {"devices": count, "bytes": size, "queries": len(queries), "seconds": []}
        return out

    started = time.perf_counter()
    make_devices(register, 0, SMALL)
    made_small = time.perf_counter() - started
    small = measure(SMALL)
    # The other 4,500 go under a second register, which is unpublished and republished
    # between rounds below, so both sizes are timed side by side from one database.
    second = home.add_child(instance=DeviceIndexPage(title="More devices", slug="more"))
    started = time.perf_counter()
    make_devices(second, SMALL, LARGE)
    made_large = time.perf_counter() - started
    large = measure(LARGE)
    from wagtail.models import Page

    more = Page.objects.filter(path__startswith=second.path)
    for _round in range(payload["rounds"]):
        more.update(live=False)
        for path in PATHS:
            small[path]["seconds"].append(fetch(path)[0])
        more.update(live=True)
        for path in PATHS:
            large[path]["seconds"].append(fetch(path)[0])
    return {
        "database": f"{connection.vendor} {connection.Database.sqlite_version}",
        "make_s": {"500": made_small, "4500 more": made_large},
        "small": small,
        "large": large,
    }


# --- the parent (run.py) -------------------------------------------------------------------


def bench(ws: Workspace, args: argparse.Namespace) -> dict[str, Any]:
    from run import call_worker, run_step, say

    database = ws.root / "downloads.sqlite3"
    env = dict(ws.env, DATABASE_URL=f"sqlite:///{database}")
    run_step(
        "migrate (SQLite, downloads)",
        [sys.executable, "manage.py", "migrate", "--noinput"],
        env,
        300,
    )
    payload = {"rounds": ROUNDS_QUICK if args.quick else ROUNDS}
    started = time.perf_counter()
    raw = call_worker(
        __file__,
        [WORKER_FLAG, json.dumps(payload)],
        WORKER_MARK,
        env=env,
        timeout=900,
        what="downloads worker",
    )
    say(f"  {'worker (make devices, measure)':<44} {time.perf_counter() - started:6.1f} s")
    return summarise(raw)


def summarise(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"database": raw["database"], "make_s": raw["make_s"], "paths": {}}
    for path in PATHS:
        small, large = raw["small"][path], raw["large"][path]
        p50_small = statistics.median(small["seconds"])
        p50_large = statistics.median(large["seconds"])
        out["paths"][path] = {
            "500": {**small, "p50_s": p50_small, "p95_s": max(small["seconds"])},
            "5000": {**large, "p50_s": p50_large, "p95_s": max(large["seconds"])},
            "ratio": p50_large / p50_small if p50_small else None,
            "per_device_ms": 1000 * p50_large / LARGE,
        }
    return out


def summary_lines(out: dict[str, Any]) -> list[str]:
    lines = [f"open-data downloads ({out['database']}):"]
    for path, entry in out["paths"].items():
        small, large = entry["500"], entry["5000"]
        lines.append(
            f"  {path}: 5,000 devices p50 {large['p50_s'] * 1000:.0f} ms "
            f"({large['bytes'] / 1e6:.2f} MB, {large['queries']} queries) vs 500 devices "
            f"{small['p50_s'] * 1000:.0f} ms ({small['queries']} queries): "
            f"x{entry['ratio']:.1f} for 10x the devices, "
            f"{entry['per_device_ms']:.3f} ms per device"
        )
    return lines


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == WORKER_FLAG:
        worker_main(json.loads(sys.argv[2]))
    else:
        sys.exit("Run tests/benchmarks/run.py --only downloads")
