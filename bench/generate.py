"""Fill a separate PostgreSQL database with realistic timeline data, fast, with COPY.

    .venv/bin/python bench/generate.py --events 1000000       # ~3M evidence, 200k articles
    .venv/bin/python bench/generate.py --events 100000        # a quick check
    .venv/bin/python bench/generate.py --database-url postgres://.../timeline_bench

The target is never the development or a test database: its name must contain "bench"
(default: "timeline_bench" on the project's private server, or on DATABASE_URL's server).
The database is dropped and created anew, migrated, filled, VACUUMed and ANALYZEd. Secondary
indexes and foreign keys are dropped during the load and rebuilt after it, which is much
faster than maintaining them row by row.

Used by bench/page_bench.py and by the API benchmarks: import `bench_database_url`,
`generate` and `Scale` from here.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Re-exported: the benchmarks draw their filters from the same calendar and types.
from bench.data import DAYS, FIRST_DAY, TYPE_WEIGHTS, Generator, Scale  # noqa: E402, F401
DEFAULT_DB_NAME = "timeline_bench"
CHUNK_ROWS = 20_000


# -- where --------------------------------------------------------------------------------


def _with_db_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def bench_database_url(explicit: str | None = None) -> str:
    """The benchmark database's URL; refuses any database whose name lacks "bench"."""
    url = explicit or os.environ.get("BENCH_DATABASE_URL")
    if not url and os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        if "bench" not in urlsplit(url).path:
            url = _with_db_name(url, DEFAULT_DB_NAME)
    if not url:
        sys.path.insert(0, str(ROOT))
        from devenv.postgres import PrivatePostgres

        server = PrivatePostgres(Path(os.environ.get("LOCAL_DIR", ROOT / ".local")) / "postgres")
        server.start()
        url = server.url(DEFAULT_DB_NAME)
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name or name.startswith("test"):
        raise SystemExit(f"refusing to fill database {name!r}: its name must contain 'bench'")
    return url


def recreate_database(url: str) -> None:
    """A fresh, empty database with the extensions the migrations expect.

    Always from scratch: a load that stopped half-way leaves no dropped index behind.
    """
    name = urlsplit(url).path.lstrip("/")
    assert "bench" in name, name
    with psycopg.connect(_with_db_name(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as conn:
        for extension in ("pg_trgm", "unaccent", "btree_gist"):
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")


def migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        check=True, env=env, cwd=ROOT,
    )


# -- how ------------------------------------------------------------------------------------

COLUMNS = {
    "timeline_outlet": "id, name, domain, country, notes",
    "timeline_actor": "id, name, kind, country, aliases",
    "timeline_place": "id, name, country, region, latitude, longitude, gazetteer_id, aliases",
    "timeline_article": (
        "id, url, title, text, language, published_on, published_basis, source, source_name, "
        "content_sha256, raw, metadata, status, error, attempts, extractor_version, claimed_at, "
        "created_at, updated_at, outlet_id"
    ),
    "timeline_event": (
        "id, date_start, date_end, precision, title, summary, event_type, mode, status, origin, "
        "verified, needs_review, confidence, source_count, search_text, locked_fields, "
        "extractor_version, created_at, updated_at, place_id"
    ),
    "timeline_evidence": (
        "id, quote, char_start, char_end, date_text, date_rule, anchor_date, speaker, origin, "
        "created_at, article_id, event_id"
    ),
    "timeline_event_actors": "id, event_id, actor_id",
    "timeline_claim": (
        "id, kind, value, claimant, origin, created_at, claimant_actor_id, event_id, evidence_id"
    ),
}
BULK_TABLES = list(COLUMNS)


EMPTY_BY_TYPE = {"ARRAY": "{}", "jsonb": "{}", "json": "{}", "boolean": "f"}


def _other_required_columns(conn: psycopg.Connection, table: str) -> dict[str, str]:
    """NOT NULL columns without a default that the generator does not know (added by a
    later migration), with an empty value of their type, so the load keeps working."""
    known = {c.strip() for c in COLUMNS[table].split(",")}
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
        "AND is_nullable = 'NO' AND column_default IS NULL",
        [table],
    ).fetchall()
    return {
        name: EMPTY_BY_TYPE.get(data_type, "0" if data_type in (
            "integer", "bigint", "smallint", "double precision", "numeric", "real") else "")
        for name, data_type in rows
        if name not in known
    }


