"""digest.json streamed in pieces is the very file rendered whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.model import Digest, Problem
from digest.render.report import render_report, render_report_stream, report_data
from digest.write import write_tree
from tests.builders import make_article, make_brief, make_digest, make_story

# Text an article may hold once ingest has replaced lone surrogates.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def digests(draw: st.DrawFn) -> Digest:
    """A builder digest of a few stories whose articles carry arbitrary text."""
    count = draw(st.integers(1, 4))
    stories = tuple(
        make_story(
            id=f"s{i}",
            articles=(
                make_article(
                    id=f"a{i}",
                    title=draw(TEXT) or "Untitled",
                    text=draw(TEXT),
                    url=draw(st.none() | st.just(f"https://example.org/{i}")),
                    source=draw(st.none() | TEXT),
                ),
            ),
        )
        for i in range(count)
    )
    problems = tuple(Problem(draw(TEXT), draw(TEXT)) for _ in range(draw(st.integers(0, 2))))
    return make_digest(briefs=(make_brief(stories=stories),), problems=problems)


@settings(max_examples=60, deadline=None)
@given(digests())
def test_the_streamed_report_is_the_rendered_one_byte_for_byte(digest: Digest) -> None:
    whole = render_report(digest)
    streamed = render_report_stream(digest)
    assert streamed.path == whole.path == "digest.json"
    assert b"".join(streamed.chunks()) == whole.content
    # Each call renders afresh, so a writer may take the pieces more than once.
    assert b"".join(streamed.chunks()) == whole.content
    expected = json.dumps(report_data(digest), ensure_ascii=False, indent=2) + "\n"
    assert whole.content == expected.encode("utf-8")


def test_a_written_report_reads_back_as_the_digest(tmp_path: Path) -> None:
    digest = make_digest(generated=datetime(2020, 10, 2, 9, 30, tzinfo=UTC))
    write_tree([render_report_stream(digest)], tmp_path / "out")
    data = json.loads((tmp_path / "out" / "digest.json").read_text(encoding="utf-8"))
    assert data["generated"] == "2020-10-02T09:30:00+00:00"
    assert [a["id"] for a in data["articles"]] == [a.id for a in digest.articles]
    assert (tmp_path / "out" / "digest.json").read_bytes() == render_report(digest).content
