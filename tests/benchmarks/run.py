"""Plainsight performance harness (``make bench``). Not part of the pytest suite.

Run from the repository root:  .venv/bin/python tests/benchmarks/run.py [--quick]

Shared machines are noisy, so every speed figure is measured side by side within one run
and reported as a ratio as well. The harness builds everything it needs in a temporary
directory (SQLite database with the demo borough, collected static files), talks only to
127.0.0.1, stops gunicorn whatever happens and gives up after --time-limit seconds.

What it measures (see README.md next to this file):
1. requests/s of a device page versus a static file of the same size, both served by the
   same gunicorn (production settings, whitenoise), alternating rounds;
2. database queries per device page and for the register, cold and steady state;
3. bytes on the wire for a device page with its CSS, scripts and images (br/gzip accepted);
4. signs against bare QR codes, and a 500-device ZIP;
5. citizen science on PostgreSQL (science.py): readings/s through the API against COPY, and
   the campaign results page at 10,000 against 1,000,000 accepted readings. Skipped, with a
   note, when there is no PostgreSQL at BENCH_DATABASE_URL. ``--only science`` runs just this.
6. survey results (survey_stats.py): results computation and raking for 100,000 responses
   against 1,000, on SQLite in a temporary database. ``--only surveys`` runs just this.
7. SensorThings on PostgreSQL (sensorthings_bench.py): $count and the latest observation per
   Datastream for 1,000 Things at 10,000 against 1,000,000 observations. Skipped, with a note,
   without PostgreSQL. ``--only sensorthings`` runs just this.
8. open-data downloads (downloads_bench.py): devices.geojson and devices.csv at 500 against
   5,000 devices, on SQLite in a temporary database. ``--only downloads`` runs just this.
9. the app's outbox (mobile_bench.py): 10,000 readings queued in an app store and synced to a
   local gunicorn, against posting them straight to the API in batches of the same size, on
   SQLite in a temporary database. ``--only mobile`` runs just this.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import http.client
import importlib.metadata
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import FrameType

REPO = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(__file__).resolve().parent
HOST = "127.0.0.1"
DEVICE_PATH = "/devices/cctv-market-square/"
REGISTER_PATH = "/devices/"
TWIN_NAME = "bench/device-page-twin.html"  # under STATIC_ROOT, so served at /static/<this>
WORKER_FLAG = "--queries-worker"
WORKER_MARK = "BENCH_QUERIES_JSON "
SIGNS_WORKER_FLAG = "--signs-worker"
SIGNS_WORKER_MARK = "BENCH_SIGNS_JSON "
ZIP_DEVICES = 500
WRK_MARK = "BENCH_WRK_JSON "
QUERY_AIM = 8
TRANSFER_AIM_BYTES = 60_000

# Where a file missing from portal/static/vendor comes from (mirrors the Makefile's copies).
VENDOR_SOURCES = {
    "vendor/leaflet/": REPO / "node_modules" / "leaflet" / "dist",
    "vendor/govuk-frontend/": REPO / "node_modules" / "govuk-frontend" / "dist" / "govuk",
}
MISSING_FILE_RE = re.compile(r"The file '([^']+)' could not be found")
CSS_URL_RE = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "%s{\\"requests\\":%d,\\"duration_us\\":%d,\\"connect\\":%d,\\"read\\":%d,"
    .. "\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"p50_us\\":%d,\\"p95_us\\":%d}\\n",
    "BENCH_WRK_JSON ", summary.requests, summary.duration, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(95)))
end
"""


class BenchError(Exception):
    """A step failed; the message says which and why."""


def say(text: str = "") -> None:
    print(text, flush=True)


def kb(n: float) -> str:
    return f"{n / 1000:.1f} KB"


# --- setting up ------------------------------------------------------------------------


@dataclass
class Workspace:
    root: Path
    port: int
    env: dict[str, str]

    @property
    def static_root(self) -> Path:
        return self.root / "static"

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def make_workspace(root: Path) -> Workspace:
    port = free_port()
    env = dict(os.environ)
    for name in ("REDIS_URL", "DATABASE_URL", "CSRF_TRUSTED_ORIGINS", "PYTHONPATH"):
        env.pop(name, None)  # nothing of the caller's infrastructure leaks in
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",  # production settings, temporary STATIC_ROOT
        PYTHONPATH=os.pathsep.join([str(BENCH_DIR), str(REPO)]),
        PLAINSIGHT_BENCH_STATIC_ROOT=str(root / "static"),
        SECRET_KEY=secrets.token_urlsafe(48)[:64],
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        BASE_URL=f"http://{HOST}:{port}",
        DATABASE_URL=f"sqlite:///{root / 'bench.sqlite3'}",
        MEDIA_ROOT=str(root / "media"),
        LOG_LEVEL="WARNING",
    )
    return Workspace(root=root, port=port, env=env)


def run_step(label: str, args: list[str], env: dict[str, str], timeout: float) -> float:
    """Run one set-up command; raise BenchError with its output if it fails."""
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"{label}: no result after {timeout:.0f} s") from exc
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise BenchError(f"{label} failed (exit {proc.returncode}):\n{tail}")
    say(f"  {label:<44} {elapsed:6.1f} s")
    return elapsed


def supply_missing_static(name: str, extra_dir: Path) -> str:
    """Put a file that collectstatic reported missing into the extra static directory."""
    target = extra_dir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    for prefix, source_dir in VENDOR_SOURCES.items():
        source = source_dir / name.removeprefix(prefix)
        if name.startswith(prefix) and source.is_file():
            shutil.copyfile(source, target)
            return f"{name} (copied from {source.relative_to(REPO)})"
    if name.endswith(".map"):
        target.write_text('{"version":3,"sources":[],"names":[],"mappings":""}')
    else:
        target.write_bytes(b"")
    return f"{name} (empty stand-in: no source found)"


