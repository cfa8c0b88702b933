"""The Atom feed: one entry per brief, built with feedgen, never templated XML.

Ids are ``tag:`` URIs minted from ``site.id_domain`` with a fixed minting
date, never from ``base_url``: moving the site to another address keeps every
id, so readers do not show old briefs as new. Every time in the feed comes
from the data (``brief.updated``, article publication times), never the clock.
An entry's content is the brief as HTML, rendered from the same partial as
the site's pages.
"""

from __future__ import annotations

from datetime import datetime, time
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from digest import __version__
from digest.model import Brief, Digest, OutputFile, Site
from digest.render.paths import FEED, INDEX_PAGE, absolute_link, brief_page
from digest.render.templating import render
from digest.render.views import (
    BriefView,
    aware,
    brief_view,
    clean_line,
    language_tag,
    newest_first,
    site_title,
    site_zone,
)

# The year in every tag: URI. It names when the authority owned the domain,
# not when a brief was written, so it never changes.
MINTING_YEAR = 2026
GENERATOR = "digest"
# Characters kept verbatim in the specific part of a tag: URI (RFC 4151
# allows pchar and "/"); anything else in a brief id is percent-encoded.
_TAG_SAFE = "-._~!$&'()*+,;=:@/"
# Used when the configured id_domain has no usable character; ".invalid"
# is reserved (RFC 2606), so such ids can never clash with a real domain's.
_DOMAIN_FALLBACK = "digest.invalid"


def id_domain(site: Site) -> str:
    """The domain that mints ids and message addresses: letters, digits, "." and "-" only."""
    cleaned = "".join(
        c for c in clean_line(site.id_domain).lower() if c.isascii() and (c.isalnum() or c in ".-")
    )
    return cleaned.strip(".-") or _DOMAIN_FALLBACK


def feed_id(site: Site) -> str:
    """The feed's own id: ``tag:<id_domain>,2026:feed``."""
    return f"tag:{id_domain(site)},{MINTING_YEAR}:feed"


def brief_entry_id(site: Site, brief: Brief) -> str:
    """``tag:<id_domain>,2026:brief/<brief id>``: stable wherever the site moves."""
    return f"tag:{id_domain(site)},{MINTING_YEAR}:brief/{quote(brief.id, safe=_TAG_SAFE)}"


def brief_published(brief: Brief, site: Site) -> datetime:
    """The earliest article publication in the brief, else the start of its first day."""
    times = [aware(a.published) for s in brief.stories for a in s.articles if a.published]
    if times:
        return min(times)
    return datetime.combine(brief.start, time(0), tzinfo=site_zone(site))


def entry_content(view: BriefView) -> str:
    """The whole brief as HTML, from the same partial the site uses."""
    return render("_brief_body.html", brief=view)


def feed_subtitle(digest: Digest) -> str:
    """One line saying what the feed holds."""
    every = "day" if digest.site.period == "day" else "week"
    return f"One brief a {every}: each story once, however many outlets covered it."


def render_atom(digest: Digest) -> OutputFile:
    """``feed.xml``: every brief, newest first, ids independent of where the site lives."""
    site = digest.site
    briefs = newest_first(digest.briefs)
    title = site_title(site)
    fg = FeedGenerator()
    fg.id(feed_id(site))
    fg.title(title)
    fg.subtitle(feed_subtitle(digest))
    fg.author({"name": clean_line(site.author) or title})
    fg.language(language_tag(site))
    # Pinned so the bytes do not change with feedgen's own version string.
    fg.generator(GENERATOR, version=__version__)
    # An empty feed is still valid Atom; it is as old as the build that made it.
    fg.updated(max((aware(b.updated) for b in briefs), default=aware(digest.generated)))
    self_url = absolute_link(site.base_url, FEED)
    home_url = absolute_link(site.base_url, INDEX_PAGE)
    # Without a base URL no link is written: a relative self link would be
    # resolved against wherever the reader fetched the file from.
    if self_url and home_url:
        fg.link(href=self_url, rel="self", type="application/atom+xml")
        fg.link(href=home_url, rel="alternate", type="text/html")
    # Entries in the order they appear in the file: newest brief first.
    # feedgen prepends by default, so each is appended explicitly.
    for brief in briefs:
        view = brief_view(brief, site)
        entry = fg.add_entry(order="append")
        entry.id(brief_entry_id(site, brief))
        entry.title(view.title)
        entry.updated(aware(brief.updated))
        entry.published(brief_published(brief, site))
        entry.content(entry_content(view), type="html")
        page_url = absolute_link(site.base_url, brief_page(brief))
        if page_url:
            # feedgen 1.0 writes only href on an entry's links; that is
            # enough, since Atom reads a link without rel as "alternate".
            entry.link(href=page_url, rel="alternate")
    xml: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return OutputFile(FEED, xml)
