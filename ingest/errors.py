"""What can go wrong while ingesting, split by what to do about it."""
from __future__ import annotations


class IngestError(Exception):
    """A permanent failure: the article ends as failed, with this message as its reason."""


class TransientError(Exception):
    """Worth another try later (a network timeout, a server restarting)."""


class FetchError(IngestError):
    """The URL could not be fetched (refused, too large, not HTML, HTTP error)."""


class BlockedAddress(FetchError):
    """The URL leads to a private, loopback or link-local address that is not allowed."""


class FetchTimeout(TransientError):
    """The server took too long to connect or to send."""


class BadInput(IngestError):
    """The input is not an article we can read (empty, binary, not UTF-8, too large)."""
