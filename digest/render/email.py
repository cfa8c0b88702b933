"""Email: each brief as a ready-to-send message (``briefs/<slug>/brief.eml``).

The message is multipart/alternative, text/plain first and text/html second,
both quoted-printable UTF-8 so every line stays short and readable in a
diff. Files are serialised with ``email.policy.SMTP`` (CRLF line ends),
exactly the bytes an SMTP client sends, so the file can be handed to
``smtplib`` or ``sendmail`` as it is.

Nothing varies between two renders of the same digest: the Date is the
brief's ``updated`` time, the Message-ID and the MIME boundary come from a
hash of the content, and no header comes from the clock or the host.

The sender passes what a delivery needs: the configured From address, the
one recipient (To, and mixed into the Message-ID so the same brief to the
same reader always has the same id, and a resend is recognisable), the send
time as Date, and an unsubscribe address. An unsubscribe address adds a
List-Unsubscribe header and a footer link; an https one also adds
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058 allows
one-click only over https). ``{recipient}`` in the address is replaced by
the recipient's address, URL-encoded, so one URL can name each reader; such
an address is left out of a message without a recipient.

The HTML part is rendered from ``templates/email.html`` with one context
object, ``mail`` (an ``EmailPage``), and its CSS is inlined with
``css_inline``. A long brief is cut so the whole message stays under
``MAX_MESSAGE_BYTES``; the cut message says how many stories are left and
links to the brief's page when the site has a base URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import SMTP, Policy, default
from email.utils import format_datetime, getaddresses
from functools import partial
from urllib.parse import quote

import css_inline
import xxhash

from digest.model import Brief, Digest, OutputFile, Site
from digest.render.email_text import plain_text
from digest.render.feed import id_domain
from digest.render.paths import absolute_link, brief_dir, brief_email, brief_page
from digest.render.reuse import RenderKeys, keyed
from digest.render.templating import render
from digest.render.views import (
    BriefView,
    StoryView,
    aware,
    brief_view,
    clean_line,
    language_tag,
    newest_first,
    plural,
    site_title,
)
from digest.write import ReusedFile

# Gmail clips a message past about 102 kB and hides the rest behind a link;
# staying under 96 kB leaves room for the headers relays add in transit
# (Received, DKIM-Signature, the real recipient).
MAX_MESSAGE_BYTES = 96_000
# A long brief's message is first tried with at most this many times the
# stories known to fit (see ``most_that_fit``).
PREDICTED_REACH = 4
# ... and sizes are measured at most this many times before the search falls
# back to doubling and halving.
MAX_PREDICTIONS = 8
# Subject lines longer than this are cut in most inbox lists anyway; the
# top story's headline is shortened to fit, at a word boundary.
MAX_SUBJECT_CHARS = 120
ELLIPSIS = "…"
SENDER_MAILBOX = "digest"
UNDISCLOSED = "undisclosed-recipients:;"
# Replaced in a configured unsubscribe address by the recipient's address.
RECIPIENT_PLACEHOLDER = "{recipient}"
# RFC 5322 caps a header line at 998 characters; an unsubscribe URL too long
# for one line (it must not be folded or encoded) is left out of the headers.
MAX_HEADER_LINE = 998
# Characters kept as they are when an unsubscribe URL is made header-safe:
# RFC 3986's reserved set and "%" (already-encoded bytes); anything else,
# spaces and non-ASCII included, is percent-encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
# Characters that have no place in an address or header value.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The address forms digest sends to: a dot-atom local part (RFC 5322 3.2.3; quoted
# local parts are legal but so rare that refusing them is safer than parsing them)
# and a host name of letters, digits and inner hyphens (after IDNA).
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DNS_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"(?:{_DNS_LABEL}\.)*{_DNS_LABEL}")

# No <link> stylesheets are ever fetched; @media rules (dark mode, narrow
# screens) cannot be inlined and stay in the head.
_INLINER = css_inline.CSSInliner(
    keep_style_tags=False,
    keep_at_rules=True,
    load_remote_stylesheets=False,
)


class _VerbatimHeader(UnstructuredHeader, BaseHeader):
    """A header written on one line as it is: a URL folded or encoded would no longer work."""

    def fold(self, *, policy: Policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


# The stock headers, except List-Unsubscribe: the standard policy would turn a
# URL longer than a line into RFC 2047 encoded words, which clients cannot follow.
_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", _VerbatimHeader)
_POLICY = default.clone(header_factory=_HEADERS)


@dataclass(frozen=True, slots=True)
class EmailStory:
    """A story in the email, with the web address of its place in the brief page."""

    story: StoryView
    url: str | None


@dataclass(frozen=True, slots=True)
class EmailPage:
    """Context of ``email.html``: the brief, the stories that fit, and what was left out."""

    site_title: str
    author: str
    language: str
    subject: str
    preheader: str
    brief: BriefView
    stories: tuple[EmailStory, ...]
    omitted: int
    omitted_label: str
    web_url: str | None
    unsubscribe: str | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a message sent to one reader has that the published ``.eml`` file lacks."""

    sender: Address | None = None
    recipient: Address | None = None
    date: datetime | None = None


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    cut = text[: limit - len(ELLIPSIS)]
    if " " in cut and not text[len(cut)].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + ELLIPSIS