HASHED_NAME_RE = re.compile(r"\.[0-9a-f]{12}\.\w+$")
SOURCE_MAP_RE = re.compile(r"sourceMappingURL=([^\s*'\"]+)")


def missing_static_references() -> list[str]:
    """Relative references in portal/static that collectstatic will not be able to resolve.

    A cheap scan of the project's own static tree, so collectstatic normally runs once
    (a failed run costs nearly as much as a good one); collectstatic() still retries on
    anything this misses.
    """
    static_dir = REPO / "portal" / "static"
    missing: list[str] = []
    for file in sorted(static_dir.rglob("*")):
        if file.suffix not in {".js", ".mjs", ".css"} or not file.is_file():
            continue
        text = file.read_text("utf-8", "replace")
        refs = SOURCE_MAP_RE.findall(text)
        if file.suffix == ".css":
            refs += CSS_URL_RE.findall(text)
        for ref in refs:
            ref = ref.split("?")[0].split("#")[0]
            if not ref or ref.startswith(("/", "data:", "http:", "https:")):
                continue  # Django leaves absolute and external URLs alone
            target = (file.parent / ref).resolve()
            if not target.exists():
                name = target.relative_to(static_dir).as_posix()
                if name not in missing:
                    missing.append(name)
    return missing


def static_cache_key(missing: list[str]) -> str:
    """What the collected static tree depends on: our static files, package versions, settings."""
    digest = hashlib.sha256()
    for dist in ("django", "wagtail", "whitenoise", "djangorestframework", "drf-spectacular",
                 "drf-spectacular-sidecar", "brotli"):  # fmt: skip
        try:
            digest.update(f"{dist}={importlib.metadata.version(dist)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{dist}=-\n".encode())
    for file in sorted((REPO / "portal").rglob("static/**/*")):
        if file.is_file():
            stat = file.stat()
            digest.update(f"{file.relative_to(REPO)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    digest.update((BENCH_DIR / "bench_settings.py").read_bytes())
    digest.update(repr(missing).encode())
    return digest.hexdigest()[:16]


def collect_or_reuse_static(ws: Workspace, cache_root: Path, *, fresh: bool) -> list[str]:
    """Collected static files from the cache when nothing they depend on has changed.

    collectstatic with brotli and gzip compression of every admin asset takes most of a
    minute on a small machine; its output depends only on the inputs hashed above.
    """
    key = static_cache_key(missing_static_references())
    cached = cache_root / f"static-{key}"
    if cached.is_dir() and (cached / ".supplied.json").is_file() and not fresh:
        started = time.perf_counter()
        shutil.copytree(cached, ws.static_root, ignore=shutil.ignore_patterns(".supplied.json"))
        label = f"collectstatic: reused {cached.name}"
        say(f"  {label:<44} {time.perf_counter() - started:6.1f} s  (--fresh-static to redo)")
        return list(json.loads((cached / ".supplied.json").read_text()))
    supplied = collectstatic(ws)
    for old in cache_root.glob("static-*"):
        shutil.rmtree(old, ignore_errors=True)
    staging = cache_root / f"tmp-static-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(ws.static_root, staging)
    (staging / ".supplied.json").write_text(json.dumps(supplied))
    with contextlib.suppress(OSError):
        staging.rename(cached)
    shutil.rmtree(staging, ignore_errors=True)
    return supplied


def collectstatic(ws: Workspace) -> list[str]:
    """collectstatic with production storage; supply referenced-but-missing files if needed.

    Returns what had to be supplied: each entry is a file the production build would need
    and that the repository's static tree does not have.
    """
    extra_dir = ws.root / "extra-static"
    supplied = [supply_missing_static(name, extra_dir) for name in missing_static_references()]
    started = time.perf_counter()
    for _attempt in range(15):
        env = dict(ws.env)
        if supplied:
            env["PLAINSIGHT_BENCH_EXTRA_STATIC"] = str(extra_dir)
        proc = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=150,
            check=False,
        )
        if proc.returncode == 0:
            ws.env.update(env)
            say(
                f"  {'collectstatic (production storage)':<44} "
                f"{time.perf_counter() - started:6.1f} s"
            )
            return supplied
        output = proc.stdout + proc.stderr
        match = MISSING_FILE_RE.search(output)
        if not match or any(entry.startswith(match.group(1) + " ") for entry in supplied):
            tail = "\n".join(output.strip().splitlines()[-25:])
            raise BenchError(f"collectstatic failed:\n{tail}")
        supplied.append(supply_missing_static(match.group(1), extra_dir))
    raise BenchError("collectstatic kept reporting missing files; giving up")


# --- HTTP ------------------------------------------------------------------------------


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes  # exactly as on the wire (http.client does not decode content encodings)
    header_bytes: int


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> Fetched:
    conn = http.client.HTTPConnection(HOST, port, timeout=15)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        pairs = resp.getheaders()
        header_bytes = 17 + sum(len(k) + len(v) + 4 for k, v in pairs)  # status line + CRLFs
        return Fetched(resp.status, {k.lower(): v for k, v in pairs}, body, header_bytes)
    finally:
        conn.close()


