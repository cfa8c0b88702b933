"""The ``digest`` command: a thin layer over the library.

Library errors become one-line messages with a hint, and exit statuses are
decided in one place, ``EXIT_CODES``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from digest import __version__, explain, pipeline
from digest.errors import DigestError, NoInputError, OutputError, StrictModeError, UsageError
from digest.model import Digest, Problem, Site
from digest.settings import BuildSettings, parse_now, parse_timezone
from digest.write import write_tree

EXIT_CODES: dict[type[DigestError], int] = {
    UsageError: 2,
    NoInputError: 3,
    StrictModeError: 4,
    OutputError: 5,
}
DEFAULT_INPUT = Path("seeds")
DEFAULT_OUTPUT = Path("output")
# Show a running count on a terminal once a build has read this many inputs.
PROGRESS_EVERY = 100


def fail(error: DigestError) -> None:
    """Print a library error as one line (plus its hint) and exit."""
    click.secho(f"error: {error}", fg="red", err=True)
    if error.hint:
        click.echo(f"hint: {error.hint}", err=True)
    code = next((c for k, c in EXIT_CODES.items() if isinstance(error, k)), 1)
    sys.exit(code)


def _progress(verbosity: int) -> Callable[[str], None] | None:
    """A counter on stderr for long runs, only when stderr is a terminal."""
    if verbosity < 0 or not sys.stderr.isatty():
        return None
    count = 0

    def tick(origin: str) -> None:
        nonlocal count
        count += 1
        if count % PROGRESS_EVERY == 0:
            click.echo(f"\rread {count} inputs…", nl=False, err=True)

    return tick


def report_problems(problems: tuple[Problem, ...], verbosity: int) -> None:
    """One line per problem input, skipped ones always, warnings unless quiet."""
    if verbosity < 0:
        return
    for problem in problems:
        colour = "yellow" if problem.severity == "warning" else "red"
        click.secho(problem.line(), fg=colour, err=True)


def summary(digest: Digest, written: int, out: Path, verbosity: int) -> None:
    """The closing lines of a build: what was read, skipped, made and written."""
    if verbosity < 0:
        return
    skipped = sum(1 for p in digest.problems if p.severity == "skipped")
    warnings = len(digest.problems) - skipped
    click.echo(
        f"read {len(digest.articles)} articles; skipped {skipped} inputs"
        f" ({warnings} warnings); {len(digest.stories)} stories in"
        f" {len(digest.briefs)} briefs; wrote {written} files to {out}"
    )
    if verbosity > 0:
        for brief in digest.briefs:
            click.echo(f"  {brief.id}: {brief.title}: {len(brief.stories)} stories")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest")
def main() -> None:
    """Turn many outlets' news articles into dated briefs: feed, site and email."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Folder to write the digest into (replaced as a whole).",
)
@click.option(
    "--period",
    type=click.Choice(["week", "day"]),
    default="week",
    show_default=True,
    help="One brief per ISO week (Monday–Sunday) or per day.",
)
@click.option("--tz", default="UTC", show_default=True, help="IANA time zone for dates.")
@click.option("--title", default="News digest", show_default=True, help="The digest's title.")
@click.option("--base-url", default="", help="Public URL the site is served from (for feeds).")
@click.option(
    "--id-domain",
    default="digest.invalid",
    show_default=True,
    help="Domain you own, used to mint permanent feed and message ids.",
)
@click.option("--author", default="digest", show_default=True, help="Author named in the feed.")
@click.option(
    "--now",
    "now_text",
    metavar="DATETIME",
    help="Reference time (ISO 8601) for year-less dates; fix it for reproducible output.",
)
@click.option(
    "--window-days",
    type=click.IntRange(0, 60),
    default=3,
    show_default=True,
    help="How many days apart two reports of one event may be.",
)
@click.option("--strict", is_flag=True, help="Fail, writing nothing, if any input is skipped.")
@click.option("-v", "--verbose", "verbose", count=True, help="Say more.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def build(
    paths: tuple[Path, ...],
    out: Path,
    period: str,
    tz: str,
    title: str,
    base_url: str,
    id_domain: str,
    author: str,
    now_text: str | None,
    window_days: int,
    strict: bool,
    verbose: int,
    quiet: bool,
) -> None:
    """Build the digest from article files or folders (default: seeds/)."""
    verbosity = -1 if quiet else verbose
    try:
        zone = parse_timezone(tz)
        site = Site(
            title=title,
            base_url=_normalise_base_url(base_url),
            id_domain=id_domain,
            author=author,
            timezone=tz,
            period="day" if period == "day" else "week",
        )
        settings = BuildSettings(now=parse_now(now_text, zone), site=site, window_days=window_days)
        _run_build(list(paths) or [DEFAULT_INPUT], out, settings, strict, verbosity)
    except DigestError as error:
        fail(error)


@main.command("stories")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--tz", default="UTC", show_default=True, help="IANA time zone for dates.")
@click.option("--now", "now_text", metavar="DATETIME", help="Reference time (ISO 8601).")
@click.option(
    "--window-days",
    type=click.IntRange(0, 60),
    default=3,
    show_default=True,
    help="How many days apart two reports of one event may be.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def stories_command(
    paths: tuple[Path, ...], tz: str, now_text: str | None, window_days: int, as_json: bool
) -> None:
    """Show the stories found in PATHS, each member with why it joined."""
    try:
        zone = parse_timezone(tz)
        settings = BuildSettings(
            now=parse_now(now_text, zone), site=Site(timezone=tz), window_days=window_days
        )
        inputs = list(paths) or [DEFAULT_INPUT]
        loaded = pipeline.load_articles(inputs, settings)
        report_problems(loaded.problems, 0)
        pipeline.check_loaded(loaded, inputs)
        digest = pipeline.make_digest(loaded, settings)
    except DigestError as error:
        fail(error)
    if as_json:
        click.echo(json.dumps(explain.stories_data(digest), ensure_ascii=False, indent=2))
    else:
        for line in explain.stories_lines(digest):
            click.echo(line)


def _normalise_base_url(url: str) -> str:
    """The base URL ending in exactly one slash, or empty."""
    url = url.strip()
    return url.rstrip("/") + "/" if url else ""


def _run_build(
    paths: list[Path], out: Path, settings: BuildSettings, strict: bool, verbosity: int
) -> None:
    progress = _progress(verbosity)
    loaded = pipeline.load_articles(paths, settings, progress)
    if progress is not None:
        click.echo("\r", nl=False, err=True)
    report_problems(loaded.problems, verbosity)
    pipeline.check_loaded(loaded, paths, strict=strict)
    digest = pipeline.make_digest(loaded, settings)
    files = pipeline.render_all(digest)
    write_tree(files, out)
    summary(digest, len(files), out, verbosity)
