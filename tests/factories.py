"""Small factories: each makes one valid row, with overridable fields."""
from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import date

from timeline.models import Actor, Article, Event, Evidence, Outlet, Place

_seq = itertools.count(1)


def make_outlet(**fields) -> Outlet:
    n = next(_seq)
    fields.setdefault("name", f"Outlet {n}")
    fields.setdefault("domain", f"outlet{n}.example")
    return Outlet.objects.create(**fields)


def make_article(text: str | None = None, **fields) -> Article:
    n = next(_seq)
    text = text if text is not None else f"Article number {n}. Troops shelled a village on Monday."
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("status", Article.Status.DONE)
    fields.setdefault("published_on", date(2025, 6, 4))
    fields.setdefault("published_basis", Article.Basis.METADATA)
    fields.setdefault("content_sha256", hashlib.sha256(f"{n}:{text}".encode()).hexdigest())
    return Article.objects.create(text=text, **fields)


def make_actor(name: str | None = None, **fields) -> Actor:
    return Actor.objects.create(name=name or f"Actor {next(_seq)}", **fields)


def make_place(name: str | None = None, **fields) -> Place:
    return Place.objects.create(name=name or f"Place {next(_seq)}", **fields)


def make_event(actors=(), evidence_from=(), **fields) -> Event:
    """An event; `evidence_from` articles each get one evidence row quoting their text."""
    fields.setdefault("date_start", date(2025, 6, 1))
    fields.setdefault("title", f"Event {next(_seq)}")
    fields.setdefault("event_type", "ASSAULT")
    fields.setdefault("status", Event.Status.PUBLISHED)
    fields.setdefault("confidence", 0.8)
    event = Event.objects.create(**fields)
    if actors:
        event.actors.add(*actors)
    for article in evidence_from:
        make_evidence(event, article)
    if evidence_from:
        event.source_count = len({a.pk for a in evidence_from})
        event.search_text = "\n".join([event.title, *(a.text[:200] for a in evidence_from)])
        event.save(update_fields=["source_count", "search_text"])
    return event


def make_evidence(event: Event, article: Article, start: int = 0, end: int | None = None, **fields):
    end = end if end is not None else min(len(article.text), start + 60) or start + 1
    fields.setdefault("quote", article.text[start:end] or "quote")
    return Evidence.objects.create(
        event=event, article=article, char_start=start, char_end=end, **fields
    )


# Stand-ins for the extraction output that timeline.services.record_events reads
# (services.EventLike / MentionLike), for tests that write through the real write path.
@dataclass(frozen=True)
class ClaimStub:
    kind: str
    value: str
    claimant: str = ""
    char_start: int = 0


@dataclass(frozen=True)
class MentionStub:
    quote: str
    char_start: int
    char_end: int
    date_text: str = "on Monday"
    rule: str = "weekday before the publication date"
    anchor: date | None = date(2025, 6, 4)
    speaker: str = ""
    claims: tuple = ()


@dataclass(frozen=True)
class ExtractedStub:
    date_start: date
    title: str
    event_type: str
    mentions: tuple
    date_end: date | None = None
    precision: str = "day"
    mode: str = ""
    actors: tuple = ()
    place: str | None = None
    confidence: float = 0.9
    needs_review: bool = False
    existing_id: int | None = None


def mention_of(text: str, sentence: str, **fields) -> MentionStub:
    """A mention quoting `sentence`, with its offsets in `text`."""
    start = text.index(sentence)
    return MentionStub(quote=sentence, char_start=start, char_end=start + len(sentence), **fields)
