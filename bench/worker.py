"""One measurement in a fresh process, so its memory peak is its own.

    python -m bench.worker MODE CORPUS_FOLDER [JOBS]

prints one JSON object on standard output: the floor and the stage timings
(``stages``), the stages' allocation peaks under tracemalloc (``traced``),
the floor and one whole build over JOBS processes (``end-to-end``), or a full
and an incremental build from the state store (``incremental``).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from bench.stages import (
    max_rss_bytes,
    run_end_to_end,
    run_floor,
    run_incremental,
    run_stages,
)

MODES = ("stages", "traced", "end-to-end", "incremental")


def measure(mode: str, corpus: Path, jobs: int = 1) -> dict[str, object]:
    """The figures of one mode on one corpus, as plain JSON values."""
    if mode == "stages":
        floor = run_floor(corpus)
        timings = run_stages(corpus)
        return {
            "floor": asdict(floor),
            "stages": [asdict(t) for t in timings],
            "max_rss_bytes": max_rss_bytes(),
        }
    if mode == "traced":
        return {"stages": [asdict(t) for t in run_stages(corpus, traced=True)]}
    if mode == "end-to-end":
        floor = run_floor(corpus)
        return {"floor": asdict(floor), "end_to_end": asdict(run_end_to_end(corpus, jobs))}
    if mode == "incremental":
        return {"incremental": asdict(run_incremental(corpus, jobs))}
    raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")


def main(argv: list[str]) -> int:
    jobs = argv[2] if len(argv) == 3 else "1"
    if len(argv) not in (2, 3) or argv[0] not in MODES or not jobs.isdigit() or int(jobs) < 1:
        modes = "|".join(MODES)
        print(f"usage: python -m bench.worker {modes} CORPUS_FOLDER [JOBS]", file=sys.stderr)
        return 2
    print(json.dumps(measure(argv[0], Path(argv[1]), int(jobs))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
