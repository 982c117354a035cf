"""Fuzzed text into the extraction entry points the pipeline calls: no unhandled exception."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ingest import pipeline
from ingest.extraction import load_starter_lexicon
from ingest.extraction.clustering import merge_mentions
from ingest.extraction.events import extract_mentions
from ingest.extraction.types import ArticleInput
from ingest.jobs import add_text, start_job
from ingest.models import IngestJob
from timeline.models import Article



FRAGMENTS = st.sampled_from([
    "Russia", "Ukraine", "Hamas", "Israel", "Sudan", "Kharkiv", "Gaza", "Khartoum", "on Monday",
    "on June 4", "yesterday", "last week", "2025", "May 31, 2025", "shelled", "attacked",
    "talks", "held talks with", "accused", "said", "killing 7 people", "\u201c", "\u201d", ". ",
    "\n\n", "KYIV, June 4 (Reuters) - ", "the attack", "the strike on the bridges", ",", " ",
    "Wednesday, the 4th of June", "overnight", "between May 24 and 26", "\u2013", "(AP)",
])
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
def test_any_text_extracts_and_merges_without_an_exception(text, today):
    lexicon = load_starter_lexicon()
    published, mentions = extract_mentions(ArticleInput(key="a", text=text), lexicon, today)
    for mention in mentions:
        assert text[mention.char_start:mention.char_end] == mention.quote
    merge_mentions(mentions, (), lexicon)
    assert published.basis


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=TEXTS)
def test_any_text_through_the_pipeline_ends_done_or_failed_with_a_reason(dictionary, text):
    job = start_job(IngestJob.Origin.COMMAND)
    item = add_text(job, text or " ")
    outcome = pipeline.process_article(item.article_id)
    article = Article.objects.get(pk=item.article_id)
    assert article.status in ("done", "failed")
    assert (article.status == "failed") == bool(article.error)
    assert not article.error.startswith("internal error"), article.error
    assert outcome.status in ("done", "failed", "skipped")
