"""Citizen-science benchmarks on PostgreSQL: step 5 of run.py (``run.py --only science``).

Everything happens in a fresh database (``plainsight_bench_<random>``) created on the server
named by BENCH_DATABASE_URL and dropped at the end whatever happens. Without a PostgreSQL
server the step says so and is skipped; the rest of the bench still runs.

1. Ingestion: readings/s through POST /api/v1/readings/ (batches of 500, a real gunicorn with
   production settings, several client threads) against COPY of as many equivalent rows into
   the same table, in alternating rounds; queries per ``ingest()`` batch and a profile of one
   request in a worker process.
2. Results page: GET /science/<slug>/ for a campaign with 10,000 accepted readings against one
   with 1,000,000 (100,000 with --quick), same 40 sites and 250 days, loaded with COPY and
   summed up with ``results.rebuild``; alternating rounds through the same gunicorn, plus
   queries per page in a worker process.

The parent process never imports Django: it talks HTTP to gunicorn and SQL (psycopg) to the
server. Work that needs the ORM runs in this file as a child process (``--science-worker``).
"""

from __future__ import annotations

import contextlib
import datetime
import http.client
import json
import os
import queue
import random
import secrets
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable, Iterator

    from run import Workspace

URL_VARIABLE = "BENCH_DATABASE_URL"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"
WORKER_FLAG = "--science-worker"
WORKER_MARK = "BENCH_SCIENCE_JSON "
DB_PREFIX = "plainsight_bench_"

SITES = 40
DAYS = 250  # 40 sites x 250 days = 10,000 site-days
SMALL_READINGS = SITES * DAYS  # one reading per site-day
LARGE_READINGS = 1_000_000  # a hundred per site-day
LARGE_READINGS_QUICK = 100_000
BATCH = 500  # ingestion.MAX_BATCH
INGEST_READINGS = 50_000
INGEST_READINGS_QUICK = 10_000
CLIENT_THREADS = 4  # against 2 sync gunicorn workers: both always have a request waiting
INGEST_AIM = 5_000  # readings/s through the API
UNIT = "µg/m³"
TABLE = "citizen_science_reading"
# The columns an API insert fills (the rest are the moderation fields, empty until reviewed).
COPY_COLUMNS = (
    "client_uuid",
    "receipt",
    "received_at",
    "batch",
    "campaign_id",
    "site_id",
    "contributor_id",
    "value",
    "unit",
    "observed_at",
    "exposure_start",
    "period_start",
    "period_end",
    "cell",
    "latitude",
    "longitude",
    "accuracy_m",
    "notes",
    "status",
    "flags",
    "review_reason",
)
COPY_SQL = f"COPY {TABLE} ({', '.join(COPY_COLUMNS)}) FROM STDIN"


# --- the database -----------------------------------------------------------------------


def server_url() -> str:
    return os.environ.get(URL_VARIABLE) or DEFAULT_URL


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def connect(url: str, **kwargs: Any) -> Any:
    import psycopg

    return psycopg.connect(url, connect_timeout=5, **kwargs)


@contextlib.contextmanager
def temporary_database(url: str) -> Iterator[str]:
    """Create ``plainsight_bench_<random>`` next to ``url``'s database; always drop it again."""
    from psycopg import sql

    name = f"{DB_PREFIX}{secrets.token_hex(4)}"
    with connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(url, name)
    finally:
        with connect(url, autocommit=True) as admin:
            # FORCE (PostgreSQL 13+) ends gunicorn's or a worker's leftover connections.
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        from run import say

        say(f"  dropped database {name}")


# --- workers (child processes with Django) -----------------------------------------------


def run_science_worker(ws: Workspace, task: str, payload: dict[str, Any], timeout: float) -> Any:
    from run import call_worker

    args = [WORKER_FLAG, task, json.dumps(payload)]
    return call_worker(
        __file__, args, WORKER_MARK, env=ws.env, timeout=timeout, what=f"science worker '{task}'"
    )


def worker_main(task: str, payload: dict[str, Any]) -> None:
    import django

    django.setup()
    result = {"setup": worker_setup, "rebuild": worker_rebuild, "queries": worker_queries}[task](
        payload
    )
    print(WORKER_MARK + json.dumps(result, default=str), flush=True)


