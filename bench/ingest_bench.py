"""Ingest throughput: a synthetic corpus end to end (enqueue to committed) through real
Celery workers, with 1 and with 2 worker processes, next to extraction-only speed.

Runs on its own database ("timeline_ingest_bench") on the server DATABASE_URL names (the
private one by default), created and migrated here; nothing else is touched.

    python bench/ingest_bench.py            # 5,000 articles, filesystem broker
    BENCH_INGEST_SIZE=1000 BENCH_BROKER=redis python bench/ingest_bench.py
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
BENCH_DB = "timeline_ingest_bench"
SIZE = int(os.environ.get("BENCH_INGEST_SIZE", "5000"))
BROKER = os.environ.get("BENCH_BROKER", "filesystem")
WORKER_COUNTS = [int(n) for n in os.environ.get("BENCH_WORKERS", "1,2").split(",")]


def bench_database_url() -> str:
    """The bench database's URL on the same server as the project's, created if missing."""
    os.environ.setdefault("DEBUG", "true")
    base = os.environ.get("DATABASE_URL")
    if not base:
        from devenv.postgres import PrivatePostgres

        server = PrivatePostgres(ROOT / ".local" / "postgres")
        server.start()
        base = server.url("timeline")
    parts = urlsplit(base)
    url = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(_libpq(admin), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    return url


def _libpq(url: str) -> str:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    return " ".join(
        f"{key}='{value}'"
        for key, value in {
            "host": cfg["HOST"], "port": cfg["PORT"], "user": cfg["USER"],
            "password": cfg["PASSWORD"], "dbname": cfg["NAME"],
        }.items()
        if value
    )


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def reset_data() -> None:
    from django.db import connection

    tables = [
        "ingest_ingestitem", "ingest_ingestjob", "ingest_feedentry",
        "timeline_claim", "timeline_evidence", "timeline_historicalevidence",
        "timeline_historicalclaim", "timeline_event_actors", "timeline_historicalevent",
        "timeline_historicalevent_actors", "timeline_tombstone", "timeline_event",
        "timeline_article", "timeline_outlet",
    ]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        cursor.execute("TRUNCATE " + ", ".join(t for t in tables if t in existing) + " CASCADE")


def extraction_only(corpus, lexicon) -> float:
    """Articles per second of the pure extractor (dates, mentions, merging) in-process."""
    from ingest.extraction import events
    from ingest.extraction.clustering import merge_mentions
    from ingest.extraction.types import ArticleInput

    started = time.perf_counter()
    for item in corpus:
        article = ArticleInput(key=item.key, text=item.text, title=item.title)
        _, mentions = events.extract_mentions(article, lexicon, item.published)
        merge_mentions(mentions, (), lexicon)
    return len(corpus) / (time.perf_counter() - started)


def private_broker() -> Path:
    """A broker folder (or Redis queue) of the bench's own, set before Django reads settings."""
    workdir = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    os.environ["LOCAL_DIR"] = str(workdir)
    os.environ["CELERY_QUEUE"] = f"bench-{uuid.uuid4().hex[:8]}"
    os.environ["LEXICON_REFRESH_SECONDS"] = "30"
    if BROKER == "redis":
        os.environ["CELERY_BROKER_URL"] = "redis://127.0.0.1:6379/14"
    else:
        os.environ.pop("CELERY_BROKER_URL", None)
    return workdir


