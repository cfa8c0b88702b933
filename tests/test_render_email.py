"""Email: ready-to-send, byte-stable messages that read well as text or HTML."""

from __future__ import annotations

import email
import email.policy
import math
import re
import smtplib
import socket
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from digest.model import Digest
from digest.render.email import (
    MAX_MESSAGE_BYTES,
    MAX_PREDICTIONS,
    MAX_SUBJECT_CHARS,
    PREDICTED_REACH,
    build_email,
    mailbox,
    message_bytes,
    most_that_fit,
    render_emails,
    shorten,
)
from tests.builders import make_article, make_brief, make_digest, make_story
from tests.test_render_sample import HOSTILE_HEADLINE, sample_digest

REQUIRED_HEADERS = ("From", "To", "Subject", "Date", "Message-ID", "List-Id", "MIME-Version")


def eml_files(digest: Digest) -> dict[str, bytes]:
    return {f.path: f.content for f in render_emails(digest)}


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def latest_message(digest: Digest | None = None) -> EmailMessage:
    digest = digest or sample_digest()
    return parse(eml_files(digest)["briefs/2020-w40/brief.eml"])


def bodies(message: EmailMessage) -> tuple[str, str]:
    """The decoded text and HTML parts, with line ends as LF whatever the wire used."""
    plain, html = message.iter_parts()
    assert isinstance(plain, EmailMessage) and isinstance(html, EmailMessage)
    return tuple(str(part.get_content()).replace("\r\n", "\n") for part in (plain, html))


def long_brief(stories: int, base_url: str = "https://news.example.org/") -> Digest:
    """A brief of many stories, each with several outlets and long sentences."""
    made = []
    for n in range(stories):
        articles = tuple(
            make_article(
                id=f"a{n}-{k}",
                title=f"Story {n} as reported by outlet {k}: a long headline about events",
                source=f"Outlet number {k}",
                url=f"https://outlet{k}.example.com/2020/09/{n}/a-long-path-to-the-article",
                sentences=tuple(
                    f"Sentence {s} of story {n} carries a realistic amount of detail, "
                    "with names, places and numbers like 1,234 and 56%."
                    for s in range(4)
                ),
            )
            for k in range(5)
        )
        made.append(make_story(id=f"s{n}", articles=articles))
    digest = make_digest(briefs=(make_brief(stories=tuple(made)),))
    return replace(digest, site=replace(digest.site, base_url=base_url))


@pytest.mark.parametrize("slug", ["2020-w40", "2020-w39"])
def test_messages_match_their_golden_files(slug: str, golden: Callable[[str, bytes], None]) -> None:
    raw = eml_files(sample_digest())[f"briefs/{slug}/brief.eml"]
    golden(f"render/email/{slug}.eml", raw)
    plain, html = bodies(parse(raw))
    # The decoded parts too, so a change reads as a plain diff.
    golden(f"render/email/{slug}.txt", plain.encode("utf-8"))
    golden(f"render/email/{slug}.html", html.encode("utf-8"))


def test_one_message_per_brief_beside_its_page() -> None:
    assert list(eml_files(sample_digest())) == [
        "briefs/2020-w40/brief.eml",
        "briefs/2020-w39/brief.eml",
    ]


def test_message_parses_back_without_defects_as_multipart_alternative() -> None:
    for raw in eml_files(sample_digest()).values():
        message = parse(raw)
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
        for part in message.walk():
            assert not part.defects, part.defects
        for name in REQUIRED_HEADERS:
            assert len(message.get_all(name, [])) == 1, name


def test_files_use_crlf_line_ends_as_smtp_sends_them() -> None:
    raw = eml_files(sample_digest())["briefs/2020-w40/brief.eml"]
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


def test_headers_name_the_site_the_brief_and_its_top_story() -> None:
    message = latest_message()
    assert message["Subject"] == (
        "Riverside digest: Week of 28 September – 4 October 2020 — "
        'Council passes <script>alert("x")</script> budget & "fair"…'
    )
    assert len(message["Subject"]) <= MAX_SUBJECT_CHARS
    assert message["From"] == "Riverside newsroom <digest@news.example.org>"
    assert message["To"] == "undisclosed-recipients:;"
    assert message["Date"] == "Thu, 01 Oct 2020 16:00:00 +0000"
    assert message["List-Id"] == '"Riverside digest" <digest.news.example.org>'
    assert re.fullmatch(
        r"<brief\.2020-w40\.[0-9a-f]{12}@news\.example\.org>", message["Message-ID"]
    )


def test_rendering_twice_gives_identical_bytes() -> None:
    assert eml_files(sample_digest()) == eml_files(sample_digest())
    assert eml_files(long_brief(50)) == eml_files(long_brief(50))


