"""`make bench`: every bench/*_bench.py in turn, on the same database set-up as `make run`.

Each benchmark prints its own figures (medians, ratios against a baseline measured in the
same run); nothing is asserted. BENCH=name runs one (e.g. BENCH=extraction).
"""
from __future__ import annotations

import os
import subprocess
import sys

from devenv.local import ROOT, ensure_broker_folders, ensure_database, remembered_secret


def main() -> int:
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", remembered_secret("secret_key", 48))
    env.setdefault("DEBUG", "false")
    env.setdefault("HTTPS", "false")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    started_db = ensure_database(env)
    ensure_broker_folders(env)
    only = env.get("BENCH")
    scripts = sorted((ROOT / "bench").glob("*_bench.py"))
    if only:
        scripts = [s for s in scripts if s.stem == f"{only}_bench"]
    failures = 0
    try:
        for script in scripts:
            print(f"\n=== {script.stem}", flush=True)
            result = subprocess.run([sys.executable, str(script)], env=env, cwd=ROOT)
            failures += result.returncode != 0
    finally:
        if started_db is not None:
            started_db.stop()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
