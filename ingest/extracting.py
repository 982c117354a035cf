"""Running the pure extractor over a stored article, with what only the database knows:
the dates of related stored articles and the events already stored near the same days.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from psycopg.types.json import Jsonb

from ingest.extraction import clustering, dct, events
from ingest.extraction.types import ArticleInput, ExtractedEvent, Mention, PublicationDate
from ingest.lexicon_store import get_lexicon
from timeline.editing import EditingError, merge_events
from timeline.models import SHORT_SPAN_DAYS, Actor, Article, Event, Evidence
from timeline.querysets import day_runs
from timeline.services import live_event, machine_made

# Stored events this many days either side of a new mention's days are merge candidates.
MERGE_MARGIN_DAYS = 1
# How many recently stored, dated articles an undated one is compared with.
RELATED_CANDIDATES = 300
# Bases that come from outside the text (the page, the user): re-extraction keeps them.
GIVEN_BASES = {Article.Basis.METADATA, Article.Basis.USER}
FALLBACK_BASES = {Article.Basis.RELATED, Article.Basis.INGEST, Article.Basis.UNKNOWN}


def extractor_version() -> str:
    """The extraction core's version, stored on every event and article it produced."""
    from ingest.extraction import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


def article_input(article: Article) -> ArticleInput:
    given = None
    if article.published_on and article.published_basis in GIVEN_BASES:
        given = PublicationDate(article.published_on, article.published_basis, "given")
    return ArticleInput(
        key=str(article.pk),
        text=article.text,
        title=article.title,
        url=article.url or "",
        published=given,
        metadata=article.metadata or {},
    )


def related_articles() -> list[ArticleInput]:
    """The most recently stored articles whose own date is known (their heads)."""
    rows = (
        # Any status: a later pass re-queues articles whose dates the first pass found.
        Article.objects.filter(published_on__isnull=False)
        .exclude(published_basis__in=FALLBACK_BASES)
        .order_by("-created_at")
        .values("pk", "title", "published_on", "published_basis", head=Left("text", 4000))[
            : RELATED_CANDIDATES + 1
        ]
    )
    return [
        ArticleInput(
            key=str(row["pk"]),
            text=row["head"],
            title=row["title"],
            published=PublicationDate(row["published_on"], row["published_basis"]),
        )
        for row in rows
    ]


# Content words of stored articles' heads, by (id, head): compared with every undated
# article, they are worth computing once per worker.
_RELATED_WORDS: dict[tuple[str, str], frozenset[str]] = {}
_RELATED_WORDS_SIZE = 5_000


class RelatedDates:
    """related_date for the articles of one batch: the stored articles are read once."""

    def __init__(self):
        self._others: list[ArticleInput] | None = None
        self._words: dict[str, frozenset[str]] = {}

    def __call__(self, article: ArticleInput) -> PublicationDate | None:
        """The date of the most similar stored article whose own date is known."""
        if self._others is None:
            self._others = related_articles()
            if len(_RELATED_WORDS) > _RELATED_WORDS_SIZE:
                _RELATED_WORDS.clear()
            for other in self._others:
                key = (other.key, other.text)
                if key not in _RELATED_WORDS:
                    _RELATED_WORDS[key] = dct.batch_words([other])[other.key]
                self._words[other.key] = _RELATED_WORDS[key]
        others = [other for other in self._others if other.key != article.key]
        return dct.infer_from_related(article, others[:RELATED_CANDIDATES], self._words)


def related_date(article: ArticleInput) -> PublicationDate | None:
    """The date of the most similar stored article whose own date is known."""
    return RelatedDates()(article)


_MENTION_FIELDS = tuple(
    f.name for f in fields(Mention) if f.name not in {"article", "quote", "claims"}
)
_DATE_FIELDS = ("date_start", "date_end", "anchor")


def mention_to_json(mention: Mention) -> dict:
    """The mention as Evidence.mention stores it (the quote and claims are stored apart).

    Read field by field: dataclasses.asdict deep-copies every value, claims included,
    which cost more than a millisecond per article."""
    data = {k: getattr(mention, k) for k in _MENTION_FIELDS}
    for key in _DATE_FIELDS:
        data[key] = data[key].isoformat() if data[key] else None
    data["actors"] = list(data["actors"] or ())
    return data


def mention_from_json(data: dict, article_id: int, quote: str) -> Mention | None:
    """The stored mention, or None when it was stored by another shape of the extractor."""
    try:
        values = {k: data[k] for k in _MENTION_FIELDS if k in data}
        for key in _DATE_FIELDS:
            values[key] = date.fromisoformat(values[key]) if values.get(key) else None
        values["actors"] = tuple(values.get("actors") or ())
        return Mention(article=str(article_id), quote=quote, **values)
    except (TypeError, ValueError):
        return None


