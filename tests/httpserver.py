"""A real HTTP server on 127.0.0.1 for tests that fetch.

A test routes paths to canned replies, changes them between requests if it
likes, and reads the log of requests the server received:

    with serve() as server:
        server.route("/feed", Reply(200, body, (("ETag", '"v1"'),)), Reply(304))
        fetch(server.url("/feed"), ...)
        assert server.requests[0].header("user-agent").startswith("digest/")

Replies to one path are served in order and the last one is repeated. Each
connection serves one request (HTTP/1.0), so a reply without a length ends
when the connection closes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Reply:
    """One canned response."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # seconds to wait before answering at all
    pieces: int = 1  # the body is sent in this many pieces...
    pause: float = 0.0  # ...with this many seconds between them
    send_length: bool = True  # False: no Content-Length, the body ends at close


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        """The value of a request header, looked up without regard to case."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


# How often the serving loop checks for shutdown: short, so tests end promptly.
POLL_SECONDS = 0.02
NOT_FOUND = Reply(404, b"no such route\n", (("Content-Type", "text/plain"),))


class LoopbackServer(ThreadingHTTPServer):
    """The server and its test-controlled state: routes and a request log."""

    daemon_threads = True  # a deliberately slow reply must not hold up shutdown

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self._lock = threading.Lock()
        self._routes: dict[str, list[Reply]] = {}
        self.requests: list[Received] = []

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        """The absolute address of ``path`` on this server."""
        return self.base_url + path

    def route(self, path: str, *replies: Reply) -> None:
        """Answer requests for ``path`` with ``replies`` in turn, repeating the last."""
        with self._lock:
            self._routes[path] = list(replies)

    def requests_to(self, path: str) -> list[Received]:
        """The requests received for ``path``, oldest first."""
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def next_reply(self, received: Received) -> Reply:
        """Log a request and take the reply due for it."""
        with self._lock:
            self.requests.append(received)
            replies = self._routes.get(received.path) or self._routes.get(
                urlsplit(received.path).path
            )
            if not replies:
                return NOT_FOUND
            return replies.pop(0) if len(replies) > 1 else replies[0]


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackServer
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        received = Received(self.command, self.path, tuple(self.headers.items()))
        reply = self.server.next_reply(received)
        try:
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.send_length:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if send_body:
                self._send_body(reply)
        except OSError:
            pass  # the client gave up (time-out, size limit): that is what was tested

    def _send_body(self, reply: Reply) -> None:
        size = -(-len(reply.body) // max(reply.pieces, 1))
        for start in range(0, len(reply.body), max(size, 1)):
            if start and reply.pause:
                time.sleep(reply.pause)
            self.wfile.write(reply.body[start : start + size])
            self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log is kept in ``server.requests`` instead."""


@contextmanager
def serve() -> Iterator[LoopbackServer]:
    """A running loopback server, shut down when the block ends."""
    server = LoopbackServer()
    thread = threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
