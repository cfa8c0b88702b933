"""Fetch: polite HTTP requests for feeds, and what a source remembers between them.

A fetch asks only when the source is due (``min_interval`` since the last
request, any ``Retry-After`` the server gave, not gone), sends conditional
headers so an unchanged feed costs a 304, follows a bounded number of
redirects, retries connection errors, time-outs and server errors with
exponential backoff, and reads at most ``max_bytes`` of *decompressed* body,
so neither a huge document nor a compression bomb can fill memory.

Time is an input: ``now`` stamps the validators and decides what is due,
``sleep`` performs every wait, so tests never wait for real.

Saving state: ``FetchResult.validators`` is what to store after a fetch whose
body, if there was one, the caller parsed successfully. When the body could
not be used, store ``after_unusable_body(result, previous)`` instead, so that
the next fetch downloads the document again rather than being told by a 304
that the unusable document has not changed.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from digest import __version__

Sleep = Callable[[float], None]
Pacer = Callable[[str], None]

# Feed types first, then anything: a server with content negotiation should
# prefer a feed, and one without should still answer.
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, "
    "application/json;q=0.7, */*;q=0.5"
)
# Only the encodings decompressed here, with a bound on the output.
ACCEPT_ENCODING = "gzip, deflate"
# Statuses that mean "ask again later"; with a Retry-After they are not retried now.
RATE_LIMIT_STATUSES = frozenset({429, 503})
GONE = 410
NOT_MODIFIED = 304


@dataclass(frozen=True, slots=True)
class Validators:
    """What a source remembers between fetches."""

    etag: str | None = None
    last_modified: str | None = None
    last_fetched: datetime | None = None  # tz-aware: when we last asked
    retry_after: datetime | None = None  # do not ask before this
    failures: int = 0  # consecutive failed fetches, reset by a success
    gone: bool = False  # the server said 410 Gone


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetch: the document, or why there is none.

    ``body`` is set only for a successful (2xx) answer read in full; it is
    None for a 304, an error or a skip. ``skipped`` says why no request was
    made (not due yet, rate limited, gone); ``error`` is one line saying what
    went wrong with a request that was made.
    """

    url: str  # as asked
    final_url: str  # after redirects
    status: int | None  # None when there was no HTTP answer (or no request)
    body: bytes | None
    content_type: str | None
    not_modified: bool
    error: str | None
    validators: Validators  # to save once the body, if any, has been parsed
    skipped: str | None = None
    attempts: int = 0  # requests made, retries included (redirects are not counted)


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how far a fetch goes."""

    user_agent: str = f"digest/{__version__} (news digest generator; polite feed reader)"
    timeout: float = 10.0  # seconds: to connect, between bytes, and for a whole answer
    max_bytes: int = 5 * 1024 * 1024  # of body, counted after decompression
    max_redirects: int = 5
    min_interval: timedelta = timedelta(hours=1)  # per feed; force=True overrides
    host_delay: float = 1.0  # seconds between requests to one host (Fetcher)
    retries: int = 2  # for connection errors, time-outs and 5xx, not 4xx
    backoff: float = 0.5  # seconds before the first retry, doubled each time
    max_retry_after: timedelta = timedelta(hours=6)  # longest Retry-After honoured


@dataclass(frozen=True, slots=True)
class _Answer:
    """What one attempt (with its redirects) got, before any state is updated."""

    final_url: str
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_at: datetime | None = None  # from a rate-limiting answer's Retry-After
    error: str | None = None
    retryable: bool = False


class _TooLarge(Exception):
    """The body grew past the limit while it was read."""


class _Overdue(Exception):
    """The whole answer took longer than the time-out."""


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:g} MB"


# --- when to ask ----------------------------------------------------------------


def _skip_reason(
    validators: Validators, policy: FetchPolicy, now: datetime, force: bool
) -> str | None:
    """Why no request should be made now, or None when the source is due.

    ``force`` overrides our own limits (the interval, a remembered 410) but
    not a server's Retry-After, which it asked for explicitly.
    """
    if validators.retry_after is not None and now < validators.retry_after:
        until = validators.retry_after.isoformat(timespec="seconds")
        return f"skipped: rate limited; retry after {until}"
    if force:
        return None
    if validators.gone:
        return "skipped: gone (HTTP 410) at the last fetch; fetch with force to try again"
    last = validators.last_fetched
    if last is not None and last <= now and now - last < policy.min_interval:
        minutes = int((now - last).total_seconds() // 60)
        ago = "less than a minute" if minutes < 1 else f"{minutes} minute{'s' * (minutes != 1)}"
        return f"skipped: fetched {ago} ago"
    return None


def _retry_after(value: str | None, now: datetime, cap: timedelta) -> datetime | None:
    """When a Retry-After header (seconds or an HTTP date) lets us ask again."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        delay = timedelta(seconds=min(int(value), cap.total_seconds()))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        delay = when.replace(tzinfo=when.tzinfo or UTC) - now
    return now + max(timedelta(0), min(delay, cap))


