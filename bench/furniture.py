"""Page furniture for the benchmark corpus: what a scraped page wraps an article in.

Each outlet has a fixed house style (``OutletStyle``): its app banner, menu,
date line format, share row, advertisement label, "Read:" links, tag list,
related-story tail and copyright footer. ``page_text`` dresses an article as a
scraped page; ``export_text`` gives what an outlet's JSON Lines export carries,
the body with its in-text furniture but without the page around it;
``bench.webpage`` builds the same furniture into an HTML page.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bench.vocabulary import MONTHS, WEEKDAYS, lines

BANNERS = (
    "Get the {outlet} app for breaking alerts",
    "Download the all-new {outlet} app:",
    "Read {outlet} offline — get the app",
    "Open in App",
    "Subscribe to {outlet} for $1 a week",
    None,
)
MENUS = (
    ("Menu",),
    ("Home", "Epaper"),
    ("Skip to content", "Search"),
    ("Menu", "Sign in"),
    (),
)
SECTIONS = lines(
    """
    Region
    Local
    Business
    Politics
    Community
    City
    County
    News
    """
)
SHARE_ROWS = (
    "Share  |  Tweet  |  WhatsApp  |  Email",
    "Share this article:   f   x   in   ✉",
    "Share",
    "Copy link",
    None,
)
AD_LABELS = (
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Sponsored",
)
READ_PREFIXES = ("Read:", "Also read:", "READ MORE:", "Read also:")
RELATED_HEADINGS = (
    "Related Stories",
    "More from {section}",
    "You may also like",
    "Related Articles",
    "Trending Now",
)
FOOTERS = (
    "© {year} {outlet} Media Group",
    "Copyright © 2015-{year} {outlet}. All rights reserved.",
    "© {year} {outlet}. All rights reserved.",
    "Copyright {year} {outlet}",
)
# How many body paragraphs pass between two advertisement labels, per style.
AD_SPACINGS = (2, 3, 4, 5)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case letters and digits joined by hyphens, for paths and URLs."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class OutletStyle:
    """How one outlet lays out its pages; fixed for the outlet, drawn once."""

    name: str
    slug: str
    zone: str
    offset_hours: float
    banner: str | None
    menu: tuple[str, ...]
    section: str
    date_format: int
    separator: str
    share_row: str | None
    ad_label: str
    ad_spacing: int
    read_prefix: str
    related_heading: str
    footer: str
    tags: bool
    repeats_headline: bool
    comments: bool


def draw_style(name: str, slug: str, zone: tuple[str, float], rng: random.Random) -> OutletStyle:
    """An outlet's house style, drawn from the lists above."""
    banner = rng.choice(BANNERS)
    section = rng.choice(SECTIONS)
    return OutletStyle(
        name=name,
        slug=slug,
        zone=zone[0],
        offset_hours=zone[1],
        banner=None if banner is None else banner.format(outlet=name.removeprefix("The ")),
        menu=rng.choice(MENUS),
        section=section,
        date_format=rng.randrange(len(DATE_FORMATS)),
        # Three outlets in ten put one newline between paragraphs, as many scrapes do.
        separator="\n" if rng.random() < 0.3 else "\n\n",
        share_row=rng.choice(SHARE_ROWS),
        ad_label=rng.choice(AD_LABELS),
        ad_spacing=rng.choice(AD_SPACINGS),
        read_prefix=rng.choice(READ_PREFIXES),
        related_heading=rng.choice(RELATED_HEADINGS).format(section=section),
        footer=rng.choice(FOOTERS).format(year="2026", outlet=name),
        tags=rng.random() < 0.4,
        repeats_headline=rng.random() < 0.3,
        comments=rng.random() < 0.25,
    )


def _ordinal(day: int) -> str:
    """1st, 2nd, 3rd, 4th ... 21st, 22nd: as date lines print the day."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _twelve_hour(moment: datetime) -> str:
    """9:12 a.m., 12:05 p.m."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'a.m.' if moment.hour < 12 else 'p.m.'}"


