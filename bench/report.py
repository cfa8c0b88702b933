"""Report: the benchmark's figures as a table for people and JSON for scripts.

Throughput is articles and megabytes (10^6 bytes of input files) per second;
``x floor`` is a stage's time over the floor's time measured in the same
process, which holds steady when the machine is busy; the growth exponent
between two sizes is log(t2/t1) / log(n2/n1): 1.0 is linear, 2.0 quadratic.
For web pages, reading means extracting articles from markup and bounds the
whole build, so an html run also reports the share left to the rest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any

# The project's performance targets, printed beside the measured figures.
TARGET_ARTICLES_PER_SECOND = 1_000
TARGET_THROUGHPUT_SIZE = 10_000
TARGET_STORIES_EXPONENT = 1.2
TARGET_MEMORY_SIZE = 100_000
TARGET_MEMORY_BYTES = 1 << 30
# "Growing linearly": peak memory's growth exponent between the two largest sizes.
TARGET_MEMORY_EXPONENT = 1.1
TARGET_INCREMENTAL_SHARE = 0.10
# With web pages as input, everything after reading (and extraction) stays within this
# share of the build.
TARGET_REST_SHARE = 0.20
REST_FORMAT = "html"
# Stage rows that time work other rows already count: ``prepare`` is clean, dates and
# sentences composed, and ``stories`` makes its own sketches.
REPEATED_STAGES = frozenset({"prepare", "sketches"})
MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class Row:
    """One timed stage at one size."""

    name: str
    seconds: float
    produced: int
    peak_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class SizeRun:
    """Everything measured for one corpus: its floor, its stages and one full build."""

    format: str
    articles: int
    bytes: int
    copies: int
    events: int
    floor_seconds: float
    floor_tokens: int
    stages: tuple[Row, ...]
    stages_max_rss_bytes: int
    end_to_end: Row
    end_to_end_floor_seconds: float
    end_to_end_max_rss_bytes: int
    # The same build over several processes, when asked for (``--jobs``); its memory is
    # the main process's peak plus the largest worker's.
    parallel: Row | None = None
    parallel_max_rss_bytes: int | None = None
    # A full build from the state store and the next one after 1% new articles: the
    # newest 1%, and (the worst case) 1% spread over the whole period.
    store_full_seconds: float | None = None
    store_incremental_seconds: float | None = None
    store_scattered_seconds: float | None = None
    new_articles: int = 0

    def stage(self, name: str) -> Row | None:
        return next((row for row in self.stages if row.name == name), None)

    def per_second(self, seconds: float) -> tuple[float, float]:
        """Articles and megabytes per second for a time."""
        if seconds <= 0:
            return math.inf, math.inf
        return self.articles / seconds, self.bytes / 1_000_000 / seconds

    def ratio(self, row: Row) -> float:
        """A stage's time as a multiple of the floor measured beside it."""
        whole = row is self.end_to_end or row is self.parallel
        floor = self.end_to_end_floor_seconds if whole else self.floor_seconds
        return row.seconds / floor if floor > 0 else math.inf


@dataclass(frozen=True, slots=True)
class RestShare:
    """One run's stage time split into reading (extraction, for web pages) and the rest."""

    read_seconds: float
    rest_seconds: float

    @property
    def share(self) -> float:
        """The rest's part of the whole, 0.0 to 1.0."""
        whole = self.read_seconds + self.rest_seconds
        return self.rest_seconds / whole if whole > 0 else 0.0


def rest_share(run: SizeRun) -> RestShare | None:
    """How much of a run's build is not reading its inputs; None without a read stage.

    Both parts are summed from the stage rows rather than set against the
    end-to-end time: the whole build is timed only as a whole, in another
    process, so mixing the two would put one process's noise over another's.
    The stage rows are timed one after another on the same inputs, and with the
    rows that repeat others' work left out they add up to the build.
    """
    read = run.stage("read")
    if read is None:
        return None
    rest = sum(
        row.seconds for row in run.stages if row.name != "read" and row.name not in REPEATED_STAGES
    )
    return RestShare(read.seconds, rest)


@dataclass(frozen=True, slots=True)
class Target:
    """One of the project's performance targets and how this run did."""

    goal: str
    measured: str
    verdict: str  # PASS, MISS or "not run"


def exponent(first: float, first_size: int, second: float, second_size: int) -> float | None:
    """log(t2/t1) / log(n2/n1), or None when either time is zero."""
    if first <= 0 or second <= 0 or first_size == second_size:
        return None
    return math.log(second / first) / math.log(second_size / first_size)


def _of(runs: Sequence[SizeRun], fmt: str, size: int) -> SizeRun | None:
    return next((r for r in runs if r.format == fmt and r.articles == size), None)