@contextlib.contextmanager
def gunicorn(ws: Workspace) -> Iterator[subprocess.Popen[bytes]]:
    """Start gunicorn (2 sync workers, production settings) and always stop it again."""
    binary = Path(sys.executable).parent / "gunicorn"
    if not binary.exists():
        raise BenchError(f"gunicorn not found at {binary}; run `make setup`")
    log_path = ws.root / "gunicorn.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                str(binary),
                "portal.wsgi",
                "-b",
                f"{HOST}:{ws.port}",
                "-w",
                "2",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=ws.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 40
        while True:
            if proc.poll() is not None:
                raise BenchError(f"gunicorn exited at start-up:\n{log_path.read_text()[-3000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if fetch(ws.port, f"/static/{TWIN_NAME}").status == 200:
                    break
            if time.monotonic() > deadline:
                raise BenchError(
                    f"gunicorn did not answer in 40 s:\n{log_path.read_text()[-3000:]}"
                )
            time.sleep(0.3)
        yield proc
    finally:
        stop_process_group(proc)


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop the process we started and its children (its own session, led by its pid)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    # Workers normally leave with the master; make sure none outlived it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


# --- 1. throughput ---------------------------------------------------------------------


def twin_html(size: int, seed: int = 20240) -> bytes:
    """Random-ish HTML of exactly ``size`` bytes."""
    head = (
        b"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>twin</title></head><body>"
    )
    tail = b"</body></html>\n"
    if size < len(head) + len(tail) + 8:
        raise BenchError(f"device page is implausibly small ({size} bytes)")
    rng = random.Random(seed)
    words = [
        "device",
        "camera",
        "data",
        "council",
        "retention",
        "purpose",
        "sensor",
        "street",
        "market",
        "square",
        "privacy",
        "accountable",
        "organisation",
        "map",
    ]
    parts: list[bytes] = []
    length = 0
    room = size - len(head) - len(tail)
    while length < room:
        chunk = (
            b"<p class=ps-"
            + rng.choice(words).encode()
            + b">"
            + " ".join(rng.choice(words) for _ in range(rng.randint(8, 30))).encode()
            + f" {rng.getrandbits(40):x}</p>\n".encode()
        )
        parts.append(chunk)
        length += len(chunk)
    return head + b"".join(parts)[:room] + tail


@dataclass
class Round:
    target: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float | None
    p95_ms: float | None
    errors: int


def load_wrk(ws: Workspace, path: str, target: str, seconds: float, connections: int) -> Round:
    script = ws.root / "report.lua"
    if not script.exists():
        script.write_text(WRK_SCRIPT)
    args = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        f"{ws.base_url}{path}",
    ]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 30, check=False)
    line = next((x for x in proc.stdout.splitlines() if x.startswith(WRK_MARK)), None)
    if proc.returncode != 0 or line is None:
        raise BenchError(f"wrk failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    data = json.loads(line.removeprefix(WRK_MARK))
    duration = data["duration_us"] / 1e6
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Round(
        target,
        data["requests"],
        duration,
        data["requests"] / duration,
        data["p50_us"] / 1000,
        data["p95_us"] / 1000,
        errors,
    )


def load_python(ws: Workspace, path: str, target: str, seconds: float, connections: int) -> Round:
    """Fallback client: one thread per connection, keep-alive where the server allows it."""
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, ws.port, timeout=10)
        mine: list[float] = []
        ok = errors = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                if resp.status == 200:
                    ok += 1
                else:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            counts["ok"] += ok
            counts["errors"] += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 20)
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Round(
        target,
        counts["ok"],
        elapsed,
        counts["ok"] / elapsed,
        cuts[49] * 1000,
        cuts[94] * 1000,
        counts["errors"],
    )


def throughput(
    ws: Workspace, args: argparse.Namespace, client: str, static_path: str
) -> dict[str, Any]:
    load = load_wrk if client == "wrk" else load_python
    targets = {"device": DEVICE_PATH, "static": static_path}
    say(f"  warm-up: {args.warmup:g} s each, not counted")
    for name, path in targets.items():
        load(ws, path, name, args.warmup, args.connections)
    rounds: list[Round] = []
    for index in range(args.rounds):
        order = ["device", "static"] if index % 2 == 0 else ["static", "device"]  # ABBA
        for name in order:
            result = load(ws, targets[name], name, args.seconds, args.connections)
            rounds.append(result)
            latency = (
                f"p50 {result.p50_ms:6.1f} ms  p95 {result.p95_ms:6.1f} ms"
                if result.p50_ms is not None and result.p95_ms is not None
                else ""
            )
            flag = f"  {result.errors} ERRORS" if result.errors else ""
            say(f"  round {index + 1} {name:<7} {result.rps:8.1f} req/s  {latency}{flag}")
    by = {name: [r for r in rounds if r.target == name] for name in targets}
    med = {name: statistics.median(r.rps for r in rs) for name, rs in by.items()}
    pair_ratios = [s.rps / d.rps for d, s in zip(by["device"], by["static"], strict=True)]
    summary: dict[str, Any] = {
        "client": client,
        "connections": args.connections,
        "seconds_per_round": args.seconds,
        "rounds": [asdict(r) for r in rounds],
        "errors": sum(r.errors for r in rounds),
        "ratio_static_over_device": med["static"] / med["device"],
        "ratio_per_round": {
            "min": min(pair_ratios),
            "median": statistics.median(pair_ratios),
            "max": max(pair_ratios),
        },
    }
    for name, rs in by.items():
        summary[name] = {
            "path": targets[name],
            "median_rps": med[name],
            "median_p50_ms": statistics.median(r.p50_ms for r in rs if r.p50_ms is not None),
            "median_p95_ms": statistics.median(r.p95_ms for r in rs if r.p95_ms is not None),
        }
    return summary


# --- 2. queries (runs in a fresh child process, so the first request really is cold) ---


