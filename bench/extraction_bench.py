"""Extraction speed and memory on a synthetic corpus, with dateparser as the reference.

Run: .venv/bin/python bench/extraction_bench.py [--articles 2000] [--dateparser 40]

The corpus recombines sentences of invented conflict-news templates (~800 words per
article). Speed is CPU time (time.process_time) on one core, median of 5 runs; memory is
the peak RSS after a pass over 500 articles and after one over all 2,000 (flat = the
second pass, four times longer, adds next to nothing). Speed runs on a sample (--speed).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import resource
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.extraction.events import extract_mentions  # noqa: E402
from ingest.extraction.lexicon import load_starter_lexicon  # noqa: E402
from ingest.extraction.types import ArticleInput  # noqa: E402

CITIES = ["Varnok", "Estrel", "Morava Gap", "Tal Bessim", "Kerrow", "Oskand", "Lubeni",
          "Sarrat", "Piran Ford", "Qadesh Wells", "Halvard", "Nym Ridge"]
FORCES = ["the Northern Front", "government troops", "the Coastal Brigade", "border guards",
          "militia fighters", "the Liberation Army", "security forces", "rebel units"]
PEOPLE = ["Defence Minister Ilse Varga", "General Tomas Rhee", "President Anwar Delacroix",
          "Foreign Minister Sela Okonjo", "envoy Marit Hallo", "spokesman Jari Beck"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TEMPLATES = [
    "{force} shelled positions near {city} on {day}, killing {n} civilians, officials said.",
    "{force} and {force2} exchanged fire on {day} outside {city}.",
    "On {day}, {person} met {person2} in {city} to discuss a ceasefire.",
    "Drones struck a fuel depot in {city} overnight, local media reported.",
    "{person} said on {day} that the attacks on {city} amounted to war crimes.",
    "Aid agencies evacuated {n} families from {city} on {day} as fighting spread.",
    "The two sides signed a truce in {city} on {date}, but clashes resumed within hours.",
    "{force} arrested {n} activists during a protest in {city} on {day}.",
    "Residents said the shelling of {city} had continued for {n} days.",
    "The government imposed new sanctions on {n} commanders of {force}.",
    "{person} warned that {force} could launch a new offensive towards {city} next month.",
    "Negotiators will meet again in {city} next week, according to {person}.",
    "Hundreds of demonstrators gathered in central {city} on {day} to demand an end to the war.",
    "Prices of bread in {city} have doubled since the start of the year.",
    "The convoy, carrying {n} tonnes of food, reached {city} late on {day}.",
    "{force} said they had recaptured {city} after a three-day battle.",
    "A spokesman for {force} denied any involvement in the ambush near {city} on {day}.",
    "Schools in {city} remained closed for a {ordinal} week, teachers said.",
    "In a phone call on {day}, {person} and {person2} discussed prisoner exchanges.",
    "The United Nations said about {n},000 people had fled {city} since {month} {dom}.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ORDINALS = ["second", "third", "fourth", "fifth"]


def make_article(rng: random.Random, i: int) -> ArticleInput:
    published = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
    lead = (f"{rng.choice(CITIES).upper()}, {DAYS[published.weekday()]}, {published.day} "
            f"{MONTHS[published.month - 1]} {published.year} - ")
    sentences, words = [], 0
    while words < 800:
        t = rng.choice(TEMPLATES)
        s = t.format(force=rng.choice(FORCES), force2=rng.choice(FORCES), city=rng.choice(CITIES),
                     person=rng.choice(PEOPLE), person2=rng.choice(PEOPLE), day=rng.choice(DAYS),
                     n=rng.randrange(2, 90), ordinal=rng.choice(ORDINALS),
                     month=rng.choice(MONTHS), dom=rng.randrange(1, 28),
                     date=f"{rng.choice(MONTHS)} {rng.randrange(1, 28)}")
        s = s[0].upper() + s[1:]
        sentences.append(s)
        words += len(s.split())
    paragraphs = [" ".join(sentences[k:k + 4]) for k in range(0, len(sentences), 4)]
    text = f"Fighting near {rng.choice(CITIES)}\n\n" + lead + "\n\n".join(paragraphs) + "\n"
    return ArticleInput(f"bench-{i}.txt", text)


def run_extraction(articles, lexicon) -> int:
    n = 0
    for a in articles:
        _, mentions = extract_mentions(a, lexicon)
        n += len(mentions)
    return n


def cpu_rate(fn, articles, runs: int) -> tuple[float, list[float]]:
    rates = []
    for _ in range(runs):
        t0 = time.process_time()
        fn(articles)
        rates.append(len(articles) / max(time.process_time() - t0, 1e-9))
    return statistics.median(rates), rates


def rss_after_kib(fn, articles) -> tuple[float, int]:
    """Return the peak resident set size (KiB) after a pass over the articles, and its result."""
    result = fn(articles)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--speed", type=int, default=200, help="articles per timed run")
    ap.add_argument("--dateparser", type=int, default=40, help="articles for dateparser")
    args = ap.parse_args()
    rng = random.Random(7)
    corpus = [make_article(rng, i) for i in range(args.articles)]
    words = statistics.mean(len(a.text.split()) for a in corpus)
    lexicon = load_starter_lexicon()
    run_extraction(corpus[:20], lexicon)  # warm caches and lazy tables
    extract = lambda arts: run_extraction(arts, lexicon)  # noqa: E731
    rate, rates = cpu_rate(extract, corpus[:args.speed], args.runs)
    peak_small, mentions = rss_after_kib(extract, corpus[:500])
    peak_large, _ = rss_after_kib(extract, corpus)

    dp_rate = float("nan")
    subset = corpus[:args.dateparser]  # --dateparser 0: no reference this run
    try:
        from dateparser.search import search_dates
    except ImportError:
        subset = []
    if subset:
        search_dates(subset[0].text[:200], languages=["en"])  # warm up
        dp_rate, _ = cpu_rate(lambda arts: [search_dates(a.text, languages=["en"])
                                            for a in arts], subset, 1)

    print(f"corpus: {len(corpus)} articles, {words:.0f} words each on average, "
          f"{mentions} mentions in the first 500; speed on {args.speed} articles")
    print(f"{'measure':<42}{'value':>14}")
    print(f"{'extraction articles/s (CPU, median of %d)' % args.runs:<42}{rate:>14.1f}")
    print(f"{'  runs':<42}{' '.join(f'{r:.0f}' for r in rates):>14}")
    print(f"{'extraction ms/article':<42}{1000 / rate:>14.2f}")
    print(f"{'peak RSS after 500 articles (KiB)':<42}{peak_small:>14.0f}")
    print(f"{'peak RSS after all %d articles (KiB)' % len(corpus) + '':<42}{peak_large:>14.0f}")
    print(f"{'memory flat (RSS growth < 5%)':<42}"
          f"{str(peak_large / peak_small < 1.05):>14}")
    print(f"{'dateparser search_dates articles/s (%d)' % args.dateparser:<42}{dp_rate:>14.2f}")
    print(f"{'extraction / dateparser speed ratio':<42}{rate / dp_rate:>14.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
