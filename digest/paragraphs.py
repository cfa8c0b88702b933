"""Paragraphs: scraped text split into paragraph candidates, hard wrapping undone.

Scraped text puts one paragraph on a line, with or without blank lines between;
Markdown bodies and plain-text mail wrap each paragraph over several lines at a
fixed width. A blank-line block is re-joined when its lines have the shape of
one wrapped paragraph; list items and rows of buttons are never joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from digest.boilerplate import is_widget_row

# Characters that carry no text: C0/C1 controls other than line breaks and
# whitespace, soft hyphens, zero-width and direction marks, byte-order marks.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
# A line that starts a list item, never joined onto the line above it.
_LIST_ITEM = re.compile(r"^(?:[-*+•]\s|\d{1,3}[.)]\s)")
_LIST_MARKS = frozenset("-*+•0123456789")
# A line's last character ends a sentence, a clause or a quotation.
_SENTENCE_ENDINGS = (".", "!", "?", "…", ":", ";", '"', "'", "”", "’", ")", "]")

# Hard wrapping: a column of lines this wide or wider, each line filling most of the
# width. Narrower columns are stacks of buttons and labels; lines past the widest
# wrap width in use are whole paragraphs of their own.
_MIN_WRAP_WIDTH = 40
_MAX_WRAP_WIDTH = 120
_MIN_WRAP_FILL = 0.6
# The last line of a wrapped paragraph may overshoot the widest inner line a little.
_WRAP_OVERSHOOT = 10


@dataclass(frozen=True, slots=True)
class Unit:
    """One paragraph candidate: a line, or a hard-wrapped block joined into one.

    ``row`` marks a line laid out as a row of buttons or links (judged with its
    spacing intact, which ``text`` no longer has).
    """

    text: str
    row: bool = False


def normalise_line(line: str) -> str:
    """The line without invisible characters, its whitespace collapsed to single spaces."""
    if not line.isprintable():  # tabs and no-break spaces too; rarer than plain lines
        line = _INVISIBLE.sub("", line)
    elif "  " not in line and line[:1] != " " and line[-1:] != " ":
        # Printable, so its only whitespace is the plain space: already normal.
        # (Most lines are; splitting and joining a paragraph's words costs.)
        return line
    return " ".join(line.split())


def units_of(text: str) -> list[Unit]:
    """The text's paragraph candidates, blank-line blocks re-joined where hard-wrapped."""
    pieces: list[Unit | list[str]] = []  # widget rows, and runs of lines to join or not
    block: list[tuple[str, str]] = []
    for raw in [*text.splitlines(), ""]:
        line = normalise_line(raw)
        if line:
            block.append((raw, line))
            continue
        run: list[str] = []
        pieces.append(run)
        for raw_line, block_line in block:
            if is_widget_row(raw_line):
                pieces.append(Unit(block_line, row=True))
                run = []
                pieces.append(run)
            elif block_line[:1] in _LIST_MARKS and _LIST_ITEM.match(block_line):
                run = [block_line]
                pieces.append(run)
            else:
                run.append(block_line)
        block = []
    shapes: list[tuple[int | None, bool]] = []  # each run's wrap width; whether it runs on
    for piece in pieces:
        if isinstance(piece, list):
            width = _wrap_width(piece)
            shapes.append((width, width is not None and _runs_on(piece)))
    # The width the text is wrapped at, from runs that plainly read on from line to line;
    # a run of that shape is wrapped too, even with no line running on in lower case.
    column = max((width or 0 for width, runs_on in shapes if runs_on), default=0)
    joins = iter(runs_on or (width is not None and width <= column) for width, runs_on in shapes)
    units: list[Unit] = []
    for piece in pieces:
        if isinstance(piece, Unit):
            units.append(piece)
        elif next(joins):
            units.append(Unit(_join_wrapped(piece)))
        else:
            units.extend(Unit(line) for line in piece)
    return units


def _join_wrapped(lines: list[str]) -> str:
    """Hard-wrapped lines as one paragraph; a word hyphenated across lines is rejoined."""
    joined = lines[0]
    for line in lines[1:]:
        soft_hyphen = joined.endswith("-") and joined[-2:-1].isalpha() and line[:1].islower()
        joined += line if soft_hyphen else " " + line
    return joined


def _wrap_width(lines: list[str]) -> int | None:
    """The width lines are wrapped at, when they have the shape of one wrapped paragraph."""
    if len(lines) < 2:
        return None
    inner = [len(line) for line in lines[:-1]]
    width = max(inner)
    if not _MIN_WRAP_WIDTH <= width <= _MAX_WRAP_WIDTH:
        return None
    if min(inner) < _MIN_WRAP_FILL * width or len(lines[-1]) > width + _WRAP_OVERSHOOT:
        return None
    return width


def _runs_on(lines: list[str]) -> bool:
    """Whether lines read as one paragraph running on from each line to the next."""
    pairs = list(pairwise(lines))
    if any(following[:1].islower() for _, following in pairs):
        return True
    # No line continues in lower case: wrapped only if the lines run on unpunctuated
    # into a last line that ends a sentence ("... on the\nBudget Committee.").
    open_ends = sum(1 for line, _ in pairs if not line.endswith(_SENTENCE_ENDINGS))
    return 2 * open_ends >= len(pairs) and lines[-1].endswith(_SENTENCE_ENDINGS)
