"""Event words in a text: dictionary keywords and speech verbs, and whether one is real.

A ``Trigger`` is a word that names an event ("attacks", "met", "ruled out") or reports
speech ("said"). ``is_hypothetical`` reads the words before it: a planned, possible or
denied event ("could impose sanctions", "plans to meet", "did not attack") did not happen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon, PhraseMatcher, SpanSet

# Verbs that report speech; what was said decides the event type.
_SPEECH = PhraseMatcher({w: w for w in """said says stated states added adds announced announces
declared wrote writes posted noted claimed insisted argued emphasised emphasized stressed
reported confirmed commented tweeted remarked explained told""".split()}
                        | {"pointed out": "pointed out", "went on": "went on"},
                        case_sensitive=False)
_IRREGULAR_PAST = frozenset("""met held spoke spoken told struck hit fought shot sought seized
withdrew withdrawn sent ruled""".split())
_HYPOTHETICAL_BEFORE = re.compile(
    r"\b(?:will|would|could|may|might|should|shall|can|cannot|must|won['’]t|wouldn['’]t|"
    r"(?:plan|plans|planned|planning|intend|intends|intended|aim|aims|aimed|ready|prepared|"
    r"expected|set|going|want|wants|wanted|hope|hopes|hoped|seek|seeks|sought|try|tries|tried|"
    r"threaten|threatens|threatened|vow|vows|vowed|able|likely|allow|allowed)\s+to|"
    r"if|unless|whether|possible|possibility\s+of|potential|planned|proposed|upcoming|future|"
    r"next|new|any|further|prospective|would-be|to|no|not|never|without|n['’]t|didn['’]t|"
    r"did\s+not|has\s+not|have\s+not|instead\s+of|rather\s+than)\s+(?:[\w\-“”\"']+\s+){0,2}$",
    re.IGNORECASE)
# A noun is hypothetical through its own modifiers ("possible talks") or a verb in the
# infinitive or after a modal ("to hold talks", "could impose sanctions"); "to" before an
# adjective or a determiner is a preposition ("respond to Ukrainian attacks").
_NOUN_HYPOTHETICAL = re.compile(
    r"(?:\b(?:possible|potential|planned|proposed|upcoming|future|next|new|any|further|more|"
    r"prospective|would-be|no|fresh|additional|impose|imposing)\s+(?:[\w\-]+\s+)?|"
    r"\b(?:will|would|could|may|might|should|must|can)\s+(?:\w+\s+(?:the\s+|a\s+|an\s+)?)?|"
    r"\bto\s+(?!(?:the|a|an|his|her|its|their|this|that|these|those|recent|such|last|other|"
    r"all|both|several|many|some)\b)(?-i:[a-z]+)\s+(?:the\s+|a\s+|an\s+|new\s+|more\s+)?)$",
    re.IGNORECASE)
# Every word the two patterns above can start with: a cheap test before the regexes.
_HYPOTHETICAL_WORDS = frozenset("""
will would could may might should shall can cannot must won wouldn plan plans planned planning
intend intends intended aim aims aimed ready prepared expected set going want wants wanted hope
hopes hoped seek seeks sought try tries tried threaten threatens threatened vow vows vowed able
likely allow allowed if unless whether possible possibility potential proposed upcoming future
next new any further prospective would-be to no not never without t didn did has have instead
rather more fresh additional impose imposing
""".split())
_WORDS = re.compile(r"[a-z\-]+")


# not frozen: made by the thousand per article, and a frozen dataclass costs
# three times as much to build; nothing changes one after it is made
@dataclass(slots=True)
class Trigger:
    start: int
    end: int
    text: str
    event_type: str  # "" for a plain speech verb
    mode: str
    verbal: bool  # a verb in the past ("attacked", "held"), not a noun ("attacks")
    speech: bool = False


def is_verbal(text: str) -> bool:
    """Return whether a keyword as written is a past verb ("attacked", "met", "ruled out")."""
    word = text.lower().split()[0]
    return word.endswith("ed") or word in _IRREGULAR_PAST


def all_triggers(text: str, lexicon: Lexicon) -> list[Trigger]:
    """Return every event keyword and speech verb of a text, in order, without overlaps."""
    found = [Trigger(h.start, h.end, h.text, kw.event_type, kw.mode, is_verbal(h.text))
             for h, kw in lexicon.find_keywords(text)]
    taken = SpanSet((t.start, t.end) for t in found)
    found += [Trigger(h.start, h.end, h.text, "", "", True, True)
              for h in _SPEECH.find(lexicon.words(text)) if not taken.overlaps(h.start, h.end)]
    found.sort(key=lambda t: t.start)
    return found


def is_hypothetical(text: str, trigger: Trigger, clause_start: int) -> bool:
    """Return whether the words before the trigger make it planned, possible or denied.

    A verb is read with its clause ("could impose", "did not meet"); a noun only with its
    own modifiers ("possible talks", "new attacks"), since "didn't mention the attacks"
    still speaks of attacks that happened.
    """
    window = text[max(clause_start, trigger.start - 60):trigger.start]
    if _HYPOTHETICAL_WORDS.isdisjoint(_WORDS.findall(window.lower())):
        return False
    # the patterns look at most four words back: search only those (a "$"-anchored search
    # tries every start position of its text)
    cut = len(window)
    for _ in range(5):
        cut = window.rfind(" ", 0, cut - 1) if cut > 1 else -1
        if cut <= 0:
            cut = 0
            break
    window = window[cut:]
    if trigger.verbal or trigger.speech:
        return bool(_HYPOTHETICAL_BEFORE.search(window))
    return bool(_NOUN_HYPOTHETICAL.search(window))


def governing_refusal(text: str, noun: Trigger, triggers: list[Trigger]) -> Trigger | None:
    """Return the refusal verb a noun is the object of ("rejected a full withdrawal")."""
    if noun.verbal or noun.speech:
        return None
    for t in reversed(triggers):
        if t.start < noun.start and t.verbal and t.event_type == "REJECT" and \
                len(text[t.end:noun.start].split()) <= 4:
            return t
    return None
