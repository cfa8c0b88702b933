"""The whole pipeline on the sample corpus: golden output, determinism, valid outputs."""

from __future__ import annotations

import csv
import email
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import replace
from email import policy
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest import pipeline
from digest.model import Digest, OutputFile, RawInput, Site
from digest.settings import BuildSettings, parse_now, parse_timezone
from digest.write import indented_json, write_tree
from tests.conftest import REPO, require_tool

SEEDS = REPO / "seeds"
ATOM_SCHEMA = REPO.parent / "shared" / "judges" / "atom.rnc"
# The sample corpus covers October 2026; the golden build is pinned to this time.
NOW = "2026-11-02T12:00:00+00:00"


def _settings(**site: str) -> BuildSettings:
    fields = {"title": "Sample digest", "id_domain": "digest.example", **site}
    return BuildSettings(now=parse_now(NOW, parse_timezone("UTC")), site=Site(**fields))


def _build(paths: list[Path], **site: str) -> tuple[Digest, tuple[OutputFile, ...]]:
    """Build from the repository folder, as `make digest` does, so origins are relative."""
    settings = _settings(**site)
    before = Path.cwd()
    os.chdir(REPO)
    try:
        loaded = pipeline.load_articles(paths, settings)
    finally:
        os.chdir(before)
    digest = pipeline.make_digest(loaded, settings)
    return digest, pipeline.render_all(digest)


@pytest.fixture(scope="module")
def sample() -> tuple[Digest, tuple[OutputFile, ...]]:
    return _build([Path("seeds")])


def test_sample_build_matches_golden_files(
    sample: tuple[Digest, tuple[OutputFile, ...]], golden: Callable[[str, bytes], None]
) -> None:
    """Regenerate with `make goldens` and review the diff."""
    _, files = sample
    for file in files:
        golden(f"build/{file.path}", file.content)
    listed = sorted(f.path for f in files)
    golden("build/MANIFEST", ("\n".join(listed) + "\n").encode())


def test_same_input_in_any_order_gives_identical_bytes(
    sample: tuple[Digest, tuple[OutputFile, ...]],
) -> None:
    inputs = sorted(
        p.relative_to(REPO)
        for p in SEEDS.rglob("*")
        if p.suffix in {".txt", ".md", ".jsonl"} and p.name != "README.md"
    )
    _, again = _build(list(reversed(inputs)))
    assert {f.path: f.content for f in again} == {f.path: f.content for f in sample[1]}


def test_moving_the_site_keeps_every_id(sample: tuple[Digest, tuple[OutputFile, ...]]) -> None:
    _, moved = _build([Path("seeds")], base_url="https://elsewhere.example/news/")
    ids = [e.id for e in feedparser.parse(_file(sample[1], "feed.xml")).entries]
    moved_ids = [e.id for e in feedparser.parse(_file(moved, "feed.xml")).entries]
    assert ids == moved_ids


def _file(files: tuple[OutputFile, ...], path: str) -> bytes:
    return next(f.content for f in files if f.path == path)


def test_every_article_in_one_story_and_every_story_in_one_brief(
    sample: tuple[Digest, tuple[OutputFile, ...]],
) -> None:
    data = json.loads(_file(sample[1], "digest.json"))
    article_ids = [a["id"] for a in data["articles"]]
    assert len(article_ids) == len(set(article_ids))
    in_stories = [a for s in data["stories"] for a in s["articles"]]
    assert sorted(in_stories) == sorted(article_ids)
    in_briefs = [s for b in data["briefs"] for s in b["stories"]]
    assert sorted(in_briefs) == sorted(s["id"] for s in data["stories"])
    paths = {f.path for f in sample[1]}
    for brief in data["briefs"]:
        assert set(brief["pages"].values()) <= paths


def test_sample_stories_match_the_labels(sample: tuple[Digest, tuple[OutputFile, ...]]) -> None:
    digest, _ = sample
    with (SEEDS / "labels.csv").open() as handle:
        gold = {row["article"]: row["story"] for row in csv.DictReader(handle)}

    def key(origin: str, article_id: str) -> str:
        if ".jsonl:" in origin:
            return article_id
        return Path(origin).relative_to("seeds").as_posix()

    predicted = {key(a.origin, a.id): s.id for s in digest.stories for a in s.articles}
    assert set(predicted) == set(gold)
    gold_groups = _partition(gold)
    predicted_groups = _partition(predicted)
    assert predicted_groups == gold_groups


