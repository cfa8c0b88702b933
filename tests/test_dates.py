"""Dating articles: case files, the real seeds, each rule, and robustness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest.dates import ArticleDates, date_article
from digest.model import Problem

CASES = Path(__file__).resolve().parent / "cases" / "dates"
CASE_NAMES = sorted(path.stem for path in CASES.glob("*.input"))
REFERENCE = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class DateCase:
    """The inputs of ``date_article`` as a case file writes them."""

    date_lines: tuple[str, ...]
    dateline: str | None
    paragraphs: tuple[str, ...]
    stated_published: str | None
    reference: datetime
    tz: ZoneInfo

    def run(self) -> ArticleDates:
        return date_article(
            date_lines=self.date_lines,
            dateline=self.dateline,
            paragraphs=self.paragraphs,
            stated_published=self.stated_published,
            reference=self.reference,
            tz=self.tz,
        )


def _read_case(text: str) -> DateCase:
    """Header lines ``key: value``, a blank line, then paragraphs split by blank lines."""
    header, _, body = text.partition("\n\n")
    fields: dict[str, list[str]] = {}
    for line in header.splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value)
    return DateCase(
        date_lines=tuple(fields.get("date line", [])),
        dateline=fields.get("dateline", [None])[0],
        paragraphs=tuple(p.strip() for p in body.split("\n\n") if p.strip()),
        stated_published=fields.get("stated", [None])[0],
        reference=datetime.fromisoformat(fields["reference"][0]),
        tz=ZoneInfo(fields["tz"][0]),
    )


def _check(result: ArticleDates, expected: str) -> None:
    """Compare with ``published:``/``event:``/``uncertain:`` lines and ``evidence has:`` lines."""
    for line in expected.splitlines():
        key, _, value = line.partition(": ")
        if key == "published":
            want = None if value == "none" else datetime.fromisoformat(value)
            assert result.published == want, result
            if want is not None and result.published is not None:
                assert result.published.utcoffset() == want.utcoffset(), result
        elif key == "event":
            assert result.event == (None if value == "none" else date.fromisoformat(value)), result
        elif key == "uncertain":
            assert result.uncertain is (value == "true"), result
        elif key == "evidence has":
            assert value in result.evidence, result
        else:
            pytest.fail(f"unknown expectation {line!r}")


@pytest.mark.parametrize("name", CASE_NAMES)
def test_date_case(name: str) -> None:
    case = _read_case((CASES / f"{name}.input").read_text(encoding="utf-8"))
    _check(case.run(), (CASES / f"{name}.expected").read_text(encoding="utf-8"))


def test_there_are_case_files() -> None:
    assert len(CASE_NAMES) >= 20


# --- the real seeds ---------------------------------------------------------------


def _lines(seeds: Path, number: str) -> list[str]:
    """A seed's non-blank lines, stripped: a stand-in for the cleaner's paragraphs."""
    text = next(seeds.glob(f"{number}_*.txt")).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _from(lines: list[str], first_words: str) -> list[str]:
    """The lines from the one that starts with ``first_words`` on: the body."""
    start = next(i for i, line in enumerate(lines) if line.startswith(first_words))
    return lines[start:]


def test_seed_000_publication_line_and_weekday_paired_event(real_seeds: Path) -> None:
    lines = _lines(real_seeds, "000")
    dates = date_article(
        date_lines=[line for line in lines if line.endswith("September 26th 2020")],
        dateline=None,
        paragraphs=_from(lines, "US Secretary of State Mike Pompeo"),
        stated_published=None,
        reference=REFERENCE,
        tz=UTC,
    )
    assert dates.published == datetime(2020, 9, 26, 8, 9, tzinfo=timezone(timedelta(hours=5.5)))
    assert dates.event == date(2020, 9, 25)
    assert not dates.uncertain


def test_seed_001_dateline_without_year_is_uncertain(real_seeds: Path) -> None:
    lines = _lines(real_seeds, "001")
    body = _from(lines, "Tokyo, Oct 6")
    lead = body[0].split(").- ", 1)[1]
    dates = date_article(
        date_lines=[],
        dateline="Tokyo, Oct 6 (efe-epa)",
        paragraphs=[lead, *body[1:]],
        stated_published=None,
        reference=REFERENCE,
        tz=UTC,
    )
    assert dates.event == date(2026, 10, 6)  # a Tuesday, as the lead says
    assert dates.uncertain


def test_seed_002_event_never_from_copyright_years(real_seeds: Path) -> None:
    lines = _lines(real_seeds, "002")
    dates = date_article(
        date_lines=[line for line in lines if "Copyright" in line],
        dateline=None,
        paragraphs=lines,
        stated_published=None,
        reference=REFERENCE,
        tz=UTC,
    )
    assert dates.published is None
    assert dates.event is not None
    assert (dates.event.month, dates.event.day) == (12, 11)
    assert dates.event <= REFERENCE.date()
    assert dates.uncertain


def test_seed_003_monday_before_a_tuesday_publication(real_seeds: Path) -> None:
    lines = _lines(real_seeds, "003")
    dates = date_article(
        date_lines=[line for line in lines if "Updated:" in line],
        dateline=None,
        paragraphs=_from(lines, "US Secretary of State Antony Blinken"),
        stated_published=None,
        reference=REFERENCE,
        tz=UTC,
    )
    assert dates.published == datetime(2021, 5, 4, 7, 45, tzinfo=timezone(timedelta(hours=5.5)))
    assert dates.event == date(2021, 5, 3)
    assert not dates.uncertain


def test_seed_004_weekday_and_day_first_numeric_date(real_seeds: Path) -> None:
    lines = _lines(real_seeds, "004")
    dates = date_article(
        date_lines=[],
        dateline="WASHINGTON",
        paragraphs=lines,
        stated_published=None,
        reference=REFERENCE,
        tz=UTC,
    )
    assert dates.event == date(2023, 1, 11)


# --- single rules -------------------------------------------------------------------


def _published_from_line(line: str, tz: ZoneInfo | timezone = UTC) -> datetime | None:
    result = date_article(
        date_lines=[line],
        dateline=None,
        paragraphs=[],
        stated_published=None,
        reference=REFERENCE,
        tz=tz,
    )
    return result.published


@pytest.mark.parametrize(
    ("zone", "hours"),
    [
        ("IST", 5.5),
        ("EST", -5),
        ("EDT", -4),
        ("CST", -6),
        ("CDT", -5),
        ("MST", -7),
        ("MDT", -6),
        ("PST", -8),
        ("PDT", -7),
        ("GMT", 0),
        ("UTC", 0),
        ("BST", 1),
        ("CET", 1),
        ("CEST", 2),
        ("EET", 2),
        ("EEST", 3),
        ("JST", 9),
        ("KST", 9),
        ("HKT", 8),
        ("SGT", 8),
        ("AEST", 10),
        ("AEDT", 11),
        ("WIB", 7),
        ("PKT", 5),
        ("+0530", 5.5),
        ("+05:30", 5.5),
        ("GMT+8", 8),
        ("UTC-4", -4),
    ],
)
def test_zone_after_a_time(zone: str, hours: float) -> None:
    published = _published_from_line(f"Published: September 26, 2020 08:09 {zone}")
    assert published is not None
    assert published.utcoffset() == timedelta(hours=hours)
    assert (published.hour, published.minute) == (8, 9)


@pytest.mark.parametrize(
    ("zone", "summer", "winter"),
    [("ET", -4, -5), ("CT", -5, -6), ("MT", -6, -7), ("PT", -7, -8)],
)
def test_us_zone_names_follow_daylight_saving(zone: str, summer: int, winter: int) -> None:
    july = _published_from_line(f"July 1, 2021 9:00 a.m. {zone}")
    january = _published_from_line(f"January 4, 2021 9:00 a.m. {zone}")
    assert july is not None and january is not None
    assert july.utcoffset() == timedelta(hours=summer)
    assert january.utcoffset() == timedelta(hours=winter)


def test_a_time_without_a_zone_is_in_the_configured_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    published = _published_from_line("Updated September 26, 2020 08:09", tz=tokyo)
    assert published == datetime(2020, 9, 26, 8, 9, tzinfo=tokyo)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published 08:09 IST, September 26th 2020", date(2020, 9, 26)),
        ("Updated: May 4, 2021 07:45 IST", date(2021, 5, 4)),
        ("September 26, 2020", date(2020, 9, 26)),
        ("26 September 2020", date(2020, 9, 26)),
        ("Sept. 26, 2020", date(2020, 9, 26)),
        ("2020-09-26", date(2020, 9, 26)),
        ("26-Sep-2020 08:09", date(2020, 9, 26)),
        ("Last Updated : 26th September, 2020 08:09 IST", date(2020, 9, 26)),
        ("2020-09-26T08:09:00+05:30", date(2020, 9, 26)),
        ("Saturday, 26 September 2020 08:09 GMT", date(2020, 9, 26)),
        ("SEPTEMBER 26, 2020", date(2020, 9, 26)),
        ("26/9/2020", date(2020, 9, 26)),
        ("9/26/2020", date(2020, 9, 26)),
    ],
)
def test_written_forms_of_a_full_date(line: str, expected: date) -> None:
    result = date_article(
        date_lines=[line],
        dateline=None,
        paragraphs=[],
        stated_published=None,
        reference=REFERENCE,
        tz=UTC,
    )
    assert result.published is not None
    assert result.published.date() == expected
    assert not result.uncertain


@pytest.mark.parametrize("line", ["Sep 26", "26th Sep", "Oct 6", "Posted: 3 hours ago"])
def test_year_less_and_relative_date_lines_are_uncertain(line: str) -> None:
    result = date_article(
        date_lines=[line],
        dateline=None,
        paragraphs=[],
        stated_published=None,
        reference=REFERENCE,
        tz=UTC,
    )
    assert result.published is not None
    assert result.published <= REFERENCE
    assert result.uncertain


def test_weekday_pairing_prefers_the_latest_matching_year() -> None:
    # September 25 fell on a Tuesday in 2018, and in no year from 2019 to 2026.
    result = date_article(
        date_lines=[],
        dateline=None,
        paragraphs=["The envoys met on Tuesday, September 25."],
        stated_published=None,
        reference=REFERENCE,
        tz=UTC,
    )
    assert result.event == date(2018, 9, 25)
    assert result.uncertain


def test_a_year_less_date_after_the_reference_goes_back_a_year() -> None:
    result = date_article(
        date_lines=[],
        dateline=None,
        paragraphs=["The summit opened on December 20."],
        stated_published=None,
        reference=REFERENCE,
        tz=UTC,
    )
    assert result.event == date(2025, 12, 20)
    assert result.uncertain


def test_a_year_less_date_takes_the_publication_year_and_is_certain() -> None:
    result = date_article(
        date_lines=[],
        dateline=None,
        paragraphs=["The ministers met on December 30."],
        stated_published="2021-01-03",
        reference=REFERENCE,
        tz=UTC,
    )
    assert result.event == date(2020, 12, 30)
    assert not result.uncertain


def test_evidence_names_the_phrases_used() -> None:
    result = date_article(
        date_lines=["Published 08:09 IST, September 26th 2020"],
        dateline=None,
        paragraphs=["Pompeo met Kitamura on Friday, September 25."],
        stated_published=None,
        reference=REFERENCE,
        tz=UTC,
    )
    assert result.evidence == (
        "published: 'Published 08:09 IST, September 26th 2020'; "
        "event: 'on Friday, September 25' (paragraph 1)"
    )


# --- robustness -------------------------------------------------------------------

# Fragments that look like dates, to push the patterns into odd corners.
_FRAGMENTS = st.sampled_from(
    [
        "on",
        "Friday,",
        "Wednesday (",
        "11/1/2023",
        "31/31/99",
        "29.02.2100",
        "2020-13-45",
        "9999-12-31T23:59:59+14:00",
        "0001-01-01",
        "September",
        "Sept.",
        "31st",
        "2020",
        "08:09",
        "IST",
        "GMT+99",
        "p.m.",
        "ET",
        "3 hours ago",
        "yesterday",
        "last",
        "since",
        "will",
        "©",
        ")",
        ",",
        "\n",
    ]
)
_TEXTS = st.one_of(st.text(max_size=120), st.lists(_FRAGMENTS, max_size=14).map(" ".join))
_ZONES = st.sampled_from([UTC, ZoneInfo("Asia/Kolkata"), ZoneInfo("America/New_York")])
_REFERENCES = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.just(UTC),
)


@given(
    date_lines=st.lists(_TEXTS, max_size=3),
    dateline=st.none() | _TEXTS,
    paragraphs=st.lists(_TEXTS, max_size=4),
    stated=st.none() | _TEXTS,
    reference=_REFERENCES,
    tz=_ZONES,
)
def test_never_raises_and_always_answers_in_shape(
    date_lines: list[str],
    dateline: str | None,
    paragraphs: list[str],
    stated: str | None,
    reference: datetime,
    tz: ZoneInfo,
) -> None:
    result = date_article(
        date_lines=date_lines,
        dateline=dateline,
        paragraphs=paragraphs,
        stated_published=stated,
        reference=reference,
        tz=tz,
    )
    assert result.published is None or result.published.tzinfo is not None
    assert result.evidence
    again = date_article(
        date_lines=date_lines,
        dateline=dateline,
        paragraphs=paragraphs,
        stated_published=stated,
        reference=reference,
        tz=tz,
    )
    assert again == result


_DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


@given(day=_DAYS, style=st.sampled_from(["iso", "us", "uk", "abbreviated", "rfc"]))
def test_a_full_written_date_round_trips(day: date, style: str) -> None:
    moment = datetime(day.year, day.month, day.day, 8, 9, tzinfo=UTC)
    line = {
        "iso": moment.isoformat(),
        "us": f"{moment:%B} {day.day}, {day.year} 08:09 GMT",
        "uk": f"{moment:%A}, {day.day} {moment:%B} {day.year} 08:09 GMT",
        "abbreviated": f"Updated {moment:%b}. {day.day}, {day.year}, 08:09 UTC",
        "rfc": format_datetime(moment),
    }[style]
    for source in ("line", "stated"):
        result = date_article(
            date_lines=[line] if source == "line" else [],
            dateline=None,
            paragraphs=[],
            stated_published=line if source == "stated" else None,
            reference=REFERENCE,
            tz=UTC,
        )
        assert result.published == moment, (line, result)
        assert not result.uncertain


@given(day=_DAYS)
def test_a_year_less_lead_date_is_never_after_the_reference_and_always_uncertain(
    day: date,
) -> None:
    reference = datetime(2026, 11, 25, tzinfo=UTC)
    text = f"The ministers met on {day:%B} {day.day}."
    result = date_article(
        date_lines=[],
        dateline=None,
        paragraphs=[text],
        stated_published=None,
        reference=reference,
        tz=UTC,
    )
    assert result.event is not None
    assert (result.event.month, result.event.day) == (day.month, day.day)
    assert result.event <= reference.date() + timedelta(days=1)
    assert result.uncertain


@given(day=_DAYS)
def test_a_day_above_twelve_always_settles_the_order(day: date) -> None:
    if day.day <= 12:
        day = day.replace(day=day.day + 12)
    for line in (f"{day.day}/{day.month}/{day.year}", f"{day.month}/{day.day}/{day.year}"):
        result = date_article(
            date_lines=[line],
            dateline=None,
            paragraphs=[],
            stated_published=None,
            reference=REFERENCE,
            tz=UTC,
        )
        assert result.published is not None
        assert result.published.date() == day
        assert not result.uncertain


# --- quality gate over the sample corpus -------------------------------------------

SAMPLE = Path(__file__).resolve().parents[1] / "seeds"
# The day each sample story happened (seeds/README.md, "Events").
STORY_DAYS = {
    "riverton-transit-budget-vote": date(2026, 10, 6),
    "port-alder-ferry-strike-24h": date(2026, 10, 7),
    "riverton-transit-fare-vote": date(2026, 10, 9),
    "old-mill-bridge-closure": date(2026, 10, 12),
    "port-alder-ferry-strike-48h": date(2026, 10, 14),
    "hollis-heart-center-opening": date(2026, 10, 15),
    "tellford-flash-flood": date(2026, 10, 20),
    "brightwater-battery-plant": date(2026, 10, 21),
    "port-alder-harbour-marathon": date(2026, 10, 25),
    "calder-junction-mayor-resigns": date(2026, 10, 27),
    "carrow-painting-recovered": date(2026, 10, 29),
    "riverton-library-reopens": date(2026, 10, 31),
}
# Articles whose event day must come out right; raise it, never lower it.
EVENT_DAY_FLOOR = 37


def test_sample_corpus_event_days() -> None:
    """Every sample article, cleaned as the pipeline cleans it, lands on its story's day."""
    clean = pytest.importorskip("digest.clean", reason="the cleaning stage is not in this tree")
    ingest = pytest.importorskip("digest.ingest", reason="the ingest stage is not in this tree")
    if not (SAMPLE / "labels.csv").is_file():
        pytest.skip(f"sample corpus not found at {SAMPLE}")
    rows = (SAMPLE / "labels.csv").read_text(encoding="utf-8").splitlines()[1:]
    story_of = dict(row.split(",", 1) for row in rows)
    right: list[str] = []
    wrong: list[str] = []
    for raw in ingest.read_inputs([SAMPLE]):
        if isinstance(raw, Problem):
            continue
        key = raw.input_id or Path(raw.origin).relative_to(SAMPLE).as_posix()
        if key not in story_of:
            continue
        cleaned = clean.clean_text(raw.text, title=raw.title)
        dates = date_article(
            date_lines=cleaned.date_lines,
            dateline=cleaned.dateline,
            paragraphs=cleaned.paragraphs,
            stated_published=raw.published,
            reference=datetime(2026, 11, 30, 12, tzinfo=UTC),
            tz=ZoneInfo("America/New_York"),
        )
        good = dates.event == STORY_DAYS[story_of[key]]
        (right if good else wrong).append(f"{key}: {dates.event} ({dates.evidence})")
    assert len(right) >= EVENT_DAY_FLOOR, "\n".join(wrong)
