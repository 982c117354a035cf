"""Values passed between the extraction steps (all frozen dataclasses)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Timex:
    """A temporal expression found in a text, normalized against an anchor date.

    ``value`` is the TIMEX3 value ("2025-06-01", "2025-05", "P3Y", "PRESENT_REF", ...).
    ``date_start``/``date_end`` are the calendar days it covers when it names a date
    (None for durations, sets and references such as PRESENT_REF).
    ``rule`` says how the value was reached, e.g. "weekday before the anchor".
    """

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str
    precision: str | None = None  # day, range, week, month, quarter, year, or None
    date_start: date | None = None
    date_end: date | None = None
    rule: str = ""
    anchor: date | None = None


@dataclass(frozen=True, slots=True)
class PublicationDate:
    """The anchor an article's relative dates hang on, and how it is known.

    ``basis`` is one of: metadata, dateline, text, weekday, user, related, ingest, unknown.
    """

    date: date | None
    basis: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """One article as the extractor sees it."""

    key: str  # a stable name: file name, URL or database id
    text: str
    title: str = ""
    url: str = ""
    published: PublicationDate | None = None  # when already known (metadata, the user)
    metadata: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Claim:
    """A figure stated next to an event: "seven dead", "41 aircraft destroyed"."""

    kind: str  # fatalities, injured, aircraft_destroyed, ...
    value: str
    claimant: str = ""
    quote: str = ""
    char_start: int = 0
    char_end: int = 0


@dataclass(frozen=True, slots=True)
class Mention:
    """One sentence (or clause) of one article that reports an event.

    ``date_start`` is None for an undated reference ("the attacks on bridges"): such a
    mention only reaches the timeline by joining a dated event (see clustering).
    """

    article: str  # ArticleInput.key
    quote: str  # exact substring of the article text
    char_start: int
    char_end: int
    date_start: date | None
    date_end: date | None
    precision: str  # day, range, month, year; "" when undated
    date_text: str  # the expression as written ("on Sunday")
    rule: str  # how it was resolved ("weekday before the anchor")
    anchor: date | None
    event_type: str  # PLOVER
    mode: str = ""  # phone, in person, drone, missile, ...
    actors: tuple[str, ...] = ()
    place: str | None = None
    speaker: str = ""
    confidence: float = 0.5
    title: str = ""
    claims: tuple[Claim, ...] = ()
    agent: str = ""  # who acts (attacker, caller, speaker): tells "A hits B" from "B hits A"
    cue: str = ""  # the words naming the event ("drone attacks on four air bases")
    antecedent: int = -1  # char_start of the same article's mention this one continues


@dataclass(frozen=True, slots=True)
class ExtractedEvent:
    """Mentions of one real event, merged (within and across articles)."""

    date_start: date
    date_end: date | None
    precision: str
    title: str
    event_type: str
    mode: str
    actors: tuple[str, ...]
    place: str | None
    confidence: float
    mentions: tuple[Mention, ...]
    needs_review: bool = False
    existing_id: int | None = None  # set when it joins an event already stored
    # Other stored events this one turned out to be: a new article tied them together.
    merge_ids: tuple[int, ...] = ()
