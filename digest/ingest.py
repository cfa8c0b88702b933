"""Ingest: the only stage that reads article sources.

Readers are registered by kind (``READERS``); each turns one file into
``RawInput`` records, or ``Problem`` records for what it could not use. A bad
file never stops the others: it is reported in one line and skipped.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

from charset_normalizer import from_bytes

from digest.extract import extract_page
from digest.feeds import looks_like_feed, read_feed_file
from digest.hygiene import without_surrogates
from digest.model import Problem, RawInput

# A single article larger than this is not an article: a log, a dump, a mistake.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
# How much of a file is inspected to tell text from binary.
SNIFF_BYTES = 8192

Reader = Callable[[Path], Iterator[RawInput | Problem]]

KINDS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".xml": "feed",
    ".json": "feed",
}
# Extensions many non-feed files share (sitemaps, package.json): inside a
# folder such a file is read only when its first bytes look like a feed.
SNIFFED_FEED_SUFFIXES = frozenset({".xml", ".json"})
# File names (without extension) that document a folder rather than hold an article.
FOLDER_DOCUMENTS = frozenset({"README", "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING"})
# A single web page larger than this is not an article page.
MAX_PAGE_BYTES = 8 * 1024 * 1024

# An HTML character reference: named (&amp;), decimal (&#8217;) or hex (&#x2019;).
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
# A front-matter block: "---" on the first line, "key: value" lines, "---".
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
# Front-matter keys and the RawInput field each fills; aliases seen in the wild.
FRONT_MATTER_KEYS = {
    "title": "title",
    "url": "url",
    "link": "url",
    "source": "source",
    "outlet": "source",
    "published": "published",
    "date": "published",
    "id": "input_id",
}
JSONL_KEYS = {"text", "title", "url", "published", "source", "id"}

# Markdown syntax that carries no words: links keep their text, emphasis and
# heading marks go.
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(\S(?:.*?\S)?)\1")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_MD_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_MD_CODE = re.compile(r"`([^`]*)`")


def kind_of(path: Path) -> str | None:
    """The reader kind for a file name, or None when no reader takes it."""
    return KINDS.get(path.suffix.lower())


def discover(paths: Sequence[Path]) -> Iterator[Path | Problem]:
    """Every readable input file under ``paths``, folders walked recursively.

    In folders, files of unknown kinds (labels, notes, images) are passed over
    quietly; a file named explicitly that no reader takes is a problem.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not _hidden(child, path) and _wanted(child):
                    yield child
        elif path.is_file():
            if kind_of(path):
                yield path
            else:
                yield Problem(str(path), f"no reader for '{path.suffix or path.name}' files")
        else:
            yield Problem(str(path), "no such file or folder")


def _wanted(path: Path) -> bool:
    """Whether a file found in a folder is an input: a known kind, sniffed if ambiguous.

    A folder's own documentation (README, LICENSE, CHANGELOG) is not news.
    """
    if kind_of(path) is None or path.stem.upper() in FOLDER_DOCUMENTS:
        return False
    if path.suffix.lower() not in SNIFFED_FEED_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            return looks_like_feed(handle.read(SNIFF_BYTES))
    except OSError:
        return True


