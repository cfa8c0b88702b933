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

Around the article a page also carries what a news site's template does, so that
extraction reads pages of a realistic weight (see "Page weight" below): an inline
stylesheet, an SVG icon sprite, a mega-menu and a footer site map, lists of other
stories, ad slots, a comment widget's shell, a consent dialog, inline scripts and a
JSON state blob. How much of each an outlet carries is drawn from its slug
(``weight_of``); the article, its body and their markup are the same either way.
"""

from __future__ import annotations

import functools
import html
import json
import math
import random
import re
import string
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench.furniture import Dressing, OutletStyle, body_pieces, date_line, slug
from bench.vocabulary import (
    ADJECTIVES,
    CONSENT_PURPOSES,
    DISTRICT_KINDS,
    DISTRICT_STEMS,
    FIRST_NAMES,
    ICON_NAMES,
    NOUNS,
    OCCUPATIONS,
    PLACE_ENDINGS,
    PLACE_STEMS,
    SCRIPT_BUNDLES,
    SEASONS,
    SITE_LINKS,
    SITE_SECTIONS,
    SUBSECTIONS,
    SURNAMES,
    UI_BLOCKS,
    UI_MODIFIERS,
    UI_PARTS,
    VERBS,
    WIDGET_HEADINGS,
    WIDGET_HEADLINES,
)

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
    chrome: Chrome,
    page: Mapping[str, object],
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
        chrome.head,
        *_social_meta(title, lead, published, chrome),
    ]
    if markup.json_ld:
        out.append(_json_ld(title, published, style, author, url))
    if markup.scripts:
        out.append("<script>window.dataLayer = window.dataLayer || [];</script>")
    out += _head_scripts(chrome, page)
    out.append("</head>")
    return out


def _menu_item(item: str) -> str:
    if item == "Menu":
        return '<li><button type="button" class="menu-toggle">Menu</button></li>'
    href = {"Home": "/", "Skip to content": "#content"}.get(item, f"/{slug(item)}")
    return f'<li><a href="{href}">{_e(item)}</a></li>'


def _site_header(style: OutletStyle, markup: Markup, chrome: Chrome) -> list[str]:
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
        chrome.menu,
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


# --- page weight: what a news site's template carries besides the article ---------------
#
# The HTML evaluation pages weigh 135 KB at the median (quartiles 70 and 220 KB) and
# hold some 850 elements and 120 links. Across them inline scripts make a quarter of
# the bytes, inline styles a fifth, SVG icons and data attributes a few percent each;
# the rest is menus, footers, rails, ad slots and long class names around 12 KB of
# text. The counts below were calibrated together so that the generated pages come
# near those figures, with outlets spread about as widely as sites are; re-run
# ``test_web_pages_weigh_about_as_much_as_real_news_pages`` after changing any of them.

# The log-normal factor that scales all of an outlet's counts: its median and spread.
WEIGHT_MEDIAN, WEIGHT_SPREAD = 1.45, 0.7
CSS_RULES = 240  # generated rules in an inline stylesheet
ICONS = 24  # symbols in an inline SVG sprite
MENU_SECTIONS, MENU_SUBSECTIONS = 8, 4
FOOTER_COLUMNS = 3
WIDGET_ITEMS = 8  # stories in each trending or most-read list
CARDS = 6  # "more from" cards below the article
STATE_STORIES = 40  # stories in the page's JSON state
BUNDLES = 10  # external script bundles
# Ad slots outside the article, in the order an outlet adds them, and the sizes each takes.
AD_POSITIONS = (
    ("top", ((728, 90), (970, 250), (320, 50))),
    ("rail", ((300, 250), (300, 600))),
    ("bottom", ((728, 90), (300, 250))),
    ("sticky", ((320, 50), (728, 90))),
    ("rail-2", ((300, 250),)),
    ("native", ((1, 1),)),
)
AD_NETWORK = 21_804_117  # an invented ad server account, in every slot's ad unit

# Class names come in three schemes: BEM names ("c-card__title"), utility classes
# ("flex items-center px-4") and CSS-module names with a hash ("Card_title__x7k2q").
BEM, UTILITY, MODULE = 0, 1, 2
BEM_PREFIXES = ("", "c-", "o-", "site-", "js-", "u-")
# The parts of the template that get a class, named in BEM.
CLASS_ROLES = (
    *("icon", "search", "search__input", "search__button", "topbar", "topbar__link"),
    *("menu", "menu__inner", "menu__list", "menu__item", "menu__link", "menu__toggle"),
    *("menu__panel", "menu__column"),
    *("menu__sublist", "menu__subitem", "menu__sublink", "menu__feature", "menu__feature-title"),
    *("drawer", "drawer__list", "drawer__link", "ad-slot", "widget", "widget__title"),
    *("widget__list", "widget__item", "widget__link", "widget__rank", "widget__thumb"),
    *("widget__headline", "cards", "cards__title", "cards__grid", "card", "card__link"),
    *("card__body", "card__media", "card__image", "card__kicker", "card__headline"),
    *("card__time", "layout", "layout__inner"),
    *("comments", "comments__title", "comments__intro", "comments__form", "comments__input"),
    *("comments__submit", "comments__sort", "comments__list", "consent", "consent__title"),
    *("consent__purpose", "consent__toggle", "consent__actions", "footer__sitemap"),
    *("footer__column", "footer__heading", "footer__list", "footer__link", "footer__social"),
    *("footer__legal", "footer__apps"),
)
_SPACES = {"0": "0", "1": ".25rem", "2": ".5rem", "3": ".75rem", "4": "1rem", "6": "1.5rem"}
_SIDES = {
    "p": ("padding",),
    "px": ("padding-left", "padding-right"),
    "py": ("padding-top", "padding-bottom"),
    "m": ("margin",),
    "mt": ("margin-top",),
    "mb": ("margin-bottom",),
    "gap": ("gap",),
}
_TINTS = {"gray": (107, 114, 128), "red": (220, 38, 38), "blue": (37, 99, 235)}
# Utility classes and what each declares, for the stylesheets of the utility scheme.
UTILITIES: dict[str, str] = {
    **{
        f"{side}-{step}": ";".join(f"{prop}:{size}" for prop in props)
        for side, props in _SIDES.items()
        for step, size in _SPACES.items()
    },
    **{
        f"{kind}-{tint}-{shade}": f"{prop}:rgb({' '.join(str(c * shade // 500) for c in rgb)})"
        for kind, prop in (("text", "color"), ("bg", "background-color"))
        for tint, rgb in _TINTS.items()
        for shade in (100, 300, 500, 700, 900)
    },
    "flex": "display:flex",
    "grid": "display:grid",
    "block": "display:block",
    "inline-flex": "display:inline-flex",
    "flex-col": "flex-direction:column",
    "flex-wrap": "flex-wrap:wrap",
    "items-center": "align-items:center",
    "justify-between": "justify-content:space-between",
    "relative": "position:relative",
    "sticky": "position:sticky;top:0",
    "w-full": "width:100%",
    "font-bold": "font-weight:700",
    "font-semibold": "font-weight:600",
    "uppercase": "text-transform:uppercase",
    "truncate": "overflow:hidden;text-overflow:ellipsis;white-space:nowrap",
    "rounded": "border-radius:.25rem",
    "border-b": "border-bottom-width:1px",
    "shadow": "box-shadow:0 1px 3px rgb(0 0 0/.1)",
    "leading-tight": "line-height:1.25",
    "text-sm": "font-size:.875rem;line-height:1.25rem",
    "text-lg": "font-size:1.125rem;line-height:1.75rem",
    "text-xl": "font-size:1.25rem;line-height:1.75rem",
}
UTILITY_NAMES = tuple(UTILITIES)
# What a stylesheet's generated rules are made of: media queries, lengths, colour roles,
# states, and declarations where "{l}" takes a length and "{c}" a colour.
BREAKPOINTS = ("(min-width:640px)", "(min-width:768px)", "(min-width:1024px)", "print")
LENGTHS = (*_SPACES.values(), "2rem", "4px", "8px", "12px", "16px", "24px", "auto", "100%")
COLOUR_ROLES = ("brand", "accent", "text", "muted", "line", "surface", "link", "alert")
PSEUDO_CLASSES = ("", "", "", ":hover", ":focus-visible", "::before", "::after", ":first-child")
CSS_DECLARATIONS = (
    ("display", ("block", "flex", "grid", "inline-block", "inline-flex", "none")),
    ("margin", ("{l}", "{l} {l}", "0 auto")),
    ("padding", ("{l}", "{l} {l}", "{l} {l} {l}")),
    ("gap", ("{l}",)),
    ("font-size", (".75rem", ".875rem", "1rem", "1.125rem", "1.5rem", "clamp(1.5rem,4vw,2.5rem)")),
    ("line-height", ("1.2", "1.35", "1.5", "1.6")),
    ("font-weight", ("400", "500", "600", "700")),
    ("color", ("{c}",)),
    ("background-color", ("{c}", "transparent")),
    ("border-bottom", ("1px solid {c}", "2px solid {c}")),
    ("border-radius", ("2px", "4px", "50%", "999px")),
    ("align-items", ("center", "flex-start", "baseline")),
    ("justify-content", ("space-between", "center", "flex-end")),
    ("position", ("relative", "absolute", "sticky")),
    ("width", ("{l}", "100%", "auto")),
    ("max-width", ("72rem", "640px", "100%")),
    ("grid-template-columns", ("repeat(2,1fr)", "repeat(3,1fr)", "minmax(0,1fr) 300px")),
    ("text-transform", ("uppercase", "none")),
    ("letter-spacing", (".02em", ".05em", "0")),
    ("transition", ("color .2s ease", "opacity .3s", "transform .2s ease-out")),
    ("z-index", ("1", "10", "100", "1000")),
    ("overflow", ("hidden", "auto")),
    ("font-family", ("var(--font-body)", "var(--font-head)")),
)
FONT_WORDS = ("Serif", "Sans", "Display", "Text", "Grotesk", "Slab")
# Feature flags a site's configuration script switches.
FEATURE_FLAGS = (
    *("liveBlogs", "darkMode", "pushAlerts", "lazyImages", "stickyVideo", "readingTime"),
    *("audioArticles", "newComments", "paywallMeter", "infiniteScroll", "headerBidding"),
)
SOCIAL_ICONS = ("facebook", "x-logo", "instagram", "youtube", "whatsapp", "linkedin", "tiktok")
# A comment widget's controls and a consent dialog's buttons.
COMMENT_SORTS = ("Newest", "Oldest", "Most liked")
CONSENT_BUTTONS = ("Accept all", "Reject all", "Save choices")
IMAGE_WIDTHS = (160, 320, 640)
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
# Small scripts a template runs in the head before anything loads: mark the page as
# scripted, queue ad and consent calls, note the time, register the offline worker.
HEAD_SNIPPETS = (
    "document.documentElement.className=document.documentElement.className.replace('no-js','js');",
    "window.adQueue=window.adQueue||[];window.consentQueue=window.consentQueue||[];",
    "window.performance&&performance.mark&&performance.mark('head-start');",
    "if('serviceWorker' in navigator){window.addEventListener('load',function(){"
    "navigator.serviceWorker.register('/sw.js');});}",
    "try{var t=localStorage.getItem('theme');if(t){document.documentElement.dataset.theme=t;}}"
    "catch(e){}",
)
# The script that reports a page view, as sites paste it in: the page's figures are
# pushed onto a queue that the collector, loaded after it, reads.
ANALYTICS_SNIPPET = (
    "(function(w,d,q){{w[q]=w[q]||[];w[q].push({page});"
    "var s=d.createElement('script');s.async=true;"
    "s.src='https://stats.{host}/collect.js?site={site}';"
    "var f=d.getElementsByTagName('script')[0];f.parentNode.insertBefore(s,f);"
    "}})(window,document,'pageQueue');"
)


@dataclass(frozen=True, slots=True)
class Weight:
    """How much an outlet's template carries besides the article, drawn once per outlet."""

    naming: int
    prefix: str
    css_rules: int  # 0: the outlet links its stylesheet only
    css_minified: bool
    icons: int  # 0: no inline sprite
    sections: int
    subsections: int
    drawer: bool  # the menu written out again for small screens
    footer_columns: int
    widgets: tuple[str, ...]  # headings of the trending and most-read lists
    widget_items: int
    cards: int
    state_stories: int  # 0: no JSON state
    state_global: bool  # state assigned to a window global rather than held in a JSON element
    ad_slots: int
    consent: bool
    comments: bool
    bundles: int
    tracking: bool  # data attributes on links for the analytics script


