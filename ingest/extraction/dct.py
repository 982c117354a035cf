"""The publication date of an article (its "document creation time"), and how it is known.

Evidence, strongest first: a dateline ("GOMA, Jan 28 (Reuters) -", "date 2024-01-28",
"Published: 4 June 2025"), a weekday written next to a day and month ("Wednesday, the 4th
of June": the year in which that day is that weekday), the page's metadata, and full dates
in the text. Metadata loses when the text points clearly elsewhere (a repost that keeps an
old story's datelines and weekdays). An article nothing dates can borrow the date of the
most similar dated article in the same batch (``infer_from_related``).

Pure code: ``today`` is always a parameter, never the wall clock.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from .sentences import DATELINE
from .types import ArticleInput, PublicationDate

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
# Metadata keys that name the publication date, most trusted first (news-please,
# schema.org JSON-LD, Open Graph / article meta tags, Dublin Core, htmldate/trafilatura).
METADATA_KEYS = (
    "date_publish", "datePublished", "article:published_time", "og:published_time",
    "published_time", "pubdate", "publish_date", "published", "dc.date", "DC.date.issued",
    "date", "dateCreated", "date_download",
)
# How far the metadata may stray from a date the text itself states.
AGREEMENT_DAYS = 2
# A weekday-dated day must lie within this many years before "today".
WEEKDAY_HORIZON_YEARS = 40

_M = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
      r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?P<year>(?:19|20)\d\d)"
_D2, _M2, _Y2 = (_D.replace("day>", "day2>"), _M.replace("month>", "month2>"),
                 _Y.replace("year>", "year2>"))
_WD = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_FULL_DATE = re.compile(
    rf"""\b(?:
        (?P<iso>(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d))(?!\d)
      | {_M}\s+{_D},?\s+{_Y}
      | {_D2}\s+(?:of\s+)?{_M2},?\s+{_Y2}
    )(?!\d)""",
    re.IGNORECASE | re.VERBOSE,
)
# "Tuesday, the 9th of January", "Tuesday, January 9", "Tuesday (9 January)"
_WEEKDAY_DATE = re.compile(
    rf"""\b{_WD},?\s*\(?\s*(?:the\s+)?(?:
        {_D}\s+(?:of\s+)?{_M}
      | {_M.replace('month>', 'month2>')}\s+{_D.replace('day>', 'day2>')}
    )\b(?:,?\s+{_Y})?""",
    re.IGNORECASE | re.VERBOSE,
)
_MONTH_DAY = re.compile(rf"\b{_M}\s+{_D}\b|\b{_D.replace('day>', 'day2>')}\s+(?:of\s+)?"
                        rf"{_M.replace('month>', 'month2>')}", re.IGNORECASE)
_PUBLISHED_LINE = re.compile(
    r"^\s*(?:published|posted|updated|first\s+published|date|dated)\b"
    r"\s*(?:on|at)?\s*:?\s*(.{0,60})",
    re.IGNORECASE | re.MULTILINE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]{3,}|\d{2,}")
_STOP = frozenset("""
that this with from have been were their there they what when which while would could should
about after before over into than then them also said says will just more most other some such
only very even been being does doing under since these those where whom whose your ours
""".split())


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_date(m: re.Match) -> date | None:
    g = m.groupdict()
    if g.get("iso"):
        return _make(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g.get("year"):
        return _make(int(g["year"]), MONTHS[g["month"].lower().rstrip(".")], int(g["day"]))
    if g.get("year2"):
        return _make(int(g["year2"]), MONTHS[g["month2"].lower().rstrip(".")], int(g["day2"]))
    return None


def parse_date_value(value: object) -> date | None:
    """Return the calendar day of a metadata value (ISO string, datetime, "4 June 2025")."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    m = _FULL_DATE.search(value)
    return _full_date(m) if m else None


def date_from_metadata(metadata: Mapping) -> tuple[date | None, str]:
    """Return the publication day the metadata names, and the key it came from."""
    for key in METADATA_KEYS:
        day = parse_date_value(metadata.get(key)) if key in metadata else None
        if day is not None:
            return day, key
    return None, ""


def date_from_dateline(text: str, reference: date | None) -> tuple[date | None, str]:
    """Return the day a dateline or a "Published: ..." line at the head of the text names.

    A dateline without a year ("GOMA, Jan 28 (Reuters) -") takes the year that puts it
    on or before ``reference`` (the metadata date or today).
    """
    head = text[:600]
    lines = [line for line in head.splitlines() if line.strip()][:3]
    candidates = [dl.group() for dl in map(DATELINE.match, lines) if dl]
    candidates += [m.group() for m in _PUBLISHED_LINE.finditer(head)]
    for cand in candidates:
        m = _FULL_DATE.search(cand)
        if m and _full_date(m):
            return _full_date(m), cand.strip()
        md = _MONTH_DAY.search(cand)
        if md and reference:
            g = md.groupdict()
            month = MONTHS[(g["month"] or g["month2"]).lower().rstrip(".")]
            day = _make(reference.year, month, int(g["day"] or g["day2"]))
            if day and day > reference + timedelta(days=1):
                day = _make(reference.year - 1, month, int(g["day"] or g["day2"]))
            if day:
                return day, cand.strip()
    return None, ""


def resolve_weekday_date(weekday: int, month: int, day: int, today: date) -> date | None:
    """Return the date nearest ``today`` (not after it) whose weekday is ``weekday``."""
    for year in range(today.year, today.year - WEEKDAY_HORIZON_YEARS, -1):
        found = _make(year, month, day)
        if found and found.weekday() == weekday and found <= today + timedelta(days=1):
            return found
    return None


def date_from_weekday(text: str, today: date | None) -> tuple[date | None, str]:
    """Return the day a weekday next to a day and month fixes ("Tuesday, the 9th of January")."""
    for m in _WEEKDAY_DATE.finditer(text[:3000]):
        g = m.groupdict()
        month = MONTHS[(g["month"] or g["month2"]).lower().rstrip(".")]
        day = int(g["day"] or g["day2"])
        weekday = WEEKDAYS[g["weekday"].lower()]
        if g.get("year"):
            found = _make(int(g["year"]), month, day)
            if found and found.weekday() == weekday:
                return found, m.group()
            continue
        if today is not None:
            found = resolve_weekday_date(weekday, month, day, today)
            if found:
                return found, m.group()
    return None, ""


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def full_dates_in_text(text: str) -> list[date]:
    """Return the full dates written in a text ("4 June 2025", "2025-06-04")."""
    # a full date holds a year: look only around years, not at every word of the text
    found = []
    last_end = 0
    for year in _YEAR.finditer(text):
        m = _FULL_DATE.search(text, max(last_end, year.start() - 30), year.end() + 6)
        if m:
            last_end = m.end()
            day = _full_date(m)
            if day:
                found.append(day)
    return found


def latest_month_day(text: str, year: int) -> date | None:
    """Return the latest "January 9" style day the text names, read in ``year``."""
    days = []
    for m in _MONTH_DAY.finditer(text):
        g = m.groupdict()
        found = _make(year, MONTHS[(g["month"] or g["month2"]).lower().rstrip(".")],
                      int(g["day"] or g["day2"]))
        if found:
            days.append(found)
    return max(days) if days else None


def publication_date(text: str, metadata: Mapping | None = None, title: str = "",
                     today: date | None = None) -> PublicationDate:
    """Return the article's publication date, weighing metadata against the text."""
    metadata = metadata or {}
    meta_day, meta_key = date_from_metadata(metadata)
    reference = meta_day or today
    dateline_day, dateline_text = date_from_dateline(text, reference)
    weekday_day, weekday_text = None, ""
    if dateline_day is None:  # a dateline wins over a weekday: no need to look for one
        weekday_day, weekday_text = date_from_weekday(f"{title}\n{text}", reference)
    text_day = dateline_day or weekday_day
    if meta_day is not None:
        if text_day is None:
            stale = _stale_metadata(text, meta_day)
            if stale is not None:
                return stale
        if text_day is None or abs((text_day - meta_day).days) <= AGREEMENT_DAYS:
            return PublicationDate(meta_day, "metadata", f"{meta_key}={metadata.get(meta_key)}")
        # the page's date disagrees with what the story says about itself: a repost or a
        # page date of the wrong thing; the story's own words win
    if dateline_day is not None:
        note = f" (metadata {meta_day} disagrees)" if meta_day else ""
        return PublicationDate(dateline_day, "dateline", dateline_text + note)
    if weekday_day is not None:
        note = f" (metadata {meta_day} disagrees)" if meta_day else ""
        return PublicationDate(weekday_day, "weekday", weekday_text + note)
    full = [d for d in full_dates_in_text(text) if today is None or d <= today + timedelta(days=1)]
    if full:
        return PublicationDate(max(full), "text", f"latest full date in the text: {max(full)}")
    return PublicationDate(None, "unknown", "")


# A story whose metadata date lies this far after every day it names, while it speaks of
# "Wednesday" and "Sunday", is an old story on a new page.
STALE_METADATA_DAYS = 30
_WEEKDAY_WORD = re.compile(r"\b(?:on|last|this|next|since|until|by)\s+"
                           r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
                           re.IGNORECASE)


def _stale_metadata(text: str, meta_day: date) -> PublicationDate | None:
    latest = latest_month_day(text, meta_day.year)
    if latest is None or latest > meta_day or not _WEEKDAY_WORD.search(text):
        return None
    if (meta_day - latest).days <= STALE_METADATA_DAYS:
        return None
    return PublicationDate(latest, "text", f"latest day the story names; metadata {meta_day} "
                                           f"is {(meta_day - latest).days} days later")


def content_words(text: str) -> frozenset[str]:
    """Return the distinctive words of a text, for comparing articles."""
    return frozenset(w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Return the Jaccard overlap of two word sets (the union counted, not built)."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


# An undated article borrows a date only from an article this similar, and clearly the
# most similar one (a different date for a near-equal rival makes the choice unclear).
RELATED_MIN_SIMILARITY = 0.10
RELATED_MARGIN = 0.02


def infer_from_related(article: ArticleInput, others: Sequence[ArticleInput],
                       words: Mapping[str, frozenset[str]] | None = None) -> PublicationDate | None:
    """Return the date of the dated article most like ``article``, or None when unclear.

    ``others`` carry their dates in ``published``; ``words`` may hold their content words
    by key so a batch computes them once.
    """
    words = words or {}
    mine = words.get(article.key) or content_words(f"{article.title}\n{article.text}")
    scored = []
    for other in others:
        if other.key == article.key or other.published is None or other.published.date is None:
            continue
        theirs = words.get(other.key) or content_words(f"{other.title}\n{other.text}")
        scored.append((similarity(mine, theirs), other))
    if not scored:
        return None
    scored.sort(key=lambda pair: pair[0], reverse=True)
    best_score, best = scored[0]
    if best_score < RELATED_MIN_SIMILARITY:
        return None
    rivals = [s for s, o in scored[1:] if o.published.date != best.published.date]
    if rivals and best_score - rivals[0] < RELATED_MARGIN:
        return None
    return PublicationDate(best.published.date, "related",
                           f"like {best.key} ({best_score:.2f} word overlap)")


def fallback_ingest(ingested: date) -> PublicationDate:
    """Return the ingest day as the anchor of an article nothing else dates."""
    return PublicationDate(ingested, "ingest", "date the article was ingested")


def batch_words(articles: Iterable[ArticleInput]) -> dict[str, frozenset[str]]:
    return {a.key: content_words(f"{a.title}\n{a.text}") for a in articles}


class RelatedIndex:
    """Dated articles indexed by their words, so an undated one is compared only with the
    few that share the most words with it (a batch stays linear, not quadratic)."""

    CANDIDATES = 20
    # a word in more articles than this says nothing about which is related
    MAX_POSTING = 200

    def __init__(self, articles: Iterable[ArticleInput], words: Mapping[str, frozenset[str]]):
        self.words = words
        self.dated = {a.key: a for a in articles
                      if a.published is not None and a.published.date is not None}
        self.postings: dict[str, list[str]] = defaultdict(list)
        for key in self.dated:
            for word in words[key]:
                self.postings[word].append(key)

    def infer(self, article: ArticleInput) -> PublicationDate | None:
        """Return the date of the clearly most similar dated article, or None."""
        counts: Counter[str] = Counter()
        for word in self.words.get(article.key) or content_words(article.text):
            posting = self.postings.get(word)
            if posting and len(posting) <= self.MAX_POSTING:
                counts.update(posting)
        candidates = [self.dated[k] for k, _ in counts.most_common(self.CANDIDATES + 1)
                      if k != article.key]
        return infer_from_related(article, candidates, self.words)
