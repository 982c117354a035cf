"""The OpenAPI schema validates without warnings; the docs load nothing from a CDN."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.staticfiles import finders

ROOT = Path(settings.BASE_DIR)


def test_spectacular_validates_the_schema_and_fails_on_any_warning(tmp_path):
    out = tmp_path / "schema.yml"
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn",
         "--file", str(out)],
        cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Warning" not in result.stderr
    schema = yaml.safe_load(out.read_text())
    operations = {
        f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item
    }
    assert {
        "GET /api/v1/events/", "POST /api/v1/events/", "GET /api/v1/events/{id}/",
        "PATCH /api/v1/events/{id}/", "DELETE /api/v1/events/{id}/",
        "GET /api/v1/events/deleted/", "GET /api/v1/evidence/", "POST /api/v1/evidence/",
        "GET /api/v1/actors/", "GET /api/v1/places/", "GET /api/v1/outlets/",
        "GET /api/v1/articles/", "GET /api/v1/articles/{id}/",
    } <= operations
    listing = schema["paths"]["/api/v1/events/"]["get"]
    assert set(listing["responses"]["200"]["content"]) == {
        "application/json", "text/csv", "application/geo+json",
        "application/vnd.timelinejs+json", "text/calendar",
    }
    names = {p["name"] for p in listing["parameters"]}
    assert {"date_from", "date_to", "event_type", "actor", "place", "country", "outlet", "q",
            "min_sources", "status", "updated_since", "cursor", "page_size", "ordering",
            "format"} <= names


def test_the_schema_is_served_as_json(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Conflict timeline API"


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_swagger_ui_and_redoc_load_their_assets_from_this_site(client, db):
    for url in ("/api/docs/", "/api/redoc/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        links = _assets(html)
        assert not [a for a in links if a.startswith(("http:", "https:", "//"))], url
        scripts = [a for a in links if a.endswith(".js")]
        assert scripts, url
        for asset in scripts:
            assert asset.startswith("/static/drf_spectacular_sidecar/"), asset
            assert finders.find(asset.removeprefix("/static/")), asset
        assert not re.search(r"cdn\.|jsdelivr|unpkg|googleapis", html)
