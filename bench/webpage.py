"""Web pages for the benchmark corpus: each article as its outlet's site serves it.

``page_html`` wraps an article in the same house style and per-article dressing
as ``bench.furniture.page_text`` (banner, menu, section, byline, date line,
share rows, caption, advertisement labels and "Read:" links between paragraphs,
tags, comments prompt, related stories, footer), as markup: a ``<head>`` with
the metadata news sites publish (title, Open Graph, author, canonical link,
publication time), a header with the menu, the article in ``<main>``, related
stories beside it, a cookie or newsletter notice and a footer.

Outlets run different templates, so the markup differs between them too: class
names, wrappers, how "Read:" links and paragraphs are held, where related
stories sit and whether the page carries JSON-LD are drawn once per outlet from
its slug (``markup_of``), so extraction is not measured on a single template.
Text is escaped with ``html.escape``; the same article always gives the same bytes.
"""

from __future__ import annotations

import html
import json
import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bench.furniture import Dressing, OutletStyle, body_pieces, date_line, slug

# Notices that float over or sit under a page: a class name, the text, the buttons.
# A newsletter box's text names the outlet, in full ("{outlet}") or without "The" ("{short}").
NOTICES = (
    (
        "cookie-banner",
        "We use cookies to keep this site working and to learn which stories are read.",
        ("Accept all", "Manage choices"),
    ),
    (
        "cookie-notice",
        "This site uses cookies. By continuing to browse you agree to their use.",
        ("OK",),
    ),
    ("newsletter", "Get the day's top stories from {outlet} in your inbox each morning.", ()),
    ("signup-box", "Never miss a story: sign up for the {short} evening briefing.", ()),
)
NEWSLETTER_BUTTONS = ("Sign up", "Subscribe")
# Template choices an outlet's pages are built from, one of each per outlet.
HEADER_CLASSES = ("site-header", "masthead", "c-header", "top-bar")
ARTICLE_CLASSES = ("article", "story", "post", "c-article")
BODY_CLASSES = ("article-body", "story-body", "entry-content", "c-article__content", "text")
CHUNK_CLASSES = ("text-block", "body-part", "paragraph-group")
SHARE_CLASSES = ("share", "share-bar", "social-share", "c-share")
AD_CLASSES = ("ad", "ad ad-inline", "ad ad-slot", "ad advert-container")
READ_CLASSES = ("read-also", "inline-link", "more-link", "c-read-next")
RELATED_CLASSES = ("related", "more-stories", "rail", "c-related", "also-read")
# Where a byline names its writer: "By Ana Lee", "Reported by: Ana Lee", "Written by Ana Lee".
BYLINE_PREFIXES = ("Reported by:", "Written by", "By")
# A share row's buttons are separated by bars or runs of spaces.
SHARE_SEPARATOR = re.compile(r"\s*\|\s*|\s{2,}")
# Words of the lead kept in the page's description, as sites trim theirs.
DESCRIPTION_WORDS = 30


@dataclass(frozen=True, slots=True)
class Markup:
    """One outlet's template: the class names and wrappers all its pages use."""

    header_class: str
    article_class: str
    body_class: str
    # Paragraphs between two pieces of furniture are grouped in divs of this class.
    chunk_class: str | None
    share_class: str
    ad_class: str
    read_class: str
    # A "Read:" link as an <aside>, or as a paragraph of its own.
    read_aside: bool
    related_class: str
    related_tag: str
    # Article and related stories inside grid columns, as many CMS themes do.
    grid: bool
    notice: int
    json_ld: bool
    scripts: bool


