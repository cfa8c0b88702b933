"""Attribution: who reported an article, which agency sent it, which outlet ran it, and when.

Scraped pages state these in short lines around the article ("By ANI | Updated:
May 4, 2021 07:45 IST", "Reported by: Jane Roe", "(With inputs from PTI)",
"© 2021 The Example Herald") and in a dateline glued to the body ("TOKYO, Oct 6
(Kyodo) - " opening the first paragraph; sign-offs closing the last are read in
``digest.agencies``). The cleaner removes them from the text; this module reads
what they say. Every function takes one line or paragraph and returns what it
found, or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.agencies import AGENCIES, agency_named_in, canonical_agency
from digest.boilerplate import looks_like_prose

# --- date stamps: "Published 08:09 IST, September 26th 2020" -----------------------

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = (
    r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|"
    r"fri(?:day)?|sat(?:urday)?|sun(?:day)?"
)
_ZONE = (
    r"ist|gmt|utc|bst|cet|cest|eet|eest|wet|west|msk|est|edt|cst|cdt|mst|mdt|pst|pdt|"
    r"akst|akdt|hst|et|ct|mt|pt|jst|kst|hkt|sgt|pht|wib|wita|ict|aest|aedt|awst|nzst|nzdt|pkt|sast|wat|eat"
)
# One word of a date or time. Tried in this order and never backtracked into
# (atomic group), so a long run of digits and dots cannot explode the match.
_STAMP_WORD = (
    r"(?>\d{4}-\d\d-\d\d(?:t\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:z|[+-]\d\d:?\d\d)?)?"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{1,2}[:.]\d\d(?:[:.]\d\d)?(?:\s*[ap]\.?m\b\.?)?"
    r"|\d{1,2}\s*[ap]\.?m\b\.?"
    r"|\d{1,4}(?:st|nd|rd|th)?"
    rf"|(?:{_MONTH}|{_WEEKDAY})\b\.?"
    rf"|(?:utc|gmt)?[+-]\d{{1,2}}(?::?\d\d)?|(?:{_ZONE})\b|at\b|on\b|of\b|the\b|hrs\b)"
)
_STAMP_GAP = r"[\s,|/.:()–—-]*+"
_STAMP_BODY = re.compile(rf"{_STAMP_GAP}(?:{_STAMP_WORD}{_STAMP_GAP})+", re.IGNORECASE)
# What makes a run of date words a date rather than a bare number.
_STAMP_ANCHOR = re.compile(
    rf"\b(?:{_MONTH}|{_WEEKDAY})\b|\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}", re.IGNORECASE
)
# Words that announce a stamp: "Published", "Last updated on", "Posted:".
_STAMP_LABEL = re.compile(
    r"^(?:(?:last|first|story|article|page)\s+)?"
    r"(?:(?:published|updated|modified|posted|created|released|uploaded|edited|dated|date)"
    r"(?:\s+(?:on|at))?\s*[:-]?\s*)?",
    re.IGNORECASE,
)
# A stamp is a short line; longer ones are prose that happens to hold a date.
_MAX_STAMP_CHARS = 90


def is_date_stamp(segment: str) -> bool:
    """Whether a line (or one ``|`` cell of it) only states a date or time."""
    if len(segment) > _MAX_STAMP_CHARS:
        return False
    label = _STAMP_LABEL.match(segment)
    rest = segment[label.end() :] if label else segment
    return (
        any(char.isdigit() for char in rest)
        and _STAMP_ANCHOR.search(rest) is not None
        and _STAMP_BODY.fullmatch(rest) is not None
    )


# --- bylines: "By Jane Roe, Staff Writer", "Reported by: Shubham Bose" ----------------

_BYLINE = re.compile(
    r"^(?:(?:reported|written|posted|story|words|text|report)\s+by|by|author)\b\s*:?\s*(?P<who>.+)$",
    re.IGNORECASE,
)
# A person's or organisation's name: capitalised words and the small words names hold.
_NAME = re.compile(
    r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|da|del|della|di|du|van|von|der|den|"
    r"bin|binti|al|el|la|le|y|dos|das)){0,6}$"
)
# Words that look like names after "By" but are not: "By Monday", "By The Numbers".
_NOT_NAMES = re.compile(
    rf"^(?:(?:{_MONTH}|{_WEEKDAY})\b\.?(?:\s+\d.*)?$|(?:the|this|then|now|far|way)\b)",
    re.IGNORECASE,
)
# Where a byline's name ends and its role or place begins: "Jane Roe, Reuters", "... in Tokyo".
_BYLINE_TAIL = re.compile(r"\s*,\s*|\s+in\s+(?=[A-Z])|\s+for\s+(?=[A-Z])")
# Cells of a credit line: "By ANI | Updated: ...", "Posted on May 4 by Jane Roe".
_CREDIT_CELL = re.compile(
    r"\s*[|•·]\s*|\s+(?=(?:Last\s+)?(?:Updated|Published)\b)|\s+(?=by\s+[A-Z])"
)
_MAX_CREDIT_CHARS = 160
# Beside a byline or a stamp, a credit line may hold short cells: "5 min read", "World".
_MAX_EXTRA_CELL_WORDS = 3
# Words that open credit lines: bylines' and stamps' labels, months and weekdays; a
# number opens the rest. Other lines are spared the credit patterns.
# fmt: off
_CREDIT_OPENERS = frozenset(
    {"by", "reported", "written", "posted", "story", "words", "text", "report", "author",
     "last", "first", "article", "page", "published", "updated", "modified", "created",
     "released", "uploaded", "edited", "dated", "date", "on",
     "january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
     "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday",
     "friday", "saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs",
     "fri", "sat", "sun"}
)
# Words that open lines crediting an agency or reporters: "(With inputs from PTI)".
_WIRE_OPENERS = frozenset(
    {"with", "additional", "reporting", "source", "sources", "agency", "agencies"}
)
# fmt: on
_OPENING_WORD_CHARS = 24


@dataclass(frozen=True, slots=True)
class Byline:
    """A reporter named by a byline, and the agency it credits if any."""

    name: str
    wire: str | None


def read_byline(segment: str) -> Byline | None:
    """The person or agency a byline cell names."""
    found = _BYLINE.match(segment)
    if found is None or len(segment) > 100:
        return None
    name, *rest = _BYLINE_TAIL.split(found.group("who").strip(" .;:"), maxsplit=1)
    if not _NAME.match(name) or (_NOT_NAMES.match(name) and not agency_named_in(name)):
        return None
    wire = canonical_agency(name) or (agency_named_in(rest[0]) if rest else None)
    return Byline(name, wire)


# --- markers: whole lines that carry attribution ---------------------------------------


@dataclass(frozen=True, slots=True)
class Marker:
    """What one line says about an article's origin; the line itself is not article text."""

    byline: str | None = None
    wire: str | None = None
    outlet: str | None = None
    stamp: bool = False
    agency_copy: bool = False