def _copy(conn: psycopg.Connection, table: str, rows) -> int:
    count = 0
    extra = _other_required_columns(conn, table)
    columns = ", ".join([COLUMNS[table], *extra])
    suffix = "".join("\t" + value for value in extra.values()) + "\n"
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        chunk: list[str] = []
        for row in rows:
            chunk.append(row[:-1] + suffix if extra else row)
            if len(chunk) >= CHUNK_ROWS:
                copy.write("".join(chunk))
                count += len(chunk)
                chunk.clear()
        if chunk:
            copy.write("".join(chunk))
            count += len(chunk)
    return count


def _drop_secondary(conn: psycopg.Connection) -> list[str]:
    """Drop foreign keys, unique constraints and secondary indexes; return how to rebuild."""
    tables = BULK_TABLES
    rebuild: list[str] = []
    constraints = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'u') "
        "ORDER BY contype DESC",  # unique before foreign keys when rebuilding
        [tables],
    ).fetchall()
    for table, name, definition in constraints:
        rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    indexes = conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [tables],
    ).fetchall()
    for table, name, _ in reversed(constraints):
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, definition in indexes:
        conn.execute(f'DROP INDEX "{name}"')
        rebuild.append(definition)
    return rebuild


def _rebuild(url: str, statements: list[str], log=print) -> None:
    """Indexes first, two at a time (two cores); then the constraints, which use them."""
    indexes = [s for s in statements if not s.startswith("ALTER TABLE")]
    constraints = [s for s in statements if s.startswith("ALTER TABLE")]

    def run(statement: str) -> None:
        started = time.monotonic()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '1GB'")
            conn.execute("SET max_parallel_maintenance_workers = 0")
            conn.execute(statement)
        log(f"    {time.monotonic() - started:6.1f}s  {statement[:90]}")

    # The slow GIN indexes first so they do not end up last and alone.
    indexes.sort(key=lambda s: "gin" not in s.lower())
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, indexes))
    uniques = [s for s in constraints if " UNIQUE " in s]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, uniques))
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, [s for s in constraints if s not in uniques]))


GENERATION_TRIGGERS = ("timeline_generation", "timeline_generation_truncate")
EVENT_JSON_TRIGGERS = (
    "timeline_event_json", "timeline_event_json_insert", "timeline_event_json_update",
    "timeline_event_json_delete",
)
LOADED_FIRST = ["timeline_outlet", "timeline_actor", "timeline_place", "timeline_article"]


def _load_triggers(conn: psycopg.Connection, enable: bool) -> list[str]:
    """Switch the timeline's own triggers off or on for the loaded tables; returns the
    tables they were switched on.

    - The generation's (migration 0007): left on, COPY queues one deferred trigger event
      per row (3M for the evidence alone) and runs them at commit. After the load, one
      explicit bump tells every cache that the data changed.
    - EventJSON's (migration 0010): left on, the evidence's COPY would rebuild the JSON of
      every event while the indexes are dropped; it is built once after the load
      (_build_event_json).
    """
    triggers = [*GENERATION_TRIGGERS, *EVENT_JSON_TRIGGERS]
    found = conn.execute(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = ANY(%s) AND c.relname = ANY(%s) ORDER BY 1, 2",
        [triggers, [*BULK_TABLES, *LOADED_FIRST]],
    ).fetchall()
    action = "ENABLE" if enable else "DISABLE"
    for table, trigger in found:
        conn.execute(f"ALTER TABLE {table} {action} TRIGGER {trigger}")
    if enable and found:
        conn.execute("UPDATE timeline_generation SET value = value + 1 WHERE id = 1")
    return sorted({table for table, _ in found})


