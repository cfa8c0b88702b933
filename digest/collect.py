"""Collect: bring each configured source's articles into the state store.

This is the networked half of ingest. A feed or page is fetched politely
(``fetch``), parsed (``feeds``, ``extract``) and its entries saved in the
store together with the source's new HTTP validators, in one transaction, so
validators are only ever saved beside the articles they vouch for. Local
folders are read with the ordinary readers. A failing source is reported and
skipped; the others go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime

from digest.config import SourceConfig
from digest.extract import extract_page
from digest.feeds import looks_like_feed, parse_feed
from digest.fetch import Fetcher, FetchResult, Validators, after_unusable_body
from digest.ingest import read_inputs, tidy_text
from digest.model import Problem, RawInput
from digest.store import SourceState, Store

# A feed entry with fewer words than this is a teaser; with ``full_text`` on,
# the linked page is fetched for the whole article.
TEASER_WORDS = 120

_VALIDATOR_FIELDS = tuple(f.name for f in fields(Validators))


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What collecting one source did, for the run summary and `digest sources`."""

    name: str
    status: str
    new: int = 0
    problems: tuple[Problem, ...] = ()

    def line(self) -> str:
        return f"{self.name}: {self.status}" + (f" ({self.new} new)" if self.new else "")


def validators_of(state: SourceState) -> Validators:
    """The HTTP part of a source's stored state."""
    return Validators(**{name: getattr(state, name) for name in _VALIDATOR_FIELDS})


def state_after(
    state: SourceState, validators: Validators, *, now: datetime, error: str | None, seen: int
) -> SourceState:
    """The stored state once a fetch ended with ``error`` (or none) and ``seen`` entries."""
    merged = replace(state, **{name: getattr(validators, name) for name in _VALIDATOR_FIELDS})
    if error:
        return replace(merged, last_error=error)
    return replace(
        merged, last_success=now, last_error=None, entries_seen=state.entries_seen + seen
    )


def _labelled(raw: RawInput, source: SourceConfig) -> RawInput:
    """An input tagged with the configured source it came through."""
    return replace(
        raw,
        source=raw.source or source.name,
        source_name=source.name,
        tags=tuple(dict.fromkeys((*raw.tags, *source.tags))),
    )


def _save(store: Store, source: SourceConfig, raws: Iterable[RawInput], now: datetime) -> int:
    """Save inputs; how many were new or changed."""
    return sum(store.save_raw(source.name, tidy_text(_labelled(raw, source)), now) for raw in raws)


def collect_local(store: Store, source: SourceConfig, now: datetime) -> SourceReport:
    """Read a local file or folder source into the store."""
    assert source.path is not None
    raws: list[RawInput] = []
    problems: list[Problem] = []
    for item in read_inputs([source.path], latest=now.date()):
        if isinstance(item, RawInput):
            raws.append(item)
        else:
            problems.append(item)
    state = store.validators(source.name)
    with store.transaction():
        new = _save(store, source, raws, now)
        store.save_fetch(
            source.name,
            state_after(state, validators_of(state), now=now, error=None, seen=len(raws)),
        )
    skipped = sum(1 for p in problems if p.severity == "skipped")
    status = f"read {len(raws)} articles" + (f", skipped {skipped}" if skipped else "")
    return SourceReport(source.name, status, new, tuple(problems))


def _full_text(fetcher: Fetcher, entry: RawInput, now: datetime) -> tuple[RawInput, Problem | None]:
    """The entry with its linked page's text when the feed gave only a teaser."""
    if not entry.url or len(entry.text.split()) >= TEASER_WORDS:
        return entry, None
    result = fetcher.fetch(entry.url, Validators(), now=now, force=True)
    if result.body is None:
        return entry, Problem(entry.origin, f"full text: {result.error or 'no page'}", "warning")
    page = extract_page(result.body, url=result.final_url, latest=now.date())
    if page is None or not page.paragraphs:
        return entry, Problem(entry.origin, "full text: no article text in the page", "warning")
    return replace(
        entry, text="\n\n".join(page.paragraphs), author=entry.author or page.author
    ), None


