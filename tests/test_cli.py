"""The command line: exit statuses, messages, and documentation of every command."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from digest import __version__
from digest.cli import main
from tests.conftest import REPO

ARTICLE = (
    "Harbour workers end strike\n\n"
    "PORT ALDER – Dock workers at Port Alder voted on Tuesday, October 6, 2026 to end a "
    "nine-day strike after the port authority agreed to a 4.5 percent raise.\n\n"
    "The union said members would return to work on Wednesday morning.\n"
)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    code, out, _ = _run("--version")
    assert code == 0 and __version__ in out
    code, out, _ = _run("--help")
    assert code == 0 and "build" in out
    code, out, _ = _run("build", "--help")
    assert code == 0
    for option in ("--out", "--period", "--tz", "--title", "--base-url", "--now", "--strict"):
        assert option in out


def test_build_writes_output_and_summarises(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE)
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x01binary")
    out = tmp_path / "out"
    code, stdout, stderr = _run(
        "build", str(tmp_path / "in"), "--out", str(out), "--now", "2026-10-10"
    )
    assert code == 0, stderr
    assert f"{tmp_path / 'in' / 'bad.txt'}: skipped: binary file, not text" in stderr
    assert re.search(
        r"read 1 articles; skipped 1 inputs .* 1 stories in 1 briefs; wrote \d+ files", stdout
    )
    assert (out / "index.html").is_file() and (out / "feed.xml").is_file()


def test_strict_refuses_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "out"
    code, _, stderr = _run(
        "build", str(tmp_path), "--out", str(out), "--strict", "--now", "2026-10-10"
    )
    assert code == 4
    assert "empty.txt: skipped: empty file" in stderr
    assert "--strict" in stderr
    assert not out.exists()


def test_nothing_readable_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    code, _, stderr = _run("build", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 3
    assert "error: no article could be read from" in stderr
    assert "hint:" in stderr


def test_bad_option_values_name_the_value(tmp_path: Path) -> None:
    code, _, stderr = _run("build", str(tmp_path), "--tz", "Mars/Olympus")
    assert code == 2 and "unknown time zone 'Mars/Olympus'" in stderr
    code, _, stderr = _run("build", str(tmp_path), "--now", "yesterday")
    assert code == 2 and "--now 'yesterday' is not an ISO 8601" in stderr


def test_quiet_prints_nothing_on_success(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    code, stdout, stderr = _run(
        "build", str(tmp_path), "--out", str(tmp_path / "out"), "-q", "--now", "2026-10-10"
    )
    assert code == 0 and stdout == "" and stderr == ""


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    for name in main.commands:  # type: ignore[attr-defined]
        assert f"digest {name}" in readme, f"`digest {name}` is not documented in README.md"


def test_eval_scores_the_sample_corpus_perfectly() -> None:
    code, out, _ = _run(
        "eval",
        str(REPO / "seeds"),
        "--labels",
        str(REPO / "seeds" / "labels.csv"),
        "--now",
        "2026-11-02T12:00:00+00:00",
    )
    assert code == 0
    assert "stories: 12 labelled, 12 found" in out
    assert "B-cubed   P 1.000  R 1.000  F1 1.000" in out


def test_a_rebuild_counts_what_it_wrote_and_keeps_every_unchanged_file(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE)
    out = tmp_path / "out"
    command = ("build", str(tmp_path / "in"), "--out", str(out), "--now", "2026-10-10")
    assert _run(*command)[0] == 0
    first = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    code, stdout, stderr = _run(*command)
    assert code == 0, stderr
    assert f"wrote {len(first)} files to {out}" in stdout
    assert {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()} == first