def weight_of(style: OutletStyle) -> Weight:
    """The outlet's weight, drawn from its slug like ``markup_of`` and never changing.

    One log-normal factor per outlet scales all its counts, so that some outlets
    run heavy templates and some light ones, and each count varies on its own too.
    """
    rng = random.Random(zlib.crc32(f"weight {style.slug}".encode()))
    factor = min(3.5, max(0.4, rng.lognormvariate(math.log(WEIGHT_MEDIAN), WEIGHT_SPREAD)))

    def count(base: int) -> int:
        return round(base * factor * rng.uniform(0.6, 1.4))

    return Weight(
        naming=rng.choices((BEM, UTILITY, MODULE), weights=(5, 2, 2))[0],
        prefix=rng.choice(BEM_PREFIXES),
        css_rules=count(CSS_RULES) if rng.random() < 0.8 else 0,
        css_minified=rng.random() < 0.7,
        icons=min(len(ICON_NAMES), count(ICONS)) if rng.random() < 0.6 else 0,
        sections=max(4, min(len(SITE_SECTIONS), count(MENU_SECTIONS))),
        subsections=max(2, count(MENU_SUBSECTIONS)),
        drawer=rng.random() < 0.25,
        footer_columns=count(FOOTER_COLUMNS),
        widgets=tuple(rng.sample(WIDGET_HEADINGS, rng.randrange(1, 3))),
        widget_items=max(3, count(WIDGET_ITEMS)),
        cards=count(CARDS) if rng.random() < 0.7 else 0,
        state_stories=count(STATE_STORIES) if rng.random() < 0.85 else 0,
        state_global=rng.random() < 0.5,
        ad_slots=rng.randrange(len(AD_POSITIONS) + 1),
        consent=rng.random() < 0.35,
        comments=rng.random() < 0.5,
        bundles=max(1, min(len(SCRIPT_BUNDLES), count(BUNDLES))),
        tracking=rng.random() < 0.6,
    )