# "(With ANI inputs, Image: ANI)", "( With inputs from PTI )", "With agency inputs".
_WITH_INPUTS = re.compile(
    r"^[(\[]?\s*with\b[^()\[\]]{0,80}\binputs?\b[^()\[\]]{0,80}[)\]]?\.?$", re.I
)
_INPUTS_FROM = re.compile(
    r"\binputs?\s+from\s+(?P<who>[\w .&/-]{2,40}?)\s*(?:[,;)\]]|and\b|$)", re.I
)
# "Source: Xinhua", "(Agencies)", "— Reuters", "EFE-EPA" alone on a line.
_SOURCE_LINE = re.compile(
    r"^[(\[]?\s*(?:source|sources|agency|agencies)\s*:\s*(?P<who>[^()]{2,60}?)\s*[)\]]?\.?$",
    re.IGNORECASE,
)
_AGENCY_LINE = re.compile(r"^[\W_]*(?P<who>[\w][\w .&/-]{0,40}?)[\W_]*$")
_MAX_AGENCY_LINE_CHARS = 48
# "(Reporting by Jane Roe; Editing by John Doe)", "Additional reporting by Jane Roe".
_REPORTING_BY = re.compile(
    r"^[(\[]?\s*(?:additional\s+)?reporting\s+by\s+(?P<who>[^;()\[\]]{2,80}?)\s*(?:;[^()]*)?[)\]]?\.?$",
    re.IGNORECASE,
)
# Pages saying their copy came unedited from an agency; the agency is named nearby.
_AGENCY_COPY = re.compile(
    r"auto-?(?:published|generated)\s+from\s+(?:an?\s+)?(?:agency|syndicated|wire|news)\s+feed|"
    r"has\s+not\s+been\s+edited\s+by\s+.{0,60}\bstaff\b",
    re.IGNORECASE,
)
# "Download the all-new Republic app:", "Get the Northline News app".
_APP_BANNER = re.compile(
    r"^(?i:download|get|install)\s+(?i:the\s+)?(?:(?i:all[- ]new|new|official|free)\s+)?"
    r"(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})\s+(?i:app)\b"
)
# "Copyright © 2014-2025 IRIA - ...", "© The Harbour Courier. All rights reserved."
_COPYRIGHT = re.compile(
    r"^(?:copyright\s*)?(?:©|\(c\)|copyright\b)\s*(?:copyright\b\s*)?"
    r"(?P<years>\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?P<holder>.*)$",
    re.IGNORECASE,
)
_HOLDER_END = re.compile(r"\s+[-–—|]\s+|[.,;]\s|\.$|\s*\ball rights reserved\b", re.IGNORECASE)
_RIGHTS = re.compile(r"\ball rights reserved\b", re.IGNORECASE)
# "The post <headline> appeared first on <Outlet>."
_APPEARED_FIRST = re.compile(r"^the post .{1,300} appeared first on (?P<name>[^.]{2,60})\.?$", re.I)
_MAX_MARKER_CHARS = 400
# How the three outlet lines above open; other lines are spared their patterns.
_OUTLET_OPENINGS = ("download", "get", "install", "the post", "copyright", "©", "(c)")
_OUTLET_OPENING_CHARS = 9


