"""The static site: home, a page per brief and per story, about, 404, icon and sitemap.

Each page template receives exactly one context object, ``page``:

    index.html   IndexPage     the latest brief in full, then the archive by year and month
    brief.html   BriefPage     one brief, with links to its neighbours
    story.html   StoryPage     one story: every source, its storyline, its brief
    about.html   AboutPage     what the digest is and every way to subscribe
    404.html     NotFoundPage  shown by a web server for a missing address

All extend ``base.html``, which reads ``page.chrome`` (site title, language,
the feeds and this page's links). The partials receive a narrower object
plus ``root``, the prefix that leads from the document to the output folder:
``_brief_body.html`` gets ``brief`` (a ``BriefView``), ``_story.html`` gets
``story`` (a ``StoryView``) and ``_story_detail.html`` gets ``detail`` (a
``coverage.StoryDetail``). The feeds render the same partials, so a brief or
a story reads the same on the site and in a feed reader.

Every link is relative, so the site works from disk and under any base path;
only ``404.html`` uses absolute links when the base URL is known, and carries
its stylesheet inline, because a server shows it at whatever address was
missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from operator import itemgetter

from digest.briefs import MONTHS
from digest.model import Brief, Digest, OutputFile, Site
from digest.render.coverage import StoryDetail, story_details
from digest.render.paths import (
    ABOUT_PAGE,
    ARCHIVE_ANCHOR,
    FAVICON,
    FEED,
    INDEX_PAGE,
    NOT_FOUND_PAGE,
    STYLESHEET,
    SUBSCRIBE_ANCHOR,
    brief_page,
    public_url,
    published_feeds,
    relative_link,
    root_of,
)
from digest.render.reuse import RenderKeys, keyed
from digest.render.sitemap import render_sitemap
from digest.render.templating import render, static_bytes
from digest.render.views import (
    BriefView,
    aware,
    brief_view,
    clean_line,
    format_moment,
    language_tag,
    newest_first,
    site_title,
    site_zone,
)
from digest.write import ReusedFile


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One feed as a page links to it: autodiscovery title, media type, href."""

    title: str
    label: str
    media_type: str
    href: str


@dataclass(frozen=True, slots=True)
class Chrome:
    """What the base layout needs: the site's name and this page's way to the others."""

    site_title: str
    language: str
    root: str
    stylesheet: str
    favicon: str
    feeds: tuple[FeedLink, ...]
    feed: str
    home: str
    archive: str
    about: str
    subscribe: str
    canonical: str | None


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """One line of the archive, or a neighbour link on a brief page."""

    title: str
    href: str
    span_label: str
    count_label: str


@dataclass(frozen=True, slots=True)
class ArchiveMonth:
    """The briefs that start in one month, newest first; ``label`` is the month's name."""

    label: str
    anchor: str
    entries: tuple[ArchiveEntry, ...]


@dataclass(frozen=True, slots=True)
class ArchiveYear:
    """The months of one year that have briefs, newest first."""

    label: str
    anchor: str
    months: tuple[ArchiveMonth, ...]


@dataclass(frozen=True, slots=True)
class IndexPage:
    """Context of ``index.html``: ``latest`` is None only when there are no briefs."""

    chrome: Chrome
    latest: BriefView | None
    latest_href: str | None
    archive: tuple[ArchiveYear, ...]
    generated_iso: str
    generated_label: str


@dataclass(frozen=True, slots=True)
class BriefPage:
    """Context of ``brief.html``: ``newer``/``older`` are the neighbouring briefs, if any."""

    chrome: Chrome
    brief: BriefView
    newer: ArchiveEntry | None
    older: ArchiveEntry | None


@dataclass(frozen=True, slots=True)
class StoryPage:
    """Context of ``story.html``."""

    chrome: Chrome
    detail: StoryDetail


@dataclass(frozen=True, slots=True)
class AboutPage:
    """Context of ``about.html``: ``author`` is who to ask for the email edition."""

    chrome: Chrome
    every: str
    timezone: str
    author: str


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    """Context of ``404.html``: ``stylesheet`` is the site's CSS, inlined."""

    chrome: Chrome
    stylesheet: str


def feed_links(site: Site, root: str) -> tuple[FeedLink, ...]:
    """Every published feed, linked from a document whose way to the output folder is ``root``."""
    title = site_title(site)
    return tuple(
        FeedLink(
            title=title if feed.path == FEED else f"{title}: {feed.label}",
            label=feed.label,
            media_type=feed.media_type,
            href=root + feed.path,
        )
        for feed in published_feeds(site.base_url)
    )