@dataclass(frozen=True, slots=True)
class Template:
    """The rest of an outlet's template: its weight, class names, icons and sections."""

    markup: Markup
    weight: Weight
    classes: Mapping[str, str]  # class attribute by role (``CLASS_ROLES``)
    icons: frozenset[str]
    sprite: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    host: str
    cdn: str


@dataclass(frozen=True, slots=True)
class Chrome:
    """What every page of one outlet carries alike, written once."""

    template: Template
    head: str  # resource links, the inline stylesheet and small scripts
    menu: str  # top bar, mega-menu and drawer, inside the site header
    footer: str
    config: Mapping[str, object]  # the configuration script's fixed part
    navigation: Sequence[Mapping[str, object]]  # the menu, as the page's JSON state lists it
    bundles: str


def _hash(text: str, length: int = 5) -> str:
    """Base-36 characters from a CRC of ``text``, for build hashes and module class names."""
    number = zlib.crc32(text.encode("utf-8"))
    return "".join(BASE36[(number >> (5 * i)) % 36] for i in range(length))


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_]+", name) if part)


def _script_json(data: object) -> str:
    """JSON for a script element: "<", ">" and "&" escaped so no text can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _place(rng: random.Random) -> str:
    return rng.choice(PLACE_STEMS) + rng.choice(PLACE_ENDINGS)


def _with_article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


# How each slot of ``WIDGET_HEADLINES`` is filled; a headline draws only the slots its
# form names, since pages carry a hundred such headlines and drawing is the slow part.
HEADLINE_SLOTS: dict[str, Callable[[random.Random], str]] = {
    "Place": _place,
    "Place2": _place,
    "place": _place,
    "district": lambda rng: f"{rng.choice(DISTRICT_STEMS)} {rng.choice(DISTRICT_KINDS)}",
    "noun": lambda rng: rng.choice(NOUNS),
    "noun2": lambda rng: rng.choice(NOUNS),
    "noun_pl": lambda rng: rng.choice(NOUNS) + "s",
    "adj": lambda rng: rng.choice(ADJECTIVES),
    "Adj": lambda rng: rng.choice(ADJECTIVES).capitalize(),
    "an_adj": lambda rng: _with_article(rng.choice(ADJECTIVES)),
    "verb": lambda rng: rng.choice(VERBS),
    "season": lambda rng: rng.choice(SEASONS),
    "count": lambda rng: str(rng.randrange(2, 40)),
    "First": lambda rng: rng.choice(FIRST_NAMES),
    "Surname": lambda rng: rng.choice(SURNAMES),
    "occupation": lambda rng: rng.choice(OCCUPATIONS),
}
HEADLINE_FORMS = tuple(
    (form, tuple(name for _, name, _, _ in string.Formatter().parse(form) if name))
    for form in WIDGET_HEADLINES
)


def invented_headline(rng: random.Random) -> str:
    """A headline for a menu, a rail or a list of other stories (``WIDGET_HEADLINES``)."""
    form, names = rng.choice(HEADLINE_FORMS)
    return form.format_map({name: HEADLINE_SLOTS[name](rng) for name in names})


def _image(cdn: str, key: str, width: int, css: str) -> str:
    """A lazy image in three widths, as templates serve pictures of other stories."""
    src = f"https://{cdn}/images/{key}"
    srcset = ", ".join(f"{src}-{w}x{w * 9 // 16}.jpg {w}w" for w in IMAGE_WIDTHS)
    return (
        f'<img class="{css}" src="{src}-{width}x{width * 9 // 16}.jpg" srcset="{srcset}" '
        f'sizes="(min-width: 1024px) {width}px, 40vw" alt="" width="{width}" '
        f'height="{width * 9 // 16}" loading="lazy" decoding="async">'
    )


def _track(t: Template, *where: str) -> str:
    """The attribute the analytics script reads on a link, when the outlet tracks links."""
    return f' data-track="{_e("|".join(where))}"' if t.weight.tracking else ""


def _icon(t: Template, name: str) -> str:
    """The sprite's icon, or nothing when the outlet has no sprite or not this icon."""
    if name not in t.icons:
        return ""
    return (
        f'<svg class="{t.classes["icon"]}" width="24" height="24" aria-hidden="true" '
        f'focusable="false"><use href="#icon-{name}"></use></svg>'
    )


