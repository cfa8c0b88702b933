"""Feeds: RSS, Atom and JSON Feed documents turned into ``RawInput`` records.

    bytes --size, emptiness, binary--> --encoding--> text --entity check-->
          XML (feedparser: RSS 0.9x/1.0/2.0, Atom 0.3/1.0) or JSON Feed 1.0/1.1
          --> one RawInput per entry, plain-text paragraphs

Every document is checked and decoded here before a parser sees it, so that
entity expansion ("billion laughs") and external entities are refused and a
mis-declared encoding still gives readable text. An entry's HTML is sanitised
with nh3 and flattened to paragraphs: no script, style or event handler
reaches later stages. Like every reader, nothing here raises on bad input:
problems are returned beside whatever could be read.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import io
import json
import re
import unicodedata
import xml.sax
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from time import struct_time
from typing import Any

import feedparser  # type: ignore[import-untyped]
import lxml.html
import nh3
from charset_normalizer import from_bytes
from lxml import etree

from digest.hygiene import json_without_surrogates
from digest.model import Problem, RawInput
from digest.urls import strip_tracking

# Far above any real feed (large podcast feeds reach a few MB) and above the
# fetcher's 5 MB cap, so only a dump or a mistake is refused here.
MAX_FEED_BYTES = 10 * 1024 * 1024
# How much of a document is inspected to tell binary from text and to find
# the root element.
SNIFF_BYTES = 8192

# Byte order marks, UTF-32 before UTF-16 since FF FE starts both little-endian marks.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# A document without a mark that starts with "<" or "{" in a wide encoding
# (the byte patterns of the XML specification's appendix F).
_WIDE_STARTS = tuple(
    (char.encode(codec), codec)
    for char in "<{"
    for codec in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
)
# Control characters other than tab, newline, carriage return and form feed:
# text has almost none, binary data is full of them.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
# The encoding named by an XML declaration at the very start.
_XML_DECLARATION = re.compile(r"\A\s*<\?xml\b[^>]{0,200}?\?>")
_DECLARED_ENCODING = re.compile(r"""(encoding\s*=\s*)(["'])([A-Za-z][\w.:-]*)\2""")
# The charset parameter of a Content-Type header.
_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
# Encodings that servers and feeds name when they mean Windows-1252, which
# assigns printable characters (curly quotes, dashes) to bytes 80-9F.
_WINDOWS_1252_ALIASES = frozenset({"ascii", "iso8859-1"})

# Any entity declaration. XML names are case-sensitive, but a lenient parser
# may not be, so the check is not either.
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
# The one harmless kind: a general entity standing for a single character
# reference (<!ENTITY nbsp "&#160;">), which can neither expand nor reach out.
_HARMLESS_ENTITY = re.compile(
    r"""<!ENTITY\s+[A-Za-z_][\w.-]*\s+(["'])&#(?:[0-9]{1,7}|x[0-9A-Fa-f]{1,6});\1\s*>"""
)
# What comes before the root element: white space, processing instructions,
# comments, a document type declaration. Applied to the sniffed head only.
_ROOT_ELEMENT = re.compile(
    r"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*<([A-Za-z_][\w.:-]*)",
    re.DOTALL | re.IGNORECASE,
)
_HTML_DOCTYPE = re.compile(r"<!DOCTYPE\s+html\b", re.IGNORECASE)
# Root elements of the XML flavours: RSS 0.9x/2.0, RSS 0.90/1.0 (rdf:RDF), Atom.
_FEED_ROOTS = frozenset({"rss", "rdf", "feed"})
# JSON Feed announces itself with this version URL prefix.
JSON_FEED_VERSION = "https://jsonfeed.org/version/"

# Tags whose boundaries separate paragraphs; other tags are dropped, their
# text kept. Cells are joined by a space.
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})
# Block tags that another of their kind closes implicitly (a new <p> ends the
# open one), so a run of them does not nest.
_SELF_ENDING_TAGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot"})
# Deeper nesting of block tags than this is flattened before sanitising: the
# sanitiser's time grows with the square of the depth (a hostile 100,000-deep
# entry would take minutes) and lxml drops text below depth 256. Real entries
# nest a handful of levels.
MAX_BLOCK_NESTING = 100
# A start or end tag, for the flattening pass only (attributes are skipped).
_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>")
_KEPT_TAGS = _BLOCK_TAGS | _CELL_TAGS | {"br"}
# Tags removed with everything inside them: code, styling, embedded media and
# form controls have no article text.
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
        "math", "canvas", "audio", "video", "button", "select", "textarea",
    }
)  # fmt: skip
# Characters lxml refuses (controls, lone surrogates, non-characters).
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Invisible characters that split words without showing: soft hyphen, zero
# width space, word joiner, zero width no-break space (a stray BOM).
_INVISIBLE = re.compile("[\xad\u200b\u2060\ufeff]")
_WHITESPACE = re.compile(r"\s+")
# The start of a tag, comment or declaration: text without one is not markup.
_MARKUP = re.compile(r"<[A-Za-z/!?]")
# A blank line, however padded: the paragraph separator of plain text.
_BLANK_LINE = re.compile(r"\n\s*\n")
# Content types of entry text that is not HTML, and of entry content that is
# not text at all (Atom allows base64 media in <content>).
_PLAIN_TYPES = frozenset({"text/plain"})
_MEDIA_TYPE_PREFIXES = ("image/", "audio/", "video/", "application/octet-stream")
# A date before or after these years is a typo or a placeholder, not a date.
_EARLIEST_YEAR, _LATEST_YEAR = 1900, 2200


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What one feed document held, and what was wrong with it.

    ``is_feed`` is True only when the document was read as a feed; a refused,
    empty, binary or non-feed document gives False and one problem saying why.
    ``format`` names the flavour read (feedparser's names such as "rss20",
    "atom10", or "json11").
    """

    title: str | None
    link: str | None
    entries: tuple[RawInput, ...]
    problems: tuple[Problem, ...]
    is_feed: bool
    format: str | None = None


@dataclass(frozen=True, slots=True)
class _Body:
    """One stated text of an entry, as the feed gave it."""

    text: str
    is_html: bool


@dataclass(frozen=True, slots=True)
class _Entry:
    """What an entry states, whichever flavour it came from."""

    entry_id: str | None
    link: str | None
    title: str | None
    bodies: tuple[_Body, ...]  # in order of preference: full content, then summary
    published: str | None
    author: str | None
    tags: tuple[str, ...]


def _not_a_feed(origin: str, reason: str) -> FeedResult:
    return FeedResult(None, None, (), (Problem(origin, reason),), is_feed=False)


def _too_large(size: int) -> str:
    megabytes = size / 1_048_576
    return f"too large for a feed ({megabytes:.1f} MB > {MAX_FEED_BYTES // 1_048_576} MB)"


# --- bytes to text --------------------------------------------------------------


def _wide_encoding(data: bytes) -> tuple[str, int] | None:
    """A UTF-16/32 encoding shown by a byte order mark or the first character."""
    for mark, codec in _BOMS:
        if data.startswith(mark):
            return codec, len(mark)
    for start, codec in _WIDE_STARTS:
        if data.startswith(start):
            return codec, 0
    return None


def _is_binary(head: bytes) -> bool:
    """True when ``head`` has NUL bytes or more control bytes than text has."""
    return b"\x00" in head or len(_CONTROL_BYTES.findall(head)) > len(head) // 100 + 2


def _codec(name: str | None) -> str | None:
    """Python's canonical codec name for a declared encoding, if it knows it."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _declared_encodings(data: bytes, content_type: str | None) -> list[tuple[str, str]]:
    """(stated name, codec) for the XML declaration, then the Content-Type charset.

    The declaration comes first: the program that wrote the document knew what
    it wrote, while a server's charset is often a default for every file.
    """
    stated: list[str] = []
    declaration = _XML_DECLARATION.match(data[:256].decode("latin-1"))
    if declaration:
        encoding = _DECLARED_ENCODING.search(declaration.group())
        if encoding:
            stated.append(encoding.group(3))
    if content_type:
        charset = _CHARSET.search(content_type)
        if charset:
            stated.append(charset.group(1))
    found = [(name, _codec(name)) for name in stated]
    return [(name, codec) for name, codec in found if codec]


