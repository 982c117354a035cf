"""Writes that touch several models: recording extracted events is the one write path."""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from timeline.bulk import history_of_links, history_of_rows, insert_new, update_rows
from timeline.models import Actor, Article, Claim, Event, Evidence, Place, Tombstone

logger = logging.getLogger(__name__)


class ClaimLike(Protocol):
    kind: str
    value: str
    claimant: str
    char_start: int


class MentionLike(Protocol):
    """What record_events reads of one mention (ingest's extraction Mention fits)."""

    quote: str
    char_start: int
    char_end: int
    date_text: str
    rule: str
    anchor: date | None
    speaker: str
    claims: Sequence[ClaimLike]


class EventLike(Protocol):
    """What record_events reads of one extracted event (ingest's ExtractedEvent fits)."""

    date_start: date
    date_end: date | None
    precision: str
    title: str
    event_type: str
    mode: str
    actors: Sequence[str]
    place: str | None
    confidence: float
    mentions: Sequence[MentionLike]
    needs_review: bool
    existing_id: int | None


@dataclass(frozen=True, slots=True)
class RecordResult:
    created: int = 0  # new events
    merged: int = 0  # extracted events that joined an event already stored
    evidence_added: int = 0


# Fields re-extraction may refresh on an existing event, unless an editor locked them.
MACHINE_FIELDS = ("date_start", "date_end", "precision", "title", "event_type", "mode", "place")


def initial_status(confidence: float, needs_review: bool) -> str:
    """Confident machine events are published (unverified); the rest wait as drafts."""
    if not needs_review and confidence >= settings.AUTO_PUBLISH_CONFIDENCE:
        return Event.Status.PUBLISHED
    return Event.Status.DRAFT


def resolve_actors(names: Iterable[str]) -> list[Actor]:
    """Actors by canonical name, creating the unknown ones (kind "other")."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
    if not wanted:
        return []
    found = {a.name: a for a in Actor.objects.filter(name__in=wanted)}
    for name in wanted:
        if name not in found:
            found[name], _ = Actor.objects.get_or_create(name=name)
    return [found[name] for name in wanted]


def resolve_place(name: str | None) -> Place | None:
    """The place of that name (or alias); unknown names become places without coordinates."""
    if not name or not name.strip():
        return None
    name = name.strip()
    place = (
        Place.objects.filter(name=name).order_by("id").first()
        or Place.objects.filter(aliases__contains=[name]).order_by("id").first()
    )
    if place is None:
        place, _ = Place.objects.get_or_create(name=name, country="")
    return place


def refresh_event_summary(event: Event) -> None:
    """Recompute the denormalized source count and search text from the evidence."""
    evidence = list(event.evidence.values_list("quote", "article_id"))
    actor_names = list(event.actors.values_list("name", flat=True))
    event.source_count = len({article_id for _, article_id in evidence})
    event.search_text = "\n".join([event.title, *actor_names, *(q for q, _ in evidence)])
    Event.objects.filter(pk=event.pk).update(
        source_count=event.source_count, search_text=event.search_text
    )


def live_event(event_id: int) -> Event | None:
    """The event, or the one it was merged into (following chains of merges)."""
    seen = set()
    while event_id not in seen:
        seen.add(event_id)
        event = Event.objects.filter(pk=event_id).first()
        if event is not None:
            return event
        tombstone = Tombstone.objects.filter(event_id=event_id).first()
        if tombstone is None or tombstone.merged_into_id is None:
            return None
        event_id = tombstone.merged_into_id
    return None


def deleted_evidence_keys(spots: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (article, offset) spots among `spots` whose event an editor deleted."""
    keys = {f"{article_id}:{start}": (article_id, start) for article_id, start in spots}
    if not keys:
        return set()
    rows = Tombstone.objects.filter(reason="deleted", evidence_keys__overlap=list(keys))
    return {keys[k] for row in rows.values_list("evidence_keys", flat=True) for k in row if k in keys}


