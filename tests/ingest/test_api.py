"""POST /api/v1/articles/: editors send text or a URL; readers cannot."""
from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ingest import pipeline
from ingest.models import IngestJob
from timeline.models import Article

pytestmark = pytest.mark.django_db

TEXT = (
    "SANAA, April 2, 2025 (AP) - Houthis fighters attacked positions near Marib on Monday, "
    "killing 7 soldiers, the government spokesman said. Oman called on both sides to talk."
)


@pytest.fixture
def api(editor):
    client = APIClient()
    client.force_authenticate(editor)
    return client


def test_an_editor_posting_text_gets_a_queued_article_with_its_location(api):
    response = api.post("/api/v1/articles/", {"text": TEXT, "title": "Marib"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued" and body["source"] == "api" and body["title"] == "Marib"
    assert response["Location"].endswith(f"/api/v1/articles/{body['id']}/")
    job = IngestJob.objects.get(origin="api")
    assert list(job.items.values_list("article_id", flat=True)) == [body["id"]]


def test_posting_the_same_text_again_returns_the_stored_article(api):
    first = api.post("/api/v1/articles/", {"text": TEXT}, format="json").json()
    again = api.post("/api/v1/articles/", {"text": TEXT + "\n"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert Article.objects.count() == 1


def test_an_editor_can_send_a_url_to_fetch(api, http_server):
    response = api.post("/api/v1/articles/", {"url": http_server.url("/x")}, format="json")
    assert response.status_code == 201
    article = Article.objects.get(pk=response.json()["id"])
    assert (article.url, article.source, article.text) == (http_server.url("/x"), "api", "")


@pytest.mark.parametrize(
    "payload",
    [{}, {"text": "   "}, {"text": TEXT, "url": "http://127.0.0.1/a"}, {"url": "not a url"}],
)
def test_text_or_a_url_is_required_but_not_both(api, payload):
    response = api.post("/api/v1/articles/", payload, format="json")
    assert response.status_code == 400
    assert Article.objects.count() == 0


def test_anonymous_clients_cannot_post():
    response = APIClient().post("/api/v1/articles/", {"text": TEXT}, format="json")
    assert response.status_code in (401, 403)
    assert Article.objects.count() == 0


def test_a_user_without_editor_rights_cannot_post(django_user_model):
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user("reader"))
    assert client.post("/api/v1/articles/", {"text": TEXT}, format="json").status_code == 403


def test_a_failed_article_shows_its_reason_to_editors(api):
    article_id = api.post(
        "/api/v1/articles/", {"url": "http://no-such-host.invalid/a"}, format="json"
    ).json()["id"]
    pipeline.process_article(article_id)
    body = api.get(f"/api/v1/articles/{article_id}/").json()
    assert body["status"] == "failed"
    assert body["error"].startswith("cannot resolve host 'no-such-host.invalid'")


def test_readers_still_list_articles():
    assert APIClient().get("/api/v1/articles/").status_code == 200
