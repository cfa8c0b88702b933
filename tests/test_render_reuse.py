"""Render keys: a rebuild takes unchanged pages from the last build, and only those.

Every test renders a digest once into a folder through an in-memory key
cache, changes one thing the pages show, and checks which pages the next
stream hands on as the last build's files: a page whose inputs changed must
be rendered again, and the written tree must equal a full render.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest import pipeline
from digest.cli import main
from digest.errors import OutputError
from digest.model import Digest, OutputFile, Site, Story
from digest.render import report, reuse
from digest.render.paths import brief_email, brief_markdown, brief_page, story_page
from digest.render.reuse import RenderKeys, render_key, render_version
from digest.settings import BuildSettings, parse_now, parse_timezone
from digest.store import Store
from digest.write import ReusedFile, StreamedFile
from tests.builders import make_article, make_brief, make_digest, make_story
from tests.conftest import REPO


class MemoryCache:
    """The render-key cache the state store keeps, held in a dict."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, str]] = {}
        self.saves = 0

    def render_keys(self) -> dict[str, tuple[str, str]]:
        return dict(self.rows)

    def save_render_keys(self, rows: Sequence[tuple[str, str, str]]) -> None:
        self.rows = {path: (key, stamp) for path, key, stamp in rows}
        self.saves += 1


def _story(name: str, day: int, **overrides: object) -> Story:
    article = make_article(
        id=f"a-{name}",
        origin=f"seeds/{name}.txt",
        title=f"Headline of {name}",
        url=f"https://example.org/{name}",
        published=datetime(2020, 9, day, 8, 0, tzinfo=UTC),
        event_date=datetime(2020, 9, day).date(),
    )
    return make_story(**{"id": f"s-{name}", "articles": (article,), **overrides})


def _digest() -> Digest:
    """Two weekly briefs; the second week's flood story follows up the first week's."""
    storm, bridge = _story("storm", 21), _story("bridge", 22)
    flood = _story("flood", 29, earlier=("s-storm",))
    school = _story("school", 30)
    first = make_brief(stories=(storm, bridge))
    second = make_brief(
        id="2020-W40",
        title="Week of 28 September – 4 October 2020",
        start=datetime(2020, 9, 28).date(),
        end=datetime(2020, 10, 4).date(),
        stories=(flood, school),
        updated=datetime(2020, 9, 30, 9, 0, tzinfo=UTC),
    )
    return make_digest(briefs=(first, second))


def _replace_story(digest: Digest, story_id: str, **changes: object) -> Digest:
    """The digest with one story changed wherever it appears."""

    def changed(story: Story) -> Story:
        return replace(story, **changes) if story.id == story_id else story

    briefs = tuple(replace(b, stories=tuple(map(changed, b.stories))) for b in digest.briefs)
    return replace(digest, briefs=briefs, stories=tuple(map(changed, digest.stories)))


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _reused(digest: Digest, cache: MemoryCache) -> set[str]:
    """The paths the next build would take from the last one rather than render."""
    keys = RenderKeys(cache.render_keys(), render_version(pipeline._code_version()))
    return {f.path for f in pipeline.render_stream(digest, keys) if isinstance(f, ReusedFile)}


def _keyed_paths(digest: Digest) -> set[str]:
    """Every output that has a render key: brief pages, Markdown and emails, story pages."""
    paths = {story_page(s.id) for b in digest.briefs for s in b.stories}
    for brief in digest.briefs:
        paths |= {brief_page(brief), brief_markdown(brief), brief_email(brief)}
    return paths


@pytest.fixture
def built(tmp_path: Path) -> tuple[Digest, MemoryCache, Path]:
    """The two-brief digest written once with a key cache."""
    digest, cache, out = _digest(), MemoryCache(), tmp_path / "out"
    pipeline.write_outputs(digest, out, reuse=cache)
    return digest, cache, out


def _rebuilt(digest: Digest, cache: MemoryCache, out: Path) -> set[str]:
    """Write ``digest`` over the last build; the paths it reused. The tree must be a full render."""
    reused = _reused(digest, cache)
    pipeline.write_outputs(digest, out, reuse=cache)
    assert _tree(out) == {f.path: f.content for f in pipeline.render_all(digest)}
    return reused


# --- what is reused ---------------------------------------------------------------------


