"""manage.py reextract: run the current extractor again over stored articles."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from ingest.extracting import extractor_version
from ingest.jobs import enqueue_job, start_job
from ingest.management.commands.ingest import run_sync, summary_lines, wait_for_job
from ingest.models import IngestItem, IngestJob
from timeline.models import Article


def queue_reextraction(
    article_ids: list[int] | None = None, everything: bool = False, failed: bool = False,
    enqueue: bool = True,
) -> IngestJob:
    """Put stored articles back in the queue for the current extractor, as one job.

    Recording is idempotent (evidence is unique per event, article and offset) and never
    touches fields an editor locked, so running it twice changes nothing more.
    """
    statuses = [Article.Status.DONE, *([Article.Status.FAILED] if failed else [])]
    articles = Article.objects.filter(status__in=statuses).exclude(text="")
    if article_ids:
        articles = articles.filter(pk__in=article_ids)
    elif not everything:
        articles = articles.filter(~Q(extractor_version=extractor_version()))
    with transaction.atomic():
        job = start_job(IngestJob.Origin.REEXTRACT, label=f"extractor {extractor_version()}")
        ids = list(articles.values_list("pk", flat=True))
        # Conditional: an article a worker is processing right now is left to it.
        Article.objects.filter(pk__in=ids, status__in=statuses).update(
            status=Article.Status.QUEUED, error="", claimed_at=None
        )
        IngestItem.objects.bulk_create(
            [IngestItem(job=job, article_id=pk, label=f"article {pk}") for pk in ids],
            batch_size=1000,
        )
        if enqueue:
            enqueue_job(job)
    return job


class Command(BaseCommand):
    help = (
        "Run the current extractor again over stored articles (by default those extracted by "
        "another version). Adds nothing twice and keeps every field an editor set."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("article_ids", nargs="*", type=int, metavar="ARTICLE_ID")
        parser.add_argument("--all", action="store_true", help="Every done article, any version.")
        parser.add_argument("--failed", action="store_true", help="Failed articles with text too.")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--wait", action="store_true", help="Wait for the workers and summarize.")
        mode.add_argument("--sync", action="store_true", help="Process here, without a worker.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, article_ids, wait: bool, sync: bool, **options) -> None:
        if article_ids and options["all"]:
            raise CommandError("give article ids or --all, not both")
        job = queue_reextraction(article_ids, options["all"], options["failed"], enqueue=not sync)
        self.stdout.write(f"Job #{job.pk}: {job.items.count()} article(s) to re-extract.")
        progress = not options["no_progress"]
        if sync:
            run_sync(job, progress)
        elif wait:
            wait_for_job(job, None, progress)
        else:
            return
        for line in summary_lines(job):
            self.stdout.write(line)
