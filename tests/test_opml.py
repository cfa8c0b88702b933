"""OPML: importing a feed reader's list, exporting ours, appending to digest.toml."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.config import ConfigError, SourceConfig, load_config
from digest.opml import append_sources, export_opml, import_opml, read_opml, toml_string

READER_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="News" title="News">
      <outline text="Local">
        <outline type="rss" text="Harbour Courier" xmlUrl="https://courier.example/feed.xml"
                 htmlUrl="https://courier.example/"/>
      </outline>
      <outline type="rss" title="Valley   Ledger" xmlurl="http://ledger.example/rss"/>
    </outline>
    <outline text="Transport">
      <outline type="rss" text="Harbour Courier" xmlUrl="https://courier.example/feed.xml"/>
      <outline type="rss" text="Harbour Courier" xmlUrl="https://courier.example/ferries.xml"/>
    </outline>
    <outline type="rss" xmlUrl="https://wire.example/atom" category="/World/Europe,/Wire"/>
    <outline type="link" text="A page, not a feed" url="https://example.org/"/>
  </body>
</opml>
"""


def feed(name: str, url: str, tags: tuple[str, ...] = ()) -> SourceConfig:
    """A feed source as import produces it."""
    return SourceConfig(name=name, url=url, path=None, kind="feed", tags=tags)


def test_folders_become_tags_and_each_feed_is_imported_once() -> None:
    assert import_opml(READER_EXPORT) == (
        feed("Harbour Courier", "https://courier.example/feed.xml", ("News", "Local", "Transport")),
        feed("Valley Ledger", "http://ledger.example/rss", ("News",)),
        feed(
            "Harbour Courier (courier.example)",
            "https://courier.example/ferries.xml",
            ("Transport",),
        ),
        feed("wire.example", "https://wire.example/atom", ("World", "Europe", "Wire")),
    )


