"""Stages: each pipeline stage timed on the same inputs, and the floor beside them.

``run_stages`` reads a corpus once, then runs every stage on the previous
stage's output, timing each on its own: read, clean, dates, sentences, the
composed per-article ``prepare`` (a check that the parts add up), sketches,
stories, summaries, briefs, render and write. ``run_end_to_end`` times
``pipeline.build`` as a user runs it (or over ``jobs`` processes), and
``run_incremental`` a build from the state store after 1% new articles.
For web pages, read includes extracting each article from its page.
``run_floor`` reads the same files and tokenises them with one regex pass:
the fastest a Python pipeline can touch the data, so stage times can be read
as multiples of it on a noisy machine.

With ``traced=True`` each stage's allocation peak (above what was already held
when it started) is measured with ``tracemalloc``; tracing slows Python down
several times, so traced and timed runs are kept apart.
"""

from __future__ import annotations

import gc
import re
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from bench.corpus import article_files
from digest import briefs, pipeline, stories, summarise
from digest.clean import CleanedText, clean_text
from digest.dates import ArticleDates, date_article
from digest.ingest import read_inputs
from digest.memory import StoreMemory
from digest.model import Article, Brief, Cluster, Digest, Problem, RawInput, Site, Story
from digest.sentences import opening_sentences
from digest.settings import BuildSettings
from digest.sketch import NearCopy, near_copies
from digest.store import Store
from digest.write import write_tree

T = TypeVar("T")

# The floor's tokeniser: the cheapest pass that looks at every word.
FLOOR_TOKEN = re.compile(r"\w+")
# The floor is run this many times and the fastest kept: the first run also
# warms the page cache for the stages that follow.
FLOOR_REPEATS = 3
# Every build in the benchmark happens at this moment, after the corpus's six weeks.
BENCH_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
STAGE_NAMES = (
    "read",
    "clean",
    "dates",
    "sentences",
    "prepare",
    "sketches",
    "stories",
    "summaries",
    "briefs",
    "render",
    "write",
)


def bench_settings(jobs: int = 1) -> BuildSettings:
    """The settings of every benchmark build: a fixed clock, weekly briefs, UTC."""
    return BuildSettings(now=BENCH_NOW, site=Site(title="Benchmark digest"), jobs=jobs)


def read_all(corpus: Path, settings: BuildSettings) -> Iterator[RawInput | Problem]:
    """The corpus's inputs read as ``pipeline.load_articles`` reads them.

    The build's reference day bounds the dates web pages may claim, which keeps
    their extraction off the machine's clock, as in a real build.
    """
    return read_inputs([corpus], latest=settings.now.astimezone(settings.tz).date())


@dataclass(frozen=True, slots=True)
class StageTiming:
    """One stage's wall time, what it produced and, when traced, its allocation peak."""

    name: str
    seconds: float
    produced: int
    peak_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class Floor:
    """The floor pass: files read and tokenised, and how long the fastest run took."""

    seconds: float
    files: int
    tokens: int


@dataclass
class _Meter:
    """Times stages one after another, tracing allocations when asked to."""

    traced: bool
    timings: list[StageTiming] = field(default_factory=list)

    def run(
        self, name: str, work: Callable[[], T], produced: Callable[[T], int] | None = None
    ) -> T:
        """Run one stage, recording its time and how many records it produced."""
        gc.collect()
        held = 0
        if self.traced:
            tracemalloc.reset_peak()
            held = tracemalloc.get_traced_memory()[0]
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] - held if self.traced else None
        count = produced(result) if produced else len(result) if isinstance(result, Sized) else 0
        self.timings.append(StageTiming(name, seconds, count, peak))
        return result


