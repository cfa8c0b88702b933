"""Boilerplate removal around the main-text extractor.

Two passes, one on each side of the extractor:

* ``prune_boilerplate_containers`` drops, from the parsed page, containers whose
  markup says what they are (dialogs, hidden blocks, newsletter boxes, related-story
  rails, picture credits) before the extractor can mistake them for article text;
* ``keep_article_blocks`` then drops, from the extracted blocks, lines whose wording
  says what they are (calls to subscribe or follow, paywall notices, copyright and
  advertising notices, credits, metadata labels, datelines) and the lists of other
  stories that follow a "related stories" opener, in the common European languages.

Every rule is general: none names a site. The thresholds were calibrated together
against the HTML evaluation set (``python bench/html_eval.py``); re-run it after
any change, and raise the floors in ``tests/test_extract_quality.py`` if it improves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from lxml.html import HtmlElement

BlockKind = Literal["heading", "paragraph", "item", "row", "quote"]

# A word, for counting: a run of non-space characters holding a letter or digit, so
# "03-10-2004" and "2:20pm" count once each and a lone dash not at all.
WORD = re.compile(r"[^\s\w]*\w\S*")


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of extracted text, with its length in words and its share of link text."""

    kind: BlockKind
    text: str
    words: int
    link_share: float


def make_block(kind: BlockKind, text: str, link_characters: int = 0) -> Block:
    """A block, measured once: words counted, link share from link characters."""
    share = min(1.0, link_characters / len(text)) if text else 0.0
    return Block(kind, text, len(WORD.findall(text)), share)


# --- before extraction: containers the markup marks as boilerplate -----------------

# Class or id words that name a container's purpose. Matched as whole words of the
# attribute, where words are split at spaces, hyphens and underscores ("newsletter-form",
# "more-about__card --related", "photo-caption"); compounds such as "nextstory" are
# listed as such.
CONTAINER_PURPOSE_WORDS = (
    # sign-up boxes ("paywall" and "subscription" are left out: sites wrap the
    # article itself in containers named so, and "non-paywall" would match too)
    "newsletter",
    "newsletters",
    # other stories
    "related",
    "recommended",
    "recommendations",
    "nextstory",
    "next-post",
    "prev-post",
    # pop-ups and what floats over the page
    "popup",
    "modal",
    "overlay",
    "cookie-banner",
    "consent",
    # advertising
    "promo",
    "sponsored",
    "advertisement",
    # credits for pictures and for the site's design
    "credit",
    "credits",
)
BOILERPLATE_CONTAINER_WORD = re.compile(
    r"(?:^|[\s_-])(?:" + "|".join(map(re.escape, CONTAINER_PURPOSE_WORDS)) + r")(?=$|[\s_-])"
)

# Elements whose content is not the article: what a browser shows only without
# scripts ("Please enable JavaScript"), inert templates, and pop-up dialogs. Some
# blogging platforms put the whole post in <noscript>; the share guard below keeps it.
NOT_ARTICLE_TAGS = frozenset({"noscript", "template", "dialog"})

# Roles of pop-up windows, which carry sign-up forms and promotions, never the article.
DIALOG_ROLES = frozenset({"dialog", "alertdialog"})

# A container holding at least this share of the body's text is the article itself,
# whatever its markup says ("article paywall-content", a page wrapper marked
# aria-hidden while a pop-up was open, a post inside <noscript>); never prune it.
# Calibrated on the evaluation set together with the words above: shares from 0.2 to
# 0.4 score the same (at 0.1 a pop-up and a next-story rail survive; at 0.5 a post in
# <noscript> holding 42% of its page is lost), and 0.3 sits in the middle.
MAX_PRUNED_TEXT_SHARE = 0.3

# Elements that hold the page's structure, never pruned as a whole.
STRUCTURAL_TAGS = frozenset({"html", "head", "body", "main", "article"})


def prune_boilerplate_containers(root: HtmlElement) -> None:
    """Drop marked boilerplate containers from ``root`` in place, before extraction."""
    body = root.find(".//body")
    if body is None:
        return
    most_pruned = MAX_PRUNED_TEXT_SHARE * len(_visible_text(body))
    doomed = [
        element
        for element in body.iter()
        if isinstance(element.tag, str)
        and element.tag not in STRUCTURAL_TAGS
        and _marked_as_boilerplate(element)
        and len(_visible_text(element)) < most_pruned
    ]
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            _remove_keeping_tail(element, parent)


