"""The pure pieces of timeline.exports: iCalendar folding and escaping, CSV defusing."""
from __future__ import annotations

from timeline.exports import _safe_cell, ical_escape, ical_fold


def test_a_short_line_is_not_folded():
    assert ical_fold("SUMMARY:short") == "SUMMARY:short\r\n"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "é" * 100  # two octets each
    folded = ical_fold(line)
    pieces = folded.removesuffix("\r\n").split("\r\n ")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces[:1])
    assert all(len(p.encode("utf-8")) <= 74 for p in pieces[1:])
    assert "".join(pieces) == line


def test_text_values_escape_what_icalendar_reserves():
    assert ical_escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_only_formula_starts_are_defused():
    assert [_safe_cell(v) for v in ["=1+1", "-2", "@me", "plain", ""]] == [
        "'=1+1", "'-2", "'@me", "plain", ""
    ]
