"""Sending briefs to a real SMTP server on loopback, with the sent-mail log in a real store."""

from __future__ import annotations

import email
import email.policy
import shutil
import smtplib
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from digest.config import EmailConfig
from digest.model import Brief, Digest
from digest.render.email import MAX_MESSAGE_BYTES
from digest.send import SendError, SendOutcome, UnknownBriefError, pick_brief, send_brief
from digest.store import Store
from tests.builders import make_brief, make_digest
from tests.test_render_sample import sample_digest

controller_module = pytest.importorskip("aiosmtpd.controller")
smtp_module = pytest.importorskip("aiosmtpd.smtp")

NOW = datetime(2020, 10, 5, 7, 0, tzinfo=UTC)
SENDER = "Riverside newsroom <news@news.example.org>"
UNSUBSCRIBE = "https://news.example.org/unsubscribe?who={recipient}"
REQUIRED_HEADERS = (
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "MIME-Version",
)


# --- a real SMTP server ------------------------------------------------------------------


@dataclass
class Mailroom:
    """An SMTP handler that keeps what it accepts and misbehaves on request.

    ``refuse``: addresses answered 550 at RCPT. ``drop_at_rcpt``: addresses
    whose RCPT makes the server hang up. ``drop_after_data``: addresses whose
    message the server takes and then hangs up without answering.
    ``one_message_per_connection``: the server hangs up at the second MAIL.
    """

    refuse: set[str] = field(default_factory=set)
    drop_at_rcpt: set[str] = field(default_factory=set)
    drop_after_data: set[str] = field(default_factory=set)
    one_message_per_connection: bool = False
    received: list[tuple[tuple[str, ...], bytes]] = field(default_factory=list)

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.one_message_per_connection and getattr(session, "delivered", 0) > 0:
            server.transport.close()
            return "421 4.7.0 hanging up"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.drop_at_rcpt:
            server.transport.close()
            return "451 4.3.0 hanging up"
        if address in self.refuse:
            return "550 5.1.1 <" + address + ">: no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((tuple(envelope.rcpt_tos), envelope.content))
        session.delivered = getattr(session, "delivered", 0) + 1
        if set(envelope.rcpt_tos) & self.drop_after_data:
            server.transport.close()
        return "250 2.0.0 queued"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages delivered to ``address``, parsed."""
        return [parse(raw) for rcpt, raw in self.received if address in rcpt]


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def start_server() -> Iterator[Callable[..., int]]:
    """Start real SMTP servers on loopback for the length of one test; returns the port."""
    running: list[Any] = []

    def start(handler: Mailroom, **options: Any) -> int:
        port = free_port()
        controller = controller_module.Controller(
            handler, hostname="127.0.0.1", port=port, **options
        )
        controller.start()
        running.append(controller)
        return port

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "digest.db") as opened:
        yield opened


@pytest.fixture
def digest() -> Digest:
    return sample_digest()


@pytest.fixture
def brief(digest: Digest) -> Brief:
    return pick_brief(digest, None)


def mail_config(port: int, security: str = "none", host: str = "127.0.0.1") -> EmailConfig:
    return EmailConfig(
        sender=SENDER,
        to=("ann@example.org",),
        smtp_host=host,
        smtp_port=port,
        security=security,
        unsubscribe=UNSUBSCRIBE,
    )


class Connections:
    """A ``connect`` that counts the connections a run opens."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, host: str, port: int, timeout: float) -> smtplib.SMTP:
        self.count += 1
        return smtplib.SMTP(host, port, timeout=timeout)


def never_connect(host: str, port: int, timeout: float) -> smtplib.SMTP:
    raise AssertionError("no connection may be opened")


def send(
    digest: Digest, brief: Brief, config: EmailConfig, to: list[str], store: Store, **options: Any
) -> tuple[SendOutcome, ...]:
    options.setdefault("credentials", None)
    options.setdefault("timeout", 10.0)
    return send_brief(digest, brief, config, to, store, now=NOW, **options)


