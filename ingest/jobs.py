"""Jobs: turning inputs into queued articles (once per URL or text) and enqueuing them."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction

from ingest.errors import IngestError
from ingest.models import IngestItem, IngestJob
from ingest.sources.text import check_text, clean_text, content_sha256
from timeline.models import Article

Source = Article.Source


def start_job(origin: str, label: str = "", user=None) -> IngestJob:
    return IngestJob.objects.create(
        origin=origin, label=label[:500], created_by=user if user and user.pk else None
    )


def _attach(job: IngestJob, article: Article, label: str, duplicate: bool) -> IngestItem:
    item, _ = IngestItem.objects.get_or_create(
        job=job,
        article=article,
        defaults={
            "label": label[:2000],
            "duplicate": duplicate,
            # An article already done or failed adds nothing more to this job.
            "finished": article.status in (Article.Status.DONE, Article.Status.FAILED),
        },
    )
    return item


def _retry_if_failed(article: Article) -> bool:
    """Give a failed article another go (a URL that was down may be up now)."""
    if article.status != Article.Status.FAILED:
        return False
    changed = Article.objects.filter(pk=article.pk, status=Article.Status.FAILED).update(
        status=Article.Status.QUEUED, error="", claimed_at=None
    )
    article.refresh_from_db(fields=["status", "error", "claimed_at"])
    return bool(changed)


def add_text(
    job: IngestJob,
    text: str,
    *,
    title: str = "",
    source: str = Source.TEXT,
    source_name: str = "",
    url: str = "",
    published: date | None = None,
    published_basis: str = Article.Basis.METADATA,
    metadata: dict | None = None,
    verbatim: bool = False,
) -> IngestItem:
    """A queued article with this text, or the stored one with the same text (or URL).

    Pasted text is normalized; a file's text is kept `verbatim`, so the offsets of the
    quotes are offsets in the file.
    """
    try:
        text = check_text(text) if verbatim else clean_text(text)
    except IngestError as exc:
        return add_failed(job, source=source, source_name=source_name or title, error=str(exc))
    digest = content_sha256(text)
    label = source_name or url or title
    existing = Article.objects.filter(content_sha256=digest).first()
    if existing is None and url:
        existing = Article.objects.filter(url=url).first()
    if existing is not None:
        retried = _retry_if_failed(existing)
        return _attach(job, existing, label, duplicate=not retried)
    fields = {
        "text": text,
        "title": title[:500],
        "url": url or None,
        "source": source,
        "source_name": source_name[:500],
        "content_sha256": digest,
        "metadata": metadata or {},
        "status": Article.Status.QUEUED,
    }
    if published is not None:
        fields.update(published_on=published, published_basis=published_basis)
    try:
        with transaction.atomic():
            article = Article.objects.create(**fields)
    except IntegrityError:
        # Another submission of the same text won the race: this one is a duplicate.
        article = Article.objects.get(content_sha256=digest)
        return _attach(job, article, label, duplicate=True)
    return _attach(job, article, label, duplicate=False)


def add_url(
    job: IngestJob,
    url: str,
    *,
    source: str = Source.URL,
    title: str = "",
    source_name: str = "",
    published: date | None = None,
    metadata: dict | None = None,
) -> IngestItem:
    """A queued article to fetch from the URL, or the stored one with that URL."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return add_failed(job, source=source, source_name=url, error=f"not an http(s) URL: {url!r}")
    fields = {
        "source": source,
        "title": title[:500],
        "source_name": (source_name or url)[:500],
        "metadata": metadata or {},
        "status": Article.Status.QUEUED,
    }
    if published is not None:
        fields.update(published_on=published, published_basis=Article.Basis.METADATA)
    try:
        with transaction.atomic():
            article, created = Article.objects.get_or_create(url=url, defaults=fields)
    except IntegrityError:
        article, created = Article.objects.get(url=url), False
    retried = not created and _retry_if_failed(article)
    return _attach(job, article, url, duplicate=not (created or retried))


def add_failed(job: IngestJob, *, source: str, source_name: str, error: str) -> IngestItem:
    """A failed article saying why, reusing the failed one from an earlier run of the same input."""
    article = (
        Article.objects.filter(
            source=source, source_name=source_name[:500], status=Article.Status.FAILED,
            content_sha256__isnull=True, url__isnull=True,
        )
        .order_by("id")
        .first()
    )
    if article is None:
        article = Article.objects.create(
            source=source, source_name=source_name[:500], status=Article.Status.FAILED, error=error
        )
        duplicate = False
    else:
        Article.objects.filter(pk=article.pk).update(error=error)
        duplicate = True
    return _attach(job, article, source_name, duplicate=duplicate)


def reject(job: IngestJob, value: str, error: str) -> None:
    """Note an input that never became an article (a path that does not exist)."""
    job.rejected = [*job.rejected, {"input": value, "error": error}]
    job.save(update_fields=["rejected"])


def enqueue_job(job: IngestJob) -> int:
    """Queue a task for each queued article of the job, once the rows are committed."""
    ids = list(
        job.items.filter(article__status=Article.Status.QUEUED).values_list("article_id", flat=True)
    )
    enqueue_articles(ids)
    return len(ids)


def chunks(ids: list[int]) -> list[list[int]]:
    """The ids in task-sized chunks (settings.INGEST_CHUNK_SIZE; see ingest.tasks.process_articles)."""
    size = settings.INGEST_CHUNK_SIZE
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def enqueue_articles(article_ids: list[int]) -> None:
    from ingest.tasks import process_article, process_articles

    ids = list(article_ids)

    def send() -> None:
        if len(ids) == 1:
            process_article.delay(ids[0])
            return
        for chunk in chunks(ids):
            process_articles.delay(chunk)

    # After commit: a worker that gets the id before the row is visible would find nothing.
    transaction.on_commit(send)
