"""`make test`: a database, Chromium and the broker folders, then the whole suite."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from devenv.local import ROOT, ensure_broker_folders, ensure_database

CHROMIUM = "/usr/bin/chromium"


def ensure_chromium() -> None:
    """Browser tests drive Debian's Chromium; install it when missing and we are root."""
    if os.path.exists(CHROMIUM):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"{CHROMIUM} is missing: install Debian's 'chromium' package (apt-get install chromium)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)


def main(argv: list[str]) -> int:
    env = dict(os.environ)
    ensure_chromium()
    started_db = ensure_database(env)
    ensure_broker_folders(env)
    try:
        cmd = [sys.executable, "-m", "pytest", *argv]
        return subprocess.run(cmd, env=env, cwd=ROOT).returncode
    finally:
        if started_db is not None:
            started_db.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