class _Plan:
    """One target event of a record_events call: stored (`event.pk`) or about to be created."""

    __slots__ = ("event", "new", "place_name", "changed", "actor_names", "mentions")

    def __init__(self, event: Event, new: bool):
        self.event = event
        self.new = new
        self.place_name: str | None = None  # a place to resolve and set
        self.changed: list[str] = []  # fields a join changed (saved, with a history row)
        self.actor_names: list[str] = []
        # (article, char_start) -> mentions there
        self.mentions: dict[tuple[int, int], list[MentionLike]] = {}


def _clean_names(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def _live_events(event_ids: Iterable[int]) -> dict[int, Event | None]:
    """live_event for many ids at once: one query for the events, one per round of merges.

    The events are locked as they are read (in id order, FOR NO KEY UPDATE, as an UPDATE
    locks them), for the record that updates them: two workers recording chunks that share
    events wait for each other instead of deadlocking, and neither writes over the other's
    change with what it read before.
    """
    wanted = set(event_ids)
    events = _locked(Event.objects.defer("search_text"))
    found: dict[int, Event] = {e.pk: e for e in events.filter(pk__in=wanted)} if wanted else {}
    out: dict[int, Event | None] = {i: found[i] for i in wanted if i in found}
    # id asked for -> the id it currently points at; ids already seen on its chain
    chains = {i: (i, {i}) for i in wanted if i not in found}
    while chains:
        heads = {head for head, _ in chains.values()}
        stones = dict(
            Tombstone.objects.filter(event_id__in=heads).values_list("event_id", "merged_into_id")
        )
        nexts = {stones[h] for h in heads if stones.get(h) is not None}
        fresh = nexts - set(found)
        if fresh:
            found.update((e.pk, e) for e in events.filter(pk__in=fresh))
        for asked, (head, seen) in list(chains.items()):
            nxt = stones.get(head)
            if nxt is None or nxt in seen:
                out[asked] = None
                del chains[asked]
            elif nxt in found:
                out[asked] = found[nxt]
                del chains[asked]
            else:
                chains[asked] = (nxt, seen | {nxt})
    return out


def resolve_places(names: Iterable[str]) -> dict[str, Place]:
    """resolve_place for many names: by name, else by alias (lowest id), else created."""
    wanted = _clean_names(names)
    if not wanted:
        return {}
    # A UNION, not an OR: each half uses its index (name, country) and (aliases, GIN).
    rows = list(
        Place.objects.filter(name__in=wanted)
        .union(Place.objects.filter(aliases__overlap=wanted))
        .order_by("id")
    )
    out: dict[str, Place] = {}
    for name in wanted:
        match = next((p for p in rows if p.name == name), None) or next(
            (p for p in rows if name in (p.aliases or ())), None
        )
        if match is not None:
            out[name] = match
    missing = [n for n in wanted if n not in out]
    if missing:
        Place.objects.bulk_create([Place(name=n, country="") for n in missing], ignore_conflicts=True)
        for place in Place.objects.filter(name__in=missing, country="").order_by("id"):
            out.setdefault(place.name, place)
    return out


def _resolve_actor_ids(names: Iterable[str]) -> dict[str, int]:
    """Actor ids by canonical name, creating the unknown ones (kind "other"): 1 or 3 queries."""
    wanted = _clean_names(names)
    if not wanted:
        return {}
    found = dict(Actor.objects.filter(name__in=wanted).values_list("name", "pk"))
    missing = [n for n in wanted if n not in found]
    if missing:
        Actor.objects.bulk_create([Actor(name=n) for n in missing], ignore_conflicts=True)
        found.update(Actor.objects.filter(name__in=missing).values_list("name", "pk"))
    return found


# What a join may change on a stored event (_join_changes): written with its summary.
JOIN_FIELDS = ("confidence", "needs_review", "status", "place")


def refresh_event_summaries(
    event_ids: Iterable[int], changes: Iterable[tuple[Event, Sequence[str]]] = ()
) -> dict[int, tuple[int, str]]:
    """refresh_event_summary for many events in one UPDATE: {id: (source_count, search_text)}.

    The same text as refresh_event_summary: title, actor names (by name), quotes (by
    article and offset), one a line. `changes`: (event, fields) pairs, the fields (of
    JOIN_FIELDS) whose new values the instance holds, written in the same UPDATE with the
    instance's updated_at: an event then gets one new row version, not two (an event's
    row is in a dozen indexes, all written again for each version).
    """
    changes = [(event, set(fields)) for event, fields in changes]
    ids = sorted({*event_ids, *(event.pk for event, _ in changes)})
    if not ids:
        return {}
    if any(fields - set(JOIN_FIELDS) for _, fields in changes):
        raise ValueError(f"refresh_event_summaries writes only {JOIN_FIELDS}")

    def column(name: str) -> list:
        return [
            getattr(event, Event._meta.get_field(name).attname) if name in fields else None
            for event, fields in changes
        ]

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE timeline_event AS e SET
              source_count = (
                SELECT count(DISTINCT v.article_id) FROM timeline_evidence v WHERE v.event_id = e.id
              ),
              search_text = concat_ws(E'\\n', e.title,
                (SELECT string_agg(a.name, E'\\n' ORDER BY a.name)
                   FROM timeline_event_actors l JOIN timeline_actor a ON a.id = l.actor_id
                  WHERE l.event_id = e.id),
                (SELECT string_agg(v.quote, E'\\n' ORDER BY v.article_id, v.char_start)
                   FROM timeline_evidence v WHERE v.event_id = e.id)),
              confidence = coalesce(c.confidence, e.confidence),
              needs_review = coalesce(c.needs_review, e.needs_review),
              status = coalesce(c.status, e.status),
              place_id = coalesce(c.place_id, e.place_id),
              updated_at = coalesce(c.updated_at, e.updated_at)
            FROM unnest(%s::int8[]) AS i(id) LEFT JOIN unnest(
              %s::int8[], %s::float8[], %s::boolean[], %s::varchar[], %s::int8[], %s::timestamptz[]
            ) AS c(id, confidence, needs_review, status, place_id, updated_at) ON c.id = i.id
            WHERE e.id = i.id
            RETURNING e.id, e.source_count, e.search_text
            """,
            [ids, [event.pk for event, _ in changes], *map(column, JOIN_FIELDS),
             [event.updated_at for event, _ in changes]],
        )
        return {pk: (count, text) for pk, count, text in cursor.fetchall()}


def _join_changes(event: Event, extracted: EventLike, plan: _Plan) -> None:
    """_join_event's decisions, applied to the instance; saving is left to the caller."""
    locked = event.locked_fields
    confidence = max(event.confidence, min(1.0, extracted.confidence))
    if confidence != event.confidence and "confidence" not in locked:
        event.confidence = confidence
        plan.changed.append("confidence")
    if event.needs_review and not extracted.needs_review and "needs_review" not in locked:
        event.needs_review = False
        plan.changed.append("needs_review")
    if (
        event.origin == Event.Origin.EXTRACTED
        and event.status == Event.Status.DRAFT
        and "status" not in locked
        and initial_status(event.confidence, event.needs_review) == Event.Status.PUBLISHED
    ):
        event.status = Event.Status.PUBLISHED
        plan.changed.append("status")
    if (
        event.place_id is None
        and plan.place_name is None
        and extracted.place
        and extracted.place.strip()
        and "place" not in locked
    ):
        plan.place_name = extracted.place.strip()
        plan.changed.append("place")


def _new_event(extracted: EventLike, extractor_version: str) -> Event:
    return Event(
        date_start=extracted.date_start,
        date_end=extracted.date_end if extracted.precision != "day" else None,
        precision=extracted.precision,
        title=extracted.title[:300],
        event_type=extracted.event_type,
        mode=extracted.mode or "",
        status=initial_status(extracted.confidence, extracted.needs_review),
        origin=Event.Origin.EXTRACTED,
        needs_review=extracted.needs_review,
        confidence=max(0.0, min(1.0, extracted.confidence)),
        extractor_version=extractor_version,
    )


EvidenceKey = tuple[int, str, date | None]


def evidence_key(mention: MentionLike) -> EvidenceKey:
    """A mention's identity within its article: where it is, its date as written and the
    anchor that date was resolved against. One sentence may tell two events (a call dated
    "on Wednesday" and, undated, "the attack" it was about), each its own evidence; and
    the same words read against another anchor are another reading.
    """
    return mention.char_start, (mention.date_text or "")[:200], mention.anchor


def recorded_before(articles: Iterable[Article]) -> dict[tuple[int, EvidenceKey], list[int]]:
    """Events already holding each evidence key of the articles, by (article, key): what a
    re-run or a redelivery finds."""
    found: dict[tuple[int, EvidenceKey], list[int]] = {}
    rows = Evidence.objects.filter(article_id__in=[a.pk for a in articles]).order_by("id")
    for article_id, start, date_text, anchor, event_id in rows.values_list(
        "article_id", "char_start", "date_text", "anchor_date", "event_id"
    ):
        found.setdefault((article_id, (start, date_text, anchor)), []).append(event_id)
    return found


def lock_events(event_ids: Iterable[int]) -> None:
    """Lock the events a transaction is about to update, all at once and in id order.

    Two workers recording chunks that share events then wait for each other instead of
    deadlocking (each updating one event the other holds). FOR NO KEY UPDATE, as an UPDATE
    takes it: evidence being inserted for these events elsewhere is not held up.
    """
    ids = sorted(set(event_ids))
    if ids:
        list(_locked(Event.objects.filter(pk__in=ids)).values_list("pk"))


def _locked(events):
    """The events locked as they are read: in id order, FOR NO KEY UPDATE (as an UPDATE
    locks them, so evidence inserted for them elsewhere is not held up)."""
    return events.select_for_update(no_key=True).order_by("pk")


def machine_made(event: Event) -> bool:
    """An event only the extractor shaped: no editor made, verified or locked any of it."""
    return (
        event.origin == Event.Origin.EXTRACTED and not event.verified and not event.locked_fields
    )


def withdraw_stale_evidence(
    articles: Iterable[Article], still_read: Callable[[int, EvidenceKey, int], bool]
) -> int:
    """Remove the articles' machine evidence that their extraction no longer reads: the rows
    whose (article id, key, event) `still_read` refuses.

    A re-extraction may read an article differently: a later pass found its date, so
    "on Wednesday" now means another day. Its old quotes then sit in events of the old
    reading; they go (evidence in events an editor touched stays), and a machine event
    left without evidence goes too, with a tombstone for mirrors. Returns rows removed.
    """
    stale = [
        row
        for row in Evidence.objects.filter(
            article_id__in=[a.pk for a in articles], origin=Event.Origin.EXTRACTED
        ).select_related("event")
        if not still_read(row.article_id, (row.char_start, row.date_text, row.anchor_date),
                          row.event_id)
        and machine_made(row.event)
    ]
    if not stale:
        return 0
    touched = {row.event_id for row in stale}
    lock_events(touched)
    Evidence.objects.filter(pk__in=[row.pk for row in stale]).delete()
    kept = set(
        Evidence.objects.filter(event_id__in=touched).values_list("event_id", flat=True).distinct()
    )
    emptied = touched - kept
    if emptied:
        Tombstone.objects.bulk_create(
            [Tombstone(event_id=pk, reason="withdrawn") for pk in sorted(emptied)],
            ignore_conflicts=True,
        )
        Event.objects.filter(pk__in=emptied).delete()
    refresh_event_summaries(kept)
    return len(stale)


def record_events(
    article: Article,
    extracted: Sequence[EventLike],
    extractor_version: str = "",
    mention_json: Callable[[MentionLike], dict] | None = None,
    savepoint: bool = True,
) -> RecordResult:
    """Create or merge events and their evidence for one article, in one transaction.

    Only mentions are written as evidence of `article`. Running it again with the same
    extraction changes nothing (evidence is unique per event, article and offset).
    With `mention_json`, each evidence row keeps what the extractor made of its mention.
    A caller whose own transaction fails as a whole on any error may spare the savepoint.
    """
    results = record_articles(
        [article], extracted, lambda mention: article, extractor_version, mention_json, savepoint
    )
    return results.get(article.pk, RecordResult())


def lock_articles(article_ids: Iterable[int]) -> list[int]:
    """Lock the articles for this transaction, in id order: one writer per article at a time
    (a redelivered task waits here, then finds the evidence written), and two writers never
    wait on each other. Returns the ids, sorted."""
    ids = sorted(set(article_ids))
    list(Article.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    return ids


def record_articles(
    articles: Sequence[Article],
    extracted: Sequence[EventLike],
    article_of: Callable[[MentionLike], Article],
    extractor_version: str = "",
    mention_json: Callable[[MentionLike], dict] | None = None,
    savepoint: bool = True,
) -> dict[int, RecordResult]:
    """record_events for several articles at once: each mention is evidence of
    `article_of(mention)` (one of `articles`), and an event may cite several of them.
    Returns what each article added: the events created (counted for the article of an
    event's first mention), joined (by the others) and its evidence rows.

    The number of queries grows with neither the articles, the events nor the mentions
    (about 15): targets, actors and places are resolved in bulk, rows inserted with ON
    CONFLICT DO NOTHING RETURNING (what was really added), summaries refreshed in one
    UPDATE and the history written in bulk (one "+" row per created event, one "~" per
    event whose fields or actors changed, one "+" per evidence and claim added).
    """
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # created, merged, evidence
    with transaction.atomic(savepoint=savepoint):
        article_ids = lock_articles(a.pk for a in articles)
        spots = {(article_of(m).pk, m.char_start) for item in extracted for m in item.mentions}
        suppressed = deleted_evidence_keys(spots)
        work = []
        for item in extracted:
            mentions = [m for m in item.mentions if (article_of(m).pk, m.char_start) not in suppressed]
            if mentions:
                work.append((item, mentions))
        if not work:
            return {}
        previous = [
            row for row in Evidence.objects.filter(
                article_id__in=article_ids, char_start__in={start for _, start in spots}
            ).order_by("id").values_list(
                "id", "article_id", "char_start", "event_id", "mention", "date_text", "anchor_date"
            )
            if (row[1], row[2]) in spots
        ]
        events = _live_events(
            {row[3] for row in previous}
            | {item.existing_id for item, _ in work if item.existing_id is not None}
        )
        # The first evidence with each key (stored ones by id, then this call's in order)
        # decides which event a mention with that key belongs to, as a re-run finds it.
        first_at: dict[tuple[int, EvidenceKey], tuple[tuple[int, int], Event]] = {}
        plans: dict[int, _Plan] = {}  # id(event) -> plan

        def plan_of(event: Event, new: bool = False) -> _Plan:
            if id(event) not in plans:
                plans[id(event)] = _Plan(event, new)
            return plans[id(event)]

        def key_of(mention: MentionLike) -> tuple[int, EvidenceKey]:
            return article_of(mention).pk, evidence_key(mention)

        stored_keys: set[tuple[int, int, int]] = set()  # (event, article, offset)
        stored_rows: dict[tuple[int, int, int], tuple[int, dict]] = {}
        for pk, article_id, start, event_id, mention, date_text, anchor in previous:
            stored_keys.add((event_id, article_id, start))
            stored_rows.setdefault((event_id, article_id, start), (pk, mention))
            first_at.setdefault(
                (article_id, (start, date_text, anchor)), ((0, pk), events[event_id])
            )
        sequence = 0
        for item, mentions in work:
            # Like a re-run's lookup, over all the item's offsets (suppressed ones too).
            hits = [first_at[key] for m in item.mentions if (key := key_of(m)) in first_at]
            plan = plan_of(min(hits, key=lambda hit: hit[0])[1]) if hits else None
            seen_before = plan is not None
            if plan is None and item.existing_id is not None:
                event = events.get(item.existing_id)
                plan = plan_of(event) if event is not None else None
            item_articles = list(dict.fromkeys(article_of(m).pk for m in mentions))
            if plan is None:
                plan = plan_of(_new_event(item, extractor_version), new=True)
                if item.place and item.place.strip():
                    plan.place_name = item.place.strip()
                counts[item_articles[0]][0] += 1
                item_articles = item_articles[1:]
            else:
                _join_changes(plan.event, item, plan)
            if not seen_before:
                for article_id in item_articles:
                    counts[article_id][1] += 1
            if plan.new or "actors" not in plan.event.locked_fields:
                plan.actor_names.extend(item.actors)
            for mention in mentions:
                plan.mentions.setdefault((article_of(mention).pk, mention.char_start), []).append(
                    mention
                )
                if key_of(mention) not in first_at:
                    sequence += 1
                    first_at[key_of(mention)] = ((1, sequence), plan.event)
        added = _write(list(plans.values()), stored_keys, stored_rows, mention_json)
        for evidence in added:
            counts[evidence.article_id][2] += 1
    return {pk: RecordResult(*numbers) for pk, numbers in counts.items()}


def _write(plans, stored_keys, stored_rows, mention_json) -> list[Evidence]:
    """The writes of record_articles, in bulk; returns the evidence rows added."""
    now = timezone.now()
    places = resolve_places(p.place_name for p in plans if p.place_name)
    for plan in plans:
        if plan.place_name:
            plan.event.place = places[plan.place_name]
    new_events = [p.event for p in plans if p.new]
    if new_events:
        Event.objects.bulk_create(new_events)
    # A join's changes to stored events are written with their summaries (below).
    changed = [(p.event, p.changed) for p in plans if not p.new and p.changed]
    for event, _ in changed:
        event.updated_at = now

    # Actors: links added where missing; a link an editor removed stays removed only when
    # the editor locked the actors.
    actor_ids = _resolve_actor_ids(n for p in plans for n in p.actor_names)
    stored_ids = [p.event.pk for p in plans if not p.new]
    through = Event.actors.through
    links: dict[int, list[tuple[int, int]]] = defaultdict(list)  # event -> (link id, actor id)
    if stored_ids:
        for link_id, event_id, actor_id in through.objects.filter(
            event_id__in=stored_ids
        ).values_list("id", "event_id", "actor_id"):
            links[event_id].append((link_id, actor_id))
    wanted_links = []
    for plan in plans:
        have = {actor for _, actor in links[plan.event.pk]}
        for name in _clean_names(plan.actor_names):
            if actor_ids[name] not in have:
                have.add(actor_ids[name])
                wanted_links.append(through(event_id=plan.event.pk, actor_id=actor_ids[name]))
    added_links = insert_new(through, wanted_links, ("event_id", "actor_id"))
    actors_changed = set()
    for link in added_links:
        links[link.event_id].append((link.pk, link.actor_id))
        actors_changed.add(link.event_id)

    # Evidence: one row per event and offset; claims under it.
    new_evidence, claims_at = [], []
    mention_updates = []
    for plan in plans:
        for (article_id, start), mentions in plan.mentions.items():
            first = mentions[0]
            key = (plan.event.pk, article_id, start)
            data = mention_json(first) if mention_json else None
            if key in stored_keys:
                pk, stored = stored_rows[key]
                if data is not None and stored != data:
                    mention_updates.append(Evidence(pk=pk, mention=data))
            else:
                stored_keys.add(key)
                new_evidence.append(
                    Evidence(
                        event_id=plan.event.pk,
                        article_id=article_id,
                        char_start=start,
                        quote=first.quote,
                        char_end=first.char_end,
                        date_text=(first.date_text or "")[:200],
                        date_rule=(first.rule or "")[:200],
                        anchor_date=first.anchor,
                        speaker=(first.speaker or "")[:200],
                        mention=data or {},
                    )
                )
            for mention in mentions:
                for claim in getattr(mention, "claims", ()) or ():
                    claims_at.append((key, claim))
    added_evidence = insert_new(Evidence, new_evidence, ("event_id", "article_id", "char_start"))
    if mention_updates:
        update_rows(Evidence, mention_updates, ["mention"])
    evidence_ids = {key: pk for key, (pk, _) in stored_rows.items()}
    evidence_ids.update(((e.event_id, e.article_id, e.char_start), e.pk) for e in added_evidence)
    missing = {key for key, _ in claims_at if key not in evidence_ids}
    if missing:
        # Written by someone else since we looked (an editor): their claims still go there.
        for pk, event_id, article_id, start in Evidence.objects.filter(
            event_id__in={k[0] for k in missing}, article_id__in={k[1] for k in missing},
            char_start__in={k[2] for k in missing},
        ).values_list("id", "event_id", "article_id", "char_start"):
            evidence_ids[event_id, article_id, start] = pk
    new_claims, seen = [], set()
    for key, claim in claims_at:
        row = Claim(
            event_id=key[0],
            kind=claim.kind,
            value=str(claim.value)[:200],
            evidence_id=evidence_ids[key],
            claimant=(claim.claimant or "")[:200],
        )
        unique = (row.event_id, row.kind, row.value, row.evidence_id)
        if unique not in seen:
            seen.add(unique)
            new_claims.append(row)
    added_claims = insert_new(Claim, new_claims, ("event_id", "kind", "value", "evidence_id"))

    summaries = refresh_event_summaries((p.event.pk for p in plans), changed)
    for plan in plans:
        plan.event.source_count, plan.event.search_text = summaries[plan.event.pk]
    _write_history(
        created=new_events,
        changed=[p.event for p in plans if not p.new and (p.changed or p.event.pk in actors_changed)],
        evidence=added_evidence,
        claims=added_claims,
    )
    return added_evidence


def _write_history(*, created, changed, evidence, claims) -> None:
    """simple_history rows, as saves would write them: a "+" row per created event, "~" per
    changed one (each with its actors), "+" per evidence and claim. Copied by Postgres from
    the rows just written, which are what the instances hold."""
    now = timezone.now()
    rows = [
        *history_of_rows(Event, [e.pk for e in created], "+", when=now),
        *history_of_rows(Event, [e.pk for e in changed], "~", when=now),
    ]
    history_of_links(_actor_history_model(), Event.actors.through, "event_id", "actor_id", rows)
    history_of_rows(Evidence, [e.pk for e in evidence], "+", when=now)
    history_of_rows(Claim, [c.pk for c in claims], "+", when=now)


def _actor_history_model():
    from django.apps import apps

    return apps.get_model("timeline", "HistoricalEvent_actors")


def source_counts(event_ids: Iterable[int]) -> dict[int, int]:
    """Distinct articles per event, straight from the evidence (checks the denormalized count)."""
    rows = (
        Evidence.objects.filter(event_id__in=list(event_ids))
        .values("event_id")
        .annotate(n=Count("article_id", distinct=True))
    )
    return {row["event_id"]: row["n"] for row in rows}
