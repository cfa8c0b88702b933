"""Send: mail a brief to each reader over SMTP, and never the same brief twice.

One message per recipient, so each has its own To and Message-ID, over one
connection for all of them::

    connect ─ STARTTLS ─ login ─┬─ log "sending" ─ MAIL, RCPT, DATA ─ log "sent" / "failed"
                                └─ … the next recipient

The sent-mail log in the store decides who is mailed. A recipient the brief
was sent to is skipped unless ``resend`` is given. Each send is logged in two
phases (see ``digest.store``): "sending" is committed before the message goes
to the server and "sent" once the server accepted it; a refusal, or a
connection lost before the message was wholly handed over, is logged
"failed" so the next run tries again. When the connection is lost after the
whole message went out but before the server answered, nobody can say
whether it arrived: the row stays "sending", the outcome says so, and later
runs skip that recipient until the user releases it with ``resend``.

What goes wrong is reported in one line. Failures that stop every message —
the server cannot be reached, TLS fails, the login is refused — raise
``SendError`` before anything is logged. Failures that concern one
recipient (a refused address, a message the server turns down) are that
recipient's ``SendOutcome`` and the others are still mailed. A connection the
server drops is reopened once per recipient; if it cannot be reopened, the
remaining recipients are reported as not sent.
"""

from __future__ import annotations

import contextlib
import difflib
import ipaddress
import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Literal

from digest.config import SMTP_PASSWORD_VARIABLE, SMTP_USER_VARIABLE, EmailConfig
from digest.errors import DigestError
from digest.model import Brief, Digest
from digest.render.email import address_key, build_email, mailbox, message_bytes
from digest.render.views import newest_first
from digest.store import Store

SendStatus = Literal["sent", "skipped", "failed", "dry-run"]
Connect = Callable[..., smtplib.SMTP]

# Briefs named in the hint of an unknown brief id; more are summarised as "…".
MAX_LISTED_BRIEFS = 8
# Lines starting with "." are doubled while sending DATA (RFC 5321 4.5.2).
_LEADING_DOT = re.compile(rb"^\.", re.MULTILINE)
# Runs of whitespace (including the line breaks of multi-line replies) in a reply.
_SPACES = re.compile(r"\s+")
# 421: the server is closing the connection; the message was not taken.
SERVICE_CLOSING = 421
ACCEPTED_RECIPIENT = (250, 251)


class SendError(DigestError):
    """Mail could not be sent to anyone: the server, TLS or the login failed."""

    hint = "check smtp_host, smtp_port and security in the [email] table of digest.toml"


class UnknownBriefError(DigestError):
    """The brief asked for is not in the digest."""

    hint = "run `digest send` without a brief to mail the latest one"


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What happened to the brief for one recipient, in one line."""

    recipient: str
    status: SendStatus
    detail: str

    def line(self) -> str:
        """The line shown to the user."""
        return f"{self.recipient}: {self.status}: {self.detail}"


def pick_brief(digest: Digest, brief_id: str | None) -> Brief:
    """The brief named ``brief_id`` (any letter case), or the latest one when None."""
    briefs = newest_first(digest.briefs)
    if not briefs:
        raise UnknownBriefError(
            "the digest has no briefs to send", "add articles to the sources, then send again"
        )
    if brief_id is None:
        return briefs[0]
    wanted = brief_id.strip().lower()
    for brief in briefs:
        if brief.id.lower() == wanted:
            return brief
    ids = [brief.id for brief in briefs]
    message = f"no brief {brief_id!r} in this digest"
    close = difflib.get_close_matches(brief_id.strip().upper(), ids, n=1)
    if close:
        message += f" (did you mean {close[0]}?)"
    listed = ", ".join(ids[:MAX_LISTED_BRIEFS]) + (", …" if len(ids) > MAX_LISTED_BRIEFS else "")
    raise UnknownBriefError(message, f"the briefs, latest first: {listed}")


# --- talking to the server ---------------------------------------------------------------


def _reply_text(code: int, reply: bytes | str) -> str:
    """An SMTP reply on one line: ``550 5.1.1 no such user``."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {_SPACES.sub(' ', text).strip()}".strip()


def _where(email: EmailConfig) -> str:
    """``host:port``, as messages name the server."""
    return f"{email.smtp_host}:{email.smtp_port}"


