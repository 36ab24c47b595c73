"""SensorThings on PostgreSQL at 10,000 against 1,000,000 accepted observations (step 7).

``run.py --only sensorthings`` runs just this. Two fresh databases on the server named by
BENCH_DATABASE_URL, identical but for the number of readings: one campaign with 1,000 sites
(1,000 Things and Datastreams), each site read on the same 10 days, once a day in the small
database and 100 times a day in the large one, so both have 10,000 site-days (PeriodResult
rows) and only the readings table grows. Each database gets its own gunicorn (production
settings, 2 sync workers); the same requests go to both in alternating rounds:

* ``Observations?$count=true&$top=1``: the whole table's count;
* ``Datastreams('site-…')/Observations?$count=true&$top=1``: one Datastream's count;
* ``Datastreams?$top=1000&$expand=Observations($orderby=phenomenonTime desc;$top=1)``: the
  latest observation of every Datastream (per Thing: each site is one Thing, one Datastream);
* ``Observations?$count=true&$top=1&$filter=result gt 50``: for contrast, a filtered count,
  which has to count the matching rows and so grows with the table.

It reports median p50/p95 per request for each size, **1M / 10k** (aim: near 1 for the first
three) and the queries per request, counted in a worker process with the Django test client.
Both databases are dropped at the end whatever happens.
"""

from __future__ import annotations

import contextlib
import datetime
import http.client
import json
import secrets
import statistics
import sys
import time
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator

    from run import Workspace

WORKER_FLAG = "--sta-worker"
WORKER_MARK = "BENCH_STA_JSON "
SITES = 1000
DAYS = 10  # site-days: 10,000 in both databases
SMALL_PER_SITE_DAY = 1  # 10,000 readings
LARGE_PER_SITE_DAY = 100  # 1,000,000 readings
LARGE_PER_SITE_DAY_QUICK = 10  # 100,000 with --quick
UNIT = "µg/m³"
DB_PREFIX = "plainsight_bench_sta_"
ENDPOINTS = {
    "count_all": "/sta/v1.1/Observations?$count=true&$top=1",
    "count_datastream": "/sta/v1.1/Datastreams('{stream}')/Observations?$count=true&$top=1",
    "latest_per_datastream": (
        "/sta/v1.1/Datastreams?$top=1000&$expand=Observations($orderby=phenomenonTime desc;$top=1)"
    ),
    "filtered_count": "/sta/v1.1/Observations?$count=true&$top=1&$filter=result gt 50",
}
FLAT = ("count_all", "count_datastream", "latest_per_datastream")


def url_path(template: str, stream: str) -> str:
    return quote(template.format(stream=stream), safe="/?&=$'(),;")


# --- databases ------------------------------------------------------------------------------


@contextlib.contextmanager
def two_databases(url: str) -> Iterator[tuple[str, str, str]]:
    """Names for a small and a large database; both dropped at the end, whatever happens."""
    from psycopg import sql
    from run import say
    from science import connect, with_database

    token = secrets.token_hex(4)
    small, large = f"{DB_PREFIX}{token}_10k", f"{DB_PREFIX}{token}_large"
    with connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(small)))
    try:
        yield with_database(url, small), with_database(url, large), large
    finally:
        with connect(url, autocommit=True) as admin:
            for name in (small, large):
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
                say(f"  dropped database {name}")


def clone_database(url: str, source_url: str, name: str) -> None:
    """The large database starts as an exact copy of the small one before its readings."""
    from psycopg import sql
    from science import connect

    source = urlsplit(source_url).path.lstrip("/")
    with connect(url, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(source)
            )
        )


def reading_rows(setup: dict[str, Any], per_site_day: int) -> Iterator[tuple[Any, ...]]:
    """Accepted, instant readings: ``per_site_day`` for every site on each of DAYS days."""
    import random

    rng = random.Random(per_site_day)
    batch, received = uuid.uuid4(), datetime.datetime.now(datetime.UTC)
    first = datetime.date.fromisoformat(setup["first_day"])
    number = 0
    for offset in range(DAYS):
        day = first + datetime.timedelta(days=offset)
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        for site_id in setup["sites"]:
            for repeat in range(per_site_day):
                number += 1
                yield (
                    uuid.uuid4(), f"S{number:011d}", received, batch, setup["campaign"], site_id,
                    None, round(rng.uniform(10, 60), 1), UNIT,
                    noon + datetime.timedelta(seconds=repeat * 7), None, day, day, "", None, None,
                    None, "", "accepted", "[]", "",
                )  # fmt: skip


