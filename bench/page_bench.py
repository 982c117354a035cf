"""The filtered first page under concurrent load, cold and warm, next to the raw SQL time.

    .venv/bin/python bench/generate.py --events 1000000      # once (a few minutes)
    .venv/bin/python bench/page_bench.py                     # p50/p95, HTTP and SQL

A page is one event type (drawn by its share of events) and a 30-day date range somewhere
in the ten years. The same run measures:

1. the SQL floor: the exact queries each cold page ran (captured in-process, a cache miss:
   the generation read plus the page's own queries), replayed with psycopg, alone and
   from `--concurrency` connections at once;
2. cold pages: gunicorn on 127.0.0.1 (production settings, DEBUG off, the render cache on
   as deployed: LocMem in each worker unless CACHE_URL is set), every URL requested once
   and never before, so no cache can answer: `--concurrency` clients, then one client
   (on other URLs, cold too);
3. warm pages: readers repeating a limited set of popular filters: `--popular` distinct
   URLs drawn with a Zipf-like distribution (weight 1/rank), after one warm-up pass over
   them; `--concurrency` clients, then one client. By default each gunicorn worker keeps
   its own cache (LocMem), so a draw may still miss in the worker that takes it; with
   `--redis` all workers share a private redis-server, as docker-compose deploys
   (CACHE_URL).

Each request is on a fresh connection. Figures are printed, not asserted (the target in
issue 5: p95 <= 50 ms for the filtered first page with 10 concurrent connections).

Workers: gunicorn sync workers, 3 by default on this 2-core machine: one per core plus one
to use the time a worker waits for Postgres, which runs on the same two cores. More
workers only queue on the same CPUs and split the per-process cache further.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from itertools import accumulate
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import DAYS, FIRST_DAY, TYPE_WEIGHTS, Scale, bench_database_url, generate  # noqa: E402

TARGET_P95_MS = 50.0


def filter_urls(count: int, seed: int, window_days: int = 30) -> list[str]:
    """`count` distinct first-page URLs: a type plus a date range, in random order."""
    rng = random.Random(seed)
    types, cum = list(TYPE_WEIGHTS), list(accumulate(TYPE_WEIGHTS.values()))
    urls: set[str] = set()
    while len(urls) < count:
        event_type = rng.choices(types, cum_weights=cum)[0]
        start = FIRST_DAY + timedelta(days=rng.randrange(DAYS - window_days))
        end = start + timedelta(days=window_days - 1)
        urls.add(f"/?event_type={event_type}&date_from={start}&date_to={end}")
    return sorted(urls, key=lambda _: rng.random())


def zipf_draws(popular: Sequence, count: int, seed: int, s: float = 1.0) -> list:
    """`count` draws over the popular items, the k-th most popular with weight 1/k**s."""
    rng = random.Random(seed)
    weights = [1 / rank ** s for rank in range(1, len(popular) + 1)]
    return rng.choices(popular, weights=weights, k=count)


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary(name: str, millis: Sequence[float], wall: float | None = None) -> str:
    line = (
        f"{name:<44} n={len(millis):<5} p50={percentile(millis, 50):7.1f} ms  "
        f"p95={percentile(millis, 95):7.1f} ms  max={max(millis):7.1f} ms"
    )
    if wall:
        line += f"  {len(millis) / wall:6.1f}/s"
    return line


def _server_env(url: str, static_root: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "STATIC_ROOT": static_root,
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Per process unless --redis: the capture must not fill a cache the server reads.
        "CACHE_URL": "",
    }


def start_redis() -> tuple[subprocess.Popen, str]:
    """A private redis-server that keeps nothing on disk, and its URL (for CACHE_URL)."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL,
    )
    return server, f"redis://127.0.0.1:{port}/0"


def capture_page_sql(env: dict[str, str], urls: Sequence[str]) -> list[list[str]]:
    """The SQL each page runs, captured in this process with the same settings."""
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    pages = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        pages.append([q["sql"] for q in captured.captured_queries])
    connection.close()
    return pages


