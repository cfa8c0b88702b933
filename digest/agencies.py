"""Agencies: the news agencies copy comes from, under one spelling each.

Agency copy names its source in a dateline "(AP)", a credit "(With inputs from
PTI)", a byline "By ANI" or a sign-off closing the last paragraph ("... the
virus. EFE-EPA"). This module knows the agencies' names and reads the sign-offs.
"""

from __future__ import annotations

import re

# News agencies under the names copy credits them with, mapped to one spelling.
AGENCIES = {
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "efe": "EFE",
    "efe-epa": "EFE-EPA",
    "efe/epa": "EFE-EPA",
    "epa-efe": "EFE-EPA",
    "epa/efe": "EFE-EPA",
    "ani": "ANI",
    "asian news international": "ANI",
    "pti": "PTI",
    "press trust of india": "PTI",
    "ians": "IANS",
    "indo-asian news service": "IANS",
    "xinhua": "Xinhua",
    "xinhua news agency": "Xinhua",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "jiji press": "Jiji",
    "bloomberg": "Bloomberg",
    "upi": "UPI",
    "united press international": "UPI",
    "dpa": "dpa",
    "yonhap": "Yonhap",
    "tass": "TASS",
    "bernama": "Bernama",
    "ansa": "ANSA",
    "anadolu agency": "Anadolu",
    "antara": "Antara",
    "aap": "AAP",
    "australian associated press": "AAP",
    "pa media": "PA Media",
    "the canadian press": "Canadian Press",
    "canadian press": "Canadian Press",
    "irna": "IRNA",
    "unb": "UNB",
    "interfax": "Interfax",
}

# Any agency name above as a whole word; longest first so "efe-epa" wins over "efe".
_AGENCY_NAME = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(name) for name in sorted(AGENCIES, key=len, reverse=True))
    + r")(?![\w-])",
    re.IGNORECASE,
)

# Names that are agencies even though the table does not list them: an acronym
# ("CPA") or a name ending like one ("Continental Press Agency").
_AGENCY_LIKE = re.compile(
    r"^(?:[A-Z]{2,6}(?:[-/][A-Z]{2,6})?|"
    r"(?:[A-Z][\w.'’-]*\s+){1,5}(?:News\s+|Press\s+)?(?:Agency|Press|Wire|News Service))$"
)


def canonical_agency(name: str) -> str | None:
    """The agency's usual name, or None when ``name`` is not an agency's."""
    name = " ".join(name.split()).strip(" .,;:()[]")
    known = AGENCIES.get(name.lower())
    if known:
        return known
    return name if _AGENCY_LIKE.match(name) else None


def agency_named_in(text: str) -> str | None:
    """The first known agency a line names anywhere in it."""
    found = _AGENCY_NAME.search(text)
    return AGENCIES[found.group().lower()] if found else None


# --- sign-offs: "... for the virus. EFE-EPA", "(esn)" -----------------------------------

# An agency named after the last sentence: "EFE-EPA", "— Reuters", "(AFP)", "/IANS".
_AGENCY_SIGN_OFF = re.compile(
    r"(?<=[.!?\"”’)])\s*(?:[-–—/]+\s*)?[(\[]?\s*(?P<who>"
    + "|".join(re.escape(name) for name in sorted(AGENCIES, key=len, reverse=True))
    + r")\s*[)\]]?\s*$",
    re.IGNORECASE,
)
# A sign-off fits in this many characters at the end of a paragraph.
_SIGN_OFF_REACH = 48
# An editor's initials closing the copy, "(esn)", "(ra/ee)": after the last sentence or
# after an agency's sign-off ("... the virus. EFE-EPA (esn)"). After a plain word, as
# in "TE David Thomas (knee)", the brackets belong to the text.
_INITIALS = r"\(\s*[a-z]{2,4}(?:\s*/\s*[a-z]{2,4})*\s*\)$"
_INITIALS_SIGN_OFF = re.compile(rf"(?:(?<=[.!?\"”’])\s*|^){_INITIALS}")
_INITIALS_AFTER_WORD = re.compile(rf"\s+{_INITIALS}")
_MAX_INITIALS_CHARS = 24


def is_initials_sign_off(line: str) -> bool:
    """Whether a whole line is an editor's initials, as agencies close copy."""
    return len(line) <= _MAX_INITIALS_CHARS and _INITIALS_SIGN_OFF.match(line) is not None


def strip_sign_off(paragraph: str) -> tuple[str, str | None]:
    """The paragraph without its closing agency or initials, and the agency if named."""
    tail = max(0, len(paragraph) - _SIGN_OFF_REACH)
    initials = _INITIALS_SIGN_OFF.search(paragraph, tail)
    if initials:
        return paragraph[: initials.start()].rstrip(), None
    after_word = _INITIALS_AFTER_WORD.search(paragraph, tail)
    rest = paragraph[: after_word.start()] if after_word else paragraph
    agency = _AGENCY_SIGN_OFF.search(rest, max(0, len(rest) - _SIGN_OFF_REACH))
    if agency is None:
        return paragraph, None
    return rest[: agency.start()].rstrip(), AGENCIES[agency.group("who").lower()]