def worker_setup(payload: dict[str, Any]) -> dict[str, Any]:
    """Home → science index → three campaigns, 40 sites each, and one contributor for COPY."""
    from decimal import Decimal

    from portal.citizen_science.contributors import create_contributor, give_consent
    from portal.citizen_science.models import CampaignPage, ScienceIndexPage, Site
    from portal.home.setup import site_home_page

    home = site_home_page("bench-home")
    index = home.add_child(instance=ScienceIndexPage(title="Citizen science", slug="science"))
    starts_on = datetime.date.fromisoformat(payload["starts_on"])
    campaigns: dict[str, Any] = {}
    for key, slug, title in (
        ("ingest", "bench-ingest", "Ingestion"),
        ("small", "bench-10k", "Ten thousand readings"),
        ("large", "bench-large", "Many readings"),
    ):
        campaign = index.add_child(
            instance=CampaignPage(
                title=title,
                slug=slug,
                summary="Volunteers measure nitrogen dioxide at the kerb.",
                observed_property="Nitrogen dioxide (NO2)",
                unit=UNIT,
                method="Read the meter at the kerb and send the reading.",
                sampling="instant",
                valid_min=0.0,
                valid_max=500.0,
                expected_min=5.0,
                expected_max=120.0,
                threshold=40.0,
                threshold_label="Annual limit",
                consent_text="We keep your readings and publish them to 250 metres.",
                state="open",
                starts_on=starts_on,
                auto_accept=False,
            )
        )
        sites = Site.objects.bulk_create(
            Site(
                campaign=campaign,
                code=f"site-{number:03d}",
                name=f"Kerbside {number}",
                # 40 places about 600 m apart, so each has its own published 250 m cell.
                latitude=Decimal(f"{51.44 + 0.006 * (number // 8):.6f}"),
                longitude=Decimal(f"{-0.15 + 0.009 * (number % 8):.6f}"),
            )
            for number in range(SITES)
        )
        campaigns[key] = {
            "id": campaign.pk,
            "slug": slug,
            "path": f"/science/{slug}/",
            "sites": {site.code: site.pk for site in sites},
        }
    contributor, _token = create_contributor()
    give_consent(contributor, CampaignPage.objects.get(pk=campaigns["ingest"]["id"]))
    return {"campaigns": campaigns, "copy_contributor": contributor.pk}


def worker_rebuild(payload: dict[str, Any]) -> dict[str, Any]:
    from portal.citizen_science.results import rebuild

    passes: list[dict[str, Any]] = []
    for _pass in range(2):
        for key, campaign_id in payload["campaigns"].items():
            started = time.perf_counter()
            rows = rebuild(campaign_id)
            passes.append(
                {"campaign": key, "seconds": time.perf_counter() - started, "result_rows": rows}
            )
    return {"passes": passes}


def api_items(
    slug: str, codes: list[str], count: int, rng: random.Random, now: datetime.datetime
) -> list[dict[str, Any]]:
    """Valid, usual readings (they wait for moderation), spread over the last 200 days."""
    return [
        {
            "client_uuid": str(uuid.uuid4()),
            "campaign": slug,
            "site": codes[number % len(codes)],
            "value": round(rng.uniform(10, 60), 1),
            "unit": UNIT,
            "observed_at": (now - datetime.timedelta(minutes=rng.randrange(1, 200 * 1440)))
            .replace(microsecond=0)
            .isoformat(),
        }
        for number in range(count)
    ]


