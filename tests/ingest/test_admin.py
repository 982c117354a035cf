"""Ingest from the admin: paste text or give a URL, then watch its progress (htmx)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from ingest import pipeline
from ingest.models import Feed, IngestJob
from timeline.models import Article

pytestmark = pytest.mark.django_db

TEXT = (
    "MOGADISHU, January 20, 2025 (AP) - al-Shabaab fighters attacked positions near Kismayo "
    "on Sunday, killing 5 soldiers, the police commissioner said. Kenya called on both "
    "sides to protect civilians in Kismayo."
)


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", password="x-pass-123"))
    return client


def test_the_ingest_page_offers_text_and_url(admin_client):
    page = admin_client.get(reverse("admin:ingest_ingestjob_add"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="url"' in html and 'name="text"' in html and "Ingest an article" in html


def test_pasted_text_is_queued_and_the_progress_page_polls_until_done(admin_client):
    response = admin_client.post(
        reverse("admin:ingest_ingestjob_add"), {"title": "Kismayo", "text": TEXT, "url": ""}
    )
    job = IngestJob.objects.get(origin="admin")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    article = job.items.get().article
    assert (article.status, article.source, article.title) == ("queued", "text", "Kismayo")

    page = admin_client.get(job.get_absolute_url()).content.decode()
    assert "htmx-2.0.11.min.js" in page
    assert f'hx-get="{job.get_absolute_url()}"' in page and 'hx-trigger="every 1s"' in page
    assert "0 of 1 processed" in page

    pipeline.process_article(article.pk)
    fragment = admin_client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job-progress"')
    assert "<html" not in fragment and "hx-trigger" not in fragment
    assert "1 of 1 processed (1 done, 0 failed)" in fragment and "Finished" in fragment


def test_a_failed_url_shows_its_reason_in_the_progress(admin_client):
    admin_client.post(reverse("admin:ingest_ingestjob_add"), {"url": "http://no-such-host.invalid/x"})
    job = IngestJob.objects.get(origin="admin")
    pipeline.process_article(job.items.get().article_id)
    fragment = admin_client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "cannot resolve host &#x27;no-such-host.invalid&#x27;" in fragment
    assert "(0 done, 1 failed)" in fragment


@pytest.mark.parametrize("data", [{"text": TEXT, "url": "http://127.0.0.1/a"}, {"text": " "}])
def test_the_form_wants_either_text_or_a_url(admin_client, data):
    response = admin_client.post(reverse("admin:ingest_ingestjob_add"), data)
    assert response.status_code == 200
    assert "Give either a URL or the article" in response.content.decode()
    assert not Article.objects.exists()


def test_editors_may_ingest_and_other_staff_may_not(client, editor, django_user_model):
    client.force_login(editor)
    assert client.get(reverse("admin:ingest_ingestjob_add")).status_code == 200
    client.force_login(django_user_model.objects.create_user("clerk", is_staff=True))
    assert client.get(reverse("admin:ingest_ingestjob_add")).status_code == 403


def test_the_feed_admin_lists_feeds_with_their_last_error(admin_client):
    Feed.objects.create(url="http://127.0.0.1/f.xml", title="Wire", last_error="broken feed XML")
    page = admin_client.get(reverse("admin:ingest_feed_changelist")).content.decode()
    assert "Wire" in page and "broken feed XML" in page