def _published(moment: datetime, zone: str) -> str:
    month = MONTHS[moment.month - 1]
    return f"Published {moment:%H:%M} {zone}, {month} {_ordinal(moment.day)} {moment.year}"


def _updated(moment: datetime, zone: str) -> str:
    month = MONTHS[moment.month - 1][:3]
    return f"Updated: {month} {moment.day}, {moment.year} {moment:%H:%M} {zone}"


def _day_first(moment: datetime, zone: str) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M} {zone}"


def _posted(moment: datetime, zone: str) -> str:
    weekday, month = WEEKDAYS[moment.weekday()], MONTHS[moment.month - 1]
    return f"Posted {weekday}, {month} {moment.day}, {moment.year} at {_twelve_hour(moment)} {zone}"


def _iso_like(moment: datetime, zone: str) -> str:
    return f"{moment:%Y-%m-%d %H:%M} {zone}"


# Date line formats seen on news pages; an outlet always uses the same one.
DATE_FORMATS = (_published, _updated, _day_first, _posted, _iso_like)


def date_line(style: OutletStyle, moment: datetime) -> str:
    """The outlet's date line for a local publication time."""
    return DATE_FORMATS[style.date_format](moment, style.zone)


@dataclass(frozen=True, slots=True)
class Dressing:
    """The per-article choices of furniture, drawn while the article is written."""

    byline: str
    caption: str | None
    read_links: tuple[str, ...]
    tags: tuple[str, ...]
    related: tuple[str, ...]


PieceKind = Literal["paragraph", "ad", "read"]


def body_pieces(
    paragraphs: Sequence[str], style: OutletStyle, dressing: Dressing
) -> tuple[tuple[PieceKind, str], ...]:
    """The article's paragraphs with advertisement labels and "Read:" links between them.

    Each piece says what it is, so a text page and a web page place the same
    furniture in the same spots; a "read" piece's text is the linked headline.
    """
    out: list[tuple[PieceKind, str]] = []
    links = list(dressing.read_links)
    for index, paragraph in enumerate(paragraphs):
        out.append(("paragraph", paragraph))
        last = index == len(paragraphs) - 1
        if last or index == 0:
            continue
        if index % style.ad_spacing == 0:
            out.append(("ad", style.ad_label))
        elif links and index % style.ad_spacing == 1:
            out.append(("read", links.pop()))
    return tuple(out)


def body_lines(
    paragraphs: Sequence[str], style: OutletStyle, dressing: Dressing
) -> tuple[str, ...]:
    """The body pieces as a scraper's text lines: a "Read:" link keeps its prefix."""
    return tuple(
        f"{style.read_prefix} {text}" if kind == "read" else text
        for kind, text in body_pieces(paragraphs, style, dressing)
    )


def page_text(
    title: str,
    published: datetime,
    paragraphs: Sequence[str],
    style: OutletStyle,
    dressing: Dressing,
) -> str:
    """The article as a scraper saves the outlet's page: furniture above, within and below."""
    head: list[str] = []
    if style.banner:
        head.append(style.banner)
    head.extend(style.menu)
    head.append(style.section)
    head.append(title)
    if style.date_format == 1:
        head.append(f"{dressing.byline} | {date_line(style, published)}")
    else:
        head.append(date_line(style, published))
        head.append(dressing.byline)
    if style.repeats_headline:
        head.append(title)
    if style.share_row:
        head.append(style.share_row)
    if dressing.caption:
        head.append(dressing.caption)
    tail: list[str] = []
    if dressing.tags:
        tail.append("Tags: " + ", ".join(dressing.tags))
    if style.share_row:
        tail.append(style.share_row)
    if style.comments:
        tail.append("Leave a comment")
    if dressing.related:
        tail.append(style.related_heading)
        tail.extend(dressing.related)
    tail.append(style.footer)
    body = body_lines(paragraphs, style, dressing)
    return style.separator.join((*head, *body, *tail)) + "\n"


def export_text(paragraphs: Sequence[str], style: OutletStyle, dressing: Dressing) -> str:
    """What an outlet's export carries as text: the body and its in-text furniture."""
    return "\n\n".join(body_lines(paragraphs, style, dressing))
