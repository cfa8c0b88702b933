"""The writer replaces the output folder atomically and never escapes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.errors import OutputError
from digest.model import OutputFile
from digest.write import write_tree


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
