"""Fixtures of the ingest tests: a local HTTP server with routes the test defines."""
from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Route = Callable[[BaseHTTPRequestHandler], None]

ARTICLE_BODY = (
    "KYIV, June 4 - Troops shelled the village of Zarichne on Tuesday, local officials said. "
    "The strike damaged the school and two houses, and nobody was hurt, they said. "
    "Talks between the two sides are due to resume in Geneva next week, diplomats said. "
)


def article_html(title: str = "Shelling hits a village", body: str = ARTICLE_BODY) -> str:
    paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in body.split(". ") if sentence)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title>"
        "<meta property='article:published_time' content='2025-06-04T08:00:00Z'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright</footer></body></html>"
    )


class LocalServer:
    """An HTTP server on 127.0.0.1 in a thread; `routes` maps a path to a handler."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                    return
                try:
                    route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (size cap, timeout): expected

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def add_page(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
                 status: int = 200, headers: dict[str, str] | None = None) -> str:
        data = body.encode() if isinstance(body, str) else body

        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(data)

        return self.add(path, route)


@pytest.fixture
def http_server():
    server = LocalServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def dictionary(db, settings):
    """The starter dictionary in the tables, and no lexicon cached from another test.

    (Inside a test's rolled-back transaction the version bump, sent after commit, never
    happens, so a lexicon cached by an earlier test would look current.)
    """
    from ingest import lexicon_store
    from ingest.management.commands.load_dictionary import load_dictionary

    settings.LEXICON_REFRESH_SECONDS = 0
    load_dictionary()
    lexicon_store.clear_cache()
    yield
    lexicon_store.clear_cache()
