"""The starter dictionary loads once, keeps editors' changes, and feeds the cached lexicon."""
from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from ingest import lexicon_store
from ingest.extraction.lexicon import load_json_lists
from ingest.management.commands.load_dictionary import load_dictionary
from ingest.models import LexiconVersion
from timeline.models import Actor, EventKeyword, Place

pytestmark = pytest.mark.django_db(transaction=True)


def _small_dictionary(folder):
    (folder / "actors.json").write_text(json.dumps([
        {"name": "Russia", "kind": "state", "country": "RU", "aliases": ["Moscow"], "demonyms": ["Russian"]},
        {"name": "Wagner Group", "kind": "armed group", "country": "RU", "aliases": ["Wagner"]},
        {"name": "Kremlin", "kind": "government", "country": "RU"},
    ]))
    (folder / "places.json").write_text(json.dumps([
        {"name": "Kharkiv", "country": "UA", "region": "city", "latitude": 49.99, "longitude": 36.23,
         "aliases": ["Kharkov"]},
    ]))
    (folder / "event_keywords.json").write_text(json.dumps([
        {"phrase": "shelled", "event_type": "ASSAULT", "mode": "artillery"},
    ]))
    return folder


def test_the_starter_dictionary_loads_every_row_once():
    actors, places, keywords = load_json_lists()
    counts = load_dictionary()
    assert counts == {"actors": len(actors), "places": len(places), "event keywords": len(keywords)}
    assert load_dictionary() == {"actors": 0, "places": 0, "event keywords": 0}
    assert Actor.objects.count() == len(actors)


def test_loading_again_keeps_what_an_editor_changed(tmp_path):
    folder = _small_dictionary(tmp_path)
    call_command("load_dictionary", folder=folder)
    Actor.objects.filter(name="Russia").update(aliases=["Moscow", "Russian Federation"])
    Actor.objects.filter(name="Kremlin").delete()
    EventKeyword.objects.filter(phrase="shelled").update(mode="mortar")
    call_command("load_dictionary", folder=folder)
    assert Actor.objects.get(name="Russia").aliases == ["Moscow", "Russian Federation"]
    assert EventKeyword.objects.get(phrase="shelled").mode == "mortar"
    assert Actor.objects.get(name="Wagner Group").kind == Actor.Kind.ARMED_GROUP
    assert Actor.objects.get(name="Kremlin").kind == Actor.Kind.GOVERNMENT  # missing: made again
    assert Place.objects.get(name="Kharkiv").aliases == ["Kharkov"]


def test_the_lexicon_built_from_the_tables_finds_aliases_demonyms_and_keywords(tmp_path):
    load_dictionary(_small_dictionary(tmp_path))
    lexicon = lexicon_store.build_lexicon()
    text = "Russian forces shelled Kharkov, Moscow said; Wagner denied it."
    assert [h.name for h in lexicon.find_actors(text)] == ["Russia", "Wagner Group"]
    assert [h.name for h in lexicon.find_demonyms(text)] == ["Russia"]
    assert [h.name for h in lexicon.find_places(text)] == ["Kharkiv"]
    assert [(h.text, k.event_type) for h, k in lexicon.find_keywords(text)] == [("shelled", "ASSAULT")]


def test_an_editor_change_reaches_the_cached_lexicon(tmp_path, settings):
    settings.LEXICON_REFRESH_SECONDS = 0
    lexicon_store.clear_cache()
    load_dictionary(_small_dictionary(tmp_path))
    first = lexicon_store.get_lexicon()
    assert lexicon_store.get_lexicon() is first  # unchanged tables: the same object
    version = LexiconVersion.objects.get(pk=1).version
    Actor.objects.create(name="Azov Brigade", kind=Actor.Kind.ARMED_GROUP, aliases=["Azov"])
    assert LexiconVersion.objects.get(pk=1).version == version + 1
    fresh = lexicon_store.get_lexicon()
    assert fresh is not first
    assert [h.name for h in fresh.find_actors("Azov fighters")] == ["Azov Brigade"]