def worker_queries(payload: dict[str, Any]) -> dict[str, Any]:
    """Queries per ingest() batch and per results page; a profile of one whole API request."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from portal.citizen_science.contributors import create_contributor, give_consent
    from portal.citizen_science.ingestion import ingest
    from portal.citizen_science.models import CampaignPage
    from portal.citizen_science.results import campaign_results

    ingest_campaign = payload["campaigns"]["ingest"]
    slug, codes = ingest_campaign["slug"], sorted(ingest_campaign["sites"])
    rng = random.Random(7)
    now = timezone.now()
    contributor, token = create_contributor()
    give_consent(contributor, CampaignPage.objects.get(pk=ingest_campaign["id"]))

    batches: list[list[str]] = []
    for _batch in range(2):  # the first of the process may fill caches; the second is steady
        items = api_items(slug, codes, BATCH, rng, now)
        with CaptureQueriesContext(connection) as ctx:
            outcomes = ingest(items, contributor)
        created = sum(1 for outcome in outcomes if outcome.result == "created")
        if created != BATCH:
            raise SystemExit(f"ingest() created {created} of {BATCH} readings")
        batches.append([query["sql"] for query in ctx.captured_queries])

    # Whole requests (DRF parsing, token, throttle, ingest, JSON answer): one to warm up
    # (URL resolution, DRF settings, the throttle's cache entry), one timed with its SQL,
    # one under cProfile (which slows Python down, so its times are only for proportions).
    client = Client(HTTP_HOST="127.0.0.1")

    def post_batch() -> None:
        response = client.post(
            "/api/v1/readings/",
            json.dumps({"readings": api_items(slug, codes, BATCH, rng, now)}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        if response.status_code != 200:
            raise SystemExit(f"POST /api/v1/readings/ answered {response.status_code}")

    post_batch()
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        post_batch()
        request_seconds = time.perf_counter() - started
    sql_seconds = sum(float(query["time"]) for query in ctx.captured_queries)
    request_queries = len(ctx.captured_queries)
    profiler = cProfile.Profile()
    profiler.runcall(post_batch)
    stats = pstats.Stats(profiler, stream=io.StringIO())
    top = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        top.append(
            {
                "function": f"{short_path(filename)}:{line}({function})",
                "calls": calls,
                "tottime_ms": tottime * 1000,
                "cumtime_ms": cumtime * 1000,
            }
        )
    profiled_total = max((row["cumtime_ms"] for row in top), default=0.0)
    by_cumulative = sorted(top, key=lambda row: -row["cumtime_ms"])[:80]
    by_own = sorted(top, key=lambda row: -row["tottime_ms"])[:25]

    pages = {}
    page_client = Client(HTTP_HOST="127.0.0.1")
    for key in ("small", "large"):
        path = payload["campaigns"][key]["path"]
        visits = []
        for _visit in range(2):
            with CaptureQueriesContext(connection) as ctx:
                response = page_client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} answered {response.status_code}")
            visits.append([query["sql"] for query in ctx.captured_queries])
        # In process, without HTTP and the other workers' noise: the whole GET, and the
        # part of it that campaign_results() takes (the rest is Wagtail and the template).
        page = CampaignPage.objects.get(pk=payload["campaigns"][key]["id"])
        get_ms, results_ms = [], []
        for _repeat in range(7):
            started = time.perf_counter()
            page_client.get(path)
            get_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            campaign_results(page)
            results_ms.append((time.perf_counter() - started) * 1000)
        pages[key] = {
            "path": path,
            "first": visits[0],
            "steady": visits[1],
            "in_process_get_ms": statistics.median(get_ms),
            "campaign_results_ms": statistics.median(results_ms),
        }
    return {
        "ingest_batch": {"size": BATCH, "first": batches[0], "steady": batches[1]},
        "profile": {
            "request_ms": request_seconds * 1000,
            "sql_ms": sql_seconds * 1000,
            "request_queries": request_queries,
            "profiled_ms": profiled_total,
            "by_cumulative": by_cumulative,
            "by_own_time": by_own,
        },
        "pages": pages,
    }


def short_path(filename: str) -> str:
    for marker in ("site-packages/", "/wt-bench/", "/main/", "lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# --- the parent: loading -------------------------------------------------------------------


@dataclass
class Plan:
    ingest_readings: int
    ingest_rounds: int
    large_readings: int
    page_rounds: int
    page_seconds: float
    quick: bool


def plan_for(args: argparse.Namespace) -> Plan:
    if args.quick:
        return Plan(INGEST_READINGS_QUICK, 2, LARGE_READINGS_QUICK, args.rounds, args.seconds, True)
    return Plan(INGEST_READINGS, 4, LARGE_READINGS, args.rounds, args.seconds, False)


def post_json(port: int, path: str, body: bytes, token: str | None = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        conn.request("POST", path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"null")
    finally:
        conn.close()


def register_contributors(port: int, slug: str, count: int) -> list[str]:
    from run import BenchError

    tokens = []
    for _number in range(count):
        status, data = post_json(
            port, "/api/v1/contributors/", json.dumps({"consent_to": [slug]}).encode()
        )
        if status != 201:
            raise BenchError(f"POST /api/v1/contributors/ answered {status}: {data}")
        tokens.append(data["token"])
    return tokens


def api_round(port: int, bodies: list[bytes], tokens: list[str]) -> dict[str, Any]:
    """Send the batches from len(tokens) threads, one contributor each; readings/s overall."""
    work: queue.Queue[bytes] = queue.Queue()
    for body in bodies:
        work.put(body)
    latencies: list[float] = []
    counts = {"created": 0, "failed": 0}
    problems: list[str] = []
    lock = threading.Lock()

    def client(token: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
        while True:
            try:
                body = work.get_nowait()
            except queue.Empty:
                break
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/readings/", body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                elapsed = time.perf_counter() - started
                created = json.loads(data)["counts"]["created"] if resp.status == 200 else 0
            except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
                conn.close()
                with lock:
                    counts["failed"] += 1
                    problems.append(repr(exc)[:200])
                continue
            with lock:
                latencies.append(elapsed)
                counts["created"] += created
                if resp.status != 200 or created != BATCH:
                    counts["failed"] += 1
                    problems.append(f"HTTP {resp.status}: {data[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client, args=(token,), daemon=True) for token in tokens]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    seconds = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [0.0] * 19
    return {
        "readings": counts["created"],
        "seconds": seconds,
        "readings_per_s": counts["created"] / seconds,
        "batch_p50_ms": statistics.median(latencies) * 1000 if latencies else None,
        "batch_p95_ms": cuts[18] * 1000,
        "failed_batches": counts["failed"],
        "problems": problems[:5],
    }


def copy_rows(conn: Any, rows: Iterable[tuple[Any, ...]]) -> int:
    count = 0
    with conn.cursor() as cursor, cursor.copy(COPY_SQL) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    conn.commit()
    return count


class Receipts:
    """Receipts for COPY rows: 12 characters like the API's, starting with C so never equal."""

    def __init__(self) -> None:
        self.number = 0

    def next(self) -> str:
        self.number += 1
        return f"C{self.number:011d}"


