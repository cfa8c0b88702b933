"""Sentence segmentation: the boundary table, invariants, and the real seeds."""

from __future__ import annotations

from pathlib import Path

import nupunkt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest.sentences import OPENING_SENTENCES, opening_sentences, sentences_of, split_sentences

CASES = Path(__file__).resolve().parent / "cases" / "sentences"
CASE_NAMES = sorted(path.stem for path in CASES.glob("*.input"))


def _case(name: str) -> tuple[str, tuple[str, ...]]:
    """A case's paragraph and the sentences it must split into."""
    paragraph = (CASES / f"{name}.input").read_text(encoding="utf-8")
    expected = (CASES / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    return paragraph, tuple(expected)


def test_the_boundary_table_is_large_enough_to_mean_something() -> None:
    assert len(CASE_NAMES) >= 24


@pytest.mark.parametrize("name", CASE_NAMES)
def test_boundary_case(name: str) -> None:
    paragraph, expected = _case(name)
    assert split_sentences(paragraph) == expected


def test_the_table_holds_cases_plain_nupunkt_gets_wrong() -> None:
    """The post-pass must earn its place: the table proves what it fixes."""
    plain_right = 0
    for name in CASE_NAMES:
        paragraph, expected = _case(name)
        text = " ".join(paragraph.split())
        plain = tuple(text[start:end].strip() for start, end in nupunkt.sent_spans(text))
        plain_right += plain == expected
    assert plain_right < len(CASE_NAMES)  # the table holds cases nupunkt alone gets wrong


def test_sentences_never_join_paragraphs() -> None:
    paragraphs = ["The talks ended on", "Tuesday. Both sides left."]
    assert sentences_of(paragraphs) == ("The talks ended on", "Tuesday.", "Both sides left.")


@pytest.mark.parametrize("blank", ["", "   ", "\n\t \n"])
def test_blank_paragraph_has_no_sentences(blank: str) -> None:
    assert split_sentences(blank) == ()


def test_a_lone_abbreviation_is_kept_as_the_whole_paragraph() -> None:
    assert split_sentences("U.S.") == ("U.S.",)


# Text that stresses boundaries: words, abbreviations, quotes, odd spacing.
_PIECES = st.sampled_from(
    [
        "U.S.",
        "Dr.",
        "Lt.",
        "No.",
        "Sept.",
        "a.m.",
        "K.",
        "The",
        "talks",
        "ended",
        "Tokyo.",
        "Tokyo.The",
        "“We",
        "go.”",
        "?”",
        "!",
        "...",
        "…",
        "(",
        ")",
        "3.5",
        "$1.2bn.",
        "2",
        "asked",
        "he",
        ".",
        "\n",
        "\t",
        "  ",
    ]
)
_PARAGRAPHS = st.one_of(
    st.lists(_PIECES, max_size=40).map(" ".join),
    st.text(max_size=300),
)


@given(_PARAGRAPHS)
def test_sentences_are_non_empty_slices_that_cover_the_paragraph(paragraph: str) -> None:
    normalised = " ".join(paragraph.split())
    sentences = split_sentences(paragraph)
    position = 0
    for sentence in sentences:
        assert sentence
        assert sentence == sentence.strip()
        found = normalised.find(sentence, position)
        assert found >= 0, (sentence, normalised)
        assert normalised[position:found].strip() == ""  # nothing skipped
        position = found + len(sentence)
    assert normalised[position:].strip() == ""


@given(st.lists(_PARAGRAPHS, max_size=5))
def test_article_sentences_are_the_paragraphs_sentences_in_order(paragraphs: list[str]) -> None:
    expected = tuple(s for paragraph in paragraphs for s in split_sentences(paragraph))
    assert sentences_of(paragraphs) == expected


def test_seed_leads_keep_us_with_its_sentence(real_seeds: Path) -> None:
    text = next(real_seeds.glob("002_*.txt")).read_text(encoding="utf-8")
    lead = next(line for line in text.splitlines() if line.startswith("U.S. Secretary"))
    sentences = split_sentences(lead)
    assert len(sentences) == 1
    assert sentences[0].startswith("U.S. Secretary of State Antony Blinken")


def test_seed_quote_of_several_sentences_is_split(real_seeds: Path) -> None:
    text = next(real_seeds.glob("003_*.txt")).read_text(encoding="utf-8")
    quote = next(line for line in text.splitlines() if line.startswith('"Motegi and Blinken'))
    sentences = split_sentences(quote)
    assert sentences[0] == '"Motegi and Blinken also discussed China.'
    assert len(sentences) == 4
    assert sentences[-1].endswith("citing the Japanese Foreign Ministry.")


def test_the_opening_stops_after_the_paragraph_that_completes_it() -> None:
    full = "The council voted on the budget today. "
    paragraphs = [
        "Budget Vote",  # a heading: no full sentence
        full * 3 + "Short one.",
        full * (OPENING_SENTENCES - 3),
        "This paragraph is never segmented. Nor is this one.",
    ]
    opening = opening_sentences(paragraphs)
    assert opening[0] == "Budget Vote"
    assert opening[-1] == full.strip()
    assert len(opening) == 1 + 4 + OPENING_SENTENCES - 3
    assert opening == sentences_of(paragraphs[:3])


def test_a_short_article_opens_with_all_its_sentences() -> None:
    paragraphs = ["One sentence here, with five words.", "And a second one follows it."]
    assert opening_sentences(paragraphs) == sentences_of(paragraphs)
