"""The one Jinja environment every HTML output is rendered with.

Templates live in the repository's top-level ``templates/``: a base layout
(``base.html``) with named blocks, pages that extend it, partials prefixed
``_`` and the email's own layout. Autoescaping is always on, and a name a
template uses but its context lacks is an error, not an empty string.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@cache
def environment() -> Environment:
    """The shared environment; cached because compiling templates is the slow part."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def render(template: str, **context: Any) -> str:
    """Render one template with its documented context object."""
    return environment().get_template(template).render(**context)


def static_bytes(name: str) -> bytes:
    """A file shipped verbatim beside the templates (the stylesheet)."""
    return (TEMPLATES / name).read_bytes()
