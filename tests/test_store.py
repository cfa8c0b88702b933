"""The state store: round trips, stable ids, the run lock, migrations and damage."""

from __future__ import annotations

import os
import pwd
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest import store as store_module
from digest.model import RawInput
from digest.store import SCHEMA_VERSION, SourceState, Store, StoreError
from tests.builders import make_article

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 10, 6, 12, 0, tzinfo=UTC)
PARIS = timezone(timedelta(hours=2))


def raw(origin: str = "courier/ferry.txt", **overrides: object) -> RawInput:
    """An input as a reader would hand it to the store."""
    values: dict[str, object] = {
        "origin": origin,
        "kind": "text",
        "text": "Ferry workers end strike.",
    }
    values.update(overrides)
    return RawInput(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where property tests make their many short-lived stores.

    Memory-backed when the system has /dev/shm: creating a database file
    waits for the disk, and a property test creates hundreds.
    """
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        with tempfile.TemporaryDirectory(dir=shm) as folder:
            yield Path(folder)
    else:
        yield tmp_path_factory.mktemp("scratch")


def fresh(scratch: Path) -> Path:
    """A database path in a folder of its own."""
    return Path(tempfile.mkdtemp(dir=scratch)) / "digest.db"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "digest.db") as opened:
        yield opened


# --- articles --------------------------------------------------------------------------


def test_every_raw_input_field_survives_a_round_trip(db: Store) -> None:
    values: dict[str, object] = {}
    for field in fields(RawInput):
        values[field.name] = ("local", "transport") if field.name == "tags" else f"{field.name}·é"
    original = RawInput(**values)  # type: ignore[arg-type]

    assert db.save_raw("Harbour Courier", original, NOW)
    assert list(db.raw_inputs()) == [original]


def test_a_prepared_article_comes_back_equal_with_its_text_and_sentences(db: Store) -> None:
    article = make_article(
        text="Ferry crews walked out at dawn. Talks resume on Friday.\n\nNo sailings today.",
        published=datetime(2026, 10, 6, 9, 30, tzinfo=timezone(timedelta(hours=1))),
        event_date=date(2026, 10, 5),
        tags=("local",),
    )
    db.save_prepared([("key", article)])

    again = db.prepared(["key", "missing"])
    assert again == {"key": article}
    assert again["key"].text == article.text and again["key"].sentences == article.sentences


def test_saving_the_same_input_twice_is_not_new_the_second_time(db: Store) -> None:
    assert db.save_raw("Courier", raw(), NOW) is True
    assert db.save_raw("Courier", raw(), NOW + timedelta(hours=1)) is False
    assert len(list(db.raw_inputs())) == 1


def test_a_changed_input_replaces_the_stored_one(db: Store) -> None:
    db.save_raw("Courier", raw(text="First version."), NOW)

    assert db.save_raw("Courier", raw(text="Corrected version."), NOW + timedelta(hours=1))
    assert [r.text for r in db.raw_inputs()] == ["Corrected version."]


def test_inputs_are_keyed_by_their_own_id_before_their_origin(db: Store) -> None:
    db.save_raw("Courier", raw("feed.xml#1", input_id="urn:entry:1"), NOW)

    assert db.save_raw("Courier", raw("feed.xml#7", input_id="urn:entry:1", text="x"), NOW)
    assert [r.origin for r in db.raw_inputs()] == ["feed.xml#7"]


def test_the_same_origin_from_two_sources_is_two_inputs(db: Store) -> None:
    db.save_raw("Courier", raw("index.html"), NOW)
    db.save_raw("Ledger", raw("index.html"), NOW)

    assert len(list(db.raw_inputs())) == 2


def test_inputs_come_back_in_the_same_order_whatever_order_they_were_saved_in(
    tmp_path: Path,
) -> None:
    names = [f"a{n:02d}.txt" for n in range(20)]
    orders = []
    for folder, sequence in (("one", names), ("two", list(reversed(names)))):
        (tmp_path / folder).mkdir()
        with Store.open(tmp_path / folder / "digest.db") as db:
            for name in sequence:
                db.save_raw("Courier" if name < "a10" else "Ledger", raw(name), NOW)
            orders.append([r.origin for r in db.raw_inputs()])

    assert orders[0] == orders[1] == sorted(names)


def test_streaming_pages_through_many_inputs(db: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "PAGE_ROWS", 7)
    with db.transaction():
        for n in range(50):
            db.save_raw("Courier", raw(f"{n:03d}.txt"), NOW)

    assert [r.origin for r in db.raw_inputs()] == [f"{n:03d}.txt" for n in range(50)]


def test_since_keeps_inputs_published_on_or_after_the_date(db: Store) -> None:
    db.save_raw("Courier", raw("old.txt", published="2026-09-20T10:00:00+00:00"), NOW)
    db.save_raw("Courier", raw("edge.txt", published="2026-10-01T00:30:00+02:00"), NOW)
    db.save_raw("Courier", raw("rfc.txt", published="Thu, 01 Oct 2026 09:30:00 GMT"), NOW)
    db.save_raw("Courier", raw("undated.txt", published="Oct 6"), NOW)

    kept = [r.origin for r in db.raw_inputs(since=date(2026, 10, 1))]

    assert kept == ["edge.txt", "rfc.txt", "undated.txt"]


def test_a_publication_date_far_in_the_future_is_placed_when_first_seen(db: Store) -> None:
    db.save_raw("Courier", raw("typo.txt", published="2206-10-06T09:00:00+00:00"), NOW)

    assert db.prune(timedelta(days=30), NOW + timedelta(days=31)) == 1


# --- fetch state -----------------------------------------------------------------------


def test_a_source_never_fetched_has_a_fresh_state(db: Store) -> None:
    assert db.validators("Courier") == SourceState()


def test_fetch_state_round_trips_with_its_time_zones(db: Store) -> None:
    state = SourceState(
        etag='W/"abc"',
        last_modified="Tue, 06 Oct 2026 09:00:00 GMT",
        last_fetched=datetime(2026, 10, 6, 11, 0, tzinfo=PARIS),
        retry_after=datetime(2026, 10, 6, 13, 0, tzinfo=UTC),
        failures=2,
        gone=True,
        last_success=datetime(2026, 10, 5, 11, 0, tzinfo=PARIS),
        last_error="HTTP 503",
        entries_seen=40,
    )
    db.save_fetch("Courier", state)

    stored = db.validators("Courier")
    assert stored == state
    assert stored.last_fetched is not None and stored.last_fetched.utcoffset() == timedelta(hours=2)


def test_the_fetch_state_holds_every_field_the_fetcher_remembers() -> None:
    fetch = pytest.importorskip("digest.fetch")
    remembered = {(f.name, f.type) for f in fields(fetch.Validators)}

    assert remembered <= {(f.name, f.type) for f in fields(SourceState)}


def test_source_health_lists_fetched_and_stored_sources_by_name(db: Store) -> None:
    db.save_fetch("Ledger", SourceState(failures=3, last_error="timed out", entries_seen=12))
    db.save_raw("Courier", raw("a.txt"), NOW)
    db.save_raw("Courier", raw("b.txt"), NOW)

    health = db.source_health()

    assert [(h.name, h.articles, h.failures, h.last_error) for h in health] == [
        ("Courier", 2, 0, None),
        ("Ledger", 0, 3, "timed out"),
    ]


# --- stable story ids ------------------------------------------------------------------


def run(path: Path, clusters: list[tuple[str, list[str]]], now: datetime) -> list[str]:
    """One build's stories remembered in a store of its own; their ids."""
    with Store.open(path) as db:
        return [story_id for story_id, _ in db.remember_stories(clusters, now)]


def test_a_new_story_takes_its_key_and_now(db: Store) -> None:
    assert db.remember_story("ferry-strike", ["a", "b"], NOW) == ("ferry-strike", NOW)


def test_a_story_keeps_its_id_and_first_seen_time_when_articles_join(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    run(path, [("ferry-strike", ["a"])], NOW)

    with Store.open(path) as db:
        later = NOW + timedelta(days=2)
        assert db.remember_story("ferry-strike-v2", ["a", "b", "c"], later) == (
            "ferry-strike",
            NOW,
        )


def test_an_older_article_arriving_late_does_not_change_the_id(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    run(path, [("key-from-b", ["b", "c"])], NOW)

    # The late article is older, so the build now derives the key from it.
    assert run(path, [("key-from-a", ["a", "b", "c"])], NOW + timedelta(days=1)) == ["key-from-b"]


def test_ids_do_not_depend_on_the_order_of_stories_or_members(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    first = run(path, [("s1", ["a", "b"]), ("s2", ["c"]), ("s3", ["d", "e"])], NOW)

    again = run(path, [("s3", ["e", "d", "f"]), ("s1", ["b", "a"]), ("s2", ["c"])], NOW)

    assert first == ["s1", "s2", "s3"]
    assert again == ["s3", "s1", "s2"]


def test_when_two_remembered_stories_merge_the_larger_keeps_its_id(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    run(path, [("big", ["a", "b", "c"]), ("small", ["d"])], NOW)

    assert run(path, [("merged", ["d", "a", "b", "c"])], NOW) == ["big"]
    # The merged article did not silently move: on its own it is still its first story.
    assert run(path, [("alone", ["d"])], NOW) == ["small"]


@pytest.mark.parametrize("reverse", [False, True], ids=["in-order", "reversed"])
def test_when_a_story_splits_the_part_holding_most_of_it_keeps_the_id(
    tmp_path: Path, reverse: bool
) -> None:
    path = tmp_path / "digest.db"
    run(path, [("strike", ["a", "b", "c", "d"])], NOW)
    split = [("strike-day-one", ["a"]), ("strike-day-two", ["b", "c", "d"])]

    ids = run(path, split[::-1] if reverse else split, NOW)

    assert dict(zip([k for k, _ in (split[::-1] if reverse else split)], ids, strict=True)) == {
        "strike-day-one": "strike-day-one",
        "strike-day-two": "strike",
    }


def test_stories_remembered_one_by_one_in_a_run_never_share_an_id(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    run(path, [("strike", ["a", "b"])], NOW - timedelta(days=1))

    with Store.open(path) as db:
        first = db.remember_story("first-half", ["a"], NOW)
        second = db.remember_story("second-half", ["b"], NOW)

    assert [first[0], second[0]] == ["strike", "second-half"]


def test_a_key_already_taken_by_an_unrelated_story_gets_a_new_id(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    run(path, [("council-vote", ["a"])], NOW)

    assert run(path, [("council-vote", ["z"])], NOW) == ["council-vote-2"]
    assert run(path, [("council-vote", ["z", "y"])], NOW) == ["council-vote-2"]


@settings(max_examples=60, deadline=None)
@given(
    groups=st.lists(st.integers(1, 4), min_size=1, max_size=6),
    joiners=st.lists(st.integers(0, 5), max_size=6),
    seed=st.randoms(use_true_random=False),
)
def test_stories_that_only_grow_keep_every_id(
    scratch: Path,
    groups: list[int],
    joiners: list[int],
    seed: random.Random,
) -> None:
    path = fresh(scratch)
    clusters = []
    for number, size in enumerate(groups):
        clusters.append((f"k{number}", [f"s{number}-a{i}" for i in range(size)]))
    first = dict(zip([k for k, _ in clusters], run(path, clusters, NOW), strict=True))

    grown = []
    for number, (key, members) in enumerate(clusters):
        extra = [
            f"s{number}-new{i}" for i in range(joiners[number] if number < len(joiners) else 0)
        ]
        shuffled = members + extra
        seed.shuffle(shuffled)
        grown.append((f"other-{key}", shuffled, key))
    seed.shuffle(grown)
    ids = run(path, [(k, m) for k, m, _ in grown], NOW + timedelta(days=1))

    assert ids == [first[original] for _, _, original in grown]


CLUSTERINGS = st.lists(st.integers(0, 5), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(before=CLUSTERINGS, after=CLUSTERINGS, seed=st.randoms(use_true_random=False))
def test_any_reclustering_gives_unique_ids_whatever_the_order(
    scratch: Path,
    before: list[int],
    after: list[int],
    seed: random.Random,
) -> None:
    def clusters(labels: list[int], prefix: str) -> list[tuple[str, list[str]]]:
        groups: dict[int, list[str]] = {}
        for article, label in enumerate(labels):
            groups.setdefault(label, []).append(f"a{article}")
        return [(f"{prefix}{label}", members) for label, members in sorted(groups.items())]

    results = []
    for attempt in range(2):
        path = fresh(scratch)
        run(path, clusters(before, "old"), NOW)
        now = clusters(after, "new")
        seed.shuffle(now)
        for _key, members in now:
            seed.shuffle(members)
        ids = run(path, now, NOW + timedelta(days=1))
        results.append(dict(zip([key for key, _ in now], ids, strict=True)))
        assert len(set(ids)) == len(ids), attempt

    assert results[0] == results[1]


# --- brief times -----------------------------------------------------------------------


def test_brief_updated_moves_only_when_the_content_changes(db: Store) -> None:
    day = timedelta(days=1)
    assert db.brief_updated("2026-W41", "hash-1", NOW) == NOW
    assert db.brief_updated("2026-W41", "hash-1", NOW + day) == NOW
    assert db.brief_updated("2026-W41", "hash-2", NOW + 2 * day) == NOW + 2 * day
    assert db.brief_updated("2026-W41", "hash-2", NOW + 3 * day) == NOW + 2 * day
    assert db.brief_updated("2026-W42", "hash-1", NOW + 3 * day) == NOW + 3 * day


def test_a_changed_brief_never_goes_back_in_time(db: Store) -> None:
    db.brief_updated("2026-W41", "hash-1", NOW)

    assert db.brief_updated("2026-W41", "hash-2", NOW - timedelta(days=5)) > NOW


# --- the sent-mail log -----------------------------------------------------------------


def test_a_brief_is_sent_once_per_recipient(db: Store) -> None:
    assert not db.was_sent("2026-W41", "reader@example.org")
    db.mark_sending("2026-W41", "reader@example.org", "<2026-W41@example.org>", NOW)
    db.mark_sent("2026-W41", "reader@example.org", NOW)

    assert db.was_sent("2026-W41", "Reader@Example.org")
    assert not db.was_sent("2026-W41", "other@example.org")
    with pytest.raises(StoreError, match="already sent"):
        db.mark_sending("2026-W41", "reader@example.org", "<again@example.org>", NOW)


def test_a_send_must_be_started_before_it_is_finished(db: Store) -> None:
    with pytest.raises(StoreError, match=r"no send of brief 2026-W41 to reader@example\.org"):
        db.mark_sent("2026-W41", "reader@example.org", NOW)
    db.mark_sending("2026-W41", "reader@example.org", "<m@example.org>", NOW)
    db.mark_sent("2026-W41", "reader@example.org", NOW)
    with pytest.raises(StoreError, match="is under way"):
        db.mark_failed("2026-W41", "reader@example.org", "late error", NOW)

    assert db.was_sent("2026-W41", "reader@example.org")


def test_a_refused_message_is_tried_again(db: Store) -> None:
    db.mark_sending("2026-W41", "reader@example.org", "<m@example.org>", NOW)
    db.mark_failed("2026-W41", "reader@example.org", "550 mailbox unavailable", NOW)

    assert not db.was_sent("2026-W41", "reader@example.org")
    db.mark_sending("2026-W41", "reader@example.org", "<m@example.org>", NOW)
    assert db.was_sent("2026-W41", "reader@example.org")


def test_a_send_a_crash_left_unconfirmed_is_not_resent_until_released(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    with Store.open(path) as db:
        db.mark_sending("2026-W41", "reader@example.org", "<m@example.org>", NOW)
    # The run ended without mark_sent or mark_failed.

    with Store.open(path) as db:
        assert db.was_sent("2026-W41", "reader@example.org")
        (pending,) = db.unconfirmed_sends()
        assert (pending.brief_id, pending.recipient, pending.state) == (
            "2026-W41",
            "reader@example.org",
            "sending",
        )
        db.forget_send("2026-W41", "reader@example.org")
        assert not db.was_sent("2026-W41", "reader@example.org")
        assert db.unconfirmed_sends() == ()


# --- pruning ---------------------------------------------------------------------------


def test_prune_deletes_old_inputs_and_the_stories_left_empty(db: Store) -> None:
    old, new = NOW - timedelta(days=60), NOW - timedelta(days=2)
    db.save_raw("Courier", raw("old.txt", published=old.isoformat()), old)
    db.save_raw("Courier", raw("seen-long-ago.txt"), old)
    db.save_raw("Courier", raw("new.txt", published=new.isoformat()), new)
    db.remember_story("old-story", ["old"], old)
    db.remember_story("new-story", ["new"], new)
    db.brief_updated("2026-W33", "hash", old)

    assert db.prune(timedelta(days=30), NOW) == 2

    assert [r.origin for r in db.raw_inputs()] == ["new.txt"]
    stories = db._query("SELECT id FROM stories ORDER BY id")
    assert stories == [("new-story",)]
    assert db.brief_updated("2026-W33", "hash", NOW) == old
    assert db._query("PRAGMA freelist_count") == [(0,)]


def test_prune_inside_a_transaction_stays_inside_it(db: Store) -> None:
    old = NOW - timedelta(days=60)
    db.save_raw("Courier", raw("old.txt"), old)

    with pytest.raises(RuntimeError), db.transaction():
        assert db.prune(timedelta(days=30), NOW) == 1
        raise RuntimeError("the run failed after pruning")

    assert [r.origin for r in db.raw_inputs()] == ["old.txt"]


def test_prune_keeps_placements_a_recent_build_still_used(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    old = NOW - timedelta(days=60)
    run(path, [("long-story", ["a"])], old)
    run(path, [("long-story-now", ["a", "b"])], NOW)

    with Store.open(path) as db:
        db.prune(timedelta(days=30), NOW)
    assert run(path, [("any", ["a"])], NOW) == ["long-story"]


# --- transactions ----------------------------------------------------------------------


def test_a_block_that_raises_leaves_nothing_half_written(db: Store) -> None:
    with pytest.raises(RuntimeError), db.transaction():
        db.save_raw("Courier", raw("a.txt"), NOW)
        db.save_fetch("Courier", SourceState(etag='"new"'))
        raise RuntimeError("network dropped")

    assert list(db.raw_inputs()) == []
    assert db.validators("Courier") == SourceState()


def test_an_inner_block_that_raises_undoes_only_its_own_writes(db: Store) -> None:
    with db.transaction():
        db.save_raw("Courier", raw("kept.txt"), NOW)
        with pytest.raises(RuntimeError), db.transaction():
            db.save_raw("Courier", raw("undone.txt"), NOW)
            raise RuntimeError("bad entry")

    assert [r.origin for r in db.raw_inputs()] == ["kept.txt"]


CRASH = """
import os, sys
from datetime import UTC, datetime
from pathlib import Path
from digest.model import RawInput
from digest.store import Store
store = Store.open(Path(sys.argv[1]))
store.save_raw("Courier", RawInput("committed.txt", "text", "x"), datetime.now(UTC))
with store.transaction():
    store.save_raw("Courier", RawInput("half.txt", "text", "x"), datetime.now(UTC))
    os._exit(9)
"""


def test_a_process_dying_mid_transaction_keeps_only_what_was_committed(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    result = subprocess.run([sys.executable, "-c", CRASH, str(path)], env=_env(), check=False)

    assert result.returncode == 9
    with Store.open(path) as db:
        assert [r.origin for r in db.raw_inputs()] == ["committed.txt"]


def test_naive_times_are_refused(db: Store) -> None:
    with pytest.raises(ValueError, match="time zone aware"):
        db.save_raw("Courier", raw(), datetime(2026, 10, 6, 12, 0))


# --- the run lock ----------------------------------------------------------------------

HOLDER = """
import sys
from pathlib import Path
from digest.store import Store
with Store.open(Path(sys.argv[1])):
    print("holding", flush=True)
    sys.stdin.readline()
"""


def _env() -> dict[str, str]:
    """The environment for a child Python that imports this checkout's digest."""
    return {**os.environ, "PYTHONPATH": str(REPO)}


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the store open until its stdin gets a line."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "digest.db")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    ) as process:
        assert process.stdout is not None and process.stdout.readline() == "holding\n"
        yield process
        if process.poll() is None:
            process.kill()


def test_a_second_run_is_refused_while_another_holds_the_store(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    with pytest.raises(StoreError) as caught:
        Store.open(tmp_path / "digest.db", wait=0.2)

    assert str(caught.value) == f"another digest run is using {tmp_path / 'digest.db'}"
    assert caught.value.hint


def test_a_second_run_waits_for_the_first_to_finish(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    versions: list[int] = []

    def second_run() -> None:
        with Store.open(tmp_path / "digest.db", wait=30) as db:
            versions.append(db.schema_version)

    waiter = threading.Thread(target=second_run)
    waiter.start()
    assert holder.stdin is not None
    holder.stdin.write("done\n")
    holder.stdin.flush()
    waiter.join(timeout=40)

    assert versions == [SCHEMA_VERSION]


def test_the_lock_is_released_on_close(tmp_path: Path) -> None:
    Store.open(tmp_path / "digest.db").close()
    with Store.open(tmp_path / "digest.db") as db:
        assert db.schema_version == SCHEMA_VERSION


# --- files that are not a usable database ----------------------------------------------


def test_random_bytes_are_reported_as_not_a_digest_database(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    path.write_bytes(bytes(range(256)) * 40)

    with pytest.raises(StoreError) as caught:
        Store.open(path)

    assert str(caught.value) == f"{path} is not a digest database or is corrupt"
    assert "move" in caught.value.hint and "untouched" in caught.value.hint


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (body TEXT)")
    other.close()

    with pytest.raises(StoreError, match="not a digest database"):
        Store.open(path)


def test_a_damaged_page_is_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    with Store.open(path) as db, db.transaction():
        for n in range(200):
            db.save_raw("Courier", raw(f"{n}.txt", text="words " * 200), NOW)
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 6] = os.urandom(4096 * 3)
    path.write_bytes(bytes(data))

    with (
        pytest.raises(StoreError, match="not a digest database or is corrupt"),
        Store.open(path) as db,
    ):
        list(db.raw_inputs())


def test_a_database_from_a_newer_digest_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    Store.open(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()

    with pytest.raises(StoreError, match="newer digest"):
        Store.open(path)


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def test_a_database_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "nowhere" / "digest.db")


@contextmanager
def unprivileged() -> Iterator[None]:
    """Run the block as "nobody" when the tests run as root, who may write anywhere."""
    if os.geteuid() != 0:
        yield
        return
    try:
        nobody = pwd.getpwnam("nobody").pw_uid
    except KeyError:
        pytest.skip("running as root and there is no unprivileged user to check as")
    os.seteuid(nobody)
    try:
        yield
    finally:
        os.seteuid(0)


def test_a_read_only_folder_gives_a_clear_error() -> None:
    # A folder outside pytest's private temporary tree, so an unprivileged user reaches it.
    with tempfile.TemporaryDirectory() as parent:
        Path(parent).chmod(0o755)
        folder = Path(parent) / "read-only"
        folder.mkdir(mode=0o555)
        with unprivileged(), pytest.raises(StoreError) as caught:
            Store.open(folder / "digest.db")

    assert str(caught.value).startswith(f"cannot create {folder / 'digest.db.lock'}")
    assert "--db" in caught.value.hint


# --- schema ----------------------------------------------------------------------------


def test_the_database_uses_wal_and_records_its_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    with Store.open(path) as db:
        assert db._query("PRAGMA foreign_keys") == [(1,)]
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    finally:
        connection.close()


def test_a_version_one_database_is_upgraded_keeping_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "digest.db"
    connection = sqlite3.connect(path, isolation_level=None)
    store_module._migrate(connection, 0, target=1)
    connection.execute(
        "INSERT INTO raw_inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            "Courier",
            "a.txt",
            "h",
            '{"origin": "a.txt", "kind": "text", "text": "Old.", "tags": []}',
            NOW.isoformat(),
            NOW.isoformat(),
            NOW.isoformat(),
            NOW.isoformat(),
        ),
    )
    assert connection.execute("PRAGMA user_version").fetchone() == (1,)
    connection.close()

    with Store.open(path) as db:
        assert db.schema_version == SCHEMA_VERSION
        assert [r.text for r in db.raw_inputs()] == ["Old."]
        assert db.remember_story("story", ["a"], NOW) == ("story", NOW)
        db.mark_sending("2026-W41", "reader@example.org", "<m@example.org>", NOW)


def test_a_failing_upgrade_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "digest.db"
    connection = sqlite3.connect(path, isolation_level=None)
    store_module._migrate(connection, 0, target=1)
    connection.close()
    broken = (*store_module.MIGRATIONS[:2], "CREATE TABLE stories (id TEXT);")
    monkeypatch.setattr(store_module, "MIGRATIONS", broken)

    with pytest.raises(StoreError):
        Store.open(path)

    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone() == (1,)
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert sorted(name for (name,) in tables) == ["raw_inputs", "source_state"]
    finally:
        connection.close()
