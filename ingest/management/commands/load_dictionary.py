"""Load the starter dictionaries (actors, places, event keywords) into the database."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ingest.extraction.lexicon import DATA_DIR, load_json_lists
from ingest.lexicon_store import bump_version
from timeline.models import Actor, EventKeyword, Place

_KIND_FROM_LEXICON = {"armed group": Actor.Kind.ARMED_GROUP}


def _actor(row: dict) -> Actor:
    kind = _KIND_FROM_LEXICON.get(row.get("kind", ""), row.get("kind") or Actor.Kind.OTHER)
    if kind not in Actor.Kind.values:
        kind = Actor.Kind.OTHER
    return Actor(
        name=row["name"],
        kind=kind,
        country=row.get("country") or "",
        aliases=list(row.get("aliases") or ()),
        demonyms=list(row.get("demonyms") or ()),
    )


def _place(row: dict) -> Place:
    return Place(
        name=row["name"],
        country=row.get("country") or "",
        region=row.get("region") or "",
        latitude=row.get("latitude"),
        longitude=row.get("longitude"),
        gazetteer_id=row.get("gazetteer_id") or "",
        aliases=list(row.get("aliases") or ()),
    )


def _keyword(row: dict) -> EventKeyword:
    return EventKeyword(
        phrase=row["phrase"], event_type=row["event_type"], mode=row.get("mode") or ""
    )


def load_dictionary(folder: Path = DATA_DIR) -> dict[str, int]:
    """Create the rows that are missing; rows already stored (maybe edited) stay as they are."""
    actors, places, keywords = load_json_lists(folder)
    counts = {}
    with transaction.atomic():
        for label, model, rows, make in (
            ("actors", Actor, actors, _actor),
            ("places", Place, places, _place),
            ("event keywords", EventKeyword, keywords, _keyword),
        ):
            before = model.objects.count()
            # ignore_conflicts: an existing name (unique) keeps the editor's version.
            model.objects.bulk_create([make(row) for row in rows], ignore_conflicts=True, batch_size=1000)
            counts[label] = model.objects.count() - before
        if any(counts.values()):
            bump_version()
    return counts


class Command(BaseCommand):
    help = (
        "Load the starter actors, places and event keywords shipped with the extractor. "
        "Creates missing rows only: what editors changed is kept. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--folder", type=Path, default=DATA_DIR,
            help="Folder holding actors.json, places.json and event_keywords.json.",
        )

    def handle(self, *args, folder: Path, **options) -> None:
        missing = [
            name for name in ("actors.json", "places.json", "event_keywords.json")
            if not (folder / name).is_file()
        ]
        if missing:
            raise CommandError(f"{folder} lacks {', '.join(missing)}")
        counts = load_dictionary(folder)
        self.stdout.write(
            "Dictionary loaded: "
            + ", ".join(f"{n} new {label}" for label, n in counts.items())
        )
