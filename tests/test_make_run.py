"""`make run` end to end: private Postgres, filesystem broker, a real worker, the seeds, gunicorn.

Runs `python -m devenv.run` (what `make run` runs after installing) twice in its own
folder: the first run serves the seed timeline, Ctrl-C stops everything it started, and
the second run reuses the data and adds nothing.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from devenv.postgres import PrivatePostgres

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

pytestmark = [pytest.mark.slow, pytest.mark.worker]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def run_dir():
    path = settings.LOCAL_DIR / "test-make-run" / f"run{os.getpid()}"
    yield path
    PrivatePostgres(path / "postgres").stop()
    shutil.rmtree(path, ignore_errors=True)


def start(run_dir: Path, port: int) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_QUEUE", "TEST_DATABASE_NAME"}}
    env.update(LOCAL_DIR=str(run_dir), PORT=str(port), ARTICLES=str(SEEDS))
    proc = subprocess.Popen(
        [sys.executable, "-m", "devenv.run"], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    lines = []
    deadline = time.monotonic() + 600
    for line in proc.stdout:
        lines.append(line)
        if "login" in line and "Editors:" in line:
            return proc, "".join(lines)
        if time.monotonic() > deadline:
            break
    proc.kill()
    raise AssertionError("make run never served:\n" + "".join(lines[-40:]))


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=90)
    proc.stdout.close()


def events(port: int) -> list[dict]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/events/?page_size=200") as r:
        return json.load(r)["results"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="needs ../shared/seeds beside the project")
def test_make_run_serves_the_seed_timeline_stops_on_ctrl_c_and_adds_nothing_twice(run_dir):
    port = free_port()
    proc, output = start(run_dir, port)
    try:
        assert "login editor / " in output
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            assert response.status == 200
            page = response.read().decode()
        first = events(port)
        assert first, "no published event after ingesting the seeds"
        assert first[0]["title"] in page or any(e["title"] in page for e in first)
    finally:
        stop(proc)
    assert proc.returncode == 0
    assert not PrivatePostgres(run_dir / "postgres").running()

    proc, output = start(run_dir, port)
    try:
        again = events(port)
    finally:
        stop(proc)
    assert sorted(e["id"] for e in again) == sorted(e["id"] for e in first)
    assert sum(e["source_count"] for e in again) == sum(e["source_count"] for e in first)
