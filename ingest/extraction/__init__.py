"""Pure extraction core: text and metadata in, dataclasses out.

Nothing here imports Django, touches a database or opens a socket, so the core can be
tested, scored and benchmarked alone.

    from ingest.extraction import extract_timeline, load_starter_lexicon
    events = extract_timeline(articles, load_starter_lexicon(), today)
"""
# Stored on every article and event the core produced; bump it when the output changes, so
# `manage.py reextract` knows what is stale.
EXTRACTOR_VERSION = "2026.11.1"

from .clustering import merge_mentions  # noqa: E402
from .dct import infer_from_related, publication_date  # noqa: E402
from .events import extract_mentions  # noqa: E402
from .formats import read_article_file, timeline_to_json  # noqa: E402
from .lexicon import Lexicon, load_starter_lexicon  # noqa: E402
from .pipeline import date_articles, extract_timeline  # noqa: E402

__all__ = [
    "EXTRACTOR_VERSION", "Lexicon", "date_articles", "extract_mentions", "extract_timeline", "infer_from_related",
    "load_starter_lexicon", "merge_mentions", "publication_date", "read_article_file",
    "timeline_to_json",
]
