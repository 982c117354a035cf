"""Event mentions: the sentences of an article that report something that happened.

A mention is dated three ways, in this order of trust:
- explicitly: a day or range the tagger resolved sits next to the event word ("the
  shelling of the camp ... on Tuesday", "On Monday, Burhan met el-Sisi");
- by continuation: an undated sentence that plainly goes on with a dated one ("..., Burhan
  added", "the shelling killed nine", "Abiy announced that he had spoken to Ruto"
  after a lead that says Ruto told Abiy on Monday);
- by the lead: the first sentence of a reliably dated story reports that day's news.
Other event phrases become undated references ("the attack on the dam") that clustering
may join to a dated event they clearly name; alone they never reach the timeline.
Planned or hypothetical events ("could impose sanctions", "plans to meet") are skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import dates
from .actors import ActorMention, find_actors
from .claims import find_claims
from .cues import has_distinctive_word
from .continuation import link_mentions
from .dct import publication_date
from .lexicon import Lexicon, within
from .places import PlaceMention, find_places
from .roles import (Clauses, agent_of, case_sensitive_twin, lowered_for_matching, parties_of,
                    speaker_of, target_of)
from .sentences import Sentence, split_sentences
from .titles import cue_span, make_title, without_date
from .wordsearch import WordSearch
from .triggers import Trigger, all_triggers, governing_refusal, is_hypothetical
from .types import ArticleInput, Mention, PublicationDate, Timex

MAX_QUOTE = 600
QUOTE_CONTEXT = 200  # characters kept before the event word when a sentence is too long
# A day this long before publication is background history, not the story's news.
BACKGROUND_DAYS = 365
WEAK_BASES = frozenset({"related", "ingest"})
VERBAL_TYPES = frozenset({"ACCUSE", "REJECT", "THREATEN", "REQUEST", "AGREE", "SUPPORT",
                          "CONCEDE", "PROTEST", "SANCTION"})
REFERENCE_TYPES = frozenset({"ASSAULT", "CONSULT", "AGREE", "SANCTION", "COERCE", "MOBILIZE",
                             "AID", "RETREAT"})
_SINCE_BEFORE = re.compile(r"\b(?:since|until|till|by|before|after|from|starting|through)\s+"
                           r"(?:the\s+)?(?:(?:night|morning|evening|end|start|beginning)"
                           r"\s+of\s+)?$",
                           re.IGNORECASE)
_SINCE_BEFORE_WORD = WordSearch(_SINCE_BEFORE)
_SINCE_BEFORE_LC_WORD = WordSearch(case_sensitive_twin(_SINCE_BEFORE))  # on ctx.lowered
# A word long enough to name something: a cheap test before the full word analysis.
_CONTENT_WORD = re.compile(r"[A-Za-z\-]{4,}")
_FEW_WORDS = re.compile(r"\s*(?:[\w.\-]+\s+){0,3}$")


@dataclass(slots=True)
class _Context:
    """What the whole article gives the sentence-level rules (computed once)."""

    text: str
    key: str
    lexicon: Lexicon
    anchor: date | None
    basis: str
    actors: list[ActorMention]
    places: list[PlaceMention]
    triggers: list[Trigger]
    timexes: list[Timex]
    country_names: dict[str, str]
    actor_starts: list[int]
    place_starts: list[int]
    trigger_starts: list[int]
    timex_order: list[Timex]  # the timexes sorted by start, for bisecting by sentence
    timex_starts: list[int]
    lowered: str | None  # roles.lowered_for_matching(text)


def triggers_in(ctx: _Context, sentence: Sentence) -> list[Trigger]:
    """Return the event words and speech verbs of a sentence, in order."""
    return within(ctx.triggers, ctx.trigger_starts, sentence.start, sentence.end)


def usable_timexes(ctx: _Context, sentence: Sentence) -> list[Timex]:
    """Return the days and short ranges in a sentence that can date an event."""
    out = []
    since_before, scanned = ((_SINCE_BEFORE_WORD, ctx.text) if ctx.lowered is None
                             else (_SINCE_BEFORE_LC_WORD, ctx.lowered))
    for t in within(ctx.timex_order, ctx.timex_starts, sentence.start, sentence.end):
        if t.type not in ("DATE", "TIME") or t.date_start is None:
            continue
        if t.precision not in ("day", "range"):
            continue
        end = t.date_end or t.date_start
        if (end - t.date_start).days > 10:
            continue
        if ctx.anchor is not None and t.date_start > ctx.anchor:
            continue  # after publication: planned, not happened
        if ctx.anchor is not None and (ctx.anchor - end).days > BACKGROUND_DAYS:
            continue  # history recalled as background ("the invasion on February 24, 2022")
        if since_before.found(scanned, max(sentence.start, t.start - 40), t.start):
            continue
        out.append(t)
    return out


_FRONTED_DATE = re.compile(
    r"\s*(?:[-–•*]\s*)?(?:(?:separately|earlier|later|also|meanwhile|and|but|then)\s*,?\s+)?"
    r"(?:on|during|at|in|late|early|overnight|by|last|this|from|between)\b[^,;]*$", re.IGNORECASE)
_FRONTED_DATE_LC = case_sensitive_twin(_FRONTED_DATE)  # on ctx.lowered


def _trigger_for(ctx: _Context, sentence: Sentence, timex: Timex,
                 triggers: list[Trigger], clauses: Clauses) -> Trigger | None:
    """Return the event word a date belongs to."""
    text = ctx.text
    if (_FRONTED_DATE.match(text, sentence.start, timex.start) if ctx.lowered is None else
            _FRONTED_DATE_LC.match(ctx.lowered, sentence.start, timex.start)):
        # "On Monday, Burhan met el-Sisi", "During a meeting ... on May 2, Abbas ruled out":
        # a date in the opening phrase dates the main clause
        comma = text.find(",", timex.end, sentence.end)
        main = [t for t in triggers if comma != -1 and t.start > comma]
        verbs = [t for t in main if t.verbal or t.speech]
        if verbs and verbs[0].start - comma < 120:
            return verbs[0]
        if main:
            return main[0]
    clause = clauses.around(timex.start)
    before = [t for t in triggers if clause[0] <= t.start and t.end <= timex.start
              and len(text[t.end:timex.start].split()) <= 12]
    if before:
        chosen = before[-1]
        # "rejected a full withdrawal on Tuesday": the date is the refusal's
        governing = governing_refusal(text, chosen, before)
        return governing or chosen
    after = [t for t in triggers if timex.end <= t.start < clause[1]
             and len(text[timex.end:t.start].split()) <= 6]
    return after[0] if after else None


class _SentenceReader:
    """Builds the mentions of one sentence from what the article context holds."""

    def __init__(self, ctx: _Context, sentence: Sentence):
        self.ctx = ctx
        self.s = sentence
        self.actors = within(ctx.actors, ctx.actor_starts, sentence.start, sentence.end)
        self.places = within(ctx.places, ctx.place_starts, sentence.start, sentence.end)
        self.triggers = triggers_in(ctx, sentence)
        self.clauses = Clauses(ctx.text, sentence.start, sentence.end, ctx.lowered)
        self._claims = None
        self._usable_timexes = None
        self._cue_spans: dict[tuple[int, bool], tuple[int, int]] = {}
        self._hypothetical: dict[int, bool] = {}  # by trigger start

    @property
    def claims(self):
        if self._claims is None:
            self._claims = find_claims(self.ctx.text, self.s.start, self.s.end)
        return self._claims

    def mention(self, trigger: Trigger, *, day: date | None, day_end: date | None,
                precision: str, date_text: str, rule: str, antecedent: int = -1,
                confidence: float = 0.7, inherit: Mention | None = None) -> Mention | None:
        ctx, text, s = self.ctx, self.ctx.text, self.s
        clause = self.clauses.around(trigger.start)
        event_type, mode, speaker = trigger.event_type, trigger.mode, ""
        if trigger.speech or (trigger.text.lower() == "told" and not self._addressee(trigger)):
            who = speaker_of(text, trigger.start, trigger.end, self.actors, (s.start, s.end))
            content = [t for t in self.triggers
                       if t.start > trigger.end and t.event_type in VERBAL_TYPES
                       and not is_hypothetical(text, t, trigger.end)]
            if who is None or not (content or inherit):
                return None
            speaker = who.name
            event_type = content[0].event_type if content else inherit.event_type
            agent_actor = who
            parties = [who, *[a for a in self.actors if a.start > trigger.end and
                              a.kind in ("state", "person", "new person", "government")][:2]]
        else:
            agent_actor = agent_of(text, trigger.start, trigger.end, self.actors, clause,
                                   trigger.verbal, ctx.lowered)
            if event_type == "CONSULT":
                parties = parties_of(text, trigger.start, trigger.end, self.actors, clause, s.start)
                agent_actor = parties[0] if parties else agent_actor
                mode = mode or self._mode_near(trigger)
            else:
                parties = [agent_actor] if agent_actor else []
                if event_type in VERBAL_TYPES:  # "Hamas accused Israel": whom it is about
                    parties += [a for a in self.actors if trigger.end <= a.start < clause[1]
                                and a.kind in ("state", "person", "new person", "government",
                                               "armed group", "organization")][:1]
        target = ""
        if event_type in ("ASSAULT", "COERCE", "SANCTION"):
            target = target_of(text, trigger.end, self.actors, self.places, clause,
                               ctx.country_names)
            mode = mode or self._mode_near(trigger)
            if agent_actor is None and inherit is None:
                agent_actor, target = self._sentence_attacker(trigger, target)
                parties = [agent_actor] if agent_actor else []
        names = list(dict.fromkeys([*(p.name for p in parties if p),
                                    *([target] if target else [])]))
        place = self._place(trigger)
        cue_start, cue_end = self._cue_span(trigger, clause, trigger.verbal or trigger.speech)
        if trigger.verbal and not trigger.speech and day is None:
            cue_start = clause[0]  # "Fuel depots in Port Sudan were hit": the subject names it
        quote_start, quote_end = self._quote_span(trigger)
        agent = agent_actor.name if agent_actor else ""
        return Mention(
            article=ctx.key, quote=text[quote_start:quote_end], char_start=quote_start,
            char_end=quote_end, date_start=day, date_end=day_end, precision=precision,
            date_text=date_text,
            rule=rule + (f"; anchor {ctx.basis}" if ctx.basis in WEAK_BASES else ""),
            anchor=ctx.anchor, event_type=event_type, mode=mode, actors=tuple(names), place=place,
            speaker=speaker, confidence=round(confidence - (0.15 if ctx.basis in WEAK_BASES else 0)
                                              + (0.1 if agent else 0), 2),
            # an undated reference never titles an event, and its figures belong to the
            # sentence's own event: skip both for the many references
            title="" if day is None else make_title(
                event_type, mode, agent, names, target, place,
                without_date(text[cue_start:cue_end], date_text), speaker,
                rest=without_date(text[trigger.end:cue_end], date_text) if trigger.verbal else ""),
            claims=() if day is None else self.claims, agent=agent, cue=text[cue_start:cue_end],
            antecedent=antecedent,
        )

    def _cue_span(self, trigger: Trigger, clause: tuple[int, int],
                  verbal: bool) -> tuple[int, int]:
        # a reference asks for its noun's phrase twice: to judge it, then to quote it
        key = (trigger.start, verbal)
        span = self._cue_spans.get(key)
        if span is None:
            span = self._cue_spans[key] = cue_span(self.ctx.text, trigger.start, trigger.end,
                                                   clause, verbal)
        return span

    def parties(self, trigger: Trigger) -> list[str]:
        """Return the names of the parties of a meeting or call word."""
        clause = self.clauses.around(trigger.start)
        found = parties_of(self.ctx.text, trigger.start, trigger.end, self.actors, clause,
                           self.s.start)
        return list(dict.fromkeys(a.name for a in found))

    def _sentence_attacker(self, trigger: Trigger, target: str):
        """Return the attacker another attack word of the sentence names, and its target.

        "Rebels shelled the city overnight, including firing 40 rockets at the port on
        Sunday": the rockets are the rebels' too.
        """
        text = self.ctx.text
        for other in self.triggers:
            if other is trigger or other.event_type != "ASSAULT":
                continue
            clause = self.clauses.around(other.start)
            agent = agent_of(text, other.start, other.end, self.actors, clause, other.verbal,
                             self.ctx.lowered)
            if agent is not None:
                return agent, target or target_of(text, other.end, self.actors, self.places,
                                                  clause, self.ctx.country_names)
        return None, target

    def _addressee(self, trigger: Trigger) -> bool:
        return any(0 <= a.start - self.s.start and 0 <= a.start - trigger.end <= 30 and
                   a.kind in ("person", "state", "new person", "government") and
                   _FEW_WORDS.match(self.ctx.text, trigger.end, a.start)
                   for a in self.actors)

    def _mode_near(self, trigger: Trigger) -> str:
        for t in self.triggers:
            if t.mode and abs(t.start - trigger.start) < 60:
                return t.mode
        return ""

    def _place(self, trigger: Trigger) -> str | None:
        if not self.places:
            return None
        ranked = sorted(self.places,
                        key=lambda p: (p.region == "country", abs(p.start - trigger.end)))
        return ranked[0].name

    def _quote_span(self, trigger: Trigger) -> tuple[int, int]:
        s = self.s
        if s.end - s.start <= MAX_QUOTE:
            return s.start, s.end
        # a sentence too long to quote: the words around the event, cut at spaces
        text = self.ctx.text
        start = max(s.start, trigger.start - QUOTE_CONTEXT)
        end = min(s.end, start + MAX_QUOTE)
        if start > s.start:
            start = text.find(" ", start, trigger.start) + 1 or start
        if end < s.end:
            space = text.rfind(" ", trigger.end, end)
            end = space if space > 0 else end
        return start, end

    def dated(self) -> list[Mention]:
        out, used = [], set()
        for timex in self.usable_timexes():
            trigger = self._usable(
                _trigger_for(self.ctx, self.s, timex, self.triggers, self.clauses))
            if trigger is None or trigger.start in used:
                continue
            m = self.mention(trigger, day=timex.date_start,
                             day_end=timex.date_end if timex.date_end != timex.date_start else None,
                             precision="range" if timex.precision == "range" else "day",
                             date_text=timex.text, rule=timex.rule, confidence=0.8)
            if m is not None:
                used.add(trigger.start)
                out.append(m)
        return out

    def has_own_date(self) -> bool:
        """Return whether the sentence names a day of its own (so it continues nothing)."""
        return bool(self.usable_timexes())

    def usable_timexes(self) -> list[Timex]:
        if self._usable_timexes is None:
            self._usable_timexes = usable_timexes(self.ctx, self.s)
        return self._usable_timexes

    def _usable(self, trigger: Trigger | None) -> Trigger | None:
        if trigger is None:
            return None
        # asked again of the same word by the references and the continuation rules
        hypothetical = self._hypothetical.get(trigger.start)
        if hypothetical is None:
            clause = self.clauses.around(trigger.start)
            hypothetical = self._hypothetical[trigger.start] = is_hypothetical(
                self.ctx.text, trigger, clause[0])
        return None if hypothetical else trigger

    def references(self, dated: list[Mention]) -> list[Mention]:
        """Return undated mentions of event phrases ("the attack on the dam")."""
        out = []
        used = {m.cue for m in dated}
        for t in self.triggers:
            if t.speech or t.event_type not in REFERENCE_TYPES:
                continue
            if dated and (t.event_type != "ASSAULT" or
                          any(m.event_type == "ASSAULT" for m in dated)):
                continue  # the sentence's own dated event is what its other words are about
            if governing_refusal(self.ctx.text, t, self.triggers) or \
                    self._usable(t) is None or not self._may_name_one_event(t):
                continue
            m = self.mention(t, day=None, day_end=None, precision="", date_text="",
                             rule="reference", confidence=0.4)
            if m is not None and m.cue not in used:
                used.add(m.cue)
                out.append(m)
        return out

    def _may_name_one_event(self, trigger: Trigger) -> bool:
        """Return whether a noun has words or parties that could tell which event it is."""
        clause = self.clauses.around(trigger.start)
        start, end = self._cue_span(trigger, clause, False)
        if trigger.verbal:
            start = clause[0]
        if trigger.event_type == "CONSULT":
            return sum(1 for a in self.actors if clause[0] <= a.start < clause[1]) >= 2 or \
                any(clause[0] <= p.start < clause[1] for p in self.places)
        return bool(_CONTENT_WORD.search(self.ctx.text, start, end)) and \
            has_distinctive_word(self.ctx.text[start:end])


def _context(article: ArticleInput, lexicon: Lexicon, pd: PublicationDate) -> _Context:
    text = article.text
    actors = find_actors(text, lexicon)
    places = find_places(text, lexicon, taken=[(a.start, a.end) for a in actors])
    triggers = all_triggers(text, lexicon)
    timexes = dates.tag(text, pd.date)
    order = sorted(timexes, key=lambda t: t.start)
    return _Context(text, article.key, lexicon, pd.date, pd.basis, actors, places, triggers,
                    timexes, lexicon.state_names,
                    [a.start for a in actors], [p.start for p in places],
                    [t.start for t in triggers], order, [t.start for t in order],
                    lowered_for_matching(text))


def extract_mentions(article: ArticleInput, lexicon: Lexicon, today: date | None = None,
                     published: PublicationDate | None = None,
                     ) -> tuple[PublicationDate, list[Mention]]:
    """Return the article's publication date and the event mentions it reports."""
    pd = published or article.published or publication_date(
        article.text, article.metadata, article.title, today)
    ctx = _context(article, lexicon, pd)
    sentences = [s for s in split_sentences(article.text) if s.is_news]
    return pd, link_mentions(ctx, sentences, _SentenceReader)


__all__ = ["Trigger", "extract_mentions", "is_hypothetical"]
