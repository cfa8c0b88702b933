"""Benchmark the pipeline: ``python -m bench`` (``make bench``).

    python -m bench                      1k and 10k articles, text and JSON Lines
    python -m bench --full               also 100k (takes a long while)
    python -m bench --sizes 1000,5000    chosen sizes
    python -m bench --format jsonl       one input format only
    python -m bench --format html --sizes 1000   web pages: extraction and the rest
    python -m bench --no-trace           skip the tracemalloc pass (faster)
    python -m bench --jobs 2             also time the build over 2 processes
    python -m bench --incremental        also time a state-store build after 1% new articles
    python -m bench --json               figures as JSON on standard output
    python -m bench --from a.json b.json one report from earlier --json outputs

Text pages and JSON Lines are measured unless a format is named; web pages
(``html``) only when named, since extraction reads some tens of pages a second
and 10k pages take minutes. Their report adds the share of the build left after
reading and extraction, against its target.

For each format and size the corpus is generated once (``bench.corpus``) and
cached in ``bench/.corpus``; then fresh processes measure it (see
``bench.worker``): one end-to-end ``pipeline.build`` with its peak RSS, the
floor and each stage's time, each stage's allocation peak under tracemalloc,
and when asked a build over several processes and an incremental build from
the state store. Progress goes to standard error.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.corpus import (
    ALL_FORMATS,
    CACHE,
    FORMATS,
    GENERATOR_VERSION,
    CorpusInfo,
    ensure_corpus,
)
from bench.report import Row, SizeRun, json_report, runs_from_json, text_report

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (1_000, 10_000)
FULL_SIZE = 100_000


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def code_version() -> str:
    """The commit being measured, marked "+changes" when the work tree differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "digest"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return (commit or "unknown") + ("+changes" if changed else "")


def _worker(mode: str, corpus: Path, jobs: int = 1) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and read its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.worker", mode, str(corpus), str(jobs)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: {mode} run on {corpus} failed:\n{done.stderr.strip()}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def _rows(stages: list[dict[str, Any]], peaks: dict[str, int | None]) -> tuple[Row, ...]:
    return tuple(
        Row(s["name"], float(s["seconds"]), int(s["produced"]), peaks.get(s["name"]))
        for s in stages
    )


