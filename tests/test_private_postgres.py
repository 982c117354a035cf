"""devenv.postgres: the private server `make run` and `make test` start when no DATABASE_URL."""
from __future__ import annotations

import os
import shutil

import psycopg
import pytest
from django.conf import settings

from devenv.postgres import PrivatePostgres, find_bindir


@pytest.fixture
def server():
    # Under the project folder (the server user must reach it; /tmp may be private).
    root = settings.LOCAL_DIR / "test-postgres" / f"pg{os.getpid()}"
    server = PrivatePostgres(root)
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def connect(server: PrivatePostgres, dbname: str) -> psycopg.Connection:
    return psycopg.connect(host=str(server.socket_dir), port=server.port, user="postgres",
                           dbname=dbname, autocommit=True)


def test_the_server_binaries_are_found():
    assert (find_bindir() / "initdb").exists()


def test_start_creates_a_cluster_reuse_keeps_it_stop_stops_it(server):
    assert server.start() is True
    assert server.running()
    server.ensure_database("timeline")
    with connect(server, "timeline") as conn:
        conn.execute("CREATE TABLE kept (n int)")
        conn.execute("INSERT INTO kept VALUES (42)")
        extensions = {r[0] for r in conn.execute("SELECT extname FROM pg_extension")}
    assert {"pg_trgm", "unaccent"} <= extensions

    assert server.start() is False  # already running: reused, not restarted

    assert server.stop() is True
    assert not server.running()
    assert server.stop() is False

    assert server.start() is True  # the data survives a restart
    with connect(server, "timeline") as conn:
        assert conn.execute("SELECT n FROM kept").fetchone() == (42,)


def test_it_listens_only_on_its_own_socket(server):
    server.start()
    assert (server.socket_dir / f".s.PGSQL.{server.port}").exists()
    conf = server.psql("postgres", "SHOW listen_addresses")
    assert conf.strip() == ""


def test_its_url_is_what_django_settings_parse(server):
    import dj_database_url

    parsed = dj_database_url.parse(server.url("timeline"))
    assert parsed["HOST"] == str(server.socket_dir)
    assert parsed["NAME"] == "timeline"
    assert parsed["USER"] == "postgres"