def _decode_strictly(data: bytes, codec: str) -> str | None:
    """``data`` in ``codec``, or None when it is not valid in it."""
    attempts = ("cp1252", "iso8859-1") if codec in _WINDOWS_1252_ALIASES else (codec,)
    for attempt in attempts:
        try:
            return data.decode(attempt)
        except UnicodeDecodeError:
            continue
    return None


def _decode(data: bytes, content_type: str | None) -> tuple[str, str | None]:
    """The text of a document, and a warning when its declared encoding was wrong.

    Valid UTF-8 with non-ASCII bytes is taken as UTF-8 whatever is declared:
    text in a single-byte encoding is practically never valid UTF-8 by chance.
    """
    declared = _declared_encodings(data, content_type)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        wrong = [name for name, codec in declared if codec not in ("utf-8", "ascii")]
        if wrong and not data.isascii():
            return text, f"encoding declared as {wrong[0]} but the bytes are UTF-8; read as UTF-8"
        return text, None
    for position, (name, codec) in enumerate(declared):
        decoded = _decode_strictly(data, codec)
        if decoded is None:
            continue
        if position == 0:
            return decoded, None
        return decoded, f"encoding declared as {declared[0][0]} is wrong; read as {name}"
    best = from_bytes(data).best()
    what = f"declared as {declared[0][0]} is wrong" if declared else "not declared"
    if best is None:
        return data.decode("utf-8", "replace"), f"encoding {what}; unreadable bytes replaced"
    # Encodings that give the very same text are equally right; name the one
    # most documents in Western languages are really in.
    same_text = best.could_be_from_charset
    name = "cp1252" if "cp1252" in same_text else best.encoding
    return str(best), f"encoding {what}; read as {name}"