def _parties(mentions: Sequence[Mention]) -> tuple[frozenset[str], frozenset[str]]:
    """The mentions' actors and their countries. A stored event is a candidate when it
    has an actor of one of them, or no actor at all: merging never joins "A attacks B" with
    events of other parties, and on a busy timeline this keeps to the conflict at hand."""
    lexicon = get_lexicon()
    names = {name for m in mentions for name in m.actors if name}
    countries = {
        actor.country for name in names if (actor := lexicon.actor(name)) and actor.country
    }
    return frozenset(names), frozenset(countries)


@dataclass(frozen=True)
class Window:
    """Where stored events may be merge candidates: their days, types and parties, and
    for an undated reference (`named`), the words or people they must share with it."""

    low: date
    high: date
    types: tuple[str, ...]
    names: frozenset[str]  # the article's actors, and their countries: the parties
    countries: frozenset[str]
    # For a reference: a regex of its words (stems), and the people it may share (talk).
    named: bool = False
    pattern: str | None = None
    kin: frozenset[str] = frozenset()


def _windows(group: Sequence[Mention]) -> set[Window]:
    """Where the stored events one article's mentions may join are: for a dated mention,
    its own days (and a day either side: an event's date is its mentions' vote) among its
    family's types; for an undated reference ("the attack on the dam"), the days it may
    reach back, among events holding one of its distinctive words (talk: or one of its
    people). clustering.merge_mentions decides among them.

    A reference shares a word (a stem: a prefix of a word of one of the event's quotes or
    cues) or, for talk, someone with the event it names, so this loses no candidate, and
    spares reading every event of the conflict in those 45 days.
    """
    margin = timedelta(days=MERGE_MARGIN_DAYS)
    reach = timedelta(days=clustering.REFERENCE_WINDOW_DAYS)
    names, countries = _parties(group)
    lexicon = get_lexicon()
    days: dict[tuple[str, ...], list[tuple[date, date]]] = defaultdict(list)
    words: dict[tuple[date, tuple[str, ...]], set[str]] = defaultdict(set)
    people: dict[tuple[date, tuple[str, ...]], set[str]] = defaultdict(set)
    for m in group:
        types = tuple(sorted(clustering.family_types(m.event_type)))
        if m.date_start is not None:
            days[types].append((m.date_start - margin, (m.date_end or m.date_start) + margin))
        elif m.anchor is not None:
            # An article's references of one family share a window, with all their words.
            words[m.anchor, types] |= clustering.reference_words(m, lexicon)
            if clustering.FAMILIES.get(m.event_type) == "consult":
                people[m.anchor, types] |= clustering.kin(m.actors, lexicon)
    windows = set()
    for types, spans in days.items():
        # Overlapping or touching days of one family: one window.
        windows.update(Window(low, high, types, names, countries) for low, high in day_runs(spans))
    for anchor, types in words.keys() | people.keys():
        stems, kin = words.get((anchor, types)), people.get((anchor, types))
        if not stems and not kin:
            continue  # names no event
        pattern = None
        if stems:
            # "refinery" was stemmed from "refineries": its prefix without the y is in both.
            prefixes = sorted({w[:-1] if w.endswith("y") else w for w in stems})
            pattern = "(" + "|".join(map(re.escape, prefixes)) + ")"
        windows.add(Window(
            anchor - reach, anchor + margin, types, names, countries,
            named=True, pattern=pattern, kin=frozenset(kin or ()),
        ))
    return windows