def max_rss_bytes() -> int:
    """The process's peak resident memory so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def run_floor(corpus: Path) -> Floor:
    """Read every corpus file and find its words with one regex; the fastest of a few runs."""
    files = article_files(corpus)
    best = float("inf")
    tokens = 0
    for _ in range(FLOOR_REPEATS):
        start = time.perf_counter()
        tokens = 0
        for path in files:
            tokens += len(FLOOR_TOKEN.findall(path.read_bytes().decode("utf-8")))
        best = min(best, time.perf_counter() - start)
    return Floor(best, len(files), tokens)


def _digest_of(
    loaded: pipeline.Loaded,
    made: Sequence[Story],
    grouped: tuple[Brief, ...],
    settings: BuildSettings,
) -> Digest:
    """The Digest ``pipeline.make_digest`` assembles from the same parts, without a store."""
    return Digest(
        site=settings.site,
        generated=max((b.updated for b in grouped), default=settings.now),
        articles=tuple(sorted(loaded.articles, key=lambda a: (a.day, a.id))),
        stories=tuple(sorted(made, key=lambda s: (s.date, s.id))),
        briefs=grouped,
        problems=loaded.problems,
    )


def _clean_all(raws: Sequence[RawInput]) -> list[CleanedText]:
    return [clean_text(r.text, title=r.title) for r in raws]


def _date_all(
    raws: Sequence[RawInput], cleaned: Sequence[CleanedText], settings: BuildSettings
) -> list[ArticleDates]:
    tz = settings.tz
    return [
        date_article(
            date_lines=c.date_lines,
            dateline=c.dateline,
            paragraphs=c.paragraphs,
            stated_published=r.published,
            reference=settings.now,
            tz=tz,
        )
        for r, c in zip(raws, cleaned, strict=True)
    ]


def _sentences_all(cleaned: Sequence[CleanedText]) -> list[tuple[str, ...]]:
    return [opening_sentences(c.paragraphs) for c in cleaned]


def _sketch_all(articles: Sequence[Article]) -> tuple[NearCopy, ...]:
    return near_copies([a.text for a in articles])


def _cluster(
    articles: Sequence[Article], by_id: Mapping[str, Article], settings: BuildSettings
) -> tuple[tuple[Cluster, ...], dict[str, tuple[str, ...]]]:
    """Clusters and storylines: the two calls ``make_digest`` makes of the stories stage."""
    found = stories.clustering(articles, window_days=settings.window_days)
    return found.clusters, stories.link_storylines(found.clusters, by_id, found.lead_terms)


def _summarise_all(
    clusters: Sequence[Cluster],
    storylines: Mapping[str, tuple[str, ...]],
    by_id: Mapping[str, Article],
) -> tuple[Story, ...]:
    return tuple(summarise.summarise(c, by_id, storylines.get(c.id, ())) for c in clusters)


def run_stages(corpus: Path, *, traced: bool = False) -> tuple[StageTiming, ...]:
    """Every stage in turn on the previous one's output, each timed on its own."""
    settings = bench_settings()
    meter = _Meter(traced)
    # Load the sentence model now: a one-off cost per process, not per article.
    opening_sentences(("Loaded once. Then timed.",))
    if traced:
        tracemalloc.start()
    try:
        items: list[RawInput | Problem] = meter.run(
            "read", partial(list, read_all(corpus, settings))
        )
        raws = [item for item in items if isinstance(item, RawInput)]
        cleaned = meter.run("clean", partial(_clean_all, raws))
        meter.run("dates", partial(_date_all, raws, cleaned, settings))
        meter.run("sentences", partial(_sentences_all, cleaned))
        del cleaned, raws
        loaded = meter.run(
            "prepare", partial(pipeline.prepare_all, items, settings), lambda r: len(r.articles)
        )
        del items
        by_id = {a.id: a for a in loaded.articles}
        meter.run("sketches", partial(_sketch_all, loaded.articles))
        clusters, storylines = meter.run(
            "stories", partial(_cluster, loaded.articles, by_id, settings), lambda r: len(r[0])
        )
        made = meter.run("summaries", partial(_summarise_all, clusters, storylines, by_id))
        grouped = meter.run(
            "briefs", partial(briefs.group, made, settings.site.period, settings.tz)
        )
        digest = _digest_of(loaded, made, grouped, settings)
        del clusters, storylines, made, grouped, by_id, loaded
        files = meter.run("render", partial(pipeline.render_all, digest))
        del digest
        with tempfile.TemporaryDirectory(prefix="digest-bench-") as scratch:
            meter.run(
                "write", partial(write_tree, files, Path(scratch) / "out"), lambda _: len(files)
            )
    finally:
        if traced:
            tracemalloc.stop()
    return tuple(meter.timings)


@dataclass(frozen=True, slots=True)
class EndToEnd:
    """One build as a user runs it: wall time, output and peak memory."""

    seconds: float
    jobs: int
    articles: int
    stories: int
    files: int
    max_rss_bytes: int
    # The largest worker process's peak, when articles were prepared over several.
    worker_max_rss_bytes: int


def _build_with_jobs(corpus: Path, out: Path, settings: BuildSettings) -> tuple[Digest, int]:
    """What ``digest build --jobs N`` runs (``pipeline.build`` itself prepares in one process)."""
    loaded = pipeline.load_articles([corpus], settings, jobs=settings.jobs)
    pipeline.check_loaded(loaded, [corpus])
    digest = pipeline.make_digest(loaded, settings)
    return digest, write_tree(pipeline.render_stream(digest), out)