def load_readings(db_url: str, setup: dict[str, Any], per_site_day: int) -> dict[str, Any]:
    from science import COPY_SQL, TABLE, connect

    started = time.perf_counter()
    count = 0
    with connect(db_url) as conn:
        with conn.cursor() as cursor, cursor.copy(COPY_SQL) as copy:
            for row in reading_rows(setup, per_site_day):
                copy.write_row(row)
                count += 1
        conn.commit()
        copied = time.perf_counter() - started
        conn.execute(f"ANALYZE {TABLE}")
        conn.commit()
    return {"readings": count, "copy_seconds": copied}


# --- workers (child processes with Django) ----------------------------------------------------


def run_worker(env: dict[str, str], task: str, payload: dict[str, Any], timeout: float) -> Any:
    from run import call_worker

    args = [WORKER_FLAG, task, json.dumps(payload)]
    what = f"sensorthings worker '{task}'"
    return call_worker(__file__, args, WORKER_MARK, env=env, timeout=timeout, what=what)


def worker_main(task: str, payload: dict[str, Any]) -> None:
    import django

    django.setup()
    tasks = {"setup": worker_setup, "rebuild": worker_rebuild, "queries": worker_queries}
    print(WORKER_MARK + json.dumps(tasks[task](payload), default=str), flush=True)


def worker_setup(payload: dict[str, Any]) -> dict[str, Any]:
    """Home, science index, one open campaign (instant readings) with SITES sites."""
    from decimal import Decimal

    from portal.citizen_science.models import CampaignPage, ScienceIndexPage, Site
    from portal.home.setup import site_home_page

    home = site_home_page("bench-home")
    index = home.add_child(instance=ScienceIndexPage(title="Citizen science", slug="science"))
    first_day = datetime.date.today() - datetime.timedelta(days=DAYS + 5)
    campaign = index.add_child(
        instance=CampaignPage(
            title="Kerbside NO2", slug="bench-sta", summary="Volunteers measure NO2 at the kerb.",
            observed_property="Nitrogen dioxide (NO2)", unit=UNIT,
            method="Read the meter at the kerb and send the reading.", sampling="instant",
            valid_min=0.0, valid_max=500.0, consent_text="We publish readings to 250 metres.",
            state="open", starts_on=first_day,
        )
    )  # fmt: skip
    sites = Site.objects.bulk_create(
        Site(
            campaign=campaign,
            code=f"site-{number:04d}",
            name=f"Kerbside {number}",
            latitude=Decimal(f"{51.40 + 0.003 * (number // 40):.6f}"),
            longitude=Decimal(f"{-0.20 + 0.004 * (number % 40):.6f}"),
        )
        for number in range(SITES)
    )
    return {
        "campaign": campaign.pk,
        "sites": [site.pk for site in sites],
        "first_day": first_day.isoformat(),
    }


def worker_rebuild(payload: dict[str, Any]) -> dict[str, Any]:
    from portal.citizen_science.results import rebuild

    started = time.perf_counter()
    rows = rebuild(payload["campaign"])
    return {"result_rows": rows, "seconds": time.perf_counter() - started}


