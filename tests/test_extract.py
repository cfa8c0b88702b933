"""Web pages to article text: case files, the boilerplate rules, and hostile input.

Each ``tests/cases/extract/NAME.html`` is a small page written for one behaviour
its name states; ``NAME.expected`` holds the extracted page as JSON (``null`` when
the page holds no article). After an intended change, rewrite them with
``pytest tests/test_extract.py --update-goldens`` and review the diff.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.extract import (
    ExtractedPage,
    canonical_url,
    decode_html,
    extract_page,
    looks_like_feed,
    page_language,
    parse_html,
)
from digest.htmlclean import (
    Block,
    BlockKind,
    boilerplate_reason,
    keep_article_blocks,
    make_block,
)

CASES = Path(__file__).resolve().parent / "cases" / "extract"
CASE_FILES = sorted(CASES.glob("*.html"))
# Case pages are read as of this day, so that no date in them depends on the clock.
REFERENCE_DAY = date(2025, 1, 1)


def page_as_json(page: ExtractedPage | None) -> str:
    """The extracted page as the JSON stored in a case's ``.expected`` file."""
    record = None if page is None else asdict(page)
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("case", CASE_FILES, ids=[case.stem for case in CASE_FILES])
def test_case(case: Path, request: pytest.FixtureRequest) -> None:
    actual = page_as_json(extract_page(case.read_bytes(), latest=REFERENCE_DAY))
    expected_file = case.with_suffix(".expected")
    if request.config.getoption("--update-goldens"):
        expected_file.write_text(actual, encoding="utf-8")
        return
    assert expected_file.exists(), f"no {expected_file.name}; create it with --update-goldens"
    assert actual == expected_file.read_text(encoding="utf-8")


def test_every_case_has_its_expected_file() -> None:
    expected = sorted(path.stem for path in CASES.glob("*.expected"))
    assert expected == [case.stem for case in CASE_FILES]


# --- what the page says about itself ---------------------------------------------------


def article(body: str, head: str = "") -> str:
    """A page with the given head elements around a body long enough to extract."""
    paragraphs = "".join(
        f"<p>Paragraph {n} says that the bridge over the river will close for repairs "
        f"in the spring, and that a ferry will carry people across while it is shut.</p>"
        for n in range(1, 4)
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head>"
        f"<body><article><h1>Bridge to close</h1>{body}{paragraphs}</article></body></html>"
    )


def test_text_is_composed_and_free_of_soft_hyphens() -> None:
    page = extract_page(article("<p>In Mu\u0308nchen im Mit\u00adtel\u00adal\u00adter.</p>"))
    assert page is not None
    assert "In München im Mittelalter." in page.paragraphs


def test_result_does_not_depend_on_pages_read_before() -> None:
    first = extract_page(CASE_FILES[0].read_bytes(), latest=REFERENCE_DAY)
    for case in CASE_FILES[1:]:
        extract_page(case.read_bytes(), latest=REFERENCE_DAY)
    assert extract_page(CASE_FILES[0].read_bytes(), latest=REFERENCE_DAY) == first


def test_str_and_utf8_bytes_give_the_same_page() -> None:
    html = article("<p>Café owners say the closure will cost them custom.</p>")
    assert extract_page(html, latest=REFERENCE_DAY) == extract_page(
        html.encode("utf-8"), latest=REFERENCE_DAY
    )


def test_relative_canonical_link_is_resolved_against_the_page_address() -> None:
    html = article("", head="<link rel='canonical' href='/news/bridge?utm_campaign=x&id=7'>")
    page = extract_page(html, url="https://example.org/amp/bridge", latest=REFERENCE_DAY)
    assert page is not None
    assert page.url == "https://example.org/news/bridge?id=7"


def test_page_address_stands_in_when_there_is_no_canonical_link() -> None:
    page = extract_page(article(""), url="https://example.org/b?fbclid=abc", latest=REFERENCE_DAY)
    assert page is not None
    assert page.url == "https://example.org/b"


def test_publication_date_later_than_latest_is_not_believed() -> None:
    head = "<meta property='article:published_time' content='2030-05-01T10:00:00Z'>"
    page = extract_page(article("", head=head), latest=date(2024, 1, 1))
    assert page is not None
    assert page.published is None


def test_publication_date_from_markup() -> None:
    head = "<meta property='article:published_time' content='2023-05-01T10:00:00Z'>"
    page = extract_page(article("", head=head), latest=REFERENCE_DAY)
    assert page is not None
    assert page.published == "2023-05-01"


