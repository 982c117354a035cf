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
from collections.abc import Iterable, Sequence, Set
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
    """Maps actor names to their country's name, so Burhan counts as Sudan.

    It also remembers what it worked out from tuples of names (and compatible, its verdicts
    on pairs of mentions): a merge compares thousands of pairs of mentions, but their
    actors, agents and kinds repeat.
    """

    def __init__(self, lexicon: Lexicon | None):
        self.country: dict[str, str] = {}
        if lexicon is not None:
            states = {a.country: a.name for a in lexicon.actors.values() if a.kind == "state"}
            for actor in lexicon.actors.values():
                if actor.country in states and actor.kind != "state":
                    self.country[actor.name] = states[actor.country]
        self.expansions: dict[tuple[str, ...], frozenset[str]] = {}
        self.overlaps: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
        self.verdicts: dict[tuple, bool] = {}

    def expand(self, names: Iterable[str]) -> set[str]:
        out = set()
        for n in names:
            if n:
                out.add(n)
                if n in self.country:
                    out.add(self.country[n])
        return out

    def expanded(self, names: tuple[str, ...]) -> frozenset[str]:
        """``expand(names)``, worked out once per tuple of names."""
        found = self.expansions.get(names)
        if found is None:
            found = _remember(self.expansions, names, frozenset(self.expand(names)))
        return found

    def related(self, a: str, b: str) -> bool:
        return a == b or self.country.get(a) == b or self.country.get(b) == a or (
            a in self.country and self.country.get(a) == self.country.get(b))

    def shared(self, a: tuple[str, ...], b: tuple[str, ...]) -> int:
        found = self.overlaps.get((a, b))
        if found is None:
            found = _remember(self.overlaps, (a, b), self.among(a, self.expanded(b)))
        return found

    def among(self, names: Iterable[str], people: Set[str]) -> int:
        """How many of the names are among people (expanded), themselves or by their state."""
        return sum(1 for n in dict.fromkeys(names)
                   if n in people or self.country.get(n, "\0") in people)


_MEMO_SIZE = 50_000


def _remember(memo: dict, key, value):
    """Store a value in one of _Actors' memos (emptied when full: they live as long as the
    lexicon, through every chunk merged)."""
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


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
    if end == m.date_start:
        return [end]
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
    # the answer depends only on these fields, which repeat across the pairs a merge compares
    key = (a.event_type, a.agent, a.actors, a.mode, b.event_type, b.agent, b.actors, b.mode)
    found = actors.verdicts.get(key)
    if found is None:
        found = _remember(actors.verdicts, key, _compatible(a, b, actors))
    return found


def _compatible(a: Mention, b: Mention, actors: _Actors) -> bool:
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
        self.members: dict[int, list[int]] = {}  # by root, of clusters of more than one
        self.items = items
        self.chosen: dict[int, list[Mention]] = {}  # representatives by root, until a union

    def representatives(self, root: int) -> list[Mention]:
        # a cluster's few surest members stand for it: checking every pair of two big
        # clusters would make merging quadratic in the size of a story
        found = self.chosen.get(root)
        if found is None:
            members = self.members.get(root) or [root]
            own = [i for i in members if self.items[i].antecedent < 0] or members
            if len(own) > REPRESENTATIVES:
                own = sorted(own, key=lambda i: -self.items[i].confidence)[:REPRESENTATIVES]
            found = self.chosen[root] = [self.items[i] for i in own]
        return found

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def roots(self, items: Iterable[int]) -> set[int]:
        """``{find(i) for i in items}``, without a call for an item that is its own root."""
        parent, find = self.parent, self.find
        return {i if parent[i] == i else find(i) for i in items}

    def union(self, i: int, j: int, actors: _Actors, force: bool = False) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        # continuations follow their antecedent; the members that carry their own date speak
        # for the cluster
        if not force:
            left, right = self.representatives(ri), self.representatives(rj)
            if not all(compatible(x, y, actors) for x in left for y in right):
                return False
        self.parent[rj] = ri
        self.members.setdefault(ri, [ri]).extend(self.members.pop(rj, (rj,)))
        self.chosen.pop(ri, None)
        self.chosen.pop(rj, None)
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
    groups = _groups(dated, clusters)
    attached = _attach_references(undated, dated, groups, clusters, actors, words)
    return _events(groups, attached, seed_event)


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
    # only the articles with a continuation need their mentions found by position
    articles = {m.article for m in dated if m.antecedent >= 0}
    at = {(m.article, m.char_start, m.date_start): i
          for i, m in enumerate(dated) if m.article in articles}
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
    blocks = [(_block(_family(m)), _days(m)) for m in dated]
    # only the blocks of some new mention are merged in: the others are not even listed
    wanted = {(day, blocks[i][0]) for i in fresh for day in blocks[i][1]}
    by_day: dict[tuple[date, str], list[int]] = defaultdict(list)
    for i, (block, days) in enumerate(blocks):
        for day in days:
            if (day, block) in wanted:
                by_day[day, block].append(i)

    def surest(i: int):
        return dated[i].antecedent >= 0, -dated[i].confidence

    for members in by_day.values():
        new = sorted((i for i in members if i in fresh), key=surest)
        if not new:
            continue
        stored = sorted((i for i in members if i not in fresh), key=surest)
        roots = clusters.roots(stored)
        for i in new:
            _join_best(i, roots, dated, clusters, actors, words)
            roots = clusters.roots(roots)
            roots.add(clusters.find(i))
        made = clusters.roots(new)
        for i in stored:
            _join_best(i, made, dated, clusters, actors, words)
            made = clusters.roots(made)


