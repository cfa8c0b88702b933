"""Pipeline: the stages composed, from input paths to written output.

    ingest → clean → dates → sentences   (per article: ``prepare``)
    stories → summarise → briefs         (``make_digest``)
    render → write                       (``render_all``, ``write_outputs``, ``build``)

Everything but ``read``/``write`` is a pure function of its arguments.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields, replace
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import Protocol

from digest import __version__, briefs, stories, summarise
from digest.clean import clean_text
from digest.dates import date_article
from digest.errors import NoInputError, StrictModeError
from digest.ingest import read_inputs
from digest.memory import Memory
from digest.model import (
    Article,
    Digest,
    OutputFile,
    Problem,
    RawInput,
    pack_sentences,
    pack_text,
)
from digest.render import email as email_render
from digest.render import feed, markdown, report, site
from digest.render.reuse import RenderCache, RenderKeys, render_version
from digest.render.views import views_shared
from digest.sentences import opening_sentences
from digest.settings import BuildSettings
from digest.settle import StoryCache, settled_clustering
from digest.stories import EvidenceCache
from digest.write import Output, file_stamps, write_tree

# Inputs handed to each worker process at a time, and per batch per worker:
# large enough to amortise the hand-over, small enough to keep memory flat.
PARALLEL_CHUNK = 32
PARALLEL_BATCH = 512
# A headline made from the first sentence is cut to this many words.
FALLBACK_TITLE_WORDS = 14


def _hash(text: str, size: int = 8) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).hexdigest()


def fallback_title(sentences: Sequence[str]) -> str:
    """A headline for an article whose text states none: its first words."""
    words = sentences[0].split() if sentences else []
    title = " ".join(words[:FALLBACK_TITLE_WORDS])
    return title + ("…" if len(words) > FALLBACK_TITLE_WORDS else "") or "Untitled"


def article_id(raw: RawInput, fingerprint: str) -> str:
    """The article's id: the input's own, minted from content when it has none.

    Feed entry ids are only unique within their feed (many feeds number
    entries 1, 2, 3), so they are qualified by the feed before hashing.
    """
    if raw.input_id and raw.kind == "feed":
        feed = raw.source_name or raw.origin.split("#", 1)[0]
        return "f" + _hash(f"{feed}\x00{raw.input_id}", 6)
    return raw.input_id or "a" + fingerprint[:12]


def prepare(raw: RawInput, settings: BuildSettings) -> Article | Problem:
    """Clean, date and segment one input; a Problem when no article remains."""
    cleaned = clean_text(raw.text, title=raw.title)
    sentences = opening_sentences(cleaned.paragraphs)
    if not sentences:
        return Problem(raw.origin, "no article text left after removing boilerplate")
    dates = date_article(
        date_lines=cleaned.date_lines,
        dateline=cleaned.dateline,
        paragraphs=cleaned.paragraphs,
        stated_published=raw.published,
        reference=settings.now,
        tz=settings.tz,
    )
    text = "\n\n".join(cleaned.paragraphs)
    fingerprint = _hash(" ".join(text.split()), 16)
    from_reference = dates.event is None and dates.published is None
    event = settings.now.astimezone(settings.tz).date() if from_reference else dates.event
    return Article(
        id=article_id(raw, fingerprint),
        origin=raw.origin,
        title=cleaned.title or fallback_title(sentences),
        packed_text=pack_text(text),
        packed_sentences=pack_sentences(sentences),
        url=raw.url,
        source=raw.source or cleaned.outlet,
        byline=cleaned.byline,
        wire=cleaned.wire,
        published=dates.published,
        event_date=event,
        date_uncertain=dates.uncertain or from_reference,
        date_from_reference=from_reference,
        date_evidence=dates.evidence,
        fingerprint=fingerprint,
        tags=raw.tags,
    )


@dataclass(frozen=True, slots=True)
class Loaded:
    """The articles a build could use and the problems met reading them."""

    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]


def _prepared(
    items: Iterable[RawInput | Problem], settings: BuildSettings, jobs: int
) -> Iterator[tuple[RawInput | Problem, Article | Problem]]:
    """Each item with what preparing it gave, in input order, over ``jobs`` processes.

    Preparing is a pure function of (input, settings), so spreading it over
    processes gives exactly the results of one process. Inputs are sent in
    batches, so the stream is never held whole in memory.
    """
    batches = batched(items, PARALLEL_BATCH * max(jobs, 1))
    first = next(batches, [])
    if jobs > 1 and len(first) == PARALLEL_BATCH * jobs:
        work = partial(_prepare_or_pass, settings=settings)
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for batch in chain([first], batches):
                yield from zip(batch, pool.map(work, batch, chunksize=PARALLEL_CHUNK), strict=True)
        return
    # One process: asked for, or too little input to be worth starting others.
    for item in chain(first, chain.from_iterable(batches)):
        yield item, _prepare_or_pass(item, settings)


def batched(items: Iterable[RawInput | Problem], size: int) -> Iterator[list[RawInput | Problem]]:
    """Successive lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _prepare_or_pass(item: RawInput | Problem, settings: BuildSettings) -> Article | Problem:
    return prepare(item, settings) if isinstance(item, RawInput) else item


