"""A job's later passes: whatever order a batch is read in, the stored timeline is the one
the extractor makes of the whole batch at once."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ingest import pipeline
from ingest.extracting import merge_bridged_events
from ingest.extraction import extract_timeline, load_starter_lexicon, read_article_file
from ingest.extraction.types import ExtractedEvent
from ingest.jobs import add_text, start_job
from ingest.models import IngestJob
from tests.factories import make_event
from tests.ingest.workers import GOLD, SEEDS
from timeline.editing import merge_events
from timeline.models import Article, Event, Evidence, Tombstone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dictionary")]

DATED = (
    "KHARTOUM, May 14, 2025 (Reuters) - Rapid Support Forces fighters attacked army positions "
    "near El Fasher on Monday, killing 12 soldiers, the army said."
)
UNDATED = (
    "Rapid Support Forces fighters attacked army positions near El Fasher on Monday, killing "
    "twelve soldiers, the army said. Residents described long queues at the bakeries."
)


def _run_job(texts: list[tuple[str, str]]) -> IngestJob:
    """Every pass of a job, in-process: the articles in the order given, then each pass's."""
    job = start_job(IngestJob.Origin.COMMAND)
    items = [add_text(job, text, title="", source_name=name) for name, text in texts]
    for item in items:
        pipeline.process_article(item.article_id)
    while queued := list(Article.objects.filter(status="queued").order_by("pk")):
        for article in queued:
            pipeline.process_article(article.pk)
    return job


def test_an_article_read_before_the_one_that_dates_it_is_read_again_and_corrected():
    job = _run_job([("undated.txt", UNDATED), ("dated.txt", DATED)])
    undated = Article.objects.get(source_name="undated.txt")
    assert (undated.published_on, undated.published_basis) == (date(2025, 5, 14), "related")
    # The guess of the first reading (the ingest day) is withdrawn, not left beside the truth.
    attack = Event.objects.get(event_type="ASSAULT")
    assert attack.date_start == date(2025, 5, 12)
    assert attack.source_count == 2
    assert Tombstone.objects.filter(reason="withdrawn").exists()
    spans = list(Evidence.objects.values_list("article_id", "char_start", "date_text"))
    assert len(spans) == len(set(spans))
    assert IngestJob.objects.get(pk=job.pk).passes >= 2


def _gold_fully_sourced(events: list[tuple[date, date | None, set[str]]]) -> set[str]:
    found = set()
    for item in json.loads(GOLD.read_text())["events"]:
        start = date.fromisoformat(item["date"])
        end = date.fromisoformat(item["date_end"]) if item.get("date_end") else None
        for day, stop, sources in events:
            if day == start and (end is None or stop == end) and set(item["sources"]) <= sources:
                found.add(item["id"])
    return found


@pytest.mark.slow
@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4), (4, 3, 2, 1, 0), (1, 2, 3, 0, 4), (2, 1, 3, 4, 0)])
def test_the_seeds_in_any_order_give_what_the_extractor_makes_of_them_together(order):
    files = sorted(SEEDS.glob("*.txt"))
    articles = [(f.name, a) for f in files for a in read_article_file(f)]
    _run_job([(articles[i][0], articles[i][1].text) for i in order])
    stored = [
        (e.date_start, e.date_end, set(e.evidence.values_list("article__source_name", flat=True)))
        for e in Event.objects.all()
    ]
    alone = extract_timeline([a for _, a in articles], load_starter_lexicon(), date.today())
    expected = [(e.date_start, e.date_end, {m.article for m in e.mentions}) for e in alone]
    assert _gold_fully_sourced(stored) == _gold_fully_sourced(expected)
    assert len(stored) == len(alone)


def _as_extracted(event: Event, merge_ids: tuple[int, ...]) -> ExtractedEvent:
    return ExtractedEvent(
        date_start=event.date_start, date_end=None, precision="day", title=event.title,
        event_type=event.event_type, mode="", actors=(), place=None, confidence=0.8,
        mentions=(), existing_id=event.pk, merge_ids=merge_ids,
    )


def test_stored_events_a_new_article_ties_together_are_merged():
    first, second = make_event(), make_event()
    [event] = merge_bridged_events([_as_extracted(first, (second.pk,))])
    survivors = Event.objects.filter(pk__in=[first.pk, second.pk])
    assert survivors.count() == 1 and event.existing_id == survivors.get().pk
    assert Tombstone.objects.get(reason="merged").merged_into_id == event.existing_id


def test_events_an_editor_verified_or_made_are_not_merged_by_the_machine():
    first, verified = make_event(), make_event(verified=True)
    made = make_event(origin=Event.Origin.EDITOR)
    [event] = merge_bridged_events([_as_extracted(first, (verified.pk, made.pk))])
    assert Event.objects.filter(pk__in=[first.pk, verified.pk, made.pk]).count() == 3
    assert replace(event, merge_ids=()) == event and event.existing_id == first.pk


def test_an_event_merged_meanwhile_is_followed_to_its_survivor():
    first, second, survivor = make_event(), make_event(), make_event()
    merge_events([second, survivor], survivor=survivor)  # another worker, a moment ago
    [event] = merge_bridged_events([_as_extracted(first, (second.pk,))])
    assert not Event.objects.filter(pk__in=[first.pk, second.pk]).exclude(
        pk=event.existing_id).exists()
    assert Event.objects.count() == 1 and event.existing_id in {first.pk, survivor.pk}
