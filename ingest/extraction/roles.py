"""Who does what to whom around an event word: clauses, agents, targets, speakers.

Shallow rules over the words near a trigger, no parser: "Ukraine's attack", "Ukrainian
drone attacks" and "attacks ... carried out by the SBU" name the agent; "attacks on
Sudanese army bases" names the target; "Ruto held talks with the leaders of Ethiopia and
Eritrea" names the parties of a meeting; "Burhan said" and "..., Burhan added" the speaker.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .actors import ActorMention
from .places import PlaceMention
from .wordsearch import WordSearch

# Where a clause ends: strong punctuation, " - ", a comma before a subordinating word or
# an "-ing" form, or a space before a subordinating word. The same matches as
# "[;:()\[\]—–]|\s-\s|,\s+(?=AFTER_COMMA)|\s(?=AFTER_SPACE\s)", written to start with one
# character class (re then skips straight to the candidates) and to test the first letter
# of AFTER_SPACE before its words: some three times fewer steps per sentence.
_AFTER_COMMA = (r"(?:which|who|whom|whose|where|while|whereas|although|though|but|"
                r"because|since|as|after|before|when|despite|adding|arguing|describing|saying|"
                r"claiming|calling|according|in\s+which|with\s+the\s+aim|including|specifically|"
                r"and\s+(?:he|she|they|it)\b|"
                r"\w+ing\b)\b")
_AFTER_SPACE = r"(?:that|which|who|while|whereas|although|because|when|after|before|until)"
_CLAUSE_BREAK = re.compile(
    r"[;:()\[\]—–,\s](?:(?<=[;:()\[\]—–])|(?<=\s)-\s|(?<=,)\s+(?=" + _AFTER_COMMA + r")"
    r"|(?<=\s)(?=[tawbu])(?=" + _AFTER_SPACE + r"\s))",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"^\s*(?:['’ʼ]s|['’ʼ])\s+(?:[\w\-“”\"]+\s+){0,3}$")
_MODIFIERS_ONLY = re.compile(r"^\s*(?:[\w\-]+\s+|[“”\"'‘’][\w\-]+[“”\"'‘’]\s+){0,3}$")
_BY_AFTER = re.compile(r"^[^.;:]{0,60}?\b(?:carried\s+out|conducted|launched|staged|claimed|"
                       r"organi[sz]ed|mounted)?\s*by\s+(?:the\s+)?$", re.IGNORECASE)
# The target follows a preposition of aim, close to the event word and to the name:
# "attacks on Sudanese army bases", "struck a depot in Sudan's Kassala state".
_TARGET_PREP = re.compile(r"^\s*(?:[\w\-]+\s+){0,3}?(?:on|against|at|targeting|targeted|in|into|"
                          r"of|directed\s+at|aimed\s+at)\s+(?:[\w\-]+\s+){0,3}?$", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)
# Verbs whose subject carries out the event a noun names: "Russia launched attacks".
_SUPPORT_VERB = re.compile(r"\b(?:launch|carr(?:y|ied)\s+out|conduct|stage|mount|fire|send|sent|"
                           r"unleash|made|make|held|hold|issued|gave|signed|undert[ao]ok)\w*\b",
                           re.IGNORECASE)
_SUPPORT_VERB_WORD = WordSearch(_SUPPORT_VERB)
_RELATIVE = re.compile(r"\b(?:that|which|who)\b")
_FEW_WORDS = re.compile(r"\s*(?:the\s+)?(?:[\w\-]+\s+){0,3}$")
PARTY_KINDS = frozenset({"state", "person", "organization", "government", "armed group",
                         "new person"})


_FRONTED = re.compile(r"\s*(?:[-–•*]\s*)?"
                      r"(?:(?:shortly|soon|just|hours|days|minutes|moments|weeks)\s+)?"
                      r"(?:within|after|before|during|despite|while|following|in|on|at|"
                      r"according\s+to|"
                      r"amid|as|when|since|with|without|earlier|later|separately|meanwhile|however|"
                      r"nevertheless|speaking|asked)\b[^,]{0,160},", re.IGNORECASE)


def lowered_for_matching(text: str) -> str | None:
    """Return ``text`` lower-cased, for the case-sensitive twins of IGNORECASE patterns.

    Case-insensitive matching lower-cases every character it reads; matched
    case-sensitively on the text lower-cased once, a pattern written in lower case finds
    the same spans, unless the text holds one of the three letters str.lower does not
    read as IGNORECASE does: "İ" (two characters lower-cased), "ı" and "ſ" (which
    IGNORECASE matches with "i" and "s"). Then None: keep the IGNORECASE patterns.
    """
    if "ı" in text or "ſ" in text:
        return None
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


def case_sensitive_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The twin of an IGNORECASE pattern for lower-cased text (see lowered_for_matching)."""
    assert not re.search(r"(?<!\\)[A-Z]", pattern.pattern), "a capital letter would not match"
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


_CLAUSE_BREAK_LC = case_sensitive_twin(_CLAUSE_BREAK)
_FRONTED_LC = case_sensitive_twin(_FRONTED)
_SUPPORT_VERB_LC_WORD = WordSearch(case_sensitive_twin(_SUPPORT_VERB))


