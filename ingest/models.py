"""How data arrives: feeds and their entries, ingest jobs and their progress."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from timeline.models import Article


@dataclass(frozen=True, slots=True)
class JobProgress:
    """The numbers a progress bar and a summary show (see IngestJob.progress)."""

    total: int
    done: int
    failed: int
    duplicates: int
    created: int
    merged: int
    rejected: int

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def complete(self) -> bool:
        return self.finished >= self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.finished / self.total)


class Feed(models.Model):
    """An RSS or Atom feed polled on its own interval by Celery beat."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)
    poll_interval = models.PositiveIntegerField(
        default=30, help_text="Minutes between two polls."
    )
    # Conditional GET: the server answers 304 and sends nothing when the feed is unchanged.
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_poll_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True, editable=False)
    entries_seen = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "url"]
        indexes = [
            models.Index(
                fields=["next_poll_at"], name="feed_due", condition=Q(active=True)
            )
        ]

    def __str__(self) -> str:
        return self.title or self.url

    def schedule_next(self, now=None) -> None:
        now = now or timezone.now()
        self.last_polled_at = now
        self.next_poll_at = now + timedelta(minutes=self.poll_interval)


class FeedEntry(models.Model):
    """One entry of a feed, remembered so a later poll takes only the new ones."""

    # feed_entry_once begins with the feed: no index of its own.
    feed = models.ForeignKey(
        Feed, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    entry_id = models.CharField(max_length=2000)
    link = models.URLField(max_length=2000, blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="feed_entries"
    )
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-seen_at", "-id"]
        verbose_name_plural = "feed entries"
        constraints = [
            models.UniqueConstraint(fields=["feed", "entry_id"], name="feed_entry_once")
        ]

    def __str__(self) -> str:
        return self.entry_id


class IngestJob(models.Model):
    """One request to ingest (a command run, an admin form, an API call, a feed poll)."""

    class Origin(models.TextChoices):
        COMMAND = "command", "manage.py ingest"
        ADMIN = "admin", "Admin"
        API = "api", "API"
        FEED = "feed", "Feed"
        REEXTRACT = "reextract", "Re-extraction"

    origin = models.CharField(max_length=10, choices=Origin.choices)
    label = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Inputs that never became an article (a path that does not exist).
    rejected = models.JSONField(default=list, blank=True)
    # 1 while the articles are processed the first time; 2 once the articles whose undated
    # references found no event were queued again, now that the whole batch is stored.
    passes = models.PositiveSmallIntegerField(default=1)
    articles = models.ManyToManyField(Article, through="IngestItem", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_origin_display()} #{self.pk} {self.label}".strip()

    def get_absolute_url(self) -> str:
        return reverse("admin:ingest_ingestjob_progress", args=[self.pk])

    def progress(self) -> JobProgress:
        """Counts of the job's articles by state, and the events they added, in one query."""
        done = Q(article__status=Article.Status.DONE)
        failed = Q(article__status=Article.Status.FAILED)
        row = self.items.aggregate(
            total=Count("id"),
            done=Count("id", filter=done),
            failed=Count("id", filter=failed),
            duplicates=Count("id", filter=Q(duplicate=True)),
            created=Sum("events_created", default=0),
            merged=Sum("events_merged", default=0),
        )
        return JobProgress(rejected=len(self.rejected), **row)


class IngestItem(models.Model):
    """One article of a job, and what processing it added (filled in when it is done)."""

    # ingest_item_once begins with the job: no index of its own.
    job = models.ForeignKey(
        IngestJob, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="ingest_items")
    label = models.CharField(max_length=2000, blank=True, help_text="The path, URL or title.")
    # The article was stored before this job (same URL or same text): nothing to add.
    duplicate = models.BooleanField(default=False)
    finished = models.BooleanField(default=False)
    events_created = models.PositiveIntegerField(default=0)
    events_merged = models.PositiveIntegerField(default=0)
    evidence_added = models.PositiveIntegerField(default=0)
    unattached = models.PositiveIntegerField(
        default=0, help_text="Undated references that found no event (a second pass retries)."
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "article"], name="ingest_item_once")
        ]
        # The pipeline marks the unfinished items of an article when it ends.
        indexes = [
            models.Index(
                fields=["article"], name="ingest_item_open", condition=Q(finished=False)
            )
        ]

    def __str__(self) -> str:
        return self.label or str(self.article)


class LexiconVersion(models.Model):
    """A counter bumped whenever actors, places or event keywords change.

    Workers compare it with the version their cached extraction lexicon was built from, so
    an editor's new alias reaches every worker process without a restart.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "lexicon version"

    def __str__(self) -> str:
        return f"lexicon v{self.version}"
