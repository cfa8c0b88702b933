"""The shared views: text cleaned the same way on the fast path as on the full one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.render import views
from digest.render.views import clean_line

# Text rich in what cleaning is about: spaces of every kind, controls,
# surrogates, non-characters, and ordinary letters.
AWKWARD_CHARACTERS = (
    " \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u2029\u3000"  # whitespace of every kind
    "\x00\x7f\x9f\ud800\ufffe\uffff\u200b"  # controls, a surrogate, non-characters
    "aZéß中-·\U0001f600"  # ordinary text
)
AWKWARD = st.text(alphabet=st.sampled_from(AWKWARD_CHARACTERS), max_size=12)


def _full_clean(text: str) -> str:
    """What ``clean_line`` computes for any text, without its fast path."""
    return views._WHITESPACE_RUN.sub(" ", views._FORBIDDEN_CHARS.sub("", text)).strip()


@settings(max_examples=500)
@given(st.one_of(AWKWARD, st.text(max_size=20)))
def test_clean_line_is_the_full_clean_for_any_text(text: str) -> None:
    assert clean_line(text) == _full_clean(text)


def test_clean_text_comes_back_as_it_is() -> None:
    headline = "Ferry crews walk out at Port Alder — talks broke down"
    assert clean_line(headline) is headline
    assert clean_line(" two  spaces\u00a0here ") == "two spaces here"