def describe_failure(error: Exception, email: EmailConfig, timeout: float) -> str:
    """One line saying what went wrong talking to the server."""
    where = _where(email)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"{where} refused the login: {_reply_text(error.smtp_code, error.smtp_error)}"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        # smtplib names the missing extension: "STARTTLS extension not supported by server."
        missing = "a login (AUTH)" if "AUTH" in str(error) else str(error).split(" ", 1)[0]
        return f"{where} does not offer {missing}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{where} answered {_reply_text(error.smtp_code, error.smtp_error)}"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"{where} closed the connection ({error or 'no reason given'})"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS with {where} failed: {error.verify_message or error.reason}"
    if isinstance(error, ssl.SSLError):
        return f"TLS with {where} failed: {error.reason or error}"
    if isinstance(error, socket.gaierror):
        return f"cannot find the mail server {email.smtp_host!r}: {error.strerror}"
    if isinstance(error, ConnectionRefusedError):
        return f"cannot connect to {where}: connection refused"
    if isinstance(error, TimeoutError):
        return f"{where} did not answer within {timeout:g} seconds"
    if isinstance(error, OSError):
        return f"cannot talk to {where}: {error.strerror or error}"
    return f"{where}: {error}"


def _hint_for(error: Exception) -> str:
    """What the user can do about a failure that stopped every message."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"check {SMTP_USER_VARIABLE} and {SMTP_PASSWORD_VARIABLE}"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return (
            'security = "starttls" needs a server offering STARTTLS (usually port 587); '
            'port 465 takes security = "tls"; a login needs a server offering AUTH'
        )
    if isinstance(error, ssl.SSLCertVerificationError):
        return "the server's certificate is not trusted by this machine, or names another host"
    if isinstance(error, ssl.SSLError):
        return 'port 465 takes security = "tls"; port 587 takes security = "starttls"'
    return SendError.hint


def _is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine, where an unencrypted login cannot be overheard."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _default_connect(email: EmailConfig, context: ssl.SSLContext) -> Connect:
    """How to open the connection for the configured kind of security."""

    def connect(host: str, port: int, timeout: float) -> smtplib.SMTP:
        if email.security == "tls":
            return smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        return smtplib.SMTP(host, port, timeout=timeout)

    return connect


@dataclass(frozen=True, slots=True)
class _Reply:
    """How one handing-over ended.

    ``accepted``: the server took the message. ``refused``: it certainly did
    not. ``lost``: the connection failed before the whole message was sent,
    so it was not delivered and may be tried again. ``unknown``: the
    connection failed after the whole message was sent, so it may have been.
    """

    kind: Literal["accepted", "refused", "lost", "unknown"]
    text: str


class _Connection:
    """One SMTP connection for a run, opened on first use and reopened when dropped."""

    def __init__(
        self,
        email: EmailConfig,
        credentials: tuple[str, str] | None,
        timeout: float,
        connect: Connect,
        context: ssl.SSLContext,
    ) -> None:
        self.email = email
        self.credentials = credentials
        self.timeout = timeout
        self.connect = connect
        self.context = context
        self.client: smtplib.SMTP | None = None

    def open(self) -> None:
        """Connect, secure and log in; the server's own exception on failure."""
        self.close()
        client = self.connect(self.email.smtp_host, self.email.smtp_port, timeout=self.timeout)
        try:
            if self.email.security == "starttls":
                client.ehlo()
                client.starttls(context=self.context)
                client.ehlo()
            if self.credentials is not None:
                client.login(*self.credentials)
        except BaseException:
            _close_quietly(client)
            raise
        self.client = client

    def close(self) -> None:
        """Say goodbye if the server still listens; never fails."""
        if self.client is not None:
            client, self.client = self.client, None
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                _close_quietly(client)

    def hand_over(self, sender: str, recipient: str, raw: bytes) -> _Reply:
        """MAIL, RCPT and DATA for one message on the open connection."""
        client = self.client
        assert client is not None, "open() first"
        stage = "before"
        try:
            client.ehlo_or_helo_if_needed()
            options = [f"SIZE={len(raw)}"] if client.has_extn("size") else []
            code, reply = client.mail(sender, options)
            if code != 250:
                return self._refused(client, code, reply, "the sender")
            code, reply = client.rcpt(recipient)
            if code not in ACCEPTED_RECIPIENT:
                return self._refused(client, code, reply, "the recipient")
            client.putcmd("data")
            code, reply = client.getreply()
            if code != 354:
                return self._refused(client, code, reply, "the message")
            body = _LEADING_DOT.sub(b"..", raw)
            if not body.endswith(b"\r\n"):
                body += b"\r\n"
            client.send(body + b".\r\n")
            stage = "after"
            code, reply = client.getreply()
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            line = describe_failure(error, self.email, self.timeout)
            return _Reply("lost" if stage == "before" else "unknown", line)
        if code == 250:
            return _Reply("accepted", _reply_text(code, reply))
        if code == SERVICE_CLOSING:
            self.close()
        return _Reply("refused", f"the server refused the message: {_reply_text(code, reply)}")

    def _refused(self, client: smtplib.SMTP, code: int, reply: bytes, what: str) -> _Reply:
        """A refusal before DATA: reset the transaction so the next message starts clean."""
        text = _reply_text(code, reply)
        if code == SERVICE_CLOSING:
            self.close()
            return _Reply("lost", f"{_where(self.email)} is closing the connection: {text}")
        try:
            client.rset()
        except (smtplib.SMTPException, OSError):
            self.close()
        return _Reply("refused", f"the server refused {what}: {text}")


