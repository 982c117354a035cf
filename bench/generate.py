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
import calendar
import os
import random
import subprocess
import sys
import time
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_NAME = "timeline_bench"
FIRST_DAY = date(2016, 1, 1)
DAYS = 3653  # ten years, to 2025-12-31
CHUNK_ROWS = 20_000
NULL = "\\N"

# Share of events per PLOVER type: violence dominates war reporting.
TYPE_WEIGHTS = {
    "ASSAULT": 34, "ACCUSE": 10, "COERCE": 8, "THREATEN": 6, "MOBILIZE": 6, "CONSULT": 7,
    "PROTEST": 5, "SANCTION": 4, "REQUEST": 4, "REJECT": 3, "AID": 3, "SUPPORT": 3,
    "AGREE": 2, "COOPERATE": 2, "RETREAT": 2, "CONCEDE": 1,
}
VERBS = {
    "ASSAULT": ["shelled", "struck", "attacked", "bombed", "raided"],
    "ACCUSE": ["accused", "blamed", "condemned"],
    "COERCE": ["detained", "blockaded", "expelled"],
    "THREATEN": ["threatened", "warned"],
    "MOBILIZE": ["deployed troops near", "mobilised reservists near"],
    "CONSULT": ["met", "held talks with", "called"],
    "PROTEST": ["protested against", "rallied against"],
    "SANCTION": ["sanctioned", "imposed sanctions on"],
    "REQUEST": ["asked", "appealed to"],
    "REJECT": ["rejected the proposal of", "refused"],
    "AID": ["sent aid to", "delivered supplies to"],
    "SUPPORT": ["backed", "praised"],
    "AGREE": ["agreed a ceasefire with", "signed a deal with"],
    "COOPERATE": ["exchanged prisoners with", "cooperated with"],
    "RETREAT": ["withdrew from", "pulled back from"],
    "CONCEDE": ["conceded to", "eased restrictions on"],
}
DATE_PHRASES = [
    ("on Monday", "weekday before the publication date"),
    ("on Tuesday", "weekday before the publication date"),
    ("yesterday", "the day before the publication date"),
    ("last night", "the night before the publication date"),
    ("earlier this week", "range: the week of the publication date"),
    ("on {day} {month}", "day and month in the publication year"),
    ("in {month}", "month of the publication year"),
]
WORDS = (
    "officials said the situation remained tense after the latest reports from the area "
    "residents described explosions heavy damage to buildings and roads while local "
    "authorities promised an investigation and international observers called for calm"
).split()
MONTHS = [calendar.month_name[m] for m in range(1, 13)]


