"""The app's outbox against plain HTTP: step 9 of run.py (``run.py --only mobile``).

10,000 readings are queued in an app store (``mobile.services.store``, SQLite with
``synchronous=FULL``, one commit per queued record, as on a phone) and sent by the app's sync
(``mobile.services.sync.Syncer``, batches of 100) to a local gunicorn on a temporary SQLite
database. The same number of readings is also posted straight to ``POST /api/v1/readings/`` in
batches of the same size, with the same HTTP client (the standard library's, a connection per
request, as the app's), holding nothing. Rounds alternate (app, plain, plain, app, ...) so the
machine's noise falls on both, each round with fresh client_uuids so every reading is created.

The **app / plain** ratio of the medians is the outbox's overhead: reading the queue, counting
each try before it is made, and storing every receipt (one commit per batch) before going on.
Queueing the 10,000 (one commit each) is timed apart: a person does that one reading at a time.
"""

from __future__ import annotations

import datetime
import json
import statistics
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    from run import Workspace

REPO = Path(__file__).resolve().parents[2]
WORKER_FLAG = "--mobile-worker"
WORKER_MARK = "BENCH_MOBILE_JSON "
READINGS, BATCH = 10_000, 100
ROUNDS, ROUNDS_QUICK = 4, 2  # per side; alternating, so an even number is fairest
SITES = 40
CAMPAIGN, UNIT = "bench-app", "mm"


# --- the server's side (a Django worker process) ---------------------------------------------


def worker_main(payload: dict[str, Any]) -> None:
    import django

    django.setup()
    tasks = {"setup": worker_setup, "count": worker_count}
    print(WORKER_MARK + json.dumps(tasks[payload["task"]](), default=str), flush=True)


def worker_setup() -> dict[str, Any]:
    """Home, science index and one open campaign of instant readings with SITES sites."""
    from decimal import Decimal

    from portal.citizen_science.models import CampaignPage, ScienceIndexPage, Site
    from portal.home.setup import site_home_page

    home = site_home_page("bench-home")
    index = home.add_child(instance=ScienceIndexPage(title="Citizen science", slug="science"))
    campaign = index.add_child(
        instance=CampaignPage(
            title="Rain gauges", slug=CAMPAIGN, summary="Volunteers read their rain gauges.",
            observed_property="Rainfall", unit=UNIT, method="Read the gauge at nine.",
            sampling="instant", valid_min=0.0, valid_max=300.0,
            consent_text="We publish readings to 250 metres.", state="open",
            starts_on=datetime.date.today() - datetime.timedelta(days=30),
        )
    )  # fmt: skip
    Site.objects.bulk_create(
        Site(
            campaign=campaign,
            code=f"gauge-{number:03d}",
            name=f"Garden {number}",
            latitude=Decimal(f"{51.40 + 0.003 * number:.6f}"),
            longitude=Decimal("-0.200000"),
        )
        for number in range(SITES)
    )
    return {"campaign": campaign.slug}


def worker_count() -> dict[str, Any]:
    from django.db import connection

    from portal.citizen_science.models import Reading

    return {
        "readings": Reading.objects.count(),
        "database": f"{connection.vendor} {connection.Database.sqlite_version}",
    }


def run_worker(env: dict[str, str], task: str, timeout: float = 300) -> Any:
    from run import call_worker

    args = [WORKER_FLAG, json.dumps({"task": task})]
    return call_worker(
        __file__, args, WORKER_MARK, env=env, timeout=timeout, what=f"mobile worker '{task}'"
    )


# --- the two clients -------------------------------------------------------------------------


def readings(count: int) -> list[dict[str, Any]]:
    """Readings as the app queues them (no client_uuid or campaign: the sync adds those)."""
    now = datetime.datetime.now(datetime.UTC)
    return [
        {
            "site": f"gauge-{n % SITES:03d}",
            "value": float(n % 97) / 4,
            "unit": UNIT,
            "observed_at": (now - datetime.timedelta(minutes=n % 1440)).isoformat(
                timespec="seconds"
            ),
        }
        for n in range(count)
    ]


def app_round(base_url: str, token: str, store_path: Path, count: int) -> dict[str, Any]:
    """Queue ``count`` readings in a fresh store (timed apart), then sync them (timed)."""
    from run import BenchError

    from mobile.services.api import ApiClient
    from mobile.services.store import Store
    from mobile.services.sync import Syncer

    store = Store(store_path)
    try:
        started = time.perf_counter()
        for payload in readings(count):
            store.queue("reading", CAMPAIGN, payload)
        queued = time.perf_counter() - started
        in_store = time_store_calls(store)
        syncer = Syncer(store, ApiClient(base_url, token=token, timeout=120), batch_size=BATCH)
        started = time.perf_counter()
        report = syncer.sync_once()
        seconds = time.perf_counter() - started
        if report.sent != count or report.pending or report.failures:
            raise BenchError(f"the app's sync did not send everything: {report}")
        return {"seconds": seconds, "queue_seconds": queued, "store_seconds": sum(in_store)}
    finally:
        store.close()


