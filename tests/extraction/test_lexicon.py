"""Dictionaries as data: actors, places and keywords with their matching rules."""
from ingest.extraction.actors import find_actors
from ingest.extraction.lexicon import Lexicon, load_starter_lexicon
from ingest.extraction.places import find_places

LEX = load_starter_lexicon()


def _actors(text):
    return [(a.text, a.name) for a in find_actors(text, LEX)]


def test_starter_data_covers_states_leaders_organisations_and_cities():
    assert {"Ukraine", "Sudan", "Vladimir Putin", "Volodymyr Zelensky", "NATO",
            "Rapid Support Forces", "Hamas"} <= set(LEX.actors)
    assert len([a for a in LEX.actors.values() if a.kind == "state"]) >= 190
    assert LEX.place("Kharkiv").latitude is not None
    assert LEX.place("Bryansk Oblast") is not None


def test_spelling_variants_map_to_one_canonical_actor():
    assert [n for _, n in _actors("Zelenskyy met Zelensky's aides; Zelenskiy spoke.")] == [
        "Volodymyr Zelensky"] * 3


def test_short_aliases_need_their_exact_case():
    assert _actors("The UN met the EU.") == [("UN", "United Nations"), ("EU", "European Union")]
    assert _actors("Let us eat un pain.") == []


def test_demonym_before_an_agent_noun_is_the_state():
    assert _actors("Russian forces shelled Ukrainian positions.") == [
        ("Russian", "Russia"), ("Ukrainian", "Ukraine")]


def test_demonym_before_a_title_leaves_the_person_as_the_actor():
    assert _actors("Russian President Vladimir Putin spoke.") == [
        ("Vladimir Putin", "Vladimir Putin")]


def test_unknown_name_after_a_title_becomes_a_new_actor_with_its_country():
    found = find_actors("Sudanese Deputy Foreign Minister Omar Siddiq told reporters.", LEX)
    assert [(a.name, a.kind, a.country) for a in found] == [("Omar Siddiq", "new person", "SD")]


def test_spokesperson_with_a_new_name_is_found():
    found = find_actors("Army spokesperson Nabil Abdallah said the attack failed.", LEX)
    assert [a.name for a in found] == ["Nabil Abdallah"]


def test_possessive_apostrophes_do_not_hide_a_name():
    assert _actors("Ukraineʼs attack and Russia’s reply") == [
        ("Ukraine", "Ukraine"), ("Russia", "Russia")]


def test_capital_after_in_is_a_place_not_an_actor():
    text = "Talks in Moscow ended as Moscow said it would respond."
    assert _actors(text) == [("Moscow", "Russia")]
    assert [p.name for p in find_places(text, LEX)] == ["Moscow", "Moscow"]


def test_city_inside_a_person_name_is_not_a_place():
    text = "Vladimir Putin visited Vladimir."
    taken = [(a.start, a.end) for a in find_actors(text, LEX)]
    assert [p.text for p in find_places(text, LEX, taken=taken)] == ["Vladimir"]


def test_region_and_village_patterns_give_places():
    text = "Shelling hit the village of Sotk and the Bryansk region."
    assert [p.name for p in find_places(text, LEX)] == ["Sotk", "Bryansk Oblast"]


def test_keywords_match_their_inflections_with_type_and_mode():
    hits = [(h.text, k.event_type, k.mode) for h, k in
            LEX.find_keywords("Drones attacked; the attacks and a phone call followed.")]
    assert ("attacked", "ASSAULT", "") in hits
    assert ("attacks", "ASSAULT", "") in hits
    assert ("phone call", "CONSULT", "phone") in hits


def test_lexicon_from_plain_dicts_matches_edited_entries():
    lex = Lexicon.from_dicts(
        [{"name": "Free Coast Army", "kind": "armed group", "country": "", "aliases": ["FCA"]}],
        [{"name": "Port Amber", "country": "", "region": "city", "latitude": 1.0,
          "longitude": 2.0, "gazetteer_id": "", "aliases": []}],
        [{"phrase": "naval blockade", "event_type": "COERCE", "mode": "naval"}])
    assert [h.name for h in lex.find_actors("The FCA left.")] == ["Free Coast Army"]
    assert [h.name for h in lex.find_places("near Port Amber")] == ["Port Amber"]
    assert [k.event_type for _, k in lex.find_keywords("naval blockades began")] == ["COERCE"]