def _as_utf8_document(text: str) -> bytes:
    """``text`` encoded as UTF-8, its XML declaration saying so."""
    declaration = _XML_DECLARATION.match(text)
    if declaration:
        fixed = _DECLARED_ENCODING.sub(r"\1\2utf-8\2", declaration.group())
        text = fixed + text[declaration.end() :]
    return text.encode("utf-8", "replace")


def _refused_entities(text: str) -> bool:
    """True when the document declares entities that could expand or reach out."""
    return any(
        not _HARMLESS_ENTITY.match(text, found.start())
        for found in _ENTITY_DECLARATION.finditer(text)
    )


def _root_element(text: str) -> str | None:
    """The local name of the root element, lower case, if found near the start."""
    found = _ROOT_ELEMENT.match(text[:SNIFF_BYTES])
    return found.group(1).rpartition(":")[2].lower() if found else None


def _looks_like_html(text: str) -> bool:
    head = text[:SNIFF_BYTES]
    return _root_element(head) == "html" or bool(_HTML_DOCTYPE.search(head))


def looks_like_feed(data: bytes) -> bool:
    """True when ``data`` starts like an RSS, Atom or JSON Feed document."""
    head = data[:SNIFF_BYTES]
    wide = _wide_encoding(head)
    if wide:
        codec, skip = wide
        text = head[skip:].decode(codec, "ignore")
    else:
        text = head.decode("utf-8", "ignore")
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return bool(re.search(r'"version"\s*:\s*"' + re.escape(JSON_FEED_VERSION), stripped))
    return _root_element(text) in _FEED_ROOTS


# --- documents to entries -------------------------------------------------------


def parse_feed(
    data: bytes,
    *,
    origin: str,
    source_name: str | None = None,
    content_type: str | None = None,
) -> FeedResult:
    """Every entry of a feed document with text, and what was wrong with it.

    ``origin`` names the document (its URL or path) in problems and entry
    origins; an http(s) origin is also the base for relative links.
    ``content_type`` is the HTTP header the document came with, if any.
    """
    if len(data) > MAX_FEED_BYTES:
        return _not_a_feed(origin, _too_large(len(data)))
    wide = _wide_encoding(data)
    if wide:
        codec, skip = wide
        text, warning = data[skip:].decode(codec, "replace"), None
    elif not data.strip():
        return _not_a_feed(origin, "empty document")
    elif _is_binary(data[:SNIFF_BYTES]):
        return _not_a_feed(origin, "binary data, not a feed")
    else:
        text, warning = _decode(data, content_type)
    text = unicodedata.normalize("NFC", text).lstrip("\ufeff")
    if not text.strip():
        return _not_a_feed(origin, "empty document")
    if _refused_entities(text):
        return _not_a_feed(
            origin,
            "refused: the document declares XML entities "
            "(entity expansion or external entities are not read)",
        )
    notes = (Problem(origin, warning, "warning"),) if warning else ()
    if text.lstrip().startswith(("{", "[")):
        result = _parse_json_feed(text, origin, source_name)
    elif _looks_like_html(text):
        return _not_a_feed(origin, "not a feed (looks like an HTML page)")
    else:
        result = _parse_xml_feed(text, origin, source_name)
    if not result.is_feed:
        return result  # how a document that is no feed was decoded does not matter
    return FeedResult(
        result.title, result.link, result.entries, notes + result.problems, result.is_feed,
        result.format,
    )  # fmt: skip


