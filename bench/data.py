"""What the benchmark data looks like: distributions and the rows of each table.

Rows are COPY text lines. Ids are given here, so rows of different tables can refer to
each other without asking the database.
"""
from __future__ import annotations

import calendar
import random
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

FIRST_DAY = date(2016, 1, 1)
DAYS = 3653  # ten years, to 2025-12-31
NULL = "\\N"

# Share of events per PLOVER type: violence dominates war reporting.
TYPE_WEIGHTS = {
    "ASSAULT": 34, "ACCUSE": 10, "COERCE": 8, "THREATEN": 6, "MOBILIZE": 6, "CONSULT": 7,
    "PROTEST": 5, "SANCTION": 4, "REQUEST": 4, "REJECT": 3, "AID": 3, "SUPPORT": 3,
    "AGREE": 2, "COOPERATE": 2, "RETREAT": 2, "CONCEDE": 1,
}
VERBS = {
    "ASSAULT": ["shelled", "struck", "attacked", "bombed", "raided"],
    "ACCUSE": ["accused", "blamed", "condemned"],
    "COERCE": ["detained", "blockaded", "expelled"],
    "THREATEN": ["threatened", "warned"],
    "MOBILIZE": ["deployed troops near", "mobilised reservists near"],
    "CONSULT": ["met", "held talks with", "called"],
    "PROTEST": ["protested against", "rallied against"],
    "SANCTION": ["sanctioned", "imposed sanctions on"],
    "REQUEST": ["asked", "appealed to"],
    "REJECT": ["rejected the proposal of", "refused"],
    "AID": ["sent aid to", "delivered supplies to"],
    "SUPPORT": ["backed", "praised"],
    "AGREE": ["agreed a ceasefire with", "signed a deal with"],
    "COOPERATE": ["exchanged prisoners with", "cooperated with"],
    "RETREAT": ["withdrew from", "pulled back from"],
    "CONCEDE": ["conceded to", "eased restrictions on"],
}
DATE_PHRASES = [
    ("on Monday", "weekday before the publication date"),
    ("on Tuesday", "weekday before the publication date"),
    ("yesterday", "the day before the publication date"),
    ("last night", "the night before the publication date"),
    ("earlier this week", "range: the week of the publication date"),
    ("on {day} {month}", "day and month in the publication year"),
    ("in {month}", "month of the publication year"),
]
WORDS = (
    "officials said the situation remained tense after the latest reports from the area "
    "residents described explosions heavy damage to buildings and roads while local "
    "authorities promised an investigation and international observers called for calm"
).split()
MONTHS = [calendar.month_name[m] for m in range(1, 13)]