# The ids of the events in any of the windows (a JSON list of them, one row each): those
# that start in the window, then those that run into it (as filters.began_into finds them); of
# the window's parties, or of nobody; and for a reference, with one of its words in a quote
# or cue (which a long sentence's quote may cut), or one of its people among the event's
# actors or in a mention. The windows of a chunk's articles overlap: each event's actors
# are gathered once, not once per window (100 articles: 55 ms, was 110).
CANDIDATES_SQL = f"""
    WITH w AS MATERIALIZED (
        SELECT row_number() OVER () AS n, * FROM jsonb_to_recordset(%s::jsonb) AS w(
            low date, high date, types varchar[], parties bigint[], named boolean,
            pattern text, kin text[], kin_ids bigint[]
        )
    ), hits AS MATERIALIZED (
        SELECT w.n, e.id FROM w CROSS JOIN LATERAL (
            SELECT id FROM timeline_event WHERE event_type = ANY(w.types)
                AND status = ANY(%s) AND date_start BETWEEN w.low AND w.high
            UNION ALL
            SELECT id FROM timeline_event WHERE event_type = ANY(w.types)
                AND status = ANY(%s) AND date_start >= w.low - {SHORT_SPAN_DAYS}
                AND date_start < w.low AND date_end >= w.low AND (date_end - date_start) > 0
            UNION ALL
            SELECT id FROM timeline_event WHERE (date_end - date_start) > {SHORT_SPAN_DAYS}
                AND daterange(date_start, date_end, '[]') @> w.low
                AND date_start < w.low - {SHORT_SPAN_DAYS} AND event_type = ANY(w.types)
                AND status = ANY(%s)
        ) AS e
    ), actors AS MATERIALIZED (
        SELECT event_id, array_agg(actor_id) AS ids FROM timeline_event_actors
        WHERE event_id IN (SELECT id FROM hits) GROUP BY event_id
    )
    SELECT DISTINCT h.id FROM hits h JOIN w USING (n)
    LEFT JOIN actors ON actors.event_id = h.id
    WHERE (actors.ids IS NULL OR actors.ids && w.parties) AND (
        NOT w.named OR actors.ids && w.kin_ids
        OR EXISTS (
            SELECT FROM timeline_evidence v WHERE v.event_id = h.id AND (
                v.quote ~* w.pattern OR v.mention->>'cue' ~* w.pattern
                OR v.mention->'actors' ?| w.kin
                OR (cardinality(w.kin) > 0 AND v.mention->'actors' IS NULL)
            )
        )
    )
"""


def _stored_candidates(
    mentions: Sequence[Mention], groups: Sequence[Sequence[Mention]] = ()
) -> list[ExtractedEvent]:
    """Events stored where the mentions may join them (_windows), with their evidence as
    mentions (5 queries).

    `groups` (the mentions of each article; by default all of them as one) each look with
    their own parties: a chunk of articles about several wars on many days reads what its
    articles would read one by one, not every event of all those days and wars.
    """
    query = _candidates_query(groups or [mentions])
    if query is None:
        return []
    # ARRAY(): the ids are collected once (an InitPlan), then read by primary key; as a
    # plain IN (subquery) the planner, misjudging how many the windows give, may compare
    # every event of the table with every candidate.
    sql, params = query
    ids = RawSQL(f"SELECT unnest(ARRAY({sql}))", params)
    return as_candidates(Event.objects.filter(pk__in=ids))


def _candidate_ids(readings: Sequence[Reading]) -> set[int]:
    """The ids of stored_candidates_of (2 queries)."""
    query = _candidates_query([reading.mentions for reading in readings])
    if query is None:
        return set()
    sql, params = query
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ARRAY({sql})", params)
        return set(cursor.fetchone()[0])


def _candidates_query(groups: Sequence[Sequence[Mention]]) -> tuple[str, list] | None:
    """CANDIDATES_SQL and its parameters for the windows of each group of mentions (an
    article's: each with its own parties); None when they have none."""
    windows = set().union(*(_windows(group) for group in groups))
    if not windows:
        return None
    # The stored actors of the windows' names, and of their parties' countries.
    names = set().union(*(w.names | w.kin for w in windows))
    countries = set().union(*(w.countries for w in windows))
    stored = Actor.objects.filter(Q(name__in=names) | Q(country__in=countries))
    by_name, by_country = defaultdict(set), defaultdict(set)
    for pk, name, country in stored.values_list("pk", "name", "country"):
        by_name[name].add(pk)
        by_country[country].add(pk)
    # The windows go as one JSON parameter: a statement with a placeholder per value
    # differs for every chunk, and psycopg parsed each anew (about 30 ms for 100 articles).
    rows = []
    for w in windows:
        parties = set().union(*(by_name[n] for n in w.names), *(by_country[c] for c in w.countries))
        rows.append({
            "low": w.low.isoformat(), "high": w.high.isoformat(), "types": list(w.types),
            "parties": sorted(parties), "named": w.named, "pattern": w.pattern,
            "kin": sorted(w.kin), "kin_ids": sorted(set().union(*(by_name[n] for n in w.kin))),
        })
    live = [status for status in Event.Status.values if status != Event.Status.REJECTED]
    return CANDIDATES_SQL, [Jsonb(rows), live, live, live]


# Evidence rows as mentions, by evidence id, with the row's version (Postgres's xmin,
# new with every update): a stored event is a merge candidate of many articles, and its
# rows are read in full only when new or changed.
_STORED_MENTIONS: dict[int, tuple[str, Mention]] = {}
_STORED_MENTIONS_SIZE = 200_000
EVIDENCE_FIELDS = (
    "id", "event_id", "article_id", "quote", "char_start", "char_end", "date_text",
    "date_rule", "anchor_date", "speaker", "mention",
)


