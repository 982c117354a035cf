"""Merging: mentions of one real event, in one article or many, become one event.

Dated mentions are compared only with mentions whose days overlap (blocking by day), so a
batch costs about the number of mentions per day squared, not the batch squared. Two
mentions merge when nothing forbids it (same kind of event, no different attacker, no
different other party to a call) and something ties them (a shared actor, place or
distinctive word). Undated references then join the dated event they clearly name ("the
attack on the dam" -> the destruction of the dam on a given day), the most recent one when
two fit equally; those that name none are dropped.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from .cues import distinctive_words, excluded_words
from .lexicon import Lexicon
from .types import ExtractedEvent, Mention

FAMILIES = {
    "CONSULT": "consult", "ACCUSE": "statement", "REJECT": "statement",
    "THREATEN": "statement", "REQUEST": "statement", "PROTEST": "statement",
    "AGREE": "statement", "SUPPORT": "statement", "CONCEDE": "statement",
    "ASSAULT": "force", "COERCE": "force", "SANCTION": "sanction", "MOBILIZE": "mobilize",
    "AID": "aid", "COOPERATE": "aid", "RETREAT": "retreat",
}
# How far back from its article's date an undated reference may reach.
REFERENCE_WINDOW_DAYS = 45
MAX_RANGE_DAYS = 14
REPRESENTATIVES = 6
class _Actors:
    """Maps actor names to their country's name, so Burhan counts as Sudan."""

    def __init__(self, lexicon: Lexicon | None):
        self.country: dict[str, str] = {}
        if lexicon is not None:
            states = {a.country: a.name for a in lexicon.actors.values() if a.kind == "state"}
            for actor in lexicon.actors.values():
                if actor.country in states and actor.kind != "state":
                    self.country[actor.name] = states[actor.country]

    def expand(self, names: Iterable[str]) -> set[str]:
        out = set()
        for n in names:
            if n:
                out.add(n)
                if n in self.country:
                    out.add(self.country[n])
        return out

    def related(self, a: str, b: str) -> bool:
        return a == b or self.country.get(a) == b or self.country.get(b) == a or (
            a in self.country and self.country.get(a) == self.country.get(b))

    def shared(self, a: Sequence[str], b: Sequence[str]) -> int:
        other = self.expand(b)
        return sum(1 for n in dict.fromkeys(a) if n in other or self.country.get(n, "\0") in other)


_ACTORS_CACHE: tuple[object, _Actors | None] = (None, None)


def _actors_of(lexicon: Lexicon | None) -> _Actors:
    """The lexicon's _Actors, built once per lexicon (merging runs for every chunk)."""
    global _ACTORS_CACHE
    owner, actors = _ACTORS_CACHE
    if actors is None or owner is not lexicon:
        actors = _Actors(lexicon)
        _ACTORS_CACHE = (lexicon, actors)
    return actors


def kin(names: Iterable[str], lexicon: Lexicon | None = None) -> set[str]:
    """The names of which an event must have one to share someone with `names`, as merging
    counts people: an actor, its state, and every actor of that state."""
    actors = _actors_of(lexicon)
    states = actors.expand(names)
    return states | {name for name, state in actors.country.items() if state in states}


def _days(m: Mention) -> list[date]:
    end = m.date_end or m.date_start
    span = min((end - m.date_start).days, MAX_RANGE_DAYS)
    return [m.date_start + timedelta(days=i) for i in range(span + 1)]


def _overlap(a: Mention, b: Mention) -> bool:
    return (a.date_start <= (b.date_end or b.date_start)
            and b.date_start <= (a.date_end or a.date_start))


def _family(m: Mention) -> str:
    return FAMILIES.get(m.event_type, m.event_type)


def _target(m: Mention) -> str:
    # actors are (agent and parties..., target): the target is the last non-agent name of
    # an attack when the mention has an agent, else the only name it has
    if _family(m) != "force":
        return ""
    rest = [n for n in m.actors if n != m.agent]
    return rest[-1] if rest else ""


