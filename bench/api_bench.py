"""The API's filtered event list under concurrent load, beside Datasette and the raw SQL.

    .venv/bin/python bench/generate.py --events 1000000      # once (the page's data set)
    .venv/bin/python bench/api_bench.py                      # exports to SQLite if needed

Every request is `GET /api/v1/events/?date_from=A&date_to=B&event_type=ASSAULT` (50 per
page) with a 30-day window somewhere in the ten years. Two kinds of traffic, both in the
same run, each sent to both servers:

- cold: every window distinct from every other of the run, so no cache can answer (the
  API's render cache stores each answer and never gets to use it);
- warm: `--requests` draws from `--warm-windows` windows, Zipf-like (weight 1/rank^1.1),
  after `--workers` warm-up passes over all of them (without `--redis` each gunicorn worker
  keeps its own cache, and a request goes to whichever worker is free, so a window may
  still miss in some worker; with it, one private redis-server is the cache of all, as
  CACHE_URL makes it in production), so most answers come from the API's render cache, as
  for a popular site; Datasette gets the same requests (it has no answer cache; SQLite's pages
  are in memory).

For each kind, with the same windows:

1. the SQL floor: the queries each API request ran (captured in-process), replayed with
   psycopg, from one connection and from `--concurrency` connections (warm: the one query
   of an answer from the cache);
2. the API: gunicorn on 127.0.0.1 (production settings), `--concurrency` client threads;
3. Datasette serving the same events from SQLite (bench/datasette_export.py), queried
   through its table JSON API with the equivalent filter:
   event_type = ASSAULT, status = published, date_start <= B, last_day >= A,
   sorted by date_start (then id), 50 rows.
   Datasette runs from its own venv: bench/requirements-datasette.txt.

The API and Datasette are loaded in turns (API, Datasette, Datasette, API), so that a slow
moment of this shared machine does not fall on one side only. Because other work may share
the machine, the CPU time each side spent per request is measured too (gunicorn workers
plus their Postgres backends and, with `--redis`, the redis-server; the Datasette process),
from /proc: it does not depend on what else runs, and 1000 ms x CPUs / (CPU ms per
request) estimates the throughput of a machine that serves nothing else. Figures are
printed, not asserted; the issue's targets: API p95 <= 30 ms, API throughput >= 1.5 x
Datasette's.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.datasette_export import DEFAULT_PATH, export  # noqa: E402
from bench.generate import DAYS, FIRST_DAY, bench_database_url  # noqa: E402
from bench.page_bench import (  # noqa: E402
    _server_env,
    children,
    cpu_seconds,
    postgres_backends,
    capture_page_sql,
    free_port,
    get,
    load,
    percentile,
    replay_sql,
    start_redis,
    stop,
    summary,
    wait_until_up,
    zipf_draws,
)

TARGET_P95_MS = 30.0
TARGET_RATIO = 1.5
DATASETTE = ROOT / "bench" / ".venv-datasette" / "bin" / "datasette"


# The API's connections say who they are, so that the CPU of other clients of the bench
# database (other people's work on a shared machine) is not counted as the API's.
APPLICATION_NAME = "api_bench_gunicorn"


def windows(count: int, seed: int, days: int = 30) -> list[tuple[str, str]]:
    """`count` distinct (date_from, date_to) windows of `days` days, in random order."""
    rng = random.Random(seed)
    chosen: set[tuple[str, str]] = set()
    while len(chosen) < count:
        start = FIRST_DAY + timedelta(days=rng.randrange(DAYS - days))
        chosen.add((start.isoformat(), (start + timedelta(days=days - 1)).isoformat()))
    return sorted(chosen, key=lambda _: rng.random())


def api_url(window: tuple[str, str]) -> str:
    date_from, date_to = window
    return "/api/v1/events/?" + urlencode(
        {"date_from": date_from, "date_to": date_to, "event_type": "ASSAULT"}
    )


def datasette_url(window: tuple[str, str]) -> str:
    date_from, date_to = window
    return "/events/events.json?" + urlencode(
        {
            "event_type__exact": "ASSAULT",
            "status__exact": "published",
            "date_start__lte": date_to,
            "last_day__gte": date_from,
            "_sort": "date_start",
            "_size": 50,
            "_shape": "objects",
            # Datasette's own switches for a lean JSON answer: no count, no facets.
            "_nocount": 1,
            "_nofacet": 1,
            "_nosuggest": 1,
        }
    )


def start_datasette(path: Path, port: int) -> subprocess.Popen:
    if not DATASETTE.exists():
        raise SystemExit(
            "Datasette is not installed: python3.11 -m venv bench/.venv-datasette && "
            "bench/.venv-datasette/bin/pip install -r bench/requirements-datasette.txt"
        )
    return subprocess.Popen(
        [
            str(DATASETTE), "serve", "-i", str(path), "-h", "127.0.0.1", "-p", str(port),
            "--setting", "sql_time_limit_ms", "10000",
            "--setting", "suggest_facets", "off",
            "--setting", "default_page_size", "50",
        ],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def same_events(api_port: int, datasette_port: int, sample: list[tuple[str, str]]) -> None:
    """Both servers list the same events in the same order (else the race means nothing)."""
    for window in sample:
        api = json.loads(get(api_port, api_url(window))[1])
        rows = json.loads(get(datasette_port, datasette_url(window))[1])["rows"]
        ours, theirs = [e["id"] for e in api["results"]], [r["id"] for r in rows]
        if ours != theirs:
            raise SystemExit(f"different events for {window}: {ours[:5]} vs {theirs[:5]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--sqlite", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--export", action="store_true", help="export to SQLite again")
    parser.add_argument("--requests", type=int, default=600, help="per server and turn")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--warm-windows", type=int, default=200,
                        help="distinct windows of the warm mix (drawn Zipf-like)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--redis", action="store_true",
                        help="one render cache for all workers: a private redis-server "
                             "(CACHE_URL), as docker compose runs it")
    args = parser.parse_args(argv)

    url = bench_database_url(args.database_url)
    with psycopg.connect(url) as conn:
        events = conn.execute("SELECT count(*) FROM timeline_event").fetchone()[0]
        assaults = conn.execute(
            "SELECT count(*) FROM timeline_event WHERE event_type = 'ASSAULT'"
            " AND status = 'published'"
        ).fetchone()[0]
    if not events:
        raise SystemExit("the bench database is empty: run bench/generate.py first")
    if args.export or not args.sqlite.exists():
        export(url, args.sqlite)

    # Cold: every window distinct from all others of the run, so no cache ever answers.
    # Warm: a realistic repeated mix over a few hundred windows, after a warm-up pass.
    distinct = windows(60 + 2 * args.requests + args.warm_windows, args.seed)
    warmup, distinct = distinct[:60], distinct[60:]
    cold = [distinct[: args.requests], distinct[args.requests: 2 * args.requests]]
    pool = distinct[2 * args.requests:]
    warm = [zipf_draws(pool, args.requests, args.seed + 300 + n, s=1.1) for n in range(2)]
    render_cache = "one redis for all" if args.redis else "each with its own in-memory"
    print(f"data: {events:,} events ({assaults:,} published ASSAULT); concurrency "
          f"{args.concurrency}, {args.workers} gunicorn workers ({render_cache} "
          f"render cache), {os.cpu_count()} CPUs; load average before: "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"cold: {args.requests} distinct 30-day windows per turn; warm: {args.requests} "
          f"draws per turn from {args.warm_windows} windows, Zipf-like (s=1.1; the top 10 "
          f"windows: {sum(w in pool[:10] for w in warm[0]) / len(warm[0]):.0%} of draws), "
          f"after {args.workers} passes over all {args.warm_windows}")

    static_root = tempfile.mkdtemp(prefix="bench-static-")
    api_port, datasette_port = free_port(), free_port()
    env = {**_server_env(url, static_root, api_port), "API_ANON_RATE": "100000000/minute"}
    env["DATABASE_URL"] += ("&" if "?" in url else "?") + f"application_name={APPLICATION_NAME}"
    servers: list[subprocess.Popen] = []
    try:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
            check=True, env=env, cwd=ROOT,
        )
        # 1. The floor: the API's own queries, without Django or HTTP. Cold: what a page
        # built afresh runs; warm: what a request answered from the cache runs.
        os.environ["API_ANON_RATE"] = env["API_ANON_RATE"]
        pages = capture_page_sql(env, [api_url(w) for w in cold[0]])
        queries_per_request = sorted({len(p) for p in pages})
        solo, _ = replay_sql(url, pages[: min(200, len(pages))], 1)
        floor, floor_wall = replay_sql(url, pages, args.concurrency)
        capture_page_sql(env, [api_url(w) for w in pool])  # fills this process's cache
        hits = capture_page_sql(env, [api_url(w) for w in warm[0]])
        warm_queries = sorted({len(p) for p in hits})
        warm_floor, warm_floor_wall = replay_sql(url, hits, args.concurrency)

        # 2 and 3. Both servers up; loaded in turns.
        redis = None
        if args.redis:
            # Started after the capture, so no answer it rendered is in the cache.
            redis, cache_url = start_redis()
            servers.append(redis)
            env = {**env, "CACHE_URL": cache_url}
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        api_server = subprocess.Popen(
            [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{api_port}",
             "--workers", str(args.workers), "--worker-class", "sync",
             "--log-level", "warning", "--backlog", "64"],
            env=env, cwd=ROOT,
        )
        servers.append(api_server)
        datasette = start_datasette(args.sqlite, datasette_port)
        servers.append(datasette)
        wait_until_up(api_port, api_server)
        wait_until_up(datasette_port, datasette, path="/-/versions.json")
        same_events(api_port, datasette_port, warmup[:20])

        def run_api(batch):
            return load(api_port, [api_url(w) for w in batch], args.concurrency,
                        lambda body: b'"results":[{' in body)

        def run_datasette(batch):
            return load(datasette_port, [datasette_url(w) for w in batch], args.concurrency,
                        lambda body: b'"rows": [{' in body or b'"rows":[{' in body)

        run_api(warmup)
        run_datasette(warmup)
        # The processes whose CPU each side spends (the API's persistent DB connections
        # exist once the warm-up has run).
        spenders = {
            "django": children(api_server.pid),
            "postgres": postgres_backends(url, APPLICATION_NAME),
            "redis": [redis.pid] if redis is not None else [],
            "datasette": [datasette.pid],
            # This process: the load's client threads share the machine with the servers.
            "api client": [os.getpid()],
            "datasette client": [os.getpid()],
        }
        sides = {"api": ["django", "postgres", "redis", "api client"],
                 "datasette": ["datasette", "datasette client"]}

        def race(turns):
            """API, Datasette, Datasette, API: timings, wall time, CPU, load averages."""
            results = {"api": ([], 0.0), "datasette": ([], 0.0)}
            cpu = dict.fromkeys(spenders, 0.0)
            loads = []
            for name, batch in [("api", turns[0]), ("datasette", turns[0]),
                                ("datasette", turns[1]), ("api", turns[1])]:
                before = {part: cpu_seconds(spenders[part]) for part in sides[name]}
                timings, wall = (run_api if name == "api" else run_datasette)(batch)
                for part in sides[name]:
                    cpu[part] += cpu_seconds(spenders[part]) - before[part]
                results[name] = (results[name][0] + timings, results[name][1] + wall)
                loads.append(os.getloadavg()[0])
            return results, cpu, loads

        cold_race = race(cold)
        for _ in range(args.workers):  # warm-up: each worker has its own cache
            run_api(pool)
        run_datasette(pool)
        warm_race = race(warm)

        print(f"queries per API request: cold {queries_per_request}, cached {warm_queries}; "
              f"CPU counted: {len(spenders['django'])} gunicorn workers, "
              f"{len(spenders['postgres'])} Postgres backends of theirs, Datasette's process")
        print(summary("SQL floor cold, one connection", solo))
        print(summary(f"SQL floor cold, {args.concurrency} connections", floor, floor_wall))
        print(summary(f"SQL floor warm, {args.concurrency} connections", warm_floor,
                      warm_floor_wall))
        cpus = os.cpu_count() or 1
        for label, (results, cpu, loads) in [("cold", cold_race), ("warm", warm_race)]:
            api_ms, api_wall = results["api"]
            ds_ms, ds_wall = results["datasette"]
            print(f"-- {label} --")
            print(summary(f"API over HTTP, {args.concurrency} clients", api_ms, api_wall))
            print(summary(f"Datasette over HTTP, {args.concurrency} clients", ds_ms, ds_wall))
            p95 = percentile(api_ms, 95)
            ratio = (len(api_ms) / api_wall) / (len(ds_ms) / ds_wall)
            print(f"target API p95 <= {TARGET_P95_MS:.0f} ms: "
                  f"{'meets' if p95 <= TARGET_P95_MS else 'MISSES'} ({p95:.1f} ms)")
            print(f"target API >= {TARGET_RATIO}x Datasette's throughput: "
                  f"{'meets' if ratio >= TARGET_RATIO else 'MISSES'} ({ratio:.2f}x)")
            django_cpu = cpu["django"] / len(api_ms) * 1000
            postgres_cpu = cpu["postgres"] / len(api_ms) * 1000
            redis_cpu = cpu["redis"] / len(api_ms) * 1000
            api_cpu = django_cpu + postgres_cpu + redis_cpu
            ds_cpu = cpu["datasette"] / len(ds_ms) * 1000
            print(f"load average during the turns: {', '.join(f'{x:.1f}' for x in loads)}")
            print(f"CPU per request: API {api_cpu:.1f} ms (Django {django_cpu:.1f} + Postgres "
                  f"{postgres_cpu:.1f} + Redis {redis_cpu:.1f}), Datasette {ds_cpu:.1f} ms")
            print(f"CPU per request of the load's own client (this process, sharing the "
                  f"{cpus} CPUs): API {cpu['api client'] / len(api_ms) * 1000:.1f} ms, "
                  f"Datasette {cpu['datasette client'] / len(ds_ms) * 1000:.1f} ms")
            print(f"throughput from CPU on {cpus} otherwise idle CPUs: API "
                  f"{1000 * cpus / api_cpu:.0f}/s, Datasette {1000 * cpus / ds_cpu:.0f}/s "
                  f"({ds_cpu / api_cpu:.2f}x)")
    finally:
        stop(servers)
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
