"""Benchmark same-event clustering: time, peak memory and growth with corpus size.

    python bench/stories.py            # 1,000 and 10,000 articles
    python bench/stories.py --full     # and 100,000
    python bench/stories.py --sizes 2000 5000

The corpus is the benchmark's invented news (``bench.corpus.generate``: events
of a dozen kinds in invented towns, several outlets each in their own words,
agency copy republished with new headlines and trimmed endings, six weeks of
dates), built straight into Article records so only ``stories.cluster`` is
timed. Each size runs in a fresh process, so its peak memory is its own.
Printed per size: seconds, peak resident memory (and the part of it the
generated corpus held before clustering began), B-cubed F1 against the
generator's events, and the growth exponent log(t2/t1)/log(n2/n1) from the
size before (1 is linear, 2 quadratic). Also compares building MinHash
signatures with ``digest.sketch`` and with the datasketch package, if it is
installed.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import xxhash

# Run as a script from anywhere: make the repository importable.
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import GeneratedArticle, generate  # noqa: E402
from digest import evaluate, sketch, stories  # noqa: E402
from digest.model import Article, pack_sentences, pack_text  # noqa: E402

DEFAULT_SIZES = (1_000, 10_000)
FULL_SIZES = (*DEFAULT_SIZES, 100_000)
# Texts signed by both MinHash implementations in the comparison.
SKETCH_TEXTS = 2_000
_TOKEN = re.compile(r"\w+")


def to_article(made: GeneratedArticle) -> Article:
    """A generated article as the pipeline would hand it over, cleaned and dated."""
    text = "\n\n".join(made.paragraphs)
    return Article(
        id=made.id,
        origin=f"bench/{made.id}",
        title=made.title,
        packed_text=pack_text(text),
        packed_sentences=pack_sentences(made.paragraphs),
        url=made.url,
        source=made.outlet.style.name,
        published=made.published,
        event_date=made.published.date(),
        fingerprint=xxhash.xxh64_hexdigest(text.encode("utf-8")),
    )


def _peak_rss_mb() -> float:
    """Peak resident memory of this process in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size: int) -> dict[str, float]:
    """Cluster ``size`` generated articles; time, memory and quality."""
    made = list(generate(size))
    articles = [to_article(m) for m in made]
    gold = {m.id: m.event for m in made}
    before = _peak_rss_mb()
    start = time.perf_counter()
    clusters = stories.cluster(articles)
    seconds = time.perf_counter() - start
    scores = evaluate.bcubed(gold, evaluate.assignment(clusters))
    return {
        "size": size,
        "seconds": seconds,
        "peak_mb": _peak_rss_mb(),
        "corpus_mb": before,
        "stories": len(clusters),
        "events": len(set(gold.values())),
        "f1": scores.f1,
    }


def compare_sketches(count: int) -> None:
    """Time MinHash signatures of ``count`` texts: ours, then datasketch's."""
    texts = ["\n\n".join(m.paragraphs) for m in generate(count)]
    start = time.perf_counter()
    sketch.signatures(texts)
    ours = time.perf_counter() - start
    print(f"MinHash signatures of {count} texts: digest.sketch {ours:.2f} s", end="")
    try:
        from datasketch import MinHash
    except ImportError:
        print("; datasketch not installed")
        return
    start = time.perf_counter()
    for text in texts:
        words = _TOKEN.findall(text.lower())
        shingles = {
            " ".join(words[i : i + sketch.SHINGLE_WORDS]).encode()
            for i in range(len(words) - sketch.SHINGLE_WORDS + 1)
        }
        signature = MinHash(num_perm=sketch.PERMUTATIONS)
        signature.update_batch(list(shingles))
    theirs = time.perf_counter() - start
    print(f", datasketch {theirs:.2f} s ({theirs / ours:.1f}x slower)")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark stories.cluster.")
    parser.add_argument("--full", action="store_true", help="also run 100,000 articles")
    parser.add_argument("--sizes", type=int, nargs="+", help="corpus sizes to run")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options.child)))
        return
    sizes = options.sizes or (FULL_SIZES if options.full else DEFAULT_SIZES)
    previous: dict[str, float] | None = None
    print(
        f"{'articles':>9} {'seconds':>8} {'peak MiB':>9} {'corpus MiB':>10} {'stories':>8} "
        f"{'events':>7} {'B3 F1':>6} {'growth':>7}"
    )
    for size in sorted(sizes):
        run = subprocess.run(
            [sys.executable, __file__, "--child", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(run.stdout.strip().splitlines()[-1])
        growth = ""
        if previous is not None:
            ratio = math.log(result["seconds"] / previous["seconds"])
            growth = f"{ratio / math.log(result['size'] / previous['size']):.2f}"
        print(
            f"{result['size']:>9,} {result['seconds']:>8.2f} {result['peak_mb']:>9.0f} "
            f"{result['corpus_mb']:>10.0f} {result['stories']:>8,} {result['events']:>7,} "
            f"{result['f1']:>6.3f} {growth:>7}"
        )
        previous = result
    compare_sketches(SKETCH_TEXTS)


if __name__ == "__main__":
    main()