def _close_quietly(client: smtplib.SMTP) -> None:
    """Drop a connection without talking to the server."""
    with contextlib.suppress(OSError):
        client.close()


# --- the run ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Recipient:
    """One recipient as given, with its parsed address or the reason it is not mailed."""

    given: str
    address: Address | None
    skip: SendOutcome | None


def _release_hint(brief: Brief, address: Address) -> str:
    """The command that mails the brief to this recipient again."""
    return f"`digest send {brief.id} --to {address.addr_spec} --resend` sends it again"


def _plan(
    brief: Brief, recipients: Sequence[str], store: Store, resend: bool
) -> tuple[_Recipient, ...]:
    """Every recipient, with the outcome of those the log or their address rules out."""
    unconfirmed = {
        record.recipient for record in store.unconfirmed_sends() if record.brief_id == brief.id
    }
    seen: set[str] = set()
    planned = []
    for given in recipients:
        given = given.strip()
        address = mailbox(given)
        skip = None
        if address is None:
            skip = SendOutcome(
                given, "failed", "not an email address digest can send to (name@example.org)"
            )
        elif address_key(address) in seen:
            skip = SendOutcome(given, "skipped", "listed more than once; mailed once")
        elif not resend and store.was_sent(brief.id, address_key(address)):
            if address_key(address) in unconfirmed:
                detail = (
                    "an earlier send was interrupted before the server confirmed it, so it may "
                    f"have arrived; check the mailbox, then {_release_hint(brief, address)}"
                )
            else:
                detail = f"already sent; {_release_hint(brief, address)}"
            skip = SendOutcome(given, "skipped", detail)
        if address is not None:
            seen.add(address_key(address))
        planned.append(_Recipient(given, address, skip))
    return tuple(planned)


def _sender(email: EmailConfig) -> str:
    """The configured From address, checked before anything is sent."""
    if mailbox(email.sender) is None:
        raise SendError(
            f"the [email] from address cannot be used: {email.sender!r}",
            "write it as name@example.org or Name <name@example.org>, in ASCII before the @",
        )
    return email.sender


