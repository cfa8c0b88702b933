"""The ``digest`` command: a thin layer over the library.

Library errors become one-line messages with a hint, and exit statuses are
decided in one place, ``EXIT_CODES``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from digest import __version__, evaluate, explain, pipeline, stories
from digest.collect import collect
from digest.config import CONFIG_NAME, Config, ConfigError, SourceConfig, load_config
from digest.errors import DigestError, NoInputError, OutputError, StrictModeError, UsageError
from digest.memory import StoreMemory
from digest.model import Digest, Problem, Site
from digest.send import SendError, UnknownBriefError
from digest.serve import ServeError
from digest.settings import DEFAULT_WINDOW_DAYS, BuildSettings, parse_now, parse_timezone
from digest.store import Store, StoreError

EXIT_CODES: dict[type[DigestError], int] = {
    UsageError: 2,
    NoInputError: 3,
    StrictModeError: 4,
    OutputError: 5,
    ConfigError: 6,
    StoreError: 7,
    UnknownBriefError: 2,
    SendError: 8,
    ServeError: 9,
}
DEFAULT_INPUT = Path("seeds")
DEFAULT_OUTPUT = Path("output")
# How long a run waits for another run holding the state store before refusing.
STORE_WAIT_SECONDS = 30.0
# Show a running count on a terminal once a build has read this many inputs.
PROGRESS_EVERY = 100


window_days_option = click.option(
    "--window-days",
    type=click.IntRange(0, 60),
    default=DEFAULT_WINDOW_DAYS,
    show_default=True,
    help="How many days apart two reports of one event may be.",
)


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
    help="Folder to write the digest into, replaced as a whole (default: output/).",
)
@click.option(
    "--period",
    type=click.Choice(["week", "day"]),
    help="One brief per ISO week (Monday–Sunday, the default) or per day.",
)
@click.option("--tz", help="IANA time zone for dates (default: UTC).")
@click.option("--title", help="The digest's title.")
@click.option("--base-url", help="Public URL the site is served from (for feeds).")
@click.option("--id-domain", help="Domain you own, used to mint permanent feed and message ids.")
@click.option("--author", help="Author named in the feed.")
@click.option(
    "--now",
    "now_text",
    metavar="DATETIME",
    help="Reference time (ISO 8601) for year-less dates; fix it for reproducible output.",
)
@window_days_option
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Build from a digest.toml (default: ./digest.toml when no PATH is given).",
)
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), help="State database.")
@click.option("--offline", is_flag=True, help="Use what was fetched before; fetch nothing.")
@click.option("--force", is_flag=True, help="Fetch even feeds fetched within the last hour.")
@click.option(
    "--jobs",
    type=click.IntRange(1),
    default=os.cpu_count() or 1,
    show_default="the number of cores",
    help="Processes for the per-article stages; results are identical to --jobs 1.",
)
@click.option("--strict", is_flag=True, help="Fail, writing nothing, if any input is skipped.")
@click.option("-v", "--verbose", "verbose", count=True, help="Say more.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def build(
    paths: tuple[Path, ...],
    out: Path | None,
    now_text: str | None,
    window_days: int,
    config_path: Path | None,
    db: Path | None,
    offline: bool,
    force: bool,
    jobs: int,
    strict: bool,
    verbose: int,
    quiet: bool,
    **site_options: str | None,
) -> None:
    """Build the digest from article files or folders, or from digest.toml's sources.

    With PATHs, those files are read (default: seeds/ when there is no
    digest.toml). With a config, its sources are fetched into the state store
    first and every article kept there is built, so a weekly brief still has
    the articles that have left their feeds.
    """
    verbosity = -1 if quiet else verbose
    if config_path is None and not paths and Path(CONFIG_NAME).is_file():
        config_path = Path(CONFIG_NAME)
    try:
        config = load_config(config_path) if config_path is not None else None
        settings = settings_from(
            config, now_text, window_days=window_days, jobs=jobs, **site_options
        )
        target = out or (config.output if config else DEFAULT_OUTPUT)
        if config is None:
            _run_build(list(paths) or [DEFAULT_INPUT], target, settings, strict, verbosity)
        else:
            _run_config_build(
                config, list(paths), target, settings, db, offline, force, strict, verbosity
            )
    except DigestError as error:
        fail(error)


def _site(base: Site, options: Mapping[str, Any]) -> Site:
    """The configured site with any command-line overrides applied."""
    base_url = options.get("base_url")
    period = options.get("period")
    return replace(
        base,
        title=options.get("title") or base.title,
        base_url=_normalise_base_url(base_url) if base_url is not None else base.base_url,
        id_domain=options.get("id_domain") or base.id_domain,
        author=options.get("author") or base.author,
        timezone=options.get("tz") or base.timezone,
        period="day" if period == "day" else "week" if period == "week" else base.period,
    )


@main.command("stories")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--tz", default="UTC", show_default=True, help="IANA time zone for dates.")
@click.option("--now", "now_text", metavar="DATETIME", help="Reference time (ISO 8601).")
@window_days_option
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


@main.command("eval")
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--labels",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="CSV of gold stories: id,story (ECB+) or article,story (seeds/labels.csv).",
)
@click.option("--now", "now_text", metavar="DATETIME", help="Reference time (ISO 8601).")
@window_days_option
@click.option("--ignore-dates", is_flag=True, help="Cluster on text alone (for undated corpora).")
def eval_command(
    articles: tuple[Path, ...],
    labels: Path,
    now_text: str | None,
    window_days: int,
    ignore_dates: bool,
) -> None:
    """Score the stories found in ARTICLES against gold LABELS (B-cubed and pairwise)."""
    try:
        settings = BuildSettings(
            now=parse_now(now_text, parse_timezone("UTC")), window_days=window_days
        )
        loaded = pipeline.load_articles(list(articles), settings)
        pipeline.check_loaded(loaded, list(articles))
        prepared = evaluate.without_dates(loaded.articles) if ignore_dates else loaded.articles
        clusters = stories.cluster(prepared, window_days=window_days)
        report = evaluate.evaluate(prepared, clusters, evaluate.load_labels(labels))
    except DigestError as error:
        fail(error)
    for line in report.lines():
        click.echo(line)


def _normalise_base_url(url: str) -> str:
    """The base URL ending in exactly one slash, or empty."""
    url = url.strip()
    return url.rstrip("/") + "/" if url else ""


def config_digest(
    config: Config,
    settings: BuildSettings,
    store: Store,
    *,
    paths: Sequence[Path] = (),
    offline: bool = False,
    force: bool = False,
    strict: bool = False,
    verbosity: int = 0,
) -> Digest:
    """Collect the config's sources (and PATHs) into the store, then digest all it keeps."""
    sources = config.sources + tuple(
        SourceConfig(name=f"command line: {p}", url=None, path=p.absolute()) for p in paths
    )
    reports = collect(store, sources, now=settings.now, offline=offline, force=force)
    for report in reports:
        if verbosity > 0 or report.status.startswith("failed"):
            click.echo(report.line(), err=True)
    collected = tuple(p for r in reports for p in r.problems)
    loaded = pipeline.prepare_all(
        store.raw_inputs(), settings, _progress(verbosity), settings.jobs, cache=store
    )
    loaded = replace(loaded, problems=collected + loaded.problems)
    report_problems(loaded.problems, verbosity)
    pipeline.check_loaded(loaded, [config.path], strict=strict)
    return pipeline.make_digest(
        loaded, settings, StoreMemory(store, settings.now), store, kept=store
    )


