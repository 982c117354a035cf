"""Copy the benchmark's events from PostgreSQL into SQLite, for Datasette to serve.

    .venv/bin/python bench/datasette_export.py                # -> bench/out/events.sqlite

One flat `events` table (an event's place and actor names inline, as a table someone
browses in Datasette would have them), with `last_day` = coalesce(date_end, date_start) so
the timeline's date filter (the event's days overlap [from, to]) is a plain WHERE, and the
indexes that WHERE and its ORDER BY want.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import bench_database_url  # noqa: E402

DEFAULT_PATH = ROOT / "bench" / "out" / "events.sqlite"
COLUMNS = [
    ("id", "INTEGER PRIMARY KEY"), ("date_start", "TEXT NOT NULL"), ("date_end", "TEXT"),
    ("last_day", "TEXT NOT NULL"), ("precision", "TEXT"), ("title", "TEXT"), ("summary", "TEXT"),
    ("event_type", "TEXT NOT NULL"), ("mode", "TEXT"), ("status", "TEXT NOT NULL"),
    ("verified", "INTEGER"), ("confidence", "REAL"), ("source_count", "INTEGER"),
    ("place", "TEXT"), ("country", "TEXT"), ("latitude", "REAL"), ("longitude", "REAL"),
    ("actors", "TEXT"), ("updated_at", "TEXT"),
]
SELECT = """
    SELECT e.id, e.date_start::text, e.date_end::text, coalesce(e.date_end, e.date_start)::text,
           e.precision, e.title, e.summary, e.event_type, e.mode, e.status, e.verified::int,
           e.confidence, e.source_count, p.name, p.country, p.latitude, p.longitude,
           (SELECT string_agg(a.name, '; ' ORDER BY a.name) FROM timeline_event_actors ea
              JOIN timeline_actor a ON a.id = ea.actor_id WHERE ea.event_id = e.id),
           e.updated_at::text
    FROM timeline_event e LEFT JOIN timeline_place p ON p.id = e.place_id
"""
INDEXES = [
    # The filtered page in (date_start, id) order: equality on type and status, then that
    # order (no sort), with last_day in the index so the overlap test reads no rows.
    "CREATE INDEX events_type_status_date ON events (event_type, status, date_start, id, last_day)",
    "CREATE INDEX events_status_date ON events (status, date_start, id, last_day)",
]


def export(url: str, path: Path, log=print) -> int:
    """Write every event to a new SQLite file at `path`; returns the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    db = sqlite3.connect(partial)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(f"CREATE TABLE events ({', '.join(f'{n} {t}' for n, t in COLUMNS)})")
    insert = f"INSERT INTO events VALUES ({', '.join('?' * len(COLUMNS))})"
    rows = 0
    with psycopg.connect(url) as conn, conn.cursor(name="events_export") as cursor:
        cursor.itersize = 20_000
        cursor.execute(SELECT)
        while batch := cursor.fetchmany(20_000):
            db.executemany(insert, batch)
            rows += len(batch)
    for statement in INDEXES:
        db.execute(statement)
    db.execute("ANALYZE")
    db.commit()
    db.close()
    partial.replace(path)
    log(f"exported {rows:,} events to {path} in {time.perf_counter() - started:.0f} s")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    export(bench_database_url(args.database_url), args.out)


if __name__ == "__main__":
    main()