def queries_worker() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)

    def measure(path: str, expect: int = 200) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        if response.status_code != expect:
            raise SystemExit(f"GET {path} answered {response.status_code}, expected {expect}")
        return [query["sql"] for query in ctx.captured_queries]

    # The very first request of the process: Wagtail's site-root paths are not cached yet.
    cold = measure(DEVICE_PATH)
    pages: dict[str, dict[str, list[str]]] = {
        DEVICE_PATH: {"first": cold, "second": measure(DEVICE_PATH)}
    }

    from portal.registry.models import DevicePage

    # Derive each path from url_path below the site root (depth 2) rather than trusting
    # page.url, and report pages whose page.url disagrees: those links are broken.
    paths: list[str] = []
    url_problems: list[str] = []
    for page in DevicePage.objects.live().public().order_by("path"):
        path = "/" + "".join(f"{part}/" for part in page.url_path.strip("/").split("/")[1:])
        paths.append(path)
        if page.url != path:
            url_problems.append(f"{page.slug}: page.url={page.url!r}, url_path={page.url_path!r}")
    for path in paths:
        if path not in pages:
            first = measure(path)
            pages[path] = {"first": first, "second": measure(path)}
    register_first = measure(REGISTER_PATH)
    register = {"first": register_first, "second": measure(REGISTER_PATH)}
    measure("/favicon.ico", expect=404)
    favicon = measure("/favicon.ico", expect=404)
    result = {
        "cold_path": DEVICE_PATH,
        "cold": cold,
        "devices": pages,
        "register": register,
        "url_problems": url_problems,
        "favicon": favicon,
    }
    print(WORKER_MARK + json.dumps(result), flush=True)


def table_of(sql: str) -> str:
    match = re.search(r'\bFROM\s+"?(\w+)"?', sql)
    if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
        return sql.split()[0].upper()
    return match.group(1) if match else "?"


def short_sql(sql: str, width: int = 260) -> str:
    """SQL with the column list elided, so the shape of the query is readable."""
    text = re.sub(r"^SELECT\s+.+?\s+FROM\s", "SELECT … FROM ", sql, count=1, flags=re.S)
    return text if len(text) <= width else text[: width - 1] + "…"