def compatible(a: Mention, b: Mention, actors: _Actors) -> bool:
    """Return whether nothing forbids two mentions from telling the same event."""
    fa, fb = _family(a), _family(b)
    if fa != fb:
        solo = {fa, fb} == {"consult", "statement"} and all(
            len(actors.expand(m.actors)) <= 2 for m in (a, b) if _family(m) == "consult")
        if not (solo and a.agent and b.agent and actors.related(a.agent, b.agent)):
            return False
    if fa != "consult" and a.agent and b.agent and not actors.related(a.agent, b.agent):
        return False
    if fa == "force" == fb:
        ta, tb = _target(a), _target(b)
        if ta and tb and not actors.related(ta, tb):
            return False
    if fa == "consult" == fb and a.actors and b.actors:
        need = 2 if len(a.actors) >= 2 and len(b.actors) >= 2 else 1
        if actors.shared(a.actors, b.actors) < need:
            return False  # a call with one leader and a call with another
    if a.mode and b.mode and a.mode != b.mode and "consult" in (fa, fb):
        return False
    return True


def tie_score(a: Mention, b: Mention, actors: _Actors,
              words: dict[int, frozenset[str]]) -> float:
    """Return how much two compatible mentions have in common (0: nothing ties them).

    Talk (meetings, calls, statements) is tied by its people: two statements of one day
    are one event only when someone is in both.
    """
    shared = actors.shared(a.actors, b.actors)
    if not shared and _family(a) in ("consult", "statement") and a.article != b.article:
        return 0.0
    score = float(shared)
    score += len(words[id(a)] & words[id(b)])
    if a.place and a.place == b.place:
        score += 1
    if a.speaker and a.speaker == b.speaker:
        score += 1
    if a.article == b.article and a.event_type == b.event_type and a.date_start == b.date_start:
        score += 0.5
    return score


class _Clusters:
    """Union-find over mentions that refuses merges a member forbids."""

    def __init__(self, items: Sequence[Mention]):
        self.parent = list(range(len(items)))
        self.members = {i: [i] for i in range(len(items))}
        self.items = items

    def representatives(self, root: int) -> list[int]:
        # a cluster's few surest members stand for it: checking every pair of two big
        # clusters would make merging quadratic in the size of a story
        own = [i for i in self.members[root] if self.items[i].antecedent < 0] or self.members[root]
        if len(own) > REPRESENTATIVES:
            own = sorted(own, key=lambda i: -self.items[i].confidence)[:REPRESENTATIVES]
        return own

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int, actors: _Actors, force: bool = False) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        # continuations follow their antecedent; the members that carry their own date speak
        # for the cluster
        left, right = self.representatives(ri), self.representatives(rj)
        if not force and not all(compatible(self.items[x], self.items[y], actors)
                                 for x in left for y in right):
            return False
        self.parent[rj] = ri
        self.members[ri].extend(self.members.pop(rj))
        return True


def merge_mentions(mentions: Sequence[Mention], existing: Sequence[ExtractedEvent] = (),
                   lexicon: Lexicon | None = None) -> list[ExtractedEvent]:
    """Return the events the mentions tell, merged within and across articles.

    ``existing`` holds events already stored (with ``existing_id``) for the dates at hand;
    a mention that joins one yields an event carrying that ``existing_id`` and only the
    new mentions. Undated mentions that join no dated event are dropped.
    """
    actors = _actors_of(lexicon)
    seeded = [m for e in existing for m in e.mentions if m.date_start is not None]
    seed_event = {id(m): e for e in existing for m in e.mentions}
    dated = [*seeded, *(m for m in mentions if m.date_start is not None)]
    undated = [m for m in mentions if m.date_start is None]
    excluded = excluded_words(lexicon)
    words = {id(m): _words(m, excluded) for m in [*dated, *undated]}
    clusters = _Clusters(dated)
    _link_continuations(dated, clusters, actors)
    _link_existing(dated, seed_event, clusters, actors)
    _link_same_days(dated, clusters, actors, words, fresh=range(len(seeded), len(dated)))
    attached = _attach_references(undated, dated, clusters, actors, words)
    return _events(dated, attached, clusters, seed_event)


