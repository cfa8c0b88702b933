"""Following a live-style feed through the state store: idempotent, incremental rebuilds.

A feed served on 127.0.0.1 is built twice with nothing new (byte-identical
output, answered 304), then once more after an entry is added: only the
brief that gained the entry changes, and a real feed reader (newsboat) shows
exactly that brief as updated and nothing else new.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import main
from tests.conftest import require_tool
from tests.httpserver import LoopbackServer, Reply, serve

ENTRIES = (
    (
        "ferry-strike",
        "Ferry crews walk out at Port Alder",
        datetime(2026, 10, 6, 9, 0, tzinfo=UTC),
        "Crews of the Port Alder ferry stopped work on Tuesday, October 6, 2026, after talks "
        "with the operator over night-shift pay broke down. The union said the strike would "
        "last a day. Commuters queued for buses along the harbour road.",
    ),
    (
        "bridge-closure",
        "Old Mill bridge shut for repairs",
        datetime(2026, 10, 13, 8, 30, tzinfo=UTC),
        "Engineers closed the Old Mill bridge in Harwick on Tuesday, October 13, 2026, after "
        "finding cracks in two of its supports. Drivers face a twelve-minute detour for at "
        "least six weeks. The council said repairs would cost 1.4 million.",
    ),
)
LATE_ENTRY = (
    "library-vote",
    "Riverton library gets new reading room",
    datetime(2026, 10, 15, 16, 0, tzinfo=UTC),
    "The Riverton library board voted on Thursday, October 15, 2026, to turn its old archive "
    "into a reading room for students. Work starts in January. The board chair said the room "
    "would stay open until ten every night.",
)


def rss(entries: tuple[tuple[str, str, datetime, str], ...]) -> bytes:
    """An RSS 2.0 document with full-text entries."""
    items = "".join(
        f"<item><guid>https://courier.example/{slug}</guid><title>{title}</title>"
        f"<link>https://courier.example/{slug}?utm_source=rss</link>"
        f"<pubDate>{format_datetime(when)}</pubDate><description>{text}</description></item>"
        for slug, title, when, text in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>The Harbour Courier</title><link>https://courier.example/</link>"
        f"<description>Local news</description>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as running:
        yield running


def _config(tmp_path: Path, url: str) -> Path:
    config = tmp_path / "digest.toml"
    config.write_text(
        '[site]\ntitle = "Harbour digest"\nid_domain = "digest.example"\n'
        'base_url = "https://news.example.org/"\n\n'
        f'[[sources]]\nname = "The Harbour Courier"\nurl = "{url}"\nkind = "feed"\n'
        'tags = ["harbour", "local"]\n'
    )
    return config


def _build(config: Path, now: str) -> None:
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--now", now, "-q"])
    assert result.exit_code == 0, result.output + result.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_rebuilds_are_idempotent_and_incremental(tmp_path: Path, server: LoopbackServer) -> None:
    first = rss(ENTRIES)
    server.route("/feed", Reply(200, first, (("ETag", '"v1"'),)), Reply(304))
    config = _config(tmp_path, server.url("/feed"))
    out = tmp_path / "output"

    _build(config, "2026-10-16T08:00:00+00:00")
    before = _tree(out)
    assert before, "the first build published nothing"
    # The source's tags become each entry's categories in the feeds.
    assert before["feed.xml"].count(b'<category term="harbour"/>') == 2
    assert b'<category term="local"/>' in before["stories.xml"]
    _build(config, "2026-10-16T10:00:00+00:00")
    assert server.requests_to("/feed")[1].header("if-none-match") == '"v1"'
    assert _tree(out) == before, "a rebuild with nothing new changed the output"

    server.route("/feed", Reply(200, rss((*ENTRIES, LATE_ENTRY)), (("ETag", '"v2"'),)))
    _build(config, "2026-10-16T12:00:00+00:00")
    after = _tree(out)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert "briefs/2026-w42/index.html" in changed
    assert "briefs/2026-w41/index.html" not in changed
    assert not any(path.startswith("briefs/2026-w41/") for path in changed)


def _newsboat(newsboat: str, home: Path) -> list[tuple[str, str, int]]:
    subprocess.run(
        [newsboat, "-u", "urls", "-c", "cache.db", "-C", "config", "-x", "reload"],
        cwd=home,
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
        timeout=60,
    )
    with sqlite3.connect(home / "cache.db") as db:
        rows = db.execute("select guid, title, unread from rss_item order by guid").fetchall()
    return [(str(guid), str(title), int(unread)) for guid, title, unread in rows]


def test_a_feed_reader_sees_only_the_changed_brief(tmp_path: Path, server: LoopbackServer) -> None:
    newsboat = require_tool("newsboat")
    server.route("/feed", Reply(200, rss(ENTRIES), (("ETag", '"v1"'),)), Reply(304))
    config = _config(tmp_path, server.url("/feed"))
    feed = tmp_path / "output" / "feed.xml"
    reader = tmp_path / "reader"
    reader.mkdir()
    (reader / "urls").write_text(f'"file://{feed}"\n')
    (reader / "config").write_text(f'reset-unread-on-update "file://{feed}"\n')

    _build(config, "2026-10-16T08:00:00+00:00")
    first = _newsboat(newsboat, reader)
    assert [guid for guid, _, _ in first] == [
        "tag:digest.example,2026:brief/2026-W41",
        "tag:digest.example,2026:brief/2026-W42",
    ]
    with sqlite3.connect(reader / "cache.db") as db:
        db.execute("update rss_item set unread = 0")

    _build(config, "2026-10-16T10:00:00+00:00")
    assert all(unread == 0 for _, _, unread in _newsboat(newsboat, reader))

    server.route("/feed", Reply(200, rss((*ENTRIES, LATE_ENTRY)), (("ETag", '"v2"'),)))
    _build(config, "2026-10-16T12:00:00+00:00")
    after = _newsboat(newsboat, reader)
    assert len(after) == 2, "the reader got a duplicate or a new item"
    assert [guid for guid, _, unread in after if unread] == [
        "tag:digest.example,2026:brief/2026-W42"
    ]


def test_a_rebuild_reuses_prepared_articles(
    tmp_path: Path, server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digest import pipeline

    server.route("/feed", Reply(200, rss(ENTRIES), (("ETag", '"v1"'),)), Reply(304))
    config = _config(tmp_path, server.url("/feed"))
    prepared: list[str] = []
    real_prepare = pipeline.prepare

    def counting(raw: object, settings: object) -> object:
        prepared.append(getattr(raw, "origin", ""))
        return real_prepare(raw, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "prepare", counting)
    _build(config, "2026-10-16T08:00:00+00:00")
    assert len(prepared) == len(ENTRIES)
    server.route("/feed", Reply(200, rss((*ENTRIES, LATE_ENTRY)), (("ETag", '"v2"'),)))
    _build(config, "2026-10-16T12:00:00+00:00")
    assert len(prepared) == len(ENTRIES) + 1, "the rebuild prepared old articles again"