def test_an_unchanged_rebuild_takes_every_keyed_page_as_the_same_file(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, out = built
    inodes = {path: (out / path).stat().st_ino for path in _keyed_paths(digest)}
    assert set(cache.rows) == _keyed_paths(digest)

    assert _rebuilt(digest, cache, out) == _keyed_paths(digest)
    assert {path: (out / path).stat().st_ino for path in inodes} == inodes


def test_the_aggregate_files_are_never_keyed(built: tuple[Digest, MemoryCache, Path]) -> None:
    digest, cache, _ = built
    for path in ("index.html", "feed.xml", "stories.xml", "digest.json", "sitemap.xml"):
        assert path not in cache.rows
    assert "index.html" not in _reused(digest, cache)


def test_builds_without_a_cache_render_everything(tmp_path: Path) -> None:
    digest = _digest()
    out = tmp_path / "out"
    pipeline.write_outputs(digest, out)
    assert not any(isinstance(f, ReusedFile) for f in pipeline.render_stream(digest))
    assert _tree(out) == {f.path: f.content for f in pipeline.render_all(digest)}


# --- every input a page shows makes it render again ----------------------------------------


def test_a_changed_summary_renders_its_story_and_its_brief_again(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, out = built
    changed = _replace_story(digest, "s-bridge", summary=("The bridge reopened early.",))
    reused = _rebuilt(changed, cache, out)

    first = digest.briefs[0]
    for path in (story_page("s-bridge"), brief_page(first), brief_markdown(first)):
        assert path not in reused
    assert brief_email(first) not in reused
    assert story_page("s-storm") in reused
    assert brief_page(digest.briefs[1]) in reused


def test_a_new_source_renders_the_story_again(built: tuple[Digest, MemoryCache, Path]) -> None:
    digest, cache, out = built
    story = next(s for s in digest.stories if s.id == "s-school")
    copy = make_article(id="a-school-2", source="The Other Paper", title="School opens")
    reused = _rebuilt(
        _replace_story(digest, "s-school", articles=(*story.articles, copy)), cache, out
    )
    assert story_page("s-school") not in reused
    assert story_page("s-flood") in reused


def test_an_outlet_name_change_renders_the_story_again(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, out = built
    story = next(s for s in digest.stories if s.id == "s-storm")
    renamed = (replace(story.articles[0], source="Renamed Herald"),)
    reused = _rebuilt(_replace_story(digest, "s-storm", articles=renamed), cache, out)
    assert story_page("s-storm") not in reused


def test_a_new_storyline_link_renders_both_ends_again(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, out = built
    reused = _rebuilt(_replace_story(digest, "s-school", earlier=("s-bridge",)), cache, out)
    # The later story lists its earlier coverage; the earlier one its later coverage.
    assert story_page("s-school") not in reused
    assert story_page("s-bridge") not in reused
    assert story_page("s-storm") in reused


def test_an_earlier_story_retitled_renders_the_pages_that_list_it(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, out = built
    reused = _rebuilt(_replace_story(digest, "s-storm", title="Storm upgraded"), cache, out)
    assert story_page("s-storm") not in reused
    # The flood story shows the storm's headline under "Earlier coverage".
    assert story_page("s-flood") not in reused
    assert story_page("s-school") in reused


def test_a_story_moved_to_another_brief_renders_again(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, out = built
    first, second = digest.briefs
    bridge = first.stories[1]
    moved = (
        replace(first, stories=first.stories[:1]),
        replace(second, stories=(*second.stories, bridge)),
    )
    reused = _rebuilt(replace(digest, briefs=moved), cache, out)
    assert story_page("s-bridge") not in reused
    for brief in moved:
        assert brief_page(brief) not in reused
        assert brief_email(brief) not in reused


def test_a_shifted_anchor_renders_the_story_again(built: tuple[Digest, MemoryCache, Path]) -> None:
    digest, cache, out = built
    first = digest.briefs[0]
    # "s bridge" makes the same anchor as "s-bridge" and comes first, so the
    # bridge story's anchor in the brief becomes "s-bridge-2".
    rival = _story("rival", 21, id="s bridge")
    briefs = (replace(first, stories=(rival, *first.stories)), digest.briefs[1])
    reused = _rebuilt(replace(digest, briefs=briefs), cache, out)
    assert story_page("s-bridge") not in reused
    assert story_page("s-storm") in reused


def test_a_brief_updated_later_renders_its_pages_again(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, out = built
    first = digest.briefs[0]
    later = replace(first, updated=first.updated + timedelta(hours=1))
    reused = _rebuilt(replace(digest, briefs=(later, digest.briefs[1])), cache, out)
    for path in (brief_page(first), brief_markdown(first), brief_email(first)):
        assert path not in reused


def test_a_retitled_brief_renders_its_stories_and_its_neighbour_again(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, out = built
    first = replace(digest.briefs[0], title="Storm week")
    reused = _rebuilt(replace(digest, briefs=(first, digest.briefs[1])), cache, out)
    # Story pages name their brief; the newer brief links to this one by title.
    assert story_page("s-storm") not in reused
    assert brief_page(digest.briefs[1]) not in reused
    assert story_page("s-flood") in reused


BASE = Site(title="Test digest", base_url="https://news.example.org/")


@pytest.mark.parametrize(
    ("site", "shown_in"),
    [
        (replace(BASE, title="Renamed digest"), {".html", ".eml"}),
        (replace(BASE, base_url="https://elsewhere.example.net/"), {".html", ".eml"}),
        (replace(BASE, timezone="Asia/Tokyo"), {".html", ".eml", ".md"}),
        (replace(BASE, language="fr"), {".html", ".eml"}),
        (replace(BASE, author="Desk"), {".eml"}),
        (replace(BASE, id_domain="x.example"), {".eml"}),
    ],
    ids=["title", "base-url", "time-zone", "language", "author", "id-domain"],
)
def test_a_site_setting_renders_every_page_that_shows_it_again(
    built: tuple[Digest, MemoryCache, Path], site: Site, shown_in: set[str]
) -> None:
    digest, cache, out = built
    before = _tree(out)
    reused = _rebuilt(replace(digest, site=site), cache, out)
    redone = {path for path in _keyed_paths(digest) if Path(path).suffix in shown_in}
    assert reused == _keyed_paths(digest) - redone
    # Reused pages are unchanged (``_rebuilt``), and the test is not idle: some pages changed.
    assert {p for p in redone if _tree(out)[p] != before[p]}


def test_another_render_version_renders_every_page_again(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, _ = built
    keys = RenderKeys(cache.render_keys(), "another version")
    assert not any(isinstance(f, ReusedFile) for f in pipeline.render_stream(digest, keys))


def test_the_render_version_follows_the_code_and_every_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(reuse.TEMPLATES, templates)
    monkeypatch.setattr(reuse, "TEMPLATES", templates)
    versions = set()
    for change in (None, "story.html", "_source.html", "style.css"):
        if change is not None:
            with (templates / change).open("a") as file:
                file.write("\n")
        reuse.templates_version.cache_clear()
        reuse.render_version.cache_clear()
        versions.add(render_version("code"))
    versions.add(render_version("other code"))
    reuse.templates_version.cache_clear()
    reuse.render_version.cache_clear()
    assert len(versions) == 5


def test_the_key_separates_renderer_path_and_inputs() -> None:
    page = ("the same context",)
    keys = {
        render_key("v", "story.html", "stories/a/index.html", page),
        render_key("v", "brief.html", "stories/a/index.html", page),
        render_key("v", "story.html", "stories/b/index.html", page),
        render_key("v", "story.html", "stories/a/index.html", ("another context",)),
        render_key("v", "story.html", "stories/a/index.html", ("the same", "context")),
        render_key("w", "story.html", "stories/a/index.html", page),
    }
    assert len(keys) == 6


# --- the file the last build left must still be there, unchanged --------------------------


def test_a_page_edited_in_the_output_folder_is_rendered_again(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, out = built
    page = out / story_page("s-storm")
    page.write_text("edited by hand")
    _rebuilt(digest, cache, out)
    assert b"Headline of storm" in page.read_bytes()


def test_a_page_deleted_from_the_output_folder_is_rendered_again(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, out = built
    (out / brief_email(digest.briefs[0])).unlink()
    _rebuilt(digest, cache, out)


def test_stale_files_in_another_folder_are_not_taken(
    built: tuple[Digest, MemoryCache, Path], tmp_path: Path
) -> None:
    digest, cache, _ = built
    other = tmp_path / "other"
    for path in _keyed_paths(digest):
        (other / path).parent.mkdir(parents=True, exist_ok=True)
        (other / path).write_text("left over from long ago")
    pipeline.write_outputs(digest, other, reuse=cache)
    assert _tree(other) == {f.path: f.content for f in pipeline.render_all(digest)}


def test_pages_are_copied_where_they_cannot_be_linked(
    built: tuple[Digest, MemoryCache, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    digest, cache, out = built

    def refuse(source: object, target: object) -> None:
        raise OSError(1, "links are not supported here")

    monkeypatch.setattr(os, "link", refuse)
    assert _rebuilt(digest, cache, out) == _keyed_paths(digest)


def test_a_failed_write_keeps_the_last_keys_and_output(
    built: tuple[Digest, MemoryCache, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    digest, cache, out = built
    before, rows = _tree(out), dict(cache.rows)

    def broken(digest: Digest) -> StreamedFile:
        def chunks() -> Iterator[bytes]:
            yield b"{"
            raise OutputError("the disk filled up")

        return StreamedFile(report.REPORT, chunks)

    monkeypatch.setattr(report, "render_report_stream", broken)
    changed = _replace_story(digest, "s-storm", title="Storm upgraded")
    with pytest.raises(OutputError):
        pipeline.write_outputs(changed, out, reuse=cache)
    assert cache.saves == 1
    assert cache.rows == rows
    assert _tree(out) == before


# --- a reused build is a full render -------------------------------------------------------


EDITS = (
    "summary",
    "title",
    "earlier",
    "move",
    "drop",
    "site",
    "updated",
    "none",
    "outlet",
)


def _edit(digest: Digest, edit: str, pick: int) -> Digest:
    """``digest`` with one kind of change, applied to the ``pick``-th story or brief."""
    stories = [s for b in digest.briefs for s in b.stories]
    story = stories[pick % len(stories)] if stories else None
    if edit == "summary" and story is not None:
        return _replace_story(digest, story.id, summary=(f"Update number {pick}.",))
    if edit == "title" and story is not None:
        return _replace_story(digest, story.id, title=f"Retitled {pick}")
    if edit == "earlier" and story is not None and len(stories) > 1:
        other = stories[(pick + 1) % len(stories)]
        return _replace_story(digest, story.id, earlier=(other.id,))
    if edit == "outlet" and story is not None:
        renamed = tuple(replace(a, source=f"Outlet {pick}") for a in story.articles)
        return _replace_story(digest, story.id, articles=renamed)
    if edit in ("move", "drop") and story is not None:
        briefs = [
            replace(b, stories=tuple(s for s in b.stories if s is not story)) for b in digest.briefs
        ]
        if edit == "move":
            target = pick % len(briefs)
            briefs[target] = replace(briefs[target], stories=(*briefs[target].stories, story))
        return replace(digest, briefs=tuple(briefs))
    if edit == "site":
        zones = ("UTC", "Europe/Paris", "America/Chicago")
        return replace(digest, site=replace(digest.site, timezone=zones[pick % 3]))
    if edit == "updated" and digest.briefs:
        brief = digest.briefs[pick % len(digest.briefs)]
        later = replace(brief, updated=brief.updated + timedelta(minutes=pick + 1))
        return replace(digest, briefs=tuple(later if b is brief else b for b in digest.briefs))
    return digest


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 7)), min_size=1, max_size=5))
def test_any_run_of_rebuilds_writes_exactly_a_full_render(edits: list[tuple[str, int]]) -> None:
    digest, cache = _digest(), MemoryCache()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        pipeline.write_outputs(digest, out, reuse=cache)
        for edit, pick in edits:
            digest = _edit(digest, edit, pick)
            _rebuilt(digest, cache, out)


def test_the_sample_corpus_rebuilt_with_reuse_is_a_full_render(tmp_path: Path) -> None:
    now = parse_now("2026-11-02T12:00:00+00:00", parse_timezone("UTC"))
    settings = BuildSettings(now=now, site=Site(title="Sample digest", id_domain="digest.example"))
    before = Path.cwd()
    os.chdir(REPO)
    try:
        loaded = pipeline.load_articles([Path("seeds")], settings)
    finally:
        os.chdir(before)
    digest = pipeline.make_digest(loaded, settings)
    with Store.open(tmp_path / "digest.db") as store:
        out = tmp_path / "out"
        pipeline.write_outputs(digest, out, reuse=store)
        assert _tree(out) == {f.path: f.content for f in pipeline.render_all(digest)}
        # The oldest story gains a summary line: its page and its brief change, no other.
        oldest = digest.stories[0]
        changed = _replace_story(digest, oldest.id, summary=(*oldest.summary, "One more line."))
        keys = RenderKeys(store.render_keys(), render_version(pipeline._code_version()))
        reused = {
            f.path for f in pipeline.render_stream(changed, keys) if isinstance(f, ReusedFile)
        }
        pipeline.write_outputs(changed, out, reuse=store)
        assert _tree(out) == {f.path: f.content for f in pipeline.render_all(changed)}
    brief = next(b for b in digest.briefs if oldest in b.stories)
    redone = {story_page(oldest.id), brief_page(brief), brief_markdown(brief), brief_email(brief)}
    assert reused == _keyed_paths(digest) - redone


# --- the state store keeps the keys ---------------------------------------------------------


def test_the_store_keeps_one_build_of_keys_and_prune_empties_them(tmp_path: Path) -> None:
    with Store.open(tmp_path / "digest.db") as store:
        assert store.render_keys() == {}
        store.save_render_keys([("a/index.html", "k1", "1:2:3"), ("b.eml", "k2", "4:5:6")])
        assert store.render_keys() == {"a/index.html": ("k1", "1:2:3"), "b.eml": ("k2", "4:5:6")}
        store.save_render_keys([("a/index.html", "k3", "7:8:9")])
        assert store.render_keys() == {"a/index.html": ("k3", "7:8:9")}
        store.prune(timedelta(days=30), datetime(2026, 11, 1, tzinfo=UTC))
        assert store.render_keys() == {}


def test_an_output_file_is_reused_only_when_its_file_stamp_still_matches(tmp_path: Path) -> None:
    digest = _digest()
    out = tmp_path / "out"
    with Store.open(tmp_path / "digest.db") as store:
        pipeline.write_outputs(digest, out, reuse=store)
        rows = store.render_keys()
        assert set(rows) == _keyed_paths(digest)
        page = out / story_page("s-storm")
        assert rows[story_page("s-storm")][1].split(":")[0] == str(page.stat().st_ino)


def test_reused_files_render_when_asked_for_their_bytes(
    built: tuple[Digest, MemoryCache, Path],
) -> None:
    digest, cache, _ = built
    keys = RenderKeys(cache.render_keys(), render_version(pipeline._code_version()))
    files = {
        f.path: f.joined() if isinstance(f, (ReusedFile, StreamedFile)) else f
        for f in pipeline.render_stream(digest, keys)
    }
    full: dict[str, OutputFile] = {f.path: f for f in pipeline.render_all(digest)}
    assert files == full


# --- the command line ---------------------------------------------------------------------


def test_a_config_build_keys_its_pages_and_the_next_links_them(tmp_path: Path) -> None:
    shutil.copytree(REPO / "seeds" / "curated", tmp_path / "articles")
    config = tmp_path / "digest.toml"
    config.write_text(
        '[site]\ntitle = "Sample digest"\nid_domain = "digest.example"\n\n'
        '[[sources]]\nname = "Curated"\npath = "articles"\n'
    )
    now = ["--now", "2026-11-02T12:00:00+00:00", "-q"]
    runner = CliRunner()

    def build() -> None:
        result = runner.invoke(main, ["build", "--config", str(config), *now])
        assert result.exit_code == 0, result.output + result.stderr

    build()
    out = tmp_path / "output"
    with Store.open(tmp_path / "digest.db") as store:
        keys = store.render_keys()
    assert keys and all(path.startswith(("briefs/", "stories/")) for path in keys)
    inodes = {path: (out / path).stat().st_ino for path in keys}
    before = _tree(out)

    build()
    assert _tree(out) == before
    assert {path: (out / path).stat().st_ino for path in keys} == inodes
    prune = runner.invoke(main, ["prune", "--config", str(config), "--older-than", "3650"])
    assert prune.exit_code == 0, prune.output
    with Store.open(tmp_path / "digest.db") as store:
        assert store.render_keys() == {}