def subject_line(site_title: str, view: BriefView) -> str:
    """``<site title>: <brief title> — <top story headline>``, headline shortened to fit."""
    head = f"{site_title}: {view.title}"
    if not view.stories or len(head) + 4 >= MAX_SUBJECT_CHARS:
        return shorten(head, MAX_SUBJECT_CHARS)
    room = MAX_SUBJECT_CHARS - len(head) - 3
    return f"{head} — {shorten(view.stories[0].headline, room)}"


def preheader_text(view: BriefView) -> str:
    """The inbox preview line: the top story's first sentence."""
    if not view.stories:
        return view.count_label
    top = view.stories[0]
    return shorten(top.sentences[0] if top.sentences else top.headline, 200)


def sender_name(site: Site) -> str:
    """The From display name: the site's author, else its title."""
    return clean_line(site.author) or site_title(site)


def email_page(
    digest: Digest, brief: Brief, view: BriefView, shown: int, unsubscribe: str | None = None
) -> EmailPage:
    """The email template's context with the first ``shown`` stories."""
    site = digest.site
    title = site_title(site)
    page = brief_page(brief)
    omitted = len(view.stories) - shown
    return EmailPage(
        site_title=title,
        author=sender_name(site),
        language=language_tag(site),
        subject=subject_line(title, view),
        preheader=preheader_text(view),
        brief=view,
        stories=tuple(
            EmailStory(story=s, url=absolute_link(site.base_url, page, s.anchor))
            for s in view.stories[:shown]
        ),
        omitted=omitted,
        omitted_label=plural(omitted, "more story", "more stories") if omitted else "",
        web_url=absolute_link(site.base_url, page),
        unsubscribe=unsubscribe,
    )


def html_part(mail: EmailPage) -> str:
    """The HTML body with every style rule inlined."""
    html: str = _INLINER.inline(render("email.html", mail=mail))
    return html


def text_part(mail: EmailPage) -> str:
    """The plain-text body, from the same stories as the HTML body."""
    stories = tuple(item.story for item in mail.stories)
    return plain_text(
        mail.site_title, mail.brief, stories, mail.web_url, mail.omitted_label, mail.unsubscribe
    )


def content_hash(*parts: str) -> str:
    """A short, stable fingerprint of the message bodies."""
    digest = xxhash.xxh64()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def list_id(site_title: str, domain: str) -> str:
    """``"<title>" <digest.<domain>>``, the title quoted so any punctuation is safe."""
    phrase = site_title.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{phrase}" <digest.{domain}>'