def growth(runs: Sequence[SizeRun], fmt: str) -> dict[str, dict[str, float | None]]:
    """Growth exponents per stage (and end to end, and peak memory) between adjacent sizes."""
    ordered = sorted((r for r in runs if r.format == fmt), key=lambda r: r.articles)
    result: dict[str, dict[str, float | None]] = {}
    for small, large in pairwise(ordered):
        span = f"{small.articles}-{large.articles}"
        column: dict[str, float | None] = {}
        for row in small.stages:
            other = large.stage(row.name)
            if other is not None:
                column[row.name] = exponent(
                    row.seconds, small.articles, other.seconds, large.articles
                )
        column["end to end"] = exponent(
            small.end_to_end.seconds, small.articles, large.end_to_end.seconds, large.articles
        )
        column["peak memory"] = exponent(
            small.end_to_end_max_rss_bytes,
            small.articles,
            large.end_to_end_max_rss_bytes,
            large.articles,
        )
        result[span] = column
    return result


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def targets(runs: Sequence[SizeRun], formats: Sequence[str]) -> tuple[Target, ...]:
    """The project's targets against this run's figures; "not run" where a size is missing."""
    found: list[Target] = []
    for fmt in formats:
        goal = f"end to end >= {TARGET_ARTICLES_PER_SECOND:,} articles/s at 10k, {fmt}"
        run = _of(runs, fmt, TARGET_THROUGHPUT_SIZE)
        if run is None:
            found.append(Target(goal, "-", "not run"))
        else:
            rate = run.per_second(run.end_to_end.seconds)[0]
            found.append(
                Target(goal, f"{rate:,.0f}/s", _verdict(rate >= TARGET_ARTICLES_PER_SECOND))
            )
    for fmt in formats:
        goal = f"stories growth exponent <= {TARGET_STORIES_EXPONENT} from 10k to 100k, {fmt}"
        small, large = _of(runs, fmt, 10_000), _of(runs, fmt, 100_000)
        small_row = small.stage("stories") if small else None
        large_row = large.stage("stories") if large else None
        if small_row is None or large_row is None:
            found.append(Target(goal, "-", "not run"))
            continue
        value = exponent(small_row.seconds, 10_000, large_row.seconds, 100_000)
        ok = value is not None and value <= TARGET_STORIES_EXPONENT
        found.append(Target(goal, "-" if value is None else f"{value:.2f}", _verdict(ok)))
    for fmt in formats:
        goal = f"peak memory <= 1 GiB at 100k, {fmt}"
        run = _of(runs, fmt, TARGET_MEMORY_SIZE)
        if run is None:
            found.append(Target(goal, "-", "not run"))
        else:
            peak = run.end_to_end_max_rss_bytes
            found.append(
                Target(goal, f"{peak / MIB:,.0f} MiB", _verdict(peak <= TARGET_MEMORY_BYTES))
            )
    for fmt in formats:
        goal = f"peak memory grows linearly (exponent <= {TARGET_MEMORY_EXPONENT}), {fmt}"
        ordered = sorted((r for r in runs if r.format == fmt), key=lambda r: r.articles)
        if len(ordered) < 2:
            found.append(Target(goal, "-", "not run"))
            continue
        small, large = ordered[-2], ordered[-1]
        value = exponent(
            small.end_to_end_max_rss_bytes,
            small.articles,
            large.end_to_end_max_rss_bytes,
            large.articles,
        )
        ok = value is not None and value <= TARGET_MEMORY_EXPONENT
        span = f"{small.articles:,}-{large.articles:,}"
        found.append(Target(goal, "-" if value is None else f"{value:.2f} ({span})", _verdict(ok)))
    for fmt in formats:
        goal = f"incremental run, 1% newest articles, <= 10% of a full run, {fmt}"
        measured = [
            r
            for r in runs
            if r.format == fmt and r.store_full_seconds and r.store_incremental_seconds
        ]
        if not measured:
            found.append(Target(goal, "-", "not run"))
            continue
        run = max(measured, key=lambda r: r.articles)
        assert run.store_full_seconds and run.store_incremental_seconds
        share = run.store_incremental_seconds / run.store_full_seconds
        found.append(
            Target(
                goal,
                f"{share:.0%} at {run.articles:,}",
                _verdict(share <= TARGET_INCREMENTAL_SHARE),
            )
        )
    found.append(_rest_target(runs))
    return tuple(found)


def _rest_target(runs: Sequence[SizeRun]) -> Target:
    """The rest-of-the-pipeline target, judged on the largest web-page run."""
    goal = f"rest of the pipeline <= {TARGET_REST_SHARE:.0%} of end to end, {REST_FORMAT}"
    splits = [
        (run.articles, split)
        for run in runs
        if run.format == REST_FORMAT and (split := rest_share(run)) is not None
    ]
    if not splits:
        return Target(goal, "-", "not run")
    articles, split = max(splits, key=lambda pair: pair[0])
    return Target(
        goal, f"{split.share:.1%} at {articles:,}", _verdict(split.share <= TARGET_REST_SHARE)
    )


# --- text ---------------------------------------------------------------------------------


def _number(value: float, digits: int = 0) -> str:
    return "inf" if math.isinf(value) else f"{value:,.{digits}f}"


