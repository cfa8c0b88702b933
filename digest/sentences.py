"""Sentence segmentation: nupunkt's boundaries, corrected for news prose.

nupunkt's shipped model is trained on legal and general text. On news it
splits after a sentence-initial "U.S." and after titles such as "Lt." or
"Adm.", and it misses breaks after ordinary words its model lists as
abbreviations ("port.", "cancer.", "century.") or where scraping lost the
space ("Tokyo.The"). A small post-pass moves those boundaries and leaves every
other decision to nupunkt.

Every sentence is a slice of the paragraph after its whitespace is collapsed
to single spaces, so later stages can quote sentences verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import nupunkt


def _word_set(words: str) -> frozenset[str]:
    """A set written as a block of space-separated words, for long readable lists."""
    return frozenset(words.split())


# Titles written before a name: a period after one never ends a sentence.
_TITLES = _word_set(
    """
    mr mrs ms mx dr prof rev fr hon pres amb gov sen rep sens reps gens messrs mmes
    gen lt col maj capt cmdr cdr adm brig sgt cpl pvt supt insp det st mt ft
    """
)

# Abbreviations that take a period but may also end a sentence: their
# boundaries are left to nupunkt. Lower-case forms; compared case-insensitively.
_ABBREVIATIONS = _TITLES | _word_set(
    """
    jr sr inc corp ltd plc co cos bros assn dept univ govt intl natl
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    no nos vol vols art arts fig figs ch sec secs pp ed eds
    approx est etc vs cf al ca viz incl excl pct min mins hr hrs yr yrs mo mos wk wks
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont
    neb nev okla ore pa tenn tex va vt wash wis wyo ave blvd rd hwy
    """
)

# Abbreviations that, when followed by a number, are part of it ("No. 2", "Sept. 26").
_NUMBER_PREFIXES = _word_set(
    """
    no nos vol vols art arts fig figs ch sec secs p pp
    jan feb mar apr jun jul aug sep sept oct nov dec
    """
)

# Function words that start sentences but never continue a name such as "U.S. Army".
_SENTENCE_STARTERS = _word_set(
    """
    The He She It They We I You But And Yet So This That These Those There His Her Their
    Its Our A An In On At After Before When While If Although However Meanwhile
    """
)

# Quotes and brackets around a token, ignored when reading the token itself.
_WRAPPERS = "\"'“”‘’()[]"
# A token made only of letters each followed by a period: "U.S.", "p.m.", "K.".
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+")
# What opens the next sentence, past opening quotes and brackets.
_NEXT_START = re.compile(r"\s*[\"“‘'(\[]*(\S)")
# The first word at a position, past an opening quote or bracket.
_LEADING_WORD = re.compile(r"[\"“‘(\[]?([A-Za-z]+)")
# A period, maybe closing quotes, then a capitalised word, with or without the
# space between: each place where a break nupunkt missed may hide.
_PERIOD_BEFORE_CAPITAL = re.compile(r"\.[\"”’')\]]*( ?)(?=[\"“‘(\[]?(?:[A-Z][a-z]|[AI] ))")


# An article's opening, as segmented for later stages: paragraphs until this
# many sentences of at least OPENING_MIN_WORDS words (a summary takes at most
# three, passing over headings, short lines and repeats).
OPENING_SENTENCES = 8
OPENING_MIN_WORDS = 5


def split_sentences(paragraph: str) -> tuple[str, ...]:
    """One paragraph's sentences in order, never empty, each a slice of the paragraph."""
    text = " ".join(paragraph.split())
    if not text:
        return ()
    cuts = {end for _, end in nupunkt.sent_spans(text)[:-1] if _is_break(text, end)}
    cuts.update(m.end() for m in _PERIOD_BEFORE_CAPITAL.finditer(text) if _is_missed_break(text, m))
    sentences: list[str] = []
    start = 0
    for end in [*sorted(cuts), len(text)]:
        piece = text[start:end].strip()
        if not piece:
            continue
        if end < len(text) and _is_lone_abbreviation(piece):
            continue  # keep ``start``: the abbreviation opens the next sentence
        sentences.append(piece)
        start = end
    return tuple(sentences)


def sentences_of(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """All sentences of an article, in order; a sentence never spans two paragraphs."""
    return tuple(sentence for paragraph in paragraphs for sentence in split_sentences(paragraph))


def opening_sentences(
    paragraphs: Sequence[str], wanted: int = OPENING_SENTENCES
) -> tuple[str, ...]:
    """The sentences of an article's opening paragraphs, in order.

    Later stages read only an article's opening (its lead sentences, a title
    taken from its first sentence), so segmenting stops after the paragraph
    in which ``wanted`` sentences of at least OPENING_MIN_WORDS words have
    been found: most of the segmenter's work on a long article is saved.
    """
    found: list[str] = []
    full = 0
    for paragraph in paragraphs:
        for sentence in split_sentences(paragraph):
            found.append(sentence)
            full += sentence.count(" ") + 1 >= OPENING_MIN_WORDS
        if full >= wanted:
            break
    return tuple(found)


def _is_break(text: str, offset: int) -> bool:
    """Whether a boundary nupunkt placed at ``offset`` really ends a sentence."""
    following = _NEXT_START.match(text, offset)
    if following is None:
        return False
    first = following.group(1)
    if first.islower():
        # News sentences open with a capital; a lower-case word continues the
        # sentence: '“Why now?” asked the minister', '3 pct. in Q3'.
        return False
    token = _last_token(text, offset)
    if not token.endswith("."):
        return True
    word = token[:-1].rsplit(".", 1)[-1].lower()
    if word in _TITLES:
        return False
    return not (first.isdigit() and word in _NUMBER_PREFIXES)


def _is_missed_break(text: str, period: re.Match[str]) -> bool:
    """Whether a period before a capitalised word ends a sentence nupunkt ran on."""
    token = _last_token(text, period.start() + 1)
    if _DOTTED.fullmatch(token):
        # "U.S." or "p.m." ends a sentence only before a word no name continues with.
        following = _LEADING_WORD.match(text, period.end())
        has_space = bool(period.group(1))
        return has_space and following is not None and following[1] in _SENTENCE_STARTERS
    word = token[:-1]
    if not period.group(1):
        # The space was lost in scraping ("Tokyo.The"): trust only a plain lower-case ending.
        return len(word) >= 3 and word.isalpha() and word[-3:].islower()
    return len(word) >= 2 and word.isalpha() and word.lower() not in _ABBREVIATIONS


def _last_token(text: str, offset: int) -> str:
    """The word just before ``offset``, without its quotes or brackets."""
    words = text[max(0, offset - 40) : offset].split()
    return words[-1].strip(_WRAPPERS) if words else ""


def _is_lone_abbreviation(piece: str) -> bool:
    """Whether a piece is only an abbreviation ("U.S.", "Lt."), never a sentence alone."""
    bare = piece.strip(_WRAPPERS)
    return bool(_DOTTED.fullmatch(bare)) or (bare.endswith(".") and bare[:-1].lower() in _TITLES)