def measure(info: CorpusInfo, *, trace: bool, jobs: int, incremental: bool) -> SizeRun:
    """Time one corpus: a full build, every stage, and what else was asked for."""
    label = f"{info.format}-{info.articles}"
    _progress(f"  {label}: end to end")
    whole = _worker("end-to-end", info.path)
    _progress(f"  {label}: stages")
    staged = _worker("stages", info.path)
    peaks: dict[str, int | None] = {}
    if trace:
        _progress(f"  {label}: stages under tracemalloc")
        traced = _worker("traced", info.path)
        peaks = {s["name"]: s["peak_bytes"] for s in traced["stages"]}
    parallel = None
    if jobs > 1:
        _progress(f"  {label}: end to end over {jobs} processes")
        parallel = _worker("end-to-end", info.path, jobs)["end_to_end"]
    store: dict[str, Any] = {}
    if incremental:
        _progress(f"  {label}: state store, full and incremental")
        store = _worker("incremental", info.path, jobs)["incremental"]
    build = whole["end_to_end"]
    return SizeRun(
        format=info.format,
        articles=info.articles,
        bytes=info.bytes,
        copies=info.copies,
        events=info.events,
        floor_seconds=float(staged["floor"]["seconds"]),
        floor_tokens=int(staged["floor"]["tokens"]),
        stages=_rows(staged["stages"], peaks),
        stages_max_rss_bytes=int(staged["max_rss_bytes"]),
        end_to_end=Row("end to end", float(build["seconds"]), int(build["stories"])),
        end_to_end_floor_seconds=float(whole["floor"]["seconds"]),
        end_to_end_max_rss_bytes=int(build["max_rss_bytes"]),
        parallel=None
        if parallel is None
        else Row(f"e2e {jobs} jobs", float(parallel["seconds"]), int(parallel["stories"])),
        parallel_max_rss_bytes=None
        if parallel is None
        else int(parallel["max_rss_bytes"]) + int(parallel["worker_max_rss_bytes"]),
        store_full_seconds=store.get("full_seconds"),
        store_incremental_seconds=store.get("incremental_seconds"),
        store_scattered_seconds=store.get("scattered_seconds"),
        new_articles=int(store.get("new_articles", 0)),
    )


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from error
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"sizes must be positive: {text!r}")
    return tuple(sorted(set(sizes)))


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=_sizes, help="comma-separated corpus sizes")
    parser.add_argument("--full", action="store_true", help=f"also run {FULL_SIZE:,} articles")
    parser.add_argument(
        "--format",
        choices=(*ALL_FORMATS, "both"),
        default="both",
        help=f"one format; both is {' and '.join(FORMATS)}, html runs only when named",
    )
    parser.add_argument("--no-trace", action="store_true", help="skip tracemalloc peaks")
    parser.add_argument("--jobs", type=_positive, default=1, help="also build over N processes")
    parser.add_argument(
        "--incremental", action="store_true", help="also time a build after 1%% new articles"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--cache", type=Path, default=CACHE, help="corpus cache folder")
    parser.add_argument(
        "--from",
        dest="saved",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="measure nothing: report the runs of earlier --json outputs together",
    )
    return parser.parse_args(argv)


def _saved_runs(paths: list[Path]) -> tuple[list[SizeRun], str]:
    """Runs read back from earlier JSON reports; a later file's run of a size wins."""
    found: dict[tuple[str, int], SizeRun] = {}
    codes: list[str] = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            runs = runs_from_json(data)
        except (OSError, ValueError, TypeError, KeyError) as error:
            raise SystemExit(f"bench: cannot read a report from {path}: {error}") from error
        codes.append(str(data.get("code", "unknown")))
        for run in runs:
            found[(run.format, run.articles)] = run
    ordered = sorted(found.values(), key=lambda r: (ALL_FORMATS.index(r.format), r.articles))
    return ordered, ", ".join(dict.fromkeys(codes))


def main(argv: list[str]) -> int:
    options = parse_arguments(argv)
    started = time.perf_counter()
    if options.saved:
        runs, code = _saved_runs(options.saved)
        formats = tuple(f for f in ALL_FORMATS if any(r.format == f for r in runs))
    else:
        runs, code, formats = _measure_all(options)
    about: dict[str, object] = {
        "code": code,
        "generator_version": GENERATOR_VERSION,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    if not options.saved and code_version() != code:
        about["code_after"] = code_version()
    if options.json:
        print(json.dumps(json_report(runs, formats, about), indent=1))
    else:
        header = (
            f"digest benchmark · code {code} · corpus v{GENERATOR_VERSION} · "
            f"Python {about['python']} · {about['cpus']} CPUs · {about['platform']} · "
            f"{about['seconds']} s"
        )
        if "code_after" in about:
            header += f"\nnote: the code changed during the run (now {about['code_after']})"
        print(text_report(runs, formats, header))
    return 0


def _measure_all(options: argparse.Namespace) -> tuple[list[SizeRun], str, tuple[str, ...]]:
    """Generate (or reuse) each corpus and measure it; the runs, the commit, the formats."""
    sizes = options.sizes or DEFAULT_SIZES
    if options.full and FULL_SIZE not in sizes:
        sizes = (*sizes, FULL_SIZE)
    formats: tuple[str, ...] = FORMATS if options.format == "both" else (options.format,)
    code = code_version()
    runs: list[SizeRun] = []
    for fmt in formats:
        for size in sizes:
            _progress(f"{fmt}-{size}: corpus")
            info = ensure_corpus(fmt, size, options.cache)
            runs.append(
                measure(
                    info,
                    trace=not options.no_trace,
                    jobs=options.jobs,
                    incremental=options.incremental,
                )
            )
    return runs, code, formats


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
