"""Fetching: every answer a feed server gives, from a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import socket
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from digest import __version__
from digest.feeds import parse_feed
from digest.fetch import (
    Fetcher,
    FetchPolicy,
    FetchResult,
    Validators,
    after_unusable_body,
    fetch,
)
from tests.httpserver import LoopbackServer, Reply, serve

CASES = Path(__file__).resolve().parent / "cases" / "feeds"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=2)  # past the default one-hour interval
MB = 1024 * 1024
RSS = (("Content-Type", "application/rss+xml; charset=utf-8"),)
# Short enough that the tests of time-outs take a fraction of a second.
QUICK = 0.3


class Waits:
    """A stand-in for time.sleep that records each wait instead of waiting."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as running:
        yield running


@pytest.fixture
def waits() -> Waits:
    return Waits()


def _feed_bytes() -> bytes:
    return (CASES / "rss20_content_encoded_preferred.input").read_bytes()


def _get(
    server: LoopbackServer,
    path: str,
    waits: Waits,
    validators: Validators | None = None,
    *,
    now: datetime = NOW,
    force: bool = False,
    **policy: object,
) -> FetchResult:
    return fetch(
        server.url(path),
        validators or Validators(),
        policy=FetchPolicy(**policy),  # type: ignore[arg-type]
        now=now,
        force=force,
        sleep=waits,
    )


# --- feeds of every flavour -------------------------------------------------------

FLAVOURS = [
    ("rss091_netscape_doctype", "application/rss+xml", "rss091n"),
    ("rss10_rdf_dublin_core", "application/rdf+xml", "rss10"),
    ("rss20_content_encoded_preferred", "application/rss+xml; charset=utf-8", "rss20"),
    ("atom03_escaped_content", "application/atom+xml", "atom03"),
    ("atom10_xhtml_and_summary", "application/atom+xml", "atom10"),
    ("jsonfeed11_html_and_text", "application/feed+json", "json11"),
]


@pytest.mark.parametrize(("name", "content_type", "flavour"), FLAVOURS)
def test_every_feed_flavour_is_fetched_and_parsed(
    server: LoopbackServer, waits: Waits, name: str, content_type: str, flavour: str
) -> None:
    document = (CASES / f"{name}.input").read_bytes()
    server.route("/feed", Reply(200, document, (("Content-Type", content_type),)))
    result = _get(server, "/feed", waits)
    assert (result.status, result.error, result.body) == (200, None, document)
    assert result.content_type == content_type
    assert result.body is not None
    parsed = parse_feed(result.body, origin=result.final_url, content_type=result.content_type)
    assert parsed.is_feed and parsed.format == flavour
    assert parsed.entries and all(entry.kind == "feed" for entry in parsed.entries)


def test_request_names_digest_and_asks_for_feeds(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(200, _feed_bytes(), RSS))
    _get(server, "/feed", waits)
    [request] = server.requests
    agent = request.header("User-Agent") or ""
    assert agent == FetchPolicy().user_agent
    assert agent.startswith(f"digest/{__version__} (") and "news digest" in agent
    assert "application/rss+xml" in (request.header("Accept") or "")
    assert request.header("Accept-Encoding") == "gzip, deflate"
    assert request.header("If-None-Match") is None
    assert request.header("If-Modified-Since") is None


# --- conditional requests ---------------------------------------------------------


def test_repeat_request_with_etag_gets_304_and_keeps_the_etag(
    server: LoopbackServer, waits: Waits
) -> None:
    server.route("/feed", Reply(200, _feed_bytes(), (*RSS, ("ETag", '"v1"'))), Reply(304))
    first = _get(server, "/feed", waits)
    assert first.validators == Validators(etag='"v1"', last_fetched=NOW)
    second = _get(server, "/feed", waits, first.validators, now=LATER)
    assert server.requests[1].header("If-None-Match") == '"v1"'
    assert (second.status, second.not_modified, second.body, second.error) == (
        304,
        True,
        None,
        None,
    )
    assert second.validators == Validators(etag='"v1"', last_fetched=LATER)


def test_repeat_request_with_last_modified_gets_304(server: LoopbackServer, waits: Waits) -> None:
    stamp = "Tue, 24 Nov 2026 18:00:00 GMT"
    server.route("/feed", Reply(200, _feed_bytes(), (*RSS, ("Last-Modified", stamp))), Reply(304))
    first = _get(server, "/feed", waits)
    second = _get(server, "/feed", waits, first.validators, now=LATER)
    assert server.requests[1].header("If-Modified-Since") == stamp
    assert server.requests[1].header("If-None-Match") is None
    assert second.not_modified
    assert second.validators.last_modified == stamp


