"""`make bench`: every bench/*_bench.py in turn, on the same database set-up as `make run`.

Each benchmark prints its own figures (medians, ratios against a baseline measured in the
same run); nothing is asserted. BENCH=name runs one (e.g. BENCH=extraction). The page and
API benchmarks share a generated data set (BENCH_EVENTS events, default 1,000,000, in the
"timeline_bench" database), made once with bench/generate.py and reused after.
"""
from __future__ import annotations

import os
import subprocess
import sys

from devenv.local import ROOT, ensure_broker_folders, ensure_database, remembered_secret


def ensure_bench_data(env: dict[str, str]) -> None:
    """Generate the shared page/API data set unless it already has the wanted size."""
    import psycopg

    sys.path.insert(0, str(ROOT))
    from bench.generate import bench_database_url

    wanted = int(env.get("BENCH_EVENTS", "1000000"))
    url = bench_database_url()
    try:
        with psycopg.connect(url) as conn:
            have = conn.execute("SELECT count(*) FROM timeline_event").fetchone()[0]
    except psycopg.Error:
        have = 0
    if have != wanted:
        print(f"=== generating {wanted:,} events for the page and API benchmarks", flush=True)
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), "--events", str(wanted)],
            env=env, cwd=ROOT, check=True,
        )


def ensure_datasette() -> None:
    """Datasette (the API benchmark's reference) lives in its own venv: its pins may clash."""
    venv = ROOT / "bench" / ".venv-datasette"
    if (venv / "bin" / "datasette").exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "-r",
         str(ROOT / "bench" / "requirements-datasette.txt")],
        check=True,
    )


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
        if any(s.stem in ("page_bench", "api_bench") for s in scripts):
            ensure_bench_data(env)
        if any(s.stem == "api_bench" for s in scripts):
            ensure_datasette()
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
