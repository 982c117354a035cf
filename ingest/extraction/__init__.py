"""Pure extraction core: text and metadata in, dataclasses out.

Nothing here imports Django, touches a database or opens a socket, so the core can be
tested, scored and benchmarked alone.

    from ingest.extraction import extract_timeline, load_starter_lexicon
    events = extract_timeline(articles, load_starter_lexicon(), today)
"""
from .clustering import merge_mentions
from .dct import infer_from_related, publication_date
from .events import extract_mentions
from .formats import read_article_file, timeline_to_json
from .lexicon import Lexicon, load_starter_lexicon
from .pipeline import date_articles, extract_timeline

__all__ = [
    "Lexicon", "date_articles", "extract_mentions", "extract_timeline", "infer_from_related",
    "load_starter_lexicon", "merge_mentions", "publication_date", "read_article_file",
    "timeline_to_json",
]