# --- the outlet's chrome: built once per outlet ----------------------------------------------


def _class_names(style: OutletStyle, weight: Weight) -> dict[str, str]:
    """The class attribute each role gets under the outlet's naming scheme."""
    out = {}
    for role in CLASS_ROLES:
        if weight.naming == BEM:
            out[role] = weight.prefix + role
        elif weight.naming == UTILITY:
            rng = random.Random(zlib.crc32(f"{style.slug} {role}".encode()))
            out[role] = " ".join(rng.sample(UTILITY_NAMES, rng.randrange(3, 8)))
        else:
            block, _, part = role.partition("__")
            out[role] = f"{_camel(block)}_{_camel(part) or 'Root'}__{_hash(style.slug + role)}"
    return out


def _declaration(rng: random.Random, colours: Sequence[str]) -> str:
    """One "property:value" of ``CSS_DECLARATIONS``, its lengths and colours filled in."""
    prop, values = rng.choice(CSS_DECLARATIONS)
    value = rng.choice(values).replace("{c}", rng.choice(colours))
    while "{l}" in value:
        value = value.replace("{l}", rng.choice(LENGTHS), 1)
    return f"{prop}:{value}"


def _selector(rng: random.Random, style: OutletStyle, weight: Weight, markup: Markup) -> str:
    """A selector of the outlet's design system: a component's part, in some state."""
    block, part = rng.choice(UI_BLOCKS), rng.choice(UI_PARTS)
    if weight.naming == MODULE:
        name = f"{_camel(block)}_{part}__{_hash(f'{style.slug} {block} {part}')}"
    else:
        name = f"{weight.prefix}{block}__{part}"
        if rng.random() < 0.3:
            name += f"--{rng.choice(UI_MODIFIERS)}"
    scope = f".{markup.header_class} " if rng.random() < 0.1 else ""
    return f"{scope}.{name}{rng.choice(PSEUDO_CLASSES)}"


# A stylesheet rule: its selector and its declarations.
Rule = tuple[str, list[str]]


def _fonts(style: OutletStyle) -> list[str]:
    """The outlet's two typefaces, for its stylesheet and the head's preloads."""
    return random.Random(zlib.crc32(f"fonts {style.slug}".encode())).sample(FONT_WORDS, 2)


def _font_file(style: OutletStyle, font: str) -> str:
    return f"/assets/fonts/{font.lower()}.{_hash(style.slug + font, 8)}.woff2"


def _css(rules: Sequence[Rule], minified: bool) -> str:
    """Rules as a stylesheet's text, minified or laid out one declaration a line."""
    if minified:
        return "".join(f"{selector}{{{';'.join(body)}}}" for selector, body in rules)
    return "".join(
        f"{selector} {{\n" + "".join(f"  {d.replace(':', ': ', 1)};\n" for d in body) + "}\n"
        for selector, body in rules
    )


def _stylesheet(
    style: OutletStyle, weight: Weight, markup: Markup, classes: Mapping[str, str]
) -> str:
    """An inline stylesheet: custom properties, fonts, the template's rules, media queries."""
    if not weight.css_rules:
        return ""
    rng = random.Random(zlib.crc32(f"css {style.slug}".encode()))
    palette = {role: f"#{rng.getrandbits(24):06x}" for role in COLOUR_ROLES}
    colours = (*(f"var(--{role})" for role in COLOUR_ROLES), *palette.values())
    fonts = _fonts(style)
    families = [
        f"--font-{kind}:'{style.name} {font}',Georgia,serif"
        for kind, font in zip(("head", "body"), fonts, strict=True)
    ]
    rules: list[Rule] = [
        (":root", [*(f"--{role}:{hex_}" for role, hex_ in palette.items()), *families])
    ]
    rules += [
        (
            "@font-face",
            [
                f"font-family:'{style.name} {font}'",
                f"src:url({_font_file(style, font)}) format('woff2')",
                "font-display:swap",
            ],
        )
        for font in fonts
    ]
    if weight.naming == UTILITY:
        used = sorted({name for attribute in classes.values() for name in attribute.split()})
        rules += [(f".{name}", UTILITIES[name].split(";")) for name in used]
    else:
        rules += [
            (f".{name}", [_declaration(rng, colours) for _ in range(rng.randrange(1, 5))])
            for name in sorted(set(classes.values()))
        ]
    media: dict[str, list[Rule]] = {}
    for _ in range(weight.css_rules):
        rule = (
            _selector(rng, style, weight, markup),
            [_declaration(rng, colours) for _ in range(rng.randrange(1, 7))],
        )
        if rng.random() < 0.25:
            media.setdefault(rng.choice(BREAKPOINTS), []).append(rule)
        else:
            rules.append(rule)
    text = _css(rules, weight.css_minified)
    for query, inner in sorted(media.items()):
        space = "" if weight.css_minified else " "
        text += f"@media {query}{space}{{{_css(inner, weight.css_minified)}}}"
    return f"<style>{text}</style>"


