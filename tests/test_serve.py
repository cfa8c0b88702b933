"""The preview server, fetched over loopback while it runs in a thread."""

from __future__ import annotations

import queue
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from digest.errors import DigestError
from digest.model import OutputFile
from digest.serve import ServeError, serve, snapshot
from digest.write import write_tree

# Generous: only reached when something is broken, never part of a passing run's time.
PATIENCE = 10.0
# Polls short enough that a rebuild follows a change quickly.
INTERVAL = 0.02

# Direct connections only: a proxy set in the environment must not see loopback requests.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

SITE = (
    OutputFile("index.html", b"<h1>All briefs</h1>"),
    OutputFile("briefs/2020-w40/index.html", b"<h1>Week 40</h1>"),
    OutputFile("404.html", b"<h1>No such page</h1>"),
)


def fetch(url: str) -> tuple[int, bytes, Message]:
    """Status, body and headers (names in any case) of a GET, whatever the status."""
    try:
        with _OPENER.open(url, timeout=PATIENCE) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read(), error.headers


@contextmanager
def running(folder: Path, **options: Any) -> Iterator[str]:
    """``serve`` in a thread for the length of a ``with`` block; yields its URL."""
    urls: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            serve(folder, port=0, ready=urls.put, stop=stop, **options)
        except BaseException as error:
            failures.append(error)
            urls.put("")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    url = urls.get(timeout=PATIENCE)
    try:
        if failures:
            raise failures[0]
        yield url
    finally:
        stop.set()
        thread.join(PATIENCE)
        assert not thread.is_alive(), "serve did not stop when asked"


def wait_for(condition: Callable[[], bool]) -> None:
    """Return once ``condition`` holds; fail if it never does."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the condition never held")
        time.sleep(INTERVAL)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "output"
    write_tree(SITE, out)
    return out


def test_serves_the_index_and_a_brief_page_over_loopback(site: Path) -> None:
    with running(site) as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        status, body, headers = fetch(url)
        assert (status, body) == (200, b"<h1>All briefs</h1>")
        assert headers["Content-Type"] == "text/html"
        assert headers["Cache-Control"] == "no-store", "a reload shows the latest build"
        assert fetch(url + "briefs/2020-w40/")[:2] == (200, b"<h1>Week 40</h1>")


def test_a_missing_page_gets_the_sites_404_page_and_status(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with running(site) as url:
        fetch(url)
        status, body, headers = fetch(url + "briefs/2031-w01/")
    assert (status, body) == (404, b"<h1>No such page</h1>")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert capsys.readouterr().err == "GET /briefs/2031-w01/ 404\n", "only the failure is logged"


def test_without_a_404_page_a_missing_path_gets_the_plain_one(tmp_path: Path) -> None:
    write_tree(SITE[:2], tmp_path / "output")
    with running(tmp_path / "output") as url:
        status, body, _ = fetch(url + "nowhere.html")
    assert status == 404 and b"File not found" in body


def test_a_build_that_replaces_the_folder_is_served_at_once(site: Path) -> None:
    with running(site) as url:
        assert fetch(url)[1] == b"<h1>All briefs</h1>"
        write_tree((OutputFile("index.html", b"<h1>Rebuilt</h1>"),), site)
        assert fetch(url)[:2] == (200, b"<h1>Rebuilt</h1>")
        assert fetch(url + "briefs/2020-w40/")[0] == 404


def test_a_changed_input_rebuilds_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "articles"
    inputs.mkdir()
    article = inputs / "one.txt"
    article.write_text("First version.")
    # The output and a state file inside the watched folder: a rebuild writes
    # both, and that must not set off another rebuild.
    out = inputs / "output"
    builds: list[str] = []

    def rebuild() -> None:
        text = article.read_text()
        builds.append(text)
        write_tree((OutputFile("index.html", text.encode()),), out)
        (inputs / "digest.db").write_text(f"{len(builds)} builds")

    rebuild()
    builds.clear()
    with running(out, rebuild=rebuild, watch=(inputs,), interval=INTERVAL) as url:
        article.write_text("Second, longer version.")
        wait_for(lambda: len(builds) == 1)
        assert fetch(url)[1] == b"Second, longer version."
        # Many more polls pass; neither the rebuild's own output nor anything else changes.
        time.sleep(INTERVAL * 15)
        assert builds == ["Second, longer version."]
    assert capsys.readouterr().err == "rebuilt\n"


def test_a_failed_rebuild_keeps_the_previous_build_up(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "articles"
    inputs.mkdir()
    calls: list[int] = []

    def rebuild() -> None:
        calls.append(1)
        raise DigestError("no article could be read")

    with running(site, rebuild=rebuild, watch=(inputs,), interval=INTERVAL) as url:
        (inputs / "new.txt").write_text("An article.")
        wait_for(lambda: len(calls) == 1)
        assert fetch(url)[:2] == (200, b"<h1>All briefs</h1>")
    assert capsys.readouterr().err == (
        "rebuild failed: no article could be read; still serving the previous build\n"
    )


def test_an_unexpected_rebuild_error_is_one_line_too(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "one.txt"
    source.write_text("a")
    calls: list[int] = []

    def rebuild() -> None:
        calls.append(1)
        raise KeyError("headline")

    with running(site, rebuild=rebuild, watch=(source,), interval=INTERVAL):
        source.write_text("ab")
        wait_for(lambda: len(calls) == 1)
    err = capsys.readouterr().err
    assert err == "rebuild failed: KeyError: 'headline'; still serving the previous build\n"


def test_snapshot_sees_added_changed_replaced_and_removed_files_but_not_hidden_ones(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("two")
    before = snapshot((tmp_path,))
    assert {Path(state[0]).name for state in before} == {"a.txt", "b.md"}
    for hidden in (".a.txt.swp", "a.txt~"):
        (tmp_path / hidden).write_text("editor")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "index").write_text("x")
    assert snapshot((tmp_path,)) == before
    (tmp_path / "sub" / "b.md").write_text("two, longer")
    assert snapshot((tmp_path,)) != before
    changed = snapshot((tmp_path,))
    replacement = tmp_path / "replacement"
    replacement.write_text("one")
    replacement.replace(tmp_path / "a.txt")
    assert snapshot((tmp_path,)) != changed, "a file replaced by rename is a change"
    (tmp_path / "a.txt").unlink()
    assert {Path(state[0]).name for state in snapshot((tmp_path,))} == {"b.md"}
    assert snapshot((tmp_path / "missing",)) == frozenset()


def test_snapshot_leaves_out_the_output_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one")
    write_tree(SITE, tmp_path / "output")
    assert {Path(s[0]).name for s in snapshot((tmp_path,), tmp_path / "output")} == {"a.txt"}


def test_a_busy_port_is_one_clear_error(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError) as caught:
            serve(site, port=port, stop=threading.Event())
    assert str(caught.value) == f"cannot listen on http://127.0.0.1:{port}/: Address already in use"
    assert "--port" in caught.value.hint


def test_a_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ServeError, match="nothing to preview"):
        serve(tmp_path / "output", port=0, stop=threading.Event())
