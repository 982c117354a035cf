"""Sentence-to-sentence links: which undated sentences go on with a dated one.

An undated sentence joins the event of an earlier sentence of the same article only on
plain evidence: the same speaker goes on ("..., Burhan added"), a definite noun points back
("the shelling killed nine", "this operation"), or a call or meeting between the same
parties is told again (a lead "Ruto told Abiy on Monday ..." and later "Abiy said he
had spoken to Ruto"). The first sentence of a reliably dated story, undated itself,
reports that day's news.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from .roles import case_sensitive_twin, speaker_of
from .sentences import Sentence
from .types import Mention
from .wordsearch import WordSearch

# Publication dates a lead sentence may take its date from: not a guess from the latest
# date the text names, nor one borrowed from a related article or the ingest day.
TRUSTED_BASES = frozenset({"metadata", "dateline", "weekday", "user"})
SPEAKER_WINDOW = 2  # sentences back
PARTIES_WINDOW = 3
ANAPHORA_WINDOW = 2


def _countries(ctx) -> dict[str, str]:
    """Map each actor named in the article to its country's state name."""
    return {a.name: ctx.country_names.get(a.country, "") for a in ctx.actors}


def _expanded(names: Sequence[str], country_of: dict[str, str]) -> set[str]:
    out = set()
    for n in names:
        out.add(n)
        if country_of.get(n):
            out.add(country_of[n])
    return out


def _shared_parties(a: Sequence[str], b: Sequence[str], country_of: dict[str, str]) -> int:
    """Count the parties of ``a`` that ``b`` names too, directly or through their country."""
    other = _expanded(b, country_of)
    return sum(1 for n in dict.fromkeys(a) if n in other or country_of.get(n, "-") in other)


def link_mentions(ctx, sentences: Sequence[Sentence], reader_cls: Callable) -> list[Mention]:
    """Return the mentions of an article's news sentences, continuations linked."""
    out: list[Mention] = []
    primaries: dict[int, list[Mention]] = {}
    lead: Mention | None = None
    country_of = _countries(ctx)
    starts = ctx.trigger_starts
    for i, sentence in enumerate(sentences):
        at = bisect.bisect_left(starts, sentence.start)
        if at == len(starts) or starts[at] >= sentence.end:
            continue  # no event word, nothing to report
        reader = reader_cls(ctx, sentence)
        dated = reader.dated()
        if not dated and not reader.has_own_date():
            linked = _continuation(ctx, reader, i, sentences, primaries, lead, country_of)
            if linked is None and i == 0:
                linked = _lead(ctx, reader)
            dated = [linked] if linked else []
        if dated:
            primaries[i] = dated
            if lead is None and i <= 1:
                lead = dated[0]
        out.extend(dated)
        out.extend(reader.references(dated))
    return out


def _near(i: int, window: int, sentences: Sequence[Sentence],
          primaries: dict[int, list[Mention]]) -> list[Mention]:
    """Return the primary mentions of up to ``window`` sentences back, nearest first."""
    found = []
    for j in range(i - 1, max(-1, i - window - 1), -1):
        if sentences[i].paragraph - sentences[j].paragraph > 1:
            break
        found.extend(primaries.get(j, ()))
    return found


def _continuation(ctx, reader, i, sentences, primaries, lead, country_of) -> Mention | None:
    text = ctx.text
    ordered = sorted(reader.triggers,
                     key=lambda t: not (t.verbal or t.speech or _definite(text, reader, t)))
    for trigger in ordered:
        if reader._usable(trigger) is None:
            continue
        if trigger.speech:
            who = speaker_of(text, trigger.start, trigger.end, reader.actors,
                             (reader.s.start, reader.s.end))
            if who is None:
                continue
            for m in _near(i, SPEAKER_WINDOW, sentences, primaries):
                if who.name in (m.speaker, m.agent):
                    return _linked(reader, trigger, m, inherit=True)
        elif trigger.event_type == "CONSULT" and (trigger.verbal or
                                                  _determined(text, reader, trigger)):
            parties = reader.parties(trigger)
            if len(parties) < 2:
                continue
            for m in [*_near(i, PARTIES_WINDOW, sentences, primaries), *([lead] if lead else [])]:
                if m.event_type == "CONSULT" and \
                        _shared_parties(parties, m.actors, country_of) >= 2:
                    return _linked(reader, trigger, m)
        elif trigger.event_type == "ASSAULT" and not trigger.verbal and \
                _definite(text, reader, trigger):
            for m in _near(i, ANAPHORA_WINDOW, sentences, primaries):
                if m.event_type == "ASSAULT":
                    return _linked(reader, trigger, m)
    return None


_DEFINITE = re.compile(r"\b(?:the|this|these|those|its|their)\s+(?:[\w\-]+\s+){0,2}$",
                       re.IGNORECASE)
_DEFINITE_WORD = WordSearch(_DEFINITE)
_DEFINITE_LC_WORD = WordSearch(case_sensitive_twin(_DEFINITE))  # on ctx.lowered
_DETERMINER = re.compile(r"\b(?:the|this|that|his|her|their|its|a|an|['’ʼ]s)\s+"
                         r"(?:[\w\-]+\s+){0,3}$|['’ʼ]s\s+$",
                         re.IGNORECASE)


def _determined(text: str, reader, trigger) -> bool:
    """Return whether a noun names one particular event ("his call", "a 15-minute call")."""
    return bool(_DETERMINER.search(text, max(reader.s.start, trigger.start - 40), trigger.start))


def _definite(text: str, reader, trigger) -> bool:
    lowered = reader.ctx.lowered
    if lowered is not None:
        return _DEFINITE_LC_WORD.found(lowered, max(reader.s.start, trigger.start - 30),
                                       trigger.start)
    return _DEFINITE_WORD.found(text, max(reader.s.start, trigger.start - 30), trigger.start)


def _linked(reader, trigger, antecedent: Mention, inherit: bool = False) -> Mention | None:
    m = reader.mention(trigger, day=antecedent.date_start, day_end=antecedent.date_end,
                       precision=antecedent.precision, date_text=antecedent.date_text,
                       rule=f"continues the sentence at {antecedent.char_start}",
                       antecedent=antecedent.char_start, confidence=0.55,
                       inherit=antecedent if inherit else None)
    return m


def _lead(ctx, reader) -> Mention | None:
    if ctx.basis not in TRUSTED_BASES or ctx.anchor is None:
        return None
    for trigger in reader.triggers:
        if (trigger.verbal or trigger.speech) and reader._usable(trigger) is not None:
            m = reader.mention(trigger, day=ctx.anchor, day_end=None, precision="day",
                               date_text="", rule="lead sentence: the news of the publication day",
                               confidence=0.5)
            if m is not None and m.actors:  # a lead about someone known, not "officials"
                return m
    return None