def _path(rng: random.Random) -> str:
    """An icon's outline: a start point and curves and lines within a 24-unit box."""

    def point() -> str:
        return f"{rng.uniform(1, 23):.2f} {rng.uniform(1, 23):.2f}"

    segments = [f"M{point()}"]
    for _ in range(rng.randrange(6, 30)):
        if rng.random() < 0.5:
            segments.append(f"C{point()} {point()} {point()}")
        else:
            segments.append(f"L{point()}")
    return "".join(segments) + "Z"


def _sprite(style: OutletStyle, weight: Weight) -> tuple[str, frozenset[str]]:
    """An inline SVG sprite that the page's icons point into, and the icons it holds."""
    if not weight.icons:
        return "", frozenset()
    rng = random.Random(zlib.crc32(f"icons {style.slug}".encode()))
    names = ICON_NAMES[: weight.icons]
    symbols = "".join(
        f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="{_path(rng)}"/></symbol>'
        for name in names
    )
    sprite = (
        '<svg xmlns="http://www.w3.org/2000/svg" style="display:none" aria-hidden="true">'
        f"{symbols}</svg>"
    )
    return sprite, frozenset(names)


def _sections(style: OutletStyle, weight: Weight) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The site's sections, each with its subsections; local news lists towns."""
    rng = random.Random(zlib.crc32(f"sections {style.slug}".encode()))
    names = [style.section, *(s for s in SITE_SECTIONS if s != style.section)]
    chosen = [names[0], *rng.sample(names[1:], weight.sections - 1)]
    out = []
    for name in chosen:
        count = max(2, round(weight.subsections * rng.uniform(0.5, 1.5)))
        if name in ("Local", "Community", style.section):
            subsections = tuple(sorted({_place(rng) for _ in range(count)}))
        else:
            subsections = tuple(rng.sample(SUBSECTIONS, min(count, len(SUBSECTIONS))))
        out.append((name, subsections))
    return tuple(out)


@functools.cache
def template_of(style: OutletStyle) -> Template:
    """The outlet's template, built once: a pure function of the style, cached for speed."""
    markup, weight = markup_of(style), weight_of(style)
    sprite, icons = _sprite(style, weight)
    host = f"{style.slug}.example"
    return Template(
        markup=markup,
        weight=weight,
        classes=_class_names(style, weight),
        icons=icons,
        sprite=sprite,
        sections=_sections(style, weight),
        host=host,
        cdn=f"cdn.{host}",
    )


def _menu(style: OutletStyle, t: Template) -> str:
    """A top bar with search and account links, the mega-menu and its small-screen drawer."""
    c = t.classes
    rng = random.Random(zlib.crc32(f"menu {style.slug}".encode()))
    out = [
        f'<div class="{c["topbar"]}">',
        f'<form class="{c["search"]}" role="search" action="/search" method="get">'
        f'<input class="{c["search__input"]}" type="search" name="q" '
        f'placeholder="Search {_e(style.name)}" aria-label="Search" autocomplete="off">'
        f'<button class="{c["search__button"]}" type="submit" aria-label="Search">'
        f"{_icon(t, 'search')}</button></form>",
        f'<a class="{c["topbar__link"]}" href="/account"{_track(t, "topbar", "account")}>'
        f"{_icon(t, 'account')}Sign in</a>",
        f'<a class="{c["topbar__link"]}" href="/subscribe"{_track(t, "topbar", "subscribe")}>'
        "Subscribe</a>",
        "</div>",
        f'<nav class="{c["menu"]}" aria-label="Sections">',
        f'<div class="{c["layout"]}"><div class="{c["menu__inner"]}">',
        f'<ul class="{c["menu__list"]}">',
    ]
    for name, subsections in t.sections:
        key = slug(name)
        feature = invented_headline(rng)
        href = f"/{key}/{slug(feature)}"
        out += [
            f'<li class="{c["menu__item"]}">'
            f'<a class="{c["menu__link"]}" href="/{key}/"{_track(t, "menu", key)}>{_e(name)}</a>'
            f'<button class="{c["menu__toggle"]}" type="button" aria-expanded="false" '
            f'aria-controls="menu-{key}" aria-label="More in {_e(name)}">'
            f"{_icon(t, 'chevron-down')}</button>",
            f'<div class="{c["menu__panel"]}" id="menu-{key}">',
            f'<div class="{c["layout__inner"]}"><div class="{c["menu__column"]}">',
            f'<ul class="{c["menu__sublist"]}">',
            *(
                f'<li class="{c["menu__subitem"]}"><a class="{c["menu__sublink"]}" '
                f'href="/{key}/{slug(sub)}/"{_track(t, "menu", key, slug(sub))}>{_e(sub)}</a></li>'
                for sub in subsections
            ),
            "</ul>",
            "</div>",
            f'<div class="{c["menu__column"]}">'
            f'<a class="{c["menu__feature"]}" href="{href}"{_track(t, "menu", key, "feature")}>'
            f'<div class="{c["card__media"]}">'
            f"{_image(t.cdn, href.strip('/'), 320, c['card__image'])}</div>"
            f'<span class="{c["menu__feature-title"]}">{_e(feature)}</span></a></div>',
            "</div></div>",
            "</li>",
        ]
    out += ["</ul>", "</div></div>", "</nav>"]
    if t.weight.drawer:
        out.append(f'<div class="{c["drawer"]}" id="drawer" hidden>')
        out.append(f'<ul class="{c["drawer__list"]}">')
        for name, subsections in t.sections:
            key = slug(name)
            out.append(f'<li><a class="{c["drawer__link"]}" href="/{key}/">{_e(name)}</a></li>')
            out += [
                f'<li><a class="{c["drawer__link"]}" href="/{key}/{slug(s)}/">{_e(s)}</a></li>'
                for s in subsections
            ]
        out += ["</ul>", "</div>"]
    return "\n".join(out)


