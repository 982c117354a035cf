"""General wire vocabulary: inflected and multi-word event words of conflict news."""
from datetime import date

import pytest

from ingest.extraction.events import extract_mentions
from ingest.extraction.lexicon import inflections, load_starter_lexicon
from ingest.extraction.types import ArticleInput, PublicationDate

LEX = load_starter_lexicon()
FRIDAY = PublicationDate(date(2025, 6, 13), "dateline")


def _dated(text):
    _, mentions = extract_mentions(ArticleInput("w.txt", text), LEX, published=FRIDAY)
    return [(m.date_start, m.event_type) for m in mentions if m.date_start is not None]


def test_a_past_keyword_also_matches_its_ing_form():
    assert "killing" in inflections("killed")
    assert "kidnapping" in inflections("kidnapped")
    assert "declining" not in inflections("declined")


@pytest.mark.parametrize("sentence, event_type", [
    ("Police and farmers exchanged fire on Wednesday outside Kavala, killing three.", "ASSAULT"),
    ("Soldiers opened fire on a crowd in the market on Tuesday.", "ASSAULT"),
    ("Rival militias clashed on Thursday on the outskirts of the port town.", "ASSAULT"),
    ("Gunmen ambushed a supply convoy on the highway on Monday.", "ASSAULT"),
    ("Security forces arrested 40 students at the university on Wednesday.", "COERCE"),
    ("Thousands of demonstrators protested outside parliament on Tuesday.", "PROTEST"),
    ("Insurgents freed 12 prisoners on Thursday after weeks of mediation.", "CONCEDE"),
    ("The two factions signed a truce on Wednesday in the capital.", "AGREE"),
    ("Aid workers evacuated 300 civilians from the town on Monday.", "AID"),
])
def test_wire_sentences_report_a_dated_event(sentence, event_type):
    found = _dated(sentence)
    assert found, sentence
    assert found[0][1] == event_type


def test_an_ing_form_after_a_modal_is_still_hypothetical():
    assert _dated("The rebels could be planning to ambush convoys next week.") == []