def worker_queries(payload: dict[str, Any]) -> dict[str, Any]:
    """Queries, status, size and @iot.count of each request (second of two: steady state)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    out: dict[str, Any] = {}
    for key, template in ENDPOINTS.items():
        path = url_path(template, payload["stream"])
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        body = response.json()
        out[key] = {
            "status": response.status_code,
            "queries": len(captured),
            "bytes": len(response.content),
            "count": body.get("@iot.count"),
            "entities": len(body.get("value", [])),
            "with_latest": sum(1 for item in body.get("value", []) if item.get("Observations")),
            "sql": [query["sql"][:400] for query in captured.captured_queries],
        }
    return out


# --- the parent -----------------------------------------------------------------------------


def timed_get(port: int, path: str) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            from run import BenchError

            raise BenchError(f"GET {path} answered {response.status}")
        return elapsed
    finally:
        conn.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timings(ports: dict[str, int], stream: str, *, rounds: int, requests: int) -> dict[str, Any]:
    from run import say

    samples: dict[str, dict[str, list[float]]] = {
        key: {size: [] for size in ports} for key in ENDPOINTS
    }
    for key, template in ENDPOINTS.items():
        path = url_path(template, stream)
        for port in ports.values():
            timed_get(port, path)  # warm-up: connections, caches, the first query plan
        for index in range(rounds):
            order = list(ports) if index % 2 == 0 else list(reversed(ports))
            for size in order:
                for _repeat in range(requests):
                    samples[key][size].append(timed_get(ports[size], path))
    out: dict[str, Any] = {}
    for key in ENDPOINTS:
        entry: dict[str, Any] = {}
        for size in ports:
            values = samples[key][size]
            entry[size] = {
                "p50_ms": statistics.median(values),
                "p95_ms": percentile(values, 0.95),
                "n": len(values),
            }
        entry["ratio_p50"] = entry["large"]["p50_ms"] / entry["small"]["p50_ms"]
        entry["ratio_p95"] = entry["large"]["p95_ms"] / entry["small"]["p95_ms"]
        out[key] = entry
        say(
            f"  {key:<22} 10k p50 {entry['small']['p50_ms']:7.1f} ms p95 "
            f"{entry['small']['p95_ms']:7.1f} | large p50 {entry['large']['p50_ms']:7.1f} ms p95 "
            f"{entry['large']['p95_ms']:7.1f} | large/10k {entry['ratio_p50']:.2f} "
            f"(p95 {entry['ratio_p95']:.2f})"
        )
    return out


def bench(ws: Workspace, args: argparse.Namespace) -> dict[str, Any]:
    """Step 7 of run.py. Returns what goes into the JSON; {"skipped": …} without PostgreSQL."""
    from run import Workspace as WS
    from run import free_port, gunicorn, run_step, say
    from science import URL_VARIABLE, connect, server_url, shown

    url = server_url()
    try:
        with connect(url) as probe:
            version = probe.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:
        reason = f"no PostgreSQL at {shown(url)}; set {URL_VARIABLE}"
        say(f"  skipped: {reason} ({type(exc).__name__})")
        return {"skipped": reason}
    large_per = LARGE_PER_SITE_DAY_QUICK if args.quick else LARGE_PER_SITE_DAY
    rounds, requests = (2, 3) if args.quick else (4, 5)
    out: dict[str, Any] = {
        "server_version": version,
        "sites": SITES,
        "site_days": SITES * DAYS,
        "quick": args.quick,
    }
    say(f"  PostgreSQL {version} at {shown(url)}; {SITES} sites x {DAYS} days")
    with two_databases(url) as (small_url, large_url, large_name):
        envs = {}
        for key, db_url in (("small", small_url), ("large", large_url)):
            envs[key] = dict(ws.env, DATABASE_URL=db_url)
        run_step(
            "migrate (PostgreSQL)",
            [sys.executable, "manage.py", "migrate", "--noinput"],
            envs["small"],
            300,
        )
        setup = run_worker(envs["small"], "setup", {}, 120)
        clone_database(url, small_url, large_name)
        out["load"] = {}
        for key, per in (("small", SMALL_PER_SITE_DAY), ("large", large_per)):
            load = load_readings(small_url if key == "small" else large_url, setup, per)
            rebuilt = run_worker(envs[key], "rebuild", {"campaign": setup["campaign"]}, 600)
            load.update(result_rows=rebuilt["result_rows"], rebuild_seconds=rebuilt["seconds"])
            out["load"][key] = load
            say(
                f"  {key:<5} COPY {load['readings']:>9,} accepted readings "
                f"{load['copy_seconds']:6.1f} s; results rebuilt ({load['result_rows']:,} rows) "
                f"{load['rebuild_seconds']:5.1f} s"
            )
        stream = f"site-{setup['sites'][len(setup['sites']) // 2]}"
        out["queries"] = {
            key: run_worker(envs[key], "queries", {"stream": stream}, 300) for key in envs
        }
        for key, entry in out["queries"]["large"].items():
            small = out["queries"]["small"][key]
            say(
                f"  queries {key:<22} 10k {small['queries']}, large {entry['queries']}; "
                f"@iot.count {small['count']} / {entry['count']}; "
                f"{entry['entities']} entities, {entry['bytes']:,} bytes"
            )
        workspaces = {key: WS(root=ws.root, port=free_port(), env=envs[key]) for key in envs}
        with gunicorn(workspaces["small"]), gunicorn(workspaces["large"]):
            say(
                f"  timing: {rounds} alternating rounds x {requests} requests per size, "
                "one request at a time, gunicorn -w 2 each"
            )
            ports = {key: w.port for key, w in workspaces.items()}
            out["timings"] = timings(ports, stream, rounds=rounds, requests=requests)
    return out


def summary_lines(out: dict[str, Any]) -> list[str]:
    if "skipped" in out:
        return [f"sensorthings: skipped ({out['skipped']})"]
    large = out["load"]["large"]["readings"]
    lines = [f"sensorthings (1,000 Things, 10,000 vs {large:,} observations, p50 large/10k):"]
    for key, entry in out["timings"].items():
        queries = out["queries"]["large"][key]["queries"]
        aim = "  [aim ~1]" if key in FLAT else "  [scans: grows with the table]"
        lines.append(
            f"  {key:<22} {entry['small']['p50_ms']:.1f} -> {entry['large']['p50_ms']:.1f} ms "
            f"= {entry['ratio_p50']:.2f}x, {queries} queries{aim}"
        )
    return lines


if __name__ == "__main__":
    if WORKER_FLAG in sys.argv:
        position = sys.argv.index(WORKER_FLAG)
        worker_main(sys.argv[position + 1], json.loads(sys.argv[position + 2]))