def read_marker(line: str) -> Marker | None:
    """The attribution a whole line carries, or None when it is not such a line."""
    if len(line) > _MAX_MARKER_CHARS:
        return None
    if ("feed" in line or "edited" in line) and _AGENCY_COPY.search(line):
        return Marker(agency_copy=True)
    if len(line) <= _MAX_CREDIT_CHARS:
        opening = _opening_word(line)
        credit = (
            _read_credit_line(line) if opening in _CREDIT_OPENERS or opening[:1].isdigit() else None
        )
        if credit is not None:
            return credit
        alone = len(line) <= _MAX_AGENCY_LINE_CHARS
        wire_line = _read_wire_line(line) if opening in _WIRE_OPENERS or alone else None
        if wire_line is not None:
            return wire_line
    outlet = _read_outlet(line)
    return Marker(outlet=outlet) if outlet else None


def _opening_word(line: str) -> str:
    """The line's first word in lower case, without brackets or punctuation around it."""
    return line[:_OPENING_WORD_CHARS].lstrip("([ ").split(" ", 1)[0].rstrip(":,.;").lower()


def _read_credit_line(line: str) -> Marker | None:
    """A byline, a date stamp, or both in cells of one line."""
    if looks_like_prose(line):
        return None  # a sentence that opens "By" or with a date
    byline: Byline | None = None
    stamp = False
    for cell in _CREDIT_CELL.split(line):
        if is_date_stamp(cell):
            stamp = True
            continue
        found = read_byline(cell) if byline is None else None
        if found is not None:
            byline = found
        elif cell.count(" ") >= _MAX_EXTRA_CELL_WORDS:
            return None  # a phrase: the line says more than who and when
    if byline is None and not stamp:
        return None
    return Marker(
        byline=byline.name if byline else None,
        wire=byline.wire if byline else None,
        stamp=stamp,
    )


