"""Editors' writes: review decisions, evidence by quote, claims, merge and split.

Each function is one transaction. Rows are saved one by one (not with queryset.update) so
django-simple-history records every change, with the editor when called from a request.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction

from timeline.bulk import history_of_rows, update_rows
from timeline.models import Actor, Article, Claim, Event, Evidence, Tombstone
from timeline.services import refresh_event_summary, source_counts


class EditingError(ValueError):
    """An editing request that cannot be carried out; the message is shown to the editor."""


class QuoteNotFound(EditingError):
    pass


def locate_quote(text: str, quote: str, prefer_start: int | None = None) -> tuple[int, int]:
    """The (char_start, char_end) of `quote` in `text`, which must contain it verbatim.

    A quote found more than once keeps `prefer_start` when it is one of the places,
    otherwise the first place is taken.
    """
    if not quote:
        raise QuoteNotFound("The quote is empty.")
    if prefer_start is not None and text.startswith(quote, prefer_start):
        return prefer_start, prefer_start + len(quote)
    start = text.find(quote)
    if start < 0:
        raise QuoteNotFound(
            "This quote is not in the article's text word for word; copy it from the article."
        )
    return start, start + len(quote)


def lock_fields(event: Event, names: Iterable[str]) -> None:
    """Mark fields as set by an editor (in memory; the caller saves the event)."""
    event.locked_fields = sorted(set(event.locked_fields) | {n for n in names if n})


def add_evidence(
    event: Event, article: Article, quote: str, *, speaker: str = "", date_text: str = ""
) -> Evidence:
    """A new evidence row quoting `article` for `event`, its offsets found in the text."""
    with transaction.atomic():
        start, end = locate_quote(article.text, quote)
        if Evidence.objects.filter(event=event, article=article, char_start=start).exists():
            raise EditingError("The event already cites this place of the article.")
        evidence = Evidence.objects.create(
            event=event,
            article=article,
            quote=quote,
            char_start=start,
            char_end=end,
            speaker=speaker[:200],
            date_text=date_text[:200],
            origin=Event.Origin.EDITOR,
        )
        refresh_event_summary(event)
    return evidence


def add_claim(
    event: Event,
    kind: str,
    value: str,
    *,
    claimant: str = "",
    claimant_actor: Actor | None = None,
    evidence: Evidence | None = None,
) -> Claim:
    """A claim entered by an editor; its evidence, if any, must be one of the event's."""
    if evidence is not None and evidence.event_id != event.pk:
        raise EditingError("A claim can only rest on evidence of its own event.")
    return Claim.objects.create(
        event=event,
        kind=kind,
        value=value[:200],
        claimant=claimant[:200],
        claimant_actor=claimant_actor,
        evidence=evidence,
        origin=Event.Origin.EDITOR,
    )


def _set_field(events: Iterable[Event], field: str, value) -> int:
    """Set one reviewed field on each event that differs, locking it; returns how many changed."""
    ids = [e.pk for e in events]
    changed = 0
    with transaction.atomic():
        for event in Event.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
            if getattr(event, field) == value:
                continue
            setattr(event, field, value)
            lock_fields(event, [field])
            event.save(update_fields=[field, "locked_fields", "updated_at"])
            changed += 1
    return changed


def publish(events: Iterable[Event]) -> int:
    """Show the events to readers (verified or not); returns how many changed."""
    return _set_field(events, "status", Event.Status.PUBLISHED)


def reject(events: Iterable[Event]) -> int:
    """Hide the events from readers and from the review queue."""
    return _set_field(events, "status", Event.Status.REJECTED)


def mark_verified(events: Iterable[Event], verified: bool = True) -> int:
    """Record that an editor checked (or no longer vouches for) the facts; status unchanged."""
    return _set_field(events, "verified", verified)


def pick_survivor(events: Sequence[Event]) -> Event:
    """The event a merge keeps: the most sources (counted now), then the oldest row.

    The oldest row is the one whose permalink has circulated longest.
    """
    counts = source_counts(e.pk for e in events)
    return min(events, key=lambda e: (-counts.get(e.pk, 0), e.created_at, e.pk))


