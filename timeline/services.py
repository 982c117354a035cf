"""Writes that touch several models: recording extracted events is the one write path."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Count

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


def _find_target(article: Article, extracted: EventLike) -> tuple[Event | None, bool]:
    """The stored event this extracted event belongs to, and whether it was recorded before.

    Evidence already recorded from this article at one of the mention's offsets means
    this exact extraction ran before (a re-run or a redelivered task): same event.
    """
    starts = [m.char_start for m in extracted.mentions]
    previous = (
        Evidence.objects.filter(article=article, char_start__in=starts)
        .select_related("event")
        .order_by("id")
        .first()
    )
    if previous is not None:
        return previous.event, True
    if extracted.existing_id is not None:
        return live_event(extracted.existing_id), False
    return None, False


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


def deleted_evidence_keys(article: Article, starts: Iterable[int]) -> set[str]:
    """Keys "article:start" of mentions whose event an editor deleted."""
    keys = [f"{article.pk}:{start}" for start in starts]
    if not keys:
        return set()
    rows = Tombstone.objects.filter(reason="deleted", evidence_keys__overlap=keys)
    return set(keys).intersection(k for row in rows.values_list("evidence_keys", flat=True) for k in row)


def _create_event(extracted: EventLike, extractor_version: str) -> Event:
    event = Event.objects.create(
        date_start=extracted.date_start,
        date_end=extracted.date_end if extracted.precision != "day" else None,
        precision=extracted.precision,
        title=extracted.title[:300],
        event_type=extracted.event_type,
        mode=extracted.mode or "",
        place=resolve_place(extracted.place),
        status=initial_status(extracted.confidence, extracted.needs_review),
        origin=Event.Origin.EXTRACTED,
        needs_review=extracted.needs_review,
        confidence=max(0.0, min(1.0, extracted.confidence)),
        extractor_version=extractor_version,
    )
    return event


def _join_event(event: Event, extracted: EventLike) -> None:
    """Strengthen a stored event with a new source, never touching editor-set fields."""
    changed = []
    confidence = max(event.confidence, min(1.0, extracted.confidence))
    if confidence != event.confidence and "confidence" not in event.locked_fields:
        event.confidence = confidence
        changed.append("confidence")
    if event.needs_review and not extracted.needs_review and "needs_review" not in event.locked_fields:
        event.needs_review = False
        changed.append("needs_review")
    if (
        event.origin == Event.Origin.EXTRACTED
        and event.status == Event.Status.DRAFT
        and "status" not in event.locked_fields
        and initial_status(event.confidence, event.needs_review) == Event.Status.PUBLISHED
    ):
        event.status = Event.Status.PUBLISHED
        changed.append("status")
    if event.place_id is None and extracted.place and "place" not in event.locked_fields:
        event.place = resolve_place(extracted.place)
        changed.append("place")
    if changed:
        event.save(update_fields=[*changed, "updated_at"])


def record_events(
    article: Article, extracted: Sequence[EventLike], extractor_version: str = ""
) -> RecordResult:
    """Create or merge events and their evidence for one article, in one transaction.

    Only mentions are written as evidence of `article`. Running it again with the same
    extraction changes nothing (evidence is unique per event, article and offset).
    """
    created = merged = evidence_added = 0
    with transaction.atomic():
        # One writer per article at a time: a redelivered task waits here, then finds
        # the evidence the first one wrote.
        Article.objects.select_for_update().filter(pk=article.pk).first()
        suppressed = deleted_evidence_keys(
            article, (m.char_start for item in extracted for m in item.mentions)
        )
        for item in extracted:
            mentions = [m for m in item.mentions if f"{article.pk}:{m.char_start}" not in suppressed]
            if not mentions:
                continue
            event, seen_before = _find_target(article, item)
            if event is None:
                event = _create_event(item, extractor_version)
                created += 1
            else:
                _join_event(event, item)
                merged += int(not seen_before)
            if "actors" not in event.locked_fields:
                actors = resolve_actors(item.actors)
                if actors:
                    event.actors.add(*actors)
            for mention in mentions:
                evidence, made = Evidence.objects.get_or_create(
                    event=event,
                    article=article,
                    char_start=mention.char_start,
                    defaults={
                        "quote": mention.quote,
                        "char_end": mention.char_end,
                        "date_text": (mention.date_text or "")[:200],
                        "date_rule": (mention.rule or "")[:200],
                        "anchor_date": mention.anchor,
                        "speaker": (mention.speaker or "")[:200],
                    },
                )
                evidence_added += int(made)
                for claim in getattr(mention, "claims", ()) or ():
                    Claim.objects.get_or_create(
                        event=event,
                        kind=claim.kind,
                        value=str(claim.value)[:200],
                        evidence=evidence,
                        defaults={"claimant": (claim.claimant or "")[:200]},
                    )
            refresh_event_summary(event)
    return RecordResult(created=created, merged=merged, evidence_added=evidence_added)


def source_counts(event_ids: Iterable[int]) -> dict[int, int]:
    """Distinct articles per event, straight from the evidence (checks the denormalized count)."""
    rows = (
        Evidence.objects.filter(event_id__in=list(event_ids))
        .values("event_id")
        .annotate(n=Count("article_id", distinct=True))
    )
    return {row["event_id"]: row["n"] for row in rows}
