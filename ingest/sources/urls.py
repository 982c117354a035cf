"""Fetching a URL safely: timeouts, a size cap, a content-type check, bounded redirects and
no requests to private addresses (checked on the resolved address of every hop).
"""
from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError, MaxRetryError, NewConnectionError, TimeoutError

from ingest.errors import BlockedAddress, FetchError, FetchTimeout

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "text/plain",
    "text/html",  # many servers mislabel their feeds
)
REDIRECTS = {301, 302, 303, 307, 308}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str  # after redirects
    status: int
    content_type: str
    charset: str | None
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=8)
def _networks(allow: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in allow)


def allowed_networks() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return _networks(tuple(settings.FETCH_ALLOW_NETWORKS))


def is_public(address: IPAddress) -> bool:
    """True for addresses on the public internet (not private, loopback, link-local...)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_address(address: str, allow: Iterable = ()) -> IPAddress:
    """The parsed address, or BlockedAddress when it is private and not allow-listed."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if is_public(ip) or any(ip in network for network in allow):
        return ip
    raise BlockedAddress(f"refused to connect to a private address ({ip})")


def resolve(host: str, port: int) -> list[tuple]:
    """getaddrinfo results for host, every address checked before any connection is made."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror or exc}") from None
    allow = allowed_networks()
    # All of them, not only the first: a host answering with one public and one private
    # address must not get a request through on the private one.
    for info in infos:
        check_address(info[4][0], allow)
    return infos


class GuardedConnectionMixin:
    """Connects only to the addresses `resolve` checked (no second, rebindable lookup)."""

    def _new_conn(self) -> socket.socket:
        last_error: OSError | None = None
        for family, socktype, proto, _, sockaddr in resolve(self._dns_host, self.port):
            sock = socket.socket(family, socktype, proto)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                if isinstance(self.timeout, (int, float)):
                    sock.settimeout(self.timeout)
                sock.connect(sockaddr)
                return sock
            except socket.timeout:
                sock.close()
                raise FetchTimeout(f"connecting to {self.host} timed out") from None
            except OSError as exc:
                sock.close()
                last_error = exc
        raise NewConnectionError(self, f"Failed to establish a new connection: {last_error}")


class GuardedHTTPConnection(GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(GuardedConnectionMixin, HTTPSConnection):
    pass


class GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


def _pool_manager() -> urllib3.PoolManager:
    manager = urllib3.PoolManager(num_pools=4, retries=False)
    manager.pool_classes_by_scheme = {"http": GuardedHTTPPool, "https": GuardedHTTPSPool}
    return manager


def _reason(exc: BaseException | None) -> str:
    text = str(exc or "unknown error")
    return text.split(": ", 1)[-1] if "Failed to establish" in text else text


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be fetched, not {parts.scheme or url!r}")
    if not parts.hostname:
        raise FetchError(f"the URL has no host: {url!r}")


def _media_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ").lower()
    return media.strip().lower(), charset


def _read_capped(response, max_bytes: int, deadline: float, url: str) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"the page is too large ({int(declared):,} bytes; the limit is {max_bytes:,})")
    chunks, size = [], 0
    for chunk in response.stream(64 * 1024, decode_content=True):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"the page is too large (over the limit of {max_bytes:,} bytes)")
        # A server that drips one byte at a time never trips the read timeout: cap the total.
        if time.monotonic() > deadline:
            raise FetchTimeout(f"{url} took too long to send the page")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(
    url: str,
    *,
    accept: tuple[str, ...] = HTML_TYPES,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    max_redirects: int | None = None,
) -> FetchResult:
    """GET the URL following redirects by hand, every hop checked; 304 is returned as is."""
    timeout = settings.FETCH_TIMEOUT if timeout is None else timeout
    max_bytes = settings.FETCH_MAX_BYTES if max_bytes is None else max_bytes
    max_redirects = settings.FETCH_MAX_REDIRECTS if max_redirects is None else max_redirects
    request_headers = {
        "User-Agent": settings.FETCH_USER_AGENT,
        "Accept": ", ".join(accept) + ", */*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
        **(headers or {}),
    }
    deadline = time.monotonic() + 3 * timeout
    manager = _pool_manager()
    seen: list[str] = []
    try:
        while True:
            _check_url(url)
            seen.append(url)
            try:
                response = manager.request(
                    "GET",
                    url,
                    headers=request_headers,
                    redirect=False,
                    preload_content=False,
                    timeout=urllib3.Timeout(connect=timeout, read=timeout),
                )
            except NewConnectionError as exc:
                # (urllib3 makes it a kind of timeout; a refused connection is not one.)
                raise FetchError(f"cannot connect to {urlsplit(url).netloc}: {_reason(exc)}") from None
            except TimeoutError:
                raise FetchTimeout(f"{url} did not answer within {timeout:g} s") from None
            except MaxRetryError as exc:
                if isinstance(exc.reason, TimeoutError) and not isinstance(
                    exc.reason, NewConnectionError
                ):
                    raise FetchTimeout(f"{url} did not answer within {timeout:g} s") from None
                raise FetchError(f"cannot connect to {urlsplit(url).netloc}: {_reason(exc.reason)}") from None
            except HTTPError as exc:
                raise FetchError(f"cannot fetch {url}: {exc}") from None
            try:
                if response.status in REDIRECTS and response.headers.get("Location"):
                    if len(seen) > max_redirects:
                        raise FetchError(f"too many redirects (more than {max_redirects})")
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status == 304:
                    return FetchResult(url, 304, "", None, b"", dict(response.headers))
                if response.status >= 400:
                    raise FetchError(f"the server answered HTTP {response.status} {response.reason or ''}".strip())
                media, charset = _media_type(response.headers.get("Content-Type", ""))
                if media and media not in accept:
                    raise FetchError(f"not a page we can read (content type {media})")
                try:
                    body = _read_capped(response, max_bytes, deadline, url)
                except TimeoutError:
                    raise FetchTimeout(f"{url} stopped sending within {timeout:g} s") from None
                except HTTPError as exc:
                    raise FetchError(f"the download of {url} broke off: {exc}") from None
                return FetchResult(url, response.status, media, charset, body, dict(response.headers))
            finally:
                response.release_conn()
    finally:
        manager.clear()