def _parse_xml_feed(text: str, origin: str, source_name: str | None) -> FeedResult:
    """An RSS or Atom document read by feedparser, which tolerates broken XML."""
    headers = {"content-type": "application/xml; charset=utf-8"}
    if origin.startswith(("http://", "https://")):
        headers["content-location"] = origin
    # A stream, never bytes or str: feedparser would open those as a path or URL.
    stream = io.BytesIO(_as_utf8_document(text))
    try:
        parsed = feedparser.parse(
            stream, response_headers=headers, resolve_relative_uris=True, sanitize_html=True
        )
    except Exception as error:  # a bug in a third-party parser must not end the run
        return _not_a_feed(origin, f"feed parser failed: {type(error).__name__}: {error}")
    flavour = parsed.get("version") or None
    if not flavour and not parsed.entries:
        return _not_a_feed(origin, "not a feed (no RSS, Atom or JSON Feed found)")
    feed = parsed.get("feed", {})
    title = _single_line(feed.get("title"))
    source = title or source_name
    entries, problems = _collect(
        (_feedparser_entry(entry) for entry in parsed.entries), origin, source, source_name
    )
    if parsed.get("bozo"):
        problems = (_bozo_problem(parsed.get("bozo_exception"), origin, len(entries)), *problems)
    link = _single_line(feed.get("link"))
    return FeedResult(title, link, entries, problems, is_feed=True, format=flavour)


def _bozo_problem(error: object, origin: str, kept: int) -> Problem:
    """The warning for a document feedparser could read only in part."""
    if isinstance(error, xml.sax.SAXParseException):
        where = f"malformed XML at line {error.getLineNumber()}: {error.getMessage()}"
    else:
        where = f"not well-formed: {error}"
    return Problem(origin, f"{where}; kept {kept} entries", "warning")


def _feedparser_entry(parsed: Mapping[str, Any]) -> _Entry:
    """The fields of one feedparser entry."""
    # A plain copy: feedparser's own mapping answers a missing "updated" with
    # "published" and a deprecation warning.
    entry = dict(parsed)
    bodies = [
        _Body(part.get("value") or "", part.get("type") not in _PLAIN_TYPES)
        for part in entry.get("content") or ()
        if not str(part.get("type", "")).startswith(_MEDIA_TYPE_PREFIXES)
    ]
    if entry.get("summary"):
        summary_type = (entry.get("summary_detail") or {}).get("type")
        bodies.append(_Body(entry["summary"], summary_type not in _PLAIN_TYPES))
    title_type = (entry.get("title_detail") or {}).get("type")
    title = entry.get("title")
    if isinstance(title, str) and title_type not in _PLAIN_TYPES:
        title = " ".join(html_to_paragraphs(title))
    author_detail = entry.get("author_detail") or {}
    published = (
        _iso_date(entry.get("published"), entry.get("published_parsed"))
        or _iso_date(entry.get("updated"), entry.get("updated_parsed"))
        or _iso_date(entry.get("created"), entry.get("created_parsed"))
    )
    return _Entry(
        entry_id=_single_line(entry.get("id")),
        link=_single_line(entry.get("link")),
        title=_single_line(title),
        bodies=tuple(bodies),
        published=published,
        author=_single_line(author_detail.get("name")) or _single_line(entry.get("author")),
        tags=tuple(tag.get("term") or tag.get("label") or "" for tag in entry.get("tags") or ()),
    )