def replay_sql(url: str, pages: Sequence[list[str]], concurrency: int) -> tuple[list[float], float]:
    """Milliseconds per page for running its queries, from `concurrency` connections."""
    lock = threading.Lock()
    queue = list(pages)
    timings: list[float] = []

    def worker() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            while True:
                with lock:
                    if not queue:
                        return
                    queries = queue.pop()
                started = time.perf_counter()
                for sql in queries:
                    conn.execute(sql).fetchall()  # no params: sent as captured
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    timings.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    return timings, time.perf_counter() - started


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (all their threads), from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


# The server's connections say who they are (application_name in its DATABASE_URL), so
# that the CPU of other clients of the bench database is not counted as the server's.
APPLICATION_NAME = "page_bench_gunicorn"


def postgres_backends(url: str, application_name: str) -> list[int]:
    """The server processes of one application's connections to the bench database."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            " AND application_name = %s",
            (application_name,),
        ).fetchall()
    return [pid for (pid,) in rows]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60,
                  path: str = "/static/timeline/site.css") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server for {path} exited before serving")
        try:
            if get(port, path, timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {path} in time")


def stop(processes: Sequence[subprocess.Popen | None]) -> None:
    """Terminate the servers a bench started, killing those that do not stop."""
    for process in processes:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def load(port: int, urls: Sequence[str], concurrency: int,
         check: Callable[[bytes], bool]) -> tuple[list[float], float]:
    """Milliseconds per request with `concurrency` clients each sending one after another."""
    lock = threading.Lock()
    queue = list(urls)
    timings: list[float] = []
    errors: list[str] = []

    def client() -> None:
        while True:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            started = time.perf_counter()
            status, body = get(port, path)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status != 200 or not check(body):
                    errors.append(f"{status} {path}")
                timings.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(client) for _ in range(concurrency)]:
            future.result()
    wall = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} bad responses, e.g. {errors[:3]}")
    return timings, wall


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--generate", type=int, metavar="EVENTS", default=0,
                        help="fill the bench database with this many events first")
    parser.add_argument("--requests", type=int, default=600,
                        help="cold pages with --concurrency clients (each URL once)")
    parser.add_argument("--solo-requests", type=int, default=100,
                        help="cold pages with one client, on other URLs")
    parser.add_argument("--popular", type=int, default=200,
                        help="distinct URLs the warm requests repeat")
    parser.add_argument("--warm-requests", type=int, default=2000)
    parser.add_argument("--warm-solo-requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--redis", action="store_true",
                        help="one cache for all workers: a private redis-server (CACHE_URL)")
    args = parser.parse_args(argv)

    url = bench_database_url(args.database_url)
    if args.generate:
        generate(url, Scale(events=args.generate))
    with psycopg.connect(url) as conn:
        events = conn.execute("SELECT count(*) FROM timeline_event").fetchone()[0]
        evidence = conn.execute("SELECT count(*) FROM timeline_evidence").fetchone()[0]
    if not events:
        raise SystemExit("the bench database is empty: run bench/generate.py first")
    # One draw of distinct URLs, cut in parts that never share a URL.
    server_warmup = 60
    sizes = [server_warmup, args.requests, args.solo_requests, args.popular]
    distinct = filter_urls(sum(sizes), args.seed)
    ends = list(accumulate(sizes))
    warmup, cold, cold_solo, popular = (
        distinct[end - size:end] for size, end in zip(sizes, ends, strict=True)
    )
    warm = zipf_draws(popular, args.warm_requests, args.seed + 1)
    warm_solo = zipf_draws(popular, args.warm_solo_requests, args.seed + 2)
    print(f"data: {events:,} events, {evidence:,} evidence rows; filtered first pages "
          f"(1 type + 30 days); {args.workers} gunicorn sync workers, {os.cpu_count()} CPUs; "
          f"render cache: {'one redis for all workers' if args.redis else 'LocMem per worker'}; "
          f"warm: {len(set(warm))} of {len(popular)} popular URLs drawn in {len(warm)} "
          f"requests (Zipf 1/rank)")

    static_root = tempfile.mkdtemp(prefix="bench-static-")
    port = free_port()
    env = _server_env(url, static_root, port)
    server = redis = None
    results: list[str] = []
    loads: list[str] = []

    spenders: dict[str, list[int]] = {}  # the processes whose CPU a page costs
    cpu_lines: list[str] = []

    def measure(name: str, run: Callable[[], tuple[list[float], float]],
                count_cpu: bool = False) -> list[float]:
        load_before = os.getloadavg()[0]
        before = {side: cpu_seconds(pids) for side, pids in spenders.items()}
        millis, wall = run()
        results.append(summary(name, millis, wall))
        loads.append(f"{name}: {load_before:.1f}")
        if count_cpu:
            spent = {side: (cpu_seconds(pids) - before[side]) / len(millis) * 1000
                     for side, pids in spenders.items()}
            total = spent["django"] + spent["postgres"] + spent["redis"]
            cpu_lines.append(
                f"CPU per request, {name}: {total:.1f} ms (Django {spent['django']:.1f} + "
                f"Postgres {spent['postgres']:.1f} + Redis {spent['redis']:.1f}); the load's "
                f"own client (this process, sharing the CPUs) {spent['client']:.1f} ms"
            )
        return millis

    try:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
            check=True, env=env, cwd=ROOT,
        )
        # 1. The floor: the same queries, without Django.
        pages = capture_page_sql(env, cold)
        queries_per_page = sorted({len(p) for p in pages})
        measure("SQL floor (cold page), one connection",
                lambda: replay_sql(url, pages[: min(200, len(pages))], 1))
        measure(f"SQL floor (cold page), {args.concurrency} connections",
                lambda: replay_sql(url, pages, args.concurrency))

        if args.redis:
            # Started after the capture, so no page it rendered is in the cache.
            redis, cache_url = start_redis()
            env = {**env, "CACHE_URL": cache_url}
        separator = "&" if "?" in url else "?"
        env = {**env, "DATABASE_URL": f"{url}{separator}application_name={APPLICATION_NAME}"}
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--worker-class", "sync", "--log-level", "warning", "--backlog", "64"],
            env=env, cwd=ROOT,
        )
        wait_until_up(port, server)
        has_list = lambda body: b'id="event-list"' in body  # noqa: E731
        load(port, warmup, args.concurrency, has_list)  # imports, connections: not counted
        # The workers' persistent DB connections exist once the warm-up has run.
        spenders.update({
            "django": children(server.pid),
            "postgres": postgres_backends(url, APPLICATION_NAME),
            "redis": [redis.pid] if redis is not None else [],
            "client": [os.getpid()],
        })

        # 2. Cold: every URL new to every cache.
        cold_timings = measure(f"cold page, {args.concurrency} concurrent clients",
                               lambda: load(port, cold, args.concurrency, has_list), True)
        measure("cold page, one client", lambda: load(port, cold_solo, 1, has_list))

        # 3. Warm: the popular URLs once, then requests drawn from them.
        load(port, popular, args.concurrency, has_list)
        warm_timings = measure(f"warm page (Zipf), {args.concurrency} concurrent clients",
                               lambda: load(port, warm, args.concurrency, has_list), True)
        measure("warm page (Zipf), one client", lambda: load(port, warm_solo, 1, has_list))

        print(f"queries per cold page: {queries_per_page}")
        print("\n".join(results))
        print("\n".join(cpu_lines))
        print("machine load average (1 min) when each part began, "
              f"on {os.cpu_count()} CPUs (other processes share them): " + "; ".join(loads))
        for name, timings in (("cold", cold_timings), ("warm", warm_timings)):
            p95 = percentile(timings, 95)
            verdict = "meets" if p95 <= TARGET_P95_MS else "MISSES"
            print(f"{name}: target p95 <= {TARGET_P95_MS:.0f} ms with {args.concurrency} "
                  f"clients: {verdict} ({p95:.1f} ms)")
    finally:
        stop((server, redis))
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