def _join_best(i: int, roots: set[int], dated, clusters, actors, words) -> None:
    """Join mention i's cluster to the best-tied of `roots` whose representatives allow it."""
    mine, a = clusters.find(i), dated[i]
    best, best_score = None, 0.0
    for root in roots:
        if root == mine:
            continue
        reps = clusters.representatives(root)
        # plain loops, not all() and max() over generators: every pair of a day's mention
        # and cluster passes here
        for b in reps:
            if not (_same_days(a, b) and compatible(a, b, actors)):
                break
        else:
            score = max([tie_score(a, b, actors, words) for b in reps])
            if score > best_score:
                best, best_score = root, score
    if best is not None:
        clusters.union(best, i, actors)


def _same_days(a: Mention, b: Mention) -> bool:
    if a.precision == b.precision == "day":
        return a.date_start == b.date_start
    return _overlap(a, b)


def _reference_score(ref: Mention, shared_words: int, summary: "_Summary",
                     actors: _Actors) -> float:
    """Return how clearly an undated reference names a cluster's event (0: not), from how
    many of its words the cluster has and their people and places: the caller asks
    whether the cluster's representatives allow it (compatible) only of a cluster that
    would win."""
    shared_actors = actors.among(ref.actors, summary.people)
    same_place = bool(ref.place) and ref.place in summary.places
    if _family(ref) == "consult":
        if shared_actors >= 2 and (len(ref.actors) >= 2):
            return 2.0 + shared_words + same_place
        if same_place and shared_words >= 1:
            return 1.0 + shared_words
        return float(shared_words) if shared_words >= 2 else 0.0
    return shared_words + 0.5 * shared_actors + same_place if shared_words else 0.0


def _reference_bonus(ref: Mention) -> float:
    """The most _reference_score may give a reference beyond its shared words."""
    return 3.0 if _family(ref) == "consult" else 0.5 * len(set(ref.actors)) + 1


class _Summary:
    """What an undated reference is compared with: a cluster's people (its actors,
    expanded) and places."""

    __slots__ = ("representatives", "people", "places", "spans")

    def __init__(self, members: list[Mention], representatives: list[Mention],
                 actors: _Actors):
        self.representatives = representatives
        self.people = actors.expand(n for m in members for n in m.actors)
        self.places = {m.place for m in members if m.place}
        self.spans = {(m.article, m.char_start) for m in members}


def _groups(dated: Sequence[Mention], clusters: _Clusters) -> dict[int, list[Mention]]:
    """Return the dated mentions by cluster root (roots in the order of their first member)."""
    groups: dict[int, list[Mention]] = defaultdict(list)
    for i, m in enumerate(dated):
        groups[clusters.find(i)].append(m)
    return groups


