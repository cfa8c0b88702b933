"""Feed parsing: every flavour, and every way a feed document can be bad.

The case files in ``tests/cases/feeds/`` are whole feed documents
(``name.input``) beside what they must parse to (``name.expected``, JSON).
After an intended change, rewrite them with
``pytest tests/test_feeds.py --update-goldens`` and review the diff in git.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import json
import random
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from digest.feeds import (
    MAX_FEED_BYTES,
    FeedResult,
    html_to_paragraphs,
    looks_like_feed,
    parse_feed,
    read_feed_file,
    text_to_paragraphs,
)
from digest.model import Problem, RawInput
from digest.urls import TRACKING_PARAMETERS, strip_tracking
from tests.httpserver import serve

CASES = Path(__file__).resolve().parent / "cases" / "feeds"
ORIGIN = "https://news.example/feed"


def render(result: FeedResult) -> str:
    """A parse result as stable, reviewable JSON."""
    shown = {
        "title": result.title,
        "link": result.link,
        "is_feed": result.is_feed,
        "format": result.format,
        "entries": [dataclasses.asdict(entry) for entry in result.entries],
        "problems": [problem.line() for problem in result.problems],
    }
    return json.dumps(shown, indent=2, ensure_ascii=False) + "\n"


def rss(*items: str, channel: str = "<title>Test Wire</title>", declaration: str = "") -> bytes:
    """A small RSS 2.0 document around the given <item> elements."""
    body = "".join(items)
    return f'{declaration}<rss version="2.0"><channel>{channel}{body}</channel></rss>'.encode()


def item(text: str, *, guid: str = "g1", extra: str = "") -> str:
    """One RSS item with a fixed guid, so that tests compare like with like."""
    guid_element = f'<guid isPermaLink="false">{guid}</guid>'
    return f"<item>{guid_element}{extra}<description>{text}</description></item>"


# --- case files -------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES.glob("*.input")), ids=lambda path: path.stem)
def test_case_file(case: Path, request: pytest.FixtureRequest) -> None:
    actual = render(parse_feed(case.read_bytes(), origin=ORIGIN))
    expected_path = case.with_suffix(".expected")
    if request.config.getoption("--update-goldens"):
        expected_path.write_text(actual, encoding="utf-8")
        return
    if not expected_path.exists():
        pytest.fail(f"no {expected_path.name}; create it with `pytest --update-goldens`")
    expected = expected_path.read_text(encoding="utf-8")
    if expected != actual:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=expected_path.name,
            tofile="actual",
        )
        pytest.fail("parse result differs:\n" + "".join(diff))


def test_every_case_file_has_its_expectation() -> None:
    inputs = {path.stem for path in CASES.glob("*.input")}
    expectations = {path.stem for path in CASES.glob("*.expected")}
    assert inputs == expectations
    assert len(inputs) >= 6


# --- refusing dangerous documents ---------------------------------------------------


def test_entity_expansion_is_refused_before_any_parser_runs() -> None:
    # Quadratic blow-up: one large entity referenced many times (no nesting).
    big = "x" * 100_000
    document = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "{big}">]>'
        f'<rss version="2.0"><channel><item><description>{"&big;" * 10_000}'
        "</description></item></channel></rss>"
    ).encode()
    result = parse_feed(document, origin=ORIGIN)
    assert not result.is_feed and result.entries == ()
    [problem] = result.problems
    assert problem.reason.startswith("refused: the document declares XML entities")


def _external_entity_documents(secret: Path) -> Iterator[tuple[str, bytes]]:
    address = secret.as_uri()
    general = f'<!DOCTYPE rss [<!ENTITY leak SYSTEM "{address}">]>'
    parameter = f'<!DOCTYPE rss [<!ENTITY % leak SYSTEM "{address}"> %leak;]>'
    for name, doctype in (("general", general), ("parameter", parameter)):
        yield name, rss(item("before &leak; after"), declaration=doctype)
    yield "upper-case", rss(item("&leak;"), declaration=general.replace("ENTITY", "entity"))


def test_external_entities_are_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("CONFIDENTIAL-4711")
    for name, document in _external_entity_documents(secret):
        result = parse_feed(document, origin=ORIGIN)
        assert not result.is_feed, name
        assert [p.reason.split(" (")[0] for p in result.problems] == [
            "refused: the document declares XML entities"
        ], name
        assert "CONFIDENTIAL" not in render(result), name


def test_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    # No declaration in the document itself, so it is read; the DTD is not.
    dtd = tmp_path / "feed.dtd"
    dtd.write_text('<!ENTITY leak "CONFIDENTIAL-4711">')
    document = rss(
        item("before &leak; after"), declaration=f'<!DOCTYPE rss SYSTEM "{dtd.as_uri()}">'
    )
    result = parse_feed(document, origin=ORIGIN)
    assert "CONFIDENTIAL" not in render(result)


def test_document_bytes_are_never_opened_as_a_path(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss(item("CONFIDENTIAL-4711")))
    result = parse_feed(str(secret).encode(), origin=ORIGIN)
    assert not result.is_feed
    assert "CONFIDENTIAL" not in render(result)


def test_document_bytes_are_never_fetched_as_an_address() -> None:
    with serve() as server:
        result = parse_feed(server.url("/feed.xml").encode(), origin=ORIGIN)
        assert server.requests == []
    assert not result.is_feed


# --- documents that are not feeds ------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"", "empty document"),
        (b" \n\t\r\n ", "empty document"),
        (b"\xef\xbb\xbf  \n", "empty document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary data, not a feed"),
        (b"\x1f\x8b\x08\x00" + bytes(64), "binary data, not a feed"),
        (b'{"title": "not a feed"}', "not a feed (JSON, but not a JSON Feed)"),
        (b'["https://jsonfeed.org/version/1.1"]', "not a feed (JSON, but not a JSON Feed)"),
        (b"[" * 100_000, "not a feed (invalid JSON: "),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
            "not a feed (invalid JSON: ",
        ),
        (b"Just some words, not markup at all.", "not a feed (no RSS, Atom or JSON Feed found)"),
        (b"<html><body><p>Hi</p></body></html>", "not a feed (looks like an HTML page)"),
        (b"<!-- x -->\n<!doctype HTML>\n<p>Hi", "not a feed (looks like an HTML page)"),
    ],
)
def test_non_feed_gives_one_clear_problem(document: bytes, reason: str) -> None:
    result = parse_feed(document, origin=ORIGIN)
    assert (result.is_feed, result.entries, result.title) == (False, (), None)
    [problem] = result.problems
    assert problem.origin == ORIGIN and problem.severity == "skipped"
    assert problem.reason.startswith(reason)


def test_huge_document_is_refused_unread() -> None:
    result = parse_feed(b" " * (MAX_FEED_BYTES + 1), origin=ORIGIN)
    assert [p.reason for p in result.problems] == ["too large for a feed (10.0 MB > 10 MB)"]


def test_json_feed_whose_items_are_not_a_list_is_a_feed_with_a_problem() -> None:
    document = b'{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": {}}'
    result = parse_feed(document, origin=ORIGIN)
    assert (result.is_feed, result.title, result.entries) == (True, "T", ())
    assert [p.reason for p in result.problems] == ["malformed JSON Feed: 'items' is not a list"]


def test_json_feed_with_lone_surrogate_escapes_reads_with_replacement_characters() -> None:
    document = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Wire \\ud800",'
        b' "items": [{"title": "Vote \\udc00 passes", "content_text": "Half a pair \\ud83d'
        b' stands alone here.", "date_published": "2026-11-20T10:00:00Z"}]}'
    )
    result = parse_feed(document, origin=ORIGIN)
    assert result.problems == () and result.title == "Wire \ufffd"
    [entry] = result.entries
    assert entry.title == "Vote \ufffd passes"
    assert "Half a pair \ufffd stands" in entry.text
    (entry.text + (entry.input_id or "")).encode("utf-8")


def test_json_feed_values_of_the_wrong_type_are_ignored() -> None:
    document = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": ["not", "text"],
            "items": [
                {
                    "id": True,
                    "url": 7,
                    "title": {"x": 1},
                    "content_text": "Text survives.",
                    "date_published": 20240101,
                    "authors": "nobody",
                    "tags": "one",
                }
            ],
        }
    ).encode()
    result = parse_feed(document, origin=ORIGIN, source_name="Configured")
    [entry] = result.entries
    assert result.title is None
    assert (entry.text, entry.title, entry.url, entry.published) == (
        "Text survives.",
        None,
        None,
        None,
    )
    assert (entry.author, entry.tags, entry.source) == (None, (), "Configured")
    assert entry.input_id is not None and entry.input_id.startswith("entry-")


# --- encodings ----------------------------------------------------------------------


def test_content_type_charset_is_honoured_without_a_declaration() -> None:
    document = rss(item("Fête annulée")).decode().encode("iso-8859-1")
    result = parse_feed(document, origin=ORIGIN, content_type="text/xml; charset=ISO-8859-1")
    assert [e.text for e in result.entries] == ["Fête annulée"]
    assert result.problems == ()


def test_declaration_is_preferred_to_a_server_default_charset() -> None:
    text = '<?xml version="1.0" encoding="windows-1251"?>' + rss(item("Новости дня")).decode()
    result = parse_feed(
        text.encode("cp1251"), origin=ORIGIN, content_type="application/xml; charset=iso-8859-1"
    )
    assert [e.text for e in result.entries] == ["Новости дня"]
    assert result.problems == ()


def test_utf8_declared_as_latin1_is_read_as_utf8_with_a_warning() -> None:
    declaration = '<?xml version="1.0" encoding="ISO-8859-1"?>'
    result = parse_feed(rss(item("Fête – annulée"), declaration=declaration), origin=ORIGIN)
    assert [e.text for e in result.entries] == ["Fête – annulée"]
    assert [p.line() for p in result.problems] == [
        f"{ORIGIN}: warning: encoding declared as ISO-8859-1 but the bytes are UTF-8; read as UTF-8"
    ]


def test_undeclared_legacy_encoding_is_guessed_with_a_warning() -> None:
    text = "Der Bürgermeister eröffnete die Brücke über den Fluss am Donnerstag."
    document = rss(item(text)).decode().encode("cp1252")
    result = parse_feed(document, origin=ORIGIN)
    assert [e.text for e in result.entries] == [text]
    [warning] = result.problems
    assert warning.severity == "warning"
    assert warning.reason.startswith("encoding not declared; read as ")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_a_byte_order_mark(codec: str) -> None:
    declaration = f'<?xml version="1.0" encoding="{codec[:6].upper()}"?>'
    document = rss(item("Fähre fährt"), declaration=declaration).decode().encode(codec)
    result = parse_feed(document, origin=ORIGIN)
    assert [e.text for e in result.entries] == ["Fähre fährt"]


# --- entries --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stated", "published"),
    [
        ("Tue, 05 Mar 2024 10:00:00 +0200", "2024-03-05T10:00:00+02:00"),
        ("Tue, 05 Mar 2024 10:00:00 EST", "2024-03-05T10:00:00-05:00"),
        ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05T10:00:00+00:00"),
        ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00+00:00"),
        ("2024-03-05T10:00:00.250-03:30", "2024-03-05T10:00:00.250000-03:30"),
        ("Tue, 05 Mar 2024 10:00:00", "2024-03-05T10:00:00"),
        ("yesterday-ish", None),
        ("Tue, 31 Feb 2024 10:00:00 GMT", None),
    ],
)
def test_published_keeps_the_stated_offset(stated: str, published: str | None) -> None:
    result = parse_feed(rss(item("Text.", extra=f"<pubDate>{stated}</pubDate>")), origin=ORIGIN)
    assert [e.published for e in result.entries] == [published]


def test_source_is_the_feed_title_else_the_configured_name() -> None:
    titled = parse_feed(rss(item("Text.")), origin=ORIGIN, source_name="Wire (config)")
    untitled = parse_feed(
        rss(item("Text."), channel=""), origin=ORIGIN, source_name="Wire (config)"
    )
    assert [(e.source, e.source_name) for e in titled.entries] == [("Test Wire", "Wire (config)")]
    assert [(e.source, e.source_name) for e in untitled.entries] == [("Wire (config)",) * 2]


def test_minted_ids_do_not_depend_on_position() -> None:
    first = "<item><title>One</title><link>https://x.example/1</link><description>A.</description></item>"
    second = "<item><title>Two</title><description>B.</description></item>"
    forwards = parse_feed(rss(first, second), origin=ORIGIN).entries
    backwards = parse_feed(rss(second, first), origin=ORIGIN).entries
    assert {e.title: e.input_id for e in forwards} == {e.title: e.input_id for e in backwards}
    assert len({e.input_id for e in forwards}) == 2
    assert all(e.origin == f"{ORIGIN}#{e.input_id}" for e in forwards)


def test_relative_links_resolve_against_a_fetched_feed_only() -> None:
    document = rss(item("Text.", extra="<link>/news/1?utm_medium=rss</link>"))
    fetched = parse_feed(document, origin="https://wire.example/feeds/all.xml")
    saved = parse_feed(document, origin="/home/user/all.xml")
    assert [e.url for e in fetched.entries] == ["https://wire.example/news/1"]
    assert [e.url for e in saved.entries] == ["/news/1"]


def test_entry_kind_and_all_fields_are_records_not_markup() -> None:
    escaped = xml_escape('<p>One <a href="javascript:x()" onclick="y()">link</a>.</p><p>Two.</p>')
    result = parse_feed(rss(item(escaped)), origin=ORIGIN)
    [entry] = result.entries
    assert isinstance(entry, RawInput) and entry.kind == "feed"
    assert entry.text == "One link.\n\nTwo."


# --- HTML to paragraphs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "paragraphs"),
    [
        ("<p>One</p><p>Two</p>", ("One", "Two")),
        (
            "First line<br>same paragraph<br><br>New paragraph",
            ("First line same paragraph", "New paragraph"),
        ),
        ("<div>Outer <div>inner</div> tail</div>", ("Outer", "inner", "tail")),
        ("<ul><li>Apples</li><li>Pears</li></ul>", ("Apples", "Pears")),
        (
            "<table><tr><td>Goals</td><td>3</td></tr><tr><td>Saves</td><td>5</td></tr></table>",
            ("Goals 3", "Saves 5"),
        ),
        ("<p>Caf\u0065\u0301 &amp; bar&nbsp;ouvert</p>", ("Café & bar ouvert",)),
        ("<p>&amp;amp; stays one level escaped</p>", ("&amp; stays one level escaped",)),
        ("<p>co\u00adop\u200beration</p>", ("cooperation",)),
        ("<p>Kept</p><script>var secret = 1;</script><style>.x{}</style>", ("Kept",)),
        ("<iframe src='x'>Frame text</iframe><noscript>Enable JS</noscript><p>Kept</p>", ("Kept",)),
        ("<svg><text>Chart label</text></svg><!-- note --><p>Kept</p>", ("Kept",)),
        ("<p>Unclosed <b>bold", ("Unclosed bold",)),
        ("<p>\x00Control\x08 chars\ufffe</p>", ("Control chars",)),
        ("", ()),
        ("<p> \n </p>", ()),
    ],
)
def test_html_to_paragraphs(fragment: str, paragraphs: tuple[str, ...]) -> None:
    assert html_to_paragraphs(fragment) == paragraphs


def test_deep_nesting_is_flattened_and_keeps_its_text() -> None:
    # Unflattened, the sanitiser's time grows with the square of the depth and
    # lxml silently drops text nested below 256 levels.
    assert html_to_paragraphs("<div>" * 5000 + "deep" + "</div>" * 5000) == ("deep",)
    unclosed = html_to_paragraphs("<blockquote>word " * 3000)
    assert " ".join(unclosed).split() == ["word"] * 3000


def test_runs_of_self_ending_blocks_are_not_nesting() -> None:
    assert html_to_paragraphs("<p>para " * 500) == ("para",) * 500
    assert html_to_paragraphs("<ul>" + "<li>item" * 500 + "</ul>") == ("item",) * 500


_XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\n\t  "),
    max_size=200,
)


@given(st.lists(_XML_TEXT, max_size=5))
def test_escaped_paragraphs_come_back_whole(texts: list[str]) -> None:
    fragment = "".join(f"<p>{html.escape(text)}</p>" for text in texts)
    expected = tuple(p for text in texts for p in text_to_paragraphs(text.replace("\n", " ")))
    assert html_to_paragraphs(fragment) == expected


@given(_XML_TEXT, _XML_TEXT, st.text(st.characters(blacklist_characters="<"), max_size=50))
def test_active_content_never_survives(before: str, after: str, code: str) -> None:
    fragment = (
        f"<p onclick='steal()'>{html.escape(before)}</p>"
        f"<script>MARKER{code}</script><style>MARKER{code}</style>"
        f"<p>{html.escape(after)}</p>"
    )
    text = "\n\n".join(html_to_paragraphs(fragment))
    assert "MARKER" not in text or "MARKER" in before + after
    assert "steal()" not in text or "steal()" in before + after


def _looks_like_misread_utf8(text: str) -> bool:
    try:
        return text.encode("latin-1").decode("utf-8") != text
    except UnicodeError:
        return False


@settings(max_examples=60, deadline=None)
@given(_XML_TEXT)
def test_description_text_round_trips_through_a_feed(text: str) -> None:
    # feedparser repairs UTF-8 that was mis-read as Latin-1 ("Ã©" becomes "é"),
    # so text that looks exactly like such a misreading is not expected back.
    assume(not _looks_like_misread_utf8(text))
    document = rss(item(xml_escape(html.escape(text))))
    result = parse_feed(document, origin=ORIGIN)
    expected = "\n\n".join(text_to_paragraphs(text))
    assert [e.text for e in result.entries] == ([expected] if expected else [])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = parse_feed(data, origin=ORIGIN)
    assert all(isinstance(p, Problem) for p in result.problems)
    if not result.is_feed:
        assert result.entries == () and len(result.problems) == 1


_FEED_PREFIXES = [
    b'<?xml version="1.0"?><rss version="2.0"><channel><item><description>',
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><content type="html">',
    b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "x", "content_html": "',
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_FEED_PREFIXES), st.binary(max_size=300))
def test_feeds_cut_short_or_garbled_never_raise(prefix: bytes, tail: bytes) -> None:
    result = parse_feed(prefix + tail, origin=ORIGIN)
    for entry in result.entries:
        assert entry.kind == "feed" and entry.text.strip()


# --- sniffing and files ------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES.glob("*.input")), ids=lambda path: path.stem)
def test_looks_like_feed_agrees_with_the_parser(case: Path) -> None:
    data = case.read_bytes()
    refused = "refused" in case.stem
    assert looks_like_feed(data) == (parse_feed(data, origin=ORIGIN).is_feed or refused)


def test_looks_like_feed_says_no_to_other_documents() -> None:
    assert not looks_like_feed(b"")
    assert not looks_like_feed(b'{"name": "package.json"}')
    assert not looks_like_feed(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>')
    assert not looks_like_feed(b"\x00\x01\x02binary")
    assert looks_like_feed(b'<?xml version="1.0"?>\n<!-- generated -->\n<rss version="2.0">')


def test_read_feed_file_yields_problems_then_entries(tmp_path: Path) -> None:
    path = tmp_path / "wire.xml"
    path.write_bytes((CASES / "rss20_truncated_mid_item.input").read_bytes())
    items = list(read_feed_file(path))
    kinds = [type(found).__name__ for found in items]
    assert kinds == ["Problem", "Problem", "RawInput", "RawInput"]
    assert all(found.origin.startswith(str(path)) for found in items)


def test_read_feed_file_reports_unreadable_and_huge_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.xml"
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FEED_BYTES + 1)  # sparse: refused by its size, never read
    [unreadable] = read_feed_file(missing)
    [too_large] = read_feed_file(huge)
    assert isinstance(unreadable, Problem) and isinstance(too_large, Problem)
    assert unreadable.reason.startswith("cannot read")
    assert too_large.reason == "too large for a feed (10.0 MB > 10 MB)"


# --- tracking parameters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://x.example/a?utm_source=rss&id=3&fbclid=zz", "https://x.example/a?id=3"),
        ("https://x.example/a?UTM_Campaign=x&gclid=1&mc_cid=2&mc_eid=3", "https://x.example/a"),
        ("https://x.example/a?ref_src=twsrc%5Etfw", "https://x.example/a"),
        ("https://x.example/a#utm_source=feed&utm_medium=rss", "https://x.example/a"),
        ("https://x.example/a?page=2#section-2", "https://x.example/a?page=2#section-2"),
        ("https://x.example/a?ref=home", "https://x.example/a?ref=home"),
        ("http://[::1", "http://[::1"),
        ("  https://x.example/a  ", "https://x.example/a"),
    ],
)
def test_strip_tracking(url: str, clean: str) -> None:
    assert strip_tracking(url) == clean


_KEEP_KEYS = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6).filter(
    lambda key: not key.startswith("utm_") and key not in TRACKING_PARAMETERS
)
_VALUES = st.text("abcXYZ0123-._~%", max_size=8)
_TRACKING_KEYS = st.sampled_from(["utm_source", "utm_medium", "fbclid", "gclid", "mc_eid"])


@given(
    st.lists(st.tuples(_KEEP_KEYS, _VALUES), max_size=4),
    st.lists(st.tuples(_TRACKING_KEYS, _VALUES), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
)
def test_tracking_is_removed_wherever_it_sits(
    kept: list[tuple[str, str]], tracking: list[tuple[str, str]], order: random.Random
) -> None:
    base = "https://news.example/story"
    clean = base + ("?" + "&".join(f"{k}={v}" for k, v in kept) if kept else "")
    mixed = list(kept)
    for pair in tracking:
        mixed.insert(order.randrange(len(mixed) + 1), pair)
    tracked = base + "?" + "&".join(f"{k}={v}" for k, v in mixed)
    assert strip_tracking(tracked) == clean
    assert strip_tracking(clean) == clean
