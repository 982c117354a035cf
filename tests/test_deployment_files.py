"""The production stack's files are valid and complete (no Docker engine runs here)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_is_valid_against_the_compose_spec_schema():
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
         str(ROOT / "docker-compose.yml")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_compose_runs_postgres_16_redis_web_worker_and_beat_from_one_image():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16"
    assert "healthcheck" in services["db"] and "pgdata" in compose["volumes"]
    assert services["redis"]["image"].startswith("redis")
    app_services = ("web", "worker", "beat")
    assert {services[name]["build"] for name in app_services} == {"."}
    assert "celery" in services["worker"]["command"] and "beat" in services["beat"]["command"]


def test_every_setting_read_from_the_environment_is_documented_in_env_example():
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r"env(?:bool|int|float|list)?\(\s*\"([A-Z_]+)\"", source))
    read |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z_]+)\"", source))
    assert read, "no settings found: the pattern is out of date"
    assert read - documented == set()
