"""Short event titles in the system's own words, and the words that name an event."""
from __future__ import annotations

import re
from collections.abc import Sequence

# Words a phrase does not extend to on its left. The set is looked up for ASCII words;
# a word with other letters keeps the case-insensitive regex (IGNORECASE also folds "ſ",
# "ı", "İ" and the Kelvin sign to ASCII letters).
_STOP_LEFT_WORDS = frozenset("""the a an this that these those its his her their our such of
on in at to by for with and or after before during about over from into regarding recent
several many some""".split())
_STOP_LEFT = re.compile("^(?:" + "|".join(sorted(_STOP_LEFT_WORDS)) + ")$", re.IGNORECASE)
_VERB_OF = {
    "ACCUSE": "accuses", "REJECT": "rejects", "THREATEN": "threatens", "REQUEST": "appeals to",
    "AGREE": "agrees with", "SUPPORT": "backs", "CONCEDE": "concedes to", "PROTEST": "protests",
    "SANCTION": "sanctions", "COOPERATE": "cooperates with", "AID": "sends aid to",
    "RETREAT": "withdraws from", "MOBILIZE": "mobilizes against",
}
MAX_CUE_WORDS = 12
# up to MAX_CUE_WORDS words, each right after the last
_NEXT_WORDS = re.compile(r"(?:\s+[^\s,;:.!?()]+){0,%d}" % MAX_CUE_WORDS)
# lower case only: "May" the month goes on, "may" the verb stops the phrase
_CUE_STOP = frozenset("""that which who while is are was were be been has have had will would
could should may might can did does do left killed sparked lasted underscore underscores
came""".split())
_CONJUNCTIONS = frozenset({"and", "or", "but"})
_NAME_NEXT = re.compile(r"\s+(?:the\s+)?[A-Z]")


_WORD_CHARS = frozenset("-ʼ'’“”\"")


def _word_start_before(text: str, lo: int, hi: int) -> int | None:
    """Return where the word ending before ``hi`` (spaces skipped) starts, if any."""
    i = hi
    while i > lo and text[i - 1].isspace():
        i -= 1
    j = i
    while j > lo and (text[j - 1].isalnum() or text[j - 1] in _WORD_CHARS):
        j -= 1
    return j if j < i else None


def cue_span(text: str, start: int, end: int, clause: tuple[int, int],
             verbal: bool = False) -> tuple[int, int]:
    """Return the span of the phrase around an event word: modifiers and complement."""
    left = start
    for _ in range(0 if verbal else 3):
        word_start = _word_start_before(text, clause[0], left)
        if word_start is None or _is_left_stop(text[word_start:left].strip().strip("“”\"'")):
            break
        left = word_start
    right = end
    # the words after the event word, as long as each follows the last directly: one
    # match for the run of them, then a look at each word
    for word in _NEXT_WORDS.match(text, end, clause[1]).group().split():
        if word in _CUE_STOP:
            break
        word_end = text.find(word, right) + len(word)  # only spaces stand before it
        if word.lower() in _CONJUNCTIONS and not _NAME_NEXT.match(text, word_end):
            break
        right = word_end
    return left, right


def _is_left_stop(word: str) -> bool:
    if word.isascii():
        return word.lower() in _STOP_LEFT_WORDS
    return _STOP_LEFT.match(word) is not None


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_PREPOSITION_AT_END = re.compile(r"\s*\b(?:on|in|at|during|over|since|from|until|by|last|this|"
                                 r"the\s+nights?\s+of)?\s*$")


# The last words of a match of _PREPOSITION_AT_END, with how many words the match holds:
# a phrase that ends with another word can only match at the spaces after it.
_PREPOSITION_WORDS = {word: 1 for word in
                      "on in at during over since from until by last this".split()} | {"of": 3}
_LONGEST_PREPOSITION = max(map(len, _PREPOSITION_WORDS))


def _preposition_search_start(phrase: str) -> int:
    """Return a position no match of _PREPOSITION_AT_END in ``phrase`` starts before.

    A match is spaces, then up to three words ("the nights of") that end where the
    phrase's trailing spaces start, then those spaces: searched from before them, the
    "$"-anchored pattern is tried at a few positions instead of all.
    """
    end = len(phrase.rstrip())
    # the word before the trailing spaces, read at most one letter longer than the
    # longest listed word (a longer one is not listed either)
    start, lo = end, max(0, end - _LONGEST_PREPOSITION - 1)
    while start > lo and (phrase[start - 1].isalnum() or phrase[start - 1] == "_"):
        start -= 1
    at = end
    for _ in range(_PREPOSITION_WORDS.get(phrase[start:end], 0)):
        while at > 0 and _is_word_char(phrase[at - 1]):
            at -= 1
        while at > 0 and phrase[at - 1].isspace():
            at -= 1
    return at


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what "\w" and "\b" take for a word character


def without_date(phrase: str, date_text: str) -> str:
    """Return a phrase without its date ("rejected the plan on Tuesday" -> "rejected the plan")."""
    at = phrase.find(date_text) if date_text else -1
    if at != -1:
        before = phrase[:at]
        # the match runs to the end: removing it (what .sub does) keeps what is before it
        found = _PREPOSITION_AT_END.search(before, _preposition_search_start(before))
        phrase = (before[:found.start()] if found else before) + phrase[at + len(date_text):]
    return phrase.strip(" ,;:-")


def make_title(event_type: str, mode: str, agent: str, names: Sequence[str], target: str,
               place: str | None, cue: str, speaker: str = "", rest: str = "") -> str:
    """Return a one-line title such as "Ukraine drone attack on Russia (Kursk Oblast)".

    ``cue`` names the event with its own word; ``rest`` is what follows the word ("a full
    withdrawal" after "rejected"), used after a verb of the title's own.
    """
    where = f" in {place}" if place else ""
    others = [n for n in names if n not in (agent, speaker, target)]
    if event_type == "CONSULT":
        parties = [n for n in names if n]
        how = {"phone": "speak by phone", "video": "hold a video call",
               "in person": "meet"}.get(mode, "hold talks")
        if len(parties) >= 2:
            title = f"{_join(parties)} {how}{where}"
        elif parties:
            title = f"{parties[0]}: {cue}" if cue else f"{parties[0]} holds talks{where}"
        else:
            title = cue[:1].upper() + cue[1:]
    elif event_type == "ASSAULT":
        kind = "air strike" if mode == "air" else (f"{mode} attack" if mode else "attack")
        on = f" on {target}" if target and target != agent else ""
        if agent or on or not cue:
            title = f"{agent} {kind}{on}" if agent else f"{kind.capitalize()}{on}"
        else:  # nobody named: the words of the text say more than "Attack"
            title = cue[:1].upper() + cue[1:]
        title += f" ({place})" if place and place != target and place not in title else ""
    elif (speaker or agent) and event_type not in _VERB_OF:
        title = f"{speaker or agent}: {cue}" + (f" ({place})" if place and place not in cue else "")
    elif speaker or agent:
        who = speaker or agent
        verb = _VERB_OF.get(event_type, "says")
        whom = others or ([target] if target else [])
        if whom:
            title = f"{who} {verb} {_join(whom)}"
        elif rest and len(rest) < 90 and not rest.lower().startswith(("that ", "to ")):
            title = f"{who} {verb} {rest}"
        elif cue and len(cue) < 90:
            title = f"{who}: {cue}"
        else:
            title = f"{who} {verb}"
    else:
        title = cue[:1].upper() + cue[1:]
    return title[:140]
