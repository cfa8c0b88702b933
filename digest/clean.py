"""Clean: scraped article text in, the article's paragraphs and attribution out.

    text --paragraphs.units_of: lines, hard-wrapped blocks re-joined--> units
    units --boilerplate.line_kind, attribution.read_marker--> kept units + attribution
    kept units --headline, repeats, sign-off, dateline--> CleanedText

A pure function of its input: no I/O, nothing remembered between calls, and it
never raises; text it cannot make sense of comes back as paragraphs unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from digest.agencies import (
    agency_named_in,
    canonical_agency,
    is_initials_sign_off,
    strip_sign_off,
)
from digest.attribution import Marker, read_marker, split_dateline
from digest.boilerplate import (
    is_label,
    line_kind,
    looks_like_prose,
    strip_photo_credit,
)
from digest.headline import Headline, pick_headline
from digest.paragraphs import Unit, normalise_line, units_of


@dataclass(frozen=True, slots=True)
class CleanedText:
    """An article's text without the page around it, and what the page said about it."""

    title: str | None
    byline: str | None
    outlet: str | None
    wire: str | None
    dateline: str | None
    date_lines: tuple[str, ...]
    paragraphs: tuple[str, ...]


# How page titles append the outlet's name to the headline.
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ")
# The headline is told from chrome by the words of the first few prose paragraphs.
_OPENING_PARAGRAPHS = 3
# Marks that may close one copy of a paragraph and not another.
_END_MARKS = " .!?…\"'”’)"
# A paragraph that opens the next one is a standfirst the lead repeats, when it is
# at least this long; shorter openings are common phrases.
_MIN_REPEATED_OPENING_WORDS = 6
# The dateline is looked for in the first few paragraphs, up to the first prose one.
_DATELINE_PARAGRAPHS = 3
# Under a related-stories heading, prose this long is the article again (the box of
# links sat mid-article); teaser headlines are shorter, even those ending "Quay St.".
_MIN_RESUMING_CHARS = 100
# An agency named this many units around an "auto-published from an agency feed" note.
_AGENCY_NOTE_REACH = 2


@dataclass(frozen=True, slots=True)
class _Kept:
    """A unit the walk kept, with what the header rules need to know about it."""

    text: str
    caption: bool
    prose: bool


@dataclass(slots=True)
class _Attribution:
    """What marker lines said, gathered during one walk over one text."""

    byline: str | None = None
    wire: str | None = None
    outlet: str | None = None
    date_lines: list[str] = field(default_factory=list)
    agency_note_at: int | None = None

    def take(self, marker: Marker, line: str, index: int) -> None:
        """Record a marker line; the first of each kind wins, every date line is kept."""
        self.byline = self.byline or marker.byline
        self.wire = self.wire or marker.wire
        self.outlet = self.outlet or marker.outlet
        if marker.stamp:
            self.date_lines.append(line)
        if marker.agency_copy and self.agency_note_at is None:
            self.agency_note_at = index


def clean_text(text: str, *, title: str | None = None) -> CleanedText:
    """The article in ``text``: its paragraphs without boilerplate, and its attribution.

    A non-blank ``title`` is the headline the input states: it is used as is and
    lines repeating it are removed; otherwise the headline is looked for in the text.
    """
    given = normalise_line(title) if title else ""
    units = units_of(text)
    kept, found = _walk(units)
    header_end = next((i for i, unit in enumerate(kept) if unit.prose), len(kept))
    head_at, headline, repeats = _headline(kept, header_end, given)
    if headline and not given and found.outlet:
        headline = _without_outlet(headline, found.outlet)
    repeated = set(repeats)
    body = [
        unit.text
        for i, unit in enumerate(kept)
        if i not in repeated
        and not (
            i < header_end
            and (unit.caption or is_label(unit.text) or (head_at is not None and i < head_at))
        )
    ]
    if not body:
        # A text that is nothing but its headline: the headline is the whole article.
        body = [kept[i].text for i in repeats[:1]]
    paragraphs = _once(body)
    dateline = _cut_dateline(paragraphs, found)
    _cut_sign_off(paragraphs, found)
    if found.wire is None and found.agency_note_at is not None:
        found.wire = _agency_near(units, found.agency_note_at, found.byline)
    return CleanedText(
        title=headline,
        byline=found.byline,
        outlet=found.outlet,
        wire=found.wire,
        dateline=dateline,
        date_lines=tuple(found.date_lines),
        paragraphs=tuple(paragraphs),
    )