def markup_of(style: OutletStyle) -> Markup:
    """The outlet's template, drawn from its slug so that it never changes.

    A seed of its own, rather than more draws from the corpus generator, leaves
    the text pages and exports byte for byte as they were.
    """
    rng = random.Random(zlib.crc32(style.slug.encode("utf-8")))
    return Markup(
        header_class=rng.choice(HEADER_CLASSES),
        article_class=rng.choice(ARTICLE_CLASSES),
        body_class=rng.choice(BODY_CLASSES),
        chunk_class=rng.choice(CHUNK_CLASSES) if rng.random() < 0.3 else None,
        share_class=rng.choice(SHARE_CLASSES),
        ad_class=rng.choice(AD_CLASSES),
        read_class=rng.choice(READ_CLASSES),
        read_aside=rng.random() < 0.6,
        related_class=rng.choice(RELATED_CLASSES),
        related_tag=rng.choice(("aside", "section")),
        grid=rng.random() < 0.5,
        notice=rng.randrange(len(NOTICES)),
        json_ld=rng.random() < 0.6,
        scripts=rng.random() < 0.7,
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def byline_name(byline: str) -> str:
    """The writer a byline names, without its "By" or "Reported by:"."""
    for prefix in BYLINE_PREFIXES:
        if byline.startswith(prefix + " "):
            return byline.removeprefix(prefix).strip()
    return byline


def _description(lead: str) -> str:
    words = lead.split()
    return " ".join(words[:DESCRIPTION_WORDS]) + (" …" if len(words) > DESCRIPTION_WORDS else "")


def _json_ld(title: str, published: datetime, style: OutletStyle, author: str, url: str) -> str:
    """A NewsArticle object in a script element.

    Script content is not HTML-decoded by browsers, so ``html.escape`` would
    corrupt it; instead the JSON escapes "<", ">" and "&", which keeps any text
    from closing the element.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": published.isoformat(),
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": style.name},
        "mainEntityOfPage": url,
    }
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">{text}</script>'


def _head(
    title: str,
    published: datetime,
    lead: str,
    style: OutletStyle,
    dressing: Dressing,
    url: str,
    markup: Markup,
) -> list[str]:
    author = byline_name(dressing.byline)
    out = [
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)} | {_e(style.name)}</title>",
        f'<meta name="description" content="{_e(_description(lead))}">',
        f'<meta name="author" content="{_e(author)}">',
        f'<link rel="canonical" href="{_e(url)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{_e(title)}">',
        f'<meta property="og:site_name" content="{_e(style.name)}">',
        f'<meta property="og:url" content="{_e(url)}">',
        f'<meta property="article:published_time" content="{published.isoformat()}">',
        f'<meta property="article:section" content="{_e(style.section)}">',
        *(f'<meta property="article:tag" content="{_e(tag)}">' for tag in dressing.tags),
        '<link rel="stylesheet" href="/assets/site.css">',
    ]
    if markup.json_ld:
        out.append(_json_ld(title, published, style, author, url))
    if markup.scripts:
        out.append("<script>window.dataLayer = window.dataLayer || [];</script>")
    out.append("</head>")
    return out


def _menu_item(item: str) -> str:
    if item == "Menu":
        return '<li><button type="button" class="menu-toggle">Menu</button></li>'
    href = {"Home": "/", "Skip to content": "#content"}.get(item, f"/{slug(item)}")
    return f'<li><a href="{href}">{_e(item)}</a></li>'


def _site_header(style: OutletStyle, markup: Markup) -> list[str]:
    out = [f'<header class="{markup.header_class}">']
    if style.banner:
        out.append(f'<div class="app-banner"><a href="/app">{_e(style.banner)}</a></div>')
    section = f'<li><a href="/{slug(style.section)}/">{_e(style.section)}</a></li>'
    out += [
        f'<a class="logo" href="/">{_e(style.name)}</a>',
        '<nav aria-label="Main"><ul>',
        *(_menu_item(item) for item in style.menu),
        section,
        "</ul></nav>",
        "</header>",
    ]
    return out


def _byline(byline: str) -> str:
    name = byline_name(byline)
    prefix = byline.removesuffix(name).strip()
    link = f'<a rel="author" href="/authors/{slug(name)}">{_e(name)}</a>'
    return f"{_e(prefix)} {link}" if prefix else link


def _share(row: str, markup: Markup) -> str:
    buttons = "".join(
        f'<button type="button">{_e(item)}</button>' for item in SHARE_SEPARATOR.split(row) if item
    )
    return f'<div class="{markup.share_class}">{buttons}</div>'


def _story_href(style: OutletStyle, headline: str) -> str:
    return f"/{slug(style.section)}/{slug(headline)}"


def _article_header(
    title: str, published: datetime, style: OutletStyle, dressing: Dressing, markup: Markup
) -> list[str]:
    """Kicker, headline, byline, date line and share row, in the outlet's order."""
    section_href = f"/{slug(style.section)}/"
    out = []
    if style.repeats_headline:
        out.append(
            f'<nav class="breadcrumb"><a href="/">Home</a> › '
            f'<a href="{section_href}">{_e(style.section)}</a> › <span>{_e(title)}</span></nav>'
        )
    time = f'<time datetime="{published.isoformat()}">{_e(date_line(style, published))}</time>'
    byline = _byline(dressing.byline)
    out += [
        '<header class="article-header">',
        f'<a class="kicker" href="{section_href}">{_e(style.section)}</a>',
        f"<h1>{_e(title)}</h1>",
    ]
    if style.date_format == 1:
        out.append(f'<div class="meta"><span class="byline">{byline}</span> | {time}</div>')
    else:
        out.append(f'<div class="meta">{time}</div>')
        out.append(f'<p class="byline">{byline}</p>')
    if style.share_row:
        out.append(_share(style.share_row, markup))
    out.append("</header>")
    if dressing.caption:
        alt = dressing.caption.split(". Photo:", 1)[0]
        out += [
            '<figure class="lead-image">',
            f'<img src="/images/{published:%Y/%m}/{slug(title)}.jpg" alt="{_e(alt)}" '
            'width="1200" height="675" loading="lazy">',
            f"<figcaption>{_e(dressing.caption)}</figcaption>",
            "</figure>",
        ]
    return out


def _body(
    paragraphs: Sequence[str], style: OutletStyle, dressing: Dressing, markup: Markup
) -> list[str]:
    """The paragraphs with advertisement slots and "Read:" links between them."""
    out = [f'<div class="{markup.body_class}">']
    grouped = False
    ads = 0
    for kind, text in body_pieces(paragraphs, style, dressing):
        if kind == "paragraph":
            if markup.chunk_class and not grouped:
                out.append(f'<div class="{markup.chunk_class}">')
                grouped = True
            out.append(f"<p>{_e(text)}</p>")
            continue
        if grouped:
            out.append("</div>")
            grouped = False
        if kind == "ad":
            ads += 1
            out.append(
                f'<div class="{markup.ad_class}"><span class="ad-label">{_e(text)}</span>'
                f'<div class="ad-unit" id="ad-inline-{ads}"></div></div>'
            )
        else:
            link = (
                f"<strong>{_e(style.read_prefix)}</strong> "
                f'<a href="{_story_href(style, text)}">{_e(text)}</a>'
            )
            tag = "aside" if markup.read_aside else "p"
            out.append(f'<{tag} class="{markup.read_class}">{link}</{tag}>')
    if grouped:
        out.append("</div>")
    out.append("</div>")
    return out


def _article_footer(style: OutletStyle, dressing: Dressing, markup: Markup) -> list[str]:
    out = []
    if dressing.tags:
        items = "".join(
            f'<li><a href="/tag/{slug(tag)}" rel="tag">{_e(tag)}</a></li>' for tag in dressing.tags
        )
        out.append(f'<div class="tags"><span>Tags:</span><ul>{items}</ul></div>')
    if style.share_row:
        out.append(_share(style.share_row, markup))
    if style.comments:
        out.append('<div class="comments"><a href="#comments">Leave a comment</a></div>')
    return out


def _related(style: OutletStyle, dressing: Dressing, markup: Markup) -> list[str]:
    if not dressing.related:
        return []
    tag = markup.related_tag
    return [
        f'<{tag} class="{markup.related_class}">',
        f"<h2>{_e(style.related_heading)}</h2>",
        "<ul>",
        *(
            f'<li><a href="{_story_href(style, headline)}">{_e(headline)}</a></li>'
            for headline in dressing.related
        ),
        "</ul>",
        f"</{tag}>",
    ]


def _notice(style: OutletStyle, markup: Markup) -> list[str]:
    name, text, buttons = NOTICES[markup.notice]
    words = _e(text.format(outlet=style.name, short=style.name.removeprefix("The ")))
    if buttons:
        pressed = "".join(f'<button type="button">{_e(b)}</button>' for b in buttons)
        return [f'<div class="{name}" role="dialog"><p>{words}</p>{pressed}</div>']
    button = NEWSLETTER_BUTTONS[markup.notice % len(NEWSLETTER_BUTTONS)]
    return [
        f'<div class="{name}"><p>{words}</p>',
        '<form action="/newsletter" method="post">'
        '<input type="email" name="email" placeholder="Email address" required>'
        f'<button type="submit">{_e(button)}</button></form>',
        "</div>",
    ]


def page_html(
    title: str,
    published: datetime,
    paragraphs: Sequence[str],
    style: OutletStyle,
    dressing: Dressing,
    url: str,
) -> str:
    """The article as its outlet's web page, from doctype to footer."""
    markup = markup_of(style)
    article = [
        f'<article class="{markup.article_class}">',
        *_article_header(title, published, style, dressing, markup),
        *_body(paragraphs, style, dressing, markup),
        *_article_footer(style, dressing, markup),
        "</article>",
    ]
    related = _related(style, dressing, markup)
    if markup.grid:
        main = [
            '<div class="container"><div class="row">',
            '<div class="col-main">',
            *article,
            "</div>",
            '<div class="col-side">',
            *related,
            "</div>",
            "</div></div>",
        ]
    else:
        main = [*article, *related]
    lines = [
        "<!doctype html>",
        '<html lang="en">',
        *_head(title, published, paragraphs[0], style, dressing, url, markup),
        f'<body class="{markup.article_class.split()[0]}-page">',
        *_site_header(style, markup),
        '<main id="content">',
        *main,
        "</main>",
        *_notice(style, markup),
        f'<footer class="site-footer"><p>{_e(style.footer)}</p></footer>',
    ]
    if markup.scripts:
        lines.append('<script async src="/assets/ads.js"></script>')
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"