def start_worker(concurrency: int, workdir: Path) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "false"}
    env.setdefault("SECRET_KEY", "bench-secret-key")
    log = open(workdir / f"worker-{concurrency}.log", "ab")
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", "-l", "warning",
         "-c", str(concurrency), "-n", f"bench-{concurrency}-{os.getpid()}@%h", "--without-gossip",
         "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def end_to_end(corpus, workdir: Path, concurrency: int) -> tuple[float, float, dict]:
    """(articles/s to the end of the first pass, articles/s to the end of the last, counts)."""
    from django.db import transaction

    from ingest.jobs import add_text, enqueue_job, start_job
    from ingest.models import IngestJob
    from timeline.models import Article, Event, Evidence

    reset_data()
    worker = start_worker(concurrency, workdir)
    try:
        # Warm-up (imports, lexicon, connections) on articles outside the measured corpus.
        from ingest_corpus import make_corpus

        warm = start_job(IngestJob.Origin.COMMAND, label="warm-up")
        with transaction.atomic():
            for item in make_corpus(4 * concurrency, seed=99):
                add_text(warm, item.text, title=item.title, source_name=item.key)
            enqueue_job(warm)
        _wait(lambda: warm.progress().complete, 120)
        reset_data()

        job = start_job(IngestJob.Origin.COMMAND, label=f"bench {len(corpus)}")
        with transaction.atomic():
            for item in corpus:
                add_text(job, item.text, title=item.title, source_name=item.key)
        started = time.perf_counter()
        with transaction.atomic():
            enqueue_job(job)
        # The last article of the first pass starts the second (passes = 2) when it commits.
        _wait(lambda: IngestJob.objects.get(pk=job.pk).passes >= 2 or job.progress().complete, 3600)
        first_pass = time.perf_counter() - started
        _wait(lambda: job.progress().complete, 3600)
        total = time.perf_counter() - started
        counts = {
            "done": Article.objects.filter(status="done").count(),
            "failed": Article.objects.filter(status="failed").count(),
            "events": Event.objects.count(),
            "evidence": Evidence.objects.count(),
            "passes": IngestJob.objects.get(pk=job.pk).passes,
            "still unattached": job.items.filter(unattached__gt=0).count(),
        }
        return len(corpus) / first_pass, len(corpus) / total, counts
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def _wait(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the workers")
        time.sleep(0.2)


def queries_per_article(corpus) -> tuple[float, float]:
    """Statements the pipeline issues per article (claim to commit), measured in-process:
    over the second chunk of a job of two chunks and one article (so the chunk does not
    start the job's second pass), with and without BEGIN/COMMIT/SAVEPOINT.
    """
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ingest import pipeline
    from ingest.jobs import add_text, start_job
    from ingest.models import IngestJob

    size = settings.INGEST_CHUNK_SIZE
    reset_data()
    job = start_job(IngestJob.Origin.COMMAND)
    ids = [
        add_text(job, c.text, title=c.title, source_name=c.key).article_id
        for c in corpus[: 2 * size + 1]
    ]
    pipeline.process_articles(ids[:size])
    with CaptureQueriesContext(connection) as queries:
        pipeline.process_articles(ids[size : 2 * size])
    without = sum(
        1 for q in queries
        if not q["sql"].lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
    )
    return len(queries) / size, without / size


def _load() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine skews the figures."""
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> int:
    url = bench_database_url()
    workdir = private_broker()
    setup_django(url)
    from ingest.lexicon_store import get_lexicon
    from ingest.management.commands.load_dictionary import load_dictionary
    from ingest_corpus import make_corpus

    load_dictionary()
    corpus = make_corpus(SIZE)
    lexicon = get_lexicon()
    from django.conf import settings

    print(
        f"corpus: {len(corpus)} synthetic articles; broker: {BROKER}; machine: {os.cpu_count()} cores; "
        f"{settings.INGEST_CHUNK_SIZE} articles per task"
    )
    print(f"load average before: {_load()}")
    baseline = extraction_only(corpus, lexicon)
    print(f"extraction only (1 process):       {baseline:8.1f} articles/s")
    statements, queries = queries_per_article(corpus)
    print(f"queries per article (pipeline):     {queries:5.1f} (with transaction statements: {statements:.1f})")
    for workers in WORKER_COUNTS:
        first, total, counts = end_to_end(corpus, workdir, workers)
        print(
            f"end to end, {workers} worker process(es): {first:8.1f} articles/s "
            f"({first / baseline:.0%} of extraction only) to the end of the first pass; "
            f"{total:.1f}/s to the end of the last; {counts}; load average {_load()}"
        )
    reset_data()
    return 0


if __name__ == "__main__":
    sys.exit(main())
