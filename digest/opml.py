"""OPML: the subscription lists feed readers import and export.

Reading is tolerant (an outline that cannot be used becomes a ``Problem`` and
the rest are still imported) but refuses any document with a DTD: entity
declarations are how XML files expand to gigabytes or read local files, and
an OPML file has no use for them. Folders a feed sits in become its tags.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from digest.config import ConfigError, SourceConfig, check_web_url, parse_config
from digest.model import Problem

# Markup that declares a DTD or entities, refused before the parser sees it.
# Checked in the byte forms of ASCII-compatible encodings and of UTF-16.
_DECLARATIONS = tuple(
    marker.encode(encoding)
    for marker in ("<!doctype", "<!entity")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
# Runs of whitespace and control characters inside a feed's title.
_MESSY_SPACE = re.compile(r"[\s\x00-\x1f\x7f]+")
# Control characters TOML basic strings must escape (tab, newline included for one-line values).
_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_TOML_CONTROL = re.compile(r'["\\\x00-\x1f\x7f]')
# Kinds a feed reader can subscribe to; local files and plain pages are not exported.
EXPORTED_KINDS = ("feed", "auto")


@dataclass(frozen=True, slots=True)
class OpmlImport:
    """The feeds found in an OPML file and what could not be used."""

    sources: tuple[SourceConfig, ...]
    problems: tuple[Problem, ...]


def _local_name(tag: str) -> str:
    """An element name without any namespace: ``{ns}outline`` -> ``outline``."""
    return tag.rsplit("}", 1)[-1].lower()


def _attributes(element: ET.Element) -> dict[str, str]:
    """Attributes by lower-case name, since exporters disagree on ``xmlUrl`` vs ``xmlurl``."""
    return {_local_name(key): value for key, value in element.attrib.items()}


def _tidy(text: str | None) -> str:
    """A title on one line with single spaces."""
    return _MESSY_SPACE.sub(" ", text or "").strip()


def _categories(value: str) -> tuple[str, ...]:
    """Tags from an OPML 2.0 ``category`` attribute: comma-separated ``/slash/paths``."""
    return tuple(
        _tidy(part) for path in value.split(",") for part in path.split("/") if _tidy(part)
    )


def _feeds(
    element: ET.Element, folders: tuple[str, ...], origin: str
) -> Iterator[SourceConfig | Problem]:
    """Every outline under ``element`` with a feed URL, its folders as tags."""
    for child in element:
        if _local_name(child.tag) != "outline":
            continue
        attributes = _attributes(child)
        title = _tidy(attributes.get("text")) or _tidy(attributes.get("title"))
        url = attributes.get("xmlurl", "").strip()
        if not url:
            yield from _feeds(child, (*folders, title) if title else folders, origin)
            continue
        problem = check_web_url(url)
        if problem:
            label = title or url
            yield Problem(origin, f"outline {label!r}: {problem}; got {url!r}")
            continue
        tags = (*folders, *_categories(attributes.get("category", "")))
        yield SourceConfig(
            name=title or (urlsplit(url).hostname or url),
            url=url,
            path=None,
            kind="feed",
            tags=tuple(dict.fromkeys(tags)),
        )
        yield from _feeds(child, folders, origin)


def _unique_name(source: SourceConfig, taken: Mapping[str, object]) -> str:
    """The source's name, or it with the feed's host (then a number) if the name is taken."""
    if source.name.casefold() not in taken:
        return source.name
    host = urlsplit(source.url or "").hostname or "feed"
    candidate = f"{source.name} ({host})"
    number = 2
    while candidate.casefold() in taken:
        candidate = f"{source.name} ({host} {number})"
        number += 1
    return candidate


def read_opml(data: bytes, origin: str = "OPML") -> OpmlImport:
    """The feeds in an OPML document; bad outlines and bad documents become problems."""
    lowered = data.lower()
    if any(marker in lowered for marker in _DECLARATIONS):
        reason = "has a DTD or entity declarations, which OPML never needs; refused"
        return OpmlImport((), (Problem(origin, reason),))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return OpmlImport((), (Problem(origin, f"not well-formed XML: {error}"),))
    except (LookupError, ValueError) as error:  # an encoding expat cannot read
        return OpmlImport((), (Problem(origin, f"not readable XML: {error}"),))
    if _local_name(root.tag) != "opml":
        reason = f"not an OPML document (its root element is <{_local_name(root.tag)}>)"
        return OpmlImport((), (Problem(origin, reason),))
    body = next((e for e in root if _local_name(e.tag) == "body"), None)
    problems: list[Problem] = []
    by_url: dict[str, SourceConfig] = {}
    names: dict[str, str] = {}
    for found in _feeds(body if body is not None else root, (), origin):
        if isinstance(found, Problem):
            problems.append(found)
            continue
        url = found.url or ""
        if url in by_url:
            # One feed filed under several folders: one source carrying every folder's tag.
            first = by_url[url]
            merged = tuple(dict.fromkeys((*first.tags, *found.tags)))
            by_url[url] = replace(first, tags=merged)
            continue
        name = _unique_name(found, names)
        names[name.casefold()] = url
        by_url[url] = replace(found, name=name)
    if not by_url and not problems:
        problems.append(Problem(origin, "no feed outlines (xmlUrl) found", "warning"))
    return OpmlImport(tuple(by_url.values()), tuple(problems))


def import_opml(data: bytes) -> tuple[SourceConfig, ...]:
    """The feeds in an OPML document, skipping what cannot be used."""
    return read_opml(data).sources


def export_opml(sources: Iterable[SourceConfig], title: str) -> bytes:
    """An OPML 2.0 document of the feed sources, in the order given.

    Each feed sits in a folder named for its first tag (what most readers
    show) and lists all its tags in ``category``, so importing it back gives
    the same sources. No creation date is written: the same sources give the
    same bytes.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for source in sources:
        if source.url is None or source.kind not in EXPORTED_KINDS:
            continue
        parent = body
        if source.tags:
            first = source.tags[0]
            if first not in folders:
                folders[first] = ET.SubElement(body, "outline", text=first, title=first)
            parent = folders[first]
        outline = ET.SubElement(
            parent, "outline", type="rss", text=source.name, title=source.name, xmlUrl=source.url
        )
        if source.tags:
            outline.set("category", ",".join("/" + tag.replace("/", " ") for tag in source.tags))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, quotes and control characters escaped."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return _TOML_ESCAPES.get(char, f"\\u{ord(char):04x}")

    return '"' + _TOML_CONTROL.sub(escape, text) + '"'