def as_candidates(events: QuerySet) -> list[ExtractedEvent]:
    """These stored events as the extractor's events, their evidence as mentions (4 queries)."""
    rows = list(
        events.values(
            "pk", "date_start", "date_end", "precision", "title", "event_type", "mode",
            "confidence", "needs_review", place_name=F("place__name"),
        )
    )
    if not rows:
        return []
    ids = [row["pk"] for row in rows]
    actors: dict[int, list[str]] = defaultdict(list)
    for event_id, name in Event.actors.through.objects.filter(event_id__in=_any(ids)).values_list(
        "event_id", "actor__name"
    ):
        actors[event_id].append(name)
    versions = list(
        Evidence.objects.filter(event_id__in=_any(ids))
        .annotate(row_version=RawSQL("timeline_evidence.xmin::text", ()))
        .values_list("id", "event_id", "row_version")
    )
    if len(_STORED_MENTIONS) > _STORED_MENTIONS_SIZE:
        _STORED_MENTIONS.clear()
    unread = [pk for pk, _, version in versions if _STORED_MENTIONS.get(pk, ("",))[0] != version]
    full = {ev["id"]: ev for ev in Evidence.objects.filter(pk__in=_any(unread)).values(*EVIDENCE_FIELDS)}
    by_pk = {row["pk"]: row for row in rows}
    quotes: dict[int, list[Mention]] = defaultdict(list)
    for pk, event_id, version in versions:
        cached = _STORED_MENTIONS.get(pk)
        if cached is not None and cached[0] == version:
            quotes[event_id].append(cached[1])
            continue
        ev = full.get(pk)
        if ev is None:  # deleted since the first read
            continue
        mention = _stored_mention(by_pk[event_id], ev, tuple(actors[event_id]))
        # A row without the extractor's mention is read from its event's row: not kept.
        if ev["mention"] and mention.article == str(ev["article_id"]) and mention.quote == ev["quote"]:
            _STORED_MENTIONS[pk] = (version, mention)
        quotes[event_id].append(mention)

    candidates = []
    for row in rows:
        names = tuple(actors[row["pk"]])
        stored_mentions = tuple(quotes[row["pk"]])
        candidates.append(
            ExtractedEvent(
                date_start=row["date_start"],
                date_end=row["date_end"],
                precision=row["precision"],
                title=row["title"],
                event_type=row["event_type"],
                mode=row["mode"],
                actors=names,
                place=row["place_name"],
                confidence=row["confidence"],
                mentions=stored_mentions,
                needs_review=row["needs_review"],
                existing_id=row["pk"],
            )
        )
    return candidates


def _any(ids: list[int]) -> RawSQL:
    """For `__in`: thousands of ids as one array parameter, not a list to write and parse."""
    return RawSQL("SELECT unnest(%s::bigint[])", [ids])


def _stored_mention(event: dict, ev: dict, names: tuple[str, ...]) -> Mention:
    """One evidence row as the mention the extractor made (or as near as the row tells)."""
    if ev["mention"]:
        mention = mention_from_json(ev["mention"], ev["article_id"], ev["quote"])
        if mention is not None:
            return mention
    return Mention(
        article=str(ev["article_id"]),
        quote=ev["quote"],
        char_start=ev["char_start"],
        char_end=ev["char_end"],
        date_start=event["date_start"],
        date_end=event["date_end"],
        precision=event["precision"],
        date_text=ev["date_text"],
        rule=ev["date_rule"],
        anchor=ev["anchor_date"],
        event_type=event["event_type"],
        mode=event["mode"],
        actors=names,
        place=event["place_name"],
        speaker=ev["speaker"],
        confidence=event["confidence"],
        title=event["title"],
    )


@dataclass(frozen=True, slots=True)
class Reading:
    """One article as the extractor read it, before merging with anything."""

    key: str
    published: PublicationDate
    mentions: list[Mention]
    fallback: bool  # the date rests on a related article or the ingest day


def read_article(article: Article, today: date, related=related_date) -> Reading:
    """Publication date and mentions of one stored article.

    An article nothing dates takes the date of the most similar dated stored article
    (`related`), else the ingest day; its events are then flagged needs_review, never
    silently dated.
    """
    lexicon = get_lexicon()
    data = article_input(article)
    published = data.published or dct.publication_date(data.text, data.metadata, data.title, today)
    fallback = published.date is None or published.basis == Article.Basis.UNKNOWN
    if fallback:
        published = related(data) or dct.fallback_ingest(today)
    published, mentions = events.extract_mentions(data, lexicon, today, published=published)
    return Reading(data.key, published, mentions, fallback)