def _marked_as_boilerplate(element: HtmlElement) -> bool:
    """Whether the element's tag or attributes say it is not article text."""
    if element.tag in NOT_ARTICLE_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if (element.get("role") or "").lower() in DIALOG_ROLES:
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return BOILERPLATE_CONTAINER_WORD.search(names) is not None


def _visible_text(element: HtmlElement) -> str:
    """The element's text, without the contents of scripts and styles."""
    pieces: list[str] = []
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag not in ("script", "style") and node.text:
            pieces.append(node.text)
        if node is not element and node.tail:
            pieces.append(node.tail)
    return "".join(pieces)


def _remove_keeping_tail(element: HtmlElement, parent: HtmlElement) -> None:
    """Remove an element but keep the text that follows it inside its parent."""
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


# --- after extraction: lines whose wording marks them as boilerplate ------------------

# Lines longer than this many words are article prose even when they mention
# subscribing or copyright; the patterns below only judge shorter lines. Calibrated
# on the evaluation set: its longest notice (an advertising disclosure) has 44
# words; every limit from 45 up scores the same.
MAX_BOILERPLATE_WORDS = 45

# Calls to action and notices that are never part of an article's story.
BOILERPLATE_PHRASES = (
    # newsletters and sign-up boxes; a bare mention of a newsletter or of signing up
    # ("residents can sign up at city hall") is news, an invitation is not
    r"\b(?:sign(?:ing)?[ -]up|subscribe|subscribing|register|join)\b.{0,40}\bnewsletters?\b",
    r"\bnewsletters?\W*$",
    r"^\W*sign[ -]up\b",
    r"\b(?:free sign[ -]up|sign[ -]up (?:here|now|today|for free))\b",
    r"\bsubscribe (?:now|today|here)\b",
    r"\bnever miss (?:the latest|our)\b",
    # follow us / get our apps
    r"\bfollow (?:us|\S+(?: \S+){0,3}) on (?:twitter|facebook|instagram|linkedin|x)\b",
    r"\bdownload (?:the|our) .{0,60}\bapps?\b",
    # paywall and subscription pitches
    r"\b(?:subscribe|subscription)\b.{0,60}\b(?:full story|full article)\b",
    r"\balready a subscriber\b",
    r"\bfirst-time subscribers\b",
    r"\bto (?:view|read|continue reading) (?:the|this) (?:full )?(?:story|article)\b",
    # copyright and reuse notices, and picture credits carrying the sign
    r"©",
    r"^\W*(?:\(c\)|copyright\b)",
    r"\ball rights reserved\b",
    r"\bcopyrighted (?:property|material)\b",
    r"\b(?:may|must) not be (?:re)?(?:published|produced|printed|distributed|broadcast)\b",
    # advertising and affiliate disclosures, and appeals for money
    r"^\W*(?:advertisement|sponsored(?: content)?|anzeige|werbung|publicidad|publicité)"
    r"\s*(?:[.:|*-]|$)",
    r"\badvertise with\b",
    r"\b(?:consider supporting|support our (?:work|journalism)|become a (?:member|patron))\b",
    r"\bwe (?:may )?(?:receive|earn) (?:a )?(?:compensation|commission)\b",
    r"\bour advertisers\b",
    # invitations to comment or to read something else
    r"\b(?:post|leave|add) a comment\b",
    r"^\W*(?:view|show|load|read) (?:all )?comments\b",
    r"^\W*(?:no comments|keine kommentare|comments are closed)\b",
    r"^\W*(?:back to top|zurück nach oben|nach oben|retour en haut|volver arriba)\W*$",
    r"\bshare your thoughts\b",
    r"(?:^|[.!?:]\s)\W*read more\b",
    r"\bsubmit your letter\b",
    # notes for browsers without scripts
    r"\b(?:enable|turn on|activate) javascript\b",
    r"\bjavascript (?:is )?(?:required|disabled|turned off)\b",
)
BOILERPLATE_LINE = re.compile("|".join(BOILERPLATE_PHRASES), re.IGNORECASE)

# Short lines that only label page metadata: "Category : Press Releases",
# "Tags: a, b", "Last Modified: 03-10-2004", "Release Date:". The longest such line
# in the evaluation set has 8 words; 12 leaves room for a longer list of tags.
METADATA_LABEL = re.compile(
    r"\b(?:categor(?:y|ies)|tags?|filed under|posted in|last modified|last updated|release date)"
    r"\s*:",
    re.IGNORECASE,
)
MAX_METADATA_WORDS = 12