def _run_table(run: SizeRun) -> list[str]:
    floor_rate, floor_mb = run.per_second(run.floor_seconds)
    out = [
        f"{run.format} · {run.articles:,} articles · {run.bytes / 1_000_000:,.1f} MB · "
        f"{run.copies:,} agency copies · {run.events:,} events",
        f"  floor: {run.floor_seconds:.3f} s = {floor_rate:,.0f} articles/s, "
        f"{floor_mb:,.1f} MB/s ({run.floor_tokens:,} tokens)",
        f"  {'stage':<12}{'seconds':>9}{'art/s':>12}{'MB/s':>10}{'x floor':>9}"
        f"{'alloc MiB':>11}{'output':>9}",
    ]
    wholes = (run.end_to_end,) if run.parallel is None else (run.end_to_end, run.parallel)
    for row in (*run.stages, *wholes):
        rate, mb = run.per_second(row.seconds)
        peak = "-" if row.peak_bytes is None else f"{row.peak_bytes / MIB:,.1f}"
        if row is run.end_to_end:
            peak = f"rss {run.end_to_end_max_rss_bytes / MIB:,.0f}"
        elif row is run.parallel and run.parallel_max_rss_bytes is not None:
            peak = f"rss {run.parallel_max_rss_bytes / MIB:,.0f}"
        out.append(
            f"  {row.name:<12}{row.seconds:>9.3f}{_number(rate):>12}{_number(mb, 2):>10}"
            f"{_number(run.ratio(row), 1):>9}{peak:>11}{row.produced:>9,}"
        )
    out.append(
        f"  (stage process peak RSS {run.stages_max_rss_bytes / MIB:,.0f} MiB; "
        "prepare = clean + dates + sentences composed, a check on those rows; "
        "stories includes its own sketches and storylines)"
    )
    split = rest_share(run) if run.format == REST_FORMAT else None
    if split is not None:
        out.append(
            f"  extraction and reading (read) {split.read_seconds:.2f} s, "
            f"the rest (clean to write) {split.rest_seconds:.2f} s: "
            f"the rest is {split.share:.1%} of end to end "
            f"(summed stages; the whole build took {run.end_to_end.seconds:.2f} s)"
        )
    if run.store_full_seconds and run.store_incremental_seconds:
        share = run.store_incremental_seconds / run.store_full_seconds
        out.append(
            f"  state store: full build {run.store_full_seconds:.1f} s; next build after "
            f"the {run.new_articles:,} newest articles {run.store_incremental_seconds:.1f} s "
            f"= {share:.0%} of full"
        )
        if run.store_scattered_seconds:
            spread = run.store_scattered_seconds / run.store_full_seconds
            out.append(
                f"  state store: after {run.new_articles:,} new articles spread over the "
                f"whole period {run.store_scattered_seconds:.1f} s = {spread:.0%} of full"
            )
    return out


def _growth_table(runs: Sequence[SizeRun], formats: Sequence[str]) -> list[str]:
    columns = [(fmt, span, values) for fmt in formats for span, values in growth(runs, fmt).items()]
    if not columns:
        return []
    names = list(dict.fromkeys(name for _, _, values in columns for name in values))
    heads = [f"{fmt} {span}" for fmt, span, _ in columns]
    width = max(16, *(len(h) + 2 for h in heads))
    out = [
        "growth exponents, log(t2/t1) / log(n2/n1)",
        "  " + f"{'stage':<12}" + "".join(f"{h:>{width}}" for h in heads),
    ]
    for name in names:
        cells = []
        for _, _, values in columns:
            value = values.get(name)
            cells.append(f"{'-' if value is None else f'{value:.2f}':>{width}}")
        out.append(f"  {name:<12}" + "".join(cells))
    return out


def text_report(runs: Sequence[SizeRun], formats: Sequence[str], header: str) -> str:
    """The whole report as aligned text."""
    out = [header, ""]
    for run in runs:
        out.extend(_run_table(run))
        out.append("")
    growth_lines = _growth_table(runs, formats)
    if growth_lines:
        out.extend([*growth_lines, ""])
    out.append("targets")
    for target in targets(runs, formats):
        out.append(f"  {target.goal:<66}{target.measured:>16}  {target.verdict}")
    return "\n".join(out)


def runs_from_json(data: dict[str, Any]) -> list[SizeRun]:
    """The runs of a report written by ``json_report``, to print or merge again."""
    runs = []
    for run in data.get("runs", []):
        fields = dict(run)
        fields["stages"] = tuple(Row(**stage) for stage in run["stages"])
        fields["end_to_end"] = Row(**run["end_to_end"])
        if run.get("parallel"):
            fields["parallel"] = Row(**run["parallel"])
        runs.append(SizeRun(**fields))
    return runs


def json_report(
    runs: Sequence[SizeRun], formats: Sequence[str], about: dict[str, object]
) -> dict[str, object]:
    """The whole report as JSON values."""
    return {
        **about,
        "runs": [asdict(run) for run in runs],
        "growth": {fmt: growth(runs, fmt) for fmt in formats},
        "rest_shares": [
            {
                "format": run.format,
                "articles": run.articles,
                **asdict(split),
                "share": round(split.share, 4),
            }
            for run in runs
            if run.format == REST_FORMAT and (split := rest_share(run)) is not None
        ],
        "targets": [asdict(target) for target in targets(runs, formats)],
    }
