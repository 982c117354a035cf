"""HTML reduced to what the extractor reads: the article's text, title and date."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import trafilatura
from lxml import etree

from ingest.errors import BadInput

# Below this many characters of text a page is a menu, a login wall or an index, not an article.
MIN_ARTICLE_CHARS = 200

# Trafilatura reports every odd page at WARNING; the reason we keep is the article's error.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class ReducedPage:
    text: str
    title: str
    published: date | None  # from the page's metadata only, never guessed from the text
    metadata: dict


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def reduce_html(html: str | bytes, url: str = "") -> ReducedPage:
    """The page's main text, title and metadata date; BadInput when it holds no article."""
    if not (html.strip() if isinstance(html, (str, bytes)) else html):
        raise BadInput("empty")
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            # Metadata only: a date read from the text is the extractor's job, with its basis.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (
        ValueError, TypeError, LookupError, AttributeError, RecursionError, AssertionError,
        etree.LxmlError,
    ) as exc:
        # Parsers meet hostile markup here: whatever they raise, the page is unreadable.
        raise BadInput(f"the HTML cannot be read ({type(exc).__name__})") from None
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if len(text) < MIN_ARTICLE_CHARS:
        raise BadInput(
            "no article text found in the page"
            + (f" (only {len(text)} characters)" if text else "")
        )
    title = (document.title or "").strip()
    # Trafilatura keeps the headline as the first line of the text; the extractor wants the
    # body, with the title given apart.
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest.strip()
    published = _parse_date(document.date)
    metadata = {
        key: value
        for key, value in {
            "date": published.isoformat() if published else "",
            "author": document.author or "",
            "sitename": document.sitename or "",
            "hostname": document.hostname or "",
            "url": document.url or url,
            "description": document.description or "",
        }.items()
        if value
    }
    return ReducedPage(text=text, title=title[:500], published=published, metadata=metadata)
