"""Article files in (.txt, .html, news-please .json/.jsonl) and the timeline JSON out.

For a .txt file the text is the file's text unchanged, so quotes are exact substrings of
the file; for HTML the text is what trafilatura extracts, and quotes are substrings of it.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from .dct import parse_date_value
from .types import ArticleInput, ExtractedEvent, PublicationDate

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})


def _published(value: object, basis: str, evidence: str) -> PublicationDate | None:
    day = parse_date_value(value)
    return PublicationDate(day, basis, evidence) if day else None


def article_from_record(record: dict, key: str) -> ArticleInput:
    """Return an article from a news-please style record (title, maintext, date_publish)."""
    text = record.get("maintext") or record.get("text") or record.get("content") or ""
    metadata = {k: v for k, v in record.items() if k not in ("maintext", "text", "content")}
    return ArticleInput(key=key, text=text, title=record.get("title") or "",
                        url=record.get("url") or "", metadata=metadata)


def article_from_html(html: str, key: str, url: str = "") -> ArticleInput:
    """Return the article trafilatura finds in a page, with the page's metadata."""
    import trafilatura  # heavy import, only for HTML input

    doc = trafilatura.bare_extraction(html, url=url or None, with_metadata=True,
                                      include_comments=False)
    if doc is None:
        return ArticleInput(key=key, text="", url=url)
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    metadata = {k: v for k, v in data.items() if isinstance(v, (str, int, float)) and k != "text"}
    if data.get("date"):
        metadata["date_publish"] = data["date"]
    return ArticleInput(key=key, text=data.get("text") or "", title=data.get("title") or "",
                        url=url or data.get("url") or "", metadata=metadata)


def read_article_file(path: str | Path) -> list[ArticleInput]:
    """Return the articles a file holds (one for text/HTML, one per record for JSON)."""
    path = Path(path)
    suffix = path.suffix.lower()
    raw = path.read_text(encoding="utf-8", errors="replace")
    if suffix in HTML_SUFFIXES:
        return [article_from_html(raw, path.name)]
    if suffix in JSON_SUFFIXES:
        if suffix == ".json" and raw.lstrip().startswith(("{", "[")):
            try:
                data = json.loads(raw)
            except json.JSONDecodeError:
                data = None
            if data is not None:
                records = data if isinstance(data, list) else [data]
                return _records(records, path.name)
        lines = [line for line in raw.splitlines() if line.strip()]
        return _records([json.loads(line) for line in lines], path.name)
    return [ArticleInput(key=path.name, text=raw)]


def _records(records: list, name: str) -> list[ArticleInput]:
    # several records in one file are told apart by their place: "feed.jsonl#3"
    return [article_from_record(r, name if len(records) == 1 else f"{name}#{i}")
            for i, r in enumerate(records) if isinstance(r, dict)]


def read_paths(paths: Iterable[str | Path]) -> list[ArticleInput]:
    """Return the articles of files and of the files directly inside folders, by name."""
    articles = []
    for p in paths:
        p = Path(p)
        files = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith(".")) \
            if p.is_dir() else [p]
        for f in files:
            if f.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES:
                articles.extend(read_article_file(f))
    return articles


def _article_name(key: str) -> str:
    return key.split("#", 1)[0]


def event_to_json(event: ExtractedEvent) -> dict:
    return {
        "date": event.date_start.isoformat(),
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "precision": event.precision,
        "title": event.title,
        "event_type": event.event_type,
        "mode": event.mode or None,
        "actors": list(event.actors),
        "location": event.place,
        "confidence": event.confidence,
        "needs_review": event.needs_review,
        "evidence": [{"article": _article_name(m.article), "quote": m.quote,
                      "char_start": m.char_start, "char_end": m.char_end,
                      **({"claims": [{"kind": c.kind, "value": c.value, "claimant": c.claimant}
                                     for c in m.claims]} if m.claims else {})}
                     for m in event.mentions],
    }


def timeline_to_json(events: Sequence[ExtractedEvent]) -> dict:
    """Return the timeline in the evaluation format: ``{"events": [...]}``."""
    return {"events": [event_to_json(e) for e in events]}
