"""Text hygiene shared by the readers: strings every later stage can encode.

JSON (Lines, Feed) may escape half of a UTF-16 surrogate pair, and a file
name that is not valid UTF-8 decodes with them too. Python keeps such lone
surrogates in a string, but no UTF-8 output, hash or database can take
them, so the readers replace each with U+FFFD as soon as they decode text.
"""

from __future__ import annotations

import re
from typing import Any

# Half of a UTF-16 surrogate pair, alone in a Python string.
_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def json_without_surrogates(value: Any) -> Any:
    """A decoded JSON value with every string in it (keys too) made safe to encode."""
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, list):
        return [json_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {
            without_surrogates(key): json_without_surrogates(item) for key, item in value.items()
        }
    return value