# A line that is only a date ("23.10.2018", "2021-10-16", "April 21, 2022"): the
# page's dateline, which the metadata carries.
DATE_ONLY = re.compile(
    r"^\W*(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|"
    r"(?:[^\W\d_]+,? )?(?:"  # an optional weekday, then month-day or day-month
    r"[^\W\d_]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|"
    r"\d{1,2}\.? (?:de )?[^\W\d_]{3,9}\.?,? (?:de )?\d{4}))\W*$"
)

# "Monday, 21 de abril de 2022" is the longest form above.
MAX_DATE_WORDS = 6

# Photo and image credits: "(Credit: Jane Roe / Agency)", "Photo: Jane Roe", and
# video teasers ("VIDEO: How to ..."). Those in the evaluation set have up to 7
# words; 12 allows a credit such as "Photo: Jane Roe for The Herald via an agency".
CREDIT_LINE = re.compile(
    r"^\W*(?:(?:photo|image|picture|video|foto|bild)s?\s*(?:credit|source|courtesy)?|"
    r"credits?|courtesy|source|quelle|fuente|fonte)\s*:",
    re.IGNORECASE,
)
MAX_CREDIT_WORDS = 12

# A line that is only a host name, such as a source's masthead ("EXAMPLE-NEWS.COM").
# A full address with a path is a reference the article cites, and stays.
BARE_HOST = re.compile(r"^\W*(?:https?://)?(?:[\w-]+\.)+[a-z]{2,12}/?\W*$", re.IGNORECASE)

# Words that open a list of other stories, in the languages most pages are in; the
# teasers under them go too. A heading, or a line this short, starting with them is
# such an opener ("Related", "Auch interessant:", "NOTAS RELACIONADAS"); a longer
# line starting with them and made mostly of a link is a teaser in itself ("Le puede
# interesar: ..."). The word lists are general phrasing, no site's own wording.
RELATED_MARKER = re.compile(
    r"^\W*(?:"
    # English
    r"related\b|more (?:from|stories|news)\b|see also\b|read (?:next|more|also)\b|"
    r"also read\b|further reading\b|you (?:may|might) (?:also )?(?:like|enjoy)\b|"
    r"recommended\b|most (?:read|popular)\b|(?:popular|trending) (?:now|posts|stories)\b|"
    r"other (?:stories|articles|news)\b|look at other\b|(?:next|previous) (?:article|story|post)\b|"
    # German
    r"auch interessant\b|(?:\w+ ){0,2}könnte (?:dich|sie|euch) (?:auch )?interessieren\b|"
    r"mehr zum thema\b|weitere (?:themen|artikel|beiträge|nachrichten|meldungen)\b|"
    r"schon gelesen\b|lesen sie auch\b|lies auch\b|(?:verwandte|ähnliche) (?:artikel|beiträge)\b|"
    r"meistgelesen|top-?themen\b|weitere top-?themen\b|(?:\w+ ){0,3}nächsten (?:artikel|beitrag)\b|"
    # French
    r"(?:à )?lire aussi\b|à lire également\b|sur le même sujet\b|articles similaires\b|"
    # Spanish and Portuguese
    r"(?:también )?(?:le|te) (?:puede|podría) interesar\b|(?:notas|noticias) relacionadas\b|"
    r"artículos relacionados\b|más sobre\b|lee también\b|puedes ver\b|"
    r"(?:leia|veja) também\b|notícias relacionadas\b|"
    # Italian
    r"leggi anche\b|articoli correlati\b"
    r")",
    re.IGNORECASE,
)
# The longest opener in the evaluation sets has 6 words ("Das Thema könnte dich
# auch interessieren:"); 8 leaves room, and stays below a sentence of prose.
MAX_RELATED_MARKER_WORDS = 8

# Words mixing Latin with Cyrillic or Greek letters are a spam trick to dodge
# filters ("Аdvеrtіѕе" with Cyrillic A, e, i, s); genuine prose has none, so a
# few in one line condemn it (one might be a typing slip).
MIN_MIXED_SCRIPT_WORDS = 3
GREEK_OR_CYRILLIC = re.compile("[\u0370-\u03ff\u0400-\u04ff]")
LATIN = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
# A run of letters, without digits, underscores or joining punctuation ("TNF-α" is two).
LETTER_RUN = re.compile(r"[^\W\d_]+")


