"""Fetching URLs against a local server: the guard rails each refuse with a clear reason."""
from __future__ import annotations

import socket
import time

import pytest

from ingest.errors import BlockedAddress, FetchError, FetchTimeout
from ingest.sources.urls import check_address, fetch
from tests.ingest.conftest import article_html


@pytest.fixture
def connects(monkeypatch):
    """Every address a socket connected to during the test (to prove none was private)."""
    seen: list[str] = []
    real_connect = socket.socket.connect

    def spy(sock, address):
        seen.append(address[0])
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    return seen


def test_a_normal_page_comes_back_with_its_type_and_the_bot_user_agent(http_server, settings):
    url = http_server.add_page("/news/1", article_html())
    page = fetch(url)
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.charset == "utf-8"
    assert b"Zarichne" in page.body
    assert http_server.requests[0][1]["User-Agent"] == settings.FETCH_USER_AGENT


def test_a_slow_server_times_out(http_server, settings):
    settings.FETCH_TIMEOUT = 0.5

    def slow(handler):
        time.sleep(2)
        handler.send_response(200)
        handler.end_headers()

    url = http_server.add("/slow", slow)
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="did not answer within 0.5 s"):
        fetch(url)
    assert time.monotonic() - started < 1.8


def test_a_server_dripping_bytes_is_cut_off_by_the_total_deadline(http_server, settings):
    settings.FETCH_TIMEOUT = 0.4  # total deadline: 3 x 0.4 s

    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(40):
            handler.wfile.write(b"<p>" + b"x" * 70000 + b"</p>")
            handler.wfile.flush()
            time.sleep(0.1)

    url = http_server.add("/drip", drip)
    with pytest.raises(FetchTimeout, match="took too long"):
        fetch(url, max_bytes=100_000_000)


def test_a_page_over_the_size_cap_is_refused_while_streaming(http_server, settings):
    settings.FETCH_MAX_BYTES = 200_000

    def huge(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()  # no Content-Length: only counting can stop it
        for _ in range(100):
            handler.wfile.write(b"a" * 65536)

    url = http_server.add("/huge", huge)
    with pytest.raises(FetchError, match="too large .over the limit of 200,000 bytes"):
        fetch(url)


def test_a_declared_length_over_the_cap_is_refused_before_reading(http_server, settings):
    settings.FETCH_MAX_BYTES = 1000
    url = http_server.add_page("/big", "x" * 5000)
    with pytest.raises(FetchError, match=r"too large \(5,000 bytes; the limit is 1,000\)"):
        fetch(url)


def test_a_redirect_loop_stops_after_the_redirect_limit(http_server, settings):
    settings.FETCH_MAX_REDIRECTS = 3
    for here, there in (("/a", "/b"), ("/b", "/a")):
        http_server.add_page(here, "", status=302, headers={"Location": there})
    with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
        fetch(http_server.url("/a"))
    assert len(http_server.requests) == 4


def test_a_redirect_is_followed_to_the_page(http_server):
    http_server.add_page("/old", "", status=301, headers={"Location": "/new"})
    url = http_server.add_page("/new", article_html())
    page = fetch(http_server.url("/old"))
    assert page.url == url


def test_a_redirect_to_a_private_address_is_refused_before_connecting(http_server, connects):
    http_server.add_page("/away", "", status=302, headers={"Location": "http://10.255.255.1/x"})
    with pytest.raises(BlockedAddress, match=r"private address \(10.255.255.1\)"):
        fetch(http_server.url("/away"))
    assert connects == ["127.0.0.1"]


def test_loopback_is_refused_when_the_allow_list_is_empty(http_server, settings, connects):
    settings.FETCH_ALLOW_NETWORKS = []
    url = http_server.add_page("/news/1", article_html())
    with pytest.raises(BlockedAddress, match="127.0.0.1"):
        fetch(url)
    assert connects == []
    assert http_server.requests == []


def test_a_name_is_checked_after_resolution(http_server, settings, connects):
    settings.FETCH_ALLOW_NETWORKS = ["10.0.0.0/8"]
    url = http_server.add_page("/news/1", article_html()).replace("127.0.0.1", "localhost")
    with pytest.raises(BlockedAddress):
        fetch(url)
    assert connects == []


@pytest.mark.parametrize(
    "address",
    ["10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "127.0.0.1", "::1",
     "fe80::1", "fc00::1", "0.0.0.0", "100.64.0.1", "::ffff:10.0.0.1", "224.0.0.1"],
)
def test_private_loopback_and_link_local_addresses_are_blocked(address):
    with pytest.raises(BlockedAddress):
        check_address(address, allow=())


def test_public_addresses_pass_the_check():
    assert str(check_address("93.184.216.34", allow=())) == "93.184.216.34"


def test_a_server_error_is_a_readable_failure(http_server):
    url = http_server.add_page("/boom", "oops", status=500)
    with pytest.raises(FetchError, match="HTTP 500"):
        fetch(url)


def test_a_non_html_page_is_refused_by_content_type(http_server):
    url = http_server.add_page("/photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
    with pytest.raises(FetchError, match=r"not a page we can read \(content type image/png\)"):
        fetch(url)


def test_only_http_and_https_urls_are_fetched():
    with pytest.raises(FetchError, match="only http and https"):
        fetch("file:///etc/passwd")


def test_a_closed_port_is_a_readable_failure(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="cannot connect"):
        fetch(f"http://127.0.0.1:{port}/")
