"""Score HTML article extraction on the shared evaluation pages.

Run as ``python bench/html_eval.py [--show-misses] [--ours-only] [--folder DIR]``.
For trafilatura's defaults and for ``digest.extract.extract_page`` it prints
precision, recall and F1 over the gold snippets, and pages per second. Scoring
follows the evaluation set's README: after collapsing whitespace, a ``with``
snippet found in the output is a true positive and one missing a false negative;
a ``without`` snippet found is a false positive. Our output is the extracted
paragraphs, one a line; the title and other metadata are not scored. ``--folder``
scores any other labelled set laid out the same way (``gold.json``, ``pages/``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script from anywhere, without installing
    sys.path.insert(0, str(REPO))

from digest.extract import extract_page  # noqa: E402

EVAL_HTML = REPO.parent / "shared" / "eval" / "html"
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Page:
    """One evaluation page and its judged snippets."""

    name: str
    html: bytes
    with_snippets: tuple[str, ...]
    without_snippets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Score:
    """Snippet counts for one extractor over the whole set, and its speed."""

    true_positives: int
    false_negatives: int
    false_positives: int
    seconds: float
    pages: int
    misses: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def load_pages(folder: Path = EVAL_HTML) -> tuple[Page, ...]:
    """The evaluation pages with their gold snippets, in file-name order."""
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return tuple(
        Page(
            name=name,
            html=(folder / "pages" / name).read_bytes(),
            with_snippets=tuple(gold[name]["with"]),
            without_snippets=tuple(gold[name]["without"]),
        )
        for name in sorted(gold)
    )


def collapse(text: str) -> str:
    """Text with every run of whitespace made one space, as the scoring rules ask."""
    return WHITESPACE.sub(" ", text).strip()


def score(pages: Sequence[Page], extract: Callable[[bytes], str]) -> Score:
    """Run one extractor over the pages and count snippets found and missed.

    One untimed call comes first, so that one-off start-up work (the date parser
    compiles its language tables on first use) is not charged to the pages.
    """
    if pages:
        extract(pages[0].html)
    true_positives = false_negatives = false_positives = count = 0
    misses: list[str] = []
    elapsed = 0.0
    for page in pages:
        started = time.perf_counter()
        text = collapse(extract(page.html))
        elapsed += time.perf_counter() - started
        count += 1
        for snippet in page.with_snippets:
            if collapse(snippet) in text:
                true_positives += 1
            else:
                false_negatives += 1
                misses.append(f"FN {page.name}: {snippet[:90]!r}")
        for snippet in page.without_snippets:
            if collapse(snippet) in text:
                false_positives += 1
                misses.append(f"FP {page.name}: {snippet[:90]!r}")
    return Score(true_positives, false_negatives, false_positives, elapsed, count, tuple(misses))


def digest_text(html: bytes) -> str:
    """Our extractor's output as the scorer reads it: paragraphs, one a line."""
    page = extract_page(html)
    return "\n".join(page.paragraphs) if page else ""


def trafilatura_text(html: bytes) -> str:
    """trafilatura's output with its default options, the baseline to beat."""
    import trafilatura

    return trafilatura.extract(html) or ""


def report(label: str, result: Score) -> str:
    """One line of figures for one extractor."""
    return (
        f"{label:<22} P {result.precision:.3f}  R {result.recall:.3f}  F1 {result.f1:.4f}  "
        f"(TP {result.true_positives}, FN {result.false_negatives}, "
        f"FP {result.false_positives})  {result.pages_per_second:.1f} pages/s"
    )


def main() -> int:
    """Print the scores of both extractors; list our misses on request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="list our FN and FP")
    parser.add_argument("--ours-only", action="store_true", help="skip the baseline")
    parser.add_argument(
        "--folder",
        type=Path,
        default=EVAL_HTML,
        help="another labelled set laid out the same way: gold.json beside pages/",
    )
    arguments = parser.parse_args()
    folder: Path = arguments.folder
    if not (folder / "gold.json").is_file():
        print(f"evaluation pages not found at {folder}", file=sys.stderr)
        return 1
    pages = load_pages(folder)
    print(f"{len(pages)} pages from {folder}")
    if not arguments.ours_only:
        print(report("trafilatura defaults", score(pages, trafilatura_text)))
    ours = score(pages, digest_text)
    print(report("digest extract_page", ours))
    if arguments.show_misses:
        print("\n".join(ours.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
