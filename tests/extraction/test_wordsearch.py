"""WordSearch finds what the pattern's own search finds, from every start."""
import re

import pytest

from ingest.extraction import claims, continuation, events, roles
from ingest.extraction.wordsearch import WordSearch

TEXT = (
    "Russia launched attacks since the end of May. Aid arrived, according to the UN, "
    "after the truce; by the night of June 4, fighters carried out raids.\n"
    "Its third strike citing officials_x launch(es) 'since' \u00e9t\u00e9 since  \n"
    "the offensive (this week's) held talks until the"
)


@pytest.mark.parametrize("pattern", [
    events._SINCE_BEFORE, roles._SUPPORT_VERB, continuation._DEFINITE, claims._CLAIMANT_LC,
])
def test_word_search_finds_what_the_pattern_finds(pattern):
    words = WordSearch(pattern)
    for text in (TEXT, TEXT.lower()):
        for start in range(len(text)):
            for end in (start, start + 1, start + 17, start + 40, len(text)):
                end = min(end, len(text))
                plain = pattern.search(text, start, end)
                found = words.search(text, start, end)
                assert (plain is None) == (found is None), (start, end)
                assert words.found(text, start, end) == (plain is not None)
                if plain is not None:
                    assert plain.regs[1:] == found.regs[1:], (start, end)
                    assert found.end() == plain.end()
                    assert found.start() in (plain.start(), plain.start() - 1)


def test_word_search_needs_a_leading_word_boundary():
    with pytest.raises(ValueError):
        WordSearch(re.compile(r"since\b"))