def test_different_content_gets_a_different_message_id_and_boundary() -> None:
    first = latest_message()
    digest = sample_digest()
    brief = digest.briefs[1]
    changed = replace(brief, stories=brief.stories[:1])
    second = parse(
        eml_files(replace(digest, briefs=(digest.briefs[0], changed)))["briefs/2020-w40/brief.eml"]
    )
    assert first["Message-ID"] != second["Message-ID"]
    assert first.get_boundary() != second.get_boundary()


def test_plain_text_reads_alone_wrapped_with_footnote_links() -> None:
    plain, _ = bodies(latest_message())
    lines = plain.splitlines()
    for line in lines:
        assert len(line) <= 72 or re.fullmatch(r"(\[\d+\] )?https?://\S+", line), line
    assert "&amp;" not in plain and "&lt;" not in plain and "&#" not in plain
    assert lines[0] == "Riverside digest"
    assert lines[2] == "Week of 28 September – 4 October 2020"
    assert set(lines[3]) == {"="}
    assert '1.  Council passes <script>alert("x")</script> budget & "fair"' in plain
    assert "    1 October 2020 (date uncertain)" in lines
    assert "    - Wire Desk: مجلس المدينة يقر الميزانية" in lines, "no footnote without a URL"
    assert lines[-2:] == [
        "[1] https://herald.example.org/2020/10/budget?ref=home&x=1",
        "[2] https://gazette.example.net/bridge",
    ]
    assert plain.endswith("\n") and not plain.endswith("\n\n")


def test_html_part_is_a_presentation_table_with_inlined_styles() -> None:
    _, html = bodies(latest_message())
    root = lxml_html.fromstring(html)
    assert root.get("lang") == "en"
    tables = root.xpath("//table")
    assert tables and all(t.get("role") == "presentation" for t in tables)
    assert not root.xpath("//script | //link[@rel='stylesheet']")
    # Every rule is inlined; only @media rules (dark mode, narrow screens) stay.
    (style,) = root.xpath("//style")
    assert (
        style.text
        and re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", style.text).strip() == ""
    )
    assert "prefers-color-scheme: dark" in style.text
    assert "color: #1b1b1b" in (root.xpath("//h1")[0].get("style") or "")


def test_html_part_escapes_headlines_and_links_stories_to_the_web_page() -> None:
    _, html = bodies(latest_message())
    root = lxml_html.fromstring(html)
    assert not root.xpath("//body//script | //b")
    first = root.xpath("//h2")[0]
    assert " ".join(first.text_content().split()) == HOSTILE_HEADLINE
    assert first.xpath("a/@href") == [
        "https://news.example.org/briefs/2020-w40/index.html#s-budget"
    ]


def test_the_preheader_is_the_top_story_first_sentence_and_hidden() -> None:
    _, html = bodies(latest_message())
    (pre,) = lxml_html.fromstring(html).xpath("//div[@class='preheader']")
    assert pre.text == "The council approved the budget on Monday by seven votes to two."
    assert "display: none" in (pre.get("style") or "")


def test_fifty_long_stories_stay_under_the_size_limit_and_link_the_rest() -> None:
    raw = eml_files(long_brief(50))["briefs/2020-w39/brief.eml"]
    assert len(raw) <= MAX_MESSAGE_BYTES < 100_000
    message = parse(raw)
    plain, html = bodies(message)
    shown = len(lxml_html.fromstring(html).xpath("//h2"))
    assert 0 < shown < 50
    omitted = 50 - shown
    assert f"{omitted} more stories in this brief. Read the rest on the web:" in " ".join(
        plain.split()
    )
    link = lxml_html.fromstring(html).xpath("//td[@class='more']/a")[0]
    assert link.text == "Read the rest on the web"
    assert link.get("href") == "https://news.example.org/briefs/2020-w39/index.html"
    assert plain.count("\n    Covered by") == shown, "both parts carry the same stories"


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=20_000),
    st.lists(st.integers(min_value=0, max_value=30_000), max_size=600),
    st.integers(min_value=0, max_value=400_000),
)
def test_the_most_stories_that_fit_are_found_in_few_builds(
    base: int, growth: list[int], limit: int
) -> None:
    # Sizes of messages showing 0, 1, 2, ... stories: growing, unevenly.
    sizes = [base]
    for more in growth:
        sizes.append(sizes[-1] + more)
    built: list[int] = []

    def size_with(shown: int) -> int:
        built.append(shown)
        return sizes[shown]

    found = most_that_fit(len(growth), size_with, limit)
    assert found == max((n for n, size in enumerate(sizes) if size <= limit), default=0)
    assert found in built, "the message returned is one that was built"
    assert len(built) <= MAX_PREDICTIONS + 2 * math.log2(len(growth) + 1) + 2
    assert max(built, default=0) <= PREDICTED_REACH * found + 1, "no message far past the answer"


