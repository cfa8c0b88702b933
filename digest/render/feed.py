"""The feeds: briefs as Atom, RSS 2.0 and JSON Feed 1.1, and every story as Atom.

Atom and RSS are built with feedgen, JSON Feed with ``json``; none is
templated XML. Ids are ``tag:`` URIs minted from ``site.id_domain`` with a
fixed minting date, never from ``base_url``: moving the site to another
address keeps every id, so readers do not show old briefs as new. Every time
in a feed comes from the data (``brief.updated``, article publication
times), never the clock. Entries are in a stated order: briefs newest first,
stories by their latest change, newest first, the id breaking ties; a feed
holds only the newest (FEED_BRIEFS, FEED_STORIES).

An entry's content is rendered from the same partial as the site's page
(``_brief_body.html`` for a brief, ``_story_detail.html`` for a story) and
then passed through ``nh3`` as a second defence: the text is already escaped
by Jinja, but no script, style or event attribute may reach a reader even if
a template ever lets one through. With a base URL, links to our own pages in
the content are absolute; without one there are none, since a reader would
resolve a relative link against wherever it fetched the feed from.

The data has no topics (articles carry no tags), so no entry has a category:
outlet names are not topics. RSS 2.0 needs an absolute channel link, so
``feed.rss`` exists only with a base URL; so do the feeds' icons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from operator import itemgetter
from typing import Any
from urllib.parse import quote

import nh3
from feedgen.feed import FeedGenerator

from digest import __version__
from digest.model import Brief, Digest, OutputFile, Site, Story
from digest.render.coverage import StoryDetail, last_source_time, story_details
from digest.render.paths import (
    FAVICON,
    FEED,
    INDEX_PAGE,
    JSON_FEED,
    RSS_FEED,
    STORIES_FEED,
    brief_page,
    public_url,
)
from digest.render.templating import render
from digest.render.views import (
    BriefView,
    aware,
    brief_view,
    clean_line,
    language_tag,
    newest_first,
    shared,
    site_title,
    site_zone,
)
from digest.write import StreamedFile, indented_json

# The year in every tag: URI. It names when the authority owned the domain,
# not when a brief was written, so it never changes.
MINTING_YEAR = 2026
GENERATOR = "digest"
# A feed carries the newest entries only, as feeds do: a reader keeps what it
# has seen, and a feed of every story of a big corpus would be megabytes
# long, each fetch and each build paying for all of it. Twenty briefs are
# twenty weeks (or days); a hundred stories are more than a busy day brings
# between two fetches. The site and digest.json keep everything.
FEED_BRIEFS = 20
FEED_STORIES = 100
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Characters kept verbatim in the specific part of a tag: URI (RFC 4151
# allows pchar and "/"); anything else in a brief id is percent-encoded.
_TAG_SAFE = "-._~!$&'()*+,;=:@/"
# Used when the configured id_domain has no usable character; ".invalid"
# is reserved (RFC 2606), so such ids can never clash with a real domain's.
_DOMAIN_FALLBACK = "digest.invalid"

# What entry HTML may keep: the elements and attributes our partials write,
# nothing else. No script, style, iframe, form or on* attribute survives;
# links keep their own rel and only web or relative URLs.
_ENTRY_TAGS = frozenset(
    {"article", "section", "h2", "h3", "p", "ul", "li", "a", "span", "time", "strong", "em"}
)
_ENTRY_ATTRIBUTES = {
    "*": {"class", "dir", "id", "lang"},
    "a": {"href", "rel"},
    "time": {"datetime"},
}
_ENTRY_URL_SCHEMES = frozenset({"http", "https"})


def id_domain(site: Site) -> str:
    """The domain that mints ids and message addresses: letters, digits, "." and "-" only."""
    cleaned = "".join(
        c for c in clean_line(site.id_domain).lower() if c.isascii() and (c.isalnum() or c in ".-")
    )
    return cleaned.strip(".-") or _DOMAIN_FALLBACK


def tag_uri(site: Site, specific: str) -> str:
    """``tag:<id_domain>,2026:<specific>``, with the specific part percent-encoded as needed."""
    return f"tag:{id_domain(site)},{MINTING_YEAR}:{quote(specific, safe=_TAG_SAFE)}"


def feed_id(site: Site) -> str:
    """The brief feeds' own id: ``tag:<id_domain>,2026:feed``."""
    return tag_uri(site, "feed")


