"""The fast paths of the extractor find what the plain regex or loop they replace finds.

Each test builds many short texts from pieces that sit on the edges of the rule (case,
spacing, punctuation, the letters IGNORECASE folds) and compares both ways.
"""
import random
import re

from ingest.extraction import actors, continuation, events, lexicon, roles, sentences, titles

PIECES = ["the", "The", "nights", "night", "of", "on", "In", "upon", "Since", "UNTIL", "by",
          "Deputy", "Vice", "Service", "Foreign", "Minister", "Secretary-General", "MP", "mp",
          "that", "Which", "killing", "and he", "launched", "carried", "OUT", "These", "its",
          "U.S.", "Ukraine's", "al-Sharaa", "K", "ſ", "ı", "İ", "é", "5", "x_y", "—", "(", ")"]
GAPS = [" ", "  ", "\n", "\u00a0", ", ", ",", "; ", " - ", "-", "", "'", "’"]


def _texts(seed: int, count: int = 3000):
    rng = random.Random(seed)
    for _ in range(count):
        parts = []
        for _ in range(rng.randrange(0, 12)):
            parts += [rng.choice(PIECES), rng.choice(GAPS)]
        yield rng, "".join(parts)


def test_title_prefixes_read_backwards_find_the_search_start():
    prefixes = re.compile(rf"{actors._TITLE_PREFIX}+$")
    for _, text in _texts(1):
        for at in range(len(text) + 1):
            lo = max(0, at - 60)
            found = prefixes.search(text, lo, at)
            expected = at if text[lo:at].rstrip() == text[lo:at] or found is None else \
                found.start()
            assert actors._prefixes_start(text, at) == expected, (text, at)


def test_title_words_in_a_name_are_the_regex_matches():
    for _, text in _texts(2):
        words = actors._WORD_RUN.findall(text)
        assert (actors._TITLE_IN_NAME.search(text) is not None) == \
            (not actors._TITLE_IN_NAME_WORDS.isdisjoint(words)), text


def test_preposition_search_from_the_last_words_removes_what_sub_removes():
    for _, text in _texts(3):
        found = titles._PREPOSITION_AT_END.search(text, titles._preposition_search_start(text))
        assert (text[:found.start()] if found else text) == \
            titles._PREPOSITION_AT_END.sub("", text), text


def test_cue_words_after_the_event_word_are_the_word_by_word_ones():
    next_word = re.compile(r"\s+([^\s,;:.!?()]+)")
    for rng, text in _texts(4):
        end = rng.randrange(0, len(text) + 1)
        clause_end = rng.randrange(end, len(text) + 1)
        right = end
        for count, m in enumerate(next_word.finditer(text, end, clause_end)):
            word = m.group(1)
            if count == titles.MAX_CUE_WORDS or m.start() != right or \
                    word in titles._CUE_STOP or (word.lower() in titles._CONJUNCTIONS and
                                                 not titles._NAME_NEXT.match(text, m.end())):
                break
            right = m.end()
        assert titles.cue_span(text, end, end, (0, clause_end), True)[1] == right, text


def test_words_from_split_are_the_token_matches():
    for rng, text in _texts(5):
        start = rng.randrange(0, len(text) + 1)
        end = rng.randrange(start, len(text) + 1)
        words, starts, ends = lexicon.tokenize(text, start, end)
        plain = lexicon._plain_apostrophes(text)
        expected = [(m.start(), m.end(), text[m.start():m.end()].lower())
                    for m in lexicon._TOKEN.finditer(plain, start, end)]
        assert list(zip(starts, ends, words)) == expected, text


def test_word_before_a_period_is_the_backward_run():
    for rng, text in _texts(6):
        hi = rng.randrange(0, len(text) + 1)
        lo = rng.randrange(0, hi + 1)
        i = hi
        while i > lo and (text[i - 1].isalnum() or text[i - 1] in "_.-"):
            i -= 1
        assert sentences._word_before(text, lo, hi) == text[i:hi], text


def test_case_sensitive_twins_on_lowered_text_match_as_ignorecase_does():
    pairs = [(roles._CLAUSE_BREAK, roles._CLAUSE_BREAK_LC), (roles._FRONTED, roles._FRONTED_LC),
             (roles._SUPPORT_VERB, roles._SUPPORT_VERB_LC_WORD.pattern),
             (events._SINCE_BEFORE, events._SINCE_BEFORE_LC_WORD.pattern),
             (events._FRONTED_DATE, events._FRONTED_DATE_LC),
             (continuation._DEFINITE, continuation._DEFINITE_LC_WORD.pattern)]
    checked = 0
    for rng, text in _texts(7):
        lowered = roles.lowered_for_matching(text)
        if lowered is None:
            assert any(c in text for c in "İıſ")
            continue
        start = rng.randrange(0, len(text) + 1)
        end = rng.randrange(start, len(text) + 1)
        for pattern, twin in pairs:
            assert [m.span() for m in pattern.finditer(text, start, end)] == \
                [m.span() for m in twin.finditer(lowered, start, end)], (pattern.pattern, text)
            found, twin_found = pattern.match(text, start, end), twin.match(lowered, start, end)
            assert (found and found.span()) == (twin_found and twin_found.span())
        checked += 1
    assert checked > 1000
