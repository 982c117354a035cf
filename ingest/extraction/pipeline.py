"""The whole extraction over a batch: publication dates, mentions, merged events."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from .clustering import merge_mentions
from .dct import RelatedIndex, batch_words, fallback_ingest, publication_date
from .events import extract_mentions
from .lexicon import Lexicon
from .types import ArticleInput, ExtractedEvent, Mention, PublicationDate


def date_articles(articles: Sequence[ArticleInput], today: date | None) -> list[ArticleInput]:
    """Return the articles with ``published`` set: their own date, a related one, or ingest.

    An article nothing dates takes the date of the most similar dated article of the
    batch; failing that, ``today`` as the ingest day (both are flagged for review later).
    """
    dated = [a if a.published is not None else
             replace(a, published=publication_date(a.text, a.metadata, a.title, today))
             for a in articles]
    related_index = None
    if any(a.published.date is None for a in dated):
        related_index = RelatedIndex(dated, batch_words(dated))
    out = []
    for a in dated:
        if a.published.date is None:
            related = related_index.infer(a)
            fallback = related or (fallback_ingest(today) if today else a.published)
            a = replace(a, published=fallback)
        out.append(a)
    return out


def extract_batch(articles: Sequence[ArticleInput], lexicon: Lexicon,
                  today: date | None) -> tuple[list[PublicationDate], list[Mention]]:
    """Return each article's publication date and all their mentions."""
    dates, mentions = [], []
    for article in date_articles(articles, today):
        pd, found = extract_mentions(article, lexicon, today, article.published)
        dates.append(pd)
        mentions.extend(found)
    return dates, mentions


def extract_timeline(articles: Sequence[ArticleInput], lexicon: Lexicon,
                     today: date | None = None) -> list[ExtractedEvent]:
    """Return the merged, sourced timeline the articles tell."""
    _, mentions = extract_batch(articles, lexicon, today)
    return merge_mentions(mentions, lexicon=lexicon)
