"""The pipeline functions called directly: claim, fetch, extract, record, fail."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from ingest import extracting, pipeline
from ingest.jobs import add_text, add_url, start_job
from ingest.models import IngestJob
from tests.ingest.conftest import article_html
from timeline.models import Article, Event, Evidence, Tombstone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dictionary")]

REPORT = (
    "KHARTOUM, May 14, 2025 (Reuters) - Rapid Support Forces fighters attacked army positions near "
    "El Fasher on Monday, killing 12 soldiers, the army said.\n\n"
    "Sudan accused the Rapid Support Forces of breaking the truce around Omdurman on Tuesday. "
    "Aid agencies say access to the area remains difficult."
)
SAME_EVENT_ELSEWHERE = (
    "CAIRO, May 15, 2025 (AFP) - Fighters of the Rapid Support Forces attacked army positions near "
    "El Fasher on Monday and killed 12 soldiers, according to the army.\n\n"
    "Diplomats expect more negotiations in the coming weeks."
)
OTHER_NEWS = (
    "BEIRUT, March 3, 2025 (Reuters) - Israeli aircraft struck a building in the southern "
    "Lebanese town of Nabatieh on Sunday, killing three people, Lebanon's health ministry said."
)
UNDATED = (
    "Rapid Support Forces fighters attacked army positions near El Fasher on Monday, killing "
    "twelve soldiers, the army said. Residents described long queues at the bakeries."
)




def _job() -> IngestJob:
    return start_job(IngestJob.Origin.COMMAND)


def _ingest_text(text: str, **fields) -> Article:
    item = add_text(_job(), text, **fields)
    pipeline.process_article(item.article_id)
    return Article.objects.get(pk=item.article_id)


def test_a_text_article_is_done_with_its_date_events_and_exact_quotes():
    job = _job()
    item = add_text(job, REPORT, title="Fighting in Darfur")
    outcome = pipeline.process_article(item.article_id)
    article = Article.objects.get(pk=item.article_id)
    assert outcome.status == "done"
    assert article.status == Article.Status.DONE and article.error == ""
    assert article.published_on == date(2025, 5, 14)
    assert article.published_basis in {"dateline", "text"}
    evidence = list(Evidence.objects.filter(article=article).select_related("event"))
    assert evidence, "the report's attack is extracted"
    for row in evidence:
        assert article.text[row.char_start:row.char_end] == row.quote
    attack = next(e.event for e in evidence if "El Fasher" in e.quote)
    assert (attack.date_start, attack.event_type) == (date(2025, 5, 12), "ASSAULT")
    progress = job.progress()
    assert (progress.done, progress.failed, progress.created) == (1, 0, outcome.result.created)
    assert progress.created == Event.objects.count() >= 1


def test_a_finished_article_is_not_claimed_again():
    article = _ingest_text(REPORT)
    assert pipeline.claim(article.pk) is None
    assert pipeline.process_article(article.pk).status == "skipped"


def test_redelivery_after_a_crash_adds_nothing_twice():
    article = _ingest_text(REPORT)
    evidence = Evidence.objects.count()
    events = Event.objects.count()
    # A worker that died after committing but before acking: the message comes back and
    # the article is processed again from a stale claim.
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PROCESSING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert pipeline.process_article(article.pk).status == "done"
    assert (Evidence.objects.count(), Event.objects.count()) == (evidence, events)


def test_a_fresh_claim_of_another_worker_is_left_alone():
    item = add_text(_job(), REPORT)
    first = pipeline.claim(item.article_id)
    assert first is not None and first.attempts == 1
    assert pipeline.claim(item.article_id) is None
    assert pipeline.claim(item.article_id, owned_claim=first.claimed_at) is not None


def test_the_same_text_twice_is_one_article_and_adds_nothing():
    first = _ingest_text(REPORT)
    evidence = Evidence.objects.count()
    job = _job()
    item = add_text(job, REPORT.replace("\n\n", "\n\n  "), title="Again")
    assert item.article_id == first.pk and item.duplicate and item.finished
    assert Evidence.objects.count() == evidence
    assert job.progress().created == 0


def test_two_articles_on_the_same_event_make_one_event_citing_both():
    first = _ingest_text(REPORT)
    second = _ingest_text(SAME_EVENT_ELSEWHERE)
    attacks = Event.objects.filter(event_type="ASSAULT", date_start=date(2025, 5, 12))
    assert attacks.count() == 1
    attack = attacks.get()
    assert set(attack.evidence.values_list("article_id", flat=True)) == {first.pk, second.pk}
    assert attack.source_count == 2


def _another_worker_records_meanwhile(monkeypatch, article_id: int) -> None:
    """The next chunk reads the stored events and merges; then, before it records, another
    worker records `article_id` and commits."""
    real_merge = pipeline.merge_readings

    def other_worker_meanwhile(readings, *args):
        merged = real_merge(readings, *args)
        monkeypatch.setattr(pipeline, "merge_readings", real_merge)
        pipeline.process_article(article_id)
        return merged

    monkeypatch.setattr(pipeline, "merge_readings", other_worker_meanwhile)


@pytest.mark.django_db(transaction=True)  # the copies are joined after real commits
def test_the_same_news_recorded_by_two_workers_at_once_ends_as_one_event(monkeypatch):
    first = add_text(_job(), REPORT).article_id
    second = add_text(_job(), SAME_EVENT_ELSEWHERE).article_id
    _another_worker_records_meanwhile(monkeypatch, second)
    outcome = pipeline.process_article(first)

    attack = Event.objects.get(event_type="ASSAULT", date_start=date(2025, 5, 12))
    assert set(attack.evidence.values_list("article_id", flat=True)) == {first, second}
    assert attack.source_count == 2
    assert outcome.status == "done" and outcome.result.created >= 1  # it did make a copy
    assert Tombstone.objects.filter(reason="merged", merged_into=attack).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_reading_the_same_news_at_the_same_moment_make_one_event(monkeypatch):
    first = add_text(_job(), REPORT).article_id
    second = add_text(_job(), SAME_EVENT_ELSEWHERE).article_id
    real_merge = pipeline.merge_readings
    both_read = threading.Barrier(2, timeout=60)

    def read_together(readings, *args):
        merged = real_merge(readings, *args)
        both_read.wait()  # neither has recorded anything yet: each makes its own copy
        return merged

    monkeypatch.setattr(pipeline, "merge_readings", read_together)
    outcomes = {}

    def worker(article_id):
        try:
            outcomes[article_id] = pipeline.process_article(article_id)
        finally:
            connection.close()  # each thread has a connection of its own

    threads = [threading.Thread(target=worker, args=(pk,)) for pk in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)

    assert [outcomes[pk].status for pk in (first, second)] == ["done", "done"]
    assert all(outcomes[pk].result.created for pk in (first, second))  # two copies were made
    attack = Event.objects.get(event_type="ASSAULT", date_start=date(2025, 5, 12))
    assert set(attack.evidence.values_list("article_id", flat=True)) == {first, second}


@pytest.mark.django_db(transaction=True)
def test_news_recorded_elsewhere_meanwhile_costs_one_look_and_no_second_merge(monkeypatch):
    first = add_text(_job(), REPORT).article_id
    elsewhere = add_text(_job(), OTHER_NEWS).article_id
    _another_worker_records_meanwhile(monkeypatch, elsewhere)
    merged_again = []
    real_merge = extracting.merge_readings

    def counted(*args):
        merged_again.append(args)
        return real_merge(*args)

    monkeypatch.setattr(extracting, "merge_readings", counted)
    outcome = pipeline.process_article(first)

    assert outcome.status == "done" and outcome.result.created >= 1
    assert Article.objects.get(pk=elsewhere).status == Article.Status.DONE
    # Something committed meanwhile, but nothing where the new events could join.
    assert merged_again == []


@pytest.mark.django_db(transaction=True)
def test_a_failure_to_join_copies_leaves_the_recorded_articles_done(monkeypatch):
    first = add_text(_job(), REPORT).article_id
    second = add_text(_job(), SAME_EVENT_ELSEWHERE).article_id
    def database_gone(*args):
        raise OperationalError("the server closed the connection")

    _another_worker_records_meanwhile(monkeypatch, second)
    monkeypatch.setattr(pipeline, "join_concurrent_copies", database_gone)
    outcome = pipeline.process_article(first)

    assert outcome.status == "done"
    assert Article.objects.get(pk=first).status == Article.Status.DONE
    # The copies stay apart, as before the join existed.
    assert Event.objects.filter(event_type="ASSAULT", date_start=date(2025, 5, 12)).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_worker_alone_merges_its_readings_once(monkeypatch):
    joined = []
    monkeypatch.setattr(pipeline, "join_concurrent_copies", lambda *args: joined.append(args))
    _ingest_text(REPORT)
    _ingest_text(SAME_EVENT_ELSEWHERE)
    assert joined == []  # nothing else committed between its read and its commit
    assert Event.objects.filter(event_type="ASSAULT", date_start=date(2025, 5, 12)).count() == 1


def test_an_undated_article_borrows_a_related_articles_date_and_is_flagged():
    _ingest_text(REPORT)
    article = _ingest_text(UNDATED)
    assert (article.published_on, article.published_basis) == (date(2025, 5, 14), "related")
    events = Event.objects.filter(evidence__article=article).distinct()
    assert events and all(e.needs_review for e in events if e.source_count == 1)


def test_an_undated_article_is_read_once_with_the_date_it_borrows(monkeypatch):
    _ingest_text(REPORT)
    read_with = []
    real = extracting.events.extract_mentions

    def recording(article, lexicon, today=None, published=None):
        read_with.append(published.date if published else None)
        return real(article, lexicon, today, published)

    monkeypatch.setattr(extracting.events, "extract_mentions", recording)
    _ingest_text(UNDATED)
    assert read_with == [date(2025, 5, 14)]


def test_an_undated_article_with_nothing_related_takes_the_ingest_date_and_is_flagged():
    article = _ingest_text(UNDATED)
    assert article.published_basis == "ingest"
    assert article.published_on == timezone.localdate(article.created_at)
    events = Event.objects.filter(evidence__article=article)
    assert events and all(e.needs_review and e.status == "draft" for e in events)


def test_a_url_article_is_fetched_reduced_and_recorded(http_server):
    url = http_server.add_page("/news/1", article_html(body=REPORT))
    item = add_url(_job(), url)
    assert pipeline.process_article(item.article_id).status == "done"
    article = Article.objects.get(pk=item.article_id)
    assert article.title == "Shelling hits a village"
    assert article.outlet.domain == "127.0.0.1"
    assert "El Fasher" in article.text and article.content_sha256
    assert article.evidence.exists()


def test_a_url_whose_page_is_already_stored_adds_nothing(http_server):
    stored = _ingest_text(REPORT.replace("\n\n", "\n"))
    html = "<html><body><article>" + "".join(
        f"<p>{p}</p>" for p in REPORT.split("\n\n")) + "</article></body></html>"
    url = http_server.add_page("/copy", html)
    evidence = Evidence.objects.count()
    item = add_url(_job(), url)
    assert pipeline.process_article(item.article_id).status == "duplicate"
    article = Article.objects.get(pk=item.article_id)
    assert article.status == "done" and article.metadata["duplicate_of"] == stored.pk
    assert Evidence.objects.count() == evidence


@pytest.mark.parametrize(
    ("path", "setup", "reason"),
    [
        ("/gone", lambda s: s.add_page("/gone", "no", status=500), "the server answered HTTP 500"),
        ("/img", lambda s: s.add_page("/img", b"\x89PNG", "image/png"), "content type image/png"),
        ("/menu", lambda s: s.add_page("/menu", "<html><nav><a href=/>Home</a></nav></html>"),
         "no article text found"),
        ("/away", lambda s: s.add_page("/away", "", status=302,
                                       headers={"Location": "http://10.255.255.1/"}),
         "refused to connect to a private address (10.255.255.1)"),
    ],
)
def test_a_url_that_cannot_be_ingested_fails_with_a_reason_and_the_batch_goes_on(
    http_server, path, setup, reason
):
    setup(http_server)
    good = http_server.add_page("/good", article_html(body=REPORT))
    job = _job()
    bad_item = add_url(job, http_server.url(path))
    good_item = add_url(job, good)
    for item in (bad_item, good_item):
        pipeline.process_article(item.article_id)
    bad = Article.objects.get(pk=bad_item.article_id)
    assert bad.status == "failed" and reason in bad.error
    assert not bad.evidence.exists()
    assert Article.objects.get(pk=good_item.article_id).status == "done"
    assert (job.progress().done, job.progress().failed) == (1, 1)


def test_a_timeout_fails_the_article_when_retries_are_over(http_server, settings):
    import time

    settings.FETCH_TIMEOUT = 0.3
    http_server.add("/slow", lambda h: time.sleep(1.5))
    item = add_url(_job(), http_server.url("/slow"))
    outcome = pipeline.process_article(item.article_id, retry_transient=False)
    assert outcome.status == "failed"
    assert "did not answer within 0.3 s" in Article.objects.get(pk=item.article_id).error


def test_a_timeout_with_retries_left_keeps_the_claim_for_the_retry(http_server, settings):
    import time

    settings.FETCH_TIMEOUT = 0.3
    http_server.add("/slow", lambda h: time.sleep(1.5))
    item = add_url(_job(), http_server.url("/slow"))
    with pytest.raises(pipeline.RetryLater) as caught:
        pipeline.process_article(item.article_id, retry_transient=True)
    article = Article.objects.get(pk=item.article_id)
    assert article.status == "processing" and article.claimed_at == caught.value.claimed_at


def test_an_unreachable_host_fails_with_a_reason():
    item = add_url(_job(), "http://no-such-host.invalid/news")
    pipeline.process_article(item.article_id)
    article = Article.objects.get(pk=item.article_id)
    assert article.status == "failed" and "cannot resolve host" in article.error


def test_an_article_whose_worker_died_too_often_is_given_up():
    item = add_text(_job(), REPORT)
    Article.objects.filter(pk=item.article_id).update(attempts=pipeline.MAX_ATTEMPTS)
    assert pipeline.process_article(item.article_id).status == "failed"
    assert "gave up after 5 attempts" in Article.objects.get(pk=item.article_id).error


def test_reextraction_keeps_each_quote_in_the_event_it_was_recorded_in():
    article = _ingest_text(REPORT)
    before = sorted(Evidence.objects.values_list("event_id", "char_start"))
    attack = Evidence.objects.get(article=article, quote__contains="El Fasher").event
    # An editor split the quotes differently: one quote now in an event of its own.
    moved = Evidence.objects.filter(article=article).exclude(event=attack).first()
    if moved is not None:
        other = Event.objects.create(
            date_start=attack.date_start, title="Split by an editor", event_type=moved.event.event_type
        )
        Evidence.objects.filter(pk=moved.pk).update(event=other)
    Article.objects.filter(pk=article.pk).update(status="queued")
    assert pipeline.process_article(article.pk).status == "done"
    spans = list(Evidence.objects.values_list("article_id", "char_start"))
    assert len(spans) == len(set(spans)) == len(before)
