"""Text features that tell one event from another: content words, names, numbers.

Two reports of one event share the specific words of the event, the people,
places and organisations it involved and the numbers it named; two events of
the same kind share only the topic words. So an article is reduced to three
bags: content words (stop words removed), name tokens (words written with a
capital inside a sentence, the only named-entity evidence available without a
model) and numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from sys import intern


def _word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a hand-written list."""
    return frozenset(text.split())


# Words that say nothing about which event an article reports: grammar words,
# reporting verbs and the calendar. Hand-written; lower case.
STOPWORDS = _word_set(
    """
    a about above across after afterwards again against ago all almost along already also
    although always am among an and another any anyone anything are around as at away back
    be became because become been before being below beside besides between both but by can
    cannot could did do does doing done down during each either else enough even ever every
    few for former from further get gets got had has have having he her here hers herself him
    himself his how however i if in including into is it its itself just last least less let
    like made make many may me meanwhile might more most mostly much must my myself near
    neither never nevertheless next no nobody none nor not nothing now of off often on once
    one only onto or other others otherwise our ours ourselves out over own per perhaps put
    rather really same say says said see seem seemed seems several she should since so some
    someone something sometimes still such than that the their theirs them themselves then
    there thereby therefore these they this those though through throughout thus to together
    too toward towards two under unless until up upon us very via was we well were what
    whatever when whenever where whether which while who whoever whole whom whose why will
    with within without would yet you your yours yourself yourselves told according added
    also mr mrs ms dr today yesterday tomorrow week weeks year years day days time times
    new told reported report reports reporting news story read more i'm i've i'll i'd
    """
)
# Month and weekday names: capitalised, yet they name a date, not an actor.
CALENDAR_WORDS = _word_set(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday mon tue tues wed thu thurs fri sat sun
    """
)
# A word: a letter, then letters, digits, apostrophes, dots and hyphens
# ("U.S.", "Kim's", "Indo-Pacific"). Found as written, with any punctuation
# that trails it; the trailing marks are trimmed and the case folded when the
# word is keyed, once per distinct word, which is cheaper than a pattern that
# must end on a letter run over a case-folded copy of the text.
RAW_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# A number as written in text: "23", "1,300", "7.5"; not part of a word.
# (The digit comes first so the engine skips to digits; then the look back.)
NUMBER = re.compile(r"\d(?<![\w.,]\d)[\d,]*(?:\.\d+)?")
# Capital letters that open a name (Latin, Greek and Cyrillic alphabets).
UPPER = "A-ZÀ-ÖØ-ÞΑ-ΩА-ЯЁ"
# A capitalised word: a capital not preceded by a letter or digit, then word
# characters, inner apostrophes, dots, ampersands and hyphens, never ending in
# a dot (so "Hanlon." leaves its dot to end the sentence). The capital comes
# first in the patterns so the regex engine can skip straight to capitals.
_NAME_REST = r"(?:[\w'’.&-]*[\w’'])?"
CAPITALISED = re.compile(rf"[{UPPER}](?<!\w.){_NAME_REST}")
# Most capitalised words follow a word or a comma and one space: certainly
# inside a sentence. Told apart by the pattern itself, they need no more
# checks; the others (after a line start, a quote or punctuation) do.
INSIDE_SENTENCE = re.compile(rf"[{UPPER}](?<=[^\W_] .|, .){_NAME_REST}")
ELSEWHERE = re.compile(rf"[{UPPER}](?<!\w.)(?<![^\W_] .)(?<!, .){_NAME_REST}")
# What may stand around a capitalised word: opening quotes or brackets just
# before it, spaces before those (never a line break), and closing quotes or
# brackets after the punctuation that ends a sentence or heading.
_OPENING = frozenset("\"“‘'([«`")
_CLOSING = frozenset("\"'’”)]")
_SPACES = frozenset(" \t\r\f\v\u00a0")
_ENDS = frozenset("!?:;")
# A dot that closes initials ("U.S.", "J.") or a title before a name
# ("Mr.", "Gen.") does not end a sentence.
NOT_AN_END = re.compile(
    r"(?:^|[\s(\"“‘'])(?:(?:[A-Za-z]\.)*[A-Za-z]|Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|"
    r"Prof|Jr|Sr|Rev|Fr|Hon|Mt|Ft|No|vs)\.$"
)
# How far before a dot to look for initials or a title.
_ABBREVIATION_REACH = 8
# A line whose words are mostly capitalised is a title-case headline: its
# capitals prove nothing about names. A line of TITLE_CASE_MIN_WORDS to
# TITLE_CASE_MAX_WORDS words (headline length) with more than this share of
# capitalised words is not used as evidence.
TITLE_CASE_SHARE = 0.6
TITLE_CASE_MIN_WORDS = 3
TITLE_CASE_MAX_WORDS = 25
# The first letter of each word of a line that starts with one.
_LETTER_START = re.compile(r"(?:^|\s)[\"“‘'(\[«`]*([^\W\d_])")


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """What an article says, reduced to the evidence that identifies an event."""

    words: tuple[tuple[str, int], ...]
    names: tuple[tuple[str, int], ...]
    spellings: tuple[tuple[str, str], ...]
    numbers: tuple[str, ...]

    @property
    def name_counts(self) -> dict[str, int]:
        """How often each name token is mentioned."""
        return dict(self.names)

    def names_only(self) -> Names:
        """These features' names alone: what explanations and vetoes need."""
        spelled = dict(self.spellings)
        return Names(
            keys=tuple(intern(key) for key, _ in self.names),
            counts=tuple(count for _, count in self.names),
            spellings=tuple(intern(spelled.get(key, key)) for key, _ in self.names),
        )

    def terms(self) -> Counter[str]:
        """The bag of terms weighed for similarity: words, names and numbers.

        Names and numbers are added with a prefix beside the plain words, so a
        shared name counts twice: it is both a specific word and an actor.
        """
        bag: Counter[str] = Counter(dict(self.words))
        for name, count in self.names:
            bag["@" + name] += count
        bag.update("#" + number for number in self.numbers)
        return bag


@dataclass(frozen=True, slots=True)
class Names:
    """The names an article mentions, how often, and as written: parallel, by key.

    Clustering keeps this for every article, so it is compact: three flat
    tuples of interned strings and small integers (which Python shares), the
    same names across articles one copy each; a tuple of pairs per name would
    take four times the memory.
    """

    keys: tuple[str, ...]
    counts: tuple[int, ...]
    spellings: tuple[str, ...]

    def counted(self) -> dict[str, int]:
        """How often each name is mentioned, by key."""
        return dict(zip(self.keys, self.counts, strict=True))


# Names of an article not extracted (yet).
NO_NAMES = Names(keys=(), counts=(), spellings=())


def normal_token(word: str) -> str:
    """The key a word is compared by: case-folded, without a possessive."""
    token = word.casefold().replace("’", "'")
    if token.endswith("'s"):
        token = token[:-2]
    return token.strip("'.-")


class _TokenKeys(dict[str, str]):
    """Each word's key, computed once per process: news repeats its words.

    Cleared when it grows past ``limit``, so memory stays bounded on any input.
    """

    def __init__(self, key: Callable[[str], str], limit: int = 500_000) -> None:
        super().__init__()
        self.key = key
        self.limit = limit

    def __missing__(self, word: str) -> str:
        if len(self) >= self.limit:
            self.clear()
        # Interned: the same few thousand words recur across every article's
        # features, kept for the whole clustering; one copy each saves a third.
        key = self[word] = intern(self.key(word))
        return key


class Spacing(dict[int, str]):
    """A ``str.translate`` table turning every character ``keeps`` refuses into a space.

    Translating a text and splitting it at spaces finds its runs of kept
    characters about twice as fast as a regex's ``findall``; each character
    is judged once per process.
    """

    def __init__(self, keeps: Callable[[str], bool]) -> None:
        super().__init__()
        self.keeps = keeps

    def __missing__(self, code: int) -> str:
        character = chr(code)
        kept = self[code] = character if self.keeps(character) else " "
        return kept


def is_word_character(character: str) -> bool:
    """What a regex's ``\\w`` matches: letters, digits and other numerals, and "_"."""
    return character.isalnum() or character == "_"


# Runs of the characters a RAW_WORD may hold; each holds at most one RAW_WORD
# (from its first letter to its end).
_WORD_RUNS = Spacing(lambda character: is_word_character(character) or character in "'’.-")


def _content_key(run: str) -> str:
    """The key of the word in a run of word characters, or "" when it cannot name an event."""
    found = RAW_WORD.search(run)
    if found is None:
        return ""
    word = found.group().casefold().replace("’", "'").rstrip("'.-_")
    token = word[:-2] if word.endswith("'s") else word
    if len(token) < 2 or token in STOPWORDS or token in CALENDAR_WORDS:
        return ""
    return token.strip("'.-")


_CONTENT_KEYS = _TokenKeys(_content_key)


def word_counts(text: str) -> Counter[str]:
    """How often each word of ``text`` that can name an event occurs.

    Stop words, calendar words and single letters are left out; words are
    compared case-folded and without a possessive.
    """
    runs = text.translate(_WORD_RUNS).split()
    return Counter(filter(None, map(_CONTENT_KEYS.__getitem__, runs)))


def numbers_in(text: str) -> tuple[str, ...]:
    """The numbers ``text`` names, without thousands separators."""
    return tuple(match.replace(",", "").rstrip(".") for match in NUMBER.findall(text))


def _is_title_case(line: str) -> bool:
    """True for a headline written With Every Word Capitalised."""
    words = line.count(" ") + 1
    if words < TITLE_CASE_MIN_WORDS or words > TITLE_CASE_MAX_WORDS:
        return False
    initials = _LETTER_START.findall(line)
    if len(initials) < TITLE_CASE_MIN_WORDS:
        return False
    return sum(map(str.isupper, initials)) / len(initials) > TITLE_CASE_SHARE


def _name_key(word: str) -> str:
    """The name token a capitalised word stands for, or "" if it is no name."""
    token = normal_token(word)
    if len(token) < 2 or token in CALENDAR_WORDS:
        return ""
    if token in STOPWORDS and not _is_acronym(word):
        return ""
    return token


_NAME_KEYS = _TokenKeys(_name_key)


def _is_acronym(word: str) -> bool:
    """True for "US" or "UN": capitals that spell a stop word yet name an actor."""
    letters = word.replace(".", "")
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()


def _opens_sentence(text: str, start: int) -> bool | None:
    """Whether the capitalised word at ``start`` may just open a sentence.

    None when the word does not stand on its own (no space, quote or line
    start before it): it is then no mention at all. ``text`` holds stripped
    lines joined by line breaks.
    """
    before = text[start - 1] if start else "\n"
    if before == " " and start > 1:
        previous = text[start - 2]
        if previous.isalnum() or previous == ",":
            return False  # the common case: inside a sentence
    while before in _OPENING:
        start -= 1
        before = text[start - 1] if start else "\n"
    if before == "\n":
        return True
    if before not in _SPACES:
        return None
    end = start - 1
    while end > 0 and text[end - 1] in _SPACES:
        end -= 1
    while end > 0 and text[end - 1] in _CLOSING:
        end -= 1
    mark = text[end - 1] if end else "\n"
    if mark in _ENDS:
        return True
    if mark == ".":
        return not NOT_AN_END.search(text[max(0, end - 1 - _ABBREVIATION_REACH) : end])
    return False


def name_mentions(title: str, text: str) -> tuple[Counter[str], dict[str, str]]:
    """Name tokens with their mention counts, and each one as first written.

    A word counts as a name when it is capitalised somewhere inside a sentence
    of a normal (not title-case) line: that rules out sentence openings and
    headline capitals. Every capitalised mention of such a word is counted,
    including those at the start of sentences and in headlines.
    """
    evidence: list[str] = []
    headlines: list[str] = []
    for line in (title, *text.splitlines()):
        line = line.strip()
        if line:
            (headlines if _is_title_case(line) else evidence).append(line)
    keys = _NAME_KEYS
    joined = "\n".join(evidence)
    inside = INSIDE_SENTENCE.findall(joined)
    known: dict[str, str] = {}
    for word in dict.fromkeys(inside):  # distinct, in order: the first spelling wins
        key = keys[word]
        if key not in known:
            known[key] = normal_spelling(word)
    mentions = list(map(keys.__getitem__, inside))
    for match in ELSEWHERE.finditer(joined):
        opens = _opens_sentence(joined, match.start())
        if opens is None:
            continue
        key = keys[match.group()]
        mentions.append(key)
        if not opens and key not in known:
            known[key] = normal_spelling(match.group())
    joined = "\n".join(headlines)
    for match in CAPITALISED.finditer(joined):
        if _opens_sentence(joined, match.start()) is not None:
            mentions.append(keys[match.group()])
    known.pop("", None)
    counts = Counter(mentions)
    return Counter({key: n for key, n in counts.items() if key in known}), known


def normal_spelling(word: str) -> str:
    """A name as shown to readers: as written, without quotes or a possessive."""
    core = word.replace("’", "'")
    if core.endswith("'s"):
        core = core[:-2]
    return core.strip("'.-") or core


def text_features(title: str, text: str) -> TextFeatures:
    """The words, names and numbers of an article's headline and text."""
    whole = f"{title}\n{text}"
    counts, spellings = name_mentions(title, text)
    return TextFeatures(
        words=tuple(word_counts(whole).items()),
        names=tuple(sorted(counts.items())),
        spellings=tuple(sorted((k, v) for k, v in spellings.items() if k in counts)),
        numbers=numbers_in(whole),
    )