@dataclass(frozen=True, slots=True)
class Scale:
    """Row counts; the defaults are the issue's million-event data set."""

    events: int = 1_000_000
    actors: int = 5_000
    places: int = 20_000
    outlets: int = 300

    @property
    def articles(self) -> int:
        return max(1_000, self.events // 5)


def _escape(value: str) -> str:
    """COPY text format: backslash, tab, newline and carriage return are escaped."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _row(*values) -> str:
    out = []
    for value in values:
        if value is None:
            out.append("\\N")
        elif isinstance(value, bool):
            out.append("t" if value else "f")
        elif isinstance(value, str):
            out.append(_escape(value))
        else:
            out.append(str(value))
    return "\t".join(out) + "\n"


def _day_weights(rng: random.Random) -> list[float]:
    """Reporting intensity per day: quiet years, an escalation, and bursts."""
    weights = []
    burst = 1.0
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        base = 1.0 if day < date(2022, 2, 24) else 4.0
        if rng.random() < 0.01:
            burst = rng.uniform(2, 5)  # a battle: a few heavy weeks
        burst = max(1.0, burst * 0.97)
        weights.append(base * burst * (0.7 if day.weekday() >= 5 else 1.0))
    return weights


def _zipf_cum(n: int, exponent: float) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(n)))


class Generator:
    """Keeps the few things rows refer to across tables (names, days, article sentences)."""

    def __init__(self, scale: Scale, seed: int):
        self.scale = scale
        self.rng = random.Random(seed)
        self.day_cum = list(accumulate(_day_weights(self.rng)))
        self.actor_cum = _zipf_cum(scale.actors, 0.9)
        self.place_cum = _zipf_cum(scale.places, 1.0)
        self.outlet_cum = _zipf_cum(scale.outlets, 0.8)
        self.type_names = list(TYPE_WEIGHTS)
        self.type_cum = list(accumulate(TYPE_WEIGHTS.values()))
        self.actor_names: list[str] = []
        self.place_names: list[str] = []
        # Articles: publication day, and the sentences of the text (start offsets, lengths).
        self.article_day = array("H")
        self.article_starts: list[array] = []
        self.article_lengths: list[array] = []
        self.article_sentence_ids: list[array] = []
        self.articles_by_day: list[list[int]] = [[] for _ in range(DAYS)]
        self.sentences = [self._sentence() for _ in range(20_000)]
        self.day_text = [str(FIRST_DAY + timedelta(days=d)) for d in range(DAYS)]

    def pick(self, cum: list[float]) -> int:
        return bisect_left(cum, self.rng.random() * cum[-1])

    def _sentence(self) -> str:
        words = self.rng.sample(WORDS, self.rng.randint(9, 18))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    # Each method yields COPY rows for one table.
    def outlets(self) -> Iterator[str]:
        for i in range(1, self.scale.outlets + 1):
            yield _row(i, f"Outlet {i}", f"outlet{i}.example", "", "")

    def actors(self) -> Iterator[str]:
        kinds = ["state", "armed_group", "organization", "person", "other"]
        for i in range(1, self.scale.actors + 1):
            name = f"Actor {i}" if i > 50 else f"Country {i}"
            self.actor_names.append(name)
            yield _row(i, name, kinds[i % len(kinds)], "", "{}")

    def places(self) -> Iterator[str]:
        rng = self.rng
        for i in range(1, self.scale.places + 1):
            name = f"Place {i}"
            self.place_names.append(name)
            located = rng.random() < 0.9
            # Most places in one theatre, a few elsewhere in the world.
            if rng.random() < 0.85:
                lat, lon = rng.uniform(44.0, 52.5), rng.uniform(22.0, 40.5)
            else:
                lat, lon = rng.uniform(-40, 65), rng.uniform(-120, 150)
            yield _row(
                i, name, "Ukraine" if i % 3 else "Other", "", round(lat, 5) if located else None,
                round(lon, 5) if located else None, "", "{}",
            )

    def articles(self) -> Iterator[str]:
        rng = self.rng
        days = sorted(self.pick(self.day_cum) for _ in range(self.scale.articles))
        for i, day in enumerate(days):
            article_id = i + 1
            self.article_day.append(day)
            self.articles_by_day[day].append(article_id)
            ids = array("H", (rng.randrange(len(self.sentences)) for _ in range(rng.randint(10, 20))))
            parts, starts, lengths, offset = [], array("I"), array("H"), 0
            for n, sentence_id in enumerate(ids):
                sentence = self.sentences[sentence_id]
                separator = "" if n == 0 else ("\n" if n % 3 == 0 else " ")
                offset += len(separator)
                parts.append(separator + sentence)
                starts.append(offset)
                lengths.append(len(sentence))
                offset += len(sentence)
            self.article_starts.append(starts)
            self.article_lengths.append(lengths)
            self.article_sentence_ids.append(ids)
            published = FIRST_DAY + timedelta(days=day)
            stamp = f"{published} 09:00:00+00"
            yield _row(
                article_id, f"https://outlet.example/a/{article_id}", f"Report {article_id}",
                "".join(parts), "en", published, "metadata", "feed", "", f"{article_id:064x}",
                None, "{}", "done", "", 1, "bench-1", None, stamp, stamp,
                self.pick(self.outlet_cum) + 1,
            )

    def _article_near(self, day: int) -> int:
        for _ in range(4):
            near = min(DAYS - 1, day + self.rng.randint(0, 6))
            candidates = self.articles_by_day[near]
            if candidates:
                return self.rng.choice(candidates)
        return self.rng.randint(1, self.scale.articles)

    def events(self, evidence_rows: list[str], actor_rows: list[str],
               claim_rows: list[str]) -> Iterator[str]:
        """Event rows; their evidence, actor links and claims go to the given lists."""
        rng = self.rng
        evidence_id = actor_link_id = claim_id = 0
        source_choices = [1, 2, 3, 4, 5, 6, 8, 12]
        source_cum = list(accumulate([25, 25, 18, 12, 8, 5, 5, 2]))
        # Ids follow the order events are recorded in: mostly as the news arrives (so the
        # table is roughly in date order, as in production), a few backfilled later.
        days = sorted(self.pick(self.day_cum) for _ in range(self.scale.events))
        for i in rng.sample(range(len(days)), len(days) // 20):
            days[i] = self.pick(self.day_cum)
        for i, day in enumerate(days):
            event_id = i + 1
            start = FIRST_DAY + timedelta(days=day)
            kind = rng.random()
            if kind < 0.85:
                precision, end = "day", None
            elif kind < 0.93:
                precision, end = "range", start + timedelta(days=rng.randint(1, 9))
            elif kind < 0.999:
                precision = "month"
                start = start.replace(day=1)
                end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
            else:
                precision, start, end = "year", date(start.year, 1, 1), date(start.year, 12, 31)
            event_type = self.type_names[bisect_left(self.type_cum, rng.random() * self.type_cum[-1])]
            actors = sorted({self.pick(self.actor_cum) + 1 for _ in range(rng.choice((1, 2, 2, 3)))})
            place = self.pick(self.place_cum) + 1 if rng.random() < 0.85 else None
            place_name = self.place_names[place - 1] if place else "the region"
            title = (
                f"{self.actor_names[actors[0] - 1]} {rng.choice(VERBS[event_type])} "
                f"{place_name}"
            )
            status_roll = rng.random()
            status = "published" if status_roll < 0.8 else "draft" if status_roll < 0.97 else "rejected"
            editor = rng.random() < 0.03
            sources = source_choices[bisect_left(source_cum, rng.random() * source_cum[-1])]
            articles = {self._article_near(day) for _ in range(sources)}
            quotes = []
            day_text = self.day_text
            # Hot loop: rows are formatted directly; generated text has no tab, newline or
            # backslash except where written escaped ("\\n").
            for article_id in articles:
                index = article_id - 1
                n = rng.randrange(len(self.article_starts[index]))
                char_start = self.article_starts[index][n]
                quote = self.sentences[self.article_sentence_ids[index][n]]
                quotes.append(quote)
                phrase, rule = rng.choice(DATE_PHRASES)
                if "{" in phrase:
                    phrase = phrase.format(day=start.day, month=MONTHS[start.month - 1])
                evidence_id += 1
                anchor = day_text[self.article_day[index]]
                evidence_rows.append(
                    f"{evidence_id}\t{quote}\t{char_start}\t"
                    f"{char_start + self.article_lengths[index][n]}\t{phrase}\t{rule}\t"
                    f"{anchor}\t\textracted\t{anchor} 10:00:00+00\t{article_id}\t{event_id}\n"
                )
            for actor in actors:
                actor_link_id += 1
                actor_rows.append(f"{actor_link_id}\t{event_id}\t{actor}\n")
            if event_type == "ASSAULT" and rng.random() < 0.3:
                for claimant, value in (("officials", rng.randint(1, 20)),
                                        ("local media", rng.randint(1, 30))):
                    claim_id += 1
                    claim_rows.append(_row(
                        claim_id, "fatalities", str(value), claimant, "extracted",
                        f"{start} 12:00:00+00", None, event_id, None,
                    ))
            search_text = "\\n".join(
                [title, *(self.actor_names[a - 1] for a in actors), *quotes[:3]]
            )
            created = f"{start + timedelta(days=1)} 12:00:00+00"
            yield (
                f"{event_id}\t{start}\t{end if end else NULL}\t{precision}\t{title}\t\t"
                f"{event_type}\t\t{status}\t{'editor' if editor else 'extracted'}\t"
                f"{'t' if rng.random() < 0.1 else 'f'}\tf\t{rng.uniform(0.3, 1.0):.3f}\t"
                f"{len(articles)}\t{search_text}\t{{}}\tbench-1\t{created}\t{created}\t"
                f"{place if place else NULL}\n"
            )