def test_validator_that_is_not_ascii_is_not_sent_back(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(200, _feed_bytes(), (*RSS, ("ETag", '"café"'))))
    first = _get(server, "/feed", waits)
    assert first.validators.etag == '"café"'
    second = _get(server, "/feed", waits, first.validators, now=LATER)
    assert second.body == _feed_bytes()
    assert server.requests[1].header("If-None-Match") is None


def test_changed_feed_replaces_the_validators(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(200, _feed_bytes(), RSS))  # no ETag any more
    previous = Validators(etag='"old"', last_modified="x", failures=2, last_fetched=NOW)
    result = _get(server, "/feed", waits, previous, now=LATER)
    assert result.body == _feed_bytes()
    assert result.validators == Validators(last_fetched=LATER)


def test_unusable_body_keeps_the_old_validators_so_it_is_downloaded_again(
    server: LoopbackServer, waits: Waits
) -> None:
    page = b"<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>"
    server.route("/feed", Reply(200, page, (("Content-Type", "text/html"), ("ETag", '"p"'))))
    previous = Validators(etag='"v1"', failures=1, last_fetched=NOW)
    result = _get(server, "/feed", waits, previous, now=LATER)
    assert result.error is None and result.body == page
    parsed = parse_feed(result.body, origin=result.final_url, content_type=result.content_type)
    assert not parsed.is_feed
    assert [p.reason for p in parsed.problems] == ["not a feed (looks like an HTML page)"]
    assert after_unusable_body(result, previous) == Validators(
        etag='"v1"', last_fetched=LATER, failures=2
    )


# --- rate limits, retries, gone -----------------------------------------------------


def test_429_with_retry_after_seconds_is_not_retried_and_remembered(
    server: LoopbackServer, waits: Waits
) -> None:
    server.route("/feed", Reply(429, b"slow down", (("Retry-After", "120"),)))
    result = _get(server, "/feed", waits, Validators(etag='"v1"', failures=1))
    assert len(server.requests) == 1 and waits.seconds == []
    assert result.status == 429 and result.body is None
    assert result.error == "rate limited; retry after 2026-11-25T09:02:00+00:00"
    assert result.validators == Validators(
        etag='"v1"', last_fetched=NOW, retry_after=NOW + timedelta(seconds=120), failures=2
    )
    again = _get(
        server, "/feed", waits, result.validators, now=NOW + timedelta(minutes=1), force=True
    )
    assert again.skipped == "skipped: rate limited; retry after 2026-11-25T09:02:00+00:00"
    assert len(server.requests) == 1


def test_503_with_retry_after_date_is_honoured(server: LoopbackServer, waits: Waits) -> None:
    when = NOW + timedelta(minutes=30)
    server.route("/feed", Reply(503, b"", (("Retry-After", format_datetime(when, usegmt=True)),)))
    result = _get(server, "/feed", waits)
    assert len(server.requests) == 1
    assert result.validators.retry_after == when
    assert result.error == "rate limited; retry after 2026-11-25T09:30:00+00:00"


def test_retry_after_is_capped(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(429, b"", (("Retry-After", "99999999999999999999"),)))
    result = _get(server, "/feed", waits, max_retry_after=timedelta(hours=6))
    assert result.validators.retry_after == NOW + timedelta(hours=6)


def test_server_error_then_success_is_retried_with_backoff(
    server: LoopbackServer, waits: Waits
) -> None:
    server.route("/feed", Reply(500), Reply(503), Reply(200, _feed_bytes(), RSS))
    result = _get(server, "/feed", waits, Validators(failures=3), retries=2, backoff=0.5)
    assert (result.status, result.error, result.attempts) == (200, None, 3)
    assert result.body == _feed_bytes()
    assert waits.seconds == [0.5, 1.0]
    assert result.validators.failures == 0


def test_persistent_server_error_gives_up_after_the_retries(
    server: LoopbackServer, waits: Waits
) -> None:
    server.route("/feed", Reply(500))
    result = _get(server, "/feed", waits, Validators(etag='"v1"', failures=1), retries=2)
    assert (result.status, result.error, result.body, result.attempts) == (500, "HTTP 500", None, 3)
    assert len(server.requests) == 3
    assert result.validators == Validators(etag='"v1"', last_fetched=NOW, failures=2)


def test_client_error_is_not_retried(server: LoopbackServer, waits: Waits) -> None:
    result = _get(server, "/missing", waits, retries=2)
    assert (result.status, result.error, result.attempts) == (404, "HTTP 404", 1)
    assert waits.seconds == []


def test_410_marks_the_feed_gone_and_later_fetches_skip_it(
    server: LoopbackServer, waits: Waits
) -> None:
    server.route("/feed", Reply(410), Reply(200, _feed_bytes(), RSS))
    result = _get(server, "/feed", waits)
    assert (result.status, result.error, result.validators.gone) == (410, "gone (HTTP 410)", True)
    later = _get(server, "/feed", waits, result.validators, now=NOW + timedelta(days=30))
    assert later.skipped is not None and later.skipped.startswith("skipped: gone (HTTP 410)")
    assert len(server.requests) == 1
    forced = _get(server, "/feed", waits, result.validators, now=LATER, force=True)
    assert forced.body == _feed_bytes()
    assert forced.validators.gone is False


