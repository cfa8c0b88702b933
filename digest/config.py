"""The config file, ``digest.toml``: what the user follows and how it is published.

``load_config`` checks the whole file before anything runs, so a typo is one
clear line naming the file, the table and the key — never a traceback halfway
through a run. Relative paths in the file are read from the file's folder, so
a run gives the same result from any working directory.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.errors import DigestError
from digest.model import Period, Site

CONFIG_NAME = "digest.toml"
DEFAULT_DB_NAME = "digest.db"
STARTER_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / CONFIG_NAME
# The folder the starter config's sample source reads local article files from.
STARTER_ARTICLES = "articles"

SOURCE_KINDS = ("feed", "html", "text", "markdown", "jsonl", "auto")
PERIODS: tuple[Period, ...] = ("week", "day")
SECURITY_MODES = ("starttls", "tls", "none")
# The port each way of securing SMTP conventionally listens on.
DEFAULT_SMTP_PORTS = {"starttls": 587, "tls": 465, "none": 25}
SMTP_USER_VARIABLE = "DIGEST_SMTP_USER"
SMTP_PASSWORD_VARIABLE = "DIGEST_SMTP_PASSWORD"
# Keys people reach for to store credentials; refused with a pointer to the variables.
CREDENTIAL_KEYS = frozenset({"user", "username", "password", "smtp_user", "smtp_password"})

# One DNS label: letters, digits and inner hyphens, at most 63 characters.
_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# A BCP 47-ish language tag: a 2–3 letter language, then subtags ("en", "pt-BR", "zh-Hant-TW").
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
# Characters that have no place in a one-line value (names, titles, header fields).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# The keys each table takes; anything else is refused with the nearest of these.
TOP_LEVEL_KEYS = ("site", "output", "state", "email", "sources")
SITE_KEYS = ("title", "base_url", "id_domain", "author", "language", "timezone", "period")
OUTPUT_KEYS = ("folder",)
STATE_KEYS = ("database",)
EMAIL_KEYS = ("from", "to", "smtp_host", "smtp_port", "security", "unsubscribe")
SOURCE_KEYS = ("name", "url", "path", "kind", "full_text", "tags")


class ConfigError(DigestError):
    """The config file is missing, not TOML, or holds a value digest cannot use."""

    hint = "fix the value named above; `digest init` writes a commented example config"


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """One outlet the user follows: a feed or page on the web, or local files."""

    name: str
    url: str | None
    path: Path | None
    kind: str = "auto"
    full_text: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EmailConfig:
    """Where briefs are mailed; credentials come from the environment, never the file."""

    sender: str
    to: tuple[str, ...]
    smtp_host: str
    smtp_port: int
    security: str = "starttls"
    unsubscribe: str | None = None


@dataclass(frozen=True, slots=True)
class Config:
    """A checked config file with every path made absolute."""

    site: Site
    output: Path
    sources: tuple[SourceConfig, ...]
    email: EmailConfig | None
    path: Path
    db_path: Path


# --- reading typed values out of TOML tables ---------------------------------------------


def _type_name(value: object) -> str:
    """How a TOML value's type reads in a message ("an integer", "a table")."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    if isinstance(value, list):
        return "an array"
    return "a table"