def test_a_long_brief_without_base_url_says_how_many_stories_are_left() -> None:
    raw = eml_files(long_brief(50, base_url=""))["briefs/2020-w39/brief.eml"]
    assert len(raw) <= MAX_MESSAGE_BYTES
    plain, html = bodies(parse(raw))
    assert re.search(
        r"\d+ more stories in this brief did not fit in this email\.", " ".join(plain.split())
    )
    assert "http" not in lxml_html.fromstring(html).xpath("string(//td[@class='more'])")


def test_a_short_brief_is_sent_whole() -> None:
    plain, html = bodies(parse(eml_files(long_brief(3))["briefs/2020-w39/brief.eml"]))
    assert len(lxml_html.fromstring(html).xpath("//h2")) == 3
    assert "in this brief" not in plain


def test_one_huge_story_still_gives_a_message_under_the_limit() -> None:
    giant = make_article(sentences=("word " * 60_000,))
    digest = make_digest(briefs=(make_brief(stories=(make_story(articles=(giant,)),)),))
    raw = eml_files(digest)["briefs/2020-w39/brief.eml"]
    assert len(raw) <= MAX_MESSAGE_BYTES
    plain, _ = bodies(parse(raw))
    assert "1 more story in this brief" in " ".join(plain.split())


def test_shorten_cuts_at_a_word_and_marks_the_cut() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("unbreakable-long-word", 8) == "unbreak…"
    assert len(shorten("x " * 200, 50)) <= 50


def test_an_odd_site_still_gives_valid_headers() -> None:
    digest = sample_digest()
    odd = replace(
        digest, site=replace(digest.site, title='A "quoted", odd: title', id_domain="", author="")
    )
    message = latest_message(odd)
    assert message["List-Id"] == '"A \\"quoted\\", odd: title" <digest.digest.invalid>'
    assert message["From"].addresses[0].addr_spec == "digest@digest.invalid"
    for part in message.walk():
        assert not part.defects


class Inbox:
    """An SMTP handler that keeps what it is sent."""

    def __init__(self) -> None:
        self.received: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope.content)
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """A real SMTP server on loopback, for the length of one test."""
    controller_module = pytest.importorskip("aiosmtpd.controller")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def test_a_real_smtp_server_accepts_the_message_unchanged(
    smtp_server: tuple[int, Inbox],
) -> None:
    port, inbox = smtp_server
    digest = sample_digest()
    message = build_email(digest, digest.briefs[1])
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        refused = client.send_message(message, to_addrs=["reader@example.org"])
    assert refused == {}
    (delivered,) = inbox.received
    sent = parse(delivered)
    assert sent["Message-ID"] == message["Message-ID"]
    assert bodies(sent) == bodies(message)


# --- a message as sent to one reader ---------------------------------------------------------

SENT = datetime(2020, 10, 5, 7, 0, tzinfo=UTC)


def delivered(**options: Any) -> EmailMessage:
    """The latest sample brief as sent, parsed back from the bytes that go over SMTP."""
    digest = sample_digest()
    options.setdefault("recipient", "Ann Reader <ann@example.org>")
    return parse(message_bytes(build_email(digest, digest.briefs[1], **options)))


def test_a_delivery_names_the_sender_the_reader_and_the_send_time() -> None:
    message = delivered(sender="Newsroom <news@example.org>", date=SENT)
    assert message["From"] == "Newsroom <news@example.org>"
    assert message["To"] == "Ann Reader <ann@example.org>"
    assert message["Date"] == "Mon, 05 Oct 2020 07:00:00 +0000"
    for name in (*REQUIRED_HEADERS, "To"):
        assert len(message.get_all(name, [])) == 1, name


def test_a_bare_sender_address_takes_the_site_author_as_its_name() -> None:
    assert delivered(sender="news@example.org")["From"] == "Riverside newsroom <news@example.org>"


def test_the_message_id_is_the_same_for_the_same_reader_and_differs_between_readers() -> None:
    first = delivered(date=SENT)["Message-ID"]
    assert delivered(date=SENT.replace(day=6))["Message-ID"] == first, "the send time is not in it"
    assert delivered(recipient="ANN@Example.org")["Message-ID"] == first, "nor the letter case"
    assert delivered(recipient="bob@example.org")["Message-ID"] != first
    assert latest_message()["Message-ID"] != first
    assert re.fullmatch(r"<brief\.2020-w40\.[0-9a-f]{12}@news\.example\.org>", first)


def test_without_unsubscribe_there_is_no_unsubscribe_header_or_link() -> None:
    message = delivered()
    assert "List-Unsubscribe" not in message and "List-Unsubscribe-Post" not in message
    plain, html = bodies(message)
    assert "unsubscrib" not in plain.lower() and "unsubscrib" not in html.lower()