def test_an_outline_with_a_bad_feed_address_is_reported_and_the_rest_imported() -> None:
    data = b"""<opml version="2.0"><body>
        <outline text="Relative" xmlUrl="/feed.xml"/>
        <outline text="Good" xmlUrl="https://good.example/feed"/>
    </body></opml>"""

    result = read_opml(data, "subs.opml")

    assert [s.name for s in result.sources] == ["Good"]
    assert [p.line() for p in result.problems] == [
        "subs.opml: skipped: outline 'Relative': expected an absolute http:// or https:// URL;"
        " got '/feed.xml'"
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<opml version="2.0"><body><outline text="&lol2;" xmlUrl="https://x.example/"/></body></opml>
"""


@pytest.mark.parametrize(
    "data",
    [
        BILLION_LAUGHS,
        BILLION_LAUGHS.decode().replace("<!DOCTYPE", "<!doctype").encode(),
        BILLION_LAUGHS.decode().encode("utf-16"),
        b'<!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml/>',
    ],
    ids=["entities", "lower-case", "utf-16", "external"],
)
def test_a_document_with_a_dtd_is_refused_whole(data: bytes) -> None:
    result = read_opml(data, "subs.opml")

    assert result.sources == ()
    assert [p.reason for p in result.problems] == [
        "has a DTD or entity declarations, which OPML never needs; refused"
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not well-formed XML: no element found: line 1, column 0"),
        (b"<opml><body><outline", "not well-formed XML: unclosed token: line 1, column 12"),
        (b"<rss version='2.0'/>", "not an OPML document (its root element is <rss>)"),
        (b"<opml version='2.0'><body/></opml>", "no feed outlines (xmlUrl) found"),
    ],
    ids=["empty", "truncated", "not-opml", "no-feeds"],
)
def test_a_document_that_is_not_a_feed_list_is_one_problem(data: bytes, reason: str) -> None:
    result = read_opml(data)

    assert result.sources == ()
    assert [p.reason for p in result.problems] == [reason]


# Pieces of OPML and of the ways it goes wrong, shuffled into near-documents.
OPML_PIECES = st.lists(
    st.sampled_from(
        [
            b"<?xml version='1.0' encoding='",
            b"utf-8",
            b"utf-32",
            b"bogus",
            b"'?>",
            b"<opml version='2.0'>",
            b"<body>",
            b'<outline text="',
            b'" xmlUrl="',
            b'" category="',
            b"https://a.example/feed",
            b"http://[::1",
            b"https://a.example:99999/",
            b"/,/",
            b"&amp;",
            b'">',
            b'"/>',
            b"</outline>",
            b"</body>",
            b"</opml>",
        ]
    )
    | st.binary(max_size=4),
    max_size=30,
).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | OPML_PIECES)
def test_any_bytes_give_sources_or_problems_never_an_exception(data: bytes) -> None:
    result = read_opml(data)

    assert result.sources or result.problems


# --- export ----------------------------------------------------------------------------

SOURCES = (
    feed("Harbour Courier", "https://courier.example/feed.xml", ("local", "transport")),
    SourceConfig(name="Scraped", url=None, path=Path("/srv/articles"), kind="text"),
    feed("Valley & Ledger", "http://ledger.example/rss?x=1&y=2"),
    SourceConfig(name="Front page", url="https://page.example/", path=None, kind="html"),
    feed("Wire", "https://wire.example/atom", ("local",)),
)


def test_export_writes_feeds_in_folders_named_for_their_first_tag() -> None:
    assert export_opml(SOURCES, "Harbour <news>").decode() == (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<opml version="2.0">\n'
        "  <head>\n"
        "    <title>Harbour &lt;news&gt;</title>\n"
        "  </head>\n"
        "  <body>\n"
        '    <outline text="local" title="local">\n'
        '      <outline type="rss" text="Harbour Courier" title="Harbour Courier"'
        ' xmlUrl="https://courier.example/feed.xml" category="/local,/transport" />\n'
        '      <outline type="rss" text="Wire" title="Wire" xmlUrl="https://wire.example/atom"'
        ' category="/local" />\n'
        "    </outline>\n"
        '    <outline type="rss" text="Valley &amp; Ledger" title="Valley &amp; Ledger"'
        ' xmlUrl="http://ledger.example/rss?x=1&amp;y=2" />\n'
        "  </body>\n"
        "</opml>\n"
    )


NAMES = (
    st.text(st.characters(categories=["L", "N"]) | st.sampled_from(" &<>\"'"), min_size=1)
    .map(lambda text: " ".join(text.split()))
    .filter(bool)
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(NAMES, st.lists(NAMES.filter(lambda t: "," not in t), max_size=3)),
        max_size=8,
        unique_by=lambda pair: pair[0].casefold(),
    )
)
def test_importing_an_export_gives_back_the_same_feeds(
    entries: list[tuple[str, list[str]]],
) -> None:
    sources = tuple(
        feed(name, f"https://feed{n}.example/rss", tuple(dict.fromkeys(tags)))
        for n, (name, tags) in enumerate(entries)
    )
    # Export groups feeds by first tag, so compare by address, not by position.
    imported = {s.url: s for s in import_opml(export_opml(sources, "Mine"))}

    assert imported == {s.url: s for s in sources}


# --- appending to digest.toml ----------------------------------------------------------

CONFIG = """\
# My digest. Keep this comment.
[site]
title = "Harbour news"   # shown in the feed
id_domain = "example.org"

[[sources]]
name = "Harbour Courier"
url = "https://courier.example/feed.xml"

# Local files below.
[[sources]]
name = "Scraped"
path = "articles"
"""


def test_appending_keeps_the_file_and_adds_only_new_sources(tmp_path: Path) -> None:
    path = tmp_path / "digest.toml"
    path.write_text(CONFIG, encoding="utf-8")
    path.chmod(0o640)
    new = (
        feed("Harbour Courier", "https://courier.example/feed.xml", ("dup-url",)),
        SourceConfig(name="Scraped again", url=None, path=tmp_path / "articles"),
        feed("Harbour Courier", "https://courier.example/ferries.xml", ("transport",)),
        feed('Ledger "Valley"', "http://ledger.example/rss"),
        feed("Ledger again", "http://ledger.example/rss"),
    )

    assert append_sources(path, new) == 2

    text = path.read_text(encoding="utf-8")
    assert text.startswith(CONFIG)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [(s.name, s.url) for s in load_config(path).sources[2:]] == [
        ("Harbour Courier (courier.example)", "https://courier.example/ferries.xml"),
        ('Ledger "Valley"', "http://ledger.example/rss"),
    ]
    assert load_config(path).sources[2].tags == ("transport",)
    assert append_sources(path, new) == 0
    assert path.read_text(encoding="utf-8") == text


def test_appending_to_a_config_that_lists_sources_inline_is_refused_untouched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "digest.toml"
    original = (
        'sources = [{ name = "A", url = "https://a.example/" }]\n'
        '[site]\ntitle = "T"\nid_domain = "example.org"\n'
    )
    path.write_text(original, encoding="utf-8")

    with pytest.raises(ConfigError, match="not valid TOML"):
        append_sources(path, (feed("B", "https://b.example/feed"),))

    assert path.read_text(encoding="utf-8") == original
    assert [p.name for p in tmp_path.iterdir()] == ["digest.toml"]


def test_appending_to_a_broken_config_names_it(tmp_path: Path) -> None:
    path = tmp_path / "digest.toml"
    path.write_text("[site\n", encoding="utf-8")

    with pytest.raises(ConfigError, match="cannot add sources"):
        append_sources(path, (feed("B", "https://b.example/feed"),))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_survives_as_a_toml_string(text: str) -> None:
    assert tomllib.loads(f"value = {toml_string(text)}")["value"] == text