def call_worker(
    script: str | Path,
    args: list[str],
    mark: str,
    *,
    env: dict[str, str],
    timeout: float,
    what: str,
) -> Any:
    """Run a bench script as a child with ``args``; return the JSON it prints after ``mark``."""
    proc = subprocess.run(
        [sys.executable, str(Path(script).resolve()), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith(mark)), None)
    if proc.returncode != 0 or line is None:
        raise BenchError(f"{what} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return json.loads(line.removeprefix(mark))


def run_worker(ws: Workspace, flag: str, mark: str, *, timeout: int, what: str) -> Any:
    """Run this script again as a child against the workspace; return the JSON it prints."""
    return call_worker(__file__, [flag], mark, env=ws.env, timeout=timeout, what=what)


def queries(ws: Workspace) -> dict[str, Any]:
    raw = run_worker(ws, WORKER_FLAG, WORKER_MARK, timeout=120, what="query counting")
    devices: dict[str, dict[str, list[str]]] = raw["devices"]
    steady = {path: len(q["second"]) for path, q in devices.items()}
    first_visit = {path: len(q["first"]) for path, q in devices.items() if path != raw["cold_path"]}
    # On a tie, list the SQL of the page the throughput test uses.
    worst = max(steady, key=lambda p: (steady[p], p == raw["cold_path"], p))
    out: dict[str, Any] = {
        "pages": len(devices),
        "cold_first_request": {
            "path": raw["cold_path"],
            "count": len(raw["cold"]),
            "sql": raw["cold"],
        },
        "steady": {
            "min": min(steady.values()),
            "median": statistics.median(steady.values()),
            "max": steady[worst],
            "worst_path": worst,
            "per_page": steady,
        },
        "first_visit_warm_process": {
            "min": min(first_visit.values(), default=0),
            "median": statistics.median(first_visit.values() or [0]),
            "max": max(first_visit.values(), default=0),
        },
        "register": {
            "path": REGISTER_PATH,
            "first": len(raw["register"]["first"]),
            "steady": len(raw["register"]["second"]),
            "steady_sql": raw["register"]["second"],
        },
        "steady_sql": {"path": worst, "sql": devices[worst]["second"]},
        "favicon_404": {"steady": len(raw["favicon"]), "sql": raw["favicon"]},
        "aim": QUERY_AIM,
    }
    out["url_problems"] = raw["url_problems"]
    say(f"  device pages measured:             {len(devices)}")
    if raw["url_problems"]:
        say(
            f"  WARNING: page.url disagrees with the served path for {len(raw['url_problems'])} "
            "device pages (links built from page.url are broken), e.g."
        )
        say(f"    {raw['url_problems'][0]}")
    say(f"  cold first request ({raw['cold_path']}): {len(raw['cold'])} queries")
    s = out["steady"]
    say(
        f"  steady state (2nd GET of each):    min {s['min']}  median {s['median']:g}  "
        f"max {s['max']}  (worst: {worst})  aim <= {QUERY_AIM}"
    )
    f = out["first_visit_warm_process"]
    say(
        f"  1st GET of other pages (warm proc): min {f['min']}  median {f['median']:g}  "
        f"max {f['max']}"
    )
    r = out["register"]
    say(f"  register {REGISTER_PATH}:                 first {r['first']}, steady {r['steady']}")
    say(f"  /favicon.ico (404 page, which browsers ask for): {len(raw['favicon'])} queries")
    say("")
    say(f"  Steady-state SQL for {worst} (column lists elided; full SQL in the JSON):")
    for number, sql in enumerate(devices[worst]["second"], start=1):
        say(f"   {number:2d}. [{table_of(sql)}] {short_sql(sql)}")
    cold_only = [sql for sql in raw["cold"] if sql not in devices[raw["cold_path"]]["second"]]
    if cold_only:
        say("  Only on the cold first request:")
        for sql in cold_only:
            say(f"       [{table_of(sql)}] {short_sql(sql)}")
    say("")
    say(f"  Steady-state SQL for the register {REGISTER_PATH}:")
    for number, sql in enumerate(raw["register"]["second"], start=1):
        say(f"   {number:2d}. [{table_of(sql)}] {short_sql(sql)}")
    return out


# --- 3. bytes on the wire --------------------------------------------------------------


class AssetParser(HTMLParser):
    """What the device page makes the browser fetch, and what it loads only on demand."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[tuple[str, bool]] = []  # (src, is_module)
        self.images: list[str] = []
        self.icons: list[str] = []
        self.on_demand: list[str] = []
        self.inline_svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.stylesheets.append(a["href"])
        elif tag == "link" and "icon" in rel and a.get("href"):
            self.icons.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.scripts.append((a["src"], a.get("type") == "module"))
        elif tag == "img" and a.get("src"):
            self.images.append(a["src"])
        elif tag == "svg":
            self.inline_svgs += 1
        for key in ("data-leaflet-js", "data-leaflet-css"):
            if a.get(key):
                self.on_demand.append(a[key])


MODULE_IMPORT_RE = re.compile(
    r"""(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']"""
)


@dataclass
class Resource:
    url: str
    kind: str
    group: str  # "first view", "map assets, loaded on demand", "referenced by CSS (not counted)"
    status: int = 0
    encoding: str = "identity"
    wire_bytes: int = 0
    decoded_bytes: int | None = None
    gzip_if_compressed: int | None = None
    cache_control: str = ""
    notes: list[str] = field(default_factory=list)


def decode(body: bytes, encoding: str) -> bytes | None:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        try:
            import brotli
        except ImportError:
            return None
        return bytes(brotli.decompress(body))
    return body


def transfer(ws: Workspace) -> dict[str, Any]:
    accept = {"Accept-Encoding": "br, gzip"}
    resources: list[Resource] = []
    seen: set[str] = set()

    def get(url: str, kind: str, group: str) -> tuple[Resource, bytes | None]:
        seen.add(url)
        parts = urlsplit(url)
        if parts.hostname not in (None, HOST, "localhost"):
            res = Resource(url, kind, group, notes=["external: not fetched"])
            resources.append(res)
            return res, None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        got = fetch(ws.port, path, accept)
        encoding = got.headers.get("content-encoding", "identity")
        plain = decode(got.body, encoding)
        res = Resource(
            path,
            kind,
            group,
            got.status,
            encoding,
            len(got.body),
            len(plain) if plain is not None else None,
        )
        content_type = got.headers.get("content-type", "")
        textual = content_type.startswith("text/") or any(
            word in content_type for word in ("javascript", "json", "svg", "xml")
        )
        if encoding == "identity" and textual and got.status == 200 and len(got.body) > 512:
            res.gzip_if_compressed = len(gzip.compress(got.body, compresslevel=6))
        res.cache_control = got.headers.get("cache-control", "")
        if got.status != 200:
            res.notes.append(f"HTTP {got.status}")
        elif parts.path.startswith("/static/") and not HASHED_NAME_RE.search(parts.path):
            res.notes.append(f"unhashed static URL, Cache-Control: {res.cache_control or '-'}")
        resources.append(res)
        return res, plain

    page_url = f"{ws.base_url}{DEVICE_PATH}"
    html_res, html = get(page_url, "html", "first view")
    if html_res.status != 200 or html is None:
        raise BenchError(f"device page answered {html_res.status}")
    parser = AssetParser()
    parser.feed(html.decode("utf-8", "replace"))
    css_refs: list[tuple[str, str]] = []  # (absolute url, group of the stylesheet)

    def stylesheet(url: str, group: str) -> None:
        _res, body = get(url, "css", group)
        for ref in CSS_URL_RE.findall((body or b"").decode("utf-8", "replace")):
            if not ref.startswith(("data:", "#")):
                css_refs.append((urljoin(url, ref), group))

    def script(url: str, module: bool, group: str) -> None:
        res, body = get(url, "js (module)" if module else "js", group)
        if module and body:
            for ref in MODULE_IMPORT_RE.findall(body.decode("utf-8", "replace")):
                target = urljoin(url, ref)
                if target not in seen:
                    res.notes.append(f"imports {urlsplit(target).path}")
                    script(target, True, group)

    for href in parser.stylesheets:
        stylesheet(urljoin(page_url, href), "first view")
    for src, module in parser.scripts:
        script(urljoin(page_url, src), module, "first view")
    for src in parser.images:
        get(urljoin(page_url, src), "img", "first view")
    if parser.icons:
        for href in parser.icons:
            get(urljoin(page_url, href), "icon", "first view")
    else:
        res, _body = get(urljoin(page_url, "/favicon.ico"), "favicon", "first view")
        res.notes.append("no <link rel=icon>: browsers ask for /favicon.ico anyway")
    map_group = "map assets, loaded on demand"
    for href in parser.on_demand:
        url = urljoin(page_url, href)
        if href.endswith(".css"):
            stylesheet(url, map_group)
        else:
            script(url, False, map_group)
    for url, group in css_refs:
        if url not in seen:
            res, _body = get(url, "css url()", f"referenced by CSS, loaded only if used ({group})")

    first = [r for r in resources if r.group == "first view"]
    on_demand = [r for r in resources if r.group == map_group]
    first_total = sum(r.wire_bytes for r in first)
    map_total = sum(r.wire_bytes for r in on_demand)

    say(
        f"  {'resource':<58} {'kind':<12} {'status':>6} {'encoding':<9} {'bytes':>8} {'decoded':>8}"
    )
    group_names = list(dict.fromkeys(r.group for r in resources))
    for group in group_names:
        say(f"  -- {group}")
        for r in (x for x in resources if x.group == group):
            decoded = f"{r.decoded_bytes:>8}" if r.decoded_bytes is not None else "       ?"
            name = r.url if len(r.url) <= 58 else "…" + r.url[-57:]
            say(
                f"  {name:<58} {r.kind:<12} {r.status:>6} {r.encoding:<9} "
                f"{r.wire_bytes:>8} {decoded}"
            )
            notes = list(r.notes)
            if r.gzip_if_compressed is not None:
                notes.append(f"sent uncompressed; gzip -6 would be {r.gzip_if_compressed} bytes")
            for note in notes:
                say(f"  {'':<4}note: {note}")
    say(f"  inline <svg> elements in the HTML (icons): {parser.inline_svgs}")
    say(
        f"  TOTAL first view:            {first_total:>8} bytes ({kb(first_total)})  "
        f"aim < {kb(TRANSFER_AIM_BYTES)}"
    )
    say(
        f"  TOTAL with map assets:       {first_total + map_total:>8} bytes "
        f"({kb(first_total + map_total)})"
    )
    say("  (bytes = response bodies as sent; headers and TLS are extra.)")

    def kind_sum(kind_prefix: str) -> tuple[int, str]:
        rs = [r for r in first if r.kind.startswith(kind_prefix)]
        encodings = "/".join(sorted({r.encoding for r in rs})) or "-"
        return sum(r.wire_bytes for r in rs), encodings

    return {
        "url": DEVICE_PATH,
        "resources": [asdict(r) for r in resources],
        "inline_svgs": parser.inline_svgs,
        "first_view_bytes": first_total,
        "map_assets_bytes": map_total,
        "by_kind": {k: kind_sum(k) for k in ("html", "css", "js", "img", "favicon")},
        "aim_bytes": TRANSFER_AIM_BYTES,
    }


# --- 4. signs (in a child process against the demo database) ----------------------------


def signs_worker() -> None:
    """Time signs against bare QR codes, interleaved per device so machine noise hits all three."""
    import copy
    import statistics

    import django

    django.setup()
    from portal.core.models import CouncilSettings
    from portal.registry.models import DevicePage
    from portal.signage.codes import generate_code
    from portal.signage.export import stream_signs_zip
    from portal.signage.qr import _matrix as qr_matrix_cache
    from portal.signage.qr import qr_svg
    from portal.signage.rendering import svg_to_pdf
    from portal.signage.services import short_link
    from portal.signage.signs import SignSize, render_sign_svg, sign_content

    council = CouncilSettings.objects.first()
    devices = list(DevicePage.objects.live().order_by("title"))
    timings: dict[str, list[float]] = {"qr_svg": [], "sign_svg": [], "sign_pdf": []}

    def timed(name: str, work: Callable[[], object]) -> None:
        # The QR matrix is cached per link; clear it, or later rounds would time a lookup.
        qr_matrix_cache.cache_clear()
        started = time.perf_counter()
        work()
        timings[name].append(time.perf_counter() - started)

    for _round in range(3):
        for device in devices:
            link = short_link(device.code)
            timed("qr_svg", lambda link=link: qr_svg(link))
            timed(
                "sign_svg",
                lambda device=device: render_sign_svg(
                    sign_content(device, council=council), SignSize.A5
                ),
            )
            timed(
                "sign_pdf",
                lambda device=device: svg_to_pdf(
                    render_sign_svg(sign_content(device, council=council), SignSize.A5)
                ),
            )

    # 500 devices: the demo's devices repeated, each copy with its own slug and code (so its
    # own QR code), giving 1,000 distinct files as a real 500-device export would.
    many = []
    for number in range(ZIP_DEVICES):
        twin = copy.copy(devices[number % len(devices)])
        twin.slug = f"{twin.slug}-{number}"
        twin.code = generate_code()
        many.append(twin)
    qr_matrix_cache.cache_clear()
    started = time.perf_counter()
    size = sum(len(chunk) for chunk in stream_signs_zip(many, sizes=[SignSize.A5], council=council))
    zip_seconds = time.perf_counter() - started
    result = {
        "per_item_ms": {
            name: {
                "median": statistics.median(values) * 1000,
                "p95": sorted(values)[int(0.95 * (len(values) - 1))] * 1000,
                "samples": len(values),
            }
            for name, values in timings.items()
        },
        "zip": {"devices": ZIP_DEVICES, "seconds": zip_seconds, "bytes": size},
    }
    print(SIGNS_WORKER_MARK + json.dumps(result), flush=True)


def signs(ws: Workspace) -> dict[str, Any]:
    raw = run_worker(ws, SIGNS_WORKER_FLAG, SIGNS_WORKER_MARK, timeout=600, what="sign timing")
    per = raw["per_item_ms"]
    qr = per["qr_svg"]["median"]
    for name, label in (
        ("qr_svg", "bare QR code (SVG)"),
        ("sign_svg", "A5 sign (SVG)"),
        ("sign_pdf", "A5 sign (PDF, incl. SVG)"),
    ):
        item = per[name]
        say(
            f"  {label:28} median {item['median']:7.2f} ms  p95 {item['p95']:7.2f} ms  "
            f"({item['median'] / qr:5.1f}x a bare QR; {item['samples']} samples)"
        )
    z = raw["zip"]
    say(
        f"  ZIP of {z['devices']} devices (A5 PDF + SVG each, manifest): {z['seconds']:.1f} s, "
        f"{z['bytes'] / 1_048_576:.1f} MB"
    )
    return raw


# --- main ------------------------------------------------------------------------------


def device_steps(
    ws: Workspace, args: argparse.Namespace, client: str, results: dict[str, Any]
) -> None:
    """Steps 1-4 against the SQLite demo database (everything but citizen science)."""
    twin = ws.static_root / TWIN_NAME
    with gunicorn(ws):
        page = fetch(ws.port, DEVICE_PATH)
    if page.status != 200:
        raise BenchError(f"GET {DEVICE_PATH} answered {page.status}:\n{page.body[:500]!r}")
    twin.write_bytes(twin_html(len(page.body)))
    results["device_page_bytes"] = len(page.body)

    with gunicorn(ws):
        check = fetch(ws.port, f"/static/{TWIN_NAME}")
        if check.status != 200 or len(check.body) != len(page.body):
            raise BenchError(
                f"static twin: HTTP {check.status}, {len(check.body)} bytes, "
                f"expected 200 and {len(page.body)}"
            )
        say(
            "\n== 1. throughput: device page vs static file of the same size "
            f"({len(page.body)} bytes)"
        )
        say(
            f"  gunicorn -w 2 (sync) on {ws.base_url}, production settings; client {client}, "
            f"{args.connections} connections, {args.rounds} rounds x {args.seconds:g} s "
            "per target, "
            "no Accept-Encoding"
        )
        results["throughput"] = throughput(ws, args, client, f"/static/{TWIN_NAME}")
        t = results["throughput"]
        say(
            f"  median: device {t['device']['median_rps']:.1f} req/s, "
            f"static {t['static']['median_rps']:.1f} req/s -> static is "
            f"{t['ratio_static_over_device']:.1f}x faster (per-round ratio "
            f"{t['ratio_per_round']['min']:.1f}-{t['ratio_per_round']['max']:.1f})"
        )

        say(
            "\n== 2. database queries per page "
            "(Django test client in a fresh process, no page cache)"
        )
        results["queries"] = queries(ws)

        say("\n== 3. bytes on the wire for a device page (Accept-Encoding: br, gzip)")
        results["transfer"] = transfer(ws)

    say("\n== 4. signs: milliseconds per sign against a bare QR code; a 500-device ZIP")
    results["signs"] = signs(ws)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=4, help="load rounds per target (default 4)")
    parser.add_argument("--seconds", type=float, default=5, help="seconds per round (default 5)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up seconds per target")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk if installed (default), else Python threads",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2 rounds of 2 s, fewer readings (science: 10,000 ingested, 100,000 not 1,000,000)",
    )
    parser.add_argument("--time-limit", type=int, default=1500, help="give up after this (s)")
    parser.add_argument(
        "--only",
        choices=["science", "surveys", "sensorthings", "downloads", "mobile"],
        default=None,
        help=(
            "run one step only: science = citizen science on PostgreSQL (BENCH_DATABASE_URL); "
            "surveys = survey results at 1,000 and 100,000 responses (SQLite); "
            "sensorthings = SensorThings at 10,000 and 1,000,000 observations (PostgreSQL); "
            "downloads = devices.geojson and .csv at 500 and 5,000 devices (SQLite); "
            "mobile = the app's outbox syncing 10,000 readings against plain HTTP (SQLite)"
        ),
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        help="where to write the results (default: <tmp>/plainsight-bench/last-run.json)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--fresh-static", action="store_true", help="run collectstatic even if a cached copy fits"
    )
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.warmup = 2, 2.0, 1.0
    return args


