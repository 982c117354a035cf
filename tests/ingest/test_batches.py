"""Several articles through the pipeline at once (pipeline.process_articles): one claim,
one transaction, merged with each other; a bad article fails alone."""
from __future__ import annotations

import pytest
from django.db import OperationalError

from ingest import pipeline
from ingest.jobs import add_text, start_job
from ingest.models import IngestItem, IngestJob
from tests.ingest.test_pipeline import REPORT, SAME_EVENT_ELSEWHERE
from timeline import services
from timeline.models import Article, Event, Evidence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dictionary")]

OTHER_WAR = (
    "MOGADISHU, May 20, 2025 (AP) - Al-Shabaab fighters attacked a police station in "
    "Kismayo on Sunday, killing four officers, the police commissioner said."
)


def _items(*texts: str) -> list[IngestItem]:
    job = start_job(IngestJob.Origin.COMMAND)
    return [add_text(job, text, source_name=f"a{n}") for n, text in enumerate(texts)]


def _attack_near_el_fasher() -> Event:
    return Event.objects.filter(evidence__quote__contains="El Fasher", event_type="ASSAULT").distinct().get()


def test_two_reports_of_one_attack_in_one_batch_make_one_event_citing_both():
    items = _items(REPORT, SAME_EVENT_ELSEWHERE, OTHER_WAR)
    ids = [item.article_id for item in items]
    outcomes = pipeline.process_articles(ids)
    assert {outcome.status for outcome in outcomes.values()} == {"done"}
    attack = _attack_near_el_fasher()
    assert set(attack.evidence.values_list("article_id", flat=True)) == set(ids[:2])
    assert attack.source_count == 2
    for row in Evidence.objects.all():
        assert row.article.text[row.char_start:row.char_end] == row.quote
    # The event is counted once as created (by its first article), once as joined.
    items = {i.article_id: i for i in IngestItem.objects.filter(article_id__in=ids)}
    assert sum(i.events_created for i in items.values()) == Event.objects.count()
    assert items[ids[1]].events_merged >= 1 and all(i.finished for i in items.values())


def test_a_batch_gives_the_events_its_articles_give_one_by_one():
    def timeline() -> set:
        return {
            (e.date_start, e.event_type, frozenset(
                (Article.objects.get(pk=a).source_name, s)
                for a, s in e.evidence.values_list("article_id", "char_start")))
            for e in Event.objects.all()
        }

    texts = (REPORT, SAME_EVENT_ELSEWHERE, OTHER_WAR)
    for item in _items(*texts):
        pipeline.process_article(item.article_id)
    alone = timeline()
    Event.objects.all().delete()
    Article.objects.all().delete()
    pipeline.process_articles([item.article_id for item in _items(*texts)])
    assert timeline() == alone


def test_a_batch_taken_again_adds_nothing():
    ids = [item.article_id for item in _items(REPORT, SAME_EVENT_ELSEWHERE)]
    pipeline.process_articles(ids)
    evidence = Evidence.objects.count()
    Article.objects.filter(pk__in=ids).update(status=Article.Status.QUEUED)
    pipeline.process_articles(ids)
    assert Evidence.objects.count() == evidence and Event.objects.count() >= 1
    assert pipeline.process_articles(ids)[ids[0]].status == "skipped"


def test_an_article_that_breaks_the_shared_transaction_fails_alone(monkeypatch):
    ids = [item.article_id for item in _items(REPORT, "", SAME_EVENT_ELSEWHERE, OTHER_WAR)]
    broken = ids[3]
    record = services.record_articles

    def record_unless_broken(articles, *args, **kwargs):
        if any(article.pk == broken for article in articles):
            raise ValueError("a bug met this article")
        return record(articles, *args, **kwargs)

    monkeypatch.setattr(pipeline, "record_articles", record_unless_broken)
    outcomes = pipeline.process_articles(ids)
    statuses = dict(Article.objects.filter(pk__in=ids).values_list("pk", "error"))
    # The empty one failed when it was added: nothing to take.
    assert [outcomes[pk].status for pk in ids] == ["done", "skipped", "done", "failed"]
    assert statuses[ids[1]].startswith("empty")
    assert statuses[broken] == "internal error: ValueError: a bug met this article"
    assert not Evidence.objects.filter(article_id=broken).exists()
    assert _attack_near_el_fasher().source_count == 2


def test_a_database_error_keeps_every_claim_for_the_retry(monkeypatch):
    ids = [item.article_id for item in _items(REPORT, SAME_EVENT_ELSEWHERE)]

    def unavailable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(pipeline, "record_articles", unavailable)
    outcomes = pipeline.process_articles(ids, retry_transient=True)
    articles = {a.pk: a for a in Article.objects.filter(pk__in=ids)}
    assert [outcomes[pk].status for pk in ids] == ["retry", "retry"]
    assert all(articles[pk].status == "processing" for pk in ids)
    assert [outcomes[pk].claimed_at for pk in ids] == [articles[pk].claimed_at for pk in ids]
    assert not Evidence.objects.exists()
    # The retry re-takes its own claim and records.
    monkeypatch.undo()
    done = pipeline.process_article(ids[0], owned_claim=outcomes[ids[0]].claimed_at)
    assert done.status == "done"


def test_articles_unread_at_the_deadline_go_back_to_the_queue():
    ids = [item.article_id for item in _items(REPORT, SAME_EVENT_ELSEWHERE, OTHER_WAR)]
    outcomes = pipeline.process_articles(ids, deadline=0)
    assert [outcomes[pk].status for pk in ids] == ["done", "released", "released"]
    assert list(Article.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True)) == [
        "done", "queued", "queued"
    ]