class PreparedCache(Protocol):
    """Where articles prepared by earlier builds are kept (the state store)."""

    def prepared(self, keys: Sequence[str]) -> dict[str, Article]: ...

    def save_prepared(self, articles: Sequence[tuple[str, Article]]) -> None: ...


@functools.cache
def _code_version() -> str:
    """A hash of digest's own code: cached work is reused only by the code that did it."""
    package = Path(__file__).resolve().parent
    digest = hashlib.blake2b(__version__.encode(), digest_size=8)
    for source in sorted(package.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


# The fields of an input, in the order its cache key lists them.
_RAW_FIELDS = tuple(field.name for field in fields(RawInput))


def cache_key(raw: RawInput, settings: BuildSettings, code: str) -> str:
    """What preparing ``raw`` depends on, hashed: the input, the time zone and the code."""
    # Every field in a fixed order, a text as itself behind its length (no
    # repr of a long text to escape), anything else by repr, so None stays
    # apart from "None"; a rebuild does this for every input it keeps.
    digest = hashlib.blake2b(f"{code}\x00{settings.site.timezone}".encode(), digest_size=16)
    for name in _RAW_FIELDS:
        value = getattr(raw, name)
        part = f"s{len(value)}:{value}" if isinstance(value, str) else f"r{value!r}"
        digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _reusable(article: Article) -> bool:
    """Whether an article is independent of the build time, so it can be cached.

    A date resolved against the reference time (year-less, or none at all)
    can come out differently in a later build, so such articles are redone.
    """
    return not (article.date_uncertain or article.date_from_reference)


def _cached(
    items: Iterable[RawInput | Problem], settings: BuildSettings, jobs: int, cache: PreparedCache
) -> Iterator[tuple[RawInput | Problem, Article | Problem]]:
    """Like ``_prepared``, reusing articles the cache holds and saving new ones."""
    code = _code_version()
    for batch in batched(items, PARALLEL_BATCH * max(jobs, 1)):
        keys = [cache_key(i, settings, code) if isinstance(i, RawInput) else "" for i in batch]
        known = cache.prepared([k for k in keys if k])
        missing = [item for item, key in zip(batch, keys, strict=True) if key not in known]
        fresh = {id(item): result for item, result in _prepared(missing, settings, jobs)}
        new: list[tuple[str, Article]] = []
        for item, key in zip(batch, keys, strict=True):
            result = known.get(key) or fresh[id(item)]
            if key and key not in known and isinstance(result, Article) and _reusable(result):
                new.append((key, result))
            yield item, result
        if new:
            cache.save_prepared(new)


def prepare_all(
    items: Iterable[RawInput | Problem],
    settings: BuildSettings,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
    cache: PreparedCache | None = None,
) -> Loaded:
    """Prepare a stream of inputs, keeping article ids unique.

    With a ``cache``, articles an earlier build prepared from the same input
    with the same code are reused rather than prepared again.
    """
    articles: list[Article] = []
    problems: list[Problem] = []
    origins: dict[str, str] = {}
    results = (
        _prepared(items, settings, jobs) if cache is None else _cached(items, settings, jobs, cache)
    )
    for item, result in results:
        if progress is not None:
            progress(item.origin)
        if isinstance(result, Problem):
            problems.append(result)
            continue
        first = origins.get(result.id)
        if first is not None:
            if isinstance(item, RawInput) and item.input_id and item.kind == "jsonl":
                problems.append(
                    Problem(result.origin, f"id {result.id!r} already read from {first}")
                )
                continue
            result = replace(result, id="a" + _hash(result.fingerprint + result.origin, 6))
        origins[result.id] = result.origin
        if result.date_from_reference:
            day = result.day.isoformat()
            problems.append(
                Problem(result.origin, f"no date found; placed on {day}, the build date", "warning")
            )
        articles.append(result)
    return Loaded(tuple(articles), tuple(problems))


def load_articles(
    paths: Sequence[Path],
    settings: BuildSettings,
    progress: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> Loaded:
    """Read and prepare every article under ``paths``."""
    latest = settings.now.astimezone(settings.tz).date()
    return prepare_all(read_inputs(paths, latest=latest), settings, progress, jobs)


def check_loaded(loaded: Loaded, paths: Sequence[Path], *, strict: bool = False) -> None:
    """Refuse to publish nothing, or anything at all in strict mode with skips."""
    if not loaded.articles:
        raise NoInputError(f"no article could be read from {', '.join(map(str, paths))}")
    if strict and any(p.severity == "skipped" for p in loaded.problems):
        raise StrictModeError("some inputs were skipped, so nothing was written (--strict)")


def make_digest(
    loaded: Loaded,
    settings: BuildSettings,
    memory: Memory | None = None,
    cache: EvidenceCache | None = None,
    kept: StoryCache | None = None,
) -> Digest:
    """Cluster, summarise and group prepared articles into the whole digest.

    With ``memory``, story ids and brief times are the remembered ones, so
    they hold still across runs; without it they follow from the content.
    With a ``cache``, what clustering read from articles in earlier builds
    is reused; with ``kept`` (which caches evidence too), so are the stories
    no new article can change (see ``settle``).
    """
    by_id = {a.id: a for a in loaded.articles}
    if kept is not None:
        found = settled_clustering(
            loaded.articles,
            kept,
            window_days=settings.window_days,
            jobs=settings.jobs,
            code=_code_version(),
        )
    else:
        found = stories.clustering(
            loaded.articles,
            window_days=settings.window_days,
            jobs=settings.jobs,
            cache=cache,
            code=_code_version() if cache is not None else "",
        )
    clusters = found.clusters
    if memory is not None:
        permanent = memory.story_ids(clusters)
        clusters = tuple(replace(c, id=i) for c, i in zip(clusters, permanent, strict=True))
    storylines = stories.link_storylines(clusters, by_id, found.lead_terms)
    made = tuple(summarise.summarise(c, by_id, storylines.get(c.id, ())) for c in clusters)
    grouped = briefs.group(made, settings.site.period, settings.tz)
    if memory is not None:
        grouped = tuple(replace(b, updated=memory.brief_updated(b)) for b in grouped)
    return Digest(
        site=settings.site,
        # The last time the content changed, so an unchanged rebuild is byte-identical.
        generated=max((b.updated for b in grouped), default=settings.now),
        articles=tuple(sorted(loaded.articles, key=lambda a: (a.day, a.id))),
        stories=tuple(sorted(made, key=lambda s: (s.date, s.id))),
        briefs=grouped,
        problems=loaded.problems,
    )


def render_stream(digest: Digest, reuse: RenderKeys | None = None) -> Iterator[Output]:
    """Every output file of a digest, each handed on as soon as it is rendered.

    Written as they come (``write_tree`` takes this directly), the outputs are
    never all in memory at once, and ``digest.json`` is streamed in pieces.
    Views are shared across formats until the last output is taken. With
    ``reuse``, pages made from the same inputs as in the last build come as
    ``ReusedFile``s, which the writer takes from that build's folder.
    """
    with views_shared():
        yield from site.render_site(digest, reuse)
        yield from feed.render_feeds(digest)
        yield from markdown.render_markdown(digest, reuse)
        yield from email_render.render_emails(digest, reuse)
        yield report.render_report_stream(digest)


def render_all(digest: Digest) -> tuple[OutputFile, ...]:
    """Every output file of a digest as bytes, in a stable order."""
    files = (f if isinstance(f, OutputFile) else f.joined() for f in render_stream(digest))
    return tuple(sorted(files, key=lambda f: f.path))


def write_outputs(digest: Digest, out: Path, reuse: RenderCache | None = None) -> int:
    """Render every output into the folder ``out``, replacing it; how many files were written.

    With ``reuse`` (the state store), an output made from the same inputs,
    code and templates as in the last build is linked from the last build's
    folder rather than rendered. This build's keys are saved only once the
    new folder is in place, so no key outlives the files it names.
    """
    if reuse is None:
        return write_tree(render_stream(digest), out)
    keys = RenderKeys(reuse.render_keys(), render_version(_code_version()))
    written = write_tree(render_stream(digest, keys), out)
    reuse.save_render_keys(keys.rows(file_stamps(out, keys.made)))
    return written


def build(
    paths: Sequence[Path],
    out: Path,
    settings: BuildSettings,
    progress: Callable[[str], None] | None = None,
    *,
    strict: bool = False,
) -> tuple[Digest, int]:
    """Run the whole pipeline and replace ``out`` with the result; the digest and files written."""
    loaded = load_articles(paths, settings, progress)
    check_loaded(loaded, paths, strict=strict)
    digest = make_digest(loaded, settings)
    return digest, write_outputs(digest, out)
