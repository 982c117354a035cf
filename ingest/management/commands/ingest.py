"""manage.py ingest PATH_OR_URL... [--wait] [--sync]: queue articles, watch, summarize."""
from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from ingest import pipeline
from ingest.jobs import add_url, chunks, enqueue_job, start_job
from ingest.models import IngestItem, IngestJob
from ingest.sources.files import add_paths
from timeline.models import Article


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def submit(values: list[str], origin: str = IngestJob.Origin.COMMAND, enqueue: bool = True) -> IngestJob:
    """One job holding every path and URL given, queued once committed."""
    with transaction.atomic():
        job = start_job(origin, label=" ".join(values))
        urls = [v for v in values if is_url(v)]
        add_paths(job, [Path(v) for v in values if not is_url(v)])
        for url in urls:
            add_url(job, url)
        if enqueue:
            enqueue_job(job)
    return job


def run_sync(job: IngestJob, progress: bool = True) -> None:
    """Process the job's queued articles in this process (no broker, no worker), in chunks
    as the workers take them, pass after pass (see pipeline.finish_articles)."""
    for _ in range(pipeline.MAX_PASSES):
        ids = list(
            job.items.filter(article__status=Article.Status.QUEUED).values_list(
                "article_id", flat=True
            )
        )
        if not ids:
            return
        with tqdm(total=len(ids), desc="ingest", unit="article", disable=not progress) as bar:
            for chunk in chunks(ids):
                pipeline.process_articles(chunk)
                bar.update(len(chunk))


def wait_for_job(job: IngestJob, timeout: float | None, progress: bool = True, poll: float = 0.5) -> bool:
    """Show a progress bar until every article of the job is done or failed; False on timeout."""
    start = time.monotonic()
    state = job.progress()
    with tqdm(total=state.total, desc="ingest", unit="article", disable=not progress) as bar:
        while True:
            state = job.progress()
            bar.total = state.total
            bar.update(state.finished - bar.n)
            bar.set_postfix(failed=state.failed, refresh=False)
            if state.complete:
                return True
            if timeout is not None and time.monotonic() - start > timeout:
                return False
            time.sleep(poll)


def summary_lines(job: IngestJob) -> list[str]:
    state = job.progress()
    lines = [
        f"Job #{job.pk}: {state.total} article(s): {state.done} done, {state.failed} failed, "
        f"{state.total - state.finished} still queued; {state.duplicates} already stored.",
        f"Events: {state.created} added, {state.merged} merged into existing events.",
    ]
    failed = (
        IngestItem.objects.filter(job=job, article__status=Article.Status.FAILED)
        .select_related("article")
        .order_by("id")
    )
    for item in failed:
        lines.append(f"  failed: {item.label or item.article}: {item.article.error}")
    for rejected in job.rejected:
        lines.append(f"  not ingested: {rejected['input']}: {rejected['error']}")
    return lines


class Command(BaseCommand):
    help = (
        "Ingest article files, folders (.txt, .html, .json, .jsonl) and URLs. Articles are "
        "queued for the Celery workers; --wait shows progress until they are all processed, "
        "--sync processes them in this process. Ingesting the same article again adds nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--wait", action="store_true", help="Wait for the workers and summarize.")
        mode.add_argument("--sync", action="store_true", help="Process here, without a worker.")
        parser.add_argument(
            "--timeout", type=float, default=None, help="Stop waiting after this many seconds."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, inputs: list[str], wait: bool, sync: bool, timeout, **options) -> None:
        if timeout is not None and timeout <= 0:
            raise CommandError("--timeout must be a positive number of seconds")
        progress = not options["no_progress"]
        job = submit(inputs, enqueue=not sync)
        total = job.items.count()
        self.stdout.write(f"Job #{job.pk}: {total} article(s) submitted.")
        if sync:
            run_sync(job, progress)
        elif wait:
            if not wait_for_job(job, timeout, progress):
                self.stdout.write(self.style.WARNING(f"Stopped waiting after {timeout:g} s."))
        else:
            self.stdout.write("Queued for the workers; run with --wait to follow them.")
            return
        for line in summary_lines(job):
            self.stdout.write(line)
