"""Actors named in a text: dictionary names, demonyms acting as agents, titled new names.

"Egyptian President Abdel Fattah el-Sisi" is el-Sisi (the demonym only qualifies the
title); "Russian forces" is Russia; "Deputy Foreign Minister Sergei Ivanov", a name the
dictionary lacks, becomes a new actor named by its title.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Hit, Lexicon, SpanSet

_TITLE_WORD = (
    r"(?:[Mm]inister|[Ss]ecretary(?:-[Gg]eneral)?|[Ss]pokes(?:person|man|woman)|[Aa]dvis[eo]r|"
    r"[Ee]nvoy|[Aa]mbassador|[Cc]ommander|[Gg]eneral|[Gg]overnor|[Mm]ayor|[Cc]hancellor|"
    r"[Pp]resident|[Pp]remier|[Cc]hief|[Hh]ead|[Dd]irector|[Ll]eader|[Pp]atriarch|[Pp]ope|"
    r"[Kk]ing|[Qq]ueen|[Pp]rince|[Ss]heikh|[Aa]yatollah|[Ll]awmaker|[Ss]enator|[Pp]rosecutor|"
    r"[Oo]fficial|[Cc]olonel|[Cc]aptain|[Mm]ajor|[Ll]ieutenant|[Mm]arshal|[Cc]oordinator|"
    r"[Cc]ommissioner|[Cc]hairman|[Cc]hairwoman|[Cc]hair|[Dd]eputy|[Aa]ide|[Nn]egotiator|"
    r"MP|[Ee]mir|[Mm]onarch)"
)
# Words that may stand between a demonym or a state and a title: "Russian Deputy Foreign".
_TITLE_PREFIX = (r"(?:(?:[Dd]eputy|[Vv]ice|[Aa]cting|[Ff]ormer|[Ff]irst|[Ss]enior|[Tt]op|[Cc]hief|"
                 r"[Ff]oreign|[Dd]efen[cs]e|[Ii]nterior|[Pp]rime|[Ff]inance|[Ee]nergy|[Mm]ilitary|"
                 r"[Pp]residential|[Pp]olicy|[Pp]olitical|[Ss]ecurity|[Hh]igh|[Ss]pecial|[Aa]rmy|"
                 r"[Gg]eneral|[Ss]tate|[Nn]ational)\s+)")
_NAME_WORD = r"[A-Z][a-zà-ÿ'’ʼ\-]+"
_PARTICLE = r"(?:al-|el-|bin\s+|ibn\s+|von\s+der\s+|van\s+|de\s+|da\s+)"
_NAME = (rf"{_NAME_WORD}(?:\s+{_PARTICLE}?{_NAME_WORD})"
         r"{1,2}(?:\s+[IVX]{1,4}\b)?")
# A title, an optional "for Strategic Industries" / "of Defence", then a name.
TITLED_NAME = re.compile(
    rf"\b{_TITLE_WORD}(?:\s+(?:for|of)(?:\s+(?:and\s+)?[A-Z][a-z]+){{1,3}})?"
    rf",?\s+(?P<name>{_NAME})(?![\w\-])"
)
_PREFIX_WORD_AT_END = re.compile(rf"{_TITLE_PREFIX[3:-4]}\Z")
_LONGEST_PREFIX_WORD = len("Presidential")
# The title words as the lexicon's words: where a titled name may start.
_TITLE_WORDS = frozenset("""
minister secretary secretary-general spokesperson spokesman spokeswoman adviser advisor
envoy ambassador commander general governor mayor chancellor president premier chief head
director leader patriarch pope king queen prince sheikh ayatollah lawmaker senator
prosecutor official colonel captain major lieutenant marshal coordinator commissioner
chairman chairwoman chair deputy aide negotiator mp emir monarch""".split())
_AFTER_MODIFIER = re.compile(rf"\s*(?:-\s*)?{_TITLE_PREFIX}*{_TITLE_WORD}\b")
_LOCATIVE = re.compile(r"\b(?:in|near|outside|inside|around|from|into|over)\s+$", re.IGNORECASE)
_TITLE_IN_NAME = re.compile(rf"\b(?:{_TITLE_PREFIX[3:-4]}|{_TITLE_WORD})\b")
# The words _TITLE_IN_NAME finds, as written: it matches a whole run of word characters
# ("Secretary-General" holds "Secretary"), so a name holds a match if one of its runs
# is among these (a set lookup per word instead of the alternation at every position).
_TITLE_IN_NAME_WORDS = frozenset(
    first + rest
    for word in """Deputy Vice Acting Former First Senior Top Chief Foreign Defence Defense
    Interior Prime Finance Energy Military Presidential Policy Political Security High Special
    Army General State National Minister Secretary Spokesperson Spokesman Spokeswoman Adviser
    Advisor Envoy Ambassador Commander Governor Mayor Chancellor President Premier Head
    Director Leader Patriarch Pope King Queen Prince Sheikh Ayatollah Lawmaker Senator
    Prosecutor Official Colonel Captain Major Lieutenant Marshal Coordinator Commissioner
    Chairman Chairwoman Chair Aide Negotiator Emir Monarch""".split()
    for first, rest in ((word[0], word[1:]), (word[0].lower(), word[1:]))
) | {"MP"}
_WORD_RUN = re.compile(r"\w+")
_DAY_OR_MONTH = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december the this that
""".split())