def ingest_copy_rows(
    campaign: dict[str, Any],
    contributor_id: int,
    count: int,
    rng: random.Random,
    receipts: Receipts,
) -> list[tuple[Any, ...]]:
    """The rows the API would store for ``count`` readings: same campaign, sites, contributor."""
    batch, now = uuid.uuid4(), datetime.datetime.now(datetime.UTC)
    site_ids = [campaign["sites"][code] for code in sorted(campaign["sites"])]
    rows = []
    for number in range(count):
        observed = (now - datetime.timedelta(minutes=rng.randrange(1, 200 * 1440))).replace(
            microsecond=0
        )
        day = observed.date()  # the API uses the local (London) day; close enough here
        rows.append(
            (
                uuid.uuid4(),
                receipts.next(),
                now,
                batch,
                campaign["id"],
                site_ids[number % len(site_ids)],
                contributor_id,
                round(rng.uniform(10, 60), 1),
                UNIT,
                observed,
                None,
                day,
                day,
                "",
                None,
                None,
                None,
                "",
                "pending",
                "[]",
                "",
            )
        )
    return rows


def accepted_rows(
    campaign: dict[str, Any], per_site_day: int, starts_on: datetime.date, receipts: Receipts
) -> Iterator[tuple[Any, ...]]:
    """Accepted readings: ``per_site_day`` for each of SITES sites on each of DAYS days."""
    rng = random.Random(campaign["id"])
    batch, received = uuid.uuid4(), datetime.datetime.now(datetime.UTC)
    site_ids = [campaign["sites"][code] for code in sorted(campaign["sites"])]
    for offset in range(DAYS):
        day = starts_on + datetime.timedelta(days=offset)
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        for site_number, site_id in enumerate(site_ids):
            base = 20 + site_number * 0.6 + 8 * ((offset % 7) / 7)
            for number in range(per_site_day):
                yield (
                    uuid.uuid4(),
                    receipts.next(),
                    received,
                    batch,
                    campaign["id"],
                    site_id,
                    None,
                    round(base + rng.uniform(-6, 6), 1),
                    UNIT,
                    noon + datetime.timedelta(seconds=number * 7),
                    None,
                    day,
                    day,
                    "",
                    None,
                    None,
                    None,
                    "",
                    "accepted",
                    "[]",
                    "",
                )


# --- the parent: the steps ----------------------------------------------------------------