def _hidden(path: Path, root: Path) -> bool:
    """True for files inside dot-folders or dot-files below ``root``."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def read_inputs(
    paths: Sequence[Path], *, latest: date | None = None
) -> Iterator[RawInput | Problem]:
    """Read every input under ``paths``, skipping exact copies of earlier ones.

    ``latest`` (the build's reference day) bounds the dates web pages may claim.
    """
    seen: dict[str, str] = {}
    for found in discover(paths):
        if isinstance(found, Problem):
            yield found
            continue
        kind = kind_of(found) or "text"
        items = read_html(found, latest) if kind == "html" else READERS[kind](found)
        for item in items:
            if isinstance(item, RawInput):
                item = tidy_text(item)
                key = _content_key(item.text)
                first = seen.setdefault(key, item.origin)
                if first != item.origin:
                    yield Problem(item.origin, f"exact copy of {first}")
                    continue
            yield item


def _tidy(text: str, unescape: bool) -> str:
    """Text in NFC form, with HTML entities a scraper left behind decoded."""
    if unescape and _ENTITY.search(text):
        text = html.unescape(text)
    return unicodedata.normalize("NFC", text)


def tidy_text(raw: RawInput) -> RawInput:
    """An input made safe to encode, its text and title in NFC; entities decoded in plain text.

    Every field loses its lone surrogates. Feeds and web pages decode their
    own markup, so only text-like inputs (scraped text, Markdown, JSON Lines)
    have their entities decoded here.
    """
    sound = {
        f.name: without_surrogates(v)
        for f in fields(raw)
        if isinstance(v := getattr(raw, f.name), str)
    }
    unescape = raw.kind in {"text", "markdown", "jsonl"}
    sound["text"] = _tidy(sound["text"], unescape)
    if sound.get("title"):
        sound["title"] = _tidy(sound["title"], unescape)
    return replace(raw, **sound, tags=tuple(without_surrogates(tag) for tag in raw.tags))


def _content_key(text: str) -> str:
    """A hash of the text with white space folded, to spot exact copies."""
    folded = " ".join(text.split())
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=16).hexdigest()


def decode(data: bytes, origin: str) -> tuple[str | None, Problem | None]:
    """Text of ``data``; a problem says why it is unusable or how it was decoded."""
    if not data.strip():
        return None, Problem(origin, "empty file")
    head = data[:SNIFF_BYTES]
    if b"\x00" in head or len(_CONTROL.findall(head)) > len(head) // 100 + 2:
        return None, Problem(origin, "binary file, not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        return None, Problem(origin, "not valid text in any known encoding")
    return str(best), Problem(origin, f"not UTF-8; decoded as {best.encoding}", "warning")


def _read_bytes(path: Path, limit: int) -> tuple[bytes | None, Problem | None]:
    """The bytes of one file, refusing oversized and unreadable ones."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > limit:
            reason = (
                f"too large for an article ({size / 1_048_576:.1f} MB > {limit // 1_048_576} MB)"
            )
            return None, Problem(origin, reason)
        return path.read_bytes(), None
    except OSError as error:
        return None, Problem(origin, f"cannot read: {error.strerror or error}")


def _read_file(path: Path) -> tuple[str | None, list[Problem]]:
    """Decode one article file, refusing oversized, unreadable and binary ones."""
    data, problem = _read_bytes(path, MAX_ARTICLE_BYTES)
    if data is None:
        return None, [problem] if problem else []
    text, problem = decode(data, str(path))
    return text, [problem] if problem else []


def split_front_matter(text: str) -> tuple[dict[str, str], str, tuple[str, ...]]:
    """Front-matter fields, the body after them, and any keys not understood."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, ()
    fields: dict[str, str] = {}
    unknown: list[str] = []
    for line in match.group(1).splitlines():
        parsed = _FRONT_MATTER_LINE.match(line)
        if not parsed:
            continue
        key, value = parsed.group(1).lower(), _unquote(parsed.group(2))
        field = FRONT_MATTER_KEYS.get(key)
        if field is None:
            unknown.append(key)
        elif value:
            fields.setdefault(field, value)
    return fields, text[match.end() :], tuple(unknown)


def _unquote(value: str) -> str:
    """A front-matter value without surrounding quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def markdown_to_text(body: str) -> str:
    """Plain text of a Markdown body: link text kept, syntax marks dropped."""
    body = _MD_IMAGE.sub("", body)
    body = _MD_LINK.sub(r"\1", body)
    body = _MD_EMPHASIS.sub(r"\2", body)
    body = _MD_CODE.sub(r"\1", body)
    body = _MD_HEADING.sub("", body)
    return _MD_QUOTE.sub("", body)


def read_text(path: Path) -> Iterator[RawInput | Problem]:
    """A scraped plain-text article, optionally with a front-matter block."""
    yield from _read_document(path, "text")


def read_markdown(path: Path) -> Iterator[RawInput | Problem]:
    """A hand-curated Markdown article with a front-matter block."""
    yield from _read_document(path, "markdown")


def _read_document(path: Path, kind: str) -> Iterator[RawInput | Problem]:
    text, problems = _read_file(path)
    yield from problems
    if text is None:
        return
    fields, body, unknown = split_front_matter(text)
    if unknown:
        keys = ", ".join(sorted(set(unknown)))
        yield Problem(str(path), f"front matter: ignored unknown key(s) {keys}", "warning")
    if kind == "markdown":
        body = markdown_to_text(body)
    if not body.strip():
        yield Problem(str(path), "no article text")
        return
    yield RawInput(
        origin=str(path),
        kind=kind,
        text=body,
        title=fields.get("title"),
        url=fields.get("url"),
        source=fields.get("source"),
        published=fields.get("published"),
        input_id=fields.get("input_id"),
    )


def read_jsonl(path: Path) -> Iterator[RawInput | Problem]:
    """One article per line; a bad line is reported and the rest still read.

    The file is streamed line by line, so its size is not limited, only each
    line's.
    """
    origin = str(path)
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Problem(origin, f"cannot read: {error.strerror or error}")
        return
    with handle:
        head = handle.read(SNIFF_BYTES)
        if b"\x00" in head:
            yield Problem(origin, "binary file, not JSON Lines")
            return
        handle.seek(0)
        blank = True
        for number, line in enumerate(_bounded_lines(handle), start=1):
            item = _jsonl_record(line, f"{origin}:{number}")
            if item is not None:
                blank = False
                yield item
        if blank:
            yield Problem(origin, "empty file")


def _bounded_lines(handle: Iterable[bytes]) -> Iterator[bytes | None]:
    """Lines of a binary stream; None stands for a line over the size limit."""
    for line in handle:
        yield None if len(line) > MAX_ARTICLE_BYTES else line


def _jsonl_record(line: bytes | None, origin: str) -> RawInput | Problem | None:
    """One JSON Lines record, or the reason it cannot be used."""
    if line is None:
        return Problem(origin, "line too large for an article")
    if not line.strip():
        return None
    text, problem = decode(line, origin)
    if text is None:
        return problem
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        return Problem(origin, f"not JSON ({error.msg} at column {error.colno})")
    if not isinstance(record, dict):
        return Problem(origin, "not a JSON object")
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        return Problem(origin, "no 'text' key with the article text")
    return RawInput(
        origin=origin,
        kind="jsonl",
        text=body,
        title=_as_text(record.get("title")),
        url=_as_text(record.get("url")),
        source=_as_text(record.get("source")),
        published=_as_text(record.get("published")),
        input_id=_as_text(record.get("id")),
    )


def _as_text(value: object) -> str | None:
    """A JSON scalar as text; other shapes are ignored."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def read_html(path: Path, latest: date | None = None) -> Iterator[RawInput | Problem]:
    """A saved web page: its main text and metadata, extracted.

    ``latest`` is the build's reference day: a page cannot have been
    published after it, and giving it keeps extraction off the clock.
    """
    origin = str(path)
    data, problem = _read_bytes(path, MAX_PAGE_BYTES)
    if data is None:
        if problem:
            yield problem
        return
    if not data.strip():
        yield Problem(origin, "empty file")
        return
    page = extract_page(data, latest=latest)
    if page is None or not page.paragraphs:
        yield Problem(origin, "no article text found in the page")
        return
    yield RawInput(
        origin=origin,
        kind="html",
        text="\n\n".join(page.paragraphs),
        title=page.title,
        url=page.url,
        source=page.site_name,
        published=page.published,
        author=page.author,
    )


READERS: dict[str, Reader] = {
    "text": read_text,
    "markdown": read_markdown,
    "jsonl": read_jsonl,
    "html": read_html,
    "feed": read_feed_file,
}
