"""Settings come from the environment; production refuses to start without a secret."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


# Variables the test process sets for itself (pyproject's pytest env), not for these children.
TEST_ONLY = {
    "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "HTTPS", "STATICFILES_BACKEND",
    "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE",
}


def child_env(**env: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return clean


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = child_env(**env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=clean, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = child_env(**env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=clean, cwd=ROOT,
        capture_output=True, text=True, timeout=120,
    )


def test_production_without_a_secret_fails_fast_with_a_clear_message():
    result = run_django("", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_runs_without_a_secret():
    result = run_django("from django.conf import settings; print(settings.DEBUG)", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_values_are_read_from_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.ALLOWED_HOSTS, s.CELERY_BROKER_URL, s.DATABASES['default']['NAME'], "
        "s.AUTO_PUBLISH_CONFIDENCE, s.FETCH_MAX_BYTES)"
    )
    result = run_django(
        code,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="timeline.example,api.timeline.example",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/5",
        DATABASE_URL="postgres://u:p@db.example:5432/timeline_prod",
        AUTO_PUBLISH_CONFIDENCE="0.7",
        FETCH_MAX_BYTES="1000",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['timeline.example', 'api.timeline.example'] redis://127.0.0.1:6379/5 "
        "timeline_prod 0.7 1000"
    )


def test_a_malformed_boolean_is_refused_by_name():
    result = run_django("", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_without_a_broker_url_the_filesystem_transport_is_used():
    code = (
        "from django.conf import settings as s; "
        "print(s.CELERY_BROKER_URL, sorted(s.CELERY_BROKER_TRANSPORT_OPTIONS))"
    )
    env = {k: "" for k in ("CELERY_BROKER_URL",)}
    result = run_django(code, DEBUG="true", **env)
    assert result.returncode == 0, result.stderr
    url, folders = result.stdout.split(" ", 1)
    assert url == "filesystem://"
    assert all(key in folders for key in ("'data_folder_in'", "'data_folder_out'", "'control_folder'"))


def test_deploy_check_reports_no_warnings_with_debug_off():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY="k" * 30 + "Zq8!vX2#pL9@wR4$tY7&uI1*oP3^aS6", ALLOWED_HOSTS="timeline.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_connections_run_without_jit_keeping_the_urls_own_options():
    code = "from django.conf import settings as s; print(s.DATABASES['default']['OPTIONS']['options'])"
    result = run_django(
        code, DEBUG="true",
        DATABASE_URL="postgres://u:p@db.example:5432/t?options=-c%20statement_timeout%3D5000",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c jit=off -c statement_timeout=5000"


@pytest.mark.django_db
def test_the_database_compiles_no_query():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
