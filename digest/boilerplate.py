"""Boilerplate: telling a page's furniture from its article, one line at a time.

A scraped page puts ads, share buttons, app banners, captions, tag lists,
teaser links and footers between and around the paragraphs. Each is short and
worded the same on every site, so a line is judged by its wording and shape;
``line_kind`` says what a line is and the cleaner decides what to keep. Rules
judge short lines only: a long line of prose that happens to say "advertisement"
or "read" is article text. Every rule is general; none names a site.
"""

from __future__ import annotations

import re
from typing import Literal

# body: article text. drop: furniture. caption: a picture's caption or credit.
# related: a heading over a list of other stories. end: a footer after which the
# page holds no more of the article (copyright notice, comment section).
LineKind = Literal["body", "drop", "caption", "related", "end"]

# Whole lines that are only one of these (case, spacing and punctuation aside).
# fmt: off
_LABELS = frozenset(
    {
        # advertising
        "ad", "ads", "advertisement", "advertisements", "advertising", "sponsored",
        "sponsored content", "sponsored links", "promoted", "paid content", "partner content",
        "advertise with us", "ad closed by google", "ads by google", "report this ad",
        "story continues below", "story continues below advertisement",
        "article continues below", "article continues below advertisement",
        "continue reading", "continue reading below", "continue reading the main story",
        # sharing and comments
        "share", "share this", "share this article", "share this story", "share this post",
        "share article", "tweet", "email", "e-mail", "print", "copy link", "link copied",
        "save", "bookmark", "whatsapp", "facebook", "twitter", "linkedin", "pinterest",
        "telegram", "reddit", "comment", "comments", "no comments", "view comments",
        "show comments", "leave a comment", "add comment", "add a comment", "post a comment",
        "join the conversation",
        # navigation and page chrome
        "back to top", "back to top button", "scroll to top", "skip to content",
        "skip to main content", "menu", "search", "home", "close", "next", "previous",
        "next article", "previous article", "next story", "previous story", "read more",
        "see more", "show more", "load more", "view all", "see all", "open in app",
        "open app", "get the app", "epaper", "e-paper", "live tv", "watch live", "listen",
        "listen to this article", "listen to this story", "audio", "loading", "please wait",
        "toggle navigation", "advertise", "contact", "contact us", "privacy policy",
        "terms of use", "terms and conditions", "about us", "sign in", "log in", "login",
        "register", "subscribe", "subscribe now", "sign up", "newsletter",
        # media labels
        "video", "videos", "watch", "watch video", "photo", "photos", "photo gallery",
        "gallery", "image", "images", "file photo", "file image", "representational image",
        "representative image",
    }
)
# fmt: on

# Headings that open a list of other stories: everything under them that is not
# prose goes ("Related Articles", "International Related Stories", "More from Region").
_RELATED_HEADING = re.compile(
    r"^(?:[\w&-]+\s+){0,2}(?:related|realted|relevant|similar|recommended|latest|more|"
    r"other|popular|trending|top|further)\s+(?:articles?|stories|story|posts?|news|reads?|"
    r"reading|videos?|content|coverage|links?|headlines)(?:\s+(?:for\s+you|from\s+\w+))?$"
    r"|^you\s+(?:may|might|could)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)\b"
    r"|^more\s+(?:from|on|in|about)\s+\w"
    r"|^(?:read|watch|up)\s+next$|^what\s+to\s+read\s+next$"
    r"|^(?:most|more)\s+(?:read|popular|viewed|shared|watched)$"
    r"|^(?:trending(?:\s+now)?|recommended(?:\s+for\s+you)?|related|see\s+also|"
    r"(?:in\s+)?other\s+news|don'?t\s+miss|keep\s+reading|from\s+(?:around\s+)?the\s+web)$"
)
_MAX_HEADING_WORDS = 8

