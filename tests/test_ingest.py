"""Readers: every kind of input, and every kind of bad input in one line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from digest import collect
from digest.config import SourceConfig
from digest.ingest import (
    MAX_ARTICLE_BYTES,
    decode,
    markdown_to_text,
    read_inputs,
    split_front_matter,
    tidy_text,
)
from digest.model import Problem, RawInput
from digest.store import Store


def _read(*paths: Path) -> tuple[list[RawInput], list[Problem]]:
    items = list(read_inputs(list(paths)))
    return (
        [i for i in items if isinstance(i, RawInput)],
        [i for i in items if isinstance(i, Problem)],
    )


def test_plain_text_file_is_one_raw_input(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\n\nA first paragraph of news.\n")
    raws, problems = _read(tmp_path)
    assert problems == []
    assert [(r.kind, r.title, r.text) for r in raws] == [
        ("text", None, "Headline\n\nA first paragraph of news.\n")
    ]


def test_front_matter_fills_the_stated_fields(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        '---\ntitle: "Ferry strike ends"\nurl: https://x.example/a\nsource: Courier\n'
        "published: 2026-10-06T09:30:00+01:00\n---\n"
        "The **strike** ended, [says](http://y) the union.\n"
    )
    [raw], problems = _read(tmp_path)
    assert problems == []
    assert raw.title == "Ferry strike ends"
    assert raw.url == "https://x.example/a"
    assert raw.source == "Courier"
    assert raw.published == "2026-10-06T09:30:00+01:00"
    assert raw.text.strip() == "The strike ended, says the union."


def test_unknown_front_matter_key_is_a_warning_not_a_skip(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: T\nmood: calm\n---\nBody text here.\n")
    raws, problems = _read(tmp_path)
    assert len(raws) == 1
    assert [p.severity for p in problems] == ["warning"]
    assert "mood" in problems[0].reason


def test_jsonl_reads_good_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "x1", "text": "First article text.", "title": "One"}),
        "{not json",
        json.dumps({"id": "x2", "title": "No text"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"id": 7, "text": "Second article text.", "published": "2026-10-06"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    raws, problems = _read(tmp_path)
    assert [(r.input_id, r.title) for r in raws] == [("x1", "One"), ("7", None)]
    assert [p.origin.rsplit(":", 1)[1] for p in problems] == ["2", "3", "5"]
    assert "not JSON" in problems[0].reason
    assert "'text'" in problems[1].reason
    assert "not a JSON object" in problems[2].reason


def test_bad_files_each_get_one_line_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A real article about a harbour strike.\n")
    (tmp_path / "copy.txt").write_text("A real article about a harbour strike.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.jsonl").write_text("\n\n")
    (tmp_path / "huge.txt").write_bytes(b"word " * (MAX_ARTICLE_BYTES // 5 + 10))
    raws, problems = _read(tmp_path)
    assert [Path(r.origin).name for r in raws] == ["copy.txt"]
    reasons = {Path(p.origin).name: p.reason for p in problems}
    assert reasons["good.txt"].startswith("exact copy of")
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"] == "binary file, not text"
    assert reasons["empty.jsonl"] == "empty file"
    assert reasons["huge.txt"].startswith("too large for an article")


def test_non_utf8_text_is_decoded_and_reported(tmp_path: Path) -> None:
    text = "Caf\u00e9 owners in S\u00e3o Paulo said \u201cprices rose\u201d by 5 percent this year."
    (tmp_path / "cp.txt").write_bytes(text.encode("cp1252"))
    [raw], [problem] = _read(tmp_path)
    assert "Café" in raw.text and "“prices rose”" in raw.text
    assert problem.severity == "warning"
    assert "not UTF-8" in problem.reason


def test_missing_path_and_unknown_kind_are_named(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n")
    _, problems = _read(tmp_path / "absent", tmp_path / "notes.csv")
    assert [p.reason for p in problems] == ["no such file or folder", "no reader for '.csv' files"]


def test_folders_skip_unknown_kinds_and_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "labels.csv").write_text("a,b\n")
    (tmp_path / "README.md").write_text("# About these articles\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden article text.\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Nested article text.\n")
    raws, problems = _read(tmp_path)
    assert problems == []
    assert [Path(r.origin).name for r in raws] == ["b.txt"]


def test_front_matter_needs_the_closing_fence() -> None:
    fields, body, unknown = split_front_matter("---\ntitle: T\nno closing fence\n")
    assert fields == {} and unknown == ()
    assert body.startswith("---")


def test_markdown_links_keep_their_words() -> None:
    text = "## Heading\n\n> quoted *text* and ![img](x.png) a [link](http://e.x)\n"
    assert markdown_to_text(text) == "Heading\n\nquoted text and  a link\n"


@given(st.binary(max_size=2000))
def test_decode_never_raises(data: bytes) -> None:
    text, problem = decode(data, "x")
    assert text is not None or problem is not None


def test_text_is_nfc_with_scraper_entities_decoded(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301 owners &amp; bakers met on &#8220;Main St.&#8221; today."
    (tmp_path / "a.txt").write_text(decomposed)
    [raw], _ = _read(tmp_path)
    assert raw.text == "Caf\u00e9 owners & bakers met on \u201cMain St.\u201d today."


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    # JSON may escape half a surrogate pair; no UTF-8 output could hold it.
    line = (
        '{"id": "a1", "title": "Council votes \\ud800 budget",'
        ' "text": "The council of Brenholt voted on Monday \\udfff to approve the budget."}'
    )
    (tmp_path / "a.jsonl").write_text(line + "\n", encoding="utf-8")
    [raw], problems = _read(tmp_path)
    assert problems == []
    assert raw.title == "Council votes \ufffd budget"
    assert "Monday \ufffd to" in raw.text


# Any character, lone surrogates often (Hypothesis leaves them out by default).
ANY_CHARACTER = st.one_of(st.integers(0xD800, 0xDFFF).map(chr), st.characters())


@given(st.text(alphabet=ANY_CHARACTER), st.text(alphabet=ANY_CHARACTER))
def test_tidied_inputs_always_encode_as_utf8(text: str, title: str) -> None:
    raw = RawInput(origin="x.jsonl#1", kind="jsonl", text=text, title=title, tags=(text,))
    tidied = tidy_text(raw)
    for value in (tidied.text, tidied.title or "", *tidied.tags):
        value.encode("utf-8")


def test_collected_entries_are_tidied_before_they_are_stored(tmp_path: Path) -> None:
    source = SourceConfig(name="Wire", url="https://wire.example/feed.json", path=None)
    raw = RawInput(origin="wire#1", kind="feed", text="Half a pair \ud83d here.", title="\udc00")
    with Store.open(tmp_path / "digest.db") as store:
        assert collect._save(store, source, [raw], datetime(2026, 11, 25, tzinfo=UTC)) == 1
        [stored] = store.raw_inputs()
    assert stored.text == "Half a pair \ufffd here." and stored.title == "\ufffd"
