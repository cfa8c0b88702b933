"""One measurement in a fresh process, so its memory peak is its own.

    python -m bench.worker stages|traced|end-to-end CORPUS_FOLDER

prints one JSON object on standard output: the floor and the stage timings
(``stages``), the stages' allocation peaks under tracemalloc (``traced``), or
one ``pipeline.build`` (``end-to-end``), each with the process's peak RSS.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from bench.stages import max_rss_bytes, run_end_to_end, run_floor, run_stages

MODES = ("stages", "traced", "end-to-end")


def measure(mode: str, corpus: Path) -> dict[str, object]:
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
        return {"floor": asdict(floor), "end_to_end": asdict(run_end_to_end(corpus))}
    raise ValueError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in MODES:
        print(f"usage: python -m bench.worker {'|'.join(MODES)} CORPUS_FOLDER", file=sys.stderr)
        return 2
    print(json.dumps(measure(argv[0], Path(argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
