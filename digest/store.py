"""The state store: what digest remembers between runs, in one SQLite file.

    raw_inputs      every article ingested, so a weekly brief still has the
                    articles that have since left their feed
    source_state    fetch validators and health, per configured source
    stories         permanent story ids and when each story was first seen
    story_members   the story each article was placed in, once and for good
    briefs          each brief's content hash and its ``updated`` time
    sends           the two-phase log of briefs mailed to each recipient

One run at a time: ``Store.open`` takes an exclusive lock on ``<db>.lock``
(released by the system when the process ends, so a crash never leaves a
stale lock). Every write happens inside a transaction; a run that dies midway
leaves the state exactly as the last completed transaction left it. Group
related writes with ``Store.transaction()`` so they are kept together or not
at all. Times are stored as ISO 8601 with their offset.

Sending email is logged in two phases, so that a crash can never mail a brief
twice. ``mark_sending`` is committed before the message is handed to the SMTP
server, ``mark_sent`` after the server accepted it. If the server refuses it,
or the connection fails before the message was transmitted, ``mark_failed``
records that nothing was delivered and the next run tries again. A row left
in "sending" means the run ended while the server may or may not have taken
the message: it counts as sent (``was_sent`` is true) and is never resent
automatically; ``unconfirmed_sends`` lists such rows so the user can check
the mailbox and release one with ``forget_send``.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from digest.errors import DigestError
from digest.model import Article, RawInput
from digest.settle import Kept, kept_from_json, kept_to_json

# The SQLite header's application id: "dgst", so another program's database is refused.
APPLICATION_ID = 0x64677374
# How long one statement waits for a lock held by another connection (milliseconds).
BUSY_TIMEOUT_MS = 5000
# How often a run waiting for another run's lock tries again (seconds).
LOCK_POLL_SECONDS = 0.05
# Rows read per query when streaming articles, bounding memory for large stores.
PAGE_ROWS = 500
# SQLite's limit on host parameters in one statement is 999 in older builds.
MAX_PARAMETERS = 900
# The widest UTC offset in use (UTC+14): a calendar date starts this long before UTC midnight.
WIDEST_OFFSET = timedelta(hours=14)
# A publication date further in the future than this is a mistake; the first-seen time is used.
FUTURE_SLACK = timedelta(days=1)
_SQLITE_HEADER = b"SQLite format 3\x00"

# Each step brings the schema from version N to N+1; a database records its version in
# PRAGMA user_version, and an upgrade applies every missing step in one transaction.
# Never edit a released step: add a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: articles and fetch state.
    f"""
    PRAGMA application_id = {APPLICATION_ID};
    CREATE TABLE raw_inputs (
        source TEXT NOT NULL,            -- the configured source's name
        input_key TEXT NOT NULL,         -- the input's own id, else its origin
        content_hash TEXT NOT NULL,      -- decides whether a re-read input changed
        record TEXT NOT NULL,            -- the RawInput as JSON
        dated_utc TEXT NOT NULL,         -- publication (else first-seen) time in UTC
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        changed TEXT NOT NULL,
        UNIQUE (source, input_key)
    );
    CREATE INDEX raw_inputs_dated ON raw_inputs (dated_utc);
    CREATE TABLE source_state (
        name TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_fetched TEXT,
        retry_after TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        gone INTEGER NOT NULL DEFAULT 0,
        last_success TEXT,
        last_error TEXT,
        entries_seen INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 2: permanent ids for stories and briefs.
    """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        story_key TEXT NOT NULL,         -- the key the build gave the story when first seen
        first_seen TEXT NOT NULL
    );
    CREATE TABLE story_members (
        article_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        placed TEXT NOT NULL,
        last_seen_utc TEXT NOT NULL      -- when a build last had the article, for pruning
    );
    CREATE INDEX story_members_story ON story_members (story_id);
    CREATE TABLE briefs (
        id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    """,
    # 3: the log of mailed briefs.
    """
    CREATE TABLE sends (
        brief_id TEXT NOT NULL,
        recipient TEXT NOT NULL,         -- the address, lower-cased
        message_id TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
        started TEXT NOT NULL,
        finished TEXT,
        error TEXT,
        PRIMARY KEY (brief_id, recipient)
    );
    """,
    # 4: articles already cleaned, dated and segmented, so a rebuild does not redo them.
    """
    CREATE TABLE prepared (
        cache_key TEXT PRIMARY KEY,      -- the input, the settings and the code that prepared it
        article TEXT NOT NULL            -- the Article as JSON
    );
    """,
    # 5: what clustering read from each article, so a rebuild reads only new ones.
    """
    CREATE TABLE evidence (
        cache_key TEXT PRIMARY KEY,      -- the headline, the text and the code that read them
        signature BLOB NOT NULL,         -- the MinHash signature (uint32s, native order)
        shingles INTEGER NOT NULL,       -- sampled shingles behind the signature
        features TEXT NOT NULL           -- term bag, names and spellings as JSON
    );
    """,
    # 6: the last build's stories, so the next one re-clusters only what new articles change.
    """
    CREATE TABLE kept_stories (
        version TEXT NOT NULL,           -- the code and the window that made the story
        id TEXT NOT NULL,                -- the story's content id
        story TEXT NOT NULL,             -- the story, its reports and their evidence keys as JSON
        PRIMARY KEY (version, id)
    );
    """,
    # 7: what each page of the last build was rendered from, so a rebuild links unchanged ones.
    """
    CREATE TABLE rendered (
        path TEXT PRIMARY KEY,           -- the output file, relative to the output folder
        render_key TEXT NOT NULL,        -- its inputs, the code and the templates, hashed
        stamp TEXT NOT NULL              -- the file written: inode, size and modification time
    );
    """,
    # 8: prepared articles keep their text and opening sentences compressed, as a build
    # holds them, so a rebuild neither parses nor compresses them again (a cache: the
    # next build refills it).
    """
    DROP TABLE prepared;
    CREATE TABLE prepared (
        cache_key TEXT PRIMARY KEY,      -- the input, the settings and the code that prepared it
        article TEXT NOT NULL,           -- the Article's other fields as JSON
        text BLOB NOT NULL,              -- its text, compressed (zstd)
        sentences BLOB NOT NULL          -- its opening sentences, compressed (zstd)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(DigestError):
    """The state database cannot be opened or written."""

    hint = "check the database path (--db) and that its folder is writable"


@dataclass(frozen=True, slots=True)
class SourceState:
    """What fetching one source left behind: HTTP validators, back-off and health."""

    etag: str | None = None
    last_modified: str | None = None
    last_fetched: datetime | None = None
    retry_after: datetime | None = None
    failures: int = 0
    gone: bool = False
    last_success: datetime | None = None
    last_error: str | None = None
    entries_seen: int = 0


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """One line of `digest sources`: how a source has been doing."""

    name: str
    last_fetched: datetime | None
    last_success: datetime | None
    last_error: str | None
    failures: int
    entries_seen: int
    gone: bool
    articles: int


@dataclass(frozen=True, slots=True)
class SendRecord:
    """One brief mailed, or being mailed, to one recipient."""

    brief_id: str
    recipient: str
    message_id: str
    state: str
    started: datetime
    finished: datetime | None
    error: str | None


# --- time and hashing -------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    """A time as ISO 8601 with its offset; a naive time is a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"the store needs time zone aware times, got {moment!r}")
    return moment.isoformat()