# Notices after which the page holds no more of the article: a copyright line that
# names a year or reserves rights, or the heading of a comment section.
_END_NOTICE = re.compile(
    r"^(?:copyright\b|©|\(c\)\s*\d{4})(?=.*(?:\d{4}|rights reserved))"
    r"|^all rights reserved\b"
    r"|^\d+\s+(?:thoughts?|responses?|replies|comments?)\s+(?:on|to)\s+[\"“'‘]"
    r"|^leave\s+a\s+reply\b",
    re.IGNORECASE,
)
_MAX_END_NOTICE_CHARS = 300

# Line openings that mark furniture however long the line: tag lists, disclaimers,
# cookie notices, notes that copy was not edited.
_FURNITURE_OPENING = re.compile(
    r"^[(\[]?\s*(?:tags?|topics?|tagged|tagged\s+with|filed\s+under|categories|category|"
    r"posted\s+in|keywords?|disclaimer)\s*[:|-]"
    r"|^[(\[]?\s*this\s+(?:story|article|report|copy)\s+has\s+not\s+been\s+edited\b"
    r"|^(?:we\s+use\s+cookies|this\s+(?:site|website)\s+uses\s+cookies|"
    r"by\s+(?:continuing\s+to\s+use|using)\s+(?:this|our)\s+(?:site|website)|"
    r"accept\s+(?:all\s+)?cookies|cookie\s+(?:policy|settings|preferences))",
    re.IGNORECASE,
)
_MAX_FURNITURE_CHARS = 600

# Openings of short lines that point elsewhere: teaser links ("Read:", "Also Read |",
# "Baca:" in Indonesian, "Lire aussi"), calls to subscribe, follow, click or install.
_POINTER_OPENING = re.compile(
    r"^[\W_]*(?:read|also\s+read|read\s+also|read\s+more|more|see\s+also|also\s+see|watch|"
    r"also\s+watch|must\s+read|don'?t\s+miss|recommended|related|listen|baca(?:\s+juga)?|"
    r"lees\s+ook|lire\s+aussi|leer\s+m[aá]s|lesen\s+sie\s+auch|leia\s+tamb[eé]m)\s*[:|»>–—-]\s*\S"
    r"|^(?:subscribe|sign\s+up|sign\s+in|log\s+in|register|enter\s+your\s+e-?mail|"
    r"get\s+(?:our|the\s+latest)|already\s+a\s+subscriber|create\s+an?\s+(?:free\s+)?account)\b"
    r"|^(?:click|tap)\s+(?:here|to|on)\b"
    r"|^(?:download|get|install)\b.{0,60}\bapps?\b"
    r"|^join\s+(?:our|us|the)\b.{0,60}\b(?:channel|community|newsletter|whatsapp|telegram)\b"
    r"|^follow\b.{0,80}\b(?:twitter|facebook|instagram|google\s+news|telegram|whatsapp|"
    r"linkedin|youtube|threads|tiktok|x)\b|^follow(?:\s+us)?\s*:"
    r"|^share\s+(?:this|on|via)\b"
    r"|^[(\[]?\s*(?:edited|editing|compiled|translated|produced)\s+by\b"
    r"|^listen\s+to\s+(?:this|the)\s+(?:article|story)\b"
    r"|^(?:twitter|instagram|facebook|threads|tiktok)\s*:\s*@?\w+$|^@\w{1,30}$"
    r"|^(?:https?://|www\.)\S+$|^[\w.+-]+@[\w-]+\.[\w.-]+$"
    r"|^(?:(?:photo|image|slide)\s+)?\d{1,3}\s*(?:/|of)\s*\d{1,3}$"
    r"|^\d{1,3}\s*(?:min|mins|minutes?)\s+read$"
    r"|^\d+\s+comments?$|^comments?\s*\(\d+\)$"
    r"|^\d+\s+(?:hours?|minutes?|mins?|days?)\s+ago$"
    r"|^(?:©|\(c\)|copyright\b)",
    re.IGNORECASE,
)
_MAX_POINTER_CHARS = 200