class _Table:
    """One TOML table and where it is, so every message can name the file and key."""

    def __init__(self, data: Mapping[str, Any], file: str, where: str) -> None:
        self.data = data
        self.file = file
        self.where = where

    def error(self, key: str, message: str, hint: str = "") -> ConfigError:
        """A ConfigError naming the file, this table and ``key``."""
        return ConfigError(f"{self.file}: {self.where} {key}: {message}", hint)

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        """Refuse keys digest does not know, suggesting the nearest known one."""
        for key in self.data:
            if key in allowed:
                continue
            if key in CREDENTIAL_KEYS:
                raise self.error(
                    key,
                    "credentials never go in the config file",
                    f"set {SMTP_USER_VARIABLE} and {SMTP_PASSWORD_VARIABLE} in the environment",
                )
            message = f"{self.file}: unknown key {key!r} in {self.where}"
            close = difflib.get_close_matches(key, allowed, n=1)
            if close:
                message += f" (did you mean {close[0]!r}?)"
            raise ConfigError(message, f"the keys {self.where} takes: {', '.join(allowed)}")

    def value(self, key: str, expected: type, expected_name: str) -> Any:
        """The value of ``key`` if present, checked against a TOML type."""
        value = self.data.get(key)
        if value is None:
            return None
        # bool is a subclass of int, so `true` must not pass as an integer.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise self.error(key, f"expected {expected_name}, got {_type_name(value)}")
        return value

    def line(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        """A one-line string, stripped; empty counts as absent."""
        text = self.value(key, str, "a string")
        text = text.strip() if text is not None else None
        if text and _CONTROL.search(text):
            raise self.error(key, "must be a single line without control characters")
        if not text:
            if required:
                raise self.error(key, "required, but missing or empty")
            return default
        return str(text)

    def required_line(self, key: str) -> str:
        """A one-line string that must be present and non-empty."""
        text = self.line(key, required=True)
        assert text is not None
        return text

    def flag(self, key: str, default: bool) -> bool:
        """A boolean, or ``default`` when absent."""
        value = self.value(key, bool, "true or false")
        return default if value is None else bool(value)

    def lines(self, key: str) -> tuple[str, ...]:
        """An array of one-line strings; duplicates dropped, order kept."""
        value = self.data.get(key)
        if isinstance(value, str):
            raise self.error(
                key,
                "expected an array of strings, got a string",
                f"put it in brackets: {key} = [{json.dumps(value, ensure_ascii=False)}]",
            )
        items = self.value(key, list, "an array of strings")
        if items is None:
            return ()
        found: list[str] = []
        for index, item in enumerate(items, start=1):
            if not isinstance(item, str):
                raise self.error(key, f"item {index}: expected a string, got {_type_name(item)}")
            text = item.strip()
            if _CONTROL.search(text):
                raise self.error(key, f"item {index}: must be a single line")
            if text and text not in found:
                found.append(text)
        return tuple(found)

    def choice(self, key: str, choices: tuple[str, ...], default: str, hint: str = "") -> str:
        """One of a fixed set of words."""
        word = self.line(key, default)
        assert word is not None
        if word not in choices:
            raise self.error(key, f"expected one of {', '.join(choices)}; got {word!r}", hint)
        return word


# --- checking values -------------------------------------------------------------------


def check_web_url(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL, or None when it is one."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - only checked: urlsplit parses the port lazily
    except ValueError as error:
        return f"not a valid URL ({error})"
    if parts.scheme.lower() not in ("http", "https"):
        return "expected an absolute http:// or https:// URL"
    if not parts.hostname:
        return "the URL has no host name"
    return None


def _base_url(table: _Table) -> str:
    """The site's public address ending in exactly one slash, or empty."""
    url = table.line("base_url", "")
    assert url is not None
    if not url:
        return ""
    problem = check_web_url(url)
    if problem is None and (urlsplit(url).query or urlsplit(url).fragment):
        problem = "the site's address cannot carry a query or fragment"
    if problem:
        raise table.error("base_url", f"{problem}; got {url!r}")
    return url.rstrip("/") + "/"


def normalise_domain(text: str) -> str | None:
    """The domain in lower-case ASCII (IDNA), or None when it is not a DNS name."""
    try:
        ascii_name = text.strip().rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = ascii_name.split(".")
    # A domain the user owns has at least two labels; a bare host name cannot be owned.
    if len(ascii_name) > 253 or len(labels) < 2:
        return None
    return ascii_name if all(_DNS_LABEL.match(label) for label in labels) else None


def _id_domain(table: _Table) -> str:
    """The domain permanent ids are minted from."""
    hint = "a domain name you own, such as example.org, without https:// or a path"
    text = table.line("id_domain")
    if text is None:
        raise table.error(
            "id_domain",
            "required, but missing or empty",
            hint + "; feed entry and email ids are minted from it",
        )
    domain = normalise_domain(text)
    if domain is None:
        raise table.error("id_domain", f"not a domain name: {text!r}", hint)
    return domain


def _timezone(table: _Table) -> str:
    """An IANA time zone name that this machine's zone database knows."""
    name = table.line("timezone", "UTC")
    assert name is not None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise table.error(
            "timezone",
            f"unknown time zone {name!r}",
            "use an IANA name such as Europe/London or UTC",
        ) from None
    return name


def _language(table: _Table) -> str:
    """A language tag such as en or en-GB."""
    tag = table.line("language", "en")
    assert tag is not None
    if not _LANGUAGE_TAG.match(tag):
        raise table.error("language", f"not a language tag: {tag!r}", "for example en or en-GB")
    return tag


def _address(table: _Table, key: str, text: str) -> str:
    """A mail address, with or without a display name."""
    _name, address = parseaddr(text)
    if "@" not in address or address.startswith("@") or address.endswith("@"):
        raise table.error(key, f"not an email address: {text!r}")
    return text


# --- the tables ------------------------------------------------------------------------


def _site(table: _Table) -> Site:
    """The [site] table."""
    table.check_keys(SITE_KEYS)
    defaults = Site()
    return Site(
        title=table.required_line("title"),
        base_url=_base_url(table),
        id_domain=_id_domain(table),
        author=table.line("author", defaults.author) or defaults.author,
        language=_language(table),
        timezone=_timezone(table),
        period="day" if table.choice("period", PERIODS, "week") == "day" else "week",
    )


def _local_path(text: str, folder: Path) -> Path:
    """A path from the file: ``~`` expanded, relative ones read from the config's folder."""
    path = Path(text).expanduser()
    return path if path.is_absolute() else folder / path


def _source(table: _Table, folder: Path) -> SourceConfig:
    """One [[sources]] table."""
    table.check_keys(SOURCE_KEYS)
    name = table.required_line("name")
    url = table.line("url")
    path_text = table.line("path")
    if url is None and path_text is None:
        raise table.error(
            "url", "a source needs url (a feed or page) or path (local files)", "add one of them"
        )
    if url is not None and path_text is not None:
        raise table.error("path", "a source takes url or path, not both", "keep one of them")
    if url is not None:
        problem = check_web_url(url)
        if problem:
            raise table.error("url", f"{problem}; got {url!r}")
    return SourceConfig(
        name=name,
        url=url,
        path=_local_path(path_text, folder) if path_text is not None else None,
        kind=table.choice("kind", SOURCE_KINDS, "auto", "feed covers both RSS and Atom"),
        full_text=table.flag("full_text", False),
        tags=table.lines("tags"),
    )


def _sources(entries: object, file: str, folder: Path) -> tuple[SourceConfig, ...]:
    """Every [[sources]] table, with names, URLs and paths each used once."""
    if entries is None:
        return ()
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(
            f"{file}: sources: expected an array of tables, got {_type_name(entries)}",
            "write each source as its own [[sources]] table",
        )
    sources: list[SourceConfig] = []
    first_use: dict[tuple[str, str], int] = {}
    for number, entry in enumerate(entries, start=1):
        table = _Table(entry, file, f"[[sources]] #{number}")
        source = _source(table, folder)
        uses = (
            ("name", source.name, source.name.casefold()),
            ("url", source.url, source.url),
            ("path", table.data.get("path"), str(source.path) if source.path else None),
        )
        for key, written, value in uses:
            if value is None:
                continue
            if (key, value) in first_use:
                earlier = first_use[(key, value)]
                raise table.error(
                    key,
                    f"{written!r} is already the {key} of [[sources]] #{earlier}",
                    "each source needs its own name and its own url or path",
                )
            first_use[(key, value)] = number
        sources.append(source)
    return tuple(sources)


def _email(table: _Table) -> EmailConfig:
    """The [email] table."""
    table.check_keys(EMAIL_KEYS)
    sender = _address(table, "from", table.required_line("from"))
    if isinstance(table.data.get("to"), str):
        # One recipient may be written without the brackets of an array.
        table = _Table({**table.data, "to": [table.data["to"]]}, table.file, table.where)
    recipients = table.lines("to")
    if not recipients:
        raise table.error("to", "required: at least one recipient address")
    security = table.choice("security", SECURITY_MODES, "starttls")
    port = table.value("smtp_port", int, "an integer")
    if port is not None and not 0 < port < 65536:
        raise table.error("smtp_port", f"expected a port from 1 to 65535; got {port}")
    unsubscribe = table.line("unsubscribe")
    if unsubscribe is not None and (
        "@" not in unsubscribe
        if unsubscribe.lower().startswith("mailto:")
        else check_web_url(unsubscribe) is not None
    ):
        raise table.error("unsubscribe", f"expected a mailto: or http(s) URL; got {unsubscribe!r}")
    return EmailConfig(
        sender=sender,
        to=tuple(_address(table, "to", r) for r in recipients),
        smtp_host=table.line("smtp_host", "localhost") or "localhost",
        smtp_port=port if port is not None else DEFAULT_SMTP_PORTS[security],
        security=security,
        unsubscribe=unsubscribe,
    )


def _subtable(document: Mapping[str, Any], key: str, file: str) -> _Table | None:
    """The table ``[key]`` if the file has one."""
    value = document.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConfigError(
            f"{file}: {key}: expected a table ([{key}]), got {_type_name(value)}",
            f"write the {key} settings under a [{key}] line",
        )
    return _Table(value, file, f"[{key}]")


def parse_config(text: str, path: Path) -> Config:
    """A Config from the file's text; ``path`` places relative paths and names the file."""
    file = str(path)
    try:
        document = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"{file}: not valid TOML: {error}",
            'check the line named; strings need quotes, as in title = "My news"',
        ) from None
    for key, value in document.items():
        if key not in TOP_LEVEL_KEYS:
            close = difflib.get_close_matches(key, TOP_LEVEL_KEYS, n=1)
            if isinstance(value, dict):
                what, guess = f"table [{key}]", f" (did you mean [{close[0]}]?)" if close else ""
            else:
                what, guess = f"key {key!r}", f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(
                f"{file}: unknown {what}{guess}",
                "digest.toml has the tables [site], [output], [state], [email] and [[sources]]",
            )
    folder = path.absolute().parent
    site = _subtable(document, "site", file)
    if site is None:
        raise ConfigError(
            f"{file}: [site]: required, but missing",
            "add a [site] table with at least title and id_domain",
        )
    output = _subtable(document, "output", file) or _Table({}, file, "[output]")
    output.check_keys(OUTPUT_KEYS)
    state = _subtable(document, "state", file) or _Table({}, file, "[state]")
    state.check_keys(STATE_KEYS)
    email = _subtable(document, "email", file)
    return Config(
        site=_site(site),
        output=_local_path(output.line("folder", "output") or "output", folder),
        sources=_sources(document.get("sources"), file, folder),
        email=_email(email) if email is not None else None,
        path=path.absolute(),
        db_path=_local_path(state.line("database", DEFAULT_DB_NAME) or DEFAULT_DB_NAME, folder),
    )


def load_config(path: Path) -> Config:
    """Read and check the config file at ``path``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such config file", "run `digest init` to write a starter config"
        ) from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ConfigError(
            f"{path}: not UTF-8 text (line {line})", "save the file as UTF-8"
        ) from None
    return parse_config(text, path)


def smtp_credentials(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """The SMTP login from the environment, or None to send without logging in."""
    user = environ.get(SMTP_USER_VARIABLE, "")
    password = environ.get(SMTP_PASSWORD_VARIABLE, "")
    if not user and not password:
        return None
    if not user or not password:
        present, missing = (
            (SMTP_USER_VARIABLE, SMTP_PASSWORD_VARIABLE)
            if user
            else (SMTP_PASSWORD_VARIABLE, SMTP_USER_VARIABLE)
        )
        raise ConfigError(
            f"{missing} is not set, but {present} is",
            f"set both {SMTP_USER_VARIABLE} and {SMTP_PASSWORD_VARIABLE}, or neither",
        )
    return user, password


def starter_config() -> str:
    """The commented starter config `digest init` writes."""
    return STARTER_TEMPLATE.read_text(encoding="utf-8")


def write_starter(folder: Path) -> tuple[Path, ...]:
    """Write a starter digest.toml and its sample articles folder; returns what was created.

    An existing config is never overwritten: the user's settings matter more
    than a fresh example.
    """
    config_path = folder / CONFIG_NAME
    if config_path.exists():
        raise ConfigError(
            f"{config_path} already exists",
            "edit it, or move it aside and run `digest init` again",
        )
    created: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # "x" creates the file only if it is still absent at the moment of writing.
        with config_path.open("x", encoding="utf-8") as handle:
            handle.write(starter_config())
        created.append(config_path)
        articles = folder / STARTER_ARTICLES
        if not articles.exists():
            articles.mkdir()
            created.append(articles)
    except FileExistsError:
        raise ConfigError(
            f"{config_path} already exists",
            "edit it, or move it aside and run `digest init` again",
        ) from None
    except OSError as error:
        raise ConfigError(
            f"{folder}: cannot write the starter config: {error.strerror}",
            "choose a folder you can write to",
        ) from None
    return tuple(created)