def stories_feed_id(site: Site) -> str:
    """The stories feed's own id: ``tag:<id_domain>,2026:stories``."""
    return tag_uri(site, "stories")


def brief_entry_id(site: Site, brief: Brief) -> str:
    """``tag:<id_domain>,2026:brief/<brief id>``: stable wherever the site moves."""
    return tag_uri(site, f"brief/{brief.id}")


def story_entry_id(site: Site, story: Story) -> str:
    """``tag:<id_domain>,2026:story/<story id>``: stable wherever the site moves."""
    return tag_uri(site, f"story/{story.id}")


def day_start(day: date, site: Site) -> datetime:
    """A time for a record without one: the start of its day in the site's zone."""
    return datetime.combine(day, time(0), tzinfo=site_zone(site))


def brief_published(brief: Brief, site: Site) -> datetime:
    """The earliest article publication in the brief, else the start of its first day."""
    times = [aware(a.published) for s in brief.stories for a in s.articles if a.published]
    return min(times) if times else day_start(brief.start, site)


def story_published(story: Story, site: Site) -> datetime:
    """The story's first publication, else the start of its day."""
    times = [aware(a.published) for a in story.articles if a.published]
    return min(times) if times else day_start(story.date, site)


def story_updated(story: Story, site: Site) -> datetime:
    """When the story last gained a source (its latest publication), else the start of its day."""
    return last_source_time(story) or day_start(story.date, site)


def safe_html(fragment: str) -> str:
    """Entry HTML with only the markup our partials write: no script, style or event attribute."""
    return nh3.clean(
        fragment,
        tags=set(_ENTRY_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in _ENTRY_ATTRIBUTES.items()},
        link_rel=None,
        url_schemes=set(_ENTRY_URL_SCHEMES),
    )


def content_root(site: Site) -> str | None:
    """The prefix of links in entry content: the site's URL; None (no links) without one."""
    return public_url(site.base_url, INDEX_PAGE)


def entry_content(view: BriefView, root: str | None) -> str:
    """The whole brief as safe HTML, from the same partial the site uses.

    Made once per brief and root: the Atom, RSS and JSON feeds carry the same.
    """
    return shared(
        "entry", (view,), lambda: safe_html(render("_brief_body.html", brief=view, root=root)), root
    )


def story_content(detail: StoryDetail, root: str | None) -> str:
    """A story as safe HTML, from the same partial as its page."""
    return safe_html(render("_story_detail.html", detail=detail, root=root))


def feed_subtitle(digest: Digest) -> str:
    """One line saying what the brief feeds hold."""
    every = "day" if digest.site.period == "day" else "week"
    return f"One brief a {every}: each story once, however many outlets covered it."


def stories_subtitle(digest: Digest) -> str:
    """One line saying what the stories feed holds."""
    return "Every story as it is published, updated when it gains sources."


def newest_update(times: Iterable[datetime], digest: Digest) -> datetime:
    """The latest of ``times``; an empty feed is as old as the build that made it."""
    return max(times, default=aware(digest.generated))


