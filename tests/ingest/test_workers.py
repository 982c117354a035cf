"""Real Celery workers on a real broker: the seeds give the extractor's events, once."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from ingest.extraction import extract_timeline, load_starter_lexicon, read_article_file
from ingest.management.commands.load_dictionary import load_dictionary
from tests.ingest.workers import GOLD, SEEDS, WorkerStack, database_url, redis_answers, wait_until
from timeline.models import Article, Event, Evidence

pytestmark = [pytest.mark.worker, pytest.mark.slow]

BROKERS = [
    "filesystem",
    pytest.param(
        "redis",
        marks=pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379"),
    ),
]


@pytest.fixture
def stack_for(transactional_db, tmp_path):
    made: list[WorkerStack] = []

    def make(broker: str, **env: str) -> WorkerStack:
        stack = WorkerStack(tmp_path, database_url(connection.settings_dict), broker, **env)
        made.append(stack)
        return stack

    yield make
    for stack in made:
        stack.close()


def _stored_spans(dated: bool) -> dict[str, set[tuple[int, int]]]:
    spans: dict[str, set[tuple[int, int]]] = {}
    rows = Evidence.objects.exclude(date_text="") if dated else Evidence.objects.filter(date_text="")
    for name, start, end in rows.values_list("article__source_name", "char_start", "char_end"):
        spans.setdefault(Path(name).name, set()).add((start, end))
    return spans


def _alone_spans(events, dated: bool) -> dict[str, set[tuple[int, int]]]:
    spans: dict[str, set[tuple[int, int]]] = {}
    for event in events:
        for m in event.mentions:
            if bool(m.date_text) == dated:
                spans.setdefault(m.article, set()).add((m.char_start, m.char_end))
    return spans


def _alone_timeline(today: date):
    articles = [a for path in sorted(SEEDS.glob("*.txt")) for a in read_article_file(path)]
    return extract_timeline(articles, load_starter_lexicon(), today)


def _gold_found(events: list[tuple[date, date | None, set[str]]], every_source: bool) -> set[str]:
    """Ids of gold events matched by an event of that date citing every (or any) gold source."""
    gold = json.loads(GOLD.read_text())["events"]
    found = set()
    for item in gold:
        day = date.fromisoformat(item["date"])
        end = date.fromisoformat(item["date_end"]) if item.get("date_end") else None
        wanted = set(item["sources"])
        for start, stop, sources in events:
            cited = wanted <= sources if every_source else bool(wanted & sources)
            if start == day and (end is None or stop == end) and cited:
                found.add(item["id"])
    return found


@pytest.mark.parametrize("broker", BROKERS)
def test_the_seed_articles_give_the_extractors_events_once(stack_for, broker, capsys):
    load_dictionary()
    stack = stack_for(broker)
    stack.worker()
    first = stack.manage("ingest", str(SEEDS), "--wait", "--timeout", "240", "--no-progress")
    assert first.returncode == 0, first.stderr
    assert "5 article(s): 5 done, 0 failed" in first.stdout, first.stdout + stack.log()
    assert Article.objects.filter(status="done").count() == 5

    # What the pipeline stored is what the extractor alone finds in the five files.
    today = Article.objects.order_by("created_at").first().created_at.date()
    alone = _alone_timeline(today)
    # Dated mentions depend on their article alone: the same spans, whatever the order.
    assert _stored_spans(dated=True) == _alone_spans(alone, dated=True)
    # Undated references ("the attack") read before their event was stored are read again
    # in the job's later passes: whatever the order, they end where the extractor puts them.
    stored_refs, alone_refs = _stored_spans(dated=False), _alone_spans(alone, dated=False)
    assert stored_refs == alone_refs
    ref_counts = (sum(map(len, stored_refs.values())), sum(map(len, alone_refs.values())))
    for row in Evidence.objects.select_related("article"):
        assert row.article.text[row.char_start:row.char_end] == row.quote

    stored = [
        (
            e.date_start,
            e.date_end,
            {Path(name).name for name in e.evidence.values_list("article__source_name", flat=True)},
        )
        for e in Event.objects.all()
    ]
    alone_events = [(e.date_start, e.date_end, {m.article for m in e.mentions}) for e in alone]
    alone_full, stored_full = _gold_found(alone_events, True), _gold_found(stored, True)
    stored_any = _gold_found(stored, False)
    core = {e["id"] for e in json.loads(GOLD.read_text())["events"] if e["core"]}
    with capsys.disabled():
        print(
            f"\n[{broker}] gold events (of 12) on their date citing every gold source: "
            f"stored {len(stored_full)} (core {len(stored_full & core)}/{len(core)}), "
            f"extractor alone on the batch {len(alone_full)}; citing at least one source: "
            f"stored {len(stored_any)}; core not fully sourced: {sorted(core - stored_full)}; "
            f"undated references stored {ref_counts[0]}, extractor alone {ref_counts[1]}"
        )
    # Every gold event the extractor alone finds is stored on its date with all its sources.
    assert stored_full == alone_full and core <= stored_full

    # Again: nothing added.
    counts = (Article.objects.count(), Event.objects.count(), Evidence.objects.count())
    again = stack.manage("ingest", str(SEEDS), "--wait", "--timeout", "120", "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "5 already stored" in again.stdout and "Events: 0 added, 0 merged" in again.stdout
    assert (Article.objects.count(), Event.objects.count(), Evidence.objects.count()) == counts


def _write_corpus(folder: Path, size: int) -> Path:
    from tests.ingest.corpus import make_corpus

    folder.mkdir(parents=True, exist_ok=True)
    for article in make_corpus(size, seed=11):
        (folder / f"{article.key}.txt").write_text(article.title + "\n\n" + article.text)
    return folder


def assert_each_article_done_once() -> None:
    statuses = Counter(Article.objects.values_list("status", flat=True))
    assert statuses == Counter({"done": sum(statuses.values())}), statuses
    # One sentence may be evidence of two events (a dated call and, undated, the attack it
    # was about); the same reading of it is recorded once.
    readings = Counter(
        Evidence.objects.values_list("article_id", "char_start", "date_text", "anchor_date")
    )
    assert [key for key, n in readings.items() if n > 1] == []


@pytest.mark.parametrize("broker", BROKERS)
def test_a_worker_killed_mid_batch_leaves_every_article_done_once(stack_for, tmp_path, broker):
    load_dictionary()
    corpus = _write_corpus(tmp_path / "corpus", 60)
    stack = stack_for(broker, STALE_PROCESSING_SECONDS="4", REQUEUE_INTERVAL_SECONDS="2")
    queued = stack.manage("ingest", str(corpus), "--no-progress")
    assert queued.returncode == 0, queued.stderr
    assert Article.objects.filter(status="queued").count() == 60

    victim = stack.worker("victim", concurrency=2)
    wait_until(
        lambda: Article.objects.filter(status="done").count() >= 5, 120,
        message="the first worker processed nothing",
    )
    stack.kill(victim)  # kill -9 of the whole worker, its pool children with it
    done_at_kill = Article.objects.filter(status="done").count()
    assert done_at_kill < 60, "the batch finished before the kill: make it longer"

    stack.worker("rescuer", beat=True)
    wait_until(
        lambda: Article.objects.filter(status="done").count() == 60, 240,
        message=f"articles left: {Counter(Article.objects.values_list('status', flat=True))}",
    )
    assert_each_article_done_once()
    assert Article.objects.exclude(extractor_version="").count() == 60