def _attach_references(undated, dated, groups, clusters, actors,
                       words) -> dict[int, list[Mention]]:
    """Return, by cluster root, the undated references that clearly name that cluster."""
    if not undated:
        return {}
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
    # the keys references look up, by family: words, and people ("@" + name) for talks
    wanted: dict[str, set[str]] = defaultdict(set)
    for ref in undated:
        family = _family(ref)
        wanted[family] |= words[id(ref)]
        if family == "consult":
            wanted[family].update("@" + n for n in actors.expanded(ref.actors))
    # an index from those words and people to the clusters that have them: a reference is
    # only scored against clusters it shares something with (summed up when it first is one)
    index: dict[tuple[str, str], set[int]] = defaultdict(set)
    last_days: dict[int, date] = {}
    for root, members in groups.items():
        family = _family(members[0])
        keys = wanted.get(family)
        if not keys:
            continue
        found = [word for m in members for word in words[id(m)] & keys]
        if family == "consult":
            people = ("@" + n for n in actors.expand(n for m in members for n in m.actors))
            found += [name for name in people if name in keys]
        if not found:
            continue
        day = last_days[root] = max(m.date_start for m in members)
        if not any(low <= day <= high for low, high in windows):
            continue
        for key in found:
            index[family, key].add(root)
    summaries: dict[int, _Summary] = {}

    def summary_of(root: int) -> _Summary:
        found = summaries.get(root)
        if found is None:
            found = summaries[root] = _Summary(groups[root], clusters.representatives(root),
                                               actors)
        return found

    attached: dict[int, list[Mention]] = defaultdict(list)
    for ref in undated:
        family = _family(ref)
        # the clusters by how many of the reference's words they have (the index has a
        # cluster under each of its words), and for talks those that have its people
        hits: Counter[int] = Counter()
        for word in words[id(ref)]:
            hits.update(index.get((family, word), ()))
        candidates = set(hits)
        if family == "consult":
            for name in actors.expanded(ref.actors):
                candidates.update(index.get((family, "@" + name), ()))
        earliest = ref.anchor - reach if ref.anchor else None
        # The best scores most, then ends last, then has the lowest root. Taken from the
        # most shared words down, the clusters left once even the most they could score
        # falls short of the best so far need not be summed up.
        bonus = _reference_bonus(ref)
        best, best_key = None, None
        # (sorts are stable: the lowest root first among those with as many words)
        for root in sorted(sorted(candidates), key=hits.__getitem__, reverse=True):
            if best_key is not None and hits[root] + bonus < best_key[0]:
                break
            if ref.anchor is not None and not earliest <= last_days[root] <= ref.anchor:
                continue
            summary = summary_of(root)
            if (ref.article, ref.char_start) in summary.spans:
                continue
            score = _reference_score(ref, hits[root], summary, actors)
            key = (score, last_days[root], -root)
            if score > 0 and (best_key is None or key > best_key) and all(
                    compatible(ref, m, actors) for m in summary.representatives):
                best, best_key = root, key
        if best is not None:
            attached[best].append(ref)
    return attached


def _events(groups, attached, seed_event) -> list[ExtractedEvent]:
    events = []
    for root, members in groups.items():
        everything = members + attached.get(root, [])
        new = [m for m in everything if id(m) not in seed_event]
        if not new:
            continue  # only stored mentions: nothing new to tell of the event
        seeds = list({id(e): e for m in members if (e := seed_event.get(id(m)))}.values())
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
    articles = {m.article for m in everything}
    confidence = min(0.95, max(m.confidence for m in trusted) + 0.05 * (len(articles) - 1))
    if seed is not None:
        # a stored event keeps what it says: only its confidence may grow
        return ExtractedEvent(seed.date_start, seed.date_end, seed.precision, seed.title,
                              seed.event_type, seed.mode, seed.actors, seed.place,
                              max(seed.confidence, confidence), cited, seed.needs_review,
                              seed.existing_id)
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
    weak = all("anchor related" in m.rule or "anchor ingest" in m.rule for m in trusted)
    return ExtractedEvent(
        date_start=start, date_end=end, precision=precision, title=lead.title,
        event_type=event_type, mode=modes.most_common(1)[0][0] if modes else "",
        actors=tuple(n for n, _ in names.most_common(8)),
        place=places.most_common(1)[0][0] if places else None,
        confidence=round(confidence, 2), mentions=cited,
        needs_review=weak or confidence < 0.5,
    )