# Distinctive words by (cue or quote, actors), for one `excluded` vocabulary: a stored
# event is a merge candidate of many articles, its mentions' words are computed once.
_WORDS_CACHE: tuple[object, dict[tuple[str, tuple[str, ...]], frozenset[str]]] = (None, {})
_WORDS_CACHE_SIZE = 200_000


def _words(m: Mention, excluded) -> frozenset[str]:
    global _WORDS_CACHE
    owner, cache = _WORDS_CACHE
    if owner is not excluded:
        cache = {}
        _WORDS_CACHE = (excluded, cache)
    key = (m.cue or m.quote, tuple(m.actors))
    found = cache.get(key)
    if found is None:
        if len(cache) >= _WORDS_CACHE_SIZE:
            cache.clear()
        found = cache[key] = distinctive_words(key[0], key[1], excluded)
    return found


def reference_words(ref: Mention, lexicon: Lexicon | None = None) -> frozenset[str]:
    """The words an undated reference must share with a dated event to name it (outside
    talks, which their people can name): a reference without any names nothing."""
    return _words(ref, excluded_words(lexicon))


def _block(family: str) -> str:
    # "consult" and "statement" share a block: a speaker's words at a meeting are one event
    return "talk" if family in ("consult", "statement") else family


def family_types(event_type: str) -> set[str]:
    """The types of the events a mention of this type may join or name: those of its
    merging block (its family; talk and statements together)."""
    block = _block(FAMILIES.get(event_type, event_type))
    return {t for t, family in FAMILIES.items() if _block(family) == block} | {event_type}


def _link_continuations(dated: Sequence[Mention], clusters: _Clusters, actors: _Actors) -> None:
    at = {(m.article, m.char_start, m.date_start): i for i, m in enumerate(dated)}
    for i, m in enumerate(dated):
        if m.antecedent >= 0:
            j = at.get((m.article, m.antecedent, m.date_start))
            if j is not None:
                clusters.union(j, i, actors, force=True)


def _link_existing(dated, seed_event, clusters, actors) -> None:
    first: dict[int, int] = {}
    for i, m in enumerate(dated):
        event = seed_event.get(id(m))
        if event is not None:
            key = id(event)
            if key in first:
                clusters.union(first[key], i, actors, force=True)
            else:
                first[key] = i


def _link_same_days(dated, clusters, actors, words, fresh: range) -> None:
    """Merge dated mentions block by block (a day and a kind of event).

    Within a block each new (`fresh`) mention, surest first, joins the best-tied cluster
    whose representatives allow it, or starts its own: the cost grows with mentions times
    the few events of one day, not with mentions squared. Stored events were linked when
    they were stored: they are not compared with each other again, but each may then join
    a cluster a new mention made (a new report that ties two stored events merges them).
    """
    by_day: dict[tuple[date, str], list[int]] = defaultdict(list)
    for i, m in enumerate(dated):
        block = _block(_family(m))
        for day in _days(m):
            by_day[day, block].append(i)

    def surest(i: int):
        return dated[i].antecedent >= 0, -dated[i].confidence

    for members in by_day.values():
        new = sorted((i for i in members if i in fresh), key=surest)
        if not new:
            continue
        stored = sorted((i for i in members if i not in fresh), key=surest)
        roots = {clusters.find(i) for i in stored}
        for i in new:
            _join_best(i, roots, dated, clusters, actors, words)
            roots = {clusters.find(r) for r in roots}
            roots.add(clusters.find(i))
        made = {clusters.find(i) for i in new}
        for i in stored:
            _join_best(i, made, dated, clusters, actors, words)
            made = {clusters.find(r) for r in made}


