"""The filtered first page under concurrent load, next to the raw SQL time of its queries.

    .venv/bin/python bench/generate.py --events 1000000      # once (a few minutes)
    .venv/bin/python bench/page_bench.py                     # p50/p95, HTTP and SQL

Each request asks for a different filter: one event type (drawn by its share of events) and
a 30-day date range somewhere in the ten years, so no cache of any kind answers twice.
The same run measures, for the same URLs:

1. the SQL floor: the exact queries each page ran (captured in-process), replayed with
   psycopg, alone and from `--concurrency` connections at once;
2. the page: gunicorn on 127.0.0.1 (production settings, DEBUG off), `--concurrency`
   client threads with http.client, each request on a fresh connection.

Figures are printed, not asserted (see the issue note for the target: p95 <= 50 ms).
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
    """`count` distinct first-page URLs: a type plus a date range."""
    rng = random.Random(seed)
    types, cum = list(TYPE_WEIGHTS), list(accumulate(TYPE_WEIGHTS.values()))
    urls: set[str] = set()
    while len(urls) < count:
        event_type = rng.choices(types, cum_weights=cum)[0]
        start = FIRST_DAY + timedelta(days=rng.randrange(DAYS - window_days))
        end = start + timedelta(days=window_days - 1)
        urls.add(f"/?event_type={event_type}&date_from={start}&date_to={end}")
    return sorted(urls, key=lambda _: rng.random())


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
    }


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


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before serving")
        try:
            if get(port, "/static/timeline/site.css", timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start in time")


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
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    url = bench_database_url(args.database_url)
    if args.generate:
        generate(url, Scale(events=args.generate))
    with psycopg.connect(url) as conn:
        events = conn.execute("SELECT count(*) FROM timeline_event").fetchone()[0]
        evidence = conn.execute("SELECT count(*) FROM timeline_evidence").fetchone()[0]
    if not events:
        raise SystemExit("the bench database is empty: run bench/generate.py first")
    warmup = filter_urls(60, args.seed + 1)
    urls = filter_urls(args.requests, args.seed)
    print(f"data: {events:,} events, {evidence:,} evidence rows; {len(urls)} distinct "
          f"filtered first pages (1 type + 30 days), concurrency {args.concurrency}, "
          f"{args.workers} gunicorn workers, {os.cpu_count()} CPUs")

    static_root = tempfile.mkdtemp(prefix="bench-static-")
    port = free_port()
    env = _server_env(url, static_root, port)
    server = None
    try:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
            check=True, env=env, cwd=ROOT,
        )
        # 1. The floor: the same queries, without Django.
        pages = capture_page_sql(env, urls)
        queries_per_page = sorted({len(p) for p in pages})
        solo, _ = replay_sql(url, pages[: min(200, len(pages))], 1)
        floor, floor_wall = replay_sql(url, pages, args.concurrency)

        # 2. The page over HTTP.
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
             "--worker-class", "sync", "--log-level", "warning", "--backlog", "64"],
            env=env, cwd=ROOT,
        )
        wait_until_up(port, server)
        has_list = lambda body: b'id="event-list"' in body  # noqa: E731
        load(port, warmup, args.concurrency, has_list)
        load_before = os.getloadavg()[0]
        timings, wall = load(port, urls, args.concurrency, has_list)
        # One client at a time: the service time, without queueing behind the others.
        alone, _ = load(port, urls[:100], 1, has_list)

        print(f"queries per page: {queries_per_page}")
        print(summary("SQL floor, one connection", solo))
        print(summary(f"SQL floor, {args.concurrency} connections", floor, floor_wall))
        print(summary(f"page over HTTP, {args.concurrency} concurrent clients", timings, wall))
        print(summary("page over HTTP, one client", alone))
        print(f"machine load average (1 min) when the load began: {load_before:.1f} "
              f"on {os.cpu_count()} CPUs (other processes share them)")
        p95 = percentile(timings, 95)
        verdict = "meets" if p95 <= TARGET_P95_MS else "MISSES"
        print(f"target p95 <= {TARGET_P95_MS:.0f} ms: {verdict} ({p95:.1f} ms)")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
