"""Web pages to article text and metadata.

    bytes --decode--> str --parse--> tree --prune--> trafilatura --blocks--> filter
                                                        |
                                                        +--> title, author, date, URL, site

The main-text extractor is trafilatura (with htmldate for dates); ``htmlclean``
removes what it keeps but an article reader would not want. Nothing is fetched,
nothing in the page is run, and bad markup of any kind gives ``None`` or whatever
text could be found, never an exception. Given ``latest``, the result depends on
the page alone.

Quality is measured by ``python bench/html_eval.py`` and held by
``tests/test_extract_quality.py``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit, urlunsplit

import charset_normalizer
import trafilatura
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from digest.htmlclean import (
    Block,
    BlockKind,
    keep_article_blocks,
    make_block,
    prune_boilerplate_containers,
)
from digest.urls import is_tracking_parameter


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """The article found in one web page, with what the page says about it.

    ``published`` is a ``YYYY-MM-DD`` date stated in the page's markup (meta tags,
    structured data, ``<time>``, the address); ``url`` is absolute, without tracking
    parameters or fragment; ``language`` is a primary subtag such as ``"en"``.
    ``paragraphs`` are the article's blocks in order (paragraphs, headings, list
    items, table rows with cells joined by " | "), in NFC with whitespace collapsed;
    the first is often the headline itself.
    """

    title: str | None
    author: str | None
    published: str | None
    url: str | None
    site_name: str | None
    paragraphs: tuple[str, ...]
    language: str | None


def extract_page(
    html: str | bytes, *, url: str | None = None, latest: date | None = None
) -> ExtractedPage | None:
    """The page's article text and metadata, or None when it holds no article.

    ``url`` is where the page came from: it resolves a relative canonical link and
    stands in when the page names no address of its own. ``latest`` is the newest
    publication date to believe, normally the run's reference date; left out, the
    date parser uses the current day.
    """
    text = decode_html(html) if isinstance(html, bytes) else html
    if looks_like_feed(text):
        return None
    root = parse_html(text)
    if root is None:
        return None
    prune_boilerplate_containers(root)
    document = _run_extractor(root, url, latest)
    if document is None or document.body is None:
        return None
    paragraphs = tuple(block.text for block in keep_article_blocks(_blocks(document.body)))
    if not paragraphs:
        return None
    return ExtractedPage(
        title=_clean_field(document.title),
        author=_clean_field(document.author),
        published=_clean_field(document.date),
        url=canonical_url(declared_url(root) or document.url, url),
        site_name=_clean_field(document.sitename),
        paragraphs=paragraphs,
        language=page_language(root),
    )


# --- decoding and parsing ---------------------------------------------------------

# How far into the page a charset declaration is looked for: the HTML standard
# asks for it within the first 1024 bytes; some pages put it a little later.
CHARSET_SCAN_BYTES = 4096

# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">.
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)

# Labels that browsers read as windows-1252, a superset of them, per the WHATWG
# Encoding standard; decoding with the narrower codec would mangle curly quotes.
# A meta tag naming UTF-16 or UTF-32 is ignored, as browsers do: markup readable
# as ASCII bytes cannot be in either.
WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}
)

# Codecs that browsers replace with a superset, per the same standard: pages
# labelled with the narrower one often use the wider one's extra characters.
WIDER_CODECS = {"gb2312": "gbk", "shift_jis": "cp932", "euc_kr": "cp949"}

BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_html(data: bytes) -> str:
    """The page as text: byte-order mark, then UTF-8, then declared, then guessed.

    A charset the page declares wins over a guess, as in browsers. Pages in UTF-8
    with a few stray bytes from an older encoding are common; those bytes are read
    as windows-1252 rather than guessing another codec for the whole page.
    """
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return data.decode(encoding, errors="replace")
    # Each byte that is not UTF-8 becomes a lone surrogate U+DC80..U+DCFF.
    escaped = data.decode("utf-8", errors="surrogateescape")
    strays = len(STRAY_BYTE.findall(escaped))
    if strays == 0:
        return escaped
    declared = declared_charset(data[:CHARSET_SCAN_BYTES])
    if declared in (None, "utf-8") and len(UTF8_CHARACTER.findall(escaped)) > strays:
        return STRAY_BYTE.sub(_stray_byte_as_windows_1252, escaped)
    if declared not in (None, "utf-8"):
        return data.decode(declared, errors="replace")
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("cp1252", errors="replace")


# A byte UTF-8 could not decode, as the "surrogateescape" error handler leaves it.
STRAY_BYTE = re.compile("[\udc80-\udcff]")

# A character UTF-8 did decode beyond ASCII. A page with more of these than stray
# bytes is UTF-8 with strays; otherwise it is in another encoding altogether, in
# which accented letters are single bytes that seldom form valid UTF-8 sequences.
UTF8_CHARACTER = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _stray_byte_as_windows_1252(match: re.Match[str]) -> str:
    """The character windows-1252 gives the byte a lone surrogate stands for."""
    return bytes([ord(match.group()) - 0xDC00]).decode("cp1252", errors="replace")


def declared_charset(head: bytes) -> str | None:
    """The Python codec named by the page's meta charset, if it names a real one."""
    match = META_CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii", errors="replace").strip().lower()
    if label in WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None
    return WIDER_CODECS.get(name, name)