def on_signal(signum: int, _frame: FrameType | None) -> None:
    if signum == signal.SIGALRM:
        raise BenchError("time limit reached; stopping (raise --time-limit if the machine is slow)")
    raise KeyboardInterrupt


def set_up_and_steps_1_to_5(
    ws: Workspace, args: argparse.Namespace, client: str, results: dict[str, Any], json_path: Path
) -> None:
    """The demo database, static files, steps 1-4 and step 5 (or step 5 alone)."""
    only_science = args.only == "science"
    if only_science:
        say("\n== set-up (production static files)")
    else:
        say("\n== set-up (temporary SQLite database, demo borough, production static files)")
        run_step("migrate", [sys.executable, "manage.py", "migrate", "--noinput"], ws.env, 180)
        run_step(
            "load_demo --no-users",
            [sys.executable, "manage.py", "load_demo", "--no-users"],
            ws.env,
            120,
        )
    supplied = collect_or_reuse_static(ws, json_path.parent, fresh=args.fresh_static)
    results["collectstatic_supplied_missing_files"] = supplied
    if supplied:
        say("  WARNING: collectstatic with production storage FAILS on the repository as is:")
        say("  files referenced by vendored static files are missing. Supplied for this run:")
        for entry in supplied:
            say(f"    - {entry}")

    # Learn the device page's size from a throwaway server, so the twin file exists
    # before the measured server starts (WhiteNoise indexes STATIC_ROOT at start-up).
    # gunicorn() waits for the twin to answer, so it exists even when only science runs.
    twin = ws.static_root / TWIN_NAME
    twin.parent.mkdir(parents=True, exist_ok=True)
    twin.write_bytes(b"placeholder")
    if not only_science:
        device_steps(ws, args, client, results)

    say("\n== 5. citizen science on PostgreSQL (fresh temporary database)")
    import science

    results["science"] = science.bench(ws, args, client)