def keep_article_blocks(blocks: Iterable[Block]) -> tuple[Block, ...]:
    """The blocks that belong to the article, in order, with boilerplate removed."""
    kept: list[Block] = []
    seen: set[str] = set()
    under_related_list = False
    for block in blocks:
        if _opens_related_list(block):
            under_related_list = True
            continue
        if under_related_list and block.kind != "heading" and _looks_like_teaser(block):
            continue
        under_related_list = False
        if kept and _is_paywall_notice(block):
            break
        if boilerplate_reason(block) is not None or _repeats(block, seen):
            continue
        kept.append(block)
    while kept and kept[-1].kind == "heading":  # a heading with nothing left under it
        kept.pop()
    return tuple(kept)


# A paragraph of at least this many words seen twice is the page repeating itself
# (a pull quote, a standfirst shown again); shorter lines, list items and table rows
# recur in real text ("Will there be a toilet on the bus? No." under each operator,
# the same timetable row in two seasons) and are kept. Repeats make no difference
# to the evaluation set's score; the value is set from the repeats seen in its pages.
MIN_REPEATED_WORDS = 20


def _repeats(block: Block, seen: set[str]) -> bool:
    """Whether a long paragraph repeats an earlier one; records it in ``seen`` if not."""
    if block.kind not in ("paragraph", "quote"):
        return False
    if block.words < MIN_REPEATED_WORDS:
        return False
    key = block.text.casefold()
    if key in seen:
        return True
    seen.add(key)
    return False


# Under a "related" heading, a list item, a mostly linked block or a line this short
# is a teaser for another story; the first longer prose paragraph is the article
# again (the extractor often drops the teaser list itself but keeps its heading).
# The evaluation set's teasers are all list items, so these two limits are set from
# what a teaser is, not fitted: a headline runs to about 15 words, and a teaser is
# half link or more.
MAX_TEASER_WORDS = 15
MIN_TEASER_LINK_SHARE = 0.5


def _opens_related_list(block: Block) -> bool:
    """Whether a heading or short line announces a list of other stories."""
    if block.kind != "heading" and block.words > MAX_RELATED_MARKER_WORDS:
        return False
    return RELATED_MARKER.search(block.text) is not None


def _looks_like_teaser(block: Block) -> bool:
    """Whether a block under a "related" heading is part of the list of other stories."""
    return (
        block.kind in ("item", "row")
        or block.link_share >= MIN_TEASER_LINK_SHARE
        or block.words <= MAX_TEASER_WORDS
    )


def boilerplate_reason(block: Block) -> str | None:
    """Why one block, judged alone, is not article text; None when it may be."""
    text, words = block.text, block.words
    if words == 0:
        return "no words"
    if _mixed_script_words(text) >= MIN_MIXED_SCRIPT_WORDS:
        return "look-alike letters"
    if block.link_share >= MIN_TEASER_LINK_SHARE and RELATED_MARKER.search(text):
        return "related-story teaser"
    if words == 1 and BARE_HOST.match(text):
        return "bare host name"
    if words <= MAX_DATE_WORDS and DATE_ONLY.match(text):
        return "date line"
    if words <= MAX_CREDIT_WORDS and CREDIT_LINE.search(text):
        return "credit line"
    if words <= MAX_METADATA_WORDS and METADATA_LABEL.search(text):
        return "metadata label"
    if words <= MAX_BOILERPLATE_WORDS and BOILERPLATE_LINE.search(text):
        return "boilerplate wording"
    return None


# Notices after which a page holds only the subscription pitch.
PAYWALL_NOTICE = re.compile(
    r"\bto (?:view|read|continue reading) (?:the|this) (?:full )?(?:story|article)\b|"
    r"\bsubscribe\b.{0,60}\bfor the full (?:story|article)\b|"
    r"\bpour lire la suite\b|\bpara (?:seguir|continuar) leyendo\b|"
    r"\bum (?:den (?:ganzen|vollständigen) )?artikel (?:weiter)?zu lesen\b",
    re.IGNORECASE,
)


def _is_paywall_notice(block: Block) -> bool:
    """Whether the line announces that the rest of the article is behind a paywall."""
    return block.words <= MAX_BOILERPLATE_WORDS and PAYWALL_NOTICE.search(block.text) is not None


def _mixed_script_words(text: str) -> int:
    """How many runs of letters mix Latin with Cyrillic or Greek."""
    if GREEK_OR_CYRILLIC.search(text) is None:
        return 0
    return sum(
        1 for run in LETTER_RUN.findall(text) if GREEK_OR_CYRILLIC.search(run) and LATIN.search(run)
    )