def _headline(
    kept: list[_Kept], header_end: int, given: str
) -> tuple[int | None, str | None, list[int]]:
    """Where the headline stands among the kept units, what it says, and its repeats."""
    if given:
        # A title that is a whole sentence was taken from the lead: the lead stays.
        matcher = None if looks_like_prose(given) else Headline.of(given)
        repeats = [i for i, unit in enumerate(kept) if matcher and matcher.repeated_by(unit.text)]
        return (repeats[0] if repeats and repeats[0] < header_end else None), given, repeats
    opening = [unit.text for unit in kept[header_end:] if unit.prose][:_OPENING_PARAGRAPHS]
    head_at = pick_headline([unit.text for unit in kept[:header_end]], opening)
    if head_at is None:
        return None, None, []
    headline = Headline.of(strip_photo_credit(kept[head_at].text))
    repeats = [i for i, unit in enumerate(kept) if i == head_at or headline.repeated_by(unit.text)]
    return head_at, headline.text, repeats


def _without_outlet(headline: str, outlet: str) -> str:
    """The headline without the outlet's name a page title appends ("... | The Herald")."""
    for separator in _TITLE_SEPARATORS:
        cut = headline.lower().rfind(separator + outlet.lower())
        if cut > 0 and cut + len(separator) + len(outlet) == len(headline):
            return headline[:cut]
    return headline


def _walk(units: list[Unit]) -> tuple[list[_Kept], _Attribution]:
    """Keep the units that may be article text; gather what marker lines say."""
    found = _Attribution()
    kept: list[_Kept] = []
    mode = "article"  # then "teasers" under a related-stories heading, "ended" after a footer
    seen_prose = False
    for index, unit in enumerate(units):
        kind = line_kind(unit.text)
        marker = read_marker(unit.text)
        if mode == "ended" or kind == "end":
            found.outlet = found.outlet or (marker.outlet if marker else None)
            mode = "ended" if seen_prose else mode
            continue
        if mode == "teasers" and not _resumes_article(unit, kind, marker):
            found.outlet = found.outlet or (marker.outlet if marker else None)
            continue
        mode = "article"
        if marker is not None:
            found.take(marker, unit.text, index)
            continue
        if unit.row or kind == "drop" or is_initials_sign_off(unit.text):
            continue
        if kind == "related":
            # Over the article (a sidebar's heading) only the heading goes; under it,
            # the list of other stories it heads goes too.
            mode = "teasers" if seen_prose else mode
            continue
        if kind == "caption" and seen_prose:
            continue
        prose = kind != "caption" and looks_like_prose(unit.text)
        kept.append(_Kept(unit.text, caption=kind == "caption", prose=prose))
        seen_prose = seen_prose or prose
    return kept, found


def _resumes_article(unit: Unit, kind: str, marker: Marker | None) -> bool:
    """Whether a unit under a related-stories heading is article prose again."""
    return (
        kind == "body"
        and marker is None
        and not unit.row
        and len(unit.text) >= _MIN_RESUMING_CHARS
        and looks_like_prose(unit.text)
    )


def _key(text: str) -> str:
    """What two copies of one paragraph share: their text in lower case, end marks aside."""
    return text.lower().rstrip(_END_MARKS)


def _once(paragraphs: list[str]) -> list[str]:
    """The paragraphs with repeats removed: each printed once, a standfirst not twice."""
    seen: set[str] = set()
    unique: list[tuple[str, str]] = []
    for paragraph in paragraphs:
        key = _key(paragraph)
        if key not in seen:
            seen.add(key)
            unique.append((paragraph, key))
    return [
        paragraph
        for i, (paragraph, key) in enumerate(unique)
        if not (
            i + 1 < len(unique)
            and key.count(" ") + 1 >= _MIN_REPEATED_OPENING_WORDS
            and unique[i + 1][1].startswith(key)
        )
    ]


def _has_word(text: str) -> bool:
    """Whether any letter or digit is left: a paragraph of bare punctuation is none."""
    return any(char.isalnum() for char in text)


def _cut_dateline(paragraphs: list[str], found: _Attribution) -> str | None:
    """Remove the dateline opening the article's first paragraph; return it."""
    for i, paragraph in enumerate(paragraphs[:_DATELINE_PARAGRAPHS]):
        dateline = split_dateline(paragraph)
        if dateline is not None:
            found.wire = found.wire or dateline.wire
            if _has_word(dateline.rest):
                paragraphs[i] = dateline.rest
            else:
                del paragraphs[i]
            return dateline.dateline
        if looks_like_prose(paragraph):
            break
    return None


def _cut_sign_off(paragraphs: list[str], found: _Attribution) -> None:
    """Remove the agency or editor's initials closing the last paragraph."""
    while paragraphs:
        last, agency = strip_sign_off(paragraphs[-1])
        found.wire = found.wire or agency
        if _has_word(last):
            paragraphs[-1] = last
            return
        paragraphs.pop()


def _agency_near(units: list[Unit], at: int, byline: str | None) -> str | None:
    """The agency an "auto-published from an agency feed" note refers to."""
    if byline and canonical_agency(byline):
        return canonical_agency(byline)
    for distance in range(1, _AGENCY_NOTE_REACH + 1):
        for index in (at - distance, at + distance):
            if 0 <= index < len(units):
                agency = agency_named_in(units[index].text)
                if agency:
                    return agency
    return None