def _read_wire_line(line: str) -> Marker | None:
    """A line crediting an agency or reporters rather than telling the story."""
    if looks_like_prose(line):
        return None  # "With input from residents, the council drafted a plan."
    if _WITH_INPUTS.match(line):
        named = _INPUTS_FROM.search(line)
        wire = canonical_agency(named.group("who")) if named else None
        return Marker(wire=wire or agency_named_in(line))
    reporting = _REPORTING_BY.match(line)
    if reporting:
        names = reporting.group("who")
        return Marker(byline=names if _NAME.match(names) else None)
    source = _SOURCE_LINE.match(line)
    if source:
        return Marker(wire=canonical_agency(source.group("who")) or agency_named_in(line))
    alone = _AGENCY_LINE.match(line) if len(line) <= _MAX_AGENCY_LINE_CHARS else None
    if alone and alone.group("who").lower() in AGENCIES:
        return Marker(wire=AGENCIES[alone.group("who").lower()])
    return None


def _read_outlet(line: str) -> str | None:
    """The outlet a banner, copyright line or feed footer names."""
    if not line[:_OUTLET_OPENING_CHARS].lower().startswith(_OUTLET_OPENINGS):
        return None
    banner = _APP_BANNER.match(line)
    if banner:
        return banner.group("name")
    appeared = _APPEARED_FIRST.match(line)
    if appeared:
        return appeared.group("name").strip()
    notice = _COPYRIGHT.match(line)
    if notice is None or not (notice.group("years") or _RIGHTS.search(line)):
        return None
    holder = _HOLDER_END.split(notice.group("holder"), maxsplit=1)[0].strip(" .,")
    return holder if _NAME.match(holder) and len(holder) <= 60 else None


# --- datelines: "WASHINGTON (AP) — ", "Tokyo, Oct 6 (efe-epa).- " ---------------------

_DATELINE_DATE = (
    rf"(?i:(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+(?:{_MONTH})\.?(?:,?\s+\d{{4}})?)"
)
_CAPS_PLACE = r"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3}"
_TITLE_PLACE = r"[A-Z][a-zà-ÿ.'’-]+(?:\s+[A-Z][a-zà-ÿ.'’-]+){0,3}"
_REGION = r"(?:,\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,2})?"
_BRACKETED = r"\s*\[[^\]\n]{1,30}\]"
_AGENCY_PAREN = r"\s*\((?P<agency>[A-Za-z][\w.&/-]{0,30})\)"
_SEPARATOR = r"\s*(?:\.-|-{1,2}|[–—:]|/\w+/\s*--)\s+"
# An upper-case place may stand alone before the separator ("WASHINGTON – "); a
# title-case one needs a date, an agency or a bracketed region after it, or any
# sentence opening "Officials – who ..." would lose its subject.
_DATELINE = re.compile(
    rf"^(?P<dateline>(?:{_CAPS_PLACE}{_REGION}|{_TITLE_PLACE}{_REGION}"
    rf"(?={_BRACKETED}|,\s+{_DATELINE_DATE}|{_AGENCY_PAREN.replace('?P<agency>', '')}))"
    rf"(?:{_BRACKETED})?(?:,\s+{_DATELINE_DATE})?(?:{_AGENCY_PAREN})?)"
    rf"(?P<separator>{_SEPARATOR})(?=\S)"
)
# Upper-case words that open paragraphs with a colon or dash but are not places.
# fmt: off
_NOT_PLACES = frozenset(
    {"BREAKING", "UPDATE", "UPDATED", "EXCLUSIVE", "WATCH", "VIDEO", "NOTE", "ANALYSIS",
     "OPINION", "LIVE", "PHOTOS", "READ", "EDITOR'S NOTE", "CORRECTION", "FACT CHECK", "Q", "A"}
)
# fmt: on
_MAX_DATELINE_CHARS = 80


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline cut from the start of a paragraph, and what follows it."""

    dateline: str
    rest: str
    wire: str | None


def split_dateline(paragraph: str) -> Dateline | None:
    """The paragraph's opening dateline and the rest of it, when it opens with one."""
    found = _DATELINE.match(paragraph[: _MAX_DATELINE_CHARS + 12])
    if found is None or len(found.group("dateline")) > _MAX_DATELINE_CHARS:
        return None
    dateline = found.group("dateline")
    place = dateline.split(",")[0].split("(")[0].strip()
    if place in _NOT_PLACES:
        return None
    agency = found.group("agency")
    wire = canonical_agency(agency) if agency else None
    return Dateline(dateline, paragraph[found.end() :], wire)