def _partition(labels: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for item, label in labels.items():
        groups.setdefault(label, set()).add(item)
    return {frozenset(g) for g in groups.values()}


def test_feed_reads_back_and_is_valid_atom(
    sample: tuple[Digest, tuple[OutputFile, ...]], tmp_path: Path
) -> None:
    digest, files = sample
    xml = _file(files, "feed.xml")
    parsed = feedparser.parse(xml)
    assert not parsed.bozo
    assert len(parsed.entries) == len(digest.briefs)
    ids = [e.id for e in parsed.entries]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("tag:digest.example,2026:") for i in ids)
    assert all(e.get("author") or parsed.feed.get("author") for e in parsed.entries)
    jing = require_tool("jing")
    (tmp_path / "feed.xml").write_bytes(xml)
    result = subprocess.run(
        [jing, "-c", str(ATOM_SCHEMA), str(tmp_path / "feed.xml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_email_parses_as_multipart_alternative(
    sample: tuple[Digest, tuple[OutputFile, ...]],
) -> None:
    emails = [f for f in sample[1] if f.path.endswith(".eml")]
    assert len(emails) == len(sample[0].briefs)
    for file in emails:
        message = email.message_from_bytes(file.content, policy=policy.default)
        assert message.get_content_type() == "multipart/alternative"
        assert not message.defects
        parts = [p.get_content_type() for p in message.iter_parts()]
        assert parts == ["text/plain", "text/html"]
        for header in ("From", "To", "Date", "Subject", "Message-ID"):
            assert len(message.get_all(header, [])) == 1, header


# JSON values as the report holds them: text (any characters), numbers,
# flags, nulls, and lists and objects of them.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text() | st.integers() | st.booleans() | st.none(), JSON_VALUES, max_size=5)
)
def test_the_report_is_written_as_json_dumps_would_indent_it(data: dict[str, object]) -> None:
    expected = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert b"".join(indented_json(data)) == expected.encode("utf-8")
    # Lists given as iterators, made as they are encoded, come out the same.
    lazy = {key: iter(value) if isinstance(value, list) else value for key, value in data.items()}
    assert b"".join(indented_json(lazy)) == expected.encode("utf-8")


def test_the_streamed_build_writes_exactly_the_rendered_files(
    sample: tuple[Digest, tuple[OutputFile, ...]], tmp_path: Path
) -> None:
    digest, files = sample
    out = tmp_path / "out"
    assert write_tree(pipeline.render_stream(digest), out) == len(files)
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert written == {f.path: f.content for f in files}


_FIELD_VALUES = st.one_of(st.none(), st.text(max_size=6))


@given(title=_FIELD_VALUES, url=_FIELD_VALUES, other_title=_FIELD_VALUES, text=st.text(max_size=8))
def test_prepared_articles_are_cached_under_every_field_of_their_input(
    title: str | None, url: str | None, other_title: str | None, text: str
) -> None:
    settings = BuildSettings(now=parse_now(NOW, parse_timezone("UTC")))
    raw = RawInput(origin="a.txt", kind="text", text=text, title=title, url=url)
    changed = RawInput(origin="a.txt", kind="text", text=text, title=other_title, url=url)
    key = pipeline.cache_key(raw, settings, "v1")
    assert key == pipeline.cache_key(replace(raw), settings, "v1")
    assert (key == pipeline.cache_key(changed, settings, "v1")) == (title == other_title)
    assert key != pipeline.cache_key(raw, settings, "v2")
    # A field's text never runs into the next one's: "ab" + "c" is not "a" + "bc".
    longer_text = RawInput(origin="a.txt", kind="text", text=text + "x", title=title, url=url)
    longer_title = replace(raw, title="x" + (title or ""))
    assert pipeline.cache_key(longer_text, settings, "v1") != pipeline.cache_key(
        longer_title, settings, "v1"
    )