def mailbox(text: str, display_name: str = "") -> Address | None:
    """``text`` ("Name <addr>" or a bare address) as one Address, or None when it is not one.

    The domain is turned into its ASCII (IDNA) form; a non-ASCII local part
    needs SMTPUTF8, which digest does not use, so it is refused.
    """
    if _CONTROL.search(text):
        return None
    found = getaddresses([text])
    if len(found) != 1:
        return None
    name, address = found[0]
    local, _at, domain = address.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if not (_LOCAL_PART.fullmatch(local) and _DOMAIN.fullmatch(domain)):
        return None
    return Address(display_name=name or display_name, username=local, domain=domain)


def address_key(address: Address) -> str:
    """The address alone, lower-cased: what identifies one reader."""
    return address.addr_spec.lower()


def unsubscribe_target(unsubscribe: str | None, recipient: Address | None) -> str | None:
    """The unsubscribe URL for one message, safe in a header; None when there is none."""
    if not unsubscribe:
        return None
    if RECIPIENT_PLACEHOLDER in unsubscribe:
        if recipient is None:
            return None
        unsubscribe = unsubscribe.replace(
            RECIPIENT_PLACEHOLDER, quote(address_key(recipient), safe="")
        )
    return quote(unsubscribe.strip(), safe=_URL_SAFE)


def add_unsubscribe(message: EmailMessage, url: str) -> None:
    """List-Unsubscribe (RFC 2369), and one-click unsubscribing (RFC 8058) for https."""
    value = f"<{url}>"
    if len("List-Unsubscribe: ") + len(value) > MAX_HEADER_LINE:
        return
    message["List-Unsubscribe"] = value
    if url.lower().startswith("https://"):
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