# --- reading a body -------------------------------------------------------------


def _has_zlib_header(data: bytes) -> bool:
    """True when ``data`` starts with a zlib header (RFC 1950: method 8, checksum)."""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


class _BoundedDecoder:
    """Decompresses a Content-Encoding without producing more than a limit.

    Each network chunk is inflated with ``max_length`` one past the room left,
    so a chunk that would expand beyond the limit is stopped there instead of
    being expanded in memory first.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._inflater = self._new_inflater()
        self._started = False

    def _new_inflater(self) -> zlib._Decompress | None:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.encoding == "deflate":
            return zlib.decompressobj()
        return None

    def decode(self, data: bytes, room: int) -> bytes:
        """The decoded bytes of ``data``; raises _TooLarge past ``room`` bytes."""
        if self._inflater is None:
            if len(data) > room:
                raise _TooLarge
            return data
        if self.encoding == "deflate" and not self._started and not _has_zlib_header(data):
            # Some servers send raw deflate without the zlib header it should have.
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        self._started = True
        output = b""
        while data:
            piece = self._inflater.decompress(data, room - len(output) + 1)
            output += piece
            if len(output) > room:
                raise _TooLarge
            # A gzip body may hold several members one after another.
            if self._inflater.eof and self._inflater.unused_data and self.encoding != "deflate":
                data = self._inflater.unused_data
                self._inflater = self._new_inflater()
                assert self._inflater is not None
            else:
                data = b""
        return output


def _content_encoding(response: httpx.Response) -> str | None:
    """The one encoding to undo, "" for none, or None when it is not supported."""
    header: str = response.headers.get("content-encoding", "")
    codings = [
        coding.strip().lower()
        for coding in header.split(",")
        if coding.strip() and coding.strip().lower() != "identity"
    ]
    if not codings:
        return ""
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return codings[0]
    return None


def _read_body(response: httpx.Response, policy: FetchPolicy, deadline: float) -> bytes:
    """The decoded body, bounded in size and in time."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise _TooLarge
    decoder = _BoundedDecoder(_content_encoding(response) or "")
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_raw():
        if time.monotonic() > deadline:
            raise _Overdue
        decoded = decoder.decode(chunk, policy.max_bytes - size)
        size += len(decoded)
        parts.append(decoded)
    return b"".join(parts)


# --- one attempt ----------------------------------------------------------------


