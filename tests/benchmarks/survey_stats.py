"""Survey results at scale: step 6 of run.py (``run.py --only surveys``).

How long the published results of a survey take to compute for 100,000 responses against
1,000, on SQLite in a temporary database (``surveys.sqlite3`` in the bench's workspace,
migrated afresh, deleted with it). The responses are made by the demo's own generator
(``portal.core.demo.surveys.plan_responses``): the Millbrook Data Charter (five scenarios
with conditions, a Likert question, three "about you" questions) and the spring wave of the
e-scooter tracker (Likert, single and multiple choice, ranking, age band and ward).

What is timed, in a fresh worker process, median of several runs per size:

* ``results``: ``surveys.results.survey_results(page)`` when that module exists; until then
  the pieces it is built from (see ``results_from_pieces``): one
  ``Response.objects.values_list("answers")`` pass, ``surveys.estimates.tabulate_question``
  for every countable question, and ``surveys.disclosure.protect_table`` on the age band by
  answer table of every other question. The output says which was measured.
* the pieces one by one (read, tabulate, protect), whichever of the two is the headline;
* ``surveys.weighting.rake`` to the page's population margins (age band and ward), with the
  respondents' categories read beforehand.

Nothing is cached between runs: the page is fetched again each time, so its definition is
rebuilt too. If ``surveys.results_views`` exists, the results page is also fetched twice
with the Django test client (first and second request), which shows whether it is cached.

The file is not called ``surveys.py``: the harness puts this folder first on PYTHONPATH, and
a module of that name would shadow the ``surveys`` app in every process it starts.
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

WORKER_FLAG = "--surveys-worker"
WORKER_MARK = "BENCH_SURVEYS_JSON "
SMALL = 1_000
LARGE = 100_000
RUNS = 5
RUNS_QUICK = 3
# (demo spec, what the output calls it)
SURVEYS = (("DATA_CHARTER", "data charter"), ("SPRING_WAVE", "e-scooter wave"))


# --- the measured code (runs in the worker, with Django) ------------------------------------


def results_of(page: Any) -> Any:
    """What the results page computes. The one line to change is the ``survey_results`` one."""
    try:
        from surveys.results import survey_results
    except ImportError:
        return results_from_pieces(page)
    from django.core.cache import cache

    # survey_results caches what it computes; the figure wanted is the computation itself.
    cache.clear()
    return survey_results(page)


def results_from_pieces(page: Any) -> dict[str, float]:
    """The work ``survey_results`` will do, as far as it is known: read, tabulate, protect.

    Returns the seconds each piece took.
    """
    from surveys.disclosure import protect_table
    from surveys.estimates import tabulate_question
    from surveys.models import Response

    started = time.perf_counter()
    rows = list(Response.objects.filter(survey=page).values_list("answers", flat=True))
    read = time.perf_counter()
    definition = page.definition
    questions = [q for q in definition.questions.values() if q.statistics is not None]
    for question in questions:
        tabulate_question(question.statistics, rows)
    tabulated = time.perf_counter()
    age = definition.dimension_question("age_band")
    bands = [option.key for option in age.options]
    for question in questions:
        if question.key == age.key:
            continue
        columns = [option.key for option in question.options]
        protect_table(
            age_by_answer(question, rows, age.key, bands, columns),
            row_labels=bands,
            column_labels=columns,
            minimum=page.minimum_cell_size,
        )
    protected = time.perf_counter()
    return {
        "read_s": read - started,
        "tabulate_s": tabulated - read,
        "protect_s": protected - tabulated,
        "responses": len(rows),
    }


def age_by_answer(
    question: Any, rows: list[dict[str, Any]], age_key: str, bands: list[str], columns: list[str]
) -> list[list[int]]:
    """Counts of people by age band (rows) and answer (columns): a scenario's judgement, the
    first choice of a ranking, every choice of a multiple-choice question."""
    band_index = {band: i for i, band in enumerate(bands)}
    column_index = {column: j for j, column in enumerate(columns)}
    counts = [[0] * len(columns) for _band in bands]
    for row in rows:
        i = band_index.get(row.get(age_key))
        answer = row.get(question.key)
        if i is None or answer is None:
            continue
        if question.kind == "scenario":
            chosen = [answer["judgement"]]
        elif question.kind == "multiple_choice":
            chosen = answer
        elif question.kind == "ranking":
            chosen = answer[:1]
        else:
            chosen = [answer]
        for choice in chosen:
            j = column_index.get(choice)
            if j is not None:
                counts[i][j] += 1
    return counts


def rake_categories(page: Any) -> list[dict[str, Any]]:
    from surveys.models import Response

    definition = page.definition
    age = definition.dimension_question("age_band").key
    area = definition.dimension_question("area").key
    return [
        {"age_band": answers.get(age), "area": answers.get(area)}
        for answers in Response.objects.filter(survey=page).values_list("answers", flat=True)
    ]


# --- the worker ----------------------------------------------------------------------------


def worker_main(payload: dict[str, Any]) -> None:
    import django

    django.setup()
    print(WORKER_MARK + json.dumps(worker(payload), default=str), flush=True)


def worker(payload: dict[str, Any]) -> dict[str, Any]:
    import dataclasses
    import importlib.util

    from django.db import connection
    from django.test import Client
    from wagtail.models import Page

    from portal.core.demo import surveys as demo
    from portal.home.setup import site_home_page
    from surveys.models import SurveyPage
    from surveys.weighting import rake

    def publish(page: Page) -> None:
        page.save_revision().publish()

    measured = (
        "survey_results"
        if importlib.util.find_spec("surveys.results") is not None
        else "pieces (surveys.results not importable)"
    )
    out: dict[str, Any] = {
        "database": f"{connection.vendor} {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else connection.vendor,
        "measured": measured,
        "runs": payload["runs"],
        "surveys": {},
    }
    home = site_home_page("bench-home")
    index = demo.survey_index(home, publish)
    has_view = importlib.util.find_spec("surveys.results_views") is not None
    client = Client(HTTP_HOST="127.0.0.1")
    for spec_name, label in SURVEYS:
        spec = getattr(demo, spec_name)
        sizes: dict[str, Any] = {}
        for size in payload["sizes"]:
            slug = f"bench-{spec.slug}-{size}"
            # A page of its own, outside any tracker series.
            bench_spec = dataclasses.replace(spec, slug=slug, wave_label="")
            page = demo.survey_page(index, bench_spec, publish)
            started = time.perf_counter()
            planned = demo.plan_responses(page, spec, count=size, key=slug)
            generated = time.perf_counter()
            demo.store_responses(page, planned)
            stored = time.perf_counter()
            del planned
            entry: dict[str, Any] = {
                "responses": size,
                "generate_s": generated - started,
                "store_s": stored - generated,
                "results_s": [],
                "pieces": [],
                "rake_s": [],
            }
            for _run in range(payload["runs"]):
                fresh = SurveyPage.objects.get(pk=page.pk)
                started = time.perf_counter()
                results_of(fresh)
                entry["results_s"].append(time.perf_counter() - started)
                # The breakdown, from a run of its own (the same work again until
                # surveys.results exists).
                entry["pieces"].append(results_from_pieces(SurveyPage.objects.get(pk=page.pk)))
                categories = rake_categories(fresh)
                started = time.perf_counter()
                raked = rake(categories, fresh.population_margins)
                entry["rake_s"].append(time.perf_counter() - started)
            entry["rake"] = {
                "converged": raked.converged,
                "iterations": raked.iterations,
                "design_effect": raked.design_effect,
            }
            if has_view:
                path = f"/surveys/{slug}/results/"
                timings = []
                for _request in range(2):
                    started = time.perf_counter()
                    response = client.get(path)
                    timings.append(time.perf_counter() - started)
                entry["page"] = {"path": path, "status": response.status_code, "get_s": timings}
            sizes[str(size)] = entry
        out["surveys"][label] = sizes
    return out


# --- the parent (run.py) -------------------------------------------------------------------


def bench(ws: Workspace, args: argparse.Namespace) -> dict[str, Any]:
    """Step 6 of run.py: its own SQLite database in the workspace, migrated, then the worker."""
    from run import call_worker, run_step, say

    database = ws.root / "surveys.sqlite3"
    env = dict(ws.env, DATABASE_URL=f"sqlite:///{database}")
    run_step(
        "migrate (SQLite, surveys)", [sys.executable, "manage.py", "migrate", "--noinput"], env, 300
    )
    runs = RUNS_QUICK if args.quick else RUNS
    payload = {"sizes": [SMALL, LARGE], "runs": runs}
    started = time.perf_counter()
    raw = call_worker(
        __file__,
        [WORKER_FLAG, json.dumps(payload)],
        WORKER_MARK,
        env=env,
        timeout=900,
        what="surveys worker",
    )
    say(f"  {'worker (generate, store, measure)':<44} {time.perf_counter() - started:6.1f} s")
    return summarise(raw)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def summarise(raw: dict[str, Any]) -> dict[str, Any]:
    from run import say

    say(
        f"  {raw['database']}; measured: {raw['measured']}; median of {raw['runs']} runs; "
        "computed afresh each run (no cache)"
    )
    out: dict[str, Any] = {"raw": raw, "database": raw["database"], "measured": raw["measured"]}
    for label, sizes in raw["surveys"].items():
        small, large = sizes[str(SMALL)], sizes[str(LARGE)]
        summary: dict[str, Any] = {}
        for key, entry in (("small", small), ("large", large)):
            pieces = {
                name: _median([p[name] for p in entry["pieces"]])
                for name in ("read_s", "tabulate_s", "protect_s")
            }
            summary[key] = {
                "responses": entry["responses"],
                "results_s": _median(entry["results_s"]),
                "rake_s": _median(entry["rake_s"]),
                "pieces_s": pieces,
                "generate_s": entry["generate_s"],
                "store_s": entry["store_s"],
                "rake": entry["rake"],
                "page": entry.get("page"),
            }
            s = summary[key]
            say(
                f"  {label:15} {entry['responses']:>7,} responses: results "
                f"{s['results_s'] * 1000:8.1f} ms (read {pieces['read_s'] * 1000:.1f}, tabulate "
                f"{pieces['tabulate_s'] * 1000:.1f}, protect {pieces['protect_s'] * 1000:.1f}); "
                f"rake {s['rake_s'] * 1000:.1f} ms ({entry['rake']['iterations']} rounds); "
                f"made in {entry['generate_s']:.1f} s, stored in {entry['store_s']:.1f} s"
            )
            if s["page"]:
                first, second = s["page"]["get_s"]
                say(
                    f"  {'':15} GET {s['page']['path']}: {s['page']['status']}, first "
                    f"{first * 1000:.0f} ms, second {second * 1000:.0f} ms"
                )
        summary["ratio_results"] = summary["large"]["results_s"] / summary["small"]["results_s"]
        summary["ratio_rake"] = summary["large"]["rake_s"] / summary["small"]["rake_s"]
        say(
            f"  {label:15} {LARGE:,} / {SMALL:,}: results {summary['ratio_results']:.0f}x, "
            f"rake {summary['ratio_rake']:.0f}x (linear would be {LARGE // SMALL}x)"
        )
        out[label] = summary
    return out


def summary_lines(out: dict[str, Any]) -> list[str]:
    lines = []
    for label, _spec in ((label, spec) for spec, label in SURVEYS):
        if label not in out:
            continue
        s = out[label]
        lines.append(
            f"survey results ({label}, {out['database']}, {out['measured']}): "
            f"{SMALL:,} responses {s['small']['results_s'] * 1000:.0f} ms vs {LARGE:,} "
            f"{s['large']['results_s'] * 1000:.0f} ms -> {s['ratio_results']:.0f}x; rake "
            f"{s['small']['rake_s'] * 1000:.1f} vs {s['large']['rake_s'] * 1000:.0f} ms "
            f"({s['ratio_rake']:.0f}x)"
        )
    return lines


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == WORKER_FLAG:
        worker_main(json.loads(sys.argv[2]))
    else:
        raise SystemExit("Run tests/benchmarks/run.py --only surveys; this file is its step 6.")