def statuses(outcomes: tuple[SendOutcome, ...]) -> list[tuple[str, str]]:
    return [(o.recipient, o.status) for o in outcomes]


# --- delivery -------------------------------------------------------------------------------


def test_each_recipient_gets_one_well_formed_message_over_one_connection(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    inbox = Mailroom()
    port = start_server(inbox)
    connections = Connections()
    to = ["Ann Reader <ann@example.org>", "bob@example.org"]
    outcomes = send(digest, brief, mail_config(port), to, store, connect=connections)
    assert statuses(outcomes) == [(to[0], "sent"), (to[1], "sent")]
    assert connections.count == 1
    assert [rcpt for rcpt, _raw in inbox.received] == [("ann@example.org",), ("bob@example.org",)]
    ids = set()
    for (_rcpt, raw), recipient in zip(inbox.received, to, strict=True):
        assert len(raw) <= MAX_MESSAGE_BYTES
        message = parse(raw)
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
        for name in REQUIRED_HEADERS:
            assert len(message.get_all(name, [])) == 1, name
        for part in message.walk():
            assert not part.defects
        assert message["To"] == recipient
        assert message["From"] == SENDER
        assert message["Date"] == "Mon, 05 Oct 2020 07:00:00 +0000"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        address = message["To"].addresses[0].addr_spec
        assert message["List-Unsubscribe"] == (
            f"<https://news.example.org/unsubscribe?who={address.replace('@', '%40')}>"
        )
        assert outcomes[to.index(recipient)].detail.startswith(message["Message-ID"])
        ids.add(message["Message-ID"])
        assert store.was_sent(brief.id, address)
    assert len(ids) == 2, "each recipient has a Message-ID of its own"
    assert store.unconfirmed_sends() == ()


def test_the_envelope_is_from_the_configured_sender_and_declares_the_size(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    seen: list[tuple[str, list[str]]] = []

    class Recording(Mailroom):
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            seen.append((envelope.mail_from, list(envelope.mail_options)))
            return await super().handle_DATA(server, session, envelope)

    inbox = Recording()
    port = start_server(inbox)
    send(digest, brief, mail_config(port), ["ann@example.org"], store)
    ((_rcpt, raw),) = inbox.received
    assert seen == [("news@news.example.org", [f"SIZE={len(raw)}"])]


def test_a_brief_is_never_sent_twice_unless_resent_with_the_same_message_id(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    inbox = Mailroom()
    port = start_server(inbox)
    config = mail_config(port)
    first = send(digest, brief, config, ["ann@example.org"], store)
    assert statuses(first) == [("ann@example.org", "sent")]
    again = send(digest, brief, config, ["ANN@example.org "], store)
    assert statuses(again) == [("ANN@example.org", "skipped")]
    assert "already sent" in again[0].detail
    assert f"digest send {brief.id} --to ANN@example.org --resend" in again[0].detail
    assert len(inbox.received) == 1
    resent = send(digest, brief, config, ["ann@example.org"], store, resend=True)
    assert statuses(resent) == [("ann@example.org", "sent")]
    first_copy, second_copy = inbox.to("ann@example.org")
    assert first_copy["Message-ID"] == second_copy["Message-ID"], "a resend is recognisable"
    other = pick_brief(digest, "2020-W39")
    assert statuses(send(digest, other, config, ["ann@example.org"], store)) == [
        ("ann@example.org", "sent")
    ], "the log is kept per brief"


def test_a_refused_recipient_is_reported_and_the_others_still_get_theirs(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    inbox = Mailroom(refuse={"gone@example.org"})
    port = start_server(inbox)
    config = mail_config(port)
    to = ["ann@example.org", "gone@example.org", "bob@example.org"]
    outcomes = send(digest, brief, config, to, store)
    assert statuses(outcomes) == [
        ("ann@example.org", "sent"),
        ("gone@example.org", "failed"),
        ("bob@example.org", "sent"),
    ]
    assert outcomes[1].detail == (
        "the server refused the recipient: 550 5.1.1 <gone@example.org>: no such user"
    )
    assert "\n" not in outcomes[1].detail
    assert [rcpt for rcpt, _raw in inbox.received] == [("ann@example.org",), ("bob@example.org",)]
    assert not store.was_sent(brief.id, "gone@example.org"), "a refusal is retried next time"
    inbox.refuse.clear()
    rerun = send(digest, brief, config, to, store)
    assert statuses(rerun) == [
        ("ann@example.org", "skipped"),
        ("gone@example.org", "sent"),
        ("bob@example.org", "skipped"),
    ]
    assert len(inbox.received) == 3


def test_a_connection_lost_after_the_message_went_out_is_never_sent_again_by_itself(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    inbox = Mailroom(drop_after_data={"ann@example.org"})
    port = start_server(inbox)
    config = mail_config(port)
    connections = Connections()
    to = ["ann@example.org", "bob@example.org"]
    outcomes = send(digest, brief, config, to, store, connect=connections)
    assert statuses(outcomes) == [("ann@example.org", "failed"), ("bob@example.org", "sent")]
    assert "closed the connection" in outcomes[0].detail
    assert "may have arrived" in outcomes[0].detail
    assert "--resend" in outcomes[0].detail
    assert connections.count == 2, "the next recipient is sent over a new connection"
    (unconfirmed,) = store.unconfirmed_sends()
    assert (unconfirmed.brief_id, unconfirmed.recipient) == (brief.id, "ann@example.org")
    rerun = send(digest, brief, config, to, store)
    assert statuses(rerun) == [("ann@example.org", "skipped"), ("bob@example.org", "skipped")]
    assert "interrupted" in rerun[0].detail and "--resend" in rerun[0].detail
    assert len(inbox.to("ann@example.org")) == 1, "no duplicate"
    inbox.drop_after_data.clear()
    released = send(digest, brief, config, ["ann@example.org"], store, resend=True)
    assert statuses(released) == [("ann@example.org", "sent")]
    assert store.unconfirmed_sends() == ()


def test_a_run_killed_while_handing_over_never_sends_that_message_again(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    inbox = Mailroom()
    port = start_server(inbox)

    class KilledMidData(smtplib.SMTP):
        def send(self, s: Any) -> None:
            super().send(s)
            if isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
                raise KeyboardInterrupt  # the user's Ctrl-C, or the process dying

    def killed(host: str, port: int, timeout: float) -> smtplib.SMTP:
        return KilledMidData(host, port, timeout=timeout)

    to = ["ann@example.org", "bob@example.org"]
    with pytest.raises(KeyboardInterrupt):
        send(digest, brief, mail_config(port), to, store, connect=killed)
    assert [r.recipient for r in store.unconfirmed_sends()] == ["ann@example.org"]
    rerun = send(digest, brief, mail_config(port), to, store)
    assert statuses(rerun) == [("ann@example.org", "skipped"), ("bob@example.org", "sent")]
    assert len(inbox.to("ann@example.org")) == 1, "the server had it; it is not sent twice"
    assert len(inbox.to("bob@example.org")) == 1


def test_a_dropped_connection_is_reopened_and_every_message_goes_once(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    inbox = Mailroom(one_message_per_connection=True)
    port = start_server(inbox)
    connections = Connections()
    to = ["a@example.org", "b@example.org", "c@example.org"]
    outcomes = send(digest, brief, mail_config(port), to, store, connect=connections)
    assert [o.status for o in outcomes] == ["sent", "sent", "sent"]
    assert [rcpt for rcpt, _raw in inbox.received] == [(a,) for a in to]
    assert connections.count == 3


def test_a_recipient_that_keeps_losing_the_connection_fails_and_is_retried_next_run(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    inbox = Mailroom(drop_at_rcpt={"flaky@example.org"})
    port = start_server(inbox)
    config = mail_config(port)
    connections = Connections()
    to = ["flaky@example.org", "bob@example.org"]
    outcomes = send(digest, brief, config, to, store, connect=connections)
    assert statuses(outcomes) == [("flaky@example.org", "failed"), ("bob@example.org", "sent")]
    assert outcomes[0].detail.startswith("not sent: ")
    assert connections.count == 3, "one reopening for the lost message, one for the next"
    assert store.unconfirmed_sends() == ()
    assert not store.was_sent(brief.id, "flaky@example.org")
    inbox.drop_at_rcpt.clear()
    rerun = send(digest, brief, config, to, store)
    assert statuses(rerun) == [("flaky@example.org", "sent"), ("bob@example.org", "skipped")]
    assert len(inbox.to("flaky@example.org")) == 1


def test_a_server_that_cannot_be_reopened_leaves_the_rest_unsent_and_unlogged(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    inbox = Mailroom(drop_after_data={"ann@example.org"})
    port = start_server(inbox)
    opened = Connections()

    def once(host: str, port: int, timeout: float) -> smtplib.SMTP:
        if opened.count:
            raise ConnectionRefusedError(111, "Connection refused")
        return opened(host, port, timeout)

    to = ["ann@example.org", "bob@example.org", "cy@example.org"]
    outcomes = send(digest, brief, mail_config(port), to, store, connect=once)
    assert [o.status for o in outcomes] == ["failed", "failed", "failed"]
    assert outcomes[1].detail == f"not sent: cannot connect to 127.0.0.1:{port}: connection refused"
    assert outcomes[2].detail == outcomes[1].detail
    assert not store.was_sent(brief.id, "bob@example.org")
    assert [r.recipient for r in store.unconfirmed_sends()] == ["ann@example.org"]


# --- failures that stop every message -------------------------------------------------------


def authenticator(user: str, password: str) -> Callable[..., Any]:
    """An aiosmtpd authenticator accepting one login."""

    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        good = isinstance(data, smtp_module.LoginPassword) and (
            data.login == user.encode() and data.password == password.encode()
        )
        # handled=False: the server itself answers 235, or 535 on failure.
        return smtp_module.AuthResult(success=good, handled=False)

    return check


def test_a_wrong_password_is_one_clear_line_and_nothing_is_sent_or_logged(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    inbox = Mailroom()
    port = start_server(
        inbox,
        authenticator=authenticator("newsroom", "right"),
        auth_require_tls=False,
    )
    config = mail_config(port)
    with pytest.raises(SendError) as caught:
        send(digest, brief, config, ["ann@example.org"], store, credentials=("newsroom", "wrong"))
    assert (
        str(caught.value)
        == f"127.0.0.1:{port} refused the login: 535 5.7.8 Authentication credentials invalid"
    )
    assert "DIGEST_SMTP_PASSWORD" in caught.value.hint
    assert inbox.received == []
    assert not store.was_sent(brief.id, "ann@example.org") and store.unconfirmed_sends() == ()
    outcomes = send(
        digest, brief, config, ["ann@example.org"], store, credentials=("newsroom", "right")
    )
    assert statuses(outcomes) == [("ann@example.org", "sent")]


def test_without_credentials_there_is_no_login(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    port = start_server(
        Mailroom(), authenticator=authenticator("newsroom", "right"), auth_require_tls=False
    )
    outcomes = send(digest, brief, mail_config(port), ["ann@example.org"], store)
    assert statuses(outcomes) == [("ann@example.org", "sent")]


def test_credentials_for_a_server_without_logins_are_one_clear_line(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    port = start_server(Mailroom())
    with pytest.raises(SendError) as caught:
        send(digest, brief, mail_config(port), ["a@example.org"], store, credentials=("u", "p"))
    assert str(caught.value) == f"127.0.0.1:{port} does not offer a login (AUTH)"


def test_a_refused_connection_is_one_clear_line(store: Store, digest: Digest, brief: Brief) -> None:
    port = free_port()
    with pytest.raises(SendError) as caught:
        send(digest, brief, mail_config(port), ["ann@example.org"], store)
    assert str(caught.value) == f"cannot connect to 127.0.0.1:{port}: connection refused"
    assert "smtp_host" in caught.value.hint
    assert not store.was_sent(brief.id, "ann@example.org")


def test_a_server_that_hangs_up_at_once_is_one_clear_line(
    store: Store, digest: Digest, brief: Brief
) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def accept_and_hang_up(host: str, port: int, timeout: float) -> smtplib.SMTP:
            client = smtplib.SMTP(timeout=timeout)
            client.sock = socket.create_connection((host, port), timeout)
            connection, _ = listener.accept()
            connection.close()
            client.getreply()  # the greeting that never comes
            return client

        with pytest.raises(SendError) as caught:
            send(
                digest,
                brief,
                mail_config(port),
                ["ann@example.org"],
                store,
                connect=accept_and_hang_up,
            )
    assert str(caught.value).startswith(f"127.0.0.1:{port} closed the connection")
    assert "\n" not in str(caught.value)


def test_a_password_is_never_sent_unencrypted_to_another_host(
    store: Store, digest: Digest, brief: Brief
) -> None:
    config = mail_config(25, host="mail.example.org")
    with pytest.raises(SendError, match="refusing to send the SMTP password unencrypted"):
        send(
            digest,
            brief,
            config,
            ["ann@example.org"],
            store,
            credentials=("u", "p"),
            connect=never_connect,
        )


def test_an_unusable_sender_address_is_refused_before_connecting(
    store: Store, digest: Digest, brief: Brief
) -> None:
    config = replace(mail_config(25), sender="Jürgen <jürgen@example.org>")
    with pytest.raises(SendError, match="from address cannot be used"):
        send(digest, brief, config, ["ann@example.org"], store, connect=never_connect)


# --- which recipients are mailed -----------------------------------------------------------


def test_bad_and_repeated_addresses_are_reported_and_the_rest_mailed_once(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    inbox = Mailroom()
    port = start_server(inbox)
    to = ["not an address", "ann@example.org", "Ann <ANN@example.org>", "x@y\r\nBcc: z@w"]
    outcomes = send(digest, brief, mail_config(port), to, store)
    assert [o.status for o in outcomes] == ["failed", "sent", "skipped", "failed"]
    assert "not an email address" in outcomes[0].detail
    assert outcomes[2].detail == "listed more than once; mailed once"
    assert [rcpt for rcpt, _raw in inbox.received] == [("ann@example.org",)]


def test_no_recipients_opens_no_connection(store: Store, digest: Digest, brief: Brief) -> None:
    assert send(digest, brief, mail_config(25), [], store, connect=never_connect) == ()


def test_all_recipients_already_mailed_opens_no_connection(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    port = start_server(Mailroom())
    send(digest, brief, mail_config(port), ["ann@example.org"], store)
    outcomes = send(
        digest, brief, mail_config(port), ["ann@example.org"], store, connect=never_connect
    )
    assert statuses(outcomes) == [("ann@example.org", "skipped")]


def test_a_dry_run_builds_every_message_but_connects_and_logs_nothing(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    port = start_server(Mailroom())
    send(digest, brief, mail_config(port), ["ann@example.org"], store)
    to = ["ann@example.org", "bob@example.org"]
    outcomes = send(
        digest, brief, mail_config(port), to, store, dry_run=True, connect=never_connect
    )
    assert statuses(outcomes) == [("ann@example.org", "skipped"), ("bob@example.org", "dry-run")]
    detail = outcomes[1].detail
    assert detail.startswith("would send 'Riverside digest: Week of 28 September")
    assert " bytes, as <brief.2020-w40." in detail
    assert not store.was_sent(brief.id, "bob@example.org")
    resend = send(
        digest,
        brief,
        mail_config(port),
        to,
        store,
        dry_run=True,
        resend=True,
        connect=never_connect,
    )
    assert [o.status for o in resend] == ["dry-run", "dry-run"]
    assert store.was_sent(brief.id, "ann@example.org"), "a dry run forgets nothing"


# --- TLS ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl tool."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl tool is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def trusting(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def test_starttls_secures_the_connection_before_the_login(
    start_server: Callable[..., int],
    store: Store,
    digest: Digest,
    brief: Brief,
    certificate: tuple[Path, Path],
) -> None:
    inbox = Mailroom()
    port = start_server(
        inbox,
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=authenticator("newsroom", "right"),
        auth_required=True,
    )
    outcomes = send(
        digest,
        brief,
        mail_config(port, security="starttls"),
        ["ann@example.org"],
        store,
        credentials=("newsroom", "right"),
        tls_context=trusting(certificate),
    )
    assert statuses(outcomes) == [("ann@example.org", "sent")]
    assert len(inbox.received) == 1


def test_implicit_tls_delivers(
    start_server: Callable[..., int],
    store: Store,
    digest: Digest,
    brief: Brief,
    certificate: tuple[Path, Path],
) -> None:
    inbox = Mailroom()
    port = start_server(inbox, ssl_context=server_context(certificate))
    outcomes = send(
        digest,
        brief,
        mail_config(port, security="tls"),
        ["ann@example.org"],
        store,
        tls_context=trusting(certificate),
    )
    assert statuses(outcomes) == [("ann@example.org", "sent")]
    assert len(inbox.received) == 1


def test_an_untrusted_certificate_is_one_clear_line_and_nothing_is_sent(
    start_server: Callable[..., int],
    store: Store,
    digest: Digest,
    brief: Brief,
    certificate: tuple[Path, Path],
) -> None:
    inbox = Mailroom()
    port = start_server(inbox, tls_context=server_context(certificate), require_starttls=True)
    with pytest.raises(SendError) as caught:
        send(
            digest,
            brief,
            mail_config(port, security="starttls"),
            ["ann@example.org"],
            store,
            tls_context=ssl.create_default_context(),
        )
    assert str(caught.value).startswith(f"TLS with 127.0.0.1:{port} failed: ")
    assert "certificate" in str(caught.value)
    assert "certificate" in caught.value.hint
    assert inbox.received == [] and not store.was_sent(brief.id, "ann@example.org")


def test_starttls_against_a_server_without_it_is_refused(
    start_server: Callable[..., int], store: Store, digest: Digest, brief: Brief
) -> None:
    port = start_server(Mailroom())
    with pytest.raises(SendError) as caught:
        send(digest, brief, mail_config(port, security="starttls"), ["a@example.org"], store)
    assert str(caught.value) == f"127.0.0.1:{port} does not offer STARTTLS"


# --- choosing the brief ----------------------------------------------------------------------


def test_pick_brief_takes_the_latest_or_the_one_named_in_any_case(digest: Digest) -> None:
    assert pick_brief(digest, None).id == "2020-W40"
    assert pick_brief(digest, "2020-w39").id == "2020-W39"
    assert pick_brief(digest, " 2020-W39 ").id == "2020-W39"


def test_an_unknown_brief_names_the_id_and_lists_the_known_ones(digest: Digest) -> None:
    with pytest.raises(UnknownBriefError) as caught:
        pick_brief(digest, "2020-W41")
    assert str(caught.value) == "no brief '2020-W41' in this digest (did you mean 2020-W40?)"
    assert caught.value.hint == "the briefs, latest first: 2020-W40, 2020-W39"


def test_a_long_list_of_briefs_is_cut_in_the_hint() -> None:
    briefs = tuple(make_brief(id=f"2020-W{n:02}") for n in range(1, 20))
    with pytest.raises(UnknownBriefError) as caught:
        pick_brief(make_digest(briefs=briefs), "nothing like it")
    assert caught.value.hint.endswith(", …")
    assert str(caught.value) == "no brief 'nothing like it' in this digest"


def test_a_digest_without_briefs_has_nothing_to_send(digest: Digest) -> None:
    with pytest.raises(UnknownBriefError, match="no briefs"):
        pick_brief(replace(digest, briefs=()), None)
