"""Pasted text and raw bytes made into article text, refusing what is not text."""
from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings

from ingest.errors import BadInput

# Control characters other than tab, newline and carriage return: a few are noise, many
# mean the bytes are not text at all.
_CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 13)} | {"\x7f"}


def max_bytes() -> int:
    return settings.FETCH_MAX_BYTES


def decode_bytes(raw: bytes, charset: str | None = None) -> str:
    """The bytes as text, or BadInput saying why they are not an article's text."""
    if len(raw) > max_bytes():
        raise BadInput(f"too large ({len(raw):,} bytes; the limit is {max_bytes():,})")
    if not raw.strip():
        raise BadInput("empty")
    if b"\x00" in raw[:8192]:
        raise BadInput("binary data, not text")
    encoding = (charset or "utf-8").lower()
    try:
        text = raw.decode("utf-8-sig" if encoding in ("utf-8", "utf8") else encoding)
    except LookupError:
        raise BadInput(f"unknown character set {charset!r}") from None
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"not valid {encoding.upper()} text (byte {exc.start} cannot be decoded)"
        ) from None
    return check_text(text)


def check_text(text: str) -> str:
    """The text unchanged, or BadInput when it is empty, too large or binary."""
    if not text.strip():
        raise BadInput("empty")
    if sum(1 for ch in text[:8192] if ch in _CONTROL) > 16 or "\x00" in text:
        raise BadInput("binary data, not text")
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes():
        raise BadInput(f"too large (the limit is {max_bytes():,} bytes)")
    return text


def clean_text(text: str) -> str:
    """Normalized text (NFC, Unix newlines, no stray control characters); BadInput if empty."""
    check_text(text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return check_text("".join(ch for ch in text if ch not in _CONTROL).strip())


def content_sha256(text: str) -> str:
    """The digest that makes the same text one article, however it arrived."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