@pytest.mark.parametrize(
    ("found", "base", "expected"),
    [
        ("https://a.example/x?utm_source=n&utm_medium=e", None, "https://a.example/x"),
        ("https://a.example/x?page=2&gclid=1#comments", None, "https://a.example/x?page=2"),
        ("https://a.example/x?q=a%20b&UTM_Term=z", None, "https://a.example/x?q=a%20b"),
        ("/x", "https://a.example/y/z", "https://a.example/x"),
        (None, "https://a.example/y", "https://a.example/y"),
        ("javascript:alert(1)", None, None),
        ("/only-a-path", None, None),
        ("http://[::1", None, None),
        ("   ", None, None),
    ],
)
def test_canonical_url(found: str | None, base: str | None, expected: str | None) -> None:
    assert canonical_url(found, base) == expected


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ("<html lang='en-GB'><body></body></html>", "en"),
        ("<html xml:lang='pt_BR'><body></body></html>", "pt"),
        ("<html><head><meta http-equiv='content-language' content='de'></head></html>", "de"),
        ("<html><head><meta property='og:locale' content='fr_FR'></head></html>", "fr"),
        ("<html lang='x'><body><p>no usable tag</p></body></html>", None),
        ("<html><body><p>nothing declared</p></body></html>", None),
    ],
)
def test_page_language(html: str, language: str | None) -> None:
    root = parse_html(html)
    assert root is not None
    assert page_language(root) == language


# --- decoding --------------------------------------------------------------------------


def test_decode_prefers_valid_utf8() -> None:
    assert decode_html("<p>naïve café</p>".encode()) == "<p>naïve café</p>"


def test_decode_follows_meta_charset_when_bytes_are_not_utf8() -> None:
    data = "<meta charset='windows-1251'><p>Привет, мир</p>".encode("cp1251")
    assert "Привет, мир" in decode_html(data)


def test_decode_reads_latin1_label_as_windows_1252() -> None:
    data = "<meta charset='iso-8859-1'><p>“quoted” café</p>".encode("cp1252")
    assert "“quoted” café" in decode_html(data)


def test_decode_reads_gb2312_label_as_gbk() -> None:
    # The middle character exists in GBK only, as on many pages labelled GB2312.
    data = "<meta charset='gb2312'><p>朱镕基</p>".encode("gbk")
    assert "朱镕基" in decode_html(data)


def test_decode_ignores_a_meta_tag_claiming_utf16() -> None:
    data = "<meta charset='utf-16'><p>café au lait</p>".encode("cp1252")
    assert "<p>café au lait</p>" in decode_html(data)


def test_decode_honours_byte_order_mark() -> None:
    assert decode_html("<p>Grüße</p>".encode("utf-16")) == "<p>Grüße</p>"


def test_decode_guesses_when_nothing_is_declared() -> None:
    text = "<p>Die Bäckerei öffnet wieder, sagte der Inhaber am Montag früh.</p>" * 5
    assert "Bäckerei öffnet" in decode_html(text.encode("cp1252"))


def test_decode_reads_stray_bytes_in_utf8_as_windows_1252() -> None:
    data = "<p>Grüße aus München</p>".encode() + b"<p>K\xfcche</p>"
    assert decode_html(data) == "<p>Grüße aus München</p><p>Küche</p>"


def test_decode_distrusts_a_utf8_label_on_windows_1252_bytes() -> None:
    text = "<p>Die Bäckerei öffnet wieder, sagte der Inhaber am Montag früh.</p>" * 5
    data = b"<meta charset='utf-8'>" + text.encode("cp1252")
    assert "Bäckerei öffnet" in decode_html(data)


def test_decode_ignores_an_unknown_declared_charset() -> None:
    data = "<meta charset='no-such-codec'><p>café</p>".encode("cp1252")
    assert "<p>" in decode_html(data)


@pytest.mark.parametrize(
    "start",
    [
        "<?xml version='1.0'?><rss version='2.0'>",
        "\ufeff<feed xmlns='http://www.w3.org/2005/Atom'>",
        "<?xml version='1.0'?>\n<!-- generated --><rdf:RDF>",
    ],
)
def test_feeds_are_recognised(start: str) -> None:
    assert looks_like_feed(start + "<channel></channel>")


def test_a_page_mentioning_rss_is_not_a_feed() -> None:
    assert not looks_like_feed("<!DOCTYPE html><html><body><rss>not really</rss></body></html>")