def _join_best(i: int, roots: set[int], dated, clusters, actors, words) -> None:
    """Join mention i's cluster to the best-tied of `roots` whose representatives allow it."""
    mine = clusters.find(i)
    best, best_score = None, 0.0
    for root in roots:
        if root == mine:
            continue
        reps = clusters.representatives(root)
        if not all(_same_days(dated[i], dated[r]) and compatible(dated[i], dated[r], actors)
                   for r in reps):
            continue
        score = max(tie_score(dated[i], dated[r], actors, words) for r in reps)
        if score > best_score:
            best, best_score = root, score
    if best is not None:
        clusters.union(best, i, actors)


def _same_days(a: Mention, b: Mention) -> bool:
    if a.precision == b.precision == "day":
        return a.date_start == b.date_start
    return _overlap(a, b)


def _reference_score(ref: Mention, summary: "_Summary", actors: _Actors,
                     words: dict[int, frozenset[str]]) -> float:
    """Return how clearly an undated reference names a cluster's event (0: not)."""
    shared_words = len(words[id(ref)] & summary.words)
    shared_actors = actors.shared(ref.actors, summary.actors)
    same_place = bool(ref.place) and ref.place in summary.places
    if _family(ref) == "consult":
        if shared_actors >= 2 and (len(ref.actors) >= 2):
            score = 2.0 + shared_words + same_place
        elif same_place and shared_words >= 1:
            score = 1.0 + shared_words
        else:
            score = float(shared_words) if shared_words >= 2 else 0.0
    else:
        score = shared_words + 0.5 * shared_actors + same_place if shared_words else 0.0
    if score and not all(compatible(ref, m, actors) for m in summary.representatives):
        return 0.0
    return score


class _Summary:
    """What an undated reference is compared with: a cluster's words, actors and places."""

    __slots__ = ("representatives", "words", "actors", "places", "day", "spans")

    def __init__(self, members: list[Mention], representatives: list[Mention],
                 words: dict[int, frozenset[str]]):
        self.representatives = representatives
        self.words = frozenset().union(*(words[id(m)] for m in members))
        self.actors = list(dict.fromkeys(n for m in members for n in m.actors))
        self.places = {m.place for m in members if m.place}
        self.day = max(m.date_start for m in members)
        self.spans = {(m.article, m.char_start) for m in members}


def _attach_references(undated, dated, clusters, actors, words) -> dict[int, list[Mention]]:
    """Return, by cluster root, the undated references that clearly name that cluster."""
    if not undated:
        return {}
    groups: dict[int, list[Mention]] = defaultdict(list)
    for i, m in enumerate(dated):
        groups[clusters.find(i)].append(m)
    # Only clusters some reference may reach: their last day within a reference's window.
    reach = timedelta(days=REFERENCE_WINDOW_DAYS)
    windows: list[tuple[date, date]] = []
    if any(ref.anchor is None for ref in undated):
        windows = [(date.min, date.max)]
    else:
        for low, high in sorted({(ref.anchor - reach, ref.anchor) for ref in undated}):
            if windows and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], high))
            else:
                windows.append((low, high))
    # an index from words and people to the clusters that have them: a reference is only
    # scored against clusters it shares something with (summed up when it first is one)
    index: dict[tuple[str, str], set[int]] = defaultdict(set)
    last_days: dict[int, date] = {}
    for root, members in groups.items():
        day = last_days[root] = max(m.date_start for m in members)
        if not any(low <= day <= high for low, high in windows):
            continue
        family = _family(members[0])
        for m in members:
            for word in words[id(m)]:
                index[family, word].add(root)
        for name in actors.expand(n for m in members for n in m.actors):
            index[family, "@" + name].add(root)
    summaries: dict[int, _Summary] = {}

    def summary_of(root: int) -> _Summary:
        found = summaries.get(root)
        if found is None:
            reps = [dated[r] for r in clusters.representatives(root)]
            found = summaries[root] = _Summary(groups[root], reps, words)
        return found

    attached: dict[int, list[Mention]] = defaultdict(list)
    for ref in undated:
        best, best_key = None, None
        family = _family(ref)
        keys = [(family, w) for w in words[id(ref)]]
        if family == "consult":
            keys += [(family, "@" + n) for n in actors.expand(ref.actors)]
        candidates = set().union(*(index.get(k, ()) for k in keys)) if keys else set()
        earliest = ref.anchor - reach if ref.anchor else None
        for root in sorted(candidates):
            if ref.anchor is not None and not earliest <= last_days[root] <= ref.anchor:
                continue
            summary = summary_of(root)
            if (ref.article, ref.char_start) in summary.spans:
                continue
            score = _reference_score(ref, summary, actors, words)
            key = (score, summary.day)
            if score > 0 and (best_key is None or key > best_key):
                best, best_key = root, key
        if best is not None:
            attached[best].append(ref)
    return attached