def merge_events(events: Iterable[Event], survivor: Event | None = None) -> Event:
    """Merge events into one (`survivor`, or the one pick_survivor chooses) and return it.

    Evidence and actors are united and claims moved; evidence citing a place of an article
    the survivor already cites is dropped. The survivor keeps its own date, title and type
    (the editor corrects them after); it is published if any of the events was. The others
    are deleted, each leaving a Tombstone(reason="merged") that points old permalinks at
    the survivor.
    """
    ids = sorted({e.pk for e in events} | ({survivor.pk} if survivor else set()))
    if len(ids) < 2:
        raise EditingError("Select two or more events to merge.")
    with transaction.atomic():
        rows = list(Event.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if len(rows) != len(ids):
            raise EditingError("One of the events no longer exists; reload and try again.")
        keep = (
            next(e for e in rows if e.pk == survivor.pk) if survivor else pick_survivor(rows)
        )
        others = [e for e in rows if e.pk != keep.pk]

        rows_of_keep = keep.evidence.values_list("pk", "article_id", "char_start")
        cited = {(article_id, start): pk for pk, article_id, start in rows_of_keep}
        duplicate_of: dict[int, int] = {}  # dropped evidence -> the survivor's row
        moved: list[int] = []
        for pk, article_id, start in (
            Evidence.objects.filter(event__in=others).order_by("event_id", "pk")
            .values_list("pk", "article_id", "char_start")
        ):
            if (article_id, start) in cited:
                duplicate_of[pk] = cited[article_id, start]
            else:
                moved.append(pk)
                cited[article_id, start] = pk
        # Moved in one statement, each with its history row as a save writes it: saved one
        # by one, every row rebuilt the stored JSON of both events (EventJSON's trigger).
        Evidence.objects.filter(pk__in=moved).update(event=keep)
        history_of_rows(Evidence, moved, "~")

        claimed = {
            (c.kind, c.value, c.claimant, c.evidence_id) for c in keep.claims.all()
        }
        moved_claims = []
        for claim in Claim.objects.filter(event__in=others).order_by("pk"):
            evidence_id = duplicate_of.get(claim.evidence_id, claim.evidence_id)
            key = (claim.kind, claim.value, claim.claimant, evidence_id)
            if key in claimed:
                claim.delete()
                continue
            claim.event, claim.evidence_id = keep, evidence_id
            moved_claims.append(claim)
            claimed.add(key)
        update_rows(Claim, moved_claims, ["event", "evidence"])
        history_of_rows(Claim, [c.pk for c in moved_claims], "~")
        for evidence in Evidence.objects.filter(pk__in=duplicate_of):
            evidence.delete()

        keep.actors.add(*Actor.objects.filter(events__in=others).distinct())
        # Readers keep seeing what they saw: merging a published event publishes the result.
        if any(e.status == Event.Status.PUBLISHED for e in rows):
            keep.status = Event.Status.PUBLISHED
        keep.confidence = max(e.confidence for e in rows)
        keep.needs_review = all(e.needs_review for e in rows)
        keep.summary = keep.summary or next((e.summary for e in others if e.summary), "")
        keep.locked_fields = sorted({f for e in rows for f in e.locked_fields})
        keep.save()

        for other in others:
            # Permalinks that already redirected to `other` now go straight to the survivor.
            Tombstone.objects.filter(merged_into=other).update(merged_into=keep)
            Tombstone.objects.update_or_create(
                event_id=other.pk, defaults={"merged_into": keep, "reason": "merged"}
            )
            other.delete()
        refresh_event_summary(keep)
    return keep


def split_event(evidence: Iterable[Evidence], title: str = "") -> Event:
    """Move evidence rows (all of one event) to a new draft event made by an editor.

    The new event starts as a copy of the old one's date, type, place and actors for the
    editor to correct; it is a draft so readers do not see it before that. Claims resting
    on the moved evidence move with it.
    """
    ids = sorted({e.pk for e in evidence})
    if not ids:
        raise EditingError("Select the evidence to move to a new event.")
    with transaction.atomic():
        rows = list(Evidence.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        event_ids = {row.event_id for row in rows}
        if len(event_ids) != 1:
            raise EditingError("Split the evidence of one event at a time.")
        source = Event.objects.select_for_update().get(pk=event_ids.pop())
        if not source.evidence.exclude(pk__in=ids).exists():
            raise EditingError(
                "Leave at least one evidence row on the event; to change the event itself, "
                "edit it instead."
            )
        new = Event.objects.create(
            date_start=source.date_start,
            date_end=source.date_end,
            precision=source.precision,
            title=(title or source.title)[:300],
            event_type=source.event_type,
            mode=source.mode,
            place=source.place,
            status=Event.Status.DRAFT,
            origin=Event.Origin.EDITOR,
            confidence=source.confidence,
            needs_review=source.needs_review,
            extractor_version=source.extractor_version,
        )
        new.actors.set(source.actors.all())
        for row in rows:
            row.event = new
            row.save(update_fields=["event"])
        for claim in Claim.objects.filter(event=source, evidence_id__in=ids).order_by("pk"):
            claim.event = new
            claim.save(update_fields=["event"])
        refresh_event_summary(source)
        refresh_event_summary(new)
    return new


REVIEW_QUEUE_ORDERING = ("-confidence", "-source_count", "pk")


def review_queue(queryset=None):
    """Machine-extracted drafts, most confident and most sourced first (the editors' queue).

    The partial index `event_review_queue` serves this ordering.
    """
    queryset = Event.objects.all() if queryset is None else queryset
    return queryset.filter(status=Event.Status.DRAFT, origin=Event.Origin.EXTRACTED).order_by(
        *REVIEW_QUEUE_ORDERING
    )