def _parse_json_feed(text: str, origin: str, source_name: str | None) -> FeedResult:
    """A JSON Feed 1.0 or 1.1 document, its shape checked field by field."""
    try:
        document = json_without_surrogates(json.loads(text))
    except (ValueError, RecursionError) as error:
        return _not_a_feed(origin, f"not a feed (invalid JSON: {str(error)[:80]})")
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith(JSON_FEED_VERSION):
        return _not_a_feed(origin, "not a feed (JSON, but not a JSON Feed)")
    number = version.removeprefix(JSON_FEED_VERSION)
    flavour = "json" + (number if "." in number else number + ".0").replace(".", "")
    title = _single_line(document.get("title"))
    link = _single_line(document.get("home_page_url"))
    items = document.get("items")
    if not isinstance(items, list):
        problem = Problem(origin, "malformed JSON Feed: 'items' is not a list")
        return FeedResult(title, link, (), (problem,), is_feed=True, format=flavour)
    shape_problems = tuple(
        Problem(origin, f"item {number} is not a JSON object")
        for number, item in enumerate(items, start=1)
        if not isinstance(item, dict)
    )
    entries, problems = _collect(
        (_json_entry(item) for item in items if isinstance(item, dict)),
        origin,
        title or source_name,
        source_name,
    )
    return FeedResult(title, link, entries, shape_problems + problems, True, flavour)


def _json_entry(item: Mapping[str, Any]) -> _Entry:
    """The fields of one JSON Feed item; values of the wrong type are ignored."""
    bodies = [
        _Body(value, key == "content_html")
        for key in ("content_html", "content_text", "summary")
        if isinstance(value := item.get(key), str)
    ]
    authors = item.get("authors")
    if not isinstance(authors, list):  # JSON Feed 1.0 had a single "author"
        authors = [item.get("author")]
    names = [_single_line(a.get("name")) for a in authors if isinstance(a, dict)]
    raw_id = item.get("id")  # a string by the specification; numbers are common
    numeric = isinstance(raw_id, int | float) and not isinstance(raw_id, bool)
    entry_id = str(raw_id) if numeric else raw_id
    tags = item.get("tags")
    return _Entry(
        entry_id=_single_line(entry_id),
        link=_single_line(item.get("url")) or _single_line(item.get("external_url")),
        title=_single_line(item.get("title")),
        bodies=tuple(bodies),
        published=_iso_date(item.get("date_published"), None)
        or _iso_date(item.get("date_modified"), None),
        author=", ".join(name for name in names if name) or None,
        tags=tuple(tag for tag in tags if isinstance(tag, str)) if isinstance(tags, list) else (),
    )


def _collect(
    entries: Iterable[_Entry], origin: str, source: str | None, source_name: str | None
) -> tuple[tuple[RawInput, ...], tuple[Problem, ...]]:
    """RawInputs of the entries with text; a problem for each one skipped."""
    raws: list[RawInput] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for entry in entries:
        text = next((t for body in entry.bodies if (t := _body_text(body))), "")
        entry_id = entry.entry_id or _minted_id(entry, text)
        entry_origin = f"{origin}#{entry_id}"
        if not text:
            problems.append(Problem(entry_origin, "entry has no text"))
        elif entry_id in seen:
            problems.append(Problem(entry_origin, "another entry has the same id; kept the first"))
        else:
            seen.add(entry_id)
            raws.append(
                RawInput(
                    origin=entry_origin,
                    kind="feed",
                    text=text,
                    title=entry.title,
                    url=strip_tracking(entry.link) if entry.link else None,
                    source=source,
                    published=entry.published,
                    input_id=entry_id,
                    author=entry.author,
                    tags=tuple(
                        dict.fromkeys(name for tag in entry.tags if (name := _single_line(tag)))
                    ),
                    source_name=source_name,
                )
            )
    return tuple(raws), tuple(problems)


def _distinct_lines(values: Iterable[str]) -> tuple[str, ...]:
    """Each distinct non-blank value once, on one line, in first-seen order."""
    return tuple(dict.fromkeys(line for value in values if (line := _single_line(value))))


def _minted_id(entry: _Entry, text: str) -> str:
    """A stable id for an entry that states none: a hash of what identifies it."""
    stated = (entry.link or "", entry.title or "", entry.published or "")
    key = "\n".join(stated) if any(stated) else text
    return "entry-" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


# --- values ---------------------------------------------------------------------


def _single_line(value: object) -> str | None:
    """A stated string value on one line, or None for anything else or blank."""
    if not isinstance(value, str):
        return None
    line = " ".join(_INVISIBLE.sub("", value).split())
    return unicodedata.normalize("NFC", line) or None


