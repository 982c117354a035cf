"""The environment `make run` and `make test` share: secrets, database, broker folders."""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from devenv.postgres import PrivatePostgres

ROOT = Path(__file__).resolve().parent.parent
LOCAL = Path(os.environ.get("LOCAL_DIR", ROOT / ".local"))


def remembered_secret(name: str, length: int = 32) -> str:
    """A random secret kept under .local/, so a second run sees the same one."""
    path = LOCAL / name
    if path.exists():
        return path.read_text().strip()
    LOCAL.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(length)
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def private_postgres() -> PrivatePostgres:
    return PrivatePostgres(LOCAL / "postgres")


def ensure_database(env: dict[str, str]) -> PrivatePostgres | None:
    """Use DATABASE_URL when given; otherwise start the private server.

    Returns the server when this call started it (the caller stops it at the end).
    """
    if env.get("DATABASE_URL"):
        return None
    server = private_postgres()
    started = server.start()
    server.ensure_database("timeline")
    env["DATABASE_URL"] = server.url("timeline")
    print(f"* private PostgreSQL {'started' if started else 'reused'}: {server.root}", file=sys.stderr)
    return server if started else None


def ensure_broker_folders(env: dict[str, str]) -> None:
    """kombu's filesystem transport needs its folders to exist before anyone publishes."""
    if env.get("CELERY_BROKER_URL", "filesystem://").startswith("filesystem"):
        for sub in ("queue", "processed", "control"):
            (LOCAL / "broker" / sub).mkdir(parents=True, exist_ok=True)