# --- the boilerplate rules on extracted blocks ----------------------------------------

LONG = (
    "The council said on Monday that the new library would open in the autumn, "
    "two years later than planned, because of delays in delivering the steel frame."
)


def texts(blocks: tuple[Block, ...]) -> list[str]:
    return [block.text for block in blocks]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Sign up for our daily newsletter and never miss a story.", "boilerplate wording"),
        ("Follow The Gazette on Twitter and Instagram.", "boilerplate wording"),
        ("© 2024 Example Media. All rights reserved.", "boilerplate wording"),
        ("We may receive compensation when you click on links.", "boilerplate wording"),
        ("Category: Local news", "metadata label"),
        ("Last Modified: 03-10-2004 2:20pm", "metadata label"),
        ("(Credit: Jane Roe / Agency)", "credit line"),
        ("EXAMPLE-NEWS.COM", "bare host name"),
        ("23.10.2018", "date line"),
        ("April 21, 2022", "date line"),
        ("Marco Rossi, ski champion. © AFP / Jane Roe", "boilerplate wording"),
        ("*Werbung. Dieser Beitrag enthält Werbung.", "boilerplate wording"),
        ("Back to top", "boilerplate wording"),
        ("View all comments", "boilerplate wording"),
        ("If you enjoyed this, consider supporting our work.", "boilerplate wording"),
        ("Quelle: Deutscher Wetterdienst", "credit line"),
        ("Аdvеrtіѕе wіth thе best site", "look-alike letters"),
        ("   ", "no words"),
    ],
)
def test_boilerplate_lines(line: str, reason: str) -> None:
    assert boilerplate_reason(make_block("paragraph", line.strip())) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Residents can sign up for the scheme at the town hall until Friday.",
        "The company's newsletter first reported the merger last week.",
        "Agents earn a commission of five per cent on every sale, the report found.",
        "The TNF-α levels fell in both groups of patients.",
        "Werbung nervt, sagt die Hälfte der Befragten.",
        "https://example.org/reports/2024/bridge-survey.pdf",
        "On 21 April 2022 the bridge closed.",
        LONG,
    ],
)
def test_news_lines_that_mention_boilerplate_words_are_kept(line: str) -> None:
    assert boilerplate_reason(make_block("paragraph", line)) is None


def test_linked_teaser_opening_with_a_related_marker_is_dropped() -> None:
    teaser = "Le puede interesar: Nuevo puente abrirá en mayo"
    assert boilerplate_reason(make_block("paragraph", teaser, link_characters=28)) == (
        "related-story teaser"
    )
    assert boilerplate_reason(make_block("paragraph", teaser)) is None


def test_list_of_links_in_the_article_is_kept() -> None:
    assert (
        boilerplate_reason(make_block("item", "Official report (PDF)", link_characters=21)) is None
    )


def test_paywall_notice_ends_the_article() -> None:
    blocks = [
        make_block("paragraph", LONG),
        make_block("paragraph", "To read the full story, subscribe today."),
        make_block("paragraph", "Subscribers get unlimited access to all our journalism."),
    ]
    assert texts(keep_article_blocks(blocks)) == [LONG]


def test_paywall_notice_before_any_text_is_only_dropped() -> None:
    blocks = [
        make_block("paragraph", "To read the full story, subscribe today."),
        make_block("paragraph", LONG),
    ]
    assert texts(keep_article_blocks(blocks)) == [LONG]


def test_related_heading_drops_its_teasers_until_the_next_heading() -> None:
    blocks = [
        make_block("paragraph", LONG),
        make_block("heading", "Related stories"),
        make_block("item", "Heron colony returns"),
        make_block("paragraph", "Bats found in old mill"),
        make_block("heading", "What happens next"),
        make_block("paragraph", "The steel frame arrives in May."),
    ]
    assert texts(keep_article_blocks(blocks)) == [
        LONG,
        "What happens next",
        "The steel frame arrives in May.",
    ]


def test_short_line_in_another_language_opens_a_related_list() -> None:
    blocks = [
        make_block("paragraph", LONG),
        make_block("paragraph", "Auch interessant:"),
        make_block("quote", "Neue Brücke eröffnet im Mai", link_characters=27),
        make_block("item", "Fähre fährt wieder"),
    ]
    assert texts(keep_article_blocks(blocks)) == [LONG]


def test_paywall_notice_in_french_ends_the_article() -> None:
    blocks = [
        make_block("paragraph", LONG),
        make_block("heading", "Pour lire la suite, créez votre compte"),
        make_block("paragraph", "Profitez de notre offre découverte."),
    ]
    assert texts(keep_article_blocks(blocks)) == [LONG]