# Blog software's meta lines: "Asia-Pacific, News No Comments on <headline>".
_COMMENTS_META = re.compile(r"\b(?:no|\d+)\s+comments?\s+on\b|\bcomments\s+off\s+on\b", re.I)

# Captions and picture credits: "Photo: ...", "null | Image: self", "File photo of ...",
# "... at dawn. Courier photo / Jane Roe", "... Threats. PHOTO/Reuters", "(Image: AP)".
_CAPTION_OPENING = re.compile(
    r"^(?:[^|]{0,80}+\|\s*)?(?:photo|image|picture|pic|video|graphic|illustration)s?"
    r"(?:\s+(?:credit|courtesy|source))?\s*:"
    r"|^(?:file\s+(?:photo|image|picture|pic)|representational\s+image|representative\s+image|"
    r"image\s+(?:credit|source|courtesy)|photo\s+(?:credit|courtesy)|featured\s+image)\b",
    re.IGNORECASE,
)
# A credit is a label, a separator and a name at the very end of a line. The name:
_CREDIT_NAME = re.compile(r"[/:|]\s*[A-Z][^:|]{0,60}$")
_CREDIT_NAME_REACH = 64
# The label before the separator, lower-cased: "photo", "image credit", "foto"; picture
# agencies credit with their own name before a slash ("REUTERS/Jane Roe").
# fmt: off
_CREDIT_LABELS = ("photo", "photos", "foto", "image", "images", "picture", "pictures", "pic",
                  "photograph", "photo credit", "image credit", "photo courtesy")
# fmt: on
_PICTURE_AGENCIES = ("REUTERS", "AFP", "AP", "EPA", "EPA-EFE", "AAP", "Getty Images", "Xinhua")
# The label may be owned by a one-word name before it ("Courier photo").
_OWNER_WORD = re.compile(r"[A-Z][\w-]*\s+$")
# A credit in brackets closing the line: "(Photo: AP)", "(File photo)".
_CREDIT_IN_BRACKETS = re.compile(
    r"\((?i:photo|image|picture|pic|file\s+photo|credit|courtesy)s?\b[^()]{0,60}\)$"
)
_MAX_CAPTION_WORDS = 40

# Widget rows: three or more short cells set apart by wide gaps, bars or bullets
# ("Share  |  Tweet  |  Email", "HOME | NEWS | SPORTS"), or a breadcrumb trail
# ("Region  ›  Riverton"). A cell of more than three words is prose, not a button.
_CELL_GAP = re.compile(r"\s{2,}|\t|\s+[|•·]\s+")
_CRUMB_GAP = re.compile(r"\s*[›»]\s*")
_MAX_CELL_WORDS = 3
_MAX_ROW_CHARS = 200

# A line reads as prose when it is long, or has enough words and ends a sentence.
# Eight words keeps out headlines and labels that end in a full stop ("Sign up today.").
_MIN_PROSE_WORDS = 8
_LONG_PROSE_CHARS = 200
_CLOSERS = "\"'”’»)]"
# Lines longer than this are never judged furniture: no notice runs that long.
_MAX_JUDGED_CHARS = 600
# Labels and headings are short; longer lines are never looked up among them.
_MAX_LABEL_CHARS = 80
_HAS_WORD = re.compile(r"[^\W_]")


def _label_key(line: str) -> str:
    """The line lower-cased, without punctuation or symbols at either end."""
    start, end = 0, len(line)
    while start < end and not line[start].isalnum():
        start += 1
    while end > start and not line[end - 1].isalnum():
        end -= 1
    return line[start:end].lower()


def _ends_sentence(text: str) -> bool:
    """Whether the text ends with a full stop or exclamation, or a quoted question."""
    bare = text.rstrip(_CLOSERS)
    return bare[-1:] in (".", "!", "…") or (bare[-1:] == "?" and len(bare) < len(text))