def time_store_calls(store: Any) -> list[float]:
    """Time every store method the sync calls (on this instance only): the outbox's own work,
    which the machine's noise in the server's time cannot hide."""
    spent: list[float] = []
    for name in ("records", "note_attempt", "mark_sent", "mark_rejected_many", "waiting",
                 "pending_photos"):  # fmt: skip
        method = getattr(store, name)

        def timed(*args: Any, _method: Any = method, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _method(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - started)

        setattr(store, name, timed)
    return spent


def plain_round(base_url: str, token: str, count: int) -> dict[str, Any]:
    """The same readings posted straight to the API in batches, holding nothing."""
    from run import BenchError

    items = [
        {**payload, "client_uuid": str(uuid.uuid4()), "campaign": CAMPAIGN}
        for payload in readings(count)
    ]
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Authorization": f"Token {token}",
    }
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        body = json.dumps({"readings": items[start : start + BATCH]}).encode()
        request = urllib.request.Request(
            f"{base_url}/api/v1/readings/", data=body, headers=headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            data = json.loads(answer.read())
        if data["counts"]["created"] != len(items[start : start + BATCH]):
            raise BenchError(f"plain HTTP: not every reading was created: {data['counts']}")
    return {"seconds": time.perf_counter() - started}


def register(base_url: str) -> str:
    request = urllib.request.Request(
        f"{base_url}/api/v1/contributors/",
        data=json.dumps({"consent_to": [CAMPAIGN]}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["token"]


# --- the parent (run.py) ---------------------------------------------------------------------


def bench(ws: Workspace, args: argparse.Namespace) -> dict[str, Any]:
    from run import TWIN_NAME, BenchError, free_port, gunicorn, run_step, say
    from run import Workspace as WS

    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))  # mobile.services, imported in this process
    database = ws.root / "mobile.sqlite3"
    env = dict(
        ws.env,
        DATABASE_URL=f"sqlite:///{database}",
        # The limits protect production from one client; here they would cap the measurement.
        THROTTLE_READINGS="1000000/minute",
        THROTTLE_CONTRIBUTORS="1000/minute",
    )
    run_step(
        "migrate (SQLite, mobile)", [sys.executable, "manage.py", "migrate", "--noinput"], env, 300
    )
    run_worker(env, "setup")
    # gunicorn() waits for the twin static file to answer; this step needs no other static.
    twin = ws.static_root / TWIN_NAME
    if not twin.exists():
        twin.parent.mkdir(parents=True, exist_ok=True)
        twin.write_bytes(b"placeholder")
    server = WS(root=ws.root, port=free_port(), env=env)
    rounds = ROUNDS_QUICK if args.quick else ROUNDS
    app: list[dict[str, Any]] = []
    plain: list[float] = []
    with gunicorn(server):
        base_url = server.base_url
        token = register(base_url)
        say(
            f"  {READINGS:,} readings per round in batches of {BATCH}, {rounds} rounds each, "
            "alternating (app, plain, plain, app, ...); gunicorn -w 2, SQLite"
        )
        # Warm both paths (imports, the first connections) without counting them.
        app_round(base_url, token, ws.root / "mobile-warm.sqlite3", BATCH)
        plain_round(base_url, token, BATCH)
        order = ["app", "plain", "plain", "app"] * ((rounds + 1) // 2)
        for number, side in enumerate(order[: 2 * rounds]):
            if side == "app":
                result = app_round(base_url, token, ws.root / f"mobile-{number}.sqlite3", READINGS)
                app.append(result)
            else:
                result = plain_round(base_url, token, READINGS)
                plain.append(result["seconds"])
            extra = f" (store {result['store_seconds']:.2f} s)" if side == "app" else ""
            say(f"  round {number + 1:>2} {side:<5} {result['seconds']:6.2f} s{extra}")
    held = run_worker(env, "count")
    expected = (len(app) + len(plain)) * READINGS + 2 * BATCH
    if held["readings"] != expected:
        raise BenchError(f"the server holds {held['readings']} readings, not {expected}")
    app_seconds = [r["seconds"] for r in app]
    median_app, median_plain = statistics.median(app_seconds), statistics.median(plain)
    return {
        "readings": READINGS,
        "batch": BATCH,
        "database": held["database"],
        "app_seconds": app_seconds,
        "plain_seconds": plain,
        "queue_seconds": [r["queue_seconds"] for r in app],
        "store_seconds": [r["store_seconds"] for r in app],
        "median_app_s": median_app,
        "median_plain_s": median_plain,
        "ratio": median_app / median_plain,
        "round_ratios": [a / p for a, p in zip(app_seconds, plain, strict=False)],
        "server_readings": held["readings"],
    }


def summary_lines(out: dict[str, Any]) -> list[str]:
    queue = statistics.median(out["queue_seconds"])
    in_store = statistics.median(out["store_seconds"])
    spread = ", ".join(f"{r:.2f}" for r in out["round_ratios"])
    return [
        f"app outbox ({out['readings']:,} readings, batches of {out['batch']}, {out['database']}): "
        f"sync {out['median_app_s']:.1f} s vs plain HTTP {out['median_plain_s']:.1f} s -> "
        f"app / plain {out['ratio']:.2f}x (rounds {spread})",
        f"  of the sync, the outbox's own work (reading the queue, counting tries, storing "
        f"receipts) {in_store:.2f} s = {100 * in_store / out['median_app_s']:.0f}%; "
        f"queueing the {out['readings']:,} first {queue:.1f} s "
        f"({1000 * queue / out['readings']:.2f} ms each, one commit each)",
    ]


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == WORKER_FLAG:
        worker_main(json.loads(sys.argv[2]))
    else:
        sys.exit("Run tests/benchmarks/run.py --only mobile")
