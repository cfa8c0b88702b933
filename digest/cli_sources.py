"""Commands for following sources: init, fetch, sources, OPML, prune.

They share the ``--config`` and ``--db`` options and report through the same
error boundary as ``digest build`` (``cli.fail``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

from digest.cli import STORE_WAIT_SECONDS, fail, main, report_problems
from digest.collect import collect
from digest.config import CONFIG_NAME, Config, load_config, write_starter
from digest.errors import DigestError
from digest.opml import append_sources, export_opml, read_opml
from digest.store import Store

F = TypeVar("F", bound=Callable[..., Any])


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(CONFIG_NAME),
    show_default=True,
    help="The config file.",
)


def config_options(function: F) -> F:
    """The ``--config`` and ``--db`` options every stateful command takes."""
    function = click.option(
        "--db",
        type=click.Path(path_type=Path, dir_okay=False),
        help="State database (default: the config's [state] database, digest.db).",
    )(function)
    return config_option(function)


def open_store(config: Config, db: Path | None) -> Store:
    """The state store named by ``--db`` or the config, waiting for another run."""
    return Store.open(db or config.db_path, wait=STORE_WAIT_SECONDS)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
def init(folder: Path) -> None:
    """Write a commented starter digest.toml (and an articles folder) into FOLDER."""
    try:
        created = write_starter(folder)
    except DigestError as error:
        fail(error)
    for path in created:
        click.echo(f"created {path}")
    click.echo("next: add sources to digest.toml, then run `digest build`")


@main.command()
@config_options
@click.option("--force", is_flag=True, help="Fetch even feeds fetched within the last hour.")
def fetch(config_path: Path, db: Path | None, force: bool) -> None:
    """Fetch every configured source into the state store."""
    try:
        config = load_config(config_path)
        with open_store(config, db) as store:
            reports = collect(store, config.sources, now=datetime.now(UTC), force=force)
    except DigestError as error:
        fail(error)
    for report in reports:
        click.echo(report.line())
        report_problems(report.problems, 0)
    failed = [r for r in reports if r.status.startswith("failed")]
    if failed and len(failed) == len(reports):
        sys.exit(1)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"


@main.command("sources")
@config_options
def sources_command(config_path: Path, db: Path | None) -> None:
    """List configured sources with their health."""
    try:
        config = load_config(config_path)
        with open_store(config, db) as store:
            health = {h.name: h for h in store.source_health()}
    except DigestError as error:
        fail(error)
    for source in config.sources:
        where = source.url or str(source.path)
        h = health.get(source.name)
        click.echo(f"{source.name}  [{source.kind}]  {where}")
        if h is None:
            click.echo("    not fetched yet")
            continue
        state = "GONE (HTTP 410)" if h.gone else f"{h.failures} consecutive failures"
        click.echo(
            f"    last success {_when(h.last_success)}; last fetch {_when(h.last_fetched)};"
            f" {state}; {h.entries_seen} entries seen; {h.articles} articles kept"
        )
        if h.last_error:
            click.echo(f"    last error: {h.last_error}")


@main.command("import-opml")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@config_option
def import_opml_command(file: Path, config_path: Path) -> None:
    """Append the feeds of an OPML subscription list to the config."""
    try:
        load_config(config_path)
        imported = read_opml(file.read_bytes(), origin=str(file))
        report_problems(imported.problems, 0)
        added = append_sources(config_path, imported.sources)
    except DigestError as error:
        fail(error)
    click.echo(f"added {added} of {len(imported.sources)} feeds to {config_path}")


@main.command("export-opml")
@config_option
@click.option("-o", "--output", type=click.File("wb"), default="-", help="Where to write.")
def export_opml_command(config_path: Path, output: Any) -> None:
    """Write the configured feeds as an OPML subscription list."""
    try:
        config = load_config(config_path)
    except DigestError as error:
        fail(error)
    output.write(export_opml(config.sources, config.site.title))


@main.command()
@config_options
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(1),
    required=True,
    help="Forget articles older than this many days.",
)
def prune(config_path: Path, db: Path | None, days: int) -> None:
    """Keep the state database bounded by forgetting old articles."""
    try:
        config = load_config(config_path)
        with open_store(config, db) as store:
            removed = store.prune(timedelta(days=days), datetime.now(UTC))
    except DigestError as error:
        fail(error)
    click.echo(f"forgot {removed} articles older than {days} days")
