"""Cleaning scraped article text: furniture out, article and attribution kept.

Case files in ``tests/cases/clean/``: ``name.input`` is the scraped text,
``name.title`` (optional) a title the input states, and ``name.expected`` the
result written as ``field: value`` lines (``-`` for none, one ``date line:`` per
date line), a blank line, then the paragraphs separated by blank lines.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.agencies import canonical_agency, strip_sign_off
from digest.attribution import is_date_stamp, read_byline, read_marker, split_dateline
from digest.boilerplate import is_widget_row, line_kind, strip_photo_credit
from digest.clean import CleanedText, clean_text
from digest.headline import pick_headline
from digest.paragraphs import normalise_line

CASES = Path(__file__).resolve().parent / "cases" / "clean"


def serialise(cleaned: CleanedText) -> str:
    """The readable form the case files use."""
    fields = ("title", "byline", "outlet", "wire", "dateline")
    lines = [f"{name}: {getattr(cleaned, name) or '-'}" for name in fields]
    lines += [f"date line: {line}" for line in cleaned.date_lines]
    return "\n".join(lines) + "\n\n" + "\n\n".join(cleaned.paragraphs) + "\n"


@pytest.mark.parametrize("case", sorted(CASES.glob("*.input")), ids=lambda path: path.stem)
def test_case(case: Path) -> None:
    given_title = case.with_suffix(".title")
    title = given_title.read_text(encoding="utf-8").strip() if given_title.exists() else None
    cleaned = clean_text(case.read_text(encoding="utf-8"), title=title)
    assert serialise(cleaned) == case.with_suffix(".expected").read_text(encoding="utf-8")


def test_there_are_enough_cases() -> None:
    assert len(list(CASES.glob("*.input"))) >= 6


# --- the five real scraped articles ----------------------------------------------


def _seed(real_seeds: Path, number: str) -> CleanedText:
    (path,) = real_seeds.glob(f"{number}_*.txt")
    return clean_text(path.read_text(encoding="utf-8"))


def _assert_nothing_twice(cleaned: CleanedText) -> None:
    assert len(set(cleaned.paragraphs)) == len(cleaned.paragraphs)
    assert cleaned.title not in cleaned.paragraphs


def _assert_absent(cleaned: CleanedText, *fragments: str) -> None:
    for paragraph in cleaned.paragraphs:
        for fragment in fragments:
            assert fragment not in paragraph, (fragment, paragraph)


def test_seed_000_republic(real_seeds: Path) -> None:
    cleaned = _seed(real_seeds, "000")
    assert cleaned.title == (
        "US, Japan security officials reaffirm alliance to maintain peace in Indo-Pacific region"
    )
    assert (cleaned.byline, cleaned.wire, cleaned.outlet) == ("Shubham Bose", "ANI", "Republic")
    assert "Published 08:09 IST, September 26th 2020" in cleaned.date_lines
    assert "08:09 IST, September 26th 2020" in cleaned.date_lines
    _assert_absent(cleaned, "Read:", "Advertisement", "Follow:", "share", "null | Image", "ANI")
    assert cleaned.paragraphs[0].startswith("US Secretary of State Mike Pompeo met with")
    _assert_nothing_twice(cleaned)


def test_seed_001_efe(real_seeds: Path) -> None:
    cleaned = _seed(real_seeds, "001")
    assert cleaned.title == "Pompeo, Motegi reaffirm security cooperation in the Pacific"
    assert cleaned.dateline == "Tokyo, Oct 6 (efe-epa)"
    assert cleaned.wire == "EFE-EPA"
    assert cleaned.paragraphs[0].startswith("The United States secretary of state")
    assert cleaned.paragraphs[-1].endswith("had tested positive for the virus.")
    _assert_absent(cleaned, "Related Articles", "Back to top", "EFE-EPA", "efe-epa")
    _assert_nothing_twice(cleaned)


def test_seed_002_iria(real_seeds: Path) -> None:
    cleaned = _seed(real_seeds, "002")
    assert cleaned.title == (
        "US, Japan agree to strengthen alliance amid security concerns in the Indo-Pacific"
    )
    assert cleaned.outlet == "IRIA"
    assert cleaned.paragraphs[-1].startswith("Secretary Blinken said, “Really, really remarkable")
    assert "Australia" in cleaned.paragraphs[-1]
    _assert_absent(
        cleaned,
        "No Comments",
        "Leave a comment",
        "Copyright",
        "IRIA is a research institute",
        "Subscribe",
        "Enter your email",
        "Related Articles",
        "Back to Top",
    )
    _assert_nothing_twice(cleaned)


def test_seed_003_ani(real_seeds: Path) -> None:
    cleaned = _seed(real_seeds, "003")
    assert cleaned.title == "Japan, US agree to step up cooperation against China"
    assert (cleaned.byline, cleaned.wire) == ("ANI", "ANI")
    assert "By ANI | Updated: May 4, 2021 07:45 IST" in cleaned.date_lines
    first = cleaned.paragraphs[0]
    assert first.startswith("US Secretary of State Antony Blinken and Japanese Foreign Minister")
    assert sum(paragraph == first for paragraph in cleaned.paragraphs) == 1
    _assert_absent(
        cleaned, "City", "Epaper", "Open in App", "Disclaimer", "Tags:", "With inputs from ANI"
    )
    _assert_absent(cleaned, "Iowa Shooting", "Trump, Putin", "Related", "Realted", "Cricket")
    _assert_nothing_twice(cleaned)


def test_seed_004_sindonews(real_seeds: Path) -> None:
    cleaned = _seed(real_seeds, "004")
    assert cleaned.title == (
        "US-Japan Will Strengthen Alliance to Face North Korea and China’s Threats"
    )
    assert cleaned.dateline == "WASHINGTON"
    assert cleaned.paragraphs[0].startswith("Top national security officials")
    _assert_absent(cleaned, "Baca:", "(esn)", "PHOTO/Reuters", "loading")
    assert cleaned.paragraphs[-1].endswith("the presence of American troops in Okinawa.")
    _assert_nothing_twice(cleaned)


def test_seeds_clean_again_to_the_same_paragraphs(real_seeds: Path) -> None:
    for path in sorted(real_seeds.glob("*.txt")):
        first = clean_text(path.read_text(encoding="utf-8"))
        again = clean_text("\n\n".join(first.paragraphs), title=first.title)
        assert again.paragraphs == first.paragraphs, path.name


# --- single rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Advertisement", "drop"),
        ("— ADVERTISEMENT —", "drop"),
        ("  • share", "drop"),
        ("loading…", "drop"),
        ("Story continues below", "drop"),
        ("Read: Pompeo Welcomes Rejection Of Maritime Claims", "drop"),
        ("Also Read | Five things to know about the vote", "drop"),
        ("Baca: Revenge, China Blocks Visas", "drop"),
        ("Watch: The moment the bridge came down", "drop"),
        ("Follow: Google News Icon", "drop"),
        ("Follow us on Twitter for the latest updates", "drop"),
        ("Subscribe to our newsletter", "drop"),
        ("Enter your email address:", "drop"),
        ("Click here to download the report", "drop"),
        ("Download the all-new Republic app:", "drop"),
        ("1 / 12", "drop"),
        ("5 min read", "drop"),
        ("Tags: Riverton, budget, transit", "drop"),
        ("Disclaimer: This post has been auto-published from an agency feed.", "drop"),
        ("We use cookies to give you the best experience on our website.", "drop"),
        ("Asia-Pacific, News, US No Comments on US, Japan agree to talks", "drop"),
        ("null | Image: self", "caption"),
        ("File photo of the harbour at dawn", "caption"),
        ("Riders wait at the transfer center. Photo: Metro Daily / K. Lund", "caption"),
        ("Traders watch screens in Tokyo. REUTERS/Kim Min", "caption"),
        ("Related Articles", "related"),
        ("International Realted Stories", "related"),
        ("More from Region", "related"),
        ("You may also like", "related"),
        ("Copyright © 2014-2025 IRIA - International Relations Insights & Analysis", "end"),
        ("© The Harbour Courier. All rights reserved.", "end"),
        ("3 thoughts on “Library extends weekend opening hours”", "end"),
        ("The advertisement ran for a week before the council asked for it to come down.", "body"),
        ("Readers who wrote in said they would read the report before the vote on Friday.", "body"),
        ("Share prices fell by a third after the company warned on profits.", "body"),
        ("Follow the money, the auditor told the committee on Tuesday afternoon.", "body"),
        ("There were no comments on the proposal from the ministry by Friday.", "body"),
        ("Reaffirming the US and Japan’s alliance", "body"),
        ("More on the Indo-Pacific strategy", "related"),
    ],
)
def test_line_kind(line: str, kind: str) -> None:
    assert line_kind(" ".join(line.split())) == kind


@pytest.mark.parametrize(
    ("line", "row"),
    [
        ("Share  |  Tweet  |  WhatsApp  |  Email", True),
        ("HOME | NEWS | SPORTS | OBITUARIES | CLASSIFIEDS", True),
        ("News  Business  Politics  Sport  Wire Photos", True),
        ("Region  ›  Riverton", True),
        ("Share this article:   f   x   in   ✉", True),
        ("By ANI | Updated: May 4, 2021 07:45 IST", False),
        ("The vote was 5-4 | a narrow margin | after a long night of debate", False),
        ("Officials met  on Monday.", False),
    ],
)
def test_widget_rows(line: str, row: bool) -> None:
    assert is_widget_row(line) is row


@pytest.mark.parametrize(
    ("paragraph", "dateline", "rest", "wire"),
    [
        ("Tokyo, Oct 6 (efe-epa).- The United States", "Tokyo, Oct 6 (efe-epa)", "The", "EFE-EPA"),
        ("WASHINGTON – Top national security officials", "WASHINGTON", "Top", None),
        ("WASHINGTON (AP) — The Senate passed", "WASHINGTON (AP)", "The", "AP"),
        ("LONDON, Jan 5 (Reuters) - Shares fell", "LONDON, Jan 5 (Reuters)", "Shares", "Reuters"),
        (
            "New Delhi [India], May 4 (ANI): US Secretary",
            "New Delhi [India], May 4 (ANI)",
            "US",
            "ANI",
        ),
        ("BEIJING, Sept. 3 (Xinhua) -- China's", "BEIJING, Sept. 3 (Xinhua)", "China's", "Xinhua"),
        ("KYIV, Ukraine (AP) — Russian forces", "KYIV, Ukraine (AP)", "Russian", "AP"),
        ("PORT ALDER, Oct. 25 — A physics teacher", "PORT ALDER, Oct. 25", "A", None),
    ],
)
def test_datelines(paragraph: str, dateline: str, rest: str, wire: str | None) -> None:
    found = split_dateline(paragraph)
    assert found is not None
    assert (found.dateline, found.rest.split()[0], found.wire) == (dateline, rest, wire)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Officials – who asked not to be named – said the talks had stalled.",
        "US Secretary of State Mike Pompeo met Shigeru Kitamura on Friday.",
        "BREAKING: The council has resigned.",
        "Tokyo is the largest city in Japan.",
    ],
)
def test_no_dateline(paragraph: str) -> None:
    assert split_dateline(paragraph) is None


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("Published 08:09 IST, September 26th 2020", True),
        ("08:09 IST, September 26th 2020", True),
        ("Updated: Oct 7, 2026 07:55 ET", True),
        ("Updated Wednesday 7:40 a.m.", True),
        ("October 20, 2026 at 2:55 pm", True),
        ("07/10/2026 10:20", True),
        ("Last updated on: November 11, 2011 19:04 IST", True),
        ("2021-05-04T07:45:00+05:30", True),
        ("May 4", True),
        ("Route 14", False),
        ("May the best team win", False),
        ("The vote is on May 4, 2021 at the town hall", False),
        ("2 of 12", False),
    ],
)
def test_date_stamps(line: str, stamp: bool) -> None:
    assert is_date_stamp(line) is stamp


@pytest.mark.parametrize(
    ("line", "name", "wire"),
    [
        ("By ANI", "ANI", "ANI"),
        ("Reported by: Shubham Bose", "Shubham Bose", None),
        ("By Ines Grady, Courier staff", "Ines Grady", None),
        ("By Jane Roe, Associated Press", "Jane Roe", "AP"),
        ("By The Associated Press", "The Associated Press", "AP"),
        ("By Continental Press Agency", "Continental Press Agency", "Continental Press Agency"),
        ("By May Chen", "May Chen", None),
    ],
)
def test_bylines(line: str, name: str, wire: str | None) -> None:
    found = read_byline(line)
    assert found is not None
    assert (found.name, found.wire) == (name, wire)


@pytest.mark.parametrize("line", ["By Monday", "By the time the vote came", "Bypass reopens"])
def test_not_bylines(line: str) -> None:
    assert read_byline(line) is None


@pytest.mark.parametrize(
    ("line", "wire", "outlet"),
    [
        ("(With ANI inputs, Image: ANI)", "ANI", None),
        ("( With inputs from ANI )", "ANI", None),
        ("With inputs from PTI and Reuters", "PTI", None),
        ("Source: Xinhua", "Xinhua", None),
        ("EFE-EPA", "EFE-EPA", None),
        ("Download the all-new Republic app:", None, "Republic"),
        ("Get the Northline News app — read offline, anywhere", None, "Northline News"),
        ("Copyright © 2014-2025 IRIA - International Relations Insights & Analysis", None, "IRIA"),
        ("© 2026 Metro Daily Wire. All rights reserved.", None, "Metro Daily Wire"),
        ("The post Ferry fares rise appeared first on Lakeside Gazette.", None, "Lakeside Gazette"),
    ],
)
def test_markers(line: str, wire: str | None, outlet: str | None) -> None:
    marker = read_marker(line)
    assert marker is not None
    assert (marker.wire, marker.outlet) == (wire, outlet)


def test_credit_line_may_carry_short_cells() -> None:
    marker = read_marker("By Jane Roe | Updated May 4, 2021 | 5 min read")
    assert marker is not None
    assert (marker.byline, marker.stamp) == ("Jane Roe", True)
    assert read_marker("May 4 | The long night the council voted on the harbour") is None


def test_prose_is_no_marker() -> None:
    assert read_marker("By Monday, officials had counted 4,000 votes in the district.") is None
    assert read_marker("Reuters reported the deal on Friday, citing two sources.") is None
    assert read_marker("With input from residents, the council drafted a plan for it.") is None


@pytest.mark.parametrize(
    ("paragraph", "rest", "wire"),
    [
        ("Tested positive for the virus. EFE-EPA", "Tested positive for the virus.", "EFE-EPA"),
        ("The talks ended. — Reuters", "The talks ended.", "Reuters"),
        ("The talks ended. (AFP)", "The talks ended.", "AFP"),
        ("The talks ended. EFE-EPA (esn)", "The talks ended.", "EFE-EPA"),
        ("The talks ended. (ra/ee)", "The talks ended.", None),
        ("The talks ended, AFP reported.", "The talks ended, AFP reported.", None),
        ("TE David Thomas (knee)", "TE David Thomas (knee)", None),
    ],
)
def test_sign_offs(paragraph: str, rest: str, wire: str | None) -> None:
    assert strip_sign_off(paragraph) == (rest, wire)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("efe-epa", "EFE-EPA"),
        ("Associated Press", "AP"),
        ("Press Trust of India", "PTI"),
        ("CPA", "CPA"),
        ("agencies", None),
        ("Jane Roe", None),
    ],
)
def test_agency_names(name: str, canonical: str | None) -> None:
    assert canonical_agency(name) == canonical


def test_photo_credit_cut_from_headline() -> None:
    headline = "US-Japan Will Strengthen Alliance to Face North Korea. PHOTO/Reuters"
    assert strip_photo_credit(headline) == "US-Japan Will Strengthen Alliance to Face North Korea"
    assert strip_photo_credit("A topic: Something") == "A topic: Something"


def test_headline_is_the_one_the_story_is_about() -> None:
    header = [
        "Eastbank Gazette",
        "Your neighbourhood, your news today",
        "Ferry strike halts Gull Island sailings for a day",
    ]
    opening = ["Ferry workers walked off the job, halting all sailings to Gull Island."]
    assert pick_headline(header, opening) == 2


def test_headline_printed_twice_wins() -> None:
    header = [
        "Mayor quits as ethics inquiry widens",
        "Mayor quits as ethics inquiry widens",
        "Deputy takes over a week after the battery plant win",
    ]
    assert pick_headline(header, ["The deputy takes over after the battery plant win."]) == 0


def test_page_title_loses_the_outlet_name() -> None:
    cleaned = clean_text(
        "Storm knocks out power along the coast | The Coastal Observer\n\n"
        "Gusts of up to 110 km/h brought down power lines overnight, officials said.\n\n"
        "© 2024 The Coastal Observer. All rights reserved."
    )
    assert (cleaned.title, cleaned.outlet) == (
        "Storm knocks out power along the coast",
        "The Coastal Observer",
    )


def test_given_title_is_used_and_not_hunted() -> None:
    cleaned = clean_text(
        "Weather desk\n\nHeavy snow closes mountain passes\n\n"
        "Snow closed three mountain passes on Monday, police said.",
        title="  Snow shuts  passes ",
    )
    assert cleaned.title == "Snow shuts passes"
    assert "Heavy snow closes mountain passes" in cleaned.paragraphs


def test_title_that_is_a_sentence_keeps_the_lead() -> None:
    lead = "The parliament election is over in the capital, officials said on Monday."
    assert clean_text(lead + "\n\nTurnout was low.", title=lead).paragraphs[0] == lead


def test_text_that_is_only_its_headline_keeps_it() -> None:
    headline = "Robbers steal jewels worth millions from Paris store"
    assert clean_text(headline, title=headline).paragraphs == (headline,)


def test_one_long_line_and_blank_input() -> None:
    assert clean_text("") == CleanedText(None, None, None, None, None, (), ())
    assert clean_text(" \n\t\n ").paragraphs == ()
    long_line = "word " * 20_000
    assert clean_text(long_line).paragraphs == (long_line.strip(),)


def test_control_characters_are_removed() -> None:
    cleaned = clean_text("The council\x00 met\u200b on Monday\u00ad.\x07\r\nIt voted.")
    assert cleaned.paragraphs == ("The council met on Monday.", "It voted.")


# --- properties --------------------------------------------------------------------


def _squash(text: str) -> str:
    """Text without whitespace or control and format characters, for order checks."""
    return "".join(
        char for char in text if not char.isspace() and unicodedata.category(char)[0] != "C"
    )


# Lines a scraped page is made of: furniture, credits, headlines, prose.
PAGE_LINES = st.sampled_from(
    [
        "Advertisement",
        "Read: Something else entirely",
        "By ANI | Updated: May 4, 2021 07:45 IST",
        "Reported by: Jane Roe",
        "WASHINGTON (AP) — Officials said on Monday that the plan would go ahead as announced.",
        "Related Stories",
        "Teaser headline about other things",
        "© 2021 The Herald. All rights reserved.",
        "The council voted 7-2 on Tuesday to approve the budget, officials said.",
        "  • share",
        "City",
        "Japan and US agree to step up cooperation",
        "EFE-EPA",
        "(esn)",
        "Photo: Jane Roe",
        "Share  |  Tweet  |  Email",
        "It was a long day for everyone who had waited since dawn.",
        "Tags: budget, council",
        "loading…",
        "",
    ]
)
ANY_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(PAGE_LINES, st.text(max_size=40)), max_size=30).map("\n".join),
)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT, st.one_of(st.none(), st.text(max_size=30)))
def test_never_raises_and_never_invents_text(text: str, title: str | None) -> None:
    cleaned = clean_text(text, title=title)
    source = _squash(text)
    for paragraph in cleaned.paragraphs:
        assert paragraph == " ".join(paragraph.split()) and paragraph
        assert _squash(paragraph) in source
    for line in (*cleaned.date_lines, cleaned.dateline, cleaned.byline, cleaned.outlet):
        assert line is None or _squash(line) in source
    if title is None and cleaned.title is not None:
        assert _squash(cleaned.title) in source


@settings(max_examples=200, deadline=None)
@given(st.lists(PAGE_LINES, max_size=25), st.sampled_from(["\n", "\n\n"]))
def test_cleaning_is_idempotent_on_pages(lines: list[str], separator: str) -> None:
    first = clean_text(separator.join(lines))
    again = clean_text("\n\n".join(first.paragraphs), title=first.title)
    assert again.paragraphs == first.paragraphs


@settings(max_examples=500)
@given(st.text(st.sampled_from(" a\u00a0\t\u200b\u2028x.") | st.characters()))
def test_a_normalised_line_keeps_its_words_one_space_apart(line: str) -> None:
    normal = normalise_line(line)
    assert normal == " ".join(normal.split())
    assert normal.isprintable() or not line.isprintable()
    if line.isprintable():
        assert normal.split() == line.split()
