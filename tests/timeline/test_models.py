"""Database constraints of the data model (enforced by Postgres, not only by forms)."""
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from tests.factories import make_article, make_event, make_evidence
from timeline.models import Article, Event


pytestmark = pytest.mark.django_db


def test_an_event_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(date_start=date(2025, 6, 2), date_end=date(2025, 6, 1), precision="range")


def test_a_range_needs_an_end():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(precision="range", date_end=None)


def test_a_day_has_no_end():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(precision="day", date_end=date(2025, 6, 3))


def test_a_range_with_an_end_is_stored():
    event = make_event(precision="range", date_start=date(2025, 5, 24), date_end=date(2025, 5, 26))
    assert Event.objects.get(pk=event.pk).date_end == date(2025, 5, 26)


def test_confidence_stays_between_zero_and_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(confidence=1.5)


def test_evidence_is_unique_per_event_article_and_offset():
    article = make_article("Shelling hit the port on Monday. Talks resumed on Tuesday.")
    event = make_event()
    make_evidence(event, article, 0, 31)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_evidence(event, article, 0, 31)


def test_evidence_span_cannot_be_empty():
    article = make_article("Text.")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_evidence(make_event(), article, 3, 3)


def test_the_same_content_is_one_article():
    make_article("Same text", content_sha256="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article("Same text", content_sha256="a" * 64)


def test_an_article_url_is_unique_but_may_be_missing():
    make_article(url="https://news.example/a")
    make_article(url=None)
    make_article(url=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(url="https://news.example/a")
    assert Article.objects.filter(url__isnull=True).count() == 2


def test_events_overlapping_any_of_several_spans():
    day = make_event(date_start=date(2025, 6, 1))
    week = make_event(date_start=date(2025, 6, 10), date_end=date(2025, 6, 16), precision="range")
    later = make_event(date_start=date(2025, 7, 20))
    spans = [(date(2025, 6, 14), date(2025, 6, 15)), (date(2025, 5, 30), date(2025, 6, 2))]
    assert set(Event.objects.overlapping_any(spans)) == {day, week}
    # Touching spans run together; one span is `overlapping`.
    assert set(Event.objects.overlapping_any([(date(2025, 6, 2), date(2025, 6, 9)),
                                              (date(2025, 6, 10), date(2025, 6, 10))])) == {week}
    assert set(Event.objects.overlapping(date(2025, 7, 1), date(2025, 7, 31))) == {later}
    assert not Event.objects.overlapping_any([(date(2025, 8, 1), date(2025, 8, 2))]).exists()