def chrome_for(digest: Digest, page: str, root: str | None = None) -> Chrome:
    """The base layout's links as seen from ``page``, through ``root`` when given."""
    site = digest.site
    way = root_of(page) if root is None else root
    return Chrome(
        site_title=site_title(site),
        language=language_tag(site),
        root=way,
        stylesheet=way + STYLESHEET,
        favicon=way + FAVICON,
        feeds=feed_links(site, way),
        feed=way + FEED,
        home=way + INDEX_PAGE,
        archive=f"{way}{INDEX_PAGE}#{ARCHIVE_ANCHOR}",
        about=way + ABOUT_PAGE,
        subscribe=f"{way}{ABOUT_PAGE}#{SUBSCRIBE_ANCHOR}",
        canonical=None if page == NOT_FOUND_PAGE else public_url(site.base_url, page),
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


def archive(digest: Digest) -> tuple[ArchiveYear, ...]:
    """Every brief, newest first, grouped by the year and month in which it starts."""
    years = []
    for year, in_year in groupby(newest_first(digest.briefs), key=lambda b: b.start.year):
        months = []
        for month, in_month in groupby(in_year, key=lambda b: b.start.month):
            months.append(
                ArchiveMonth(
                    label=MONTHS[month - 1],
                    anchor=f"{ARCHIVE_ANCHOR}-{year:04d}-{month:02d}",
                    entries=tuple(archive_entry(b, digest, INDEX_PAGE) for b in in_month),
                )
            )
        years.append(ArchiveYear(str(year), f"{ARCHIVE_ANCHOR}-{year:04d}", tuple(months)))
    return tuple(years)


def index_page(digest: Digest) -> IndexPage:
    """The home page's context."""
    briefs = newest_first(digest.briefs)
    latest = briefs[0] if briefs else None
    return IndexPage(
        chrome=chrome_for(digest, INDEX_PAGE),
        latest=brief_view(latest, digest.site) if latest else None,
        latest_href=relative_link(INDEX_PAGE, brief_page(latest)) if latest else None,
        archive=archive(digest),
        generated_iso=aware(digest.generated).isoformat(),
        generated_label=format_moment(digest.generated, site_zone(digest.site)),
    )


def brief_pages(digest: Digest) -> tuple[tuple[str, BriefPage], ...]:
    """Each brief page's path and context, newest brief first."""
    briefs = newest_first(digest.briefs)
    pages = []
    taken: set[str] = set()
    for position, brief in enumerate(briefs):
        path = brief_page(brief)
        if path in taken:
            # Two brief ids that differ only in case or odd characters: the
            # first (newest) keeps the folder rather than being overwritten.
            continue
        newer = briefs[position - 1] if position > 0 else None
        older = briefs[position + 1] if position + 1 < len(briefs) else None
        context = BriefPage(
            chrome=chrome_for(digest, path),
            brief=brief_view(brief, digest.site),
            newer=archive_entry(newer, digest, path) if newer else None,
            older=archive_entry(older, digest, path) if older else None,
        )
        taken.add(path)
        pages.append((path, context))
    return tuple(pages)


def story_pages(digest: Digest) -> tuple[tuple[str, StoryPage], ...]:
    """Each story page's path and context, newest brief first."""
    return tuple(
        (detail.story.page, StoryPage(chrome_for(digest, detail.story.page), detail))
        for _, detail in story_details(digest)
    )


def about_page(digest: Digest) -> AboutPage:
    """The about page's context."""
    site = digest.site
    return AboutPage(
        chrome=chrome_for(digest, ABOUT_PAGE),
        every="day" if site.period == "day" else "week",
        timezone=site_zone(site).key,
        author=clean_line(site.author) or site_title(site),
    )


def not_found_page(digest: Digest) -> NotFoundPage:
    """The 404 page's context: absolute links when the base URL is known, inline CSS."""
    base = public_url(digest.site.base_url, INDEX_PAGE)
    css = static_bytes("style.css").decode("utf-8")
    return NotFoundPage(chrome_for(digest, NOT_FOUND_PAGE, root=base), css)


def html_file(path: str, text: str) -> OutputFile:
    """An HTML page as UTF-8 bytes."""
    return OutputFile(path, text.encode("utf-8"))


def page_output(
    keys: RenderKeys | None, path: str, template: str, page: BriefPage | StoryPage
) -> OutputFile | ReusedFile:
    """One page rendered from ``template``, or the last build's file when ``page`` is unchanged."""
    return keyed(
        keys, path, template, (page,), lambda: html_file(path, render(template, page=page))
    )


def render_site(
    digest: Digest, keys: RenderKeys | None = None
) -> Iterator[OutputFile | ReusedFile]:
    """Every page, the stylesheet, the icon and, with a base URL, the sitemap; in path order.

    Each file is rendered only when taken: a hundred thousand articles make
    tens of thousands of story pages, and held together their bytes were
    the largest thing a build kept while writing. With ``keys``, a brief's
    or a story's page whose context is the one the last build rendered is
    handed on as that build's file (``reuse``).
    """
    makers: list[tuple[str, Callable[[], OutputFile | ReusedFile]]] = [
        (INDEX_PAGE, lambda: html_file(INDEX_PAGE, render("index.html", page=index_page(digest)))),
        (ABOUT_PAGE, lambda: html_file(ABOUT_PAGE, render("about.html", page=about_page(digest)))),
        (
            NOT_FOUND_PAGE,
            lambda: html_file(NOT_FOUND_PAGE, render("404.html", page=not_found_page(digest))),
        ),
        (STYLESHEET, lambda: OutputFile(STYLESHEET, static_bytes("style.css"))),
        (FAVICON, lambda: OutputFile(FAVICON, static_bytes("favicon.svg"))),
    ]
    for path, brief_context in brief_pages(digest):
        makers.append((path, partial(page_output, keys, path, "brief.html", brief_context)))
    for path, story_context in story_pages(digest):
        makers.append((path, partial(page_output, keys, path, "story.html", story_context)))
    sitemap = render_sitemap(digest)
    if sitemap is not None:
        made: OutputFile = sitemap
        makers.append((made.path, lambda: made))
    for _, make in sorted(makers, key=itemgetter(0)):
        yield make()
