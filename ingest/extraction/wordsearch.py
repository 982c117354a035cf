"""Searches for a pattern that starts at the beginning of a word, made to skip ahead.

A pattern that opens with "\\b" makes Python's regex engine start a match attempt at
every position of the text.  When what follows "\\b" always starts with a word
character, "\\b" only says that the character before is not one; the same pattern with
that character matched ("\\W") instead of tested opens with a character class, and the
engine skips in one loop to the characters that may stand before a word.  Searched from
one character earlier, it finds the same matches, one character longer at the front.
"""
from __future__ import annotations

import re


class WordSearch:
    """``pattern.search`` for a pattern that opens with "\\b" before a word character."""

    __slots__ = ("pattern", "_after")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        if not pattern.pattern.startswith(r"\b"):
            raise ValueError("the pattern must open with \\b")
        self.pattern = pattern
        self._after = re.compile(r"\W" + pattern.pattern[2:], pattern.flags)

    def search(self, text: str, start: int, end: int) -> re.Match[str] | None:
        """A match where ``pattern.search(text, start, end)`` finds one, else None.

        The groups are the pattern's; the match itself may start one character early
        (at the character before the word).
        """
        if start > 0:
            return self._after.search(text, start - 1, end)
        return self.pattern.search(text, start, end)

    def found(self, text: str, start: int, end: int) -> bool:
        """Whether ``pattern.search(text, start, end)`` finds a match."""
        return self.search(text, start, end) is not None
