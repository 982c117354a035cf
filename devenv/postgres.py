"""A private PostgreSQL server under a project folder, from the system's binaries.

`make run` and `make test` use it when DATABASE_URL is not set. It listens only on a
Unix socket inside the folder, so it never collides with a server on port 5432.
`initdb` refuses to run as root, so as root the cluster belongs to the `postgres` user.
"""
from __future__ import annotations

import argparse
import fcntl
import glob
import os
import pwd
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

DEBIAN_PACKAGES = ("postgresql", "postgresql-contrib")


class PostgresUnavailable(RuntimeError):
    """The server binaries are missing and cannot be installed here."""


def find_bindir() -> Path | None:
    """Return the folder holding initdb/pg_ctl/postgres, newest version first."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def install_server() -> None:
    """Install Debian's server packages (only possible as root)."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise PostgresUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install Debian's "
            "'postgresql' and 'postgresql-contrib' packages, or set DATABASE_URL."
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *DEBIAN_PACKAGES], check=True, env=env)


class PrivatePostgres:
    """One cluster in `root`: data/, run/ (the socket), server.log."""

    def __init__(self, root: Path | str, port: int = 5432):
        self.root = Path(root).resolve()
        self.data = self.root / "data"
        self.socket_dir = self.root / "run"
        self.log = self.root / "server.log"
        # The port only names the socket file (.s.PGSQL.<port>); nothing listens on TCP.
        self.port = port

    # -- where it is -------------------------------------------------------------
    def url(self, dbname: str = "timeline") -> str:
        return f"postgres://postgres@{quote(str(self.socket_dir), safe='')}:{self.port}/{dbname}"

    # -- running the binaries as the right user ----------------------------------
    def _owner(self) -> str | None:
        """As root the cluster is run by `postgres`; otherwise by whoever we are."""
        if os.geteuid() != 0:
            return None
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--home-dir", str(self.root), "postgres"], check=True
            )
        return "postgres"

    def _run(
        self, *args: str, check: bool = True, quiet: bool = False, detach: bool = False
    ) -> subprocess.CompletedProcess:
        bindir = find_bindir()
        if bindir is None:
            install_server()
            bindir = find_bindir()
        if bindir is None:
            raise PostgresUnavailable("PostgreSQL was installed but initdb is still missing")
        cmd = [str(bindir / args[0]), *args[1:]]
        owner = self._owner()
        if owner:
            cmd = ["runuser", "-u", owner, "--", *cmd]
        return subprocess.run(
            cmd,
            check=check,
            text=True,
            stdout=subprocess.PIPE if quiet else None,
            stderr=subprocess.PIPE if quiet else None,
            cwd="/",
            # The server gets its own session, so a Ctrl-C meant for `make run` reaches
            # the web server and the worker, and the database is stopped last, by us.
            start_new_session=detach,
        )

    def _prepare_dirs(self) -> None:
        for path in (self.root, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
        owner = self._owner()
        if owner:
            info = pwd.getpwnam(owner)
            for path in (self.root, self.socket_dir):
                os.chown(path, info.pw_uid, info.pw_gid)
            # The server user must be able to reach the folder through its parents.
            parent = self.root.parent
            while parent != parent.parent:
                mode = parent.stat().st_mode
                if not mode & 0o001:
                    os.chmod(parent, mode | 0o001)
                parent = parent.parent

    @contextmanager
    def _lock(self):
        self.root.parent.mkdir(parents=True, exist_ok=True)
        with open(self.root.parent / f".{self.root.name}.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- life cycle ---------------------------------------------------------------
    def initialized(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def running(self) -> bool:
        if not self.initialized():
            return False
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False, quiet=True).returncode == 0

    def start(self) -> bool:
        """Initialize if needed and start; returns True when this call started it."""
        with self._lock():
            self._prepare_dirs()
            if not self.initialized():
                self._run(
                    "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8", quiet=True,
                )
            if self.running():
                return False
            options = (
                f"-c listen_addresses='' -k {self.socket_dir} -p {self.port} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=200"
            )
            self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                "-w", "-t", "60", "start", quiet=True, detach=True,
            )
            return True

    def stop(self) -> bool:
        """Stop if running; returns True when this call stopped it."""
        with self._lock():
            if not self.running():
                return False
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", quiet=True)
            return True

    def ensure_database(self, dbname: str) -> None:
        """Create the database and the extensions the project needs, if missing."""
        exists = self.psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{dbname}'")
        if not exists.strip():
            self.psql("postgres", f'CREATE DATABASE "{dbname}"')
        # template1 too, so test databases get them without superuser tricks.
        for db in (dbname, "template1"):
            self.psql(db, "CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent")

    def psql(self, dbname: str, sql: str) -> str:
        result = self._run(
            "psql", "-h", str(self.socket_dir), "-p", str(self.port), "-U", "postgres",
            "-d", dbname, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql,
            quiet=True,
        )
        return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Manage the project's private PostgreSQL.")
    parser.add_argument("action", choices=["start", "stop", "status", "url"])
    parser.add_argument("--root", default=os.environ.get("PG_ROOT", ".local/postgres"))
    parser.add_argument("--db", default="timeline")
    args = parser.parse_args(argv)
    server = PrivatePostgres(args.root)
    if args.action == "start":
        started = server.start()
        server.ensure_database(args.db)
        print(f"private PostgreSQL {'started' if started else 'already running'} in {server.root}",
              file=sys.stderr)
    elif args.action == "stop":
        print("stopped" if server.stop() else "was not running", file=sys.stderr)
    elif args.action == "status":
        running = server.running()
        print("running" if running else "stopped")
        return 0 if running else 3
    print(server.url(args.db)) if args.action in ("url", "start") else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
