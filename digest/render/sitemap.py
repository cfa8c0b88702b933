"""``sitemap.xml``: every page's public URL, so search engines find each brief and story.

A sitemap must list absolute URLs, so one is written only when the site has
a base URL. Pages are listed home first, then about, then briefs newest
first, then stories in the same order as their briefs. ``lastmod`` comes
from the data (a brief's ``updated``, a story's latest source), never the
clock, and is left out where the data has no time.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from digest.model import Digest, OutputFile
from digest.render.coverage import last_source_time, placed_stories
from digest.render.paths import ABOUT_PAGE, INDEX_PAGE, SITEMAP, brief_page, public_url, story_page
from digest.render.views import aware, newest_first

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_pages(digest: Digest) -> tuple[tuple[str, datetime | None], ...]:
    """Each listed page (relative to the output folder) with its last change, if known."""
    briefs = newest_first(digest.briefs)
    pages: dict[str, datetime | None] = {
        INDEX_PAGE: aware(briefs[0].updated) if briefs else None,
        ABOUT_PAGE: None,
    }
    for brief in briefs:
        pages.setdefault(brief_page(brief), aware(brief.updated))
    for _, story, _ in placed_stories(digest):
        pages.setdefault(story_page(story.id), last_source_time(story))
    return tuple(pages.items())


def render_sitemap(digest: Digest) -> OutputFile | None:
    """``sitemap.xml`` (sitemaps.org 0.9), or None when there is no base URL to make URLs from."""
    base_url = digest.site.base_url
    if public_url(base_url, INDEX_PAGE) is None:
        return None
    # Parsed rather than built so the namespace is the default one (no prefix).
    urlset = etree.fromstring(f'<urlset xmlns="{SITEMAP_NAMESPACE}"/>')
    for page, updated in sitemap_pages(digest):
        url = etree.SubElement(urlset, f"{{{SITEMAP_NAMESPACE}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NAMESPACE}}}loc").text = public_url(base_url, page)
        if updated is not None:
            etree.SubElement(url, f"{{{SITEMAP_NAMESPACE}}}lastmod").text = updated.isoformat()
    xml = etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return OutputFile(SITEMAP, xml)