def _request_headers(validators: Validators, policy: FetchPolicy) -> dict[str, str]:
    """The headers of every request for a feed, conditional when we can be."""
    headers = {
        "User-Agent": policy.user_agent,
        "Accept": ACCEPT,
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    # A validator a server sent in another charset cannot be sent back in
    # ASCII; without it the request is merely unconditional.
    if validators.etag and validators.etag.isascii():
        headers["If-None-Match"] = validators.etag
    if validators.last_modified and validators.last_modified.isascii():
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _attempt(
    url: str,
    validators: Validators,
    policy: FetchPolicy,
    now: datetime,
    client: httpx.Client,
    pace: Pacer,
) -> _Answer:
    """One request and the redirects it leads to; never raises for network trouble."""
    headers = _request_headers(validators, policy)
    timeout = httpx.Timeout(policy.timeout)
    deadline = time.monotonic() + policy.timeout
    current = url
    seen = {url}
    try:
        for _hop in range(policy.max_redirects + 1):
            pace(current)
            request = client.build_request("GET", current, headers=headers, timeout=timeout)
            response = client.send(request, stream=True, follow_redirects=False)
            try:
                if response.next_request is None:
                    return _answer(response, current, policy, now, deadline)
                current = str(response.next_request.url)
            finally:
                response.close()
            if current in seen:
                return _Answer(current, error="redirect loop")
            seen.add(current)
        return _Answer(current, error=f"too many redirects (more than {policy.max_redirects})")
    except httpx.TimeoutException:
        return _Answer(current, error=f"timed out after {policy.timeout:g} s", retryable=True)
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
        return _Answer(current, error=f"cannot fetch this address: {error}")
    except httpx.ConnectError as error:
        return _Answer(current, error=f"cannot connect: {error}", retryable=True)
    except httpx.TransportError as error:
        return _Answer(current, error=f"connection failed: {error}", retryable=True)


def _answer(
    response: httpx.Response, url: str, policy: FetchPolicy, now: datetime, deadline: float
) -> _Answer:
    """What a final (non-redirect) response means."""
    status = response.status_code
    found = _Answer(
        final_url=url,
        status=status,
        content_type=response.headers.get("content-type"),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )
    if status == NOT_MODIFIED:
        return found
    if status == GONE:
        return replace(found, error="gone (HTTP 410)")
    retry_at = _retry_after(response.headers.get("retry-after"), now, policy.max_retry_after)
    if status in RATE_LIMIT_STATUSES and retry_at is not None:
        until = retry_at.isoformat(timespec="seconds")
        return replace(found, retry_at=retry_at, error=f"rate limited; retry after {until}")
    if status >= 500:
        return replace(found, error=f"HTTP {status}", retryable=True)
    if status == 429:
        return replace(found, error="rate limited (HTTP 429)")
    if not 200 <= status < 300:
        return replace(found, error=f"HTTP {status}")
    if _content_encoding(response) is None:
        encoding = response.headers.get("content-encoding")
        return replace(found, error=f"unsupported content encoding {encoding!r}")
    try:
        return replace(found, body=_read_body(response, policy, deadline))
    except _TooLarge:
        return replace(found, error=f"too large (over {_megabytes(policy.max_bytes)})")
    except _Overdue:
        return replace(found, error=f"timed out after {policy.timeout:g} s", retryable=True)
    except zlib.error:
        return replace(found, error="could not decompress the body (corrupt data)")


# --- results --------------------------------------------------------------------


def _result(
    url: str, answer: _Answer, validators: Validators, now: datetime, attempts: int
) -> FetchResult:
    """The result of the last attempt, with the validators to remember."""
    if answer.error is None:
        remembered = Validators(
            etag=answer.etag or (validators.etag if answer.status == NOT_MODIFIED else None),
            last_modified=answer.last_modified
            or (validators.last_modified if answer.status == NOT_MODIFIED else None),
            last_fetched=now,
        )
    else:
        remembered = replace(
            validators,
            last_fetched=now,
            retry_after=answer.retry_at,
            failures=validators.failures + 1,
            gone=answer.status == GONE if answer.status is not None else validators.gone,
        )
    return FetchResult(
        url=url,
        final_url=answer.final_url,
        status=answer.status,
        body=answer.body,
        content_type=answer.content_type,
        not_modified=answer.status == NOT_MODIFIED,
        error=answer.error,
        validators=remembered,
        attempts=attempts,
    )


def after_unusable_body(result: FetchResult, previous: Validators) -> Validators:
    """The validators to save when a fetched body could not be parsed.

    The new ETag and Last-Modified are dropped, so the next fetch downloads
    the document again, and the failure is counted.
    """
    return replace(
        result.validators,
        etag=previous.etag,
        last_modified=previous.last_modified,
        failures=previous.failures + 1,
    )


def _no_pacing(url: str) -> None:
    """A lone fetch has no earlier request to the host to keep a distance from."""


def _fetch(
    url: str,
    validators: Validators,
    policy: FetchPolicy,
    now: datetime,
    force: bool,
    client: httpx.Client,
    sleep: Sleep,
    pace: Pacer,
) -> FetchResult:
    skipped = _skip_reason(validators, policy, now, force)
    if skipped is not None:
        return FetchResult(url, url, None, None, None, False, None, validators, skipped)
    attempts = 0
    while True:
        answer = _attempt(url, validators, policy, now, client, pace)
        if not answer.retryable or attempts >= policy.retries:
            return _result(url, answer, validators, now, attempts + 1)
        sleep(policy.backoff * 2**attempts)
        attempts += 1


def new_client(policy: FetchPolicy) -> httpx.Client:
    """An HTTP client configured for ``policy``; redirects are followed by hand."""
    return httpx.Client(
        headers={"User-Agent": policy.user_agent},
        timeout=httpx.Timeout(policy.timeout),
        follow_redirects=False,
    )


def fetch(
    url: str,
    validators: Validators,
    *,
    policy: FetchPolicy,
    now: datetime,
    force: bool = False,
    client: httpx.Client | None = None,
    sleep: Sleep = time.sleep,
) -> FetchResult:
    """Fetch one feed if it is due; never raises for network or server trouble.

    ``now`` must be tz-aware. ``force`` ignores the minimum interval and a
    remembered 410, but not a server's Retry-After.
    """
    if client is not None:
        return _fetch(url, validators, policy, now, force, client, sleep, _no_pacing)
    with new_client(policy) as own:
        return _fetch(url, validators, policy, now, force, own, sleep, _no_pacing)


class Fetcher:
    """Fetches many feeds over one client, keeping ``host_delay`` between
    requests to the same host."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        client: httpx.Client | None = None,
        sleep: Sleep = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._client = client or new_client(self.policy)
        self._owns_client = client is None
        self._sleep = sleep
        self._clock = clock
        self._last_request: dict[str, float] = {}

    def _pace(self, url: str) -> None:
        """Wait until ``host_delay`` has passed since the last request to the host."""
        host = (urlsplit(url).hostname or "").lower()
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self.policy.host_delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = self._clock()

    def fetch(
        self, url: str, validators: Validators, *, now: datetime, force: bool = False
    ) -> FetchResult:
        """Like ``fetch``, sharing the client and the per-host pacing."""
        return _fetch(
            url, validators, self.policy, now, force, self._client, self._sleep, self._pace
        )

    def fetch_many(
        self, sources: Iterable[tuple[str, Validators]], *, now: datetime, force: bool = False
    ) -> Iterator[FetchResult]:
        """One result per (url, validators), in the order given, as each completes."""
        for url, validators in sources:
            yield self.fetch(url, validators, now=now, force=force)

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
