"""What a story's own page and its feed entry show: every source, copies under their originals.

A reader who doubts a story should see who reported it and how: which
outlets wrote their own report, which only carried a syndicated copy (listed
under the report it copies), when each was published, the earlier stories of
the same storyline and the brief the story belongs to. ``StoryDetail`` holds
exactly that, prepared once for the site's story page and the stories feed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from digest.model import Article, Brief, Digest, Link, Story
from digest.render.paths import brief_page
from digest.render.views import (
    SourceView,
    StoryView,
    aware,
    clean_line,
    format_day,
    format_moment,
    format_span,
    newest_first,
    plural,
    shared,
    site_zone,
    source_views,
    story_anchors,
    story_view,
)

# Characters kept verbatim in a link's #fragment; the rest is percent-encoded
# so an anchor made from an odd story id still makes a valid URL.
_FRAGMENT_SAFE = "-._~!$&'()*+,;=:@/?"
# Tiers of a report that copies another one rather than reporting on its own.
_COPY_TIERS = frozenset({"copy", "same-article"})
# What each tier of report is called beside its source.
_TIER_NOTES = {
    "lead": "lead report",
    "same-event": "independent report",
    "copy": "copy",
    "same-article": "same article",
}


@dataclass(frozen=True, slots=True)
class ReportView:
    """One article that covered a story, with the copies that repeat it."""

    source: SourceView
    note: str
    published_iso: str | None
    published_label: str | None
    copies: tuple[ReportView, ...] = ()


@dataclass(frozen=True, slots=True)
class StorylineEntry:
    """Another story of the same storyline, linked by its page."""

    headline: str
    day: date
    day_label: str
    page: str


@dataclass(frozen=True, slots=True)
class StoryDetail:
    """Everything a story's page shows; paths are relative to the output folder."""

    story: StoryView
    coverage_label: str
    reports: tuple[ReportView, ...]
    earlier: tuple[StorylineEntry, ...]
    later: tuple[StorylineEntry, ...]
    brief_title: str
    brief_page: str
    brief_fragment: str


def last_source_time(story: Story) -> datetime | None:
    """``Story.updated``, with naive times read as UTC so a mix of both never fails to compare."""
    times = [aware(a.published) for a in story.articles if a.published is not None]
    return max(times) if times else None


def quote_fragment(anchor: str) -> str:
    """An anchor as it may appear after ``#`` in an href."""
    return quote(anchor, safe=_FRAGMENT_SAFE)


def coverage_label(outlets: int, reports: int) -> str:
    """``Covered by 3 outlets, 2 independent reports``."""
    return (
        f"Covered by {plural(outlets, 'outlet', 'outlets')}, "
        f"{plural(reports, 'independent report', 'independent reports')}"
    )


def original_of(article_id: str, links: Mapping[str, Link], present: set[str]) -> str | None:
    """The report a copy repeats, followed to the first non-copy; None for a report of its own."""
    seen = {article_id}
    current = article_id
    while True:
        link = links.get(current)
        if link is None or link.tier not in _COPY_TIERS or link.copy_of not in present:
            break
        target = link.copy_of
        assert target is not None, "membership in present excludes None"
        if target in seen:
            # A cycle of copies has no original; the chain's start stands alone.
            return None
        seen.add(target)
        current = target
    return None if current == article_id else current


def report_note(article: Article, links: Mapping[str, Link], outlet_of: Mapping[str, str]) -> str:
    """``lead report``, ``independent report`` or ``copy of <outlet>``."""
    link = links.get(article.id)
    if link is None:
        return ""
    if link.tier in _COPY_TIERS and link.copy_of in outlet_of:
        assert link.copy_of is not None, "membership in outlet_of excludes None"
        verb = "copy of" if link.tier == "copy" else "same article as"
        return f"{verb} {outlet_of[link.copy_of]}"
    return _TIER_NOTES.get(link.tier, "")


def report_views(story: Story, zone: ZoneInfo) -> tuple[ReportView, ...]:
    """Reports of their own in the story's order, each with its copies beneath it."""
    links = {link.article: link for link in story.links}
    # An article listed twice is shown once, where it first appears.
    members: dict[str, tuple[Article, SourceView]] = {}
    for article, source in zip(story.articles, source_views(story), strict=True):
        members.setdefault(article.id, (article, source))
    outlet_of = {article_id: source.outlet for article_id, (_, source) in members.items()}
    views = {}
    for article_id, (article, source) in members.items():
        published = aware(article.published) if article.published else None
        views[article_id] = ReportView(
            source=source,
            note=report_note(article, links, outlet_of),
            published_iso=published.isoformat() if published else None,
            published_label=format_moment(published, zone) if published else None,
        )
    present = set(views)
    originals = {article_id: original_of(article_id, links, present) for article_id in views}
    return tuple(
        replace(view, copies=tuple(views[c] for c, of in originals.items() if of == article_id))
        for article_id, view in views.items()
        if originals[article_id] is None
    )


def placed_stories(digest: Digest) -> Iterator[tuple[Brief, Story, str]]:
    """Each story with its brief and its anchor there: newest brief first, the brief's order.

    A story id names one story: when two stories share an id (never in a
    real build), only the first gets a page and a feed entry.
    """
    seen: set[str] = set()
    for brief in newest_first(digest.briefs):
        for story, anchor in zip(brief.stories, story_anchors(brief.stories), strict=True):
            if story.id not in seen:
                seen.add(story.id)
                yield brief, story, anchor


def storyline_entry(story: Story) -> StorylineEntry:
    """How a story is listed among the others of its storyline."""
    view = story_view(story, story.id)
    return StorylineEntry(
        headline=view.headline, day=story.date, day_label=format_day(story.date), page=view.page
    )


def story_details(digest: Digest) -> tuple[tuple[Story, StoryDetail], ...]:
    """Each story that has a page with its detail, in ``placed_stories`` order."""
    return shared("details", (digest,), lambda: _make_story_details(digest))


def _make_story_details(digest: Digest) -> tuple[tuple[Story, StoryDetail], ...]:
    placed = tuple(placed_stories(digest))
    entries = {story.id: storyline_entry(story) for _, story, _ in placed}
    later: dict[str, list[str]] = {}
    for _, story, _ in placed:
        for earlier_id in dict.fromkeys(story.earlier):
            if earlier_id != story.id:
                later.setdefault(earlier_id, []).append(story.id)
    zone = site_zone(digest.site)

    def storyline(ids: Sequence[str], own: str) -> tuple[StorylineEntry, ...]:
        """The linked stories among ``ids``, oldest first; unknown ids have no page to link."""
        known = [entries[i] for i in dict.fromkeys(ids) if i in entries and i != own]
        return tuple(sorted(known, key=lambda e: (e.day, e.page)))

    details = []
    for brief, story, anchor in placed:
        view = story_view(story, anchor)
        detail = StoryDetail(
            story=view,
            coverage_label=coverage_label(view.outlet_count, story.independent_reports),
            reports=report_views(story, zone),
            earlier=storyline(story.earlier, story.id),
            later=storyline(later.get(story.id, []), story.id),
            brief_title=clean_line(brief.title) or format_span(brief.start, brief.end),
            brief_page=brief_page(brief),
            brief_fragment=quote_fragment(anchor),
        )
        details.append((story, detail))
    return tuple(details)
