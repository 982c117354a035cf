"""Real Celery worker processes and manage.py commands as subprocesses, for the tests."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = ROOT.parent / "shared" / "gold" / "seed-events.json"
CELERY = Path(sys.executable).with_name("celery")


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database Django is connected to (the test database)."""
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = settings_dict.get("PORT") or ""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else f"{user}@"
    return f"postgres://{auth}{host}{':' + str(port) if port else ''}/{settings_dict['NAME']}"


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class WorkerStack:
    """Workers and commands sharing one database and one private queue."""

    def __init__(self, tmp_path: Path, db_url: str, broker: str = "filesystem", **env: str):
        self.tmp = tmp_path
        self.local = tmp_path / "local"
        (self.local / "broker").mkdir(parents=True, exist_ok=True)
        self.queue = f"ingest-test-{uuid.uuid4().hex[:10]}"
        self.redis_db = 1 + os.getpid() % 15
        broker_url = (
            f"redis://127.0.0.1:6379/{self.redis_db}" if broker == "redis" else "filesystem://"
        )
        self.env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "LOCAL_DIR": str(self.local),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_QUEUE": self.queue,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "DEBUG": "false",
            "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "FETCH_ALLOW_NETWORKS": "127.0.0.0/8,::1/128",
            "LEXICON_REFRESH_SECONDS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            **env,
        }
        self.env.pop("TEST_DATABASE_NAME", None)
        self.broker = broker
        self.workers: list[subprocess.Popen] = []

    def worker(self, name: str = "w1", concurrency: int = 1, beat: bool = False) -> subprocess.Popen:
        args = [
            str(CELERY), "-A", "config", "worker", "-l", "info", "-c", str(concurrency),
            "-n", f"{name}-{self.queue}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat",
        ]
        if beat:
            args += ["--beat", "--schedule", str(self.local / f"beat-{name}")]
        log = open(self.tmp / f"{name}.log", "ab")
        # A session of its own: kill -9 of the group takes the pool children with it.
        proc = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(proc)
        return proc

    def manage(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, timeout=timeout,
            capture_output=True, text=True,
        )

    @staticmethod
    def kill(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        if sig == signal.SIGKILL:
            proc.wait(timeout=30)

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is not None:
            return
        self.kill(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill(proc, signal.SIGKILL)

    def close(self) -> None:
        for proc in self.workers:
            self.stop(proc)
        if self.broker == "redis":
            import redis

            client = redis.Redis(host="127.0.0.1", port=6379, db=self.redis_db)
            client.delete(self.queue)

    def log(self, name: str = "w1") -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def wait_until(predicate, timeout: float, interval: float = 0.5, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:g} s: {message}")
