"""Serve: preview the output folder over HTTP on this machine, rebuilt as the inputs change.

A plain static file server (``http.server``) for looking at the site before
publishing it; it is not meant to face the internet, so it listens on
127.0.0.1 unless told otherwise. Missing paths get the site's ``404.html``
when it has one, every response says ``Cache-Control: no-store`` so a reload
shows the latest build, and only failed requests are logged, one line each.

With ``watch`` paths and a ``rebuild`` function, the inputs are polled every
``interval`` seconds. A change (a file added, removed, resized, touched or
replaced) is rebuilt once the inputs have stayed still for one more poll, so
an editor's several writes of one save give one rebuild. What a rebuild
writes among the watched files is not a change, so a rebuild never sets off
another; the price is that an edit saved while a rebuild runs waits for the
next one. A failed rebuild is reported in one line and the previous output
stays up. The writer replaces
the output folder by renaming a new one into place, so the folder is found
by its path on every request, never held open.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from digest.errors import DigestError

NOT_FOUND_PAGE = "404.html"
# How often the server thread checks whether it was asked to stop (seconds).
SHUTDOWN_POLL = 0.2

# One watched file: its path, size, modification time (ns) and inode; the
# inode catches a file replaced by rename with the same size and time.
FileState = tuple[str, int, int, int]


class ServeError(DigestError):
    """The preview server could not start."""

    hint = "choose another port with --port, or stop the program using this one"


def _say(line: str) -> None:
    """One line on stderr, where a preview server's messages belong."""
    print(line, file=sys.stderr, flush=True)


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files from the output folder, with the site's own 404 page and no caching."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The site's 404 page for a missing path when it has one; the stock page otherwise."""
        if code == HTTPStatus.NOT_FOUND and self.command in ("GET", "HEAD"):
            try:
                page = (Path(self.directory) / NOT_FOUND_PAGE).read_bytes()
            except OSError:
                page = None
            if page is not None:
                self.send_response(HTTPStatus.NOT_FOUND, message)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                if self.command == "GET":
                    self.wfile.write(page)
                return
        super().send_error(code, message, explain)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One line for a request that failed; successful ones pass quietly."""
        status = int(code) if isinstance(code, int) or str(code).isdigit() else 0
        if status >= HTTPStatus.BAD_REQUEST:
            _say(f"{self.command} {self.path} {status}")

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the stock per-request and error logging; ``log_request`` speaks instead."""


def _server_class(host: str) -> type[ThreadingHTTPServer]:
    """The HTTP server for an IPv4 or an IPv6 address."""
    if ":" not in host:
        return ThreadingHTTPServer

    class IPv6Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6

    return IPv6Server


def _url(host: str, port: int) -> str:
    """The address to open in a browser."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _hidden(name: str) -> bool:
    """Dotfiles, editor swap files and backups: never inputs."""
    return name.startswith(".") or name.endswith("~")


def snapshot(paths: Sequence[Path], skip: Path | None = None) -> frozenset[FileState]:
    """The state of every file under ``paths``, leaving out hidden files and ``skip``.

    ``skip`` is the output folder: a rebuild writes it, and it must not
    trigger the next rebuild when it lies inside a watched folder.
    """
    skipped = skip.resolve() if skip is not None else None
    found: set[FileState] = set()

    def add(path: str) -> None:
        try:
            status = os.stat(path)
        except OSError:
            return  # gone between listing and looking: the next poll sees it missing
        found.add((path, status.st_size, status.st_mtime_ns, status.st_ino))

    for watched in paths:
        if watched.is_file():
            add(str(watched))
            continue
        for folder, folders, files in os.walk(watched):
            folders[:] = sorted(
                name
                for name in folders
                if not _hidden(name) and Path(folder, name).resolve() != skipped
            )
            for name in files:
                if not _hidden(name):
                    add(os.path.join(folder, name))
    return frozenset(found)


def _rebuild(rebuild: Callable[[], None]) -> None:
    """Run one rebuild, reporting a failure in one line instead of stopping the server."""
    try:
        rebuild()
    except DigestError as error:
        _say(f"rebuild failed: {error}; still serving the previous build")
    except Exception as error:  # a preview server outlives any failed build
        _say(f"rebuild failed: {type(error).__name__}: {error}; still serving the previous build")
    else:
        _say("rebuilt")


def _watch(
    paths: Sequence[Path],
    rebuild: Callable[[], None],
    interval: float,
    stop: threading.Event,
    output: Path,
    built: frozenset[FileState],
) -> None:
    """Poll the inputs until ``stop`` is set; rebuild once they changed and then settled.

    ``built`` is the state of the inputs the current output was made from.
    """
    last_seen = built
    while not stop.wait(interval):
        now = snapshot(paths, output)
        if now != last_seen:
            last_seen = now  # still changing: wait one more poll for it to settle
            continue
        if now != built:
            _rebuild(rebuild)
            # Taken after the rebuild, so files it writes itself (the state
            # database beside the inputs, say) never set off the next one.
            built = last_seen = snapshot(paths, output)


def serve(
    folder: Path,
    *,
    port: int = 8000,
    host: str = "127.0.0.1",
    rebuild: Callable[[], None] | None = None,
    watch: Sequence[Path] = (),
    interval: float = 1.0,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Serve ``folder`` until ``stop`` is set (or Ctrl-C), rebuilding when ``watch`` changes.

    ``port`` 0 takes any free port; ``ready`` is called with the server's
    URL once it accepts connections.
    """
    output = folder.absolute()
    if not output.is_dir():
        raise ServeError(
            f"{output} is not a folder: there is nothing to preview",
            "run `digest build` first, or name the output folder",
        )
    handler = partial(PreviewHandler, directory=str(output))
    try:
        server = _server_class(host)((host, port), handler)
    except OSError as error:
        raise ServeError(
            f"cannot listen on {_url(host, port)}: {error.strerror or error}"
        ) from None
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": SHUTDOWN_POLL},
        name="digest-serve",
        daemon=True,
    )
    thread.start()
    stop = stop or threading.Event()
    try:
        watching = rebuild is not None and bool(watch)
        # Taken before announcing the server, so any change after ``ready`` is seen.
        built = snapshot(watch, output) if watching else frozenset()
        if ready is not None:
            ready(_url(host, server.server_address[1]))
        if rebuild is not None and watching:
            _watch(watch, rebuild, interval, stop, output, built)
        else:
            stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