def test_related_heading_gives_way_to_article_prose() -> None:
    blocks = [
        make_block("heading", "Related"),
        make_block("paragraph", LONG),
    ]
    assert texts(keep_article_blocks(blocks)) == [LONG]


def test_long_repeated_paragraph_is_dropped_but_short_repeats_are_kept() -> None:
    blocks = [
        make_block("paragraph", LONG),
        make_block("paragraph", "Who's there?"),
        make_block("paragraph", LONG),
        make_block("paragraph", "Who's there?"),
    ]
    assert texts(keep_article_blocks(blocks)) == [LONG, "Who's there?", "Who's there?"]


def test_trailing_heading_with_nothing_under_it_is_dropped() -> None:
    blocks = [make_block("paragraph", LONG), make_block("heading", "Share this article")]
    assert texts(keep_article_blocks(blocks)) == [LONG]


# --- hostile and degenerate input -------------------------------------------------------


def test_page_of_only_scripts_has_no_article() -> None:
    scripts = "<script>var state = {'text': 'The bridge will close in spring.'};</script>" * 500
    assert extract_page(f"<html><head>{scripts}</head><body>{scripts}</body></html>") is None


def test_five_megabyte_page_is_read() -> None:
    # Most of a page this size is inline data and navigation, as on real sites.
    script = "<script>var tracking = '" + "x" * 4_500_000 + "';</script>"
    navigation = "<ul>" + "<li><a href='/s'>Section</a></li>" * 20_000 + "</ul>"
    html = article("<p>The works start in March.</p>").replace(
        "<body>", "<body>" + script + navigation
    )
    assert len(html) > 5_000_000
    page = extract_page(html, latest=REFERENCE_DAY)
    assert page is not None
    assert "The works start in March." in page.paragraphs


def test_deeply_nested_markup_does_not_raise() -> None:
    html = "<div>" * 50_000 + "<p>" + LONG + "</p>" + "</div>" * 50_000
    page = extract_page(html)
    assert page is None or all(paragraph.strip() for paragraph in page.paragraphs)


@pytest.mark.parametrize(
    "html",
    [
        "",
        b"",
        "   \n ",
        "<",
        "<html",
        "\x00\x01\x02",
        b"\xff\xfe\x00",
        b"\x00" * 100,
        "\ud800<p>lone surrogate</p>",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>declared</p></body></html>",
        "<html><body><p>" + "word " * 200_000 + "</p></body></html>",
    ],
)
def test_degenerate_input_never_raises(html: str | bytes) -> None:
    page = extract_page(html)
    assert page is None or all(paragraph.strip() for paragraph in page.paragraphs)


MARKUP_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='related'>",
        "</div>",
        "<article>",
        "<a href='/x'>",
        "</a>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<![CDATA[",
        "&amp;",
        "&#0;",
        "&#xD800;",
        "<br/>",
        "<h2>",
        "<ul><li>",
        "<table><tr><td>",
        "<meta charset='utf-16'>",
        "<?xml version='1.0'?>",
        "<rss>",
        "\x00",
        "\ufeff",
        "Subscribe now for the full story. ",
        "The ferry returned to service on Monday after repairs to both engines. ",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(MARKUP_PIECES, st.text(max_size=40)), max_size=60))
def test_garbled_markup_never_raises(pieces: list[str]) -> None:
    html = "".join(pieces)
    for document in (html, html.encode("utf-8", errors="surrogatepass")):
        page = extract_page(document, latest=REFERENCE_DAY)
        assert page is None or all(paragraph.strip() for paragraph in page.paragraphs)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    page = extract_page(data, latest=REFERENCE_DAY)
    assert page is None or all(paragraph.strip() for paragraph in page.paragraphs)


BLOCK_KINDS: tuple[BlockKind, ...] = ("paragraph", "heading", "item", "row", "quote")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(BLOCK_KINDS), max_size=20))
def test_kept_blocks_are_a_subsequence_of_the_input(kinds: list[BlockKind]) -> None:
    lines = [LONG, "Related", "Read more", "Short line.", "© 2020 Site", "Subscribe now"]
    blocks = [make_block(kind, lines[index % len(lines)]) for index, kind in enumerate(kinds)]
    kept = keep_article_blocks(blocks)
    remaining = iter(blocks)
    assert all(any(block is candidate for candidate in remaining) for block in kept)
