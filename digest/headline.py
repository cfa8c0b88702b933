"""Headline: which of a page's first lines is the headline, and which lines repeat it.

Above the article a page stacks its masthead, tagline, section label, headline,
standfirst and credits. The headline is the line of headline shape (a few
capitalised words, no full stop) that the page prints twice, or else the one whose
words the article's opening paragraphs use: mastheads and taglines share nothing
with the story.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digest.boilerplate import is_label, line_kind, strip_photo_credit

# The headline stands among a page's first lines; later ones are not considered.
_MAX_HEADER_LINES = 40
# Headlines: between these many words, and not longer than a sentence-long standfirst.
_MIN_WORDS = 4
_MAX_WORDS = 30
_MAX_CHARS = 200
# Of several headline-like lines, the first whose share of words used by the opening
# is at least this fraction of the best line's share wins: a headline and its
# standfirst both score, and the headline comes first.
_SCORE_SHARE = 0.6
# Words compared by their first letters, so "ferry" meets "ferries", "strike" "strikes".
_STEM_CHARS = 4
# fmt: off
_STOPWORDS = frozenset(
    {"the", "and", "for", "with", "from", "that", "this", "into", "over", "after", "amid",
     "about", "says", "said", "will", "has", "have", "are", "was", "were", "its", "their",
     "his", "her", "new", "news"}
)
# fmt: on
# A line repeats the headline when it has the same words, give or take a few.
_MAX_EXTRA_WORDS = 3
_MIN_OVERLAP = 0.8
_WORD = re.compile(r"\w+")


def pick_headline(header: Sequence[str], opening: Sequence[str]) -> int | None:
    """Which line of ``header`` is the headline, given the article's first paragraphs."""
    header = header[:_MAX_HEADER_LINES]
    candidates = [i for i, line in enumerate(header) if _headline_like(line)]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    keys = [_words(line) for line in header]
    printed = Counter(keys)
    for i in candidates:
        if printed[keys[i]] > 1:
            return i  # printed twice: pages repeat the headline, not their chrome
    lead = _stems(" ".join(opening))
    scores = {i: _share_in(header[i], lead) for i in candidates}
    best = max(scores.values())
    return next(i for i in candidates if scores[i] >= _SCORE_SHARE * best)


def _headline_like(line: str) -> bool:
    """Whether a line could be the headline: a few words, capitalised, no full stop."""
    text = strip_photo_credit(line)
    words = text.count(" ") + 1
    return (
        _MIN_WORDS <= words <= _MAX_WORDS
        and len(text) <= _MAX_CHARS
        and not text[:1].islower()
        and text[-1:] not in ".,;:"
        and line_kind(text) == "body"
        and not is_label(text)
    )


def _words(text: str) -> tuple[str, ...]:
    """The text's words in lower case, punctuation aside."""
    return tuple(_WORD.findall(text.lower()))


def _stems(text: str) -> set[str]:
    """The text's content words, cut to their first letters."""
    return {
        word[:_STEM_CHARS]
        for word in _WORD.findall(text.lower())
        if len(word) > 2 and word not in _STOPWORDS
    }


def _share_in(text: str, lead: set[str]) -> float:
    """The fraction of a line's content words that the article's opening uses."""
    stems = _stems(text)
    return len(stems & lead) / len(stems) if stems else 0.0


@dataclass(frozen=True, slots=True)
class Headline:
    """A headline, ready to recognise the lines that print it again."""

    text: str
    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Headline:
        """The headline ``text``."""
        return cls(text, _words(text))

    def repeated_by(self, line: str) -> bool:
        """Whether a line is this headline again, give or take a credit or a few words."""
        if line.count(" ") > 2 * len(self.words) + _MAX_EXTRA_WORDS:
            return False  # far too many words, whatever they are
        line_words = _words(strip_photo_credit(line))
        if line_words == self.words:
            return True
        if not line_words or len(line_words) > len(self.words) + _MAX_EXTRA_WORDS:
            return False
        line_set, title_set = set(line_words), set(self.words)
        return len(line_set & title_set) >= _MIN_OVERLAP * len(line_set | title_set)