def source_table(source: SourceConfig, folder: Path) -> str:
    """One ``[[sources]]`` table; a path inside ``folder`` is written relative to it."""
    lines = ["[[sources]]", f"name = {toml_string(source.name)}"]
    if source.url is not None:
        lines.append(f"url = {toml_string(source.url)}")
    if source.path is not None:
        path = source.path
        shown = path.relative_to(folder) if path.is_relative_to(folder) else path
        lines.append(f"path = {toml_string(shown.as_posix())}")
    lines.append(f"kind = {toml_string(source.kind)}")
    if source.full_text:
        lines.append("full_text = true")
    if source.tags:
        lines.append("tags = [" + ", ".join(toml_string(tag) for tag in source.tags) + "]")
    return "\n".join(lines) + "\n"


def append_sources(config_path: Path, sources: Iterable[SourceConfig]) -> int:
    """Append the sources the config lacks as ``[[sources]]`` tables; returns how many.

    The file is extended as text, so the user's comments and layout survive.
    A source whose URL or path is already configured is skipped; one whose
    name alone is taken gets its feed's host added to the name. The new text
    is checked as a whole config before it replaces the file, atomically.
    """
    target = config_path.resolve()
    try:
        text = target.read_text(encoding="utf-8")
        existing = tomllib.loads(text.removeprefix("\ufeff")).get("sources", [])
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(
            f"{config_path}: cannot add sources: {error}",
            "fix the config file first; `digest sources` checks it",
        ) from None
    folder = target.parent
    names: dict[str, object] = {}
    locations: set[str] = set()
    for entry in existing if isinstance(existing, list) else []:
        if isinstance(entry, dict):
            names[str(entry.get("name", "")).strip().casefold()] = True
            for key in ("url", "path"):
                if isinstance(entry.get(key), str):
                    locations.add(_location_key(key, entry[key].strip(), folder))
    tables: list[str] = []
    for source in sources:
        location = (
            _location_key("url", source.url, folder)
            if source.url is not None
            else _location_key("path", str(source.path), folder)
        )
        if location in locations:
            continue
        locations.add(location)
        named = replace(source, name=_unique_name(source, names))
        names[named.name.casefold()] = True
        tables.append(source_table(named, folder))
    if not tables:
        return 0
    separator = "" if not text or text.endswith("\n") else "\n"
    updated = text + separator + "\n" + "\n".join(tables)
    parse_config(updated, config_path)
    _replace_text(target, updated)
    return len(tables)


def _location_key(key: str, value: str, folder: Path) -> str:
    """What makes two sources the same: the URL as written, or the absolute path."""
    if key == "url":
        return "url:" + value
    path = Path(value).expanduser()
    return "path:" + str(path if path.is_absolute() else folder / path)


def _replace_text(target: Path, text: str) -> None:
    """Write ``text`` over ``target`` atomically, keeping its permissions."""
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=".digest-", suffix=".toml", dir=target.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, target.stat().st_mode & 0o7777)
        os.replace(temporary, target)
    except OSError as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise ConfigError(
            f"{target}: cannot write: {error.strerror}", "check the file and folder permissions"
        ) from None