def _events(dated, attached, clusters, seed_event) -> list[ExtractedEvent]:
    groups: dict[int, list[Mention]] = defaultdict(list)
    for i, m in enumerate(dated):
        groups[clusters.find(i)].append(m)
    events = []
    for root, members in groups.items():
        everything = members + attached.get(root, [])
        seeds = list({id(e): e for m in members if (e := seed_event.get(id(m)))}.values())
        new = [m for m in everything if id(m) not in seed_event]
        if not new:
            continue
        event = _event(everything, new, seeds[0] if seeds else None)
        if len(seeds) > 1:
            event = replace(event, merge_ids=tuple(e.existing_id for e in seeds[1:]))
        events.append(event)
    events.sort(key=lambda e: (e.date_start, e.title))
    return events


def _explicit(m: Mention) -> bool:
    return m.date_start is not None and m.antecedent < 0 and not m.rule.startswith("lead")


def _event(everything: list[Mention], new: list[Mention],
           seed: ExtractedEvent | None) -> ExtractedEvent:
    unique = {}
    for m in sorted(new, key=lambda m: (m.article, m.char_start, m.date_start is None)):
        unique.setdefault((m.article, m.char_start, m.char_end), m)
    cited = tuple(unique.values())
    dated = [m for m in everything if m.date_start is not None]
    trusted = [m for m in dated if _explicit(m)] or dated
    votes = Counter((m.date_start, m.date_end, m.precision) for m in trusted)
    weight = Counter()
    for m in trusted:
        weight[m.date_start, m.date_end, m.precision] += m.confidence
    (start, end, precision), _ = max(votes.items(), key=lambda kv: (kv[1], weight[kv[0]]))
    lead = max(trusted, key=lambda m: (m.confidence, len(m.actors)))
    types = Counter(m.event_type for m in trusted)
    event_type = max(types, key=lambda t: (types[t], t == lead.event_type))
    names = Counter(n for m in everything for n in m.actors)
    places = Counter(m.place for m in everything if m.place)
    modes = Counter(m.mode for m in everything if m.mode)
    articles = {m.article for m in everything}
    weak = all("anchor related" in m.rule or "anchor ingest" in m.rule for m in trusted)
    confidence = min(0.95, max(m.confidence for m in trusted) + 0.05 * (len(articles) - 1))
    if seed is not None:
        return ExtractedEvent(seed.date_start, seed.date_end, seed.precision, seed.title,
                              seed.event_type, seed.mode, seed.actors, seed.place,
                              max(seed.confidence, confidence), cited, seed.needs_review,
                              seed.existing_id)
    return ExtractedEvent(
        date_start=start, date_end=end, precision=precision, title=lead.title,
        event_type=event_type, mode=modes.most_common(1)[0][0] if modes else "",
        actors=tuple(n for n, _ in names.most_common(8)),
        place=places.most_common(1)[0][0] if places else None,
        confidence=round(confidence, 2), mentions=cited,
        needs_review=weak or confidence < 0.5,
    )
