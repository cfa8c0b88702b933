"""The records the pipeline's stages pass to each other.

Every record is frozen and holds tuples, never lists or dicts, so a stage can
neither change what an earlier stage produced nor depend on hidden state.

    RawInput  --clean/dates/sentences-->  Article
    Article*  --stories-->                Cluster*  --summarise-->  Story*
    Story*    --briefs-->                 Brief*
    everything, plus Problem* and Site   -> Digest  --render-->  files
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

import zstandard

Period = Literal["week", "day"]
Severity = Literal["skipped", "warning"]
Tier = Literal["lead", "same-article", "copy", "same-event"]

# Article texts are held compressed at this zstd level: the fastest, about
# 2.6 times smaller on news text. A build keeps every article of its window
# in memory, and their texts were half of what it held at 100k articles;
# the stages that read a text read it once or twice.
TEXT_LEVEL = 1
# zstd compressors are not safe to share between threads: one per thread.
_codecs = threading.local()


def pack_text(text: str) -> bytes:
    """A text as an Article holds it (see TEXT_LEVEL)."""
    try:
        compressor = _codecs.compressor
    except AttributeError:
        compressor = _codecs.compressor = zstandard.ZstdCompressor(level=TEXT_LEVEL)
    packed = compressor.compress(text.encode("utf-8", "surrogatepass"))
    # The compressor's result keeps the room it reserved for the worst case
    # (the whole text); a copy is its own size.
    return memoryview(packed).tobytes()


def unpack_text(packed: bytes) -> str:
    """The text ``pack_text`` packed."""
    try:
        decompressor = _codecs.decompressor
    except AttributeError:
        decompressor = _codecs.decompressor = zstandard.ZstdDecompressor()
    return str(decompressor.decompress(packed), "utf-8", "surrogatepass")


def pack_sentences(sentences: Sequence[str]) -> bytes:
    """Sentences as an Article holds them: one packed JSON list.

    Held as Python strings, an article's opening sentences took more memory
    than its whole packed text; JSON keeps any sentence exactly as it was.
    """
    return pack_text(json.dumps(list(sentences), ensure_ascii=False, separators=(",", ":")))


def unpack_sentences(packed: bytes) -> tuple[str, ...]:
    """The sentences ``pack_sentences`` packed."""
    return tuple(json.loads(unpack_text(packed)))


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one input: reported in one line, never raised."""

    origin: str
    reason: str
    severity: Severity = "skipped"

    def line(self) -> str:
        """The one-line message shown to the user."""
        return f"{self.origin}: {self.severity}: {self.reason}"


@dataclass(frozen=True, slots=True)
class RawInput:
    """One article as a reader found it, before any cleaning.

    Fields other than ``text`` are set only when the input states them
    (front matter, JSON keys); a plain scraped text file gives ``text`` alone.
    """

    origin: str
    kind: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    input_id: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    source_name: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned, dated, segmented article: the unit every later stage uses."""

    id: str
    origin: str
    title: str
    # The cleaned text, compressed (``pack_text``); read it as ``text``.
    packed_text: bytes
    # The opening paragraphs' sentences (``sentences.opening_sentences``),
    # packed (``pack_sentences``): all that summaries and fallback titles
    # read. Read them as ``sentences``.
    packed_sentences: bytes
    url: str | None = None
    source: str | None = None
    byline: str | None = None
    wire: str | None = None
    published: datetime | None = None
    event_date: date | None = None
    date_uncertain: bool = False
    date_from_reference: bool = False
    date_evidence: str = ""
    fingerprint: str = ""
    tags: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The cleaned text: paragraphs separated by blank lines."""
        return unpack_text(self.packed_text)

    @property
    def sentences(self) -> tuple[str, ...]:
        """The opening paragraphs' sentences, in order."""
        return unpack_sentences(self.packed_sentences)

    @property
    def day(self) -> date:
        """The date that places the article: the event, else publication."""
        if self.event_date is not None:
            return self.event_date
        assert self.published is not None, "pipeline always sets one of the two"
        return self.published.date()

    @property
    def outlet(self) -> str:
        """The outlet's name for listings, falling back to the input's origin."""
        return self.source or self.origin


@dataclass(frozen=True, slots=True)
class Link:
    """Why one article belongs to its cluster."""

    article: str
    tier: Tier
    similarity: float = 1.0
    shared: tuple[str, ...] = ()
    days_apart: int | None = None
    copy_of: str | None = None

    def reason(self) -> str:
        """A short human explanation of the link."""
        if self.tier == "lead":
            return "lead report"
        parts = [f"{self.tier} ({self.similarity:.2f})"]
        if self.copy_of:
            parts.append(f"copy of {self.copy_of}")
        if self.shared:
            parts.append("shares " + ", ".join(self.shared[:6]))
        if self.days_apart is not None:
            parts.append(f"{self.days_apart} day(s) apart")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Cluster:
    """Articles judged to report one event, before summarising."""

    id: str
    lead: str
    links: tuple[Link, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(link.article for link in self.links)


@dataclass(frozen=True, slots=True)
class Story:
    """One event with every article that covered it and its extracted lead."""

    id: str
    title: str
    date: date
    date_uncertain: bool
    summary: tuple[str, ...]
    lead: Article
    articles: tuple[Article, ...]
    links: tuple[Link, ...]
    earlier: tuple[str, ...] = ()

    @property
    def outlets(self) -> tuple[str, ...]:
        """Distinct outlet names, in the order of ``articles``."""
        return tuple(dict.fromkeys(article.outlet for article in self.articles))

    @property
    def tags(self) -> tuple[str, ...]:
        """The topics its articles were filed under, sorted, each once."""
        return tuple(sorted({tag for article in self.articles for tag in article.tags}))

    @property
    def independent_reports(self) -> int:
        """How many members are reports of their own, not copies of another."""
        return sum(1 for link in self.links if link.tier in ("lead", "same-event"))

    @property
    def updated(self) -> datetime | None:
        """Latest publication time among the articles, if any has one."""
        times = [a.published for a in self.articles if a.published is not None]
        return max(times) if times else None


@dataclass(frozen=True, slots=True)
class Brief:
    """The stories of one period (an ISO week or a day)."""

    id: str
    period: Period
    title: str
    start: date
    end: date
    stories: tuple[Story, ...]
    updated: datetime

    @property
    def slug(self) -> str:
        """The lower-case key used in paths: ``2020-w39``, ``2020-09-26``."""
        return self.id.lower()


@dataclass(frozen=True, slots=True)
class Site:
    """What the user configured about the published digest."""

    title: str = "News digest"
    base_url: str = ""
    id_domain: str = "digest.invalid"
    author: str = "digest"
    language: str = "en"
    timezone: str = "UTC"
    period: Period = "week"


@dataclass(frozen=True, slots=True)
class Digest:
    """The whole result of a build: what every renderer receives."""

    site: Site
    generated: datetime
    articles: tuple[Article, ...]
    stories: tuple[Story, ...]
    briefs: tuple[Brief, ...]
    problems: tuple[Problem, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file a renderer produced, at a path relative to the output folder."""

    path: str
    content: bytes
