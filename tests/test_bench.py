"""The benchmark's corpus generator and report arithmetic (no timings are tested)."""

from __future__ import annotations

import csv
import json
import math
import random
import re
import statistics
import string
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bench import corpus
from bench.corpus import (
    FIRST_DAY,
    MAX_WORDS,
    MIN_WORDS,
    SPAN_DAYS,
    ensure_corpus,
    event_slots,
    generate,
    plural,
    with_article,
    write_corpus,
)
from bench.furniture import export_text
from bench.report import (
    Row,
    SizeRun,
    exponent,
    growth,
    json_report,
    rest_share,
    runs_from_json,
    targets,
)
from bench.stages import bench_settings, read_all
from bench.vocabulary import CONTEXT, LOOSE_FORMS, PREDICATES, SUBJECTS, TOPICS
from digest.model import RawInput

SMALL = 30


def _pages(n: int) -> list[str]:
    return [article.page() for article in generate(n)]


def test_same_size_gives_the_same_articles_twice() -> None:
    first, second = list(generate(SMALL)), list(generate(SMALL))
    assert [a.page() for a in first] == [a.page() for a in second]
    assert [a.record() for a in first] == [a.record() for a in second]


def test_a_smaller_corpus_is_the_start_of_a_larger_one() -> None:
    assert _pages(SMALL) == _pages(SMALL + 20)[:SMALL]


def test_articles_are_news_length_and_carry_page_furniture() -> None:
    articles = list(generate(SMALL))
    assert len(articles) == SMALL
    assert len({a.id for a in articles}) == SMALL
    for article in articles:
        assert MIN_WORDS <= article.words <= MAX_WORDS, article.id
        page = article.page()
        assert article.title in page
        assert article.outlet.style.footer in page
        assert (
            FIRST_DAY
            <= article.published.date()
            < date.fromordinal(FIRST_DAY.toordinal() + SPAN_DAYS + 3)
        )


def test_agency_copies_and_multi_outlet_events_are_present() -> None:
    articles = list(generate(SMALL))
    by_id = {a.id: a for a in articles}
    copies = [a for a in articles if a.copy_of is not None]
    assert copies
    for copy in copies:
        original = by_id[copy.copy_of or ""]
        assert original.outlet.agency is not None
        assert copy.outlet.style.name != original.outlet.style.name
        assert copy.title != original.title
        # The copy keeps the agency's sentences after its dateline.
        assert original.paragraphs[1] in copy.paragraphs
    outlets_per_event = Counter(a.event for a in articles if a.copy_of is None)
    assert max(outlets_per_event.values()) >= 2


def test_copy_share_is_near_fifteen_percent() -> None:
    articles = list(generate(2_000))
    share = sum(a.copy_of is not None for a in articles) / len(articles)
    assert 0.12 <= share <= 0.18


def _slot_names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_template_slot_is_filled_by_its_event() -> None:
    for topic in TOPICS:
        slots = event_slots(random.Random(1), topic, FIRST_DAY)
        templates = [*topic.headlines, *topic.leads, *topic.quotes, *SUBJECTS, *PREDICATES]
        templates += [form for forms in topic.facts for form in forms]
        templates += list(CONTEXT)
        for template in templates:
            missing = _slot_names(template) - slots.keys()
            assert not missing, (topic.key, template, missing)


def test_loose_grammar_slots_are_all_supplied() -> None:
    supplied = {
        *("adj", "adj2", "an_adj2", "An_adj", "noun", "noun2", "noun3", "noun_pl", "noun2_pl"),
        *("verb", "verb2", "prep", "prep_cap", "name", "an_occupation", "district", "place"),
        *("reporting", "count", "year", "season"),
    }
    for form in LOOSE_FORMS:
        assert _slot_names(form) <= supplied, form


@pytest.mark.parametrize(
    ("noun", "expected"),
    [("bus", "buses"), ("charity", "charities"), ("valley", "valleys"), ("tower", "towers")],
)
def test_plural(noun: str, expected: str) -> None:
    assert plural(noun) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("ageing", "an ageing"), ("useful", "a useful"), ("urban", "an urban"), ("big", "a big")],
)
def test_with_article(word: str, expected: str) -> None:
    assert with_article(word) == expected