def looks_like_prose(text: str) -> bool:
    """Whether the text reads as sentences rather than a heading, label or link."""
    if len(text) >= _LONG_PROSE_CHARS:
        return True
    return text.count(" ") + 1 >= _MIN_PROSE_WORDS and _ends_sentence(text)


def is_label(text: str) -> bool:
    """A section label or masthead: a few words, or a short line in capitals."""
    words = text.count(" ") + 1
    return (words <= 3 or (words <= 6 and text.isupper())) and not _ends_sentence(text)


def is_widget_row(raw_line: str) -> bool:
    """Whether the line, spacing intact, is a row of buttons or a breadcrumb trail."""
    line = raw_line.strip()
    if len(line) > _MAX_ROW_CHARS or not _has_row_gap(line):
        return False
    cells = [cell for cell in _CELL_GAP.split(line) if cell]
    if len(cells) >= 3 and all(cell.count(" ") < _MAX_CELL_WORDS for cell in cells):
        return True
    crumbs = _CRUMB_GAP.split(line)
    return len(crumbs) >= 2 and all(0 < len(crumb.split()) <= _MAX_CELL_WORDS for crumb in crumbs)


def _has_row_gap(line: str) -> bool:
    """Whether a line holds a gap that could part cells (a cheap test before splitting)."""
    return (
        "  " in line
        or "|" in line
        or "\t" in line
        or "•" in line
        or "·" in line
        or "›" in line
        or "»" in line
    )


def _credit_at(text: str) -> int | None:
    """Where a picture credit glued to the end of the text begins, if one is."""
    if text.endswith(")"):
        opening = text.rfind("(")
        if opening >= 0 and _CREDIT_IN_BRACKETS.match(text, opening):
            return opening
    name = _CREDIT_NAME.search(text, max(0, len(text) - _CREDIT_NAME_REACH))
    if name is None:
        return None
    before = text[: name.start()].rstrip()
    lowered = before.lower()
    label = next((w for w in _CREDIT_LABELS if lowered.endswith(w)), None)
    if label is None and text[name.start()] == "/":
        label = next((w for w in _PICTURE_AGENCIES if before.endswith(w)), None)
    start = len(before) - len(label) if label else -1
    if start < 0 or (start > 0 and before[start - 1].isalnum()):
        return None
    owner = _OWNER_WORD.search(before, max(0, start - 30), start)
    return owner.start() if owner and label in _CREDIT_LABELS else start


def strip_photo_credit(text: str) -> str:
    """The text without a picture credit glued to its end ("... Threats. PHOTO/Reuters")."""
    credit = _credit_at(text)
    return text[:credit].rstrip(" .|") if credit is not None else text


def line_kind(line: str) -> LineKind:
    """What one normalised line of a page is."""
    if len(line) > _MAX_JUDGED_CHARS:
        return "body" if _HAS_WORD.search(line) else "drop"
    if len(line) <= _MAX_LABEL_CHARS:
        key = _label_key(line)
        if not key or key in _LABELS:
            return "drop"
        if line.count(" ") < _MAX_HEADING_WORDS and _RELATED_HEADING.match(key):
            return "related"
    elif not _HAS_WORD.search(line):
        return "drop"
    if _FURNITURE_OPENING.match(line):
        return "drop"
    if len(line) <= _MAX_END_NOTICE_CHARS and _END_NOTICE.match(line):
        return "end"
    if line.count(" ") < _MAX_CAPTION_WORDS and (
        _CAPTION_OPENING.match(line) or _credit_at(line) is not None
    ):
        return "caption"
    if len(line) <= _MAX_POINTER_CHARS and _POINTER_OPENING.match(line):
        return "drop"
    if "omments" in line and not looks_like_prose(line) and _COMMENTS_META.search(line):
        return "drop"
    return "body"