def send_brief(
    digest: Digest,
    brief: Brief,
    email: EmailConfig,
    recipients: Sequence[str],
    store: Store,
    *,
    credentials: tuple[str, str] | None,
    now: datetime,
    resend: bool = False,
    dry_run: bool = False,
    timeout: float = 30.0,
    connect: Connect | None = None,
    tls_context: ssl.SSLContext | None = None,
) -> tuple[SendOutcome, ...]:
    """Mail ``brief`` to each recipient once; one outcome per recipient, in the order given.

    ``credentials`` (user, password) come from the environment
    (``config.smtp_credentials``); without them there is no login. ``now``
    is the Date of the messages and the time the log records. ``dry_run``
    builds every message and reports it without connecting or logging.
    ``connect(host, port, timeout=...)`` opens the connection (an
    ``smtplib.SMTP``, or ``SMTP_SSL`` for ``security = "tls"``); STARTTLS
    and the login follow as configured. ``tls_context`` verifies the server
    (default: this machine's trusted certificates).
    Raises SendError when the server cannot be reached or refuses the login.
    """
    sender = _sender(email)
    if credentials is not None and email.security == "none" and not _is_loopback(email.smtp_host):
        raise SendError(
            f"refusing to send the SMTP password unencrypted to {_where(email)}",
            'set security = "starttls" or "tls" in [email], or send through a local relay',
        )
    planned = _plan(brief, recipients, store, resend)
    if dry_run:
        return tuple(item.skip or _dry_run(digest, brief, email, item, now) for item in planned)
    context = tls_context or ssl.create_default_context()
    connection = _Connection(
        email, credentials, timeout, connect or _default_connect(email, context), context
    )
    outcomes: list[SendOutcome] = []
    opened = False
    cannot_reconnect: str | None = None
    try:
        for item in planned:
            if item.skip is not None:
                outcomes.append(item.skip)
                continue
            assert item.address is not None
            if cannot_reconnect is not None:
                outcomes.append(SendOutcome(item.given, "failed", f"not sent: {cannot_reconnect}"))
                continue
            if connection.client is None:
                try:
                    connection.open()
                except (smtplib.SMTPException, OSError) as error:
                    line = describe_failure(error, email, timeout)
                    if not opened:
                        # Nothing was handed over or logged: the run failed, in one line.
                        raise SendError(line, _hint_for(error)) from None
                    cannot_reconnect = line
                    outcomes.append(SendOutcome(item.given, "failed", f"not sent: {line}"))
                    continue
                opened = True
            message = build_email(
                digest,
                brief,
                sender=sender,
                recipient=item.given,
                unsubscribe=email.unsubscribe,
                date=now,
            )
            outcome, cannot_reconnect = _deliver(
                connection, store, brief, item, message, now, resend
            )
            outcomes.append(outcome)
    finally:
        connection.close()
    return tuple(outcomes)


def _deliver(
    connection: _Connection,
    store: Store,
    brief: Brief,
    item: _Recipient,
    message: EmailMessage,
    now: datetime,
    resend: bool,
) -> tuple[SendOutcome, str | None]:
    """Log, hand over and log again one message; a lost connection is reopened once.

    Returns the outcome and, when the connection could not be reopened, why.
    """
    assert item.address is not None
    key = address_key(item.address)
    message_id = str(message["Message-ID"])
    raw = message_bytes(message)
    envelope_from = message["From"].addresses[0].addr_spec
    if resend:
        store.forget_send(brief.id, key)
    store.mark_sending(brief.id, key, message_id, now)
    reply = connection.hand_over(envelope_from, item.address.addr_spec, raw)
    if reply.kind == "lost":
        try:
            connection.open()
        except (smtplib.SMTPException, OSError) as error:
            line = describe_failure(error, connection.email, connection.timeout)
            store.mark_failed(brief.id, key, reply.text, now)
            return SendOutcome(item.given, "failed", f"not sent: {reply.text}; {line}"), line
        reply = connection.hand_over(envelope_from, item.address.addr_spec, raw)
    if reply.kind == "accepted":
        store.mark_sent(brief.id, key, now)
        return SendOutcome(item.given, "sent", f"{message_id} accepted: {reply.text}"), None
    if reply.kind == "unknown":
        # The row stays "sending": the message may be in the mailbox already.
        return SendOutcome(
            item.given,
            "failed",
            f"{reply.text} after the message was sent, so it may have arrived; check the "
            f"mailbox, then {_release_hint(brief, item.address)}",
        ), None
    store.mark_failed(brief.id, key, reply.text, now)
    prefix = "not sent: " if reply.kind == "lost" else ""
    return SendOutcome(item.given, "failed", prefix + reply.text), None


def _dry_run(
    digest: Digest, brief: Brief, email: EmailConfig, item: _Recipient, now: datetime
) -> SendOutcome:
    """What would be sent to one recipient: subject, size and Message-ID."""
    message = build_email(
        digest,
        brief,
        sender=email.sender,
        recipient=item.given,
        unsubscribe=email.unsubscribe,
        date=now,
    )
    size = len(message_bytes(message))
    return SendOutcome(
        item.given,
        "dry-run",
        f"would send {message['Subject']!r}, {size:,} bytes, as {message['Message-ID']}",
    )
