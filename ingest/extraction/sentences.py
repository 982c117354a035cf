"""Sentences with exact character offsets, and which of them are not news.

``split_sentences`` cuts a text into lines (paragraphs, bullets, headings) and lines into
sentences. Every ``Sentence`` keeps ``start``/``end`` offsets into the original text, so
``text[s.start:s.end] == s.text`` always holds and quotes taken from it are verbatim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations whose period does not end a sentence.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof gen lt col maj capt sgt cpl adm cmdr gov sen rep st mt ft jr sr
no nos vs etc inc corp co ltd dept univ approx est fig jan feb mar apr jun jul aug
sep sept oct nov dec mon tue wed thu fri sat sun rev hon pres amb brig
""".split())
# Abbreviations of countries that end a sentence only before a word that starts one.
_COUNTRY_ABBREVIATIONS = frozenset({"u.s", "u.k", "u.n", "e.u", "u.s.a", "d.c"})
_SENTENCE_STARTERS = frozenset("""
the a an he she it they we i this that these those there in on at but and or so yet
after before when while if as however meanwhile his her its their our some many
""".split())

# A candidate boundary: end punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+|$)")
_NEXT_WORD = re.compile(r"\s+[\"'“‘«(\[]*([\w\-]+)")

_BULLET = re.compile(r"^\s*(?:[-–—•*·▪►]|\d{1,2}[.)])\s+")
# Lines that are site furniture rather than the article.
_BOILERPLATE = re.compile(
    r"""^\s*(?:
        read\s+(?:also|more|next)\b | see\s+also\b
      | related(?:\s+(?:articles?|stories|news))?\s*[:|]
      | more\s+(?:posts|stories|news|on\s+this)\b | also\s+read\b | watch\s*[:|]
      | share\s+(?:this|on)\b | follow\s+us\b | subscribe\b | sign\s+up\b | advertisement\b
      | click\s+here\b | (?:photo|image|video|picture)\s*(?:credit)?\s*[:|] | copyright\b | ©
      | all\s+rights\s+reserved | (?:reporting|writing|editing|additional\s+reporting)\s+by\b
      | by\s+[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){0,3}\s*(?:,|\||$) | tags?\s*: | topics?\s*:
      | comments?\s*(?:\(\d+\))?\s*$ | home\s*[>|/] | menu\s*$
      | (?:previous|next)\s+(?:post|article)\b
      | cookies?\b | newsletter\b | listen\s+to\s+this\b | \d+\s+min(?:ute)?s?\s+read\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_END_PUNCT = re.compile(r"[.!?…:;\"'”’»)]\s*$")
# "GOMA, Jan 28 (Reuters) -", "date 2024-01-28", "CAIRO (AP) —" at the head of a story.
DATELINE = re.compile(
    r"""^\s*(?:
        (?i:date|dated|published|posted|updated)\s*:?\s*\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?
      | [A-Z][A-Z .'\-]{2,40}(?:,\s*[A-Z][\w .]{1,30})?
        (?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s+\d{4})?)?\s*
        (?:\((?:Reuters|AP|AFP|Xinhua|TASS|Interfax|UNIAN|Ukrinform|dpa|ANI|IANS|PTI|EFE|ANSA
               |Anadolu)\))?
        \s*[-–—]+
    )\s*""",
    re.VERBOSE,
)


# not frozen: made by the thousand per article, and a frozen dataclass costs
# three times as much to build; nothing changes one after it is made
@dataclass(slots=True)
class Sentence:
    """A sentence of a text; ``kind`` is body, bullet, heading or boilerplate."""

    start: int
    end: int
    text: str
    paragraph: int  # index of the line it belongs to
    kind: str = "body"

    @property
    def is_news(self) -> bool:
        return self.kind in ("body", "bullet")


def _is_boundary(text: str, at: int, line_start: int) -> bool:
    """Return whether the punctuation ending at ``at`` closes a sentence."""
    punct_at = at - 1
    while punct_at > line_start and text[punct_at] in "\"'”’»)]":
        punct_at -= 1
    nxt = _NEXT_WORD.match(text, at)
    next_word = nxt.group(1) if nxt else ""
    if next_word[:1].islower():
        return False  # '“What now?” he asked.', "approx. five"
    if text[punct_at] != ".":
        return True
    word = _word_before(text, max(line_start, punct_at - 30), punct_at).lower().rstrip(".")
    if word in _COUNTRY_ABBREVIATIONS:
        return next_word.lower() in _SENTENCE_STARTERS
    last = word.rsplit(".", 1)[-1]
    if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
        return False  # "Dr. Smith", "J. Smith", "a.m."
    return True


_RUN = re.compile(r"[\w.\-]*")


def _word_before(text: str, lo: int, hi: int) -> str:
    """Return the run of word characters, "." and "-" that ends at ``hi`` (from ``lo`` on).

    What the regex "[\\w.\\-]+$" finds, read backwards: a "$"-anchored search tries
    every start position of its span, where a match at the start of the reversed span
    is one step.
    """
    span = text[lo:hi]
    return span[len(span) - _RUN.match(span[::-1]).end():]


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        if _is_boundary(text, m.end(), start):
            spans.append((cursor, m.end()))
            cursor = m.end()
    spans.append((cursor, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _line_kind(line: str) -> str:
    if _BOILERPLATE.match(line):
        return "boilerplate"
    if _BULLET.match(line):
        return "bullet"
    if not _END_PUNCT.search(line) and len(line.split()) <= 25:
        return "heading"
    return "body"


def split_sentences(text: str) -> list[Sentence]:
    """Return the sentences of ``text`` with exact offsets, each tagged with its kind."""
    sentences: list[Sentence] = []
    paragraph = 0
    dateline_seen = False
    for m in re.finditer(r"[^\n]+", text):
        line_start, line_end = m.start(), m.end()
        line = m.group()
        if not line.strip():
            continue
        if paragraph < 3 and not dateline_seen:
            dl = DATELINE.match(line)
            if dl and dl.end() < len(line):
                dateline_seen = True
                line_start += dl.end()
                line = text[line_start:line_end]
        kind = _line_kind(line)
        if kind == "bullet":  # the quote starts after the bullet mark
            line_start += _BULLET.match(line).end()
        for s, e in _split_line(text, line_start, line_end):
            sentences.append(Sentence(s, e, text[s:e], paragraph, kind))
        paragraph += 1
    return sentences


def news_sentences(text: str) -> list[Sentence]:
    """Return only the sentences that can report news (no headings or boilerplate)."""
    return [s for s in split_sentences(text) if s.is_news]