def main() -> int:
    args = parse_args()
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    if client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk), use --client python")
    json_path: Path = (
        args.json or Path(tempfile.gettempdir()) / "plainsight-bench" / "last-run.json"
    )
    signal.signal(signal.SIGALRM, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.alarm(args.time_limit)
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="plainsight-bench-"))
    results: dict[str, Any] = {
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "settings": "portal.settings.production (+ STATIC_ROOT in a temporary directory)",
    }
    failed: str | None = None
    try:
        ws = make_workspace(root)
        say(
            f"Plainsight benchmarks — {os.cpu_count()} CPUs, load average "
            f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}; workspace {root}"
        )
        # science.py and survey_stats.py import this module's helpers as ``run``; make that
        # this very module (not a second copy) when it runs as __main__, so BenchError is one
        # class.
        sys.modules.setdefault("run", sys.modules[__name__])
        if args.only not in ("surveys", "sensorthings", "downloads", "mobile"):
            set_up_and_steps_1_to_5(ws, args, client, results, json_path)
        if args.only == "surveys":
            # The results page is rendered with production settings, which need the manifest.
            collect_or_reuse_static(ws, json_path.parent, fresh=args.fresh_static)
        if args.only in (None, "surveys"):
            say("\n== 6. survey results: 1,000 against 100,000 responses (temporary SQLite)")
            import survey_stats

            results["surveys"] = survey_stats.bench(ws, args)
        if args.only in (None, "sensorthings"):
            say("\n== 7. SensorThings: 10,000 against 1,000,000 observations (PostgreSQL)")
            # JSON only, so no collected static files are needed; gunicorn() waits for the
            # twin file to answer, so it must exist (steps 1-4 make the real one).
            twin = ws.static_root / TWIN_NAME
            if not twin.exists():
                twin.parent.mkdir(parents=True, exist_ok=True)
                twin.write_bytes(b"placeholder")
            import sensorthings_bench

            results["sensorthings"] = sensorthings_bench.bench(ws, args)
        if args.only in (None, "downloads"):
            say("\n== 8. open-data downloads: 500 against 5,000 devices (temporary SQLite)")
            import downloads_bench

            results["downloads"] = downloads_bench.bench(ws, args)
        if args.only in (None, "mobile"):
            say("\n== 9. the app's outbox: 10,000 readings synced against plain HTTP (SQLite)")
            import mobile_bench

            results["mobile"] = mobile_bench.bench(ws, args)
    except BenchError as exc:
        failed = str(exc)
    except KeyboardInterrupt:
        failed = "interrupted"
    finally:
        signal.alarm(0)
        if args.keep:
            say(f"\nkept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    results["error"] = failed
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2, default=str))
    say("\n== summary")
    if "throughput" in results:
        t = results["throughput"]
        say(
            f"device page vs static file (gunicorn, production settings): "
            f"{t['device']['median_rps']:.0f} vs {t['static']['median_rps']:.0f} req/s -> "
            f"static is {t['ratio_static_over_device']:.1f}x faster "
            f"(p95 {t['device']['median_p95_ms']:.0f} vs {t['static']['median_p95_ms']:.0f} ms)"
        )
    if "queries" in results:
        q = results["queries"]
        say(
            f"queries per device page: steady {q['steady']['median']:g} (max {q['steady']['max']}, "
            f"worst: {q['steady']['worst_path']}), cold first request "
            f"{q['cold_first_request']['count']}; register {q['register']['steady']} "
            f"(first {q['register']['first']})  [aim <= {QUERY_AIM}]"
        )
    if "transfer" in results:
        x = results["transfer"]
        parts = ", ".join(f"{kind} {kb(n)} {enc}" for kind, (n, enc) in x["by_kind"].items() if n)
        say(
            f"device page transfer: {kb(x['first_view_bytes'])} first view ({parts}); "
            f"+{kb(x['map_assets_bytes'])} with map assets  [aim < {kb(TRANSFER_AIM_BYTES)}]"
        )
    if "signs" in results:
        per = results["signs"]["per_item_ms"]
        qr = per["qr_svg"]["median"]
        z = results["signs"]["zip"]
        svg_ms, pdf_ms = per["sign_svg"]["median"], per["sign_pdf"]["median"]
        say(
            f"signs: SVG {svg_ms:.1f} ms, PDF {pdf_ms:.1f} ms vs bare QR {qr:.2f} ms "
            f"({svg_ms / qr:.0f}x and {pdf_ms / qr:.0f}x); "
            f"{z['devices']}-device ZIP {z['seconds']:.1f} s"
        )
    if "science" in results:
        import science

        for line in science.summary_lines(results["science"]):
            say(line)
    if "surveys" in results:
        import survey_stats

        for line in survey_stats.summary_lines(results["surveys"]):
            say(line)
    if "sensorthings" in results:
        import sensorthings_bench

        for line in sensorthings_bench.summary_lines(results["sensorthings"]):
            say(line)
    if "downloads" in results:
        import downloads_bench

        for line in downloads_bench.summary_lines(results["downloads"]):
            say(line)
    if "mobile" in results:
        import mobile_bench

        for line in mobile_bench.summary_lines(results["mobile"]):
            say(line)
    if results.get("collectstatic_supplied_missing_files"):
        say(
            "collectstatic (production storage) needed "
            f"{len(results['collectstatic_supplied_missing_files'])} "
            "missing vendor files supplied: see WARNING above"
        )
    say(f"results: {json_path}  ({results['elapsed_s']:.0f} s)")
    if failed:
        say(f"\nFAILED: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    if WORKER_FLAG in sys.argv:
        queries_worker()
    elif SIGNS_WORKER_FLAG in sys.argv:
        signs_worker()
    else:
        sys.exit(main())
