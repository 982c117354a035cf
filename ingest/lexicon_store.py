"""The extraction lexicon built from the Actor, Place and EventKeyword tables, cached.

Editors change the dictionaries in the admin; every save bumps LexiconVersion, and each
worker process rebuilds its cached lexicon when it sees a newer version (checked at most
every LEXICON_REFRESH_SECONDS, so the check costs one tiny query now and then).
"""
from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db.models import F
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from ingest.extraction.lexicon import Lexicon
from ingest.models import LexiconVersion
from timeline.models import Actor, EventKeyword, Place

_lock = threading.Lock()
_cache: dict[str, object] = {"version": None, "lexicon": None, "checked": 0.0}
_KIND_TO_LEXICON = {"armed_group": "armed group"}


def current_version() -> int:
    return LexiconVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def bump_version(**_) -> None:
    """Mark the dictionaries changed (called by signals and after bulk loads).

    After commit: the version row is one row every writer would queue on if it were
    locked inside the ingest transaction that created a new actor or place.
    """
    transaction.on_commit(_bump_now)


def _bump_now() -> None:
    updated = LexiconVersion.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        LexiconVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def build_lexicon() -> Lexicon:
    """A Lexicon of every actor, place and event keyword stored, as editors left them."""
    actors = [
        {**row, "kind": _KIND_TO_LEXICON.get(row["kind"], row["kind"])}
        for row in Actor.objects.order_by("id").values("name", "kind", "country", "aliases", "demonyms")
    ]
    places = list(
        Place.objects.order_by("id").values(
            "name", "country", "region", "latitude", "longitude", "gazetteer_id", "aliases"
        )
    )
    keywords = list(EventKeyword.objects.order_by("id").values("phrase", "event_type", "mode"))
    return Lexicon.from_dicts(actors, places, keywords)


def get_lexicon() -> Lexicon:
    """The cached lexicon, rebuilt when the tables changed since it was built."""
    now = time.monotonic()
    with _lock:
        fresh = now - _cache["checked"] < settings.LEXICON_REFRESH_SECONDS
        if fresh and _cache["lexicon"] is not None:
            return _cache["lexicon"]
        version = current_version()
        _cache["checked"] = now
        if _cache["lexicon"] is None or version != _cache["version"]:
            _cache["lexicon"] = build_lexicon()
            _cache["version"] = version
        return _cache["lexicon"]


def clear_cache() -> None:
    with _lock:
        _cache.update(version=None, lexicon=None, checked=0.0)


def connect_signals() -> None:
    for model in (Actor, Place, EventKeyword):
        uid = f"lexicon-{model._meta.label_lower}"
        post_save.connect(bump_version, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(bump_version, sender=model, dispatch_uid=uid + "-delete")