def test_recent_fetch_is_skipped_unless_forced(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(200, _feed_bytes(), RSS))
    recent = Validators(etag='"v1"', last_fetched=NOW - timedelta(minutes=10))
    skipped = _get(server, "/feed", waits, recent)
    assert skipped == FetchResult(
        url=server.url("/feed"),
        final_url=server.url("/feed"),
        status=None,
        body=None,
        content_type=None,
        not_modified=False,
        error=None,
        validators=recent,
        skipped="skipped: fetched 10 minutes ago",
    )
    assert server.requests == []
    forced = _get(server, "/feed", waits, recent, force=True)
    assert forced.body == _feed_bytes() and len(server.requests) == 1


def test_interval_counts_from_the_last_request(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(200, _feed_bytes(), RSS))
    last = Validators(last_fetched=NOW - timedelta(minutes=59))
    assert _get(server, "/feed", waits, last).skipped == "skipped: fetched 59 minutes ago"
    assert _get(server, "/feed", waits, last, min_interval=timedelta(minutes=30)).body


# --- time-outs, redirects, sizes ----------------------------------------------------


def test_slow_answer_times_out(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(200, _feed_bytes(), RSS, delay=QUICK * 5))
    result = _get(server, "/feed", waits, timeout=QUICK, retries=1, backoff=0.25)
    assert (result.status, result.body) == (None, None)
    assert result.error == f"timed out after {QUICK:g} s"
    assert result.attempts == 2 and waits.seconds == [0.25]
    assert result.validators.failures == 1


def test_trickling_body_is_cut_off_at_the_time_out(server: LoopbackServer, waits: Waits) -> None:
    # Each piece arrives well within the time-out; the whole answer does not.
    server.route("/feed", Reply(200, _feed_bytes(), RSS, pieces=30, pause=QUICK / 3))
    result = _get(server, "/feed", waits, timeout=QUICK, retries=0)
    assert result.error == f"timed out after {QUICK:g} s"
    assert result.body is None


def test_redirects_are_followed_to_the_final_address(server: LoopbackServer, waits: Waits) -> None:
    server.route("/old", Reply(301, headers=(("Location", "/middle"),)))
    server.route("/middle", Reply(302, headers=(("Location", server.url("/feed")),)))
    server.route("/feed", Reply(200, _feed_bytes(), RSS))
    result = _get(server, "/old", waits)
    assert (result.url, result.final_url) == (server.url("/old"), server.url("/feed"))
    assert result.body == _feed_bytes()
    assert [r.header("User-Agent") for r in server.requests] == [FetchPolicy().user_agent] * 3


def test_redirect_loop_is_detected(server: LoopbackServer, waits: Waits) -> None:
    server.route("/a", Reply(302, headers=(("Location", "/b"),)))
    server.route("/b", Reply(302, headers=(("Location", "/a"),)))
    result = _get(server, "/a", waits)
    assert (result.error, result.body, result.attempts) == ("redirect loop", None, 1)
    assert [r.path for r in server.requests] == ["/a", "/b"]


def test_too_many_redirects(server: LoopbackServer, waits: Waits) -> None:
    for hop in range(7):
        server.route(f"/r{hop}", Reply(307, headers=(("Location", f"/r{hop + 1}"),)))
    result = _get(server, "/r0", waits, max_redirects=5)
    assert result.error == "too many redirects (more than 5)"
    assert len(server.requests) == 6


@pytest.mark.parametrize("send_length", [True, False], ids=["declared", "undeclared"])
def test_huge_body_is_refused(server: LoopbackServer, waits: Waits, send_length: bool) -> None:
    server.route("/feed", Reply(200, b"x" * (6 * MB), RSS, send_length=send_length))
    result = _get(server, "/feed", waits)
    assert (result.status, result.body, result.error) == (200, None, "too large (over 5 MB)")
    assert result.validators.failures == 1