def atom_generator(digest: Digest, *, own_id: str, subtitle: str, path: str) -> FeedGenerator:
    """An Atom feed's head: id, title, author, language, generator, icon and links."""
    site = digest.site
    title = site_title(site)
    fg = FeedGenerator()
    fg.id(own_id)
    fg.title(title)
    fg.subtitle(subtitle)
    fg.author({"name": clean_line(site.author) or title})
    fg.language(language_tag(site))
    # Pinned so the bytes do not change with feedgen's own version string.
    fg.generator(GENERATOR, version=__version__)
    self_url = public_url(site.base_url, path)
    home_url = public_url(site.base_url, INDEX_PAGE)
    icon_url = public_url(site.base_url, FAVICON)
    # Without a base URL no link or icon is written: a relative self link
    # would be resolved against wherever the reader fetched the file from.
    if self_url and home_url and icon_url:
        fg.link(href=self_url, rel="self", type="application/atom+xml")
        fg.link(href=home_url, rel="alternate", type="text/html")
        fg.icon(icon_url)
    return fg


def feed_briefs(digest: Digest) -> tuple[Brief, ...]:
    """The briefs a feed carries: the FEED_BRIEFS newest."""
    return distinct_briefs(digest)[:FEED_BRIEFS]


def distinct_briefs(digest: Digest) -> tuple[Brief, ...]:
    """Briefs newest first, one per id: an id names one brief (two never share one in a build)."""
    briefs: dict[str, Brief] = {}
    for brief in newest_first(digest.briefs):
        briefs.setdefault(brief.id, brief)
    return tuple(briefs.values())


def render_atom(digest: Digest) -> OutputFile:
    """``feed.xml``: the newest briefs, newest first, ids independent of where the site lives."""
    site = digest.site
    briefs = feed_briefs(digest)
    fg = atom_generator(digest, own_id=feed_id(site), subtitle=feed_subtitle(digest), path=FEED)
    fg.updated(newest_update((aware(b.updated) for b in briefs), digest))
    root = content_root(site)
    # Entries in the order they appear in the file: newest brief first.
    # feedgen prepends by default, so each is appended explicitly.
    for brief in briefs:
        view = brief_view(brief, site)
        entry = fg.add_entry(order="append")
        entry.id(brief_entry_id(site, brief))
        entry.title(view.title)
        entry.updated(aware(brief.updated))
        entry.published(brief_published(brief, site))
        entry.content(entry_content(view, root), type="html")
        for tag in sorted({tag for story in brief.stories for tag in story.tags}):
            entry.category(term=tag)
        page_url = public_url(site.base_url, brief_page(brief))
        if page_url:
            # feedgen 1.0 writes only href on an entry's links; that is
            # enough, since Atom reads a link without rel as "alternate".
            entry.link(href=page_url, rel="alternate")
    xml: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return OutputFile(FEED, xml)


def stories_newest_first(digest: Digest) -> tuple[tuple[Story, StoryDetail], ...]:
    """Each story with a page, by its latest change, newest first; the id breaks ties."""
    return tuple(
        sorted(
            story_details(digest),
            key=lambda pair: (story_updated(pair[0], digest.site), pair[0].id),
            reverse=True,
        )
    )


def render_story_atom(digest: Digest) -> OutputFile:
    """``stories.xml``: the latest stories, ``updated`` moving only when one gains sources."""
    site = digest.site
    stories = stories_newest_first(digest)[:FEED_STORIES]
    fg = atom_generator(
        digest, own_id=stories_feed_id(site), subtitle=stories_subtitle(digest), path=STORIES_FEED
    )
    fg.updated(newest_update((story_updated(s, site) for s, _ in stories), digest))
    root = content_root(site)
    for story, detail in stories:
        entry = fg.add_entry(order="append")
        entry.id(story_entry_id(site, story))
        entry.title(detail.story.headline)
        entry.updated(story_updated(story, site))
        entry.published(story_published(story, site))
        entry.content(story_content(detail, root), type="html")
        for tag in story.tags:
            entry.category(term=tag)
        page_url = public_url(site.base_url, detail.story.page)
        if page_url:
            entry.link(href=page_url, rel="alternate")
    xml: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return OutputFile(STORIES_FEED, xml)