def run_end_to_end(corpus: Path, jobs: int = 1) -> EndToEnd:
    """Time a whole build from the corpus folder into a scratch output folder.

    One job is ``pipeline.build``; more compose the same stages as the command
    line does, preparing articles over ``jobs`` processes.
    """
    settings = bench_settings(jobs)
    scratch = Path(tempfile.mkdtemp(prefix="digest-bench-"))
    try:
        gc.collect()
        start = time.perf_counter()
        if jobs == 1:
            digest, files = pipeline.build([corpus], scratch / "out", settings)
        else:
            digest, files = _build_with_jobs(corpus, scratch / "out", settings)
        seconds = time.perf_counter() - start
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return EndToEnd(
            seconds,
            jobs,
            len(digest.articles),
            len(digest.stories),
            files,
            max_rss_bytes(),
            int(workers if sys.platform == "darwin" else workers * 1024),
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- incremental: a run with the state store after a few new articles arrive -------------

# One input in this many arrives for the second run: 1% new articles.
NEW_EVERY = 100
STORE_SOURCE = "bench corpus"


@dataclass(frozen=True, slots=True)
class Incremental:
    """A full build from the state store, and the next ones after 1% new articles arrive.

    The new articles are the newest 1% (what a day's collection brings) or,
    the worst case, 1% spread over the whole period (late arrivals everywhere).
    """

    full_seconds: float
    incremental_seconds: float
    scattered_seconds: float
    articles: int
    new_articles: int


def _store_build(store: Store, settings: BuildSettings, out: Path) -> float:
    """Digest everything the store keeps, as ``digest build`` with a config does; its time.

    Articles prepared, evidence read and pages rendered by an earlier build
    are reused from the store.
    """
    start = time.perf_counter()
    raws = store.raw_inputs()
    loaded = pipeline.prepare_all(raws, settings, jobs=settings.jobs, cache=store)
    pipeline.check_loaded(loaded, [out])
    digest = pipeline.make_digest(
        loaded, settings, StoreMemory(store, settings.now), store, kept=store
    )
    pipeline.write_outputs(digest, out, reuse=store)
    return time.perf_counter() - start


def _save(store: Store, raws: Sequence[RawInput]) -> None:
    with store.transaction():
        for raw in raws:
            store.save_raw(STORE_SOURCE, raw, BENCH_NOW)


def run_incremental(corpus: Path, jobs: int = 1) -> Incremental:
    """Time a full store build, then the next build after 1% new articles are collected.

    Collecting (saving inputs to the store) is not timed in either run: only
    the build that follows, which is what a faster incremental path would cut.
    """
    settings = bench_settings(jobs)
    raws = [item for item in read_all(corpus, settings) if isinstance(item, RawInput)]
    scratch = Path(tempfile.mkdtemp(prefix="digest-bench-"))
    try:
        with Store.open(scratch / "full.db") as store:
            _save(store, raws)
            full = _store_build(store, settings, scratch / "full")
            by_date = _newest_last(raws, store, settings)
        new = len(raws) // NEW_EVERY
        latest = _next_build(scratch / "latest", settings, raws, by_date[: len(raws) - new])
        spread = [raw for i, raw in enumerate(raws) if i % NEW_EVERY != NEW_EVERY - 1]
        scattered = _next_build(scratch / "scattered", settings, raws, spread)
        return Incremental(full, latest, scattered, len(raws), new)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _newest_last(raws: Sequence[RawInput], store: Store, settings: BuildSettings) -> list[RawInput]:
    """The inputs by their article's day, the newest last (prepared already: from the store)."""
    loaded = pipeline.prepare_all(raws, settings, cache=store)
    day = {article.origin: article.day for article in loaded.articles}
    return sorted(raws, key=lambda raw: (day.get(raw.origin, date.min), raw.origin))


def _next_build(
    folder: Path, settings: BuildSettings, raws: Sequence[RawInput], earlier: Sequence[RawInput]
) -> float:
    """Build the store from ``earlier``, then time the build after the rest of ``raws`` comes."""
    kept = {raw.origin for raw in earlier}
    folder.mkdir()
    with Store.open(folder / "digest.db") as store:
        _save(store, earlier)
        _store_build(store, settings, folder / "out")
        _save(store, [raw for raw in raws if raw.origin not in kept])
        # Into the same folder, as a user's rebuild does: unchanged files are kept.
        return _store_build(store, settings, folder / "out")