def _footer(style: OutletStyle, t: Template) -> str:
    """The site footer: a site map, social and legal links, app badges and the copyright."""
    c, weight = t.classes, t.weight
    rng = random.Random(zlib.crc32(f"footer {style.slug}".encode()))
    out = [
        '<footer class="site-footer">',
        f'<div class="{c["layout"]}"><div class="{c["layout__inner"]}">',
    ]
    if weight.footer_columns:
        out.append(f'<div class="{c["footer__sitemap"]}">')
        for name, subsections in t.sections[: weight.footer_columns]:
            key = slug(name)
            links = "".join(
                f'<li><a class="{c["footer__link"]}" href="/{key}/{slug(sub)}/"'
                f"{_track(t, 'footer', key, slug(sub))}>{_e(sub)}</a></li>"
                for sub in subsections
            )
            out.append(
                f'<div class="{c["footer__column"]}"><h3 class="{c["footer__heading"]}">'
                f'<a href="/{key}/">{_e(name)}</a></h3>'
                f'<ul class="{c["footer__list"]}">{links}</ul></div>'
            )
        out.append("</div>")
    social = "".join(
        f'<li><a href="https://{network}.example/{style.slug}" rel="noopener" '
        f'aria-label="{network}"{_track(t, "footer", "social", network)}>'
        f"{_icon(t, network) or network}</a></li>"
        for network in SOCIAL_ICONS[: rng.randrange(2, len(SOCIAL_ICONS) + 1)]
    )
    legal = "".join(
        f'<li><a href="/{slug(link)}">{_e(link)}</a></li>'
        for link in rng.sample(SITE_LINKS, rng.randrange(6, len(SITE_LINKS) + 1))
    )
    out += [
        f'<ul class="{c["footer__social"]}">{social}</ul>',
        f'<ul class="{c["footer__legal"]}">{legal}</ul>',
        f'<div class="{c["footer__apps"]}">'
        '<a href="/app/ios"><img src="/assets/badges/app-store.svg" alt="App Store" '
        'width="120" height="40" loading="lazy"></a>'
        '<a href="/app/android"><img src="/assets/badges/play-store.svg" alt="Google Play" '
        'width="135" height="40" loading="lazy"></a></div>',
        "</div></div>",
        f"<p>{_e(style.footer)}</p>",
        "</footer>",
    ]
    return "\n".join(out)


def _head_links(style: OutletStyle, t: Template) -> str:
    """The head's links to icons, feeds, fonts and hosts, the stylesheet and small scripts."""
    rng = random.Random(zlib.crc32(f"head {style.slug}".encode()))
    lines = [
        f'<link rel="preconnect" href="https://{t.cdn}" crossorigin>',
        f'<link rel="dns-prefetch" href="https://stats.{t.host}">',
        f'<link rel="dns-prefetch" href="https://ads.{t.host}">',
        '<link rel="icon" href="/favicon.ico" sizes="any">',
        '<link rel="icon" href="/icon.svg" type="image/svg+xml">',
        '<link rel="apple-touch-icon" href="/apple-touch-icon.png">',
        '<link rel="manifest" href="/site.webmanifest">',
        f'<meta name="theme-color" content="#{rng.getrandbits(24):06x}">',
        '<meta name="robots" content="index, follow, max-image-preview:large">',
        f'<meta property="fb:app_id" content="{rng.randrange(10**14, 10**15)}">',
        f'<meta name="twitter:site" content="@{style.slug.replace("-", "")[:15]}">',
        f'<link rel="alternate" type="application/rss+xml" title="{_e(style.name)}" href="/rss">',
        *(
            f'<link rel="preload" href="{_font_file(style, font)}" as="font" type="font/woff2" '
            "crossorigin>"
            for font in _fonts(style)
        ),
        *(
            f'<link rel="preload" as="script" href="{_bundle_src(style, t, bundle)}">'
            for bundle in SCRIPT_BUNDLES[: min(3, t.weight.bundles)]
        ),
        _stylesheet(style, t.weight, t.markup, t.classes),
        *(
            f"<script>{snippet}</script>"
            for snippet in HEAD_SNIPPETS[: rng.randrange(1, len(HEAD_SNIPPETS) + 1)]
        ),
    ]
    return "\n".join(line for line in lines if line)


def _config(style: OutletStyle, t: Template) -> dict[str, object]:
    """The fixed part of the configuration object a site's scripts start from."""
    rng = random.Random(zlib.crc32(f"config {style.slug}".encode()))
    return {
        "site": {
            "name": style.name,
            "id": _hash(style.slug, 8),
            "host": t.host,
            "cdn": f"https://{t.cdn}",
            "locale": "en",
            "timezone": style.zone,
            "sections": [slug(name) for name, _ in t.sections],
        },
        "features": {flag: rng.random() < 0.5 for flag in FEATURE_FLAGS},
        "ads": {
            "network": AD_NETWORK,
            "unit": f"/{AD_NETWORK}/{style.slug}",
            "lazyLoad": {"fetchMarginPercent": 200, "renderMarginPercent": 50},
            "refreshSeconds": rng.choice((0, 30, 45, 60)),
        },
        "endpoints": {
            kind: f"https://{kind}.{t.host}/v{rng.randrange(1, 4)}"
            for kind in ("api", "comments", "search", "newsletter", "personalise")
        },
    }


def _bundle_src(style: OutletStyle, t: Template, bundle: str) -> str:
    """Where a bundle is served from, its name carrying a build hash."""
    return f"https://{t.cdn}/assets/{bundle}.{_hash(style.slug + bundle, 8)}.js"


def _bundles(style: OutletStyle, t: Template) -> str:
    """The script bundles every page loads from the outlet's CDN."""
    return "\n".join(
        f'<script src="{_bundle_src(style, t, bundle)}" defer></script>'
        for bundle in SCRIPT_BUNDLES[: t.weight.bundles]
    )


@functools.cache
def chrome_of(style: OutletStyle) -> Chrome:
    """What all the outlet's pages carry alike, written once: a pure function, cached."""
    t = template_of(style)
    return Chrome(
        template=t,
        head=_head_links(style, t),
        menu=_menu(style, t),
        footer=_footer(style, t),
        config=_config(style, t),
        navigation=[
            {
                "label": name,
                "href": f"/{slug(name)}/",
                "children": [{"label": s, "href": f"/{slug(name)}/{slug(s)}/"} for s in subs],
            }
            for name, subs in t.sections
        ],
        bundles=_bundles(style, t),
    )


