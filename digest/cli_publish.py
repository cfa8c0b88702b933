"""Commands for delivering briefs: send by email, serve for preview."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from digest import pipeline
from digest.cli import (
    DEFAULT_INPUT,
    DEFAULT_OUTPUT,
    STORE_WAIT_SECONDS,
    config_digest,
    fail,
    main,
    settings_from,
)
from digest.cli_sources import config_options
from digest.config import CONFIG_NAME, ConfigError, load_config, smtp_credentials
from digest.errors import DigestError
from digest.send import pick_brief, send_brief
from digest.serve import serve
from digest.store import Store


@main.command()
@click.argument("brief_id", metavar="[BRIEF]", required=False)
@config_options
@click.option("--to", "recipients", multiple=True, metavar="ADDR", help="Send to ADDR instead.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
@click.option("--resend", is_flag=True, help="Send even to recipients who already had it.")
def send(
    brief_id: str | None,
    config_path: Path,
    db: Path | None,
    recipients: tuple[str, ...],
    dry_run: bool,
    resend: bool,
) -> None:
    """Mail the latest brief, or BRIEF (e.g. 2020-W39), to the configured recipients.

    The SMTP login comes from DIGEST_SMTP_USER and DIGEST_SMTP_PASSWORD. A
    brief is never mailed twice to one recipient unless --resend.
    """
    try:
        config = load_config(config_path)
        if config.email is None:
            raise ConfigError(
                f"{config.path}: no [email] table", "add one; `digest init` shows an example"
            )
        settings = settings_from(config)
        with Store.open(db or config.db_path, wait=STORE_WAIT_SECONDS) as store:
            digest = config_digest(config, settings, store, offline=True, verbosity=-1)
            brief = pick_brief(digest, brief_id)
            outcomes = send_brief(
                digest,
                brief,
                config.email,
                recipients or config.email.to,
                store,
                credentials=None if dry_run else smtp_credentials(os.environ),
                now=settings.now,
                resend=resend,
                dry_run=dry_run,
            )
    except DigestError as error:
        fail(error)
    for outcome in outcomes:
        click.echo(outcome.line(), err=outcome.status == "failed")
    if any(o.status == "failed" for o in outcomes):
        sys.exit(1)


@main.command("serve")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Folder to serve.")
@click.option("--watch", is_flag=True, help="Rebuild when the inputs change.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Serve (and rebuild) from a digest.toml (default: ./digest.toml if present).",
)
def serve_command(
    paths: tuple[Path, ...], port: int, out: Path | None, watch: bool, config_path: Path | None
) -> None:
    """Preview the output folder on 127.0.0.1, rebuilding on changes with --watch."""
    if config_path is None and not paths and Path(CONFIG_NAME).is_file():
        config_path = Path(CONFIG_NAME)
    try:
        config = load_config(config_path) if config_path is not None else None
        folder = out or (config.output if config else DEFAULT_OUTPUT)
        inputs = list(paths) or ([] if config else [DEFAULT_INPUT])

        def rebuild() -> None:
            settings = settings_from(config)
            if config is None:
                loaded = pipeline.load_articles(inputs, settings)
                pipeline.check_loaded(loaded, inputs)
                pipeline.write_outputs(pipeline.make_digest(loaded, settings), folder)
            else:
                with Store.open(config.db_path, wait=STORE_WAIT_SECONDS) as store:
                    digest = config_digest(config, settings, store, offline=True, verbosity=-1)
                    pipeline.write_outputs(digest, folder, reuse=store)
            click.echo(f"rebuilt {folder}", err=True)

        watched = [*inputs, *(s.path for s in config.sources if s.path)] if config else inputs
        if config is not None:
            watched.append(config.path)
        serve(
            folder,
            port=port,
            rebuild=rebuild if watch else None,
            watch=watched if watch else (),
            ready=lambda url: click.echo(f"serving {folder} at {url} (Ctrl-C stops)"),
        )
    except DigestError as error:
        fail(error)
    except KeyboardInterrupt:
        pass