def render_rss(digest: Digest) -> OutputFile | None:
    """``feed.rss``: the briefs as RSS 2.0; None without a base URL, as RSS needs absolute links."""
    site = digest.site
    home_url = public_url(site.base_url, INDEX_PAGE)
    self_url = public_url(site.base_url, RSS_FEED)
    if home_url is None or self_url is None:
        return None
    briefs = feed_briefs(digest)
    fg = FeedGenerator()
    fg.title(site_title(site))
    fg.description(feed_subtitle(digest))
    # feedgen takes the channel's <link> from the last link given: the site.
    fg.link(href=self_url, rel="self", type="application/rss+xml")
    fg.link(href=home_url, rel="alternate")
    fg.language(language_tag(site))
    fg.generator(f"{GENERATOR} {__version__}")
    fg.lastBuildDate(newest_update((aware(b.updated) for b in briefs), digest))
    for brief in briefs:
        view = brief_view(brief, site)
        entry = fg.add_entry(order="append")
        entry.guid(brief_entry_id(site, brief), permalink=False)
        entry.title(view.title)
        entry.link(href=public_url(site.base_url, brief_page(brief)))
        entry.pubDate(brief_published(brief, site))
        entry.description(entry_content(view, home_url))
    xml: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return OutputFile(RSS_FEED, xml)


def json_item(brief: Brief, digest: Digest) -> dict[str, Any]:
    """One brief as a JSON Feed item; ``url`` only when the site has a base URL."""
    site = digest.site
    view = brief_view(brief, site)
    item: dict[str, Any] = {"id": brief_entry_id(site, brief)}
    page_url = public_url(site.base_url, brief_page(brief))
    if page_url:
        item["url"] = page_url
    item["title"] = view.title
    item["content_html"] = entry_content(view, content_root(site))
    item["summary"] = f"{view.span_label} · {view.count_label}"
    item["date_published"] = brief_published(brief, site).isoformat()
    item["date_modified"] = aware(brief.updated).isoformat()
    return item


def json_feed_data(digest: Digest) -> dict[str, Any]:
    """The briefs as JSON Feed 1.1 data, keys in the specification's order."""
    site = digest.site
    title = site_title(site)
    data: dict[str, Any] = {"version": JSON_FEED_VERSION, "title": title}
    home_url = public_url(site.base_url, INDEX_PAGE)
    if home_url:
        data["home_page_url"] = home_url
        data["feed_url"] = public_url(site.base_url, JSON_FEED)
    data["description"] = feed_subtitle(digest)
    icon_url = public_url(site.base_url, FAVICON)
    if icon_url:
        data["icon"] = icon_url
        data["favicon"] = icon_url
    data["authors"] = [{"name": clean_line(site.author) or title}]
    data["language"] = language_tag(site)
    data["items"] = [json_item(b, digest) for b in feed_briefs(digest)]
    return data


def render_json_feed(digest: Digest) -> StreamedFile:
    """``feed.json``: the briefs as JSON Feed 1.1, newest first, encoded an item at a time.

    Each item carries a whole brief's HTML: encoded at once, the feed's
    text, pieces and bytes took several times its size beside the items.
    """
    return StreamedFile(JSON_FEED, lambda: indented_json(json_feed_data(digest)))


# Each feed's path and its renderer, in path order.
_FEEDS: tuple[tuple[str, Callable[[Digest], OutputFile | StreamedFile | None]], ...] = tuple(
    sorted(
        (
            (FEED, render_atom),
            (JSON_FEED, render_json_feed),
            (STORIES_FEED, render_story_atom),
            (RSS_FEED, render_rss),
        ),
        key=itemgetter(0),
    )
)


def render_feeds(digest: Digest) -> Iterator[OutputFile | StreamedFile]:
    """Every feed: Atom, RSS (with a base URL), JSON Feed and the stories feed; in path order.

    Each is rendered only when taken: every brief feed carries the newest
    briefs whole, tens of megabytes at a hundred thousand articles, and
    made together they were the peak of a build's writing.
    """
    for _, make in _FEEDS:
        made = make(digest)
        if made is not None:
            yield made