def _utc_text(moment: datetime) -> str:
    """A fixed-width UTC form whose text order is time order, for SQL comparisons."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _time(text: str | None) -> datetime | None:
    """A stored time read back."""
    return datetime.fromisoformat(text) if text else None


def _published(text: str | None) -> datetime | None:
    """A RawInput's publication time (ISO 8601 or RFC 2822), if it reads as one."""
    if not text or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            moment = parsedate_to_datetime(text.strip())
        except (TypeError, ValueError, IndexError):
            return None
    try:
        return moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _dated(raw: RawInput, first_seen: datetime) -> str:
    """The UTC time an input is placed at for `since` and pruning."""
    published = _published(raw.published)
    if published is None or published > first_seen + FUTURE_SLACK:
        return _utc_text(first_seen)
    return _utc_text(published)


def _record(raw: RawInput) -> str:
    """A RawInput as canonical JSON: equal inputs give equal text, hence equal hashes."""
    return json.dumps(asdict(raw), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _raw_input(record: str) -> RawInput:
    """A stored RawInput, ignoring keys the record type no longer has."""
    data = json.loads(record)
    known = {f.name for f in fields(RawInput)}
    values = {key: value for key, value in data.items() if key in known}
    values["tags"] = tuple(values.get("tags") or ())
    return RawInput(**values)


def article_to_json(article: Article) -> str:
    """An Article's fields as JSON text, times and dates in ISO 8601.

    All but its text and sentences, which are kept as the compressed bytes
    the article holds: most of an article's size, read back as they are.
    """
    data = asdict(article)
    del data["packed_text"], data["packed_sentences"]
    data["published"] = article.published.isoformat() if article.published else None
    data["event_date"] = article.event_date.isoformat() if article.event_date else None
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def article_from_json(fields: str, packed_text: bytes, packed_sentences: bytes) -> Article:
    """The Article ``article_to_json`` wrote, with its compressed text and sentences."""
    data = json.loads(fields)
    data["tags"] = tuple(data.get("tags") or ())
    data["published"] = datetime.fromisoformat(data["published"]) if data["published"] else None
    data["event_date"] = date.fromisoformat(data["event_date"]) if data["event_date"] else None
    return Article(**data, packed_text=packed_text, packed_sentences=packed_sentences)


# --- errors and locking -----------------------------------------------------------------


def _corrupt(path: Path) -> StoreError:
    """The error for a file that is not a digest database."""
    return StoreError(
        f"{path} is not a digest database or is corrupt",
        f"move {path} aside and run again to start a fresh one (the published output is "
        "untouched; articles that have left their feeds and remembered ids are lost)",
    )


def _translate(error: sqlite3.Error, path: Path) -> StoreError:
    """An SQLite error as a StoreError the user can act on."""
    name = getattr(error, "sqlite_errorname", "")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or name.startswith("SQLITE_CORRUPT"):
        return _corrupt(path)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return StoreError(
            f"cannot write {path}: {error}",
            f"digest writes {path.name} and the -wal, -shm and .lock files beside it; "
            "make the folder writable or choose another database with --db",
        )
    if name.startswith("SQLITE_FULL"):
        return StoreError(f"cannot write {path}: the disk is full", "free some space and rerun")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(
            f"{path} is locked by another program",
            "close any tool that has the database open and run again",
        )
    return StoreError(f"{path}: database error: {error}")


def _take_lock(path: Path, wait: float) -> int:
    """An exclusive lock on ``<db>.lock``, waiting up to ``wait`` seconds for another run."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StoreError(
            f"cannot create {lock_path}: {error.strerror}",
            "make the database's folder writable or choose another database with --db",
        ) from None
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                os.close(handle)
                raise StoreError(f"cannot lock {lock_path}: {error.strerror}") from None
        if time.monotonic() >= deadline:
            os.close(handle)
            raise StoreError(
                f"another digest run is using {path}",
                "wait for that run to finish, then run again",
            )
        time.sleep(LOCK_POLL_SECONDS)


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that does not start with SQLite's header."""
    try:
        with path.open("rb") as stream:
            header = stream.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror}") from None
    if header and header != _SQLITE_HEADER:
        raise _corrupt(path)