# A feed announces itself in its first element, after any XML declaration,
# doctype, processing instructions and comments.
FEED_START = re.compile(
    r"^\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!doctype[^>]*>\s*)*<(?:rss|feed|rdf:rdf)\b",
    re.IGNORECASE | re.DOTALL,
)
FEED_SCAN_CHARS = 4096


def looks_like_feed(text: str) -> bool:
    """Whether the document is an RSS, Atom or RDF feed rather than a web page."""
    return FEED_START.match(text[:FEED_SCAN_CHARS].lstrip("\ufeff")) is not None


# Characters XML (and so lxml) cannot hold: controls other than tab and newlines,
# lone surrogates and the two non-characters.
INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def parse_html(text: str) -> HtmlElement | None:
    """The page's element tree, or None when nothing in it can be parsed."""
    cleaned = INVALID_XML_CHARS.sub("", text)
    if not cleaned.strip():
        return None
    parser = HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = document_fromstring(cleaned.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root if isinstance(root, HtmlElement) else None


# --- running the extractor ----------------------------------------------------------


def _run_extractor(
    root: HtmlElement, url: str | None, latest: date | None
) -> trafilatura.settings.Document | None:
    """trafilatura's main text (links kept, to measure link density) and metadata."""
    # Dates only from the page's markup (meta tags, structured data, <time>, the
    # URL): a search of the whole text also offers the copyright year as 1 January.
    date_params: dict[str, object] = {"original_date": True, "extensive_search": False}
    if latest is not None:
        date_params["max_date"] = latest.isoformat()
    try:
        document = trafilatura.bare_extraction(
            root,
            url=url,
            include_comments=False,
            include_tables=True,
            include_links=True,
            include_images=False,
            with_metadata=True,
            date_extraction_params=date_params,
        )
    # The page is hostile input and the extractor a large third-party library:
    # whatever it raises on a page means "no article here", never a crash.
    except Exception:
        return None
    return document if isinstance(document, trafilatura.settings.Document) else None


# --- from the extractor's tree to blocks of text --------------------------------------

WHITESPACE = re.compile(r"\s+")
# Characters that only tell a browser where it may break a line: soft hyphen,
# zero-width space, word joiner, and a byte-order mark left inside the text.
INVISIBLE_BREAKS = re.compile("[\u00ad\u200b\u2060\ufeff]")

# The extractor's element names for blocks that are themselves one unit of text.
TEXT_BLOCK_KINDS: dict[str, BlockKind] = {"head": "heading", "quote": "quote"}
# Elements that hold further blocks rather than running text.
CONTAINER_TAGS = frozenset({"div", "section", "body"})
BLOCK_TAGS = frozenset({"p", "head", "list", "table", "quote", "code", "div", "section"})


def _blocks(container: etree._Element) -> Iterator[Block]:
    """The extracted tree's text, one block per paragraph, heading, list item or row."""
    if container.text and container.text.strip() and container.tag in CONTAINER_TAGS:
        yield make_block("paragraph", _collapse(container.text))
    for element in container:
        tag = element.tag
        if tag == "list":
            yield from _list_blocks(element)
        elif tag == "table":
            yield from _table_blocks(element)
        elif tag in CONTAINER_TAGS and any(child.tag in BLOCK_TAGS for child in element):
            yield from _blocks(element)
        elif isinstance(tag, str):
            yield _text_block(element, TEXT_BLOCK_KINDS.get(tag, "paragraph"))
        if element.tail and element.tail.strip():
            yield make_block("paragraph", _collapse(element.tail))


def _list_blocks(list_element: etree._Element) -> Iterator[Block]:
    """One block per list item, nested lists' items after their parent's."""
    for item in list_element:
        if item.tag != "item":
            continue
        yield _text_block(item, "item", skip="list")
        for nested in item.iter("list"):
            yield from _list_blocks(nested)


def _table_blocks(table: etree._Element) -> Iterator[Block]:
    """One block per table row, its cells separated by a bar."""
    for row in table.iter("row"):
        cells = [_text_block(cell, "row") for cell in row if cell.tag == "cell"]
        text = " | ".join(cell.text for cell in cells if cell.text)
        link_characters = sum(round(cell.link_share * len(cell.text)) for cell in cells)
        yield make_block("row", text, link_characters)


# The extractor's elements that separate the text around them.
GAP_TAGS = frozenset({"lb", "p", "item", "list", "head", "quote", "cell", "row"})


def _text_block(element: etree._Element, kind: BlockKind, skip: str | None = None) -> Block:
    """One block from an element's text, line breaks read as spaces."""
    text = _collapse("".join(_texts(element, skip)))
    link_characters = sum(len(_collapse("".join(_texts(ref, skip)))) for ref in element.iter("ref"))
    return make_block(kind, text, link_characters)


def _texts(element: etree._Element, skip: str | None) -> Iterator[str]:
    """The element's text pieces, leaving out sub-elements named ``skip``.

    Inline markup (links, emphasis) joins its neighbours without a gap; a line
    break or a nested block is a gap.
    """
    if element.tag in GAP_TAGS:
        yield " "
    if element.text:
        yield element.text
    for child in element:
        if child.tag != skip:
            yield from _texts(child, skip)
        if child.tail:
            yield child.tail


def _collapse(text: str) -> str:
    """Text in composed Unicode form, without invisible breaks, whitespace collapsed.

    Composed form (NFC) makes "ü" one character however the page wrote it, and
    soft hyphens ("Mit\u00adtel\u00adal\u00adter") are hints for line breaking:
    without them the same words compare equal downstream.
    """
    visible = INVISIBLE_BREAKS.sub("", unicodedata.normalize("NFC", text))
    return WHITESPACE.sub(" ", visible).strip()


# --- metadata -------------------------------------------------------------------------


def _clean_field(value: str | None) -> str | None:
    """A metadata value with its whitespace collapsed, or None when blank."""
    if value is None:
        return None
    collapsed = _collapse(value)
    return collapsed or None


def declared_url(root: HtmlElement) -> str | None:
    """The address the page gives for itself: its canonical link, else og:url."""
    for link in root.iter("link"):
        if "canonical" in str(link.get("rel") or "").lower().split() and link.get("href"):
            return str(link.get("href"))
    for meta in root.iter("meta"):
        if str(meta.get("property") or "").lower() == "og:url" and meta.get("content"):
            return str(meta.get("content"))
    return None


def canonical_url(found: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL without tracking parameters or fragment, if any."""
    candidate = _clean_field(found) or _clean_field(base)
    if candidate is None:
        return None
    try:
        parts = urlsplit(urljoin(base, candidate) if base else candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # Filter the raw pieces rather than re-encoding the query, so kept
    # parameters are left exactly as the page wrote them.
    kept = [
        piece
        for piece in parts.query.split("&")
        if piece and not is_tracking_parameter(piece.partition("=")[0])
    ]
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, "&".join(kept), ""))


# <meta> elements that name the page's language, in order of trust.
LANGUAGE_META = (
    ".//meta[@http-equiv='content-language' or @http-equiv='Content-Language']/@content",
    ".//meta[@property='og:locale']/@content",
    ".//meta[@name='language' or @name='Language']/@content",
)
# A language tag's primary subtag: "en" in "en-GB", "pt" in "pt_BR".
LANGUAGE_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*(?:,|$)")


def page_language(root: HtmlElement) -> str | None:
    """The page's declared language as a lower-case primary subtag, such as "en"."""
    # The HTML parser keeps "xml:lang" as a plain attribute name.
    candidates = [root.get("lang"), root.get("xml:lang")]
    for path in LANGUAGE_META:
        candidates.extend(str(value) for value in root.xpath(path))
    for candidate in candidates:
        match = LANGUAGE_TAG.match(candidate or "")
        if match:
            return match.group(1).lower()
    return None