# --- per page: what changes with the article or the day ----------------------------------------


def _page_info(
    title: str, published: datetime, style: OutletStyle, dressing: Dressing, url: str, words: int
) -> dict[str, object]:
    """What the page's scripts are told about the article."""
    return {
        "id": url.rsplit("/", 1)[-1],
        "type": "article",
        "title": title,
        "section": slug(style.section),
        "tags": [slug(tag) for tag in dressing.tags],
        "author": byline_name(dressing.byline),
        "published": published.isoformat(),
        "words": words,
    }


def _head_scripts(chrome: Chrome, page: Mapping[str, object]) -> list[str]:
    """The configuration object and the analytics snippet, in the head."""
    t = chrome.template
    config = {**chrome.config, "page": page}
    return [
        f"<script>window.__SITE_CONFIG__={_script_json(config)};</script>",
        "<script>"
        + ANALYTICS_SNIPPET.format(page=_script_json(page), host=t.host, site=page["id"])
        + "</script>",
    ]


def _social_meta(title: str, lead: str, published: datetime, chrome: Chrome) -> list[str]:
    """The Open Graph picture and description and the Twitter card that sites add."""
    image = f"https://{chrome.template.cdn}/images/{published:%Y/%m}/{slug(title)}-1200x675.jpg"
    description = _e(_description(lead))
    return [
        f'<meta property="og:description" content="{description}">',
        f'<meta property="og:image" content="{image}">',
        '<meta property="og:image:width" content="1200">',
        '<meta property="og:image:height" content="675">',
        '<meta name="twitter:card" content="summary_large_image">',
        f'<meta name="twitter:title" content="{_e(title)}">',
        f'<meta name="twitter:description" content="{description}">',
        f'<meta name="twitter:image" content="{image}">',
    ]


def _ad_slots(t: Template, style: OutletStyle, dressing: Dressing, page_id: str) -> dict[str, str]:
    """The outlet's ad slots outside the article, by position: empty boxes scripts fill."""
    out = {}
    for position, sizes in AD_POSITIONS[: t.weight.ad_slots]:
        targeting = {
            "pos": position,
            "section": slug(style.section),
            "article": page_id,
            "tags": [slug(tag) for tag in dressing.tags],
        }
        out[position] = (
            f'<div class="{t.classes["ad-slot"]}" id="ad-{position}" '
            f'data-ad-unit="/{AD_NETWORK}/{style.slug}/{slug(style.section)}" '
            f'data-ad-sizes="{_e(json.dumps([list(s) for s in sizes]))}" '
            f'data-ad-targeting="{_e(json.dumps(targeting))}"></div>'
            f"<script>adQueue.push(function(){{showSlot('ad-{position}');}});</script>"
        )
    return out


def _widgets(style: OutletStyle, t: Template, published: datetime) -> list[str]:
    """Trending and most-read lists: the same for every page the outlet serves that day."""
    c = t.classes
    rng = random.Random(zlib.crc32(f"widgets {style.slug} {published:%Y-%m-%d}".encode()))
    out = []
    for index, heading in enumerate(t.weight.widgets):
        key = slug(heading)
        out += [
            f'<aside class="{c["widget"]}" aria-labelledby="{key}-title" data-component="{key}">',
            f'<h2 class="{c["widget__title"]}" id="{key}-title">{_e(heading)}</h2>',
            f'<ol class="{c["widget__list"]}">',
        ]
        for rank in range(1, t.weight.widget_items + 1):
            headline = invented_headline(rng)
            href = f"/{slug(rng.choice(t.sections)[0])}/{slug(headline)}"
            # The second list shows pictures, as most-read lists often do.
            thumb = _image(t.cdn, href.strip("/"), 160, c["widget__thumb"]) if index else ""
            out.append(
                f'<li class="{c["widget__item"]}"><div class="{c["card__body"]}">'
                f'<a class="{c["widget__link"]}" href="{href}"{_track(t, key, str(rank))}>'
                f'<span class="{c["widget__rank"]}">{rank}</span>{thumb}'
                f'<span class="{c["widget__headline"]}">{_e(headline)}</span></a></div></li>'
            )
        out += ["</ol>", "</aside>"]
    return out


def _cards(style: OutletStyle, t: Template, rng: random.Random) -> list[str]:
    """Cards for more of the section's stories, each with a picture, below the article."""
    if not t.weight.cards:
        return []
    c = t.classes
    out = [
        f'<section class="{c["cards"]}" aria-label="More stories">',
        f'<h2 class="{c["cards__title"]}">More from {_e(style.section)}</h2>',
        f'<div class="{c["cards__grid"]}">',
    ]
    for _ in range(t.weight.cards):
        headline = invented_headline(rng)
        section, subsections = rng.choice(t.sections)
        href = f"/{slug(section)}/{slug(headline)}"
        out.append(
            f'<div class="{c["card"]}"><a class="{c["card__link"]}" href="{href}"'
            f'{_track(t, "cards", slug(section))}><div class="{c["card__media"]}">'
            f"{_image(t.cdn, href.strip('/'), 320, c['card__image'])}</div>"
            f'<div class="{c["card__body"]}">'
            f'<span class="{c["card__kicker"]}">{_e(rng.choice(subsections))}</span>'
            f'<h3 class="{c["card__headline"]}">{_e(headline)}</h3></div></a>'
            f'<span class="{c["card__time"]}">{rng.randrange(1, 48)}h ago</span></div>'
        )
    out += ["</div>", "</section>"]
    return out


