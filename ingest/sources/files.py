"""Files and folders: .txt, .html, .json and .jsonl articles, each file read at submission."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.errors import BadInput, IngestError
from ingest.extraction import formats
from ingest.html import reduce_html
from ingest.jobs import add_failed, add_text, reject
from ingest.models import IngestItem, IngestJob
from ingest.sources.text import decode_bytes, max_bytes
from timeline.models import Article

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".json", ".jsonl"}
SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES


def iter_files(path: Path) -> Iterator[Path]:
    """The article files under `path` (itself when it is a file), in a stable order."""
    if path.is_file():
        yield path
        return
    for child in sorted(path.rglob("*")):
        if child.is_file() and child.suffix.lower() in SUFFIXES and not child.name.startswith("."):
            yield child


def _read_checked(path: Path) -> str:
    size = path.stat().st_size
    if size > max_bytes():
        raise BadInput(f"too large ({size:,} bytes; the limit is {max_bytes():,})")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot be read: {exc.strerror or exc}") from None
    return decode_bytes(raw)


def add_file(job: IngestJob, path: Path) -> list[IngestItem]:
    """Queue the article(s) of one file; a file we cannot read becomes one failed article."""
    name = str(path.resolve())
    try:
        text = _read_checked(path)
        if path.suffix.lower() in HTML_SUFFIXES:
            page = reduce_html(text)
            return [
                add_text(
                    job, page.text, title=page.title, source=Article.Source.FILE,
                    source_name=name, published=page.published, metadata=page.metadata,
                )
            ]
        articles = formats.read_article_file(path)
        if not articles:
            raise BadInput("no article in the file")
    except (IngestError, ValueError, KeyError, TypeError) as exc:
        reason = str(exc) if isinstance(exc, IngestError) else f"cannot be read: {exc}"
        return [add_failed(job, source=Article.Source.FILE, source_name=name, error=reason)]
    items = []
    for number, article in enumerate(articles, start=1):
        given = article.published if article.published and article.published.date else None
        items.append(
            add_text(
                job,
                article.text,
                title=article.title,
                url=article.url,
                source=Article.Source.FILE,
                source_name=name if len(articles) == 1 else f"{name}#{number}",
                published=given.date if given else None,
                published_basis=given.basis if given else Article.Basis.METADATA,
                metadata=dict(article.metadata or {}),
                verbatim=True,
            )
        )
    return items


def add_paths(job: IngestJob, paths: Iterable[Path]) -> list[IngestItem]:
    """Queue every article file under the paths; a missing path is noted on the job."""
    items: list[IngestItem] = []
    for path in paths:
        if not path.exists():
            reject(job, str(path), "no such file or folder")
            continue
        found = False
        for file in iter_files(path):
            found = True
            items.extend(add_file(job, file))
        if not found:
            reject(job, str(path), "no .txt, .html, .json or .jsonl file in the folder")
    return items