def _iso_date(stated: object, parsed: struct_time | None) -> str | None:
    """An ISO 8601 date, keeping the offset the feed stated.

    RFC 3339 and RFC 822 dates are read here so that the offset survives;
    feedparser's parsed date (converted to UTC) covers the rarer formats. A
    date without an offset stays without one rather than gaining a guessed one.
    """
    found: datetime | None = None
    if isinstance(stated, str) and stated.strip():
        text = stated.strip()
        try:
            found = datetime.fromisoformat(text)
        except ValueError:
            try:
                found = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                found = None
    if found is None and parsed is not None:
        try:
            found = datetime(*parsed[:6], tzinfo=UTC)
        except (TypeError, ValueError):
            found = None
    if found is None or not _EARLIEST_YEAR <= found.year <= _LATEST_YEAR:
        return None
    return found.isoformat()


def _body_text(body: _Body) -> str:
    """An entry text as plain paragraphs separated by blank lines.

    Text typed as HTML that holds no tag at all is plain text with entities
    (common in RSS descriptions): its blank lines are its paragraph breaks.
    """
    if not body.is_html:
        paragraphs = text_to_paragraphs(body.text)
    elif _MARKUP.search(body.text):
        paragraphs = html_to_paragraphs(body.text)
    else:
        paragraphs = text_to_paragraphs(html.unescape(body.text))
    return "\n\n".join(paragraphs)


def text_to_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of plain text: split at blank lines, white space collapsed, NFC."""
    paragraphs = (" ".join(_INVISIBLE.sub("", part).split()) for part in _BLANK_LINE.split(text))
    return tuple(unicodedata.normalize("NFC", part) for part in paragraphs if part)


def _flatten_deep_nesting(fragment: str) -> str:
    """``fragment`` with block tags nested deeper than the limit replaced by spaces."""
    if fragment.count("<") <= MAX_BLOCK_NESTING:
        return fragment
    pieces: list[str] = []
    open_tags: list[bool] = []  # for each open block: was its start tag dropped?
    kept_until = 0
    for token in _TAG_TOKEN.finditer(fragment):
        closing, name, self_closing = token.group(1), token.group(2).lower(), token.group(3)
        if name not in _BLOCK_TAGS or name in _SELF_ENDING_TAGS or self_closing:
            continue
        if closing:
            dropped = open_tags.pop() if open_tags else False
        else:
            dropped = len(open_tags) >= MAX_BLOCK_NESTING
            open_tags.append(dropped)
        if dropped:
            pieces.append(fragment[kept_until : token.start()] + " ")
            kept_until = token.end()
    pieces.append(fragment[kept_until:])
    return "".join(pieces)


def html_to_paragraphs(fragment: str) -> tuple[str, ...]:
    """Paragraphs of an HTML fragment, sanitised first so no active content survives.

    Block elements and double line breaks separate paragraphs; a single <br>
    is a line break inside one and becomes a space. Entities are decoded.
    """
    cleaned = nh3.clean(
        _flatten_deep_nesting(_UNSAFE_CHARS.sub("", fragment)),
        tags=set(_KEPT_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={},
        link_rel=None,
        strip_comments=True,
    )
    if not cleaned.strip():
        return ()
    try:
        root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    except (etree.ParserError, ValueError):
        return text_to_paragraphs(cleaned)
    pieces: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            pieces.append("\n\n" if tag in _BLOCK_TAGS else "\n" if tag == "br" else "")
            if tag and element.text:
                pieces.append(_WHITESPACE.sub(" ", element.text))
            continue
        pieces.append("\n\n" if tag in _BLOCK_TAGS else " " if tag in _CELL_TAGS else "")
        if element is not root and element.tail:
            pieces.append(_WHITESPACE.sub(" ", element.tail))
    return text_to_paragraphs("".join(pieces))


# --- files ----------------------------------------------------------------------


def read_feed_file(path: Path) -> Iterator[RawInput | Problem]:
    """A saved RSS, Atom or JSON Feed file: one RawInput per entry with text."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            yield Problem(origin, _too_large(size))
            return
        data = path.read_bytes()
    except OSError as error:
        yield Problem(origin, f"cannot read: {error.strerror or error}")
        return
    result = parse_feed(data, origin=origin)
    yield from result.problems
    yield from result.entries
