"""Where each rendered file lives, and how one output page links to another.

Layout of the output folder (every path relative to it, forward slashes)::

    index.html                   latest brief in full, then the archive
    about/index.html             what the digest is and how to subscribe
    404.html                     shown by a web server for a missing page
    style.css                    the site's one stylesheet
    favicon.svg                  the site's icon, also the feeds' icon
    sitemap.xml                  every page's public URL (only with a base URL)
    feed.xml                     Atom feed, one entry per brief
    feed.rss                     RSS 2.0 feed of the same briefs (only with a base URL)
    feed.json                    JSON Feed 1.1 of the same briefs
    stories.xml                  Atom feed, one entry per story
    briefs/<slug>/index.html     one page per brief
    briefs/<slug>/index.md       the same brief as Markdown
    briefs/<slug>/brief.eml      the same brief as a ready-to-send email
    stories/<story>/index.html   one page per story: its permalink

Links between pages are always relative and always name ``index.html``
explicitly, so the site works opened from disk (``file://``) and served under
any base path. Public URLs (canonical links, feeds, the sitemap) are the
pretty form without ``index.html``: ``https://example.org/briefs/2020-w39/``.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass

from digest.model import Brief

INDEX_PAGE = "index.html"
ABOUT_PAGE = "about/index.html"
NOT_FOUND_PAGE = "404.html"
STYLESHEET = "style.css"
FAVICON = "favicon.svg"
SITEMAP = "sitemap.xml"
FEED = "feed.xml"
RSS_FEED = "feed.rss"
JSON_FEED = "feed.json"
STORIES_FEED = "stories.xml"
ARCHIVE_ANCHOR = "archive"
SUBSCRIBE_ANCHOR = "subscribe"

# Characters allowed in a path segment built from a brief id; anything else
# (a slash, a space, a dot run) becomes "-" so an id can never leave briefs/.
_UNSAFE_SEGMENT = re.compile(r"[^a-z0-9_-]+")
# A story id used verbatim as its folder name: lower-case ASCII letters,
# digits, "-" and "_", starting with a letter or digit, short enough for any
# file system. Other ids get a readable stem plus a hash of the whole id, so
# two different ids never share a folder, even on a case-insensitive disk.
_PLAIN_STORY_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
_STORY_STEM_LENGTH = 40


@dataclass(frozen=True, slots=True)
class FeedFile:
    """One published feed: where it lives, its media type and what to call it."""

    path: str
    media_type: str
    label: str
    needs_base_url: bool = False


# Every feed the digest publishes, in the order pages list them. RSS 2.0
# requires an absolute channel link, so it exists only with a base URL.
FEED_FILES = (
    FeedFile(FEED, "application/atom+xml", "Atom feed of briefs"),
    FeedFile(RSS_FEED, "application/rss+xml", "RSS feed of briefs", needs_base_url=True),
    FeedFile(JSON_FEED, "application/feed+json", "JSON Feed of briefs"),
    FeedFile(STORIES_FEED, "application/atom+xml", "Atom feed of every story"),
)


def published_feeds(base_url: str) -> tuple[FeedFile, ...]:
    """The feeds a site with this base URL publishes."""
    has_base = bool(base_url.strip())
    return tuple(f for f in FEED_FILES if has_base or not f.needs_base_url)


def brief_dir(brief: Brief) -> str:
    """The folder of one brief's files: ``briefs/2020-w39``."""
    segment = _UNSAFE_SEGMENT.sub("-", brief.slug).strip("-") or "brief"
    return f"briefs/{segment}"


def brief_page(brief: Brief) -> str:
    """The brief's web page, named in full so links work from disk."""
    return f"{brief_dir(brief)}/index.html"


def brief_markdown(brief: Brief) -> str:
    """The brief's Markdown file, beside its page."""
    return f"{brief_dir(brief)}/index.md"


def brief_email(brief: Brief) -> str:
    """The brief's ready-to-send message, beside its page."""
    return f"{brief_dir(brief)}/brief.eml"


def story_dir(story_id: str) -> str:
    """The folder of one story's page: ``stories/<id>``, safe for any id."""
    if _PLAIN_STORY_ID.fullmatch(story_id):
        return f"stories/{story_id}"
    stem = _UNSAFE_SEGMENT.sub("-", story_id.lower()).strip("-")[:_STORY_STEM_LENGTH].strip("-")
    digest = hashlib.blake2b(story_id.encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()
    return f"stories/{stem or 'story'}-{digest}"


def story_page(story_id: str) -> str:
    """The story's permalink page, named in full so links work from disk."""
    return f"{story_dir(story_id)}/index.html"


def root_of(page: str) -> str:
    """The prefix that leads from ``page`` back to the output folder: ``""``, ``"../../"``."""
    return "../" * page.count("/")


def relative_link(from_file: str, to_file: str, fragment: str = "") -> str:
    """The href that leads from one output file to another (plus ``#fragment``)."""
    start = posixpath.dirname(from_file) or "."
    href = posixpath.relpath(to_file, start)
    return f"{href}#{fragment}" if fragment else href


def absolute_link(base_url: str, to_file: str, fragment: str = "") -> str | None:
    """The public URL of an output file, or None when no base URL is configured."""
    base = base_url.strip()
    if not base:
        return None
    if not base.endswith("/"):
        base += "/"
    url = base + to_file
    return f"{url}#{fragment}" if fragment else url


def public_url(base_url: str, to_file: str, fragment: str = "") -> str | None:
    """The pretty public URL of an output file (a page's folder), or None without a base URL."""
    pretty = to_file
    if posixpath.basename(to_file) == INDEX_PAGE:
        pretty = to_file.removesuffix(INDEX_PAGE)
    return absolute_link(base_url, pretty, fragment)