def median_of(rounds: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def ingestion(
    sws: Workspace, conn: Any, setup: dict[str, Any], plan: Plan, receipts: Receipts
) -> dict[str, Any]:
    from run import BenchError, say

    campaign = setup["campaigns"]["ingest"]
    codes = sorted(campaign["sites"])
    tokens = register_contributors(sws.port, campaign["slug"], CLIENT_THREADS)
    rng = random.Random(2026)
    now = datetime.datetime.now(datetime.UTC)
    per_round = plan.ingest_readings // plan.ingest_rounds
    per_round -= per_round % BATCH

    def bodies(count: int) -> list[bytes]:
        return [
            json.dumps({"readings": api_items(campaign["slug"], codes, BATCH, rng, now)}).encode()
            for _batch in range(count // BATCH)
        ]

    say(
        f"  warm-up: {4 * BATCH:,} readings through the API, not counted "
        f"({CLIENT_THREADS} client threads, one contributor each)"
    )
    warm = api_round(sws.port, bodies(4 * BATCH), tokens)
    if warm["failed_batches"]:
        raise BenchError(f"POST /api/v1/readings/ failed in the warm-up: {warm['problems']}")
    rounds: list[dict[str, Any]] = []
    for index in range(plan.ingest_rounds):
        order = ["api", "copy"] if index % 2 == 0 else ["copy", "api"]
        for kind in order:
            if kind == "api":
                payload = bodies(per_round)  # encoded before the clock starts
                result = api_round(sws.port, payload, tokens)
            else:
                rows = ingest_copy_rows(
                    campaign, setup["copy_contributor"], per_round, rng, receipts
                )
                started = time.perf_counter()
                count = copy_rows(conn, rows)
                seconds = time.perf_counter() - started
                result = {"readings": count, "seconds": seconds, "readings_per_s": count / seconds}
            result["kind"] = kind
            rounds.append(result)
            extra = ""
            if kind == "api":
                extra = (
                    f"  batch p50 {result['batch_p50_ms']:6.0f} ms  "
                    f"p95 {result['batch_p95_ms']:6.0f} ms"
                )
                if result["failed_batches"]:
                    extra += f"  {result['failed_batches']} FAILED: {result['problems'][:1]}"
            say(
                f"  round {index + 1} {kind:<4} {result['readings']:7,} readings in "
                f"{result['seconds']:5.2f} s = {result['readings_per_s']:9,.0f} readings/s{extra}"
            )
    api = [r for r in rounds if r["kind"] == "api"]
    copy = [r for r in rounds if r["kind"] == "copy"]
    if any(r["failed_batches"] for r in api):
        raise BenchError(f"some API batches failed: {api[0]['problems'] or api[-1]['problems']}")
    pair_ratios = [
        c["readings_per_s"] / a["readings_per_s"] for a, c in zip(api, copy, strict=True)
    ]
    api_rps, copy_rps = median_of(api, "readings_per_s"), median_of(copy, "readings_per_s")
    out = {
        "readings_per_round": per_round,
        "rounds": rounds,
        "client_threads": CLIENT_THREADS,
        "batch_size": BATCH,
        "api_median_readings_per_s": api_rps,
        "copy_median_readings_per_s": copy_rps,
        "ratio_copy_over_api": copy_rps / api_rps,
        "ratio_per_round": {"min": min(pair_ratios), "max": max(pair_ratios)},
        "api_batch_p50_ms": median_of(api, "batch_p50_ms"),
        "api_batch_p95_ms": median_of(api, "batch_p95_ms"),
        "aim_readings_per_s": INGEST_AIM,
        "aim_met": api_rps >= INGEST_AIM,
    }
    say(
        f"  median: API {api_rps:,.0f} readings/s, COPY {copy_rps:,.0f} readings/s -> COPY is "
        f"{out['ratio_copy_over_api']:.1f}x faster (per-round "
        f"{min(pair_ratios):.1f}-{max(pair_ratios):.1f}); aim >= {INGEST_AIM:,}/s through the "
        f"API: {'met' if out['aim_met'] else 'NOT MET'}"
    )
    return out


def load_results(
    conn: Any, setup: dict[str, Any], plan: Plan, starts_on: datetime.date, receipts: Receipts
) -> dict[str, Any]:
    from run import say

    loads = {}
    for key, total in (("small", SMALL_READINGS), ("large", plan.large_readings)):
        per_site_day = total // (SITES * DAYS)
        started = time.perf_counter()
        count = copy_rows(
            conn, accepted_rows(setup["campaigns"][key], per_site_day, starts_on, receipts)
        )
        seconds = time.perf_counter() - started
        loads[key] = {"readings": count, "per_site_day": per_site_day, "copy_seconds": seconds}
        say(
            f"  COPY {count:>9,} accepted readings into {setup['campaigns'][key]['path']:<22} "
            f"{seconds:6.1f} s ({per_site_day} per site-day)"
        )
    started = time.perf_counter()
    with conn.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    conn.commit()
    say(f"  ANALYZE {TABLE} (as autovacuum would soon)  {time.perf_counter() - started:5.1f} s")
    return loads


def page_timing(
    sws: Workspace, args: argparse.Namespace, client: str, setup: dict[str, Any], plan: Plan
) -> dict[str, Any]:
    from run import BenchError, fetch, load_python, load_wrk, say

    load = load_wrk if client == "wrk" else load_python
    targets = {key: setup["campaigns"][key]["path"] for key in ("small", "large")}
    sizes = {}
    for key, path in targets.items():
        page = fetch(sws.port, path)
        if page.status != 200:
            raise BenchError(f"GET {path} answered {page.status}:\n{page.body[:500]!r}")
        sizes[key] = len(page.body)
        load(sws, path, key, min(args.warmup, 2.0), args.connections)
    rounds = []
    for index in range(plan.page_rounds):
        order = ["small", "large"] if index % 2 == 0 else ["large", "small"]
        for key in order:
            result = load(sws, targets[key], key, plan.page_seconds, args.connections)
            rounds.append(result)
            flag = f"  {result.errors} ERRORS" if result.errors else ""
            say(
                f"  round {index + 1} {key:<5} {result.rps:7.1f} req/s  p50 {result.p50_ms:6.1f} ms"
                f"  p95 {result.p95_ms:6.1f} ms{flag}"
            )
    by = {key: [r for r in rounds if r.target == key] for key in targets}
    summary: dict[str, Any] = {
        "client": client,
        "connections": args.connections,
        "seconds_per_round": plan.page_seconds,
        "rounds": [vars(r) for r in rounds],
        "errors": sum(r.errors for r in rounds),
    }
    for key, rs in by.items():
        summary[key] = {
            "path": targets[key],
            "bytes": sizes[key],
            "median_rps": statistics.median(r.rps for r in rs),
            "median_p50_ms": statistics.median(r.p50_ms for r in rs),
            "median_p95_ms": statistics.median(r.p95_ms for r in rs),
        }
    small, large = summary["small"], summary["large"]
    pair = [s.rps / lg.rps for s, lg in zip(by["small"], by["large"], strict=True)]
    summary["ratio_large_over_small_p50"] = large["median_p50_ms"] / small["median_p50_ms"]
    summary["ratio_large_over_small_p95"] = large["median_p95_ms"] / small["median_p95_ms"]
    summary["ratio_time_per_page"] = small["median_rps"] / large["median_rps"]
    summary["ratio_time_per_page_per_round"] = {"min": min(pair), "max": max(pair)}
    return summary


def bench(ws: Workspace, args: argparse.Namespace, client: str) -> dict[str, Any]:
    """Step 5 of run.py. Returns what goes into the JSON; {"skipped": …} without PostgreSQL."""
    from run import Workspace as WS
    from run import free_port, gunicorn, run_step, say

    plan = plan_for(args)
    url = server_url()
    try:
        with connect(url) as probe:
            version = probe.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:
        reason = f"no PostgreSQL at {shown(url)}; set {URL_VARIABLE}"
        say(f"  skipped: {reason}")
        say(f"    ({type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc) else ''})")
        return {"skipped": reason}
    say(f"  PostgreSQL {version} at {shown(url)}")
    out: dict[str, Any] = {
        "server": shown(url),
        "server_version": version,
        "quick": plan.quick,
        "sites": SITES,
        "days": DAYS,
    }
    # The campaign runs from 260 days ago, so every reading below lies in its past.
    today = datetime.date.today()
    starts_on = today - datetime.timedelta(days=DAYS + 10)
    receipts = Receipts()
    with temporary_database(url) as db_url:
        out["database"] = urlsplit(db_url).path.lstrip("/")
        say(f"  temporary database {out['database']}")
        env = dict(ws.env)
        env.update(
            DATABASE_URL=db_url,
            # The rate limits protect production from one contributor; here they would cap
            # the measurement, not the code (the throttle's cache reads and writes still run).
            THROTTLE_READINGS="1000000/minute",
            THROTTLE_CONTRIBUTORS="1000/minute",
        )
        sws = WS(root=ws.root, port=free_port(), env=env)
        run_step(
            "migrate (PostgreSQL)", [sys.executable, "manage.py", "migrate", "--noinput"], env, 300
        )
        started = time.perf_counter()
        setup = run_science_worker(sws, "setup", {"starts_on": starts_on.isoformat()}, 120)
        say(
            f"  {'campaigns: 3 x ' + str(SITES) + ' sites, instant, no auto-accept':<44} "
            f"{time.perf_counter() - started:6.1f} s"
        )
        out["campaigns"] = {key: c["path"] for key, c in setup["campaigns"].items()}
        with connect(db_url) as conn, gunicorn(sws):
            say(
                f"\n  -- 5a. ingestion: POST /api/v1/readings/ (batches of {BATCH}) vs COPY, "
                f"{plan.ingest_readings:,} readings each in {plan.ingest_rounds} alternating rounds"
            )
            say(f"  gunicorn -w 2 (sync) on {sws.base_url}, production settings, PostgreSQL")
            out["ingestion"] = ingestion(sws, conn, setup, plan, receipts)

            note = " (--quick: 100,000 instead of 1,000,000)" if plan.quick else ""
            say(
                f"\n  -- 5b. results page: {SMALL_READINGS:,} vs {plan.large_readings:,} accepted "
                f"readings{note}, {SITES} sites x {DAYS} days"
            )
            out["load"] = load_results(conn, setup, plan, starts_on, receipts)
            ids = {key: setup["campaigns"][key]["id"] for key in ("small", "large")}
            rebuild = run_science_worker(sws, "rebuild", {"campaigns": ids}, 600)
            out["rebuild"] = summarise_rebuild(rebuild, out["load"])
            out["page"] = page_timing(sws, args, client, setup, plan)
            p = out["page"]
            say(
                f"  median p50: 10k {p['small']['median_p50_ms']:.1f} ms, large "
                f"{p['large']['median_p50_ms']:.1f} ms -> large / 10k = "
                f"{p['ratio_large_over_small_p50']:.2f} "
                f"(p95 {p['ratio_large_over_small_p95']:.2f}; "
                f"time per page from req/s {p['ratio_time_per_page']:.2f}, per round "
                f"{p['ratio_time_per_page_per_round']['min']:.2f}-"
                f"{p['ratio_time_per_page_per_round']['max']:.2f})"
            )
        say("\n  -- 5c. queries (Django test client and ingest() in a fresh process)")
        raw = run_science_worker(sws, "queries", {"campaigns": setup["campaigns"]}, 300)
        out["queries"] = summarise_queries(raw)
        out["profile"] = raw["profile"]
        show_profile(raw["profile"], full=not out["ingestion"]["aim_met"])
    return out


def summarise_rebuild(raw: dict[str, Any], loads: dict[str, Any]) -> dict[str, Any]:
    from run import say

    out: dict[str, Any] = {"passes": raw["passes"]}
    for key in ("small", "large"):
        passes = [p for p in raw["passes"] if p["campaign"] == key]
        out[key] = {
            "readings": loads[key]["readings"],
            "result_rows": passes[0]["result_rows"],
            "first_s": passes[0]["seconds"],
            "again_s": passes[1]["seconds"],
        }
        say(
            f"  results.rebuild {loads[key]['readings']:>9,} readings -> "
            f"{passes[0]['result_rows']:,} PeriodResult rows: {passes[0]['seconds']:6.2f} s "
            f"(again: {passes[1]['seconds']:.2f} s)"
        )
    return out


def summarise_queries(raw: dict[str, Any]) -> dict[str, Any]:
    from run import say, short_sql, table_of

    batch = raw["ingest_batch"]
    out: dict[str, Any] = {
        "ingest_batch": {
            "size": batch["size"],
            "first": len(batch["first"]),
            "steady": len(batch["steady"]),
            "steady_sql": batch["steady"],
        },
        "pages": {},
    }
    say(
        f"  ingest() of one batch of {batch['size']}: {len(batch['steady'])} queries "
        f"(first batch of the process: {len(batch['first'])})"
    )
    for number, sql in enumerate(batch["steady"], start=1):
        say(f"   {number:2d}. [{table_of(sql)}] {short_sql(sql, 160)}")
    for key, page in raw["pages"].items():
        out["pages"][key] = {
            "path": page["path"],
            "first": len(page["first"]),
            "steady": len(page["steady"]),
            "steady_sql": page["steady"],
            "in_process_get_ms": page["in_process_get_ms"],
            "campaign_results_ms": page["campaign_results_ms"],
        }
        say(
            f"  GET {page['path']:<22} {len(page['steady'])} queries steady "
            f"(first {len(page['first'])}); in process {page['in_process_get_ms']:.0f} ms, "
            f"of which campaign_results() {page['campaign_results_ms']:.0f} ms (medians of 7)"
        )
    large = raw["pages"]["large"]["steady"]
    say("  Steady-state SQL of the large campaign's page:")
    for number, sql in enumerate(large, start=1):
        say(f"   {number:2d}. [{table_of(sql)}] {short_sql(sql, 160)}")
    return out


def show_profile(profile: dict[str, Any], *, full: bool) -> None:
    from run import say

    total, sql = profile["request_ms"], profile["sql_ms"]
    say(
        f"  one API request of {BATCH} readings (test client, in process): {total:.0f} ms, "
        f"{profile['request_queries']} queries taking {sql:.0f} ms ({sql / total:.0%}); "
        f"Python {total - sql:.0f} ms"
    )
    if not full:
        return
    say(
        f"  Below the aim, so where the time goes (cProfile of one more request, "
        f"{profile['profiled_ms']:.0f} ms with the profiler's overhead; cumulative ms):"
    )
    # The chain of one-call wrappers (test client, handler, middleware) says nothing: show
    # the project's code, DRF, the ORM, the driver and JSON.
    interesting = ("portal/", "api/", "rest_framework/", "django/db/", "psycopg/", "json/")
    rows = [row for row in profile["by_cumulative"] if row["function"].startswith(interesting)]
    for row in rows[:22]:
        say(f"    {row['cumtime_ms']:8.1f} ms {row['calls']:7d}x  {row['function'][:110]}")
    say("  Own time (tottime):")
    for row in profile["by_own_time"][:12]:
        say(f"    {row['tottime_ms']:8.1f} ms {row['calls']:7d}x  {row['function'][:110]}")


def summary_lines(out: dict[str, Any]) -> list[str]:
    """The summary lines run.py prints at the end (what there is of them after a failure)."""
    if "skipped" in out:
        return [f"citizen science: skipped: {out['skipped']}"]
    lines = []
    if "ingestion" in out:
        i = out["ingestion"]
        lines.append(
            f"readings ingestion (PostgreSQL, gunicorn -w 2, batches of {i['batch_size']}): "
            f"API {i['api_median_readings_per_s']:,.0f}/s vs COPY "
            f"{i['copy_median_readings_per_s']:,.0f}/s -> COPY is "
            f"{i['ratio_copy_over_api']:.1f}x faster; batch p50 {i['api_batch_p50_ms']:.0f} ms  "
            f"[aim >= {INGEST_AIM:,}/s: {'met' if i['aim_met'] else 'NOT MET'}]"
        )
    if "queries" in out:
        q = out["queries"]
        pages = q["pages"]
        lines.append(
            f"queries: ingest() batch of {q['ingest_batch']['size']}: "
            f"{q['ingest_batch']['steady']}; "
            f"results page {pages['small']['steady']} (10k) and {pages['large']['steady']} (large)"
        )
    if "page" in out and "rebuild" in out:
        p, r = out["page"], out["rebuild"]
        large = r["large"]["readings"]
        lines.append(
            f"campaign results page: 10k {p['small']['median_p50_ms']:.1f} ms vs "
            f"{large:,} readings {p['large']['median_p50_ms']:.1f} ms p50 -> "
            f"{p['ratio_large_over_small_p50']:.2f}x (p95 {p['ratio_large_over_small_p95']:.2f}x, "
            f"aim ~1); rebuild {r['small']['first_s']:.2f} s (10k) / {r['large']['first_s']:.1f} s "
            f"({large:,})" + (" [--quick: 100k, not 1M]" if out.get("quick") else "")
        )
    return lines


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == WORKER_FLAG:
        worker_main(sys.argv[2], json.loads(sys.argv[3]))
    else:
        raise SystemExit("Run tests/benchmarks/run.py --only science; this file is its step 5.")