def assemble(
    digest: Digest,
    brief: Brief,
    mail: EmailPage,
    delivery: Delivery | None = None,
) -> EmailMessage:
    """The message for one context: headers, both parts, a deterministic boundary."""
    delivery = delivery or Delivery()
    domain = id_domain(digest.site)
    text = text_part(mail)
    html = html_part(mail)
    fingerprint = content_hash(text, html)
    message = EmailMessage(policy=_POLICY)
    message["From"] = delivery.sender or Address(
        display_name=mail.author, username=SENDER_MAILBOX, domain=domain
    )
    message["To"] = delivery.recipient or UNDISCLOSED
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(aware(delivery.date or brief.updated))
    local = brief_dir(brief).removeprefix("briefs/")
    if delivery.recipient is not None:
        # One message per reader: the same brief to the same reader keeps its id.
        fingerprint_id = content_hash(fingerprint, address_key(delivery.recipient))
    else:
        fingerprint_id = fingerprint
    message["Message-ID"] = f"<brief.{local}.{fingerprint_id[:12]}@{domain}>"
    message["List-Id"] = list_id(mail.site_title, domain)
    if mail.unsubscribe:
        add_unsubscribe(message, mail.unsubscribe)
    message.set_content(text, subtype="plain", cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    # "=_" cannot occur in quoted-printable text, so the boundary never
    # collides with a body line.
    message.set_boundary(f"=_brief_{fingerprint}")
    for part in message.iter_parts():
        del part["MIME-Version"]  # belongs on the top-level message only
    return message


def message_bytes(message: EmailMessage) -> bytes:
    """The message as sent over SMTP: CRLF line ends, lines folded by the SMTP policy."""
    return message.as_bytes(policy=SMTP)


def build_email(
    digest: Digest,
    brief: Brief,
    *,
    sender: str | None = None,
    recipient: str | None = None,
    unsubscribe: str | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    """The brief as one message, cut to the most stories that fit the size limit.

    Without keywords this is the published ``.eml`` file. ``sender`` and
    ``recipient`` are mail addresses, with or without a display name (the
    sender's defaults to the site's author); an address that cannot be used
    raises ValueError, so check it first with ``mailbox``.
    """
    view = brief_view(brief, digest.site)
    delivery = Delivery(
        sender=_required_mailbox("sender", sender, sender_name(digest.site)),
        recipient=_required_mailbox("recipient", recipient),
        date=date,
    )
    link = unsubscribe_target(unsubscribe, delivery.recipient)

    def build(shown: int) -> EmailMessage:
        page = email_page(digest, brief, view, shown, link)
        return assemble(digest, brief, page, delivery)

    built: dict[int, EmailMessage] = {}

    def size_with(shown: int) -> int:
        built[shown] = build(shown)
        return len(message_bytes(built[shown]))

    return built[most_that_fit(len(view.stories), size_with, MAX_MESSAGE_BYTES)]


def most_that_fit(total: int, size_with: Callable[[int], int], limit: int) -> int:
    """The most of ``total`` stories a message of at most ``limit`` bytes can show (0 if none).

    A message grows with the stories it shows, nearly in proportion, so each
    trial is the count the sizes measured so far predict to fit, closing in
    on the answer from both sides. Sizes that defy prediction get at most
    MAX_PREDICTIONS guesses; the search then doubles the count known to fit
    and halves the range left, as a bisection does. No message of more than
    PREDICTED_REACH times the stories that fit is built, so never one of
    every story of a brief far over the limit. The count returned is always
    one ``size_with`` was called with (0, the heading and a link, always is).
    """
    sizes = {0: size_with(0)}
    if total == 0:
        return 0
    fits, too_many = 0, total + 1
    trial = 1
    while too_many - fits > 1:
        sizes[trial] = size_with(trial)
        if sizes[trial] <= limit:
            fits = trial
        else:
            too_many = trial
        guess = _predicted(fits, too_many, sizes, limit)
        if guess is not None and len(sizes) <= MAX_PREDICTIONS:
            trial = guess
        elif too_many <= total:
            trial = (fits + too_many) // 2
        else:
            trial = min(2 * fits, total)
    return fits


def _predicted(fits: int, too_many: int, sizes: Mapping[int, int], limit: int) -> int | None:
    """The count the measured sizes predict to fit just, within the bounds; None if they cannot."""
    high = too_many if too_many in sizes else fits
    low = fits if high != fits else max(n for n in sizes if n < fits)
    per_story = (sizes[high] - sizes[low]) / (high - low)
    if per_story <= 0:
        return None
    guess = fits + int((limit - sizes[fits]) / per_story)
    if too_many not in sizes:
        # Nothing measured above: a guess that far might be a message of every
        # story of a long brief, built in vain if the sizes grow faster later.
        guess = min(guess, PREDICTED_REACH * fits)
    return min(max(guess, fits + 1), too_many - 1)


def _required_mailbox(role: str, text: str | None, display_name: str = "") -> Address | None:
    """The address given for ``role``, or None when none was given."""
    if text is None:
        return None
    address = mailbox(text, display_name)
    if address is None:
        raise ValueError(f"not a usable {role} address: {text!r}")
    return address


def render_brief_email(digest: Digest, brief: Brief) -> OutputFile:
    """``briefs/<slug>/brief.eml`` for one brief."""
    return OutputFile(brief_email(brief), message_bytes(build_email(digest, brief)))


def render_emails(
    digest: Digest, keys: RenderKeys | None = None
) -> Iterator[OutputFile | ReusedFile]:
    """``briefs/<slug>/brief.eml`` for every brief, newest brief first, each made when taken.

    With ``keys``, a message made from what the last build's was made from
    (the brief as shown, its id and time, the site) is handed on as that
    build's file (``reuse``).
    """
    for brief in newest_first(digest.briefs):
        yield keyed(
            keys,
            brief_email(brief),
            "email",
            (brief_view(brief, digest.site), brief.id, brief.updated, digest.site),
            partial(render_brief_email, digest, brief),
        )
