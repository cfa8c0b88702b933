"""What every output format shows of a brief, prepared once so formats never drift.

The site, the feed, the Markdown pages and the email all render the same
``BriefView``: cleaned one-line text, display dates, plural-aware labels and
only the source links that are safe to follow. Renderers add markup, nothing
else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeVar, cast
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.briefs import MONTHS
from digest.model import Brief, Site, Story
from digest.render.paths import story_page

# Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF) plus the remaining C1 controls: scraped text
# sometimes carries them, and a single one makes the feed unparseable.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Any run of whitespace, including line and paragraph separators: every text
# we show is a single line (a headline, a sentence, a name).
_WHITESPACE_RUN = re.compile(r"\s+")
# An anchor must be a non-empty token without whitespace to be a valid HTML id.
_ANCHOR_UNSAFE = re.compile(r"[\s#]+")
# A BCP 47 language tag: subtags of 1-8 letters or digits joined by "-".
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
# Only these schemes are linked; a "javascript:" or "data:" URL from a
# scraped page is shown as text, never made clickable.
_LINKABLE_SCHEMES = frozenset({"http", "https"})
# Characters a URI keeps as they are: RFC 3986's reserved and unreserved
# characters and "%" (an escape already made). Letters, digits and "_.-~"
# are always kept by ``quote``.
_URI_KEEP = ":/?#[]@!$&'()*+,;=%"

UNTITLED_STORY = "Untitled story"
UNKNOWN_OUTLET = "Unknown outlet"


@dataclass(frozen=True, slots=True)
class SourceView:
    """One article that covered a story: who published it and where."""

    outlet: str
    title: str
    url: str | None


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as every format shows it."""

    anchor: str
    headline: str
    day: date
    day_label: str
    date_uncertain: bool
    sentences: tuple[str, ...]
    outlet_count: int
    coverage: str
    sources: tuple[SourceView, ...]
    # The story's own page, relative to the output folder; a page prefixes
    # it with the way back to that folder.
    page: str = ""

    @property
    def summary(self) -> str:
        """The summary sentences as one short paragraph."""
        return " ".join(self.sentences)


@dataclass(frozen=True, slots=True)
class BriefView:
    """A brief as every format shows it: its stories in the brief's order."""

    id: str
    title: str
    start: date
    end: date
    span_label: str
    count_label: str
    updated: datetime
    updated_label: str
    stories: tuple[StoryView, ...]


def clean_line(text: str) -> str:
    """Text safe for any format: no forbidden characters, one line, trimmed."""
    # Most text is already clean: printable text holds no control, surrogate
    # or non-character, and no whitespace but the plain space, so it needs
    # only its space runs and ends checked (a build cleans every outlet and title).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return _WHITESPACE_RUN.sub(" ", _FORBIDDEN_CHARS.sub("", text)).strip()


def site_title(site: Site) -> str:
    """The configured title, cleaned, never empty."""
    return clean_line(site.title) or "News digest"


def language_tag(site: Site) -> str:
    """The configured language if it is a well-formed tag ("en", "pt-BR"), else "en"."""
    candidate = clean_line(site.language).replace("_", "-")
    return candidate if _LANGUAGE_TAG.fullmatch(candidate) else "en"


def linkable_url(url: str | None) -> str | None:
    """The URL if it is a web address a reader may follow, else None.

    Characters a URI may not hold (quotes, angle brackets, non-ASCII
    letters) are percent-encoded as a browser would before requesting it.
    """
    if url is None:
        return None
    candidate = clean_line(url)
    if " " in candidate:
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINKABLE_SCHEMES or not parts.netloc:
        return None
    return quote(candidate, safe=_URI_KEEP)


def plural(count: int, one: str, many: str) -> str:
    """``1 story`` / ``3 stories``."""
    return f"{count} {one if count == 1 else many}"


def format_day(day: date) -> str:
    """``21 September 2020``: unambiguous in every English-speaking country."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_span(start: date, end: date) -> str:
    """A date range, sharing the month and year when they are the same."""
    if end <= start:
        return format_day(start)
    if start.year != end.year:
        return f"{format_day(start)} – {format_day(end)}"
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]} – {format_day(end)}"
    return f"{start.day}–{format_day(end)}"


def site_zone(site: Site) -> ZoneInfo:
    """The configured time zone, or UTC when the name is unknown."""
    try:
        return ZoneInfo(site.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def aware(moment: datetime) -> datetime:
    """A time with a zone; a naive one is taken as UTC rather than refused."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def format_moment(moment: datetime, zone: ZoneInfo) -> str:
    """``22 September 2020, 08:00 UTC`` in the site's time zone."""
    local = aware(moment).astimezone(zone)
    return f"{format_day(local.date())}, {local:%H:%M} {local.tzname() or ''}".rstrip()