@dataclass(frozen=True, slots=True)
class Scale:
    """Row counts; the defaults are the issue's million-event data set."""

    events: int = 1_000_000
    actors: int = 5_000
    places: int = 20_000
    outlets: int = 300

    @property
    def articles(self) -> int:
        return max(1_000, self.events // 5)


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


# -- what ---------------------------------------------------------------------------------


def _escape(value: str) -> str:
    """COPY text format: backslash, tab, newline and carriage return are escaped."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _row(*values) -> str:
    out = []
    for value in values:
        if value is None:
            out.append("\\N")
        elif isinstance(value, bool):
            out.append("t" if value else "f")
        elif isinstance(value, str):
            out.append(_escape(value))
        else:
            out.append(str(value))
    return "\t".join(out) + "\n"


def _day_weights(rng: random.Random) -> list[float]:
    """Reporting intensity per day: quiet years, an escalation, and bursts."""
    weights = []
    burst = 1.0
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        base = 1.0 if day < date(2022, 2, 24) else 4.0
        if rng.random() < 0.01:
            burst = rng.uniform(2, 5)  # a battle: a few heavy weeks
        burst = max(1.0, burst * 0.97)
        weights.append(base * burst * (0.7 if day.weekday() >= 5 else 1.0))
    return weights


def _zipf_cum(n: int, exponent: float) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(n)))


class Generator:
    """Keeps the few things rows refer to across tables (names, days, article sentences)."""

    def __init__(self, scale: Scale, seed: int):
        self.scale = scale
        self.rng = random.Random(seed)
        self.day_cum = list(accumulate(_day_weights(self.rng)))
        self.actor_cum = _zipf_cum(scale.actors, 0.9)
        self.place_cum = _zipf_cum(scale.places, 1.0)
        self.outlet_cum = _zipf_cum(scale.outlets, 0.8)
        self.type_names = list(TYPE_WEIGHTS)
        self.type_cum = list(accumulate(TYPE_WEIGHTS.values()))
        self.actor_names: list[str] = []
        self.place_names: list[str] = []
        # Articles: publication day, and the sentences of the text (start offsets, lengths).
        self.article_day = array("H")
        self.article_starts: list[array] = []
        self.article_lengths: list[array] = []
        self.article_sentence_ids: list[array] = []
        self.articles_by_day: list[list[int]] = [[] for _ in range(DAYS)]
        self.sentences = [self._sentence() for _ in range(20_000)]
        self.day_text = [str(FIRST_DAY + timedelta(days=d)) for d in range(DAYS)]

    def pick(self, cum: list[float]) -> int:
        return bisect_left(cum, self.rng.random() * cum[-1])

    def _sentence(self) -> str:
        words = self.rng.sample(WORDS, self.rng.randint(9, 18))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    # Each method yields COPY rows for one table.
    def outlets(self) -> Iterator[str]:
        for i in range(1, self.scale.outlets + 1):
            yield _row(i, f"Outlet {i}", f"outlet{i}.example", "", "")

    def actors(self) -> Iterator[str]:
        kinds = ["state", "armed_group", "organization", "person", "other"]
        for i in range(1, self.scale.actors + 1):
            name = f"Actor {i}" if i > 50 else f"Country {i}"
            self.actor_names.append(name)
            yield _row(i, name, kinds[i % len(kinds)], "", "{}")

    def places(self) -> Iterator[str]:
        rng = self.rng
        for i in range(1, self.scale.places + 1):
            name = f"Place {i}"
            self.place_names.append(name)
            located = rng.random() < 0.9
            # Most places in one theatre, a few elsewhere in the world.
            if rng.random() < 0.85:
                lat, lon = rng.uniform(44.0, 52.5), rng.uniform(22.0, 40.5)
            else:
                lat, lon = rng.uniform(-40, 65), rng.uniform(-120, 150)
            yield _row(
                i, name, "Ukraine" if i % 3 else "Other", "", round(lat, 5) if located else None,
                round(lon, 5) if located else None, "", "{}",
            )

    def articles(self) -> Iterator[str]:
        rng = self.rng
        days = sorted(self.pick(self.day_cum) for _ in range(self.scale.articles))
        for i, day in enumerate(days):
            article_id = i + 1
            self.article_day.append(day)
            self.articles_by_day[day].append(article_id)
            ids = array("H", (rng.randrange(len(self.sentences)) for _ in range(rng.randint(10, 20))))
            parts, starts, lengths, offset = [], array("I"), array("H"), 0
            for n, sentence_id in enumerate(ids):
                sentence = self.sentences[sentence_id]
                separator = "" if n == 0 else ("\n" if n % 3 == 0 else " ")
                offset += len(separator)
                parts.append(separator + sentence)
                starts.append(offset)
                lengths.append(len(sentence))
                offset += len(sentence)
            self.article_starts.append(starts)
            self.article_lengths.append(lengths)
            self.article_sentence_ids.append(ids)
            published = FIRST_DAY + timedelta(days=day)
            stamp = f"{published} 09:00:00+00"
            yield _row(
                article_id, f"https://outlet.example/a/{article_id}", f"Report {article_id}",
                "".join(parts), "en", published, "metadata", "feed", "", f"{article_id:064x}",
                None, "{}", "done", "", 1, "bench-1", None, stamp, stamp,
                self.pick(self.outlet_cum) + 1,
            )

    def _article_near(self, day: int) -> int:
        for _ in range(4):
            near = min(DAYS - 1, day + self.rng.randint(0, 6))
            candidates = self.articles_by_day[near]
            if candidates:
                return self.rng.choice(candidates)
        return self.rng.randint(1, self.scale.articles)

    def events(self, evidence_rows: list[str], actor_rows: list[str],
               claim_rows: list[str]) -> Iterator[str]:
        """Event rows; their evidence, actor links and claims go to the given lists."""
        rng = self.rng
        evidence_id = actor_link_id = claim_id = 0
        source_choices = [1, 2, 3, 4, 5, 6, 8, 12]
        source_cum = list(accumulate([25, 25, 18, 12, 8, 5, 5, 2]))
        # Ids follow the order events are recorded in: mostly as the news arrives (so the
        # table is roughly in date order, as in production), a few backfilled later.
        days = sorted(self.pick(self.day_cum) for _ in range(self.scale.events))
        for i in rng.sample(range(len(days)), len(days) // 20):
            days[i] = self.pick(self.day_cum)
        for i, day in enumerate(days):
            event_id = i + 1
            start = FIRST_DAY + timedelta(days=day)
            kind = rng.random()
            if kind < 0.85:
                precision, end = "day", None
            elif kind < 0.93:
                precision, end = "range", start + timedelta(days=rng.randint(1, 9))
            elif kind < 0.999:
                precision = "month"
                start = start.replace(day=1)
                end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
            else:
                precision, start, end = "year", date(start.year, 1, 1), date(start.year, 12, 31)
            event_type = self.type_names[bisect_left(self.type_cum, rng.random() * self.type_cum[-1])]
            actors = sorted({self.pick(self.actor_cum) + 1 for _ in range(rng.choice((1, 2, 2, 3)))})
            place = self.pick(self.place_cum) + 1 if rng.random() < 0.85 else None
            place_name = self.place_names[place - 1] if place else "the region"
            title = (
                f"{self.actor_names[actors[0] - 1]} {rng.choice(VERBS[event_type])} "
                f"{place_name}"
            )
            status_roll = rng.random()
            status = "published" if status_roll < 0.8 else "draft" if status_roll < 0.97 else "rejected"
            editor = rng.random() < 0.03
            sources = source_choices[bisect_left(source_cum, rng.random() * source_cum[-1])]
            articles = {self._article_near(day) for _ in range(sources)}
            quotes = []
            day_text = self.day_text
            # Hot loop: rows are formatted directly; generated text has no tab, newline or
            # backslash except where written escaped ("\\n").
            for article_id in articles:
                index = article_id - 1
                n = rng.randrange(len(self.article_starts[index]))
                char_start = self.article_starts[index][n]
                quote = self.sentences[self.article_sentence_ids[index][n]]
                quotes.append(quote)
                phrase, rule = rng.choice(DATE_PHRASES)
                if "{" in phrase:
                    phrase = phrase.format(day=start.day, month=MONTHS[start.month - 1])
                evidence_id += 1
                anchor = day_text[self.article_day[index]]
                evidence_rows.append(
                    f"{evidence_id}\t{quote}\t{char_start}\t"
                    f"{char_start + self.article_lengths[index][n]}\t{phrase}\t{rule}\t"
                    f"{anchor}\t\textracted\t{anchor} 10:00:00+00\t{article_id}\t{event_id}\n"
                )
            for actor in actors:
                actor_link_id += 1
                actor_rows.append(f"{actor_link_id}\t{event_id}\t{actor}\n")
            if event_type == "ASSAULT" and rng.random() < 0.3:
                for claimant, value in (("officials", rng.randint(1, 20)),
                                        ("local media", rng.randint(1, 30))):
                    claim_id += 1
                    claim_rows.append(_row(
                        claim_id, "fatalities", str(value), claimant, "extracted",
                        f"{start} 12:00:00+00", None, event_id, None,
                    ))
            search_text = "\\n".join(
                [title, *(self.actor_names[a - 1] for a in actors), *quotes[:3]]
            )
            created = f"{start + timedelta(days=1)} 12:00:00+00"
            yield (
                f"{event_id}\t{start}\t{end if end else NULL}\t{precision}\t{title}\t\t"
                f"{event_type}\t\t{status}\t{'editor' if editor else 'extracted'}\t"
                f"{'t' if rng.random() < 0.1 else 'f'}\tf\t{rng.uniform(0.3, 1.0):.3f}\t"
                f"{len(articles)}\t{search_text}\t{{}}\tbench-1\t{created}\t{created}\t"
                f"{place if place else NULL}\n"
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
        for table, rows in (
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
    step("rebuilding indexes and constraints")
    _rebuild(url, rebuild, log)
    with psycopg.connect(url, autocommit=True) as conn:
        for table in BULK_TABLES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        step("vacuum analyze")
        for table in BULK_TABLES:
            # VACUUM sets the visibility map, so index-only scans work as in production.
            conn.execute(f"VACUUM (ANALYZE) {table}")
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
