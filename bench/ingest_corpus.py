"""A synthetic news corpus for the ingest benchmark and the crash tests.

Articles are recombined from sentence templates about several conflicts (none copied from
the sample articles): a dateline, then dated events, quotes and background, so the
extractor finds actors, places, keywords and relative dates as in real reports.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

CONFLICTS = [
    {"a": "Sudan", "b": "Rapid Support Forces", "places": ["Khartoum", "El Fasher", "Omdurman"],
     "leader": "the army chief", "mediator": "Saudi Arabia"},
    {"a": "Israel", "b": "Hamas", "places": ["Gaza", "Rafah", "Khan Younis"],
     "leader": "the defence minister", "mediator": "Qatar"},
    {"a": "Democratic Republic of the Congo", "b": "M23", "places": ["Goma", "Bukavu"],
     "leader": "the president", "mediator": "Angola"},
    {"a": "Myanmar", "b": "Arakan Army", "places": ["Mandalay", "Sittwe"],
     "leader": "the junta spokesman", "mediator": "China"},
    {"a": "Yemen", "b": "Houthis", "places": ["Sanaa", "Aden", "Marib"],
     "leader": "the government spokesman", "mediator": "Oman"},
    {"a": "Syria", "b": "Hayat Tahrir al-Sham", "places": ["Aleppo", "Idlib", "Hama"],
     "leader": "the interior ministry", "mediator": "Turkey"},
    {"a": "Mali", "b": "Jama'at Nusrat al-Islam wal-Muslimin", "places": ["Bamako", "Gao"],
     "leader": "the transitional government", "mediator": "Algeria"},
    {"a": "Armenia", "b": "Azerbaijan", "places": ["Yerevan", "Baku"],
     "leader": "the foreign ministry", "mediator": "the European Union"},
    {"a": "Somalia", "b": "al-Shabaab", "places": ["Mogadishu", "Kismayo"],
     "leader": "the police commissioner", "mediator": "Kenya"},
    {"a": "Libya", "b": "Libyan National Army", "places": ["Tripoli", "Benghazi", "Misrata"],
     "leader": "the prime minister", "mediator": "Egypt"},
]
OUTLETS = ["Reuters", "AFP", "AP", "Al Jazeera", "BBC"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

EVENT_SENTENCES = [
    "{b} fighters attacked positions near {place} on {weekday}, killing {n} soldiers, {leader} said.",
    "Forces of {a} shelled districts of {place} on {month} {day}, local officials said.",
    "A drone strike hit a market in {place} {relday}, wounding {n} people, medics said.",
    "Delegations of {a} and {b} held talks in {city2} on {weekday}, mediated by {mediator}.",
    "{mediator} hosted a meeting between envoys of {a} and {b} on {month} {day}.",
    "{a} accused {b} of breaking the truce around {place} on {weekday}.",
    "{b} rejected a ceasefire proposal from {mediator} on {month} {day}, a spokesman said.",
    "{a} and {b} signed an agreement to exchange prisoners in {city2} on {weekday}.",
    "{b} withdrew from several villages outside {place} {relday}, residents said.",
    "Aid agencies evacuated {n} civilians from {place} on {month} {day}.",
    "{mediator} called on both sides to protect civilians in {place} on {weekday}.",
    "{a} threatened to retaliate after an ambush near {place} on {month} {day}.",
]
BACKGROUND = [
    "The fighting has displaced hundreds of thousands of people since it began.",
    "Both sides deny targeting civilians.",
    "Humanitarian groups say access to the area remains difficult.",
    "Diplomats expect further rounds of negotiations in the coming weeks.",
    "Prices of food and fuel have risen sharply in the region.",
    "Independent verification of casualty figures was not possible.",
    "The conflict has drawn in regional powers with competing interests.",
    "Residents described long queues at the few bakeries still open.",
]
QUOTES = [
    "\u201cWe will not accept any more delays,\u201d {leader} told reporters.",
    "\u201cThe situation in {place} is catastrophic,\u201d an aid worker said.",
    "\u201cThere can be no peace without justice,\u201d a spokesman for {b} said.",
]


@dataclass(frozen=True, slots=True)
class CorpusArticle:
    key: str
    title: str
    text: str
    published: date


def _event_sentence(rng: random.Random, conflict: dict, published: date) -> str:
    back = rng.randint(1, 6)
    day = published - timedelta(days=back)
    other = rng.choice(CONFLICTS)["places"][0]
    return rng.choice(EVENT_SENTENCES).format(
        a=conflict["a"], b=conflict["b"], place=rng.choice(conflict["places"]),
        city2=rng.choice(["Doha", "Geneva", "Cairo", "Istanbul", "Nairobi", other]),
        leader=conflict["leader"], mediator=conflict["mediator"], n=rng.randint(2, 40),
        weekday=WEEKDAYS[day.weekday()], month=MONTHS[day.month - 1], day=day.day,
        relday=rng.choice(["yesterday", "on Saturday night", "last week", "earlier this month"]),
    )


def make_article(rng: random.Random, number: int, start: date = date(2025, 3, 1)) -> CorpusArticle:
    conflict = rng.choice(CONFLICTS)
    published = start + timedelta(days=rng.randint(0, 120))
    city = rng.choice(conflict["places"])
    outlet = rng.choice(OUTLETS)
    sentences = [_event_sentence(rng, conflict, published) for _ in range(rng.randint(3, 7))]
    sentences += rng.sample(BACKGROUND, rng.randint(2, 4))
    sentences.append(rng.choice(QUOTES).format(leader=conflict["leader"], place=city, b=conflict["b"]))
    rng.shuffle(sentences)
    dateline = f"{city.upper()}, {MONTHS[published.month - 1]} {published.day} ({outlet}) - "
    paragraphs = [dateline + sentences[0]] + [
        " ".join(sentences[i:i + 2]) for i in range(1, len(sentences), 2)
    ]
    title = f"{conflict['a']} and {conflict['b']}: fighting around {city} (report {number})"
    # The report number makes every text distinct, as real reports are.
    text = "\n\n".join(paragraphs) + f"\n\nReport {number} by {outlet} staff."
    return CorpusArticle(key=f"synthetic-{number:05d}", title=title, text=text, published=published)


def make_corpus(size: int, seed: int = 4) -> list[CorpusArticle]:
    rng = random.Random(seed)
    return [make_article(rng, n) for n in range(size)]