def settings_from(
    config: Config | None, now_text: str | None = None, **options: Any
) -> BuildSettings:
    """Build settings from the config (if any), overridden by command-line options."""
    site = _site(config.site if config else Site(), options)
    zone = parse_timezone(site.timezone)
    return BuildSettings(
        now=parse_now(now_text, zone),
        site=site,
        window_days=options.get("window_days") or DEFAULT_WINDOW_DAYS,
        jobs=options.get("jobs") or 1,
    )


def _run_config_build(
    config: Config,
    paths: list[Path],
    out: Path,
    settings: BuildSettings,
    db: Path | None,
    offline: bool,
    force: bool,
    strict: bool,
    verbosity: int,
) -> None:
    """Collect the config's sources into the store, then build from everything kept."""
    with Store.open(db or config.db_path, wait=STORE_WAIT_SECONDS) as store:
        digest = config_digest(
            config,
            settings,
            store,
            paths=paths,
            offline=offline,
            force=force,
            strict=strict,
            verbosity=verbosity,
        )
        written = pipeline.write_outputs(digest, out, reuse=store)
    summary(digest, written, out, verbosity)


def _run_build(
    paths: list[Path], out: Path, settings: BuildSettings, strict: bool, verbosity: int
) -> None:
    progress = _progress(verbosity)
    loaded = pipeline.load_articles(paths, settings, progress, settings.jobs)
    if progress is not None:
        click.echo("\r", nl=False, err=True)
    report_problems(loaded.problems, verbosity)
    pipeline.check_loaded(loaded, paths, strict=strict)
    digest = pipeline.make_digest(loaded, settings)
    written = pipeline.write_outputs(digest, out)
    summary(digest, written, out, verbosity)


# The other commands register themselves on ``main`` when imported.
from digest import cli_publish, cli_sources  # noqa: E402, F401
