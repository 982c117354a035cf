"""`make run`: database, migrations, editor login, the sample articles through a real
worker, and the site on http://127.0.0.1:8000. Ctrl-C stops everything it started."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from devenv.local import LOCAL, ROOT, ensure_broker_folders, ensure_database, remembered_secret

PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def default_articles() -> str:
    seeds = ROOT.parent / "shared" / "seeds"
    return os.environ.get("ARTICLES") or (str(seeds) if seeds.is_dir() else "")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def spawn(env: dict[str, str], *cmd: str) -> subprocess.Popen:
    return subprocess.Popen(list(cmd), env=env, cwd=ROOT)


def wait_for_port(host: str, port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Return once the server accepts connections, so the banner never lies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the web server did not start on {host}:{port}")


def stop(processes: list[subprocess.Popen]) -> None:
    for proc in processes:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> int:
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", remembered_secret("secret_key", 48))
    env.setdefault("DEBUG", "false")
    env.setdefault("HTTPS", "false")  # plain http on the loopback
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env["LOCAL_DIR"] = str(LOCAL)
    username = env.setdefault("EDITOR_USERNAME", "editor")
    password = env.setdefault("EDITOR_PASSWORD", remembered_secret("editor_password", 12))

    started_db = ensure_database(env)
    ensure_broker_folders(env)
    processes: list[subprocess.Popen] = []

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "setup_roles")
        manage(env, "load_dictionary")
        manage(env, "create_editor")  # reads EDITOR_USERNAME and EDITOR_PASSWORD
        processes.append(
            spawn(env, str(BIN / "celery"), "-A", "config", "worker", "--beat", "-l", "warning",
                  "--concurrency", "2", "--schedule", str(LOCAL / "celerybeat-schedule"))
        )
        articles = default_articles()
        if articles:
            manage(env, "ingest", articles, "--wait")
        web = spawn(env, str(BIN / "gunicorn"), "config.wsgi", "--bind", f"{HOST}:{PORT}",
                    "--workers", "2", "--access-logfile", "-", "--log-level", "warning")
        processes.append(web)
        wait_for_port(HOST, int(PORT), web)
        print(
            f"\n  Timeline: http://{HOST}:{PORT}/\n"
            f"  Editors:  http://{HOST}:{PORT}/admin/  login {username} / {password}\n"
            f"  API:      http://{HOST}:{PORT}/api/v1/events/\n"
            "  Ctrl-C stops the web server, the worker and the private database.\n",
            flush=True,
        )
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        print("a process stopped unexpectedly; shutting down", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping...", file=sys.stderr)
        return 0
    except subprocess.CalledProcessError as error:
        print(f"set-up step failed: {' '.join(map(str, error.cmd))}", file=sys.stderr)
        return 1
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop(processes)
        if started_db is not None:
            started_db.stop()
            print("* private PostgreSQL stopped", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