def stored_candidates_of(readings: Sequence[Reading]) -> list[ExtractedEvent]:
    """The stored events the readings' mentions may join (_stored_candidates)."""
    mentions = [m for reading in readings for m in reading.mentions]
    return _stored_candidates(mentions, [reading.mentions for reading in readings])


def merge_readings(
    readings: Sequence[Reading], candidates: Sequence[ExtractedEvent] | None = None
) -> tuple[list[ExtractedEvent], dict[str, int]]:
    """The readings' mentions merged with each other and with the events stored near their
    days (`candidates`: stored_candidates_of, read here when not given), as the extractor
    merges articles read together.

    Returns the events holding the readings' mentions (and only those: record_events
    writes every mention it gets as evidence), `existing_id` set on joins; and per article,
    the undated references ("the attack") that found no event: one stored later may take
    them.
    """
    mentions = [m for reading in readings for m in reading.mentions]
    if candidates is None:
        candidates = stored_candidates_of(readings)
    merged = clustering.merge_mentions(mentions, candidates, get_lexicon())
    keys = {reading.key for reading in readings}
    guessed = {reading.key for reading in readings if reading.fallback}
    own = []
    attached: Counter[str] = Counter()
    for event in merged:
        mine = tuple(m for m in event.mentions if m.article in keys)
        if not mine:
            continue
        attached.update(m.article for m in mine if m.date_start is None)
        # Dated by guesses alone: an editor should look.
        guess = all(m.article in guessed for m in mine)
        own.append(replace(event, mentions=mine, needs_review=event.needs_review or guess))
    unattached = {
        reading.key: sum(1 for m in reading.mentions if m.date_start is None) - attached[reading.key]
        for reading in readings
    }
    return own, unattached


def merge_bridged_events(events: Sequence[ExtractedEvent]) -> list[ExtractedEvent]:
    """Merge the stored events that a new article showed to be one, as the extractor would
    have had it read all the articles at once; return the events pointing at the survivors.

    Articles arrive in any order: two reports of one strike that share too little to merge
    stay apart until a third ties them. Only machine-made events that no editor verified,
    locked or made are merged; anything an editor touched stays as the editor left it.
    """
    out = []
    for event in events:
        if not event.merge_ids or event.existing_id is None:
            out.append(event)
            continue
        target = _merge_stored((event.existing_id, *event.merge_ids))
        out.append(replace(event, existing_id=target.pk if target else None, merge_ids=()))
    return out


def join_concurrent_copies(
    readings: Sequence[Reading], events: Sequence[ExtractedEvent], seen: set[int]
) -> None:
    """Merge the copies of `events` (new events made of the readings, which read the stored
    events `seen`) that another worker made meanwhile.

    Two workers recording the same news at once cannot see each other's new events: each
    creates its own. Once both have committed, the stored events where the new events'
    mentions may join are read again: when one is neither seen before nor the readings'
    own, those mentions are merged again with them. The copies tie together, as with a
    later article on the same news, and merge_bridged_events merges them: machine-made
    events only, rows locked in id order, and a copy already merged by the other worker
    leads to the survivor. Nothing is recorded again.
    """
    spans = {(m.article, m.char_start) for event in events for m in event.mentions}
    again = [
        replace(reading, mentions=[
            m for m in reading.mentions if (m.article, m.char_start) in spans
        ])
        for reading in readings
    ]
    again = [reading for reading in again if reading.mentions]
    found = _candidate_ids(again)
    own = Evidence.objects.filter(article_id__in=[int(r.key) for r in again])
    if found <= seen | set(own.values_list("event_id", flat=True)):
        return  # nothing appeared there since the read: no copy to join
    merged, _ = merge_readings(again, as_candidates(Event.objects.filter(pk__in=_any([*found]))))
    with transaction.atomic():
        merge_bridged_events(merged)


def _merge_stored(ids: Sequence[int]) -> Event | None:
    """The live event of ids[0], after merging the live machine-made events among `ids`.

    Another worker may merge or delete some of them between our read and our lock: then
    they are read again (a tombstone leads to the survivor) and the merge tried once more.
    """
    for _ in range(3):
        events = [live_event(event_id) for event_id in ids]
        target = events[0]
        live = {e.pk: e for e in events if e is not None}
        mergeable = [e for e in live.values() if machine_made(e)]
        if target is None or not machine_made(target) or len(mergeable) < 2:
            return target
        try:
            return merge_events(mergeable)
        except EditingError:
            continue
    return live_event(ids[0])
