"""The static site: a home page with the latest brief and the archive, one page per brief.

Each page template receives exactly one context object, ``page``:

    index.html   IndexPage   the latest brief in full, then every brief, newest first
    brief.html   BriefPage   one brief, with links to its neighbours

Both extend ``base.html``, which reads ``page.chrome`` (site title, language
and the page's relative links). The partials receive a narrower object:
``_brief_body.html`` gets ``brief`` (a ``BriefView``) and ``_story.html``
gets ``story`` (a ``StoryView``); the feed renders the same partials, so a
brief reads the same on the site and in a feed reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from digest.model import Brief, Digest, OutputFile
from digest.render.paths import (
    ARCHIVE_ANCHOR,
    FEED,
    INDEX_PAGE,
    STYLESHEET,
    absolute_link,
    brief_page,
    relative_link,
)
from digest.render.templating import render, static_bytes
from digest.render.views import (
    BriefView,
    aware,
    brief_view,
    format_moment,
    language_tag,
    newest_first,
    site_title,
    site_zone,
)


@dataclass(frozen=True, slots=True)
class Chrome:
    """What the base layout needs: the site's name and this page's way to the others."""

    site_title: str
    language: str
    stylesheet: str
    feed: str
    home: str
    archive: str
    canonical: str | None


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """One line of the archive, or a neighbour link on a brief page."""

    title: str
    href: str
    span_label: str
    count_label: str


@dataclass(frozen=True, slots=True)
class IndexPage:
    """Context of ``index.html``: ``latest`` is None only when there are no briefs."""

    chrome: Chrome
    latest: BriefView | None
    latest_href: str | None
    archive: tuple[ArchiveEntry, ...]
    generated_iso: str
    generated_label: str


@dataclass(frozen=True, slots=True)
class BriefPage:
    """Context of ``brief.html``: ``newer``/``older`` are the neighbouring briefs, if any."""

    chrome: Chrome
    brief: BriefView
    newer: ArchiveEntry | None
    older: ArchiveEntry | None


def chrome_for(digest: Digest, page: str) -> Chrome:
    """The base layout's links as seen from ``page``."""
    return Chrome(
        site_title=site_title(digest.site),
        language=language_tag(digest.site),
        stylesheet=relative_link(page, STYLESHEET),
        feed=relative_link(page, FEED),
        home=relative_link(page, INDEX_PAGE),
        archive=relative_link(page, INDEX_PAGE, ARCHIVE_ANCHOR),
        canonical=absolute_link(digest.site.base_url, page),
    )


def archive_entry(brief: Brief, digest: Digest, page: str) -> ArchiveEntry:
    """How ``page`` lists and links to ``brief``."""
    view = brief_view(brief, digest.site)
    return ArchiveEntry(
        title=view.title,
        href=relative_link(page, brief_page(brief)),
        span_label=view.span_label,
        count_label=view.count_label,
    )


def index_page(digest: Digest) -> IndexPage:
    """The home page's context."""
    briefs = newest_first(digest.briefs)
    latest = briefs[0] if briefs else None
    return IndexPage(
        chrome=chrome_for(digest, INDEX_PAGE),
        latest=brief_view(latest, digest.site) if latest else None,
        latest_href=relative_link(INDEX_PAGE, brief_page(latest)) if latest else None,
        archive=tuple(archive_entry(b, digest, INDEX_PAGE) for b in briefs),
        generated_iso=aware(digest.generated).isoformat(),
        generated_label=format_moment(digest.generated, site_zone(digest.site)),
    )


def brief_pages(digest: Digest) -> tuple[tuple[str, BriefPage], ...]:
    """Each brief page's path and context, newest brief first."""
    briefs = newest_first(digest.briefs)
    pages = []
    for position, brief in enumerate(briefs):
        path = brief_page(brief)
        newer = briefs[position - 1] if position > 0 else None
        older = briefs[position + 1] if position + 1 < len(briefs) else None
        context = BriefPage(
            chrome=chrome_for(digest, path),
            brief=brief_view(brief, digest.site),
            newer=archive_entry(newer, digest, path) if newer else None,
            older=archive_entry(older, digest, path) if older else None,
        )
        pages.append((path, context))
    return tuple(pages)


def html_file(path: str, text: str) -> OutputFile:
    """An HTML page as UTF-8 bytes."""
    return OutputFile(path, text.encode("utf-8"))


def render_site(digest: Digest) -> tuple[OutputFile, ...]:
    """``index.html``, ``briefs/<slug>/index.html`` for every brief, and ``style.css``."""
    files = [html_file(INDEX_PAGE, render("index.html", page=index_page(digest)))]
    for path, context in brief_pages(digest):
        files.append(html_file(path, render("brief.html", page=context)))
    files.append(OutputFile(STYLESHEET, static_bytes("style.css")))
    return tuple(sorted(files, key=lambda f: f.path))
