"""Email: each brief as a ready-to-send message (``briefs/<slug>/brief.eml``).

The message is multipart/alternative, text/plain first and text/html second,
both quoted-printable UTF-8 so every line stays short and readable in a
diff. Files are serialised with ``email.policy.SMTP`` (CRLF line ends),
exactly the bytes an SMTP client sends, so the file can be handed to
``smtplib`` or ``sendmail`` as it is.

Nothing varies between two renders of the same digest: the Date is the
brief's ``updated`` time, the Message-ID and the MIME boundary come from a
hash of the content, and no header comes from the clock or the host.

The HTML part is rendered from ``templates/email.html`` with one context
object, ``mail`` (an ``EmailPage``), and its CSS is inlined with
``css_inline``. A long brief is cut so the whole message stays under
``MAX_MESSAGE_BYTES``; the cut message says how many stories are left and
links to the brief's page when the site has a base URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

import css_inline
import xxhash

from digest.model import Brief, Digest, OutputFile
from digest.render.email_text import plain_text
from digest.render.feed import id_domain
from digest.render.paths import absolute_link, brief_dir, brief_email, brief_page
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

# Gmail clips a message past about 102 kB and hides the rest behind a link;
# staying under 96 kB leaves room for the headers relays add in transit
# (Received, DKIM-Signature, the real recipient).
MAX_MESSAGE_BYTES = 96_000
# Subject lines longer than this are cut in most inbox lists anyway; the
# top story's headline is shortened to fit, at a word boundary.
MAX_SUBJECT_CHARS = 120
ELLIPSIS = "…"
SENDER_MAILBOX = "digest"

# No <link> stylesheets are ever fetched; @media rules (dark mode, narrow
# screens) cannot be inlined and stay in the head.
_INLINER = css_inline.CSSInliner(
    keep_style_tags=False,
    keep_at_rules=True,
    load_remote_stylesheets=False,
)


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


def email_page(digest: Digest, brief: Brief, view: BriefView, shown: int) -> EmailPage:
    """The email template's context with the first ``shown`` stories."""
    site = digest.site
    title = site_title(site)
    page = brief_page(brief)
    omitted = len(view.stories) - shown
    return EmailPage(
        site_title=title,
        author=clean_line(site.author) or title,
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
    )


def html_part(mail: EmailPage) -> str:
    """The HTML body with every style rule inlined."""
    html: str = _INLINER.inline(render("email.html", mail=mail))
    return html


def text_part(mail: EmailPage) -> str:
    """The plain-text body, from the same stories as the HTML body."""
    stories = tuple(item.story for item in mail.stories)
    return plain_text(mail.site_title, mail.brief, stories, mail.web_url, mail.omitted_label)


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


def assemble(digest: Digest, brief: Brief, mail: EmailPage) -> EmailMessage:
    """The message for one context: headers, both parts, a deterministic boundary."""
    domain = id_domain(digest.site)
    text = text_part(mail)
    html = html_part(mail)
    fingerprint = content_hash(text, html)
    message = EmailMessage()
    message["From"] = Address(display_name=mail.author, username=SENDER_MAILBOX, domain=domain)
    message["To"] = "undisclosed-recipients:;"
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(aware(brief.updated))
    local = brief_dir(brief).removeprefix("briefs/")
    message["Message-ID"] = f"<brief.{local}.{fingerprint[:12]}@{domain}>"
    message["List-Id"] = list_id(mail.site_title, domain)
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


def build_email(digest: Digest, brief: Brief) -> EmailMessage:
    """The brief as one message, cut to the most stories that fit the size limit."""
    view = brief_view(brief, digest.site)

    def build(shown: int) -> EmailMessage:
        return assemble(digest, brief, email_page(digest, brief, view, shown))

    message = build(len(view.stories))
    if len(message_bytes(message)) <= MAX_MESSAGE_BYTES:
        return message
    # Binary search for the largest number of stories that still fits;
    # with none left, the message holds only the heading and a link.
    fits, too_many = 0, len(view.stories)
    while too_many - fits > 1:
        middle = (fits + too_many) // 2
        if len(message_bytes(build(middle))) <= MAX_MESSAGE_BYTES:
            fits = middle
        else:
            too_many = middle
    return build(fits)


def render_emails(digest: Digest) -> tuple[OutputFile, ...]:
    """``briefs/<slug>/brief.eml`` for every brief, newest brief first."""
    return tuple(
        OutputFile(brief_email(brief), message_bytes(build_email(digest, brief)))
        for brief in newest_first(digest.briefs)
    )