@pytest.mark.parametrize("fmt", ["txt", "jsonl", "html"])
def test_written_corpus_is_byte_identical_and_labelled(tmp_path: Path, fmt: str) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    info = write_corpus(fmt, SMALL, first)
    write_corpus(fmt, SMALL, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative
    with (first / "labels.csv").open(encoding="utf-8") as handle:
        labels = list(csv.DictReader(handle))
    assert len(labels) == info.articles == SMALL
    assert info.bytes == sum(p.stat().st_size for p in corpus.article_files(first))
    if fmt == "jsonl":
        records = [
            json.loads(line)
            for path in corpus.article_files(first)
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        assert {r["id"] for r in records} == {row["article"] for row in labels}
        assert all(r["text"] and r["published"] and r["source"] for r in records)
    else:
        assert all((first / row["article"]).is_file() for row in labels)


# Enough web pages to meet every outlet template a few times, few enough to extract in a second.
HTML_PAGES = 40
# Extraction may miss on an odd page; the corpus is of no use if it misses on more.
HTML_FLOOR = 0.9
FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s")


def test_web_pages_are_stable_and_give_back_their_headline_and_lead(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    write_corpus("html", HTML_PAGES, first)
    write_corpus("html", HTML_PAGES, second)
    pages = corpus.article_files(first)
    assert len(pages) == HTML_PAGES
    assert [p.relative_to(first) for p in pages] == [
        p.relative_to(second) for p in corpus.article_files(second)
    ]
    for page in pages:
        assert page.read_bytes() == (second / page.relative_to(first)).read_bytes(), page
    with (first / "labels.csv").open(encoding="utf-8") as handle:
        assert all((first / row["article"]).is_file() for row in csv.DictReader(handle))

    items = list(read_all(first, bench_settings()))
    assert all(isinstance(item, RawInput) for item in items), items
    read = {Path(item.origin).stem: item for item in items if isinstance(item, RawInput)}
    assert len(read) == HTML_PAGES
    articles = list(generate(HTML_PAGES))
    titled = sum(read[a.id].title == a.title for a in articles)
    leads = sum(FIRST_SENTENCE.split(a.paragraphs[0], 1)[0] in read[a.id].text for a in articles)
    assert titled >= HTML_FLOOR * HTML_PAGES
    assert leads >= HTML_FLOOR * HTML_PAGES


# The median weight of the HTML evaluation pages (bench/html_eval.py reads them), and how
# far the generated pages' median may stray from it: extraction time grows with weight.
REAL_MEDIAN_BYTES = 135_000
WEIGHT_TOLERANCE = 0.25


def test_web_pages_weigh_about_as_much_as_real_news_pages() -> None:
    sizes = [len(a.web_page().encode("utf-8")) for a in generate(HTML_PAGES)]
    low, median, high = statistics.quantiles(sizes, n=4)
    assert median == pytest.approx(REAL_MEDIAN_BYTES, rel=WEIGHT_TOLERANCE)
    # Outlets run light and heavy templates, as news sites do.
    assert high >= 1.5 * low


def test_template_around_web_pages_stays_out_of_the_text_read_back(tmp_path: Path) -> None:
    write_corpus("html", HTML_PAGES, tmp_path)
    items = read_all(tmp_path, bench_settings())
    read = {Path(item.origin).stem: item for item in items if isinstance(item, RawInput)}
    for article in generate(HTML_PAGES):
        style = article.outlet.style
        allowed = {
            *article.title.split(),
            *export_text(article.paragraphs, style, article.dressing).split(),
            # The kicker above the headline names the section.
            *style.section.split(),
        }
        extra = set(read[article.id].text.split()) - allowed
        assert not extra, (article.id, sorted(extra)[:10])


def test_cached_corpus_is_reused_until_the_generator_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = ensure_corpus("txt", SMALL, tmp_path)
    marker = made.path / "kept.marker"
    marker.write_text("still here", encoding="utf-8")
    assert ensure_corpus("txt", SMALL, tmp_path).path == made.path
    assert marker.exists()
    monkeypatch.setattr(corpus, "GENERATOR_VERSION", corpus.GENERATOR_VERSION + 1)
    remade = ensure_corpus("txt", SMALL, tmp_path)
    assert not marker.exists()
    assert remade.articles == SMALL


def test_growth_exponent() -> None:
    assert exponent(1.0, 1_000, 10.0, 10_000) == pytest.approx(1.0)
    assert exponent(1.0, 1_000, 100.0, 10_000) == pytest.approx(2.0)
    assert exponent(0.0, 1_000, 1.0, 10_000) is None


def _run(size: int, seconds: float, stories: float, rss: int) -> SizeRun:
    return SizeRun(
        format="txt",
        articles=size,
        bytes=size * 5_000,
        copies=0,
        events=0,
        floor_seconds=seconds / 10,
        floor_tokens=0,
        stages=(Row("stories", stories, 1),),
        stages_max_rss_bytes=rss,
        end_to_end=Row("end to end", seconds, 1),
        end_to_end_floor_seconds=seconds / 10,
        end_to_end_max_rss_bytes=rss,
    )


def test_targets_pass_miss_and_not_run() -> None:
    runs = [
        _run(10_000, 5.0, 1.0, 200 << 20),
        _run(100_000, 80.0, 20.0, 1_500 << 20),
    ]
    verdicts = {t.goal.rsplit(", ", 1)[0]: t.verdict for t in targets(runs, ["txt"])}
    assert verdicts["end to end >= 1,000 articles/s at 10k"] == "PASS"
    assert verdicts["stories growth exponent <= 1.2 from 10k to 100k"] == "MISS"
    assert verdicts["peak memory <= 1 GiB at 100k"] == "MISS"
    assert verdicts["peak memory grows linearly (exponent <= 1.1)"] == "PASS"
    assert verdicts["incremental run, 1% newest articles, <= 10% of a full run"] == "not run"
    # Twenty times the time for ten times the articles.
    assert growth(runs, "txt")["10000-100000"]["stories"] == pytest.approx(math.log10(20.0))


def test_json_report_reads_back_into_the_same_runs() -> None:
    runs = [_run(10_000, 5.0, 1.0, 200 << 20), _run(100_000, 80.0, 20.0, 1_500 << 20)]
    written = json.loads(json.dumps(json_report(runs, ["txt"], {"code": "test"})))
    assert runs_from_json(written) == runs


def _html_run(size: int, read: float, rest: float) -> SizeRun:
    """A web-page run whose stages after reading take ``rest`` seconds in all."""
    parts = {"clean": 0.2, "dates": 0.1, "sentences": 0.1, "stories": 0.3, "summaries": 0.1}
    parts |= {"briefs": 0.05, "render": 0.1, "write": 0.05}
    scale = rest / sum(parts.values())
    stages = (
        Row("read", read, size),
        *(Row(name, share * scale, size) for name, share in parts.items()),
        # Composed or nested work that the rows above already count.
        Row("prepare", 100.0, size),
        Row("sketches", 100.0, size),
    )
    return SizeRun(
        format="html",
        articles=size,
        bytes=size * 20_000,
        copies=0,
        events=0,
        floor_seconds=0.1,
        floor_tokens=0,
        stages=stages,
        stages_max_rss_bytes=1,
        end_to_end=Row("end to end", read + rest, 1),
        end_to_end_floor_seconds=0.1,
        end_to_end_max_rss_bytes=1,
    )


def test_rest_share_counts_each_stage_once_and_judges_the_largest_html_run() -> None:
    split = rest_share(_html_run(1_000, 8.0, 2.0))
    assert split is not None
    assert split.read_seconds == pytest.approx(8.0)
    assert split.rest_seconds == pytest.approx(2.0)
    assert split.share == pytest.approx(0.2)

    def verdict(runs: list[SizeRun]) -> tuple[str, str]:
        [target] = [t for t in targets(runs, ["html"]) if t.goal.startswith("rest of")]
        return target.measured, target.verdict

    assert verdict([_html_run(1_000, 9.0, 1.0)]) == ("10.0% at 1,000", "PASS")
    assert verdict([_html_run(1_000, 9.0, 1.0), _html_run(10_000, 7.0, 3.0)]) == (
        "30.0% at 10,000",
        "MISS",
    )
    assert verdict([_run(10_000, 5.0, 1.0, 1)]) == ("-", "not run")


def test_rest_share_is_in_the_json_report_and_survives_reading_back() -> None:
    runs = [_html_run(1_000, 9.0, 1.0)]
    written = json.loads(json.dumps(json_report(runs, ["html"], {"code": "test"})))
    assert written["rest_shares"] == [
        {
            "format": "html",
            "articles": 1_000,
            "read_seconds": 9.0,
            "rest_seconds": pytest.approx(1.0),
            "share": 0.1,
        }
    ]
    assert runs_from_json(written) == runs