def test_an_https_unsubscribe_url_offers_one_click_unsubscribing() -> None:
    message = delivered(unsubscribe="https://news.example.org/unsubscribe")
    assert message["List-Unsubscribe"] == "<https://news.example.org/unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize(
    "address", ["mailto:leave@news.example.org?subject=unsubscribe", "http://news.example.org/u"]
)
def test_one_click_is_offered_only_over_https(address: str) -> None:
    message = delivered(unsubscribe=address)
    assert message["List-Unsubscribe"] == f"<{address}>"
    assert "List-Unsubscribe-Post" not in message


def test_the_unsubscribe_address_is_linked_from_both_parts() -> None:
    url = "https://news.example.org/unsubscribe"
    plain, html = bodies(delivered(unsubscribe=url))
    assert f"To stop receiving this digest:\n{url}\n" in plain
    (link,) = lxml_html.fromstring(html).xpath("//td[@class='footer']/a[text()='Unsubscribe']")
    assert link.get("href") == url


def test_the_recipient_placeholder_names_each_reader_url_encoded() -> None:
    message = delivered(
        recipient="Ann <ann+news@example.org>",
        unsubscribe="https://news.example.org/unsubscribe?list=weekly news&who={recipient}",
    )
    assert message["List-Unsubscribe"] == (
        "<https://news.example.org/unsubscribe?list=weekly%20news&who=ann%2Bnews%40example.org>"
    )


def test_a_placeholder_without_a_reader_leaves_unsubscribing_out() -> None:
    digest = sample_digest()
    message = build_email(digest, digest.briefs[1], unsubscribe="https://x.example/u/{recipient}")
    assert "List-Unsubscribe" not in message
    assert message["To"] == "undisclosed-recipients:;"


def test_a_long_unsubscribe_url_stays_whole_on_one_line() -> None:
    url = "https://news.example.org/unsubscribe/" + "long-path-segment/" * 8 + "?token=abc123"
    digest = sample_digest()
    raw = message_bytes(build_email(digest, digest.briefs[1], unsubscribe=url))
    assert f"List-Unsubscribe: <{url}>\r\n".encode() in raw
    assert parse(raw)["List-Unsubscribe"] == f"<{url}>"


def test_a_url_too_long_for_any_header_line_is_left_out_of_the_headers() -> None:
    url = "https://news.example.org/u?token=" + "x" * 1000
    message = delivered(unsubscribe=url)
    assert "List-Unsubscribe" not in message
    assert url in bodies(message)[0], "the footer still carries it"


def test_the_size_limit_holds_with_an_unsubscribe_footer() -> None:
    digest = long_brief(50)
    message = build_email(
        digest,
        digest.briefs[0],
        recipient="ann@example.org",
        unsubscribe="https://news.example.org/unsubscribe?who={recipient}",
    )
    assert len(message_bytes(message)) <= MAX_MESSAGE_BYTES


@pytest.mark.parametrize("bad", ["not an address", "a@b@c", "x@y\r\nBcc: z@w", "jü@example.org"])
def test_an_unusable_recipient_is_refused(bad: str) -> None:
    digest = sample_digest()
    with pytest.raises(ValueError, match="not a usable recipient address"):
        build_email(digest, digest.briefs[1], recipient=bad)


def test_mailbox_reads_names_and_turns_domains_to_ascii() -> None:
    found = mailbox('"Doe, Jane" <jane@bücher.example>')
    assert found is not None
    assert (found.display_name, found.addr_spec) == ("Doe, Jane", "jane@xn--bcher-kva.example")
    assert mailbox("a@example.org, b@example.org") is None
    assert mailbox("") is None


# Addresses built from the characters address syntax turns on, so many draws come close
# to valid and some are: a display name, a local part and a domain, with or without <>.
ADDRESS_LIKE = st.builds(
    lambda name, local, domain, bracketed: (
        f"{name} <{local}@{domain}>" if bracketed else f"{local}@{domain}"
    ),
    st.text(alphabet=st.sampled_from('ab "<>,:ü\r\n'), max_size=6),
    st.text(alphabet="ab.+-", max_size=6) | st.text(alphabet='ab.+-"\\ @ü', max_size=6),
    st.text(alphabet="ab.-ü", max_size=8) | st.text(alphabet="ab.-@ü[]", max_size=8),
    st.booleans(),
)


@given(st.one_of(ADDRESS_LIKE, st.text(max_size=60)))
def test_mailbox_never_raises_and_what_it_accepts_reads_back(text: str) -> None:
    found = mailbox(text)
    if found is None:
        return
    assert found.addr_spec.isascii() and "@" in found.addr_spec
    again = mailbox(str(found))
    assert again is not None and again.addr_spec == found.addr_spec