def _schema_version(connection: sqlite3.Connection, path: Path) -> int:
    """The schema version, once the file is known to be a digest database this digest reads."""
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    has_tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if application_id != APPLICATION_ID and (application_id != 0 or version or has_tables):
        raise _corrupt(path)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer digest (schema {version}; this one knows "
            f"{SCHEMA_VERSION})",
            "upgrade digest, or point --db at another database",
        )
    return version


def _migrate(connection: sqlite3.Connection, version: int, target: int = SCHEMA_VERSION) -> None:
    """Apply the steps from ``version`` up to ``target`` in one transaction: all or none."""
    if version >= target:
        return
    steps = "\n".join(MIGRATIONS[version:target])
    try:
        connection.executescript(
            f"BEGIN IMMEDIATE;\n{steps}\nPRAGMA user_version = {target};\nCOMMIT;"
        )
    except sqlite3.Error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


# --- the store --------------------------------------------------------------------------


class Store:
    """The state database of one run; use it as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: Path, lock: int) -> None:
        self._connection: sqlite3.Connection | None = connection
        self.path = path
        self._lock: int | None = lock
        self._depth = 0
        # Story ids handed out during this run, with the key of the story that took each,
        # so two stories of one build never share an id.
        self._claimed: dict[str, str] = {}

    @classmethod
    def open(cls, path: Path, *, wait: float = 0.0) -> Self:
        """Open (creating or upgrading) the database, as the only run using it."""
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file", "give a file path")
        if not path.parent.is_dir():
            raise StoreError(
                f"cannot create {path}: the folder {path.parent} does not exist",
                "create the folder or choose another database with --db",
            )
        lock = _take_lock(path, wait)
        connection: sqlite3.Connection | None = None
        try:
            _check_header(path)
            connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA foreign_keys = ON")
            version = _schema_version(connection, path)
            if version == 0:
                # Must be chosen before the first table exists; lets prune give space back.
                connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"cannot use write-ahead logging for {path} (got {mode})")
            # FULL: a committed "sending" row must survive a power cut, or a brief could go twice.
            connection.execute("PRAGMA synchronous = FULL")
            _migrate(connection, version)
            return cls(connection, path, lock)
        except BaseException as error:
            if connection is not None:
                connection.close()
            os.close(lock)
            if isinstance(error, sqlite3.Error):
                raise _translate(error, path) from None
            raise

    def close(self) -> None:
        """Close the database and release the lock; safe to call twice."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- plumbing ---

    @property
    def schema_version(self) -> int:
        """The schema version the open database is at."""
        return int(self._query("PRAGMA user_version")[0][0])

    def _db(self) -> sqlite3.Connection:
        """The open connection; using a closed store is a programming error."""
        if self._connection is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._connection

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """All rows of one statement, SQLite errors turned into StoreErrors."""
        try:
            return self._db().execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise _translate(error, self.path) from None

    def _change(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Run one writing statement for each row of parameters; returns rows changed."""
        try:
            return self._db().executemany(sql, rows).rowcount
        except sqlite3.Error as error:
            raise _translate(error, self.path) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: all are kept, or, if the block raises, none are.

        Nested blocks are savepoints: an inner block that raises undoes only
        its own writes, and only if the outer block goes on.
        """
        connection = self._db()
        savepoint = f"digest_{self._depth}"
        try:
            connection.execute("BEGIN IMMEDIATE" if self._depth == 0 else f"SAVEPOINT {savepoint}")
        except sqlite3.Error as error:
            raise _translate(error, self.path) from None
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            try:
                if self._depth == 0:
                    connection.execute("ROLLBACK")
                else:
                    connection.execute(f"ROLLBACK TO {savepoint}")
                    connection.execute(f"RELEASE {savepoint}")
            except sqlite3.Error:
                pass  # the original error says more than a failed rollback
            raise
        self._depth -= 1
        try:
            connection.execute("COMMIT" if self._depth == 0 else f"RELEASE {savepoint}")
        except sqlite3.Error as error:
            if self._depth == 0 and connection.in_transaction:
                connection.execute("ROLLBACK")
            raise _translate(error, self.path) from None

    # --- articles ---

    def save_raw(self, source: str, raw: RawInput, seen: datetime) -> bool:
        """Keep an ingested input; True when it is new or its content changed."""
        key = raw.input_id or raw.origin
        record = _record(raw)
        content_hash = hashlib.sha256(record.encode("utf-8")).hexdigest()
        seen_text = _iso(seen)
        with self.transaction():
            rows = self._query(
                "SELECT content_hash, first_seen FROM raw_inputs"
                " WHERE source = ? AND input_key = ?",
                (source, key),
            )
            if rows and rows[0][0] == content_hash:
                self._query(
                    "UPDATE raw_inputs SET last_seen = ? WHERE source = ? AND input_key = ?",
                    (seen_text, source, key),
                )
                return False
            if rows:
                first_seen = datetime.fromisoformat(rows[0][1])
                self._query(
                    "UPDATE raw_inputs SET content_hash = ?, record = ?, dated_utc = ?,"
                    " last_seen = ?, changed = ? WHERE source = ? AND input_key = ?",
                    (
                        content_hash,
                        record,
                        _dated(raw, first_seen),
                        seen_text,
                        seen_text,
                        source,
                        key,
                    ),
                )
                return True
            self._query(
                "INSERT INTO raw_inputs (source, input_key, content_hash, record, dated_utc,"
                " first_seen, last_seen, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source,
                    key,
                    content_hash,
                    record,
                    _dated(raw, seen),
                    seen_text,
                    seen_text,
                    seen_text,
                ),
            )
            return True

    def raw_inputs(self, *, since: date | None = None) -> Iterator[RawInput]:
        """Every stored input (by source, then key); with ``since``, those dated on or after it.

        ``since`` is a calendar date in an unknown time zone, so the cut is
        made at its earliest start anywhere: an input from that date is never
        missed, and one a few hours earlier may be included.
        """
        cutoff = ""
        if since is not None:
            midnight = datetime(since.year, since.month, since.day, tzinfo=UTC)
            cutoff = _utc_text(midnight - WIDEST_OFFSET) if since > date.min else ""
        # Keyset paging: each page starts after the last row of the one before.
        after: tuple[str | None, str | None] = (None, None)
        while True:
            rows = self._query(
                "SELECT source, input_key, record FROM raw_inputs"
                " WHERE (?1 IS NULL OR (source, input_key) > (?1, ?2)) AND dated_utc >= ?3"
                " ORDER BY source, input_key LIMIT ?4",
                (*after, cutoff, PAGE_ROWS),
            )
            for _source, _key, record in rows:
                yield _raw_input(record)
            if len(rows) < PAGE_ROWS:
                return
            after = (rows[-1][0], rows[-1][1])

    # --- prepared articles ---

    def prepared(self, keys: Sequence[str]) -> dict[str, Article]:
        """The cached articles among ``keys``."""
        rows = self._keyed_rows("SELECT cache_key, article, text, sentences FROM prepared", keys)
        return {
            key: article_from_json(fields, bytes(text), bytes(sentences))
            for key, fields, text, sentences in rows
        }

    def _keyed_rows(self, select: str, keys: Sequence[str]) -> Iterator[Any]:
        """The rows of ``select`` whose cache_key is among ``keys``, asked in chunks.

        SQLite takes at most MAX_PARAMETERS parameters in one statement.
        """
        for start in range(0, len(keys), MAX_PARAMETERS):
            chunk = keys[start : start + MAX_PARAMETERS]
            marks = ",".join("?" * len(chunk))
            yield from self._query(f"{select} WHERE cache_key IN ({marks})", chunk)

    def save_prepared(self, articles: Sequence[tuple[str, Article]]) -> None:
        """Cache prepared articles under their keys."""
        with self.transaction():
            self._change(
                "INSERT OR REPLACE INTO prepared (cache_key, article, text, sentences)"
                " VALUES (?, ?, ?, ?)",
                [
                    (key, article_to_json(article), article.packed_text, article.packed_sentences)
                    for key, article in articles
                ],
            )

    # --- clustering evidence ---

    def sketches(self, keys: Sequence[str]) -> dict[str, tuple[bytes, int]]:
        """The cached signatures and shingle counts among ``keys``."""
        rows = self._keyed_rows("SELECT cache_key, signature, shingles FROM evidence", keys)
        return {key: (bytes(signature), int(count)) for key, signature, count in rows}

    def features(self, keys: Sequence[str]) -> dict[str, str]:
        """The cached features (as JSON) among ``keys``."""
        return dict(self._keyed_rows("SELECT cache_key, features FROM evidence", keys))

    def save_evidence(self, rows: Sequence[tuple[str, bytes, int, str]]) -> None:
        """Cache (key, signature, shingle count, features) rows."""
        with self.transaction():
            self._change(
                "INSERT OR REPLACE INTO evidence (cache_key, signature, shingles, features)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )

    # --- stories kept for the next build ---

    def kept_stories(self, version: str) -> tuple[Kept, ...]:
        """The stories the last build of ``version`` made."""
        rows = self._query("SELECT story FROM kept_stories WHERE version = ?", (version,))
        return tuple(kept_from_json(text) for (text,) in rows)

    def save_kept_stories(self, version: str, made: Sequence[Kept], still: Collection[str]) -> None:
        """Keep the stories ``made`` and those ids ``still`` names; forget every other."""
        keep = {*still, *(kept.cluster.id for kept in made)}
        with self.transaction():
            self._query("DELETE FROM kept_stories WHERE version != ?", (version,))
            known = self._query("SELECT id FROM kept_stories WHERE version = ?", (version,))
            self._change(
                "DELETE FROM kept_stories WHERE version = ? AND id = ?",
                [(version, story_id) for (story_id,) in known if story_id not in keep],
            )
            self._change(
                "INSERT OR REPLACE INTO kept_stories (version, id, story) VALUES (?, ?, ?)",
                [(version, kept.cluster.id, kept_to_json(kept)) for kept in made],
            )

    # --- render keys of the last build's outputs ---

    def render_keys(self) -> dict[str, tuple[str, str]]:
        """Each output path the last build keyed, with its render key and file stamp."""
        rows = self._query("SELECT path, render_key, stamp FROM rendered")
        return {path: (key, stamp) for path, key, stamp in rows}

    def save_render_keys(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """Replace the render keys with this build's (path, key, stamp) rows."""
        with self.transaction():
            self._query("DELETE FROM rendered")
            self._change(
                "INSERT OR REPLACE INTO rendered (path, render_key, stamp) VALUES (?, ?, ?)", rows
            )

    # --- fetch state ---

    def validators(self, source: str) -> SourceState:
        """What the last fetch of ``source`` left behind; a fresh state if never fetched."""
        rows = self._query(
            "SELECT etag, last_modified, last_fetched, retry_after, failures, gone,"
            " last_success, last_error, entries_seen FROM source_state WHERE name = ?",
            (source,),
        )
        if not rows:
            return SourceState()
        etag, modified, fetched, retry, failures, gone, success, error, seen = rows[0]
        return SourceState(
            etag=etag,
            last_modified=modified,
            last_fetched=_time(fetched),
            retry_after=_time(retry),
            failures=int(failures),
            gone=bool(gone),
            last_success=_time(success),
            last_error=error,
            entries_seen=int(seen),
        )

    def save_fetch(self, source: str, state: SourceState) -> None:
        """Replace the fetch state of ``source``.

        Save it in the same transaction as the articles the fetch brought, or
        after them: validators saved without their articles would make the
        next fetch skip content the store never got.
        """
        times = (state.last_fetched, state.retry_after, state.last_success)
        fetched, retry, success = (_iso(t) if t is not None else None for t in times)
        with self.transaction():
            self._query(
                "INSERT OR REPLACE INTO source_state (name, etag, last_modified, last_fetched,"
                " retry_after, failures, gone, last_success, last_error, entries_seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source,
                    state.etag,
                    state.last_modified,
                    fetched,
                    retry,
                    state.failures,
                    int(state.gone),
                    success,
                    state.last_error,
                    state.entries_seen,
                ),
            )

    def source_health(self) -> tuple[SourceHealth, ...]:
        """Every source the store knows of, by name, with its stored article count."""
        counts = dict(self._query("SELECT source, count(*) FROM raw_inputs GROUP BY source"))
        known = {row[0] for row in self._query("SELECT name FROM source_state")}
        health = []
        for name in sorted(known | set(counts)):
            state = self.validators(name)
            health.append(
                SourceHealth(
                    name=name,
                    last_fetched=state.last_fetched,
                    last_success=state.last_success,
                    last_error=state.last_error,
                    failures=state.failures,
                    entries_seen=state.entries_seen,
                    gone=state.gone,
                    articles=int(counts.get(name, 0)),
                )
            )
        return tuple(health)

    # --- stable ids and times ---

    def _placements(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The remembered story of each article that has one."""
        placed: dict[str, str] = {}
        for start in range(0, len(article_ids), MAX_PARAMETERS):
            chunk = article_ids[start : start + MAX_PARAMETERS]
            marks = ", ".join("?" * len(chunk))
            placed.update(
                self._query(
                    f"SELECT article_id, story_id FROM story_members WHERE article_id IN ({marks})",
                    chunk,
                )
            )
        return placed

    def _first_seen(self, story_id: str) -> datetime | None:
        """When a remembered story was first seen, or None if it is not remembered."""
        rows = self._query("SELECT first_seen FROM stories WHERE id = ?", (story_id,))
        return datetime.fromisoformat(rows[0][0]) if rows else None

    def remember_story(
        self, story_key: str, member_ids: Sequence[str], now: datetime
    ) -> tuple[str, datetime]:
        """The permanent id and first-seen time of one story; see ``remember_stories``."""
        return self.remember_stories(((story_key, member_ids),), now)[0]

    def remember_stories(
        self, stories: Sequence[tuple[str, Sequence[str]]], now: datetime
    ) -> tuple[tuple[str, datetime], ...]:
        """The permanent id and first-seen time of each (key, member ids) story of a build.

        A story keeps the id it first got: when articles join it, when an older
        article arrives late, or when the build orders stories or members
        differently, the members already remembered decide the id. When several
        stories hold members of one remembered story, the one holding most of
        them (then the oldest story, then the key) keeps its id, whatever order
        they come in; the others get new ids, as does a story none of whose
        members is remembered. A member already placed stays placed: only new
        members are recorded. No two stories of one run ever share an id.
        """
        members = [tuple(dict.fromkeys(ids)) for _key, ids in stories]
        now_text, now_utc = _iso(now), _utc_text(now)
        with self.transaction():
            placed = self._placements(tuple({a for group in members for a in group}))
            offers = []
            for index, ((key, _ids), group) in enumerate(zip(stories, members, strict=True)):
                held = Counter(placed[a] for a in group if a in placed)
                for story_id, count in held.items():
                    first_seen = self._first_seen(story_id)
                    if first_seen is not None and self._free(story_id, key):
                        offers.append((-count, first_seen, story_id, key, index))
            # Strongest claims first, so the outcome does not depend on the order given.
            chosen: dict[int, tuple[str, datetime]] = {}
            taken: set[str] = set()
            for _count, first_seen, story_id, _key, index in sorted(offers):
                if index not in chosen and story_id not in taken:
                    chosen[index] = (story_id, first_seen)
                    taken.add(story_id)
            unplaced = sorted(set(range(len(stories))) - chosen.keys(), key=lambda i: stories[i][0])
            for index in unplaced:
                key = stories[index][0]
                story_id = self._mint(key, taken)
                self._query(
                    "INSERT INTO stories (id, story_key, first_seen) VALUES (?, ?, ?)",
                    (story_id, key, now_text),
                )
                chosen[index] = (story_id, now)
                taken.add(story_id)
            for index, ((key, _ids), group) in enumerate(zip(stories, members, strict=True)):
                story_id = chosen[index][0]
                self._claimed[story_id] = key
                self._change(
                    "INSERT OR IGNORE INTO story_members (article_id, story_id, placed,"
                    " last_seen_utc) VALUES (?, ?, ?, ?)",
                    [(a, story_id, now_text, now_utc) for a in group if a not in placed],
                )
                self._change(
                    "UPDATE story_members SET last_seen_utc = max(last_seen_utc, ?)"
                    " WHERE article_id = ?",
                    [(now_utc, a) for a in group if a in placed],
                )
        return tuple(chosen[index] for index in range(len(stories)))

    def _free(self, story_id: str, story_key: str) -> bool:
        """Whether this run has not yet given ``story_id`` to another story."""
        return self._claimed.get(story_id, story_key) == story_key

    def _mint(self, story_key: str, taken: set[str]) -> str:
        """A story id not yet remembered nor taken: the key itself, else the key numbered."""
        candidate, number = story_key, 2
        while (
            candidate in taken
            or candidate in self._claimed
            or self._first_seen(candidate) is not None
        ):
            candidate = f"{story_key}-{number}"
            number += 1
        return candidate

    def brief_updated(self, brief_id: str, content_hash: str, now: datetime) -> datetime:
        """The brief's ``updated`` time: kept while its content is unchanged, else ``now``.

        A changed brief's time never moves backwards, even under an earlier
        ``--now``: feed readers only notice updates that are later.
        """
        now_text = _iso(now)
        with self.transaction():
            rows = self._query("SELECT content_hash, updated FROM briefs WHERE id = ?", (brief_id,))
            if rows and rows[0][0] == content_hash:
                return datetime.fromisoformat(rows[0][1])
            updated = now
            if rows:
                previous = datetime.fromisoformat(rows[0][1])
                if updated <= previous:
                    updated = previous + timedelta(seconds=1)
                now_text = _iso(updated)
            self._query(
                "INSERT OR REPLACE INTO briefs (id, content_hash, updated) VALUES (?, ?, ?)",
                (brief_id, content_hash, now_text),
            )
            return updated

    # --- the sent-mail log ---

    def was_sent(self, brief_id: str, recipient: str) -> bool:
        """Whether the brief was, or may have been, mailed to ``recipient``."""
        rows = self._query(
            "SELECT state FROM sends WHERE brief_id = ? AND recipient = ?",
            (brief_id, _address_key(recipient)),
        )
        return bool(rows) and rows[0][0] in ("sending", "sent")

    def mark_sending(self, brief_id: str, recipient: str, message_id: str, now: datetime) -> None:
        """Record, before handing it to the server, that a message is about to go."""
        key = _address_key(recipient)
        with self.transaction():
            if self.was_sent(brief_id, key):
                raise StoreError(
                    f"brief {brief_id} was already sent, or is being sent, to {recipient}",
                    "see `unconfirmed_sends` for sends a crash left unconfirmed",
                )
            self._query(
                "INSERT OR REPLACE INTO sends (brief_id, recipient, message_id, state, started,"
                " finished, error) VALUES (?, ?, ?, 'sending', ?, NULL, NULL)",
                (brief_id, key, message_id, _iso(now)),
            )

    def mark_sent(self, brief_id: str, recipient: str, now: datetime) -> None:
        """Record that the server accepted the message."""
        self._finish(brief_id, recipient, "sent", now, None)

    def mark_failed(self, brief_id: str, recipient: str, error: str, now: datetime) -> None:
        """Record that the message certainly was not delivered, so a later run retries."""
        self._finish(brief_id, recipient, "failed", now, error)

    def _finish(
        self, brief_id: str, recipient: str, state: str, now: datetime, error: str | None
    ) -> None:
        """Close a "sending" row."""
        with self.transaction():
            changed = self._change(
                "UPDATE sends SET state = ?, finished = ?, error = ?"
                " WHERE brief_id = ? AND recipient = ? AND state = 'sending'",
                [(state, _iso(now), error, brief_id, _address_key(recipient))],
            )
            if changed != 1:
                raise StoreError(
                    f"no send of brief {brief_id} to {recipient} is under way",
                    "call mark_sending before handing the message to the server",
                )

    def unconfirmed_sends(self) -> tuple[SendRecord, ...]:
        """Sends a run began but never finished: they may or may not have arrived."""
        rows = self._query(
            "SELECT brief_id, recipient, message_id, state, started, finished, error FROM sends"
            " WHERE state = 'sending' ORDER BY started, brief_id, recipient"
        )
        return tuple(
            SendRecord(brief, to, message, state, datetime.fromisoformat(started), _time(end), err)
            for brief, to, message, state, started, end, err in rows
        )

    def forget_send(self, brief_id: str, recipient: str) -> None:
        """Drop the log entry so the brief is mailed to ``recipient`` again."""
        with self.transaction():
            self._query(
                "DELETE FROM sends WHERE brief_id = ? AND recipient = ?",
                (brief_id, _address_key(recipient)),
            )

    # --- housekeeping ---

    def prune(self, older_than: timedelta, now: datetime) -> int:
        """Delete inputs dated before ``now - older_than``; returns how many.

        Story placements no build has used since then go too, and stories
        left without members. Briefs and the sent-mail log are kept: they are
        small, and forgetting them would let an old brief come back as new.
        """
        cutoff = _utc_text(now - older_than)
        with self.transaction():
            removed = self._change("DELETE FROM raw_inputs WHERE dated_utc < ?", [(cutoff,)])
            self._change("DELETE FROM story_members WHERE last_seen_utc < ?", [(cutoff,)])
            # The caches of prepared articles, evidence and kept stories refill on the next build;
            # dropping them whole keeps the database bounded without tracking ages.
            self._query("DELETE FROM prepared")
            self._query("DELETE FROM evidence")
            self._query("DELETE FROM kept_stories")
            self._query("DELETE FROM rendered")
            self._query(
                "DELETE FROM stories WHERE NOT EXISTS"
                " (SELECT 1 FROM story_members WHERE story_members.story_id = stories.id)"
            )
        if self._depth == 0:
            # Give the space back. executescript steps the pragma to the end (execute would
            # free one page), and commits first, hence only outside the caller's transaction.
            try:
                self._db().executescript("PRAGMA incremental_vacuum;")
            except sqlite3.Error as error:
                raise _translate(error, self.path) from None
        return int(removed)


def _address_key(recipient: str) -> str:
    """A recipient as the log keys it: trimmed and lower-cased."""
    return recipient.strip().lower()