def _comments(t: Template, page_id: str) -> list[str]:
    """A comment widget's shell: the script fills the list once the reader scrolls to it."""
    if not t.weight.comments:
        return []
    c = t.classes
    sorts = "".join(
        f'<button type="button" role="tab" aria-selected="{"true" if i == 0 else "false"}">'
        f"{label}</button>"
        for i, label in enumerate(COMMENT_SORTS)
    )
    return [
        f'<section class="{c["comments"]}" id="comments" data-article="{page_id}" '
        'data-page-size="20">',
        f'<h2 class="{c["comments__title"]}">Comments</h2>',
        f'<p class="{c["comments__intro"]}">Sign in to join the conversation.</p>',
        f'<form class="{c["comments__form"]}" action="/comments" method="post">'
        f'<textarea class="{c["comments__input"]}" name="body" rows="3" '
        'placeholder="Add a comment" disabled></textarea>'
        f'<button class="{c["comments__submit"]}" type="submit" disabled>Post</button></form>',
        f'<div class="{c["comments__sort"]}" role="tablist">{sorts}</div>',
        f'<div class="{c["comments__list"]}" aria-live="polite"></div>',
        "</section>",
    ]


def _consent(style: OutletStyle, t: Template) -> list[str]:
    """A consent dialog listing what the site asks to be allowed, hidden until scripts run."""
    if not t.weight.consent:
        return []
    c = t.classes
    purposes = "".join(
        f'<li class="{c["consent__purpose"]}"><label><input class="{c["consent__toggle"]}" '
        f'type="checkbox" name="purpose-{i}" value="1"> {_e(purpose)}</label></li>'
        for i, purpose in enumerate(CONSENT_PURPOSES, 1)
    )
    buttons = "".join(f'<button type="button">{label}</button>' for label in CONSENT_BUTTONS)
    return [
        f'<div class="{c["consent"]}" id="consent" role="dialog" aria-modal="true" '
        'aria-labelledby="consent-title" hidden>',
        f'<h2 class="{c["consent__title"]}" id="consent-title">Your privacy choices</h2>',
        f"<p>{_e(style.name)} and its partners would like to:</p>",
        f"<ul>{purposes}</ul>",
        f'<div class="{c["consent__actions"]}">{buttons}</div>',
        "</div>",
    ]


def _state(
    chrome: Chrome,
    rng: random.Random,
    published: datetime,
    dressing: Dressing,
    page: Mapping[str, object],
) -> list[str]:
    """The JSON state a site's scripts hydrate the page from: the page, menu and stories."""
    t = chrome.template
    if not t.weight.state_stories:
        return []
    headlines = [
        *dressing.related,
        *(invented_headline(rng) for _ in range(t.weight.state_stories)),
    ]
    stories = []
    for headline in headlines:
        section, subsections = rng.choice(t.sections)
        href = f"/{slug(section)}/{slug(headline)}"
        moment = published - timedelta(minutes=rng.randrange(20, 6000))
        stories.append(
            {
                "id": f"{zlib.crc32(href.encode()):08x}",
                "headline": headline,
                "url": f"https://{t.host}{href}",
                "section": section,
                "publishedAt": moment.isoformat(),
                "image": {
                    "src": f"https://{t.cdn}/images{href}-640x360.jpg",
                    "width": 640,
                    "height": 360,
                },
                "kicker": rng.choice(subsections),
                "summary": invented_headline(rng) + ".",
                "author": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                "readingMinutes": rng.randrange(2, 12),
                "premium": rng.random() < 0.2,
            }
        )
    data = {
        "page": page,
        "navigation": chrome.navigation,
        "stories": stories,
        "user": {"signedIn": False, "subscriber": False, "consent": None},
    }
    if t.weight.state_global:
        return [f"<script>window.__INITIAL_STATE__={_script_json(data)};</script>"]
    return [f'<script id="__STATE__" type="application/json">{_script_json(data)}</script>']


# --- the page ----------------------------------------------------------------------------------


def page_html(
    title: str,
    published: datetime,
    paragraphs: Sequence[str],
    style: OutletStyle,
    dressing: Dressing,
    url: str,
) -> str:
    """The article as its outlet's web page, from doctype to footer."""
    chrome = chrome_of(style)
    t = chrome.template
    markup = t.markup
    # What differs between two pages of an outlet is drawn from the page's address.
    rng = random.Random(zlib.crc32(url.encode("utf-8")))
    page_id = url.rsplit("/", 1)[-1]
    words = sum(len(p.split()) for p in paragraphs)
    page = _page_info(title, published, style, dressing, url, words)
    ads = _ad_slots(t, style, dressing, page_id)
    article = [
        f'<article class="{markup.article_class}">',
        *_article_header(title, published, style, dressing, markup),
        *_body(paragraphs, style, dressing, markup),
        *_article_footer(style, dressing, markup),
        "</article>",
    ]
    related = _related(style, dressing, markup)
    rail = [
        f'<div class="{t.classes["layout"]}">',
        ads.get("rail", ""),
        *_widgets(style, t, published),
        ads.get("rail-2", ""),
        "</div>",
    ]
    if markup.grid:
        main = [
            '<div class="container"><div class="row">',
            '<div class="col-main">',
            *article,
            "</div>",
            '<div class="col-side">',
            *related,
            *rail,
            "</div>",
            "</div></div>",
        ]
        rail = []
    else:
        main = [*article, *related]
    lines = [
        "<!doctype html>",
        '<html lang="en">',
        *_head(title, published, paragraphs[0], style, dressing, url, markup, chrome, page),
        f'<body class="{markup.article_class.split()[0]}-page">',
        t.sprite,
        ads.get("top", ""),
        *_site_header(style, markup, chrome),
        '<main id="content">',
        *main,
        "</main>",
        *rail,
        *_cards(style, t, rng),
        ads.get("native", ""),
        *_comments(t, page_id),
        ads.get("bottom", ""),
        *_notice(style, markup),
        *_consent(style, t),
        chrome.footer,
        ads.get("sticky", ""),
    ]
    if markup.scripts:
        lines.append('<script async src="/assets/ads.js"></script>')
    lines += [chrome.bundles, *_state(chrome, rng, published, dressing, page)]
    lines += ["</body>", "</html>"]
    return "\n".join(line for line in lines if line) + "\n"