def _page_input(result: FetchResult, now: datetime) -> RawInput | None:
    """One web page source as an input, or None when it holds no article."""
    assert result.body is not None
    page = extract_page(result.body, url=result.final_url, latest=now.date())
    if page is None or not page.paragraphs:
        return None
    return RawInput(
        origin=result.url,
        kind="html",
        text="\n\n".join(page.paragraphs),
        title=page.title,
        url=page.url or result.final_url,
        source=page.site_name,
        published=page.published,
        author=page.author,
    )


def collect_remote(
    store: Store, source: SourceConfig, fetcher: Fetcher, now: datetime, *, force: bool
) -> SourceReport:
    """Fetch one feed or page source and save what it holds."""
    assert source.url is not None
    state = store.validators(source.name)
    result = fetcher.fetch(source.url, validators_of(state), now=now, force=force)
    if result.skipped:
        return SourceReport(source.name, result.skipped)
    if result.not_modified or result.body is None:
        error = None if result.not_modified else (result.error or "no answer")
        store.save_fetch(
            source.name, state_after(state, result.validators, now=now, error=error, seen=0)
        )
        if error:
            return SourceReport(source.name, f"failed: {error}", 0, (Problem(source.url, error),))
        return SourceReport(source.name, "not modified")
    entries, problems = _parse(result, source, fetcher, now)
    if entries is None:
        reason = problems[0].reason if problems else "nothing usable in the answer"
        kept = after_unusable_body(result, validators_of(state))
        store.save_fetch(source.name, state_after(state, kept, now=now, error=reason, seen=0))
        return SourceReport(source.name, f"failed: {reason}", 0, tuple(problems))
    with store.transaction():
        new = _save(store, source, entries, now)
        store.save_fetch(
            source.name,
            state_after(state, result.validators, now=now, error=None, seen=len(entries)),
        )
    return SourceReport(source.name, f"fetched {len(entries)} entries", new, tuple(problems))


def _parse(
    result: FetchResult, source: SourceConfig, fetcher: Fetcher, now: datetime
) -> tuple[list[RawInput] | None, list[Problem]]:
    """The inputs in a fetched body, or None with the reasons when it is unusable."""
    assert result.body is not None
    kind = source.kind
    if kind == "auto":
        kind = "feed" if looks_like_feed(result.body[:8192]) else "html"
    if kind == "html":
        page = _page_input(result, now)
        if page is None:
            return None, [Problem(result.url, "no article text found in the page")]
        return [page], []
    parsed = parse_feed(
        result.body,
        origin=result.url,
        source_name=source.name,
        content_type=result.content_type,
    )
    problems = list(parsed.problems)
    if not parsed.is_feed:
        return None, problems or [Problem(result.url, "not a feed")]
    entries = list(parsed.entries)
    if source.full_text:
        completed = [_full_text(fetcher, entry, now) for entry in entries]
        entries = [entry for entry, _ in completed]
        problems += [problem for _, problem in completed if problem is not None]
    return entries, problems


def collect(
    store: Store,
    sources: Sequence[SourceConfig],
    *,
    now: datetime,
    offline: bool = False,
    force: bool = False,
    fetcher: Fetcher | None = None,
) -> tuple[SourceReport, ...]:
    """Collect every source, in the config's order; remote ones only when online."""
    reports = []
    owned = fetcher is None and not offline
    active = fetcher or (None if offline else Fetcher())
    try:
        for source in sources:
            if source.path is not None:
                reports.append(collect_local(store, source, now))
            elif offline or active is None:
                reports.append(SourceReport(source.name, "offline: using stored articles"))
            else:
                reports.append(collect_remote(store, source, active, now, force=force))
    finally:
        if owned and active is not None:
            active.close()
    return tuple(reports)
