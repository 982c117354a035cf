"""The database restarted in the middle of a batch: tasks retry, every article ends done.

The test runs its own private PostgreSQL in a temporary folder (not the shared one), and
everything against it as subprocesses: migrate, load_dictionary, ingest and the worker.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from devenv.postgres import PrivatePostgres
from tests.ingest.corpus import make_corpus
from tests.ingest.workers import WorkerStack, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.slow]
DB = "timeline_restart"


@pytest.fixture
def server():
    # Not under pytest's tmp_path: each pytest session makes /tmp/pytest-of-root private
    # again, and the server's own user must keep reaching its data folder.
    root = Path(tempfile.mkdtemp(prefix="ingest-restart-"))
    pg = PrivatePostgres(root / "pg")
    try:
        pg.start()
        pg.ensure_database(DB)
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


def _statuses(pg: PrivatePostgres) -> Counter:
    try:
        with psycopg.connect(host=str(pg.socket_dir), port=pg.port, user="postgres", dbname=DB) as conn:
            return Counter(dict(conn.execute(
                "SELECT status, count(*) FROM timeline_article GROUP BY status").fetchall()))
    except psycopg.OperationalError:
        return Counter()


def _reachable(pg: PrivatePostgres) -> bool:
    try:
        with psycopg.connect(host=str(pg.socket_dir), port=pg.port, user="postgres", dbname=DB):
            return True
    except psycopg.OperationalError:
        return False


def _stop(pg: PrivatePostgres) -> None:
    for _ in range(5):
        pg.stop()
        if not _reachable(pg):
            return
        time.sleep(1)
    raise AssertionError("the private server did not stop")


def test_a_database_restart_mid_batch_loses_no_article(server, tmp_path):
    stack = WorkerStack(
        tmp_path, server.url(DB), "filesystem",
        STALE_PROCESSING_SECONDS="10", REQUEUE_INTERVAL_SECONDS="3",
    )
    try:
        for command in (("migrate", "--noinput"), ("load_dictionary",)):
            result = stack.manage(*command)
            assert result.returncode == 0, result.stderr
        folder = tmp_path / "corpus"
        folder.mkdir()
        for article in make_corpus(40, seed=21):
            (folder / f"{article.key}.txt").write_text(article.title + "\n\n" + article.text)
        queued = stack.manage("ingest", str(folder), "--no-progress")
        assert queued.returncode == 0, queued.stderr

        stack.worker("w1", beat=True)
        wait_until(lambda: _statuses(server)["done"] >= 3, 120, message="nothing processed")
        _stop(server)
        time.sleep(3)  # the worker meets a dead database for a while
        server.start()
        assert _statuses(server)["done"] < 40, "the batch ended before the restart: make it longer"

        wait_until(
            lambda: _statuses(server) == Counter({"done": 40}), 300,
            message=f"after the restart: {_statuses(server)}",
        )
        with psycopg.connect(host=str(server.socket_dir), port=server.port, user="postgres", dbname=DB) as conn:
            duplicates = conn.execute(
                "SELECT article_id, char_start FROM timeline_evidence "
                "GROUP BY article_id, char_start HAVING count(*) > 1"
            ).fetchall()
        assert duplicates == []
        log = stack.log("w1")
        assert "retrying" in log or "re-queued" in log, log[-3000:]
    finally:
        stack.close()
