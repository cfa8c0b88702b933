"""The writer replaces the output folder atomically, never escapes it, and keeps unchanged files."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.errors import OutputError
from digest.model import OutputFile
from digest.write import Output, ReusedFile, StreamedFile, file_stamps, write_tree


def test_replaces_the_folder_and_keeps_user_dotfiles(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".gitkeep").write_text("")
    (out / "stale.html").write_text("old")
    write_tree([OutputFile("index.html", b"new"), OutputFile("briefs/x/index.html", b"x")], out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        ".gitkeep",
        "briefs/x/index.html",
        "index.html",
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_refuses_paths_outside_the_folder_and_keeps_old_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("old")
    with pytest.raises(OutputError):
        write_tree([OutputFile("../evil.txt", b"x")], out)
    assert (out / "index.html").read_text() == "old"
    assert not (tmp_path / "evil.txt").exists()


def test_a_failed_write_leaves_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("old")
    # A file and a folder at the same path cannot both be written.
    files = [OutputFile("a", b"file"), OutputFile("a/b", b"child")]
    with pytest.raises(OutputError):
        write_tree(files, out)
    assert (out / "index.html").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _identity(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns


def _chunked(content: bytes, size: int) -> Callable[[], Iterator[bytes]]:
    """Pieces of ``content`` of ``size`` bytes, made afresh on each call."""
    return lambda: (content[i : i + size] for i in range(0, len(content), size))


def test_writes_outputs_as_a_generator_yields_them_and_counts_them(tmp_path: Path) -> None:
    taken: list[str] = []

    def outputs() -> Iterator[Output]:
        for name in ("a.html", "b/c.html"):
            taken.append(name)
            yield OutputFile(name, name.encode())
        yield StreamedFile("digest.json", _chunked(b'{"big": true}\n', 3))

    out = tmp_path / "out"
    assert write_tree(outputs(), out) == 3
    assert taken == ["a.html", "b/c.html"]
    assert _tree(out) == {
        "a.html": b"a.html",
        "b/c.html": b"b/c.html",
        "digest.json": b'{"big": true}\n',
    }


def test_a_renderer_failing_mid_stream_leaves_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree([OutputFile("index.html", b"old")], out)

    def outputs() -> Iterator[OutputFile]:
        yield OutputFile("index.html", b"new")
        raise RuntimeError("renderer broke")

    with pytest.raises(RuntimeError, match="renderer broke"):
        write_tree(outputs(), out)
    assert _tree(out) == {"index.html": b"old"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_streamed_file_failing_part_way_leaves_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree([OutputFile("digest.json", b"old")], out)

    def pieces() -> Iterator[bytes]:
        yield b"half of it"
        raise ValueError("cannot encode")

    with pytest.raises(ValueError, match="cannot encode"):
        write_tree([StreamedFile("digest.json", pieces)], out)
    assert _tree(out) == {"digest.json": b"old"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_duplicate_path_found_mid_stream_stops_the_write_and_closes_the_stream(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    write_tree([OutputFile("index.html", b"old")], out)
    closed: list[bool] = []

    def outputs() -> Iterator[OutputFile]:
        try:
            yield OutputFile("briefs/x/index.md", b"one")
            yield OutputFile("index.html", b"new")
            yield OutputFile("briefs/x//index.md", b"two")
            yield OutputFile("never.html", b"")
        finally:
            closed.append(True)

    stream = outputs()  # held here, so only the writer can have closed it
    with pytest.raises(OutputError, match=re.escape("same path: 'briefs/x//index.md'")):
        write_tree(stream, out)
    assert closed == [True]
    assert _tree(out) == {"index.html": b"old"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_unsafe_path_mid_stream_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree([OutputFile("index.html", b"old")], out)
    for unsafe in ("/etc/passwd", "a/../../b", ""):
        with pytest.raises(OutputError, match="outside the output folder"):
            write_tree(iter([OutputFile("ok.html", b"x"), OutputFile(unsafe, b"x")]), out)
        assert _tree(out) == {"index.html": b"old"}
        assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("streamed", [False, True], ids=["in-memory", "streamed"])
def test_unchanged_files_keep_their_identity_and_changed_ones_get_new_bytes(
    tmp_path: Path, streamed: bool
) -> None:
    def output(path: str, content: bytes) -> Output:
        return StreamedFile(path, _chunked(content, 4)) if streamed else OutputFile(path, content)

    out = tmp_path / "out"
    first = {"index.html": b"home page", "briefs/w1/index.md": b"# week one", "same.txt": b"abcd"}
    write_tree([output(p, c) for p, c in first.items()], out)
    before = {path: _identity(out / path) for path in first}
    # Same size, other bytes: the size alone must not decide.
    second = {**first, "same.txt": b"abce", "new.html": b"fresh"}
    write_tree([output(p, c) for p, c in second.items()], out)
    assert _tree(out) == second
    for path in ("index.html", "briefs/w1/index.md"):
        assert _identity(out / path) == before[path], path
        assert (out / path).stat().st_nlink == 1, "the previous tree is gone"
    assert (out / "same.txt").stat().st_ino != before["same.txt"][0]


@pytest.mark.parametrize(
    ("earlier", "now"),
    [(b"abcdef", b"abc"), (b"abc", b"abcdef"), (b"", b"x"), (b"x", b"")],
    ids=["shorter", "longer", "was-empty", "now-empty"],
)
def test_a_streamed_file_that_extends_or_cuts_the_earlier_one_is_rewritten(
    tmp_path: Path, earlier: bytes, now: bytes
) -> None:
    out = tmp_path / "out"
    write_tree([OutputFile("digest.json", earlier)], out)
    inode = (out / "digest.json").stat().st_ino
    write_tree([StreamedFile("digest.json", _chunked(now, 2))], out)
    assert (out / "digest.json").read_bytes() == now
    assert (out / "digest.json").stat().st_ino != inode


def test_without_hard_links_unchanged_files_are_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    files = [OutputFile("index.html", b"page"), StreamedFile("digest.json", _chunked(b"{}\n", 1))]
    write_tree(files, out)
    (out / ".nojekyll").write_text("")

    def refuse(source: object, target: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    assert write_tree(files, out) == 2
    assert _tree(out) == {"index.html": b"page", "digest.json": b"{}\n", ".nojekyll": b""}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_an_earlier_folder_or_link_at_a_files_path_is_not_reused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree([OutputFile("a/b", b"x")], out)
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"same")
    (out / "linked.txt").symlink_to(outside)
    write_tree([OutputFile("a", b"x"), OutputFile("linked.txt", b"same")], out)
    assert _tree(out) == {"a": b"x", "linked.txt": b"same"}
    assert not (out / "linked.txt").is_symlink()
    assert outside.read_bytes() == b"same"


# Small trees over a few names, so that rebuilds share paths and contents.
TREES = st.dictionaries(
    st.sampled_from(["index.html", "a.md", "briefs/w1/index.html", "briefs/w2/brief.eml"]),
    st.sampled_from([b"", b"x", b"xy", b"yx", b"longer text"]),
)


@settings(max_examples=50, deadline=None)
@given(TREES, TREES, st.booleans(), st.integers(1, 4))
def test_any_rebuild_writes_exactly_the_new_tree_reusing_only_identical_files(
    first: dict[str, bytes], second: dict[str, bytes], streamed: bool, piece: int
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        write_tree([OutputFile(p, c) for p, c in first.items()], out)
        before = {p: (out / p).stat().st_ino for p in first}
        outputs = [
            StreamedFile(p, _chunked(c, piece)) if streamed else OutputFile(p, c)
            for p, c in second.items()
        ]
        assert write_tree(outputs, out) == len(second)
        assert _tree(out) == second
        for path, content in second.items():
            reused = (out / path).stat().st_ino == before.get(path)
            assert reused == (first.get(path) == content), path
        assert [p.name for p in Path(scratch).iterdir()] == ["out"]


def test_an_earlier_file_that_cannot_be_read_is_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    files = [OutputFile("index.html", b"page"), StreamedFile("digest.json", _chunked(b"{}\n", 1))]
    write_tree(files, out)
    before = {path: _identity(out / path) for path in ("index.html", "digest.json")}
    opened = Path.open

    def unreadable(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        if path.parent == out.absolute() and mode == "rb":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return opened(path, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", unreadable)
    assert write_tree(files, out) == 2
    monkeypatch.undo()
    assert _tree(out) == {"index.html": b"page", "digest.json": b"{}\n"}
    for path, identity in before.items():
        assert _identity(out / path) != identity, path


def _must_not_render() -> OutputFile:
    raise AssertionError("a file that could be taken was rendered")


def test_a_reused_file_is_the_earlier_file_and_is_never_rendered(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree([OutputFile("stories/a/index.html", b"story")], out)
    stamp = file_stamps(out, ["stories/a/index.html"])["stories/a/index.html"]
    before = _identity(out / "stories/a/index.html")

    reused = ReusedFile("stories/a/index.html", stamp, _must_not_render)
    assert write_tree([reused, OutputFile("index.html", b"home")], out) == 2
    assert _identity(out / "stories/a/index.html") == before
    assert file_stamps(out, ["stories/a/index.html"]) == {"stories/a/index.html": stamp}


def test_a_reused_file_whose_earlier_file_changed_or_went_is_rendered(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree([OutputFile("a.html", b"a"), OutputFile("b.html", b"b")], out)
    stamps = file_stamps(out, ["a.html", "b.html"])
    (out / "a.html").write_bytes(b"edited")
    (out / "b.html").unlink()

    def render(path: str) -> Callable[[], OutputFile]:
        return lambda: OutputFile(path, f"fresh {path}".encode())

    write_tree([ReusedFile(p, stamps[p], render(p)) for p in ("a.html", "b.html")], out)
    assert _tree(out) == {"a.html": b"fresh a.html", "b.html": b"fresh b.html"}


def test_a_reused_file_is_copied_where_links_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_tree([OutputFile("a.html", b"page")], out)
    stamp = file_stamps(out, ["a.html"])["a.html"]

    def refuse(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "links are not supported here")

    monkeypatch.setattr(os, "link", refuse)
    write_tree([ReusedFile("a.html", stamp, _must_not_render)], out)
    assert _tree(out) == {"a.html": b"page"}


def test_stamps_are_taken_of_regular_files_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree([OutputFile("a.html", b"page"), OutputFile("b/c.html", b"c")], out)
    (out / "link.html").symlink_to(out / "a.html")
    stamps = file_stamps(out, ["a.html", "b", "missing.html", "link.html", "../out/a.html"])
    assert set(stamps) == {"a.html"}
    status = (out / "a.html").stat()
    assert stamps["a.html"] == f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"