class Clauses:
    """The clause breaks of one sentence, found once and looked up by position.

    ``lowered``: the text as lowered_for_matching gives it, if not None.
    """

    def __init__(self, text: str, start: int, end: int, lowered: str | None = None):
        self.start, self.end = start, end
        self.fronted_end = -1
        if lowered is None:
            fronted_re, break_re = _FRONTED, _CLAUSE_BREAK
        else:
            text, fronted_re, break_re = lowered, _FRONTED_LC, _CLAUSE_BREAK_LC
        fronted = fronted_re.match(text, start, end)
        if fronted:  # "Shortly after X met Y, Z said ...": the opening phrase is a clause
            self.fronted_end = fronted.end()
        self.breaks = list(map(re.Match.span, break_re.finditer(text, start, end)))

    def around(self, at: int) -> tuple[int, int]:
        """Return the span of the clause that holds position ``at``."""
        left, right = self.start, self.end
        if self.fronted_end != -1:
            if at < self.fronted_end:
                right = self.fronted_end - 1
            else:
                left = self.fronted_end
        for b_start, b_end in self.breaks:
            if b_end <= at:
                if b_end > left and b_start >= left:
                    left = b_end
            elif b_start >= at:
                if b_start < right:
                    right = b_start
                break
        return left, right


def clause_bounds(text: str, start: int, end: int, at: int) -> tuple[int, int]:
    """Return the span of the clause of ``text[start:end]`` that holds position ``at``."""
    return Clauses(text, start, end).around(at)


def _between(text: str, a: int, b: int) -> str:
    return text[a:b] if a <= b else ""


def agent_of(text: str, trig_start: int, trig_end: int, actors: Sequence[ActorMention],
             clause: tuple[int, int], verbal: bool,
             lowered: str | None = None) -> ActorMention | None:
    """Return who carries out the event the trigger names, if the words say so.

    ``lowered``: the text as lowered_for_matching gives it, if not None.
    """
    before = [a for a in actors if clause[0] <= a.start and a.end <= trig_start]
    for actor in reversed(before):
        gap = _between(text, actor.end, trig_start)
        if actor.kind in PARTY_KINDS and (_POSSESSIVE.match(gap) or
                                          (actor.via == "demonym" and _MODIFIERS_ONLY.match(gap))):
            return actor
        break
    for actor in actors:
        if actor.start >= trig_end and actor.start - trig_end <= 70 and \
                _BY_AFTER.match(_between(text, trig_end, actor.start)):
            return actor
    if verbal or (_SUPPORT_VERB_WORD.found(text, clause[0], trig_start) if lowered is None
                  else _SUPPORT_VERB_LC_WORD.found(lowered, clause[0], trig_start)):
        subjects = [a for a in before if a.kind in PARTY_KINDS]
        if subjects:
            return subjects[-1]  # the head of "Sudan's paramilitary RSF" is the RSF
    return None


def target_of(text: str, trig_end: int, actors: Sequence[ActorMention],
              places: Sequence[PlaceMention], clause: tuple[int, int],
              country_names: dict[str, str]) -> str:
    """Return the state or party an attack is aimed at ("attacks on Sudanese army bases")."""
    candidates = [(a.start, a.end,
                   a.name if a.kind != "person" else country_names.get(a.country, a.name))
                  for a in actors if trig_end <= a.start < clause[1]]
    candidates += [(p.start, p.end, country_names.get(p.country, "")) for p in places
                   if trig_end <= p.start < clause[1]]
    for start, _, name in sorted(candidates):
        if name and _TARGET_PREP.match(_between(text, trig_end, start)):
            return name
    return ""


def parties_of(text: str, trig_start: int, trig_end: int, actors: Sequence[ActorMention],
               clause: tuple[int, int], sentence_start: int) -> list[ActorMention]:
    """Return the parties of a meeting or call: its subject and whoever it was with."""
    in_clause = [a for a in actors if clause[0] <= a.start and a.end <= clause[1]
                 and a.kind in PARTY_KINDS]
    subject = [a for a in in_clause if a.end <= trig_start]
    others = [a for a in in_clause if a.start >= trig_end]
    if not subject:
        # "Abiy announced that he had spoken to Ruto": "he" is the speaker before
        if _PRONOUN.search(_between(text, clause[0], trig_start)):
            earlier = [a for a in actors if sentence_start <= a.start and a.end <= clause[0]
                       and a.kind in PARTY_KINDS]
            subject = earlier[-1:]
    else:
        # "Russia and Ukraine held talks": both; "Sudan's army chief met": the last
        joined = _AND_BEFORE.search(_between(text, subject[0].start, trig_start))
        subject = subject if joined else subject[-1:]
    return [*subject, *others]


_AND_BEFORE = re.compile(r"\band\b")


def speaker_of(text: str, verb_start: int, verb_end: int, actors: Sequence[ActorMention],
               sentence: tuple[int, int]) -> ActorMention | None:
    """Return who says something: "Burhan said", "said Burhan", "..., Burhan added"."""
    before = [a for a in actors if sentence[0] <= a.start and a.end <= verb_start
              and a.kind in PARTY_KINDS]
    if before:
        last = before[-1]
        gap = _between(text, last.end, verb_start)
        if len(gap) <= 40 and not gap.rstrip().endswith((",", ";", ":")) or len(gap) <= 3:
            return last
        if len(gap) <= 60 and not _RELATIVE.search(gap):
            return last
    after = [a for a in actors if verb_end <= a.start <= verb_end + 25 and a.kind in PARTY_KINDS]
    if after and _FEW_WORDS.match(_between(text, verb_end, after[0].start)):
        return after[0]
    return None