def _bomb(encoding: str, decompressed: int) -> bytes:
    """``decompressed`` zero bytes compressed; a few kilobytes per 10 MB."""
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS, "raw": -zlib.MAX_WBITS}
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits[encoding])
    block = bytes(MB)
    return b"".join(packer.compress(block) for _ in range(decompressed // MB)) + packer.flush()


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw"])
def test_compression_bomb_is_stopped_after_decompression(
    server: LoopbackServer, waits: Waits, encoding: str
) -> None:
    bomb = _bomb(encoding, 64 * MB)
    assert len(bomb) < MB  # small on the wire: only the decompressed size can catch it
    header = "deflate" if encoding == "raw" else encoding
    server.route("/feed", Reply(200, bomb, (*RSS, ("Content-Encoding", header))))
    tracemalloc.start()
    try:
        result = _get(server, "/feed", waits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (result.body, result.error) == (None, "too large (over 5 MB)")
    # Inflating a whole network chunk at once would take a thousand times its size.
    assert peak < 3 * FetchPolicy().max_bytes


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw"])
def test_compressed_feed_is_decompressed(
    server: LoopbackServer, waits: Waits, encoding: str
) -> None:
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS, "raw": -zlib.MAX_WBITS}
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits[encoding])
    packed = packer.compress(_feed_bytes()) + packer.flush()
    header = "deflate" if encoding == "raw" else encoding
    server.route("/feed", Reply(200, packed, (*RSS, ("Content-Encoding", header))))
    assert _get(server, "/feed", waits).body == _feed_bytes()


def test_gzip_of_several_members_is_read_whole(server: LoopbackServer, waits: Waits) -> None:
    document = _feed_bytes()
    middle = len(document) // 2
    packed = gzip.compress(document[:middle]) + gzip.compress(document[middle:])
    server.route("/feed", Reply(200, packed, (*RSS, ("Content-Encoding", "gzip"))))
    assert _get(server, "/feed", waits).body == document


def test_corrupt_gzip_is_an_error_not_a_crash(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(200, b"\x1f\x8bnot gzip at all", (("Content-Encoding", "gzip"),)))
    result = _get(server, "/feed", waits)
    assert result.error == "could not decompress the body (corrupt data)"


def test_encoding_we_did_not_ask_for_is_refused(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(200, b"\x8b\x05\x80hello\x03", (("Content-Encoding", "br"),)))
    result = _get(server, "/feed", waits)
    assert result.error == "unsupported content encoding 'br'"
    assert result.body is None


# --- no answer at all ---------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_refused_connection_is_retried_then_reported(waits: Waits) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/feed"
    result = fetch(url, Validators(), policy=FetchPolicy(retries=2), now=NOW, sleep=waits)
    assert result.status is None and result.body is None
    assert result.error is not None and result.error.startswith("cannot connect")
    assert result.attempts == 3 and waits.seconds == [0.5, 1.0]
    assert result.validators == Validators(last_fetched=NOW, failures=1)


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/feed", "not an address", "http://"])
def test_address_that_cannot_be_fetched_is_reported(url: str, waits: Waits) -> None:
    result = fetch(url, Validators(), policy=FetchPolicy(), now=NOW, sleep=waits)
    assert result.error is not None and result.error.startswith("cannot fetch this address")
    assert result.attempts == 1


# --- many feeds ---------------------------------------------------------------------


class FrozenClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_fetch_many_keeps_order_and_the_host_delay(server: LoopbackServer, waits: Waits) -> None:
    for path in ("/one", "/two", "/three"):
        server.route(path, Reply(200, _feed_bytes(), RSS))
    clock = FrozenClock()
    policy = FetchPolicy(host_delay=1.0)
    sources = [(server.url(p), Validators()) for p in ("/two", "/one", "/three")]
    with Fetcher(policy, sleep=waits, clock=clock) as fetcher:
        results = list(fetcher.fetch_many(sources, now=NOW))
    assert [r.url for r in results] == [url for url, _ in sources]
    assert [r.path for r in server.requests] == ["/two", "/one", "/three"]
    assert waits.seconds == [1.0, 1.0]  # the clock never moved: a full delay each time


def test_host_delay_counts_time_already_passed(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(200, _feed_bytes(), RSS))
    clock = FrozenClock()
    with Fetcher(FetchPolicy(host_delay=1.0), sleep=waits, clock=clock) as fetcher:
        fetcher.fetch(server.url("/feed"), Validators(), now=NOW)
        clock.now += 0.75
        fetcher.fetch(server.url("/feed"), Validators(), now=NOW, force=True)
        clock.now += 5
        fetcher.fetch(server.url("/feed"), Validators(), now=NOW, force=True)
    assert waits.seconds == [pytest.approx(0.25)]


def test_skipped_sources_cost_no_request_and_no_wait(server: LoopbackServer, waits: Waits) -> None:
    server.route("/feed", Reply(200, _feed_bytes(), RSS))
    recent = Validators(last_fetched=NOW)
    with Fetcher(FetchPolicy(host_delay=1.0), sleep=waits, clock=FrozenClock()) as fetcher:
        results = list(fetcher.fetch_many([(server.url("/feed"), recent)] * 3, now=NOW))
    assert [r.skipped for r in results] == ["skipped: fetched less than a minute ago"] * 3
    assert server.requests == [] and waits.seconds == []