def _build_event_json(url: str, parts: int = 2) -> int:
    """Every event's EventJSON row, from the database's own function (migration 0010), in
    `parts` id ranges at once (one per core)."""
    with psycopg.connect(url) as conn:
        low, high = conn.execute("SELECT min(id), max(id) FROM timeline_event").fetchone()
    if low is None:
        return 0
    step = (high - low) // parts + 1

    def build(start: int) -> int:
        with psycopg.connect(url, autocommit=True) as conn:
            return conn.execute(
                "INSERT INTO timeline_eventjson (event_id, actors, evidence) "
                "SELECT * FROM timeline_event_json_of(ARRAY("
                "SELECT id FROM timeline_event WHERE id >= %s AND id < %s))",
                [start, start + step],
            ).rowcount

    with ThreadPoolExecutor(max_workers=parts) as pool:
        return sum(pool.map(build, range(low, high + 1, step)))


def generate(url: str, scale: Scale, seed: int = 1, log=print) -> dict[str, int]:
    """Create, migrate and fill the bench database; returns rows per table."""
    started = time.monotonic()

    def step(message: str) -> None:
        log(f"[{time.monotonic() - started:6.1f}s] {message}")

    recreate_database(url)
    step("migrating")
    migrate(url)
    gen = Generator(scale, seed)
    counts: dict[str, int] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        rebuild = _drop_secondary(conn)
        step(f"dropped {len(rebuild)} indexes and constraints for the load")
        switched = _load_triggers(conn, enable=False)
        step(f"generation and EventJSON triggers off on {len(switched)} tables for the load")
        for table, rows in (  # the order of LOADED_FIRST
            ("timeline_outlet", gen.outlets()),
            ("timeline_actor", gen.actors()),
            ("timeline_place", gen.places()),
            ("timeline_article", gen.articles()),
        ):
            counts[table] = _copy(conn, table, rows)
            step(f"{table}: {counts[table]:,} rows")
        evidence: list[str] = []
        actor_links: list[str] = []
        claims: list[str] = []
        counts["timeline_event"] = _copy(
            conn, "timeline_event", gen.events(evidence, actor_links, claims)
        )
        step(f"timeline_event: {counts['timeline_event']:,} rows")
        for table, rows in (
            ("timeline_evidence", evidence),
            ("timeline_event_actors", actor_links),
            ("timeline_claim", claims),
        ):
            counts[table] = _copy(conn, table, iter(rows))
            rows.clear()
            step(f"{table}: {counts[table]:,} rows")
        _load_triggers(conn, enable=True)
        step("triggers on again, generation moved once")
    step("rebuilding indexes and constraints")
    _rebuild(url, rebuild, log)
    with psycopg.connect(url, autocommit=True) as conn:
        for table in BULK_TABLES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        step("vacuum analyze")
        # Before the EventJSON build, whose plan needs the statistics (without them it was
        # left to autovacuum's timing: 70-140 s in one run, 3,300 s in another). VACUUM sets
        # the visibility map, so index-only scans work as in production.
        for table in BULK_TABLES:
            conn.execute(f"VACUUM (ANALYZE) {table}")
    counts["timeline_eventjson"] = _build_event_json(url)
    step(f"timeline_eventjson: {counts['timeline_eventjson']:,} rows")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) timeline_eventjson")
    step("done")
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=Scale.events)
    parser.add_argument("--database-url", default=None,
                        help="default: BENCH_DATABASE_URL, else DATABASE_URL's server, "
                             "database 'timeline_bench'")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    url = bench_database_url(args.database_url)
    counts = generate(url, Scale(events=args.events), seed=args.seed)
    print(" ".join(f"{table.removeprefix('timeline_')}={n:,}" for table, n in counts.items()))


if __name__ == "__main__":
    main()