def story_anchors(stories: Sequence[Story]) -> tuple[str, ...]:
    """One unique HTML id per story, taken from its id so links stay stable."""
    anchors: list[str] = []
    taken: set[str] = set()
    for position, story in enumerate(stories, start=1):
        base = _ANCHOR_UNSAFE.sub("-", clean_line(story.id)).strip("-") or f"story-{position}"
        anchor, suffix = base, 2
        while anchor in taken:
            anchor, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(anchor)
        anchors.append(anchor)
    return tuple(anchors)


T = TypeVar("T")
# The views made so far in the current ``views_shared`` block, by what they
# show (object identities) and how; each entry keeps those objects alive,
# so an identity cannot be reused by another object while the block runs.
_SHARED: ContextVar[dict[tuple[object, ...], tuple[tuple[object, ...], object]] | None]
_SHARED = ContextVar("digest_shared_views", default=None)


@contextmanager
def views_shared() -> Iterator[None]:
    """Within this block each view is made once and shared by every format.

    Every format shows every brief and story, so a build would otherwise make
    the same views a dozen times over.
    """
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(kind: str, shown: tuple[object, ...], make: Callable[[], T], *extra: object) -> T:
    """``make()``, or within ``views_shared`` the view already made of ``shown``."""
    memo = _SHARED.get()
    if memo is None:
        return make()
    key = (kind, *map(id, shown), *extra)
    if key not in memo:
        memo[key] = (shown, make())
    return cast(T, memo[key][1])


def source_views(story: Story) -> tuple[SourceView, ...]:
    """Each covering article, in the story's order; made once, for the story and its page."""
    return shared("sources", (story,), lambda: _make_source_views(story))


def _make_source_views(story: Story) -> tuple[SourceView, ...]:
    return tuple(
        SourceView(
            outlet=clean_line(article.outlet) or UNKNOWN_OUTLET,
            title=clean_line(article.title),
            url=linkable_url(article.url),
        )
        for article in story.articles
    )


def story_view(story: Story, anchor: str) -> StoryView:
    """What is shown of one story."""
    return shared("story", (story,), lambda: _make_story_view(story, anchor), anchor)


def _make_story_view(story: Story, anchor: str) -> StoryView:
    outlets = {clean_line(name) or UNKNOWN_OUTLET for name in story.outlets}
    count = len(outlets)
    return StoryView(
        anchor=anchor,
        headline=clean_line(story.title) or clean_line(story.lead.title) or UNTITLED_STORY,
        day=story.date,
        day_label=format_day(story.date),
        date_uncertain=story.date_uncertain,
        sentences=tuple(s for s in (clean_line(s) for s in story.summary) if s),
        outlet_count=count,
        coverage=f"Covered by {plural(count, 'outlet', 'outlets')}",
        sources=source_views(story),
        page=story_page(story.id),
    )


def brief_view(brief: Brief, site: Site) -> BriefView:
    """What is shown of one brief, in every format."""
    return shared("brief", (brief, site), lambda: _make_brief_view(brief, site))


def _make_brief_view(brief: Brief, site: Site) -> BriefView:
    anchors = story_anchors(brief.stories)
    return BriefView(
        id=brief.id,
        title=clean_line(brief.title) or format_span(brief.start, brief.end),
        start=brief.start,
        end=brief.end,
        span_label=format_span(brief.start, brief.end),
        count_label=plural(len(brief.stories), "story", "stories"),
        updated=aware(brief.updated),
        updated_label=format_moment(brief.updated, site_zone(site)),
        stories=tuple(story_view(s, a) for s, a in zip(brief.stories, anchors, strict=True)),
    )


def newest_first(briefs: Iterable[Brief]) -> tuple[Brief, ...]:
    """Briefs by period, latest first; the id breaks ties so the order is total."""
    return tuple(sorted(briefs, key=lambda b: (b.end, b.start, b.id), reverse=True))