# not frozen: made by the thousand per article, and a frozen dataclass costs
# three times as much to build; nothing changes one after it is made
@dataclass(slots=True)
class ActorMention:
    start: int
    end: int
    text: str
    name: str
    kind: str  # state, person, organization, government, armed group, new person
    country: str = ""
    via: str = "dictionary"  # dictionary, demonym, title


def _qualifies_title(text: str, end: int) -> bool:
    """Return whether the words after ``end`` are a title: "Russian [President] X"."""
    return bool(_AFTER_MODIFIER.match(text, end))


def find_actors(text: str, lexicon: Lexicon, start: int = 0, end: int | None = None,
                hits: list[Hit] | None = None,
                demonyms: list[Hit] | None = None) -> list[ActorMention]:
    """Return the actors named in ``text[start:end]``, in order, without overlaps.

    ``hits``/``demonyms`` may pass dictionary matches already made over the whole text.
    """
    end = len(text) if end is None else end
    if hits is None:
        hits = lexicon.find_actors(text, start, end)
    if demonyms is None:
        demonyms = lexicon.find_demonyms(text, start, end)
    found: list[ActorMention] = []
    modifiers: list[ActorMention] = []  # "Russian" in "Russian Deputy Foreign Minister"
    for hit in hits:
        actor = lexicon.actor(hit.name)
        if actor is None:
            continue
        if actor.kind == "state" and _LOCATIVE.search(text, max(0, hit.start - 12), hit.start):
            continue  # "in Moscow", "arrived in Jordan": places; "Moscow said": the government
        if actor.kind == "state" and _qualifies_title(text, hit.end):
            # "US President Joe Biden": the person is the actor
            modifiers.append(ActorMention(hit.start, hit.end, hit.text, actor.name, actor.kind,
                                          actor.country))
            continue
        found.append(ActorMention(hit.start, hit.end, hit.text, actor.name, actor.kind,
                                  actor.country))
    taken = SpanSet((a.start, a.end) for a in found)
    for hit in demonyms:
        if taken.overlaps(hit.start, hit.end):
            continue
        actor = lexicon.actor(hit.name)
        if actor is not None and _qualifies_title(text, hit.end):
            modifiers.append(ActorMention(hit.start, hit.end, hit.text, actor.name, actor.kind,
                                          actor.country, "demonym"))
        elif actor is not None:
            found.append(ActorMention(hit.start, hit.end, hit.text, actor.name, actor.kind,
                                      actor.country, "demonym"))
    words = lexicon.words(text, start, end)
    known = SpanSet((a.start, a.end) for a in found)
    new: list[ActorMention] = []
    for at in words.positions(_TITLE_WORDS):
        m = TITLED_NAME.match(text, words.starts[at], end)
        if m is None or known.overlaps(m.start(), m.start() + 1):
            continue
        while m is not None and not _TITLE_IN_NAME_WORDS.isdisjoint(
                _WORD_RUN.findall(m.group("name"))):
            # "Deputy Foreign Minister Sergei X": the name follows the last title word
            inner = list(_TITLE_IN_NAME.finditer(text, m.start("name"), m.end("name")))
            m = TITLED_NAME.match(text, inner[-1].start())
        if m is None:
            continue
        s, e = m.span("name")
        name = m.group("name")
        if known.overlaps(s, e) or any(a.start < e and s < a.end for a in new):
            continue
        if name.split()[0].lower() in _DAY_OR_MONTH or lexicon.place(name) is not None:
            continue
        country = _country_before(found + modifiers, _prefixes_start(text, m.start()))
        new.append(ActorMention(s, e, name, name, "new person", country, "title"))
    found += new
    found.sort(key=lambda a: a.start)
    return found


def _prefixes_start(text: str, at: int) -> int:
    """Return where the title prefixes ("Deputy Foreign") before ``at`` start, else ``at``."""
    lo = max(0, at - 60)
    # what the search of "(?:PREFIX\s+)+$" in text[lo:at] finds, read backwards word by
    # word (a "$"-anchored search tries all its 60 start positions)
    word_end = at
    while word_end > lo and text[word_end - 1].isspace():
        word_end -= 1
    start = at
    while word_end < start:
        # the longest prefix word that ends there (a shorter one would start inside it)
        word = _PREFIX_WORD_AT_END.search(text, max(lo, word_end - _LONGEST_PREFIX_WORD),
                                          word_end)
        if word is None:
            break
        start = word_end = word.start()
        while word_end > lo and text[word_end - 1].isspace():
            word_end -= 1
    return start


def _country_before(found: list[ActorMention], at: int) -> str:
    """Return the country of a demonym or possessive right before a title."""
    for actor in sorted(found, key=lambda a: a.end, reverse=True):
        if actor.end <= at and at - actor.end <= 3:
            return actor.country
    return ""
