"""Where each rendered file lives, and how one output page links to another.

Layout of the output folder (every path relative to it, forward slashes)::

    index.html                   latest brief in full, then the archive
    style.css                    the site's one stylesheet
    feed.xml                     Atom feed, one entry per brief
    briefs/<slug>/index.html     one page per brief
    briefs/<slug>/index.md       the same brief as Markdown
    briefs/<slug>/brief.eml      the same brief as a ready-to-send email

Links between pages are always relative and always name ``index.html``
explicitly, so the site works opened from disk (``file://``) and served under
any base path.
"""

from __future__ import annotations

import posixpath
import re

from digest.model import Brief

INDEX_PAGE = "index.html"
STYLESHEET = "style.css"
FEED = "feed.xml"
ARCHIVE_ANCHOR = "archive"

# Characters allowed in a path segment built from a brief id; anything else
# (a slash, a space, a dot run) becomes "-" so an id can never leave briefs/.
_UNSAFE_SEGMENT = re.compile(r"[^a-z0-9_-]+")


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
