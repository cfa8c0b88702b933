"""Render keys: an output made from the same inputs as last time is taken, not rendered again.

Most pages of a rebuild are byte-identical to the last build's: a story page
changes only when its story, its storyline or its place in a brief does. So
each output that is a function of a few view objects (a story's page, a
brief's page, Markdown file and email) gets a key: a hash of everything its
renderer reads (the repr of its context object, which shows every field, so
every setting a page shows is in it; an email adds the site settings
whole), the renderer's name, the output path, and the version of what
renders (digest's code, the templates, the libraries that make the bytes).
When the last build saved the same key for that path, the output is handed
to the writer as a ``ReusedFile``: the writer links the file that build
left, and renders only if that file is gone or no longer the same.

Keys live in a ``RenderCache`` (the state store). They are saved only after
the new output folder is in place, each with the stamp of the file now
there, so a key never names a file that was not written.
"""

from __future__ import annotations

import functools
import hashlib
import platform
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from typing import Protocol

from digest.model import OutputFile
from digest.render.templating import TEMPLATES
from digest.write import ReusedFile

# Render keys: this many bytes of a BLAKE2b hash, as hex.
KEY_BYTES = 16
# The libraries whose output ends up in the bytes of a keyed file: the
# templates' engine and the email's CSS inliner (the email package itself is
# Python's, covered by the Python version).
RENDERING_LIBRARIES = ("jinja2", "css-inline", "markupsafe")


class RenderCache(Protocol):
    """Where the last build's render keys are kept (the state store).

    ``render_keys`` maps each keyed output path to its (key, file stamp);
    ``save_render_keys`` replaces them all with this build's rows of
    (path, key, file stamp).
    """

    def render_keys(self) -> dict[str, tuple[str, str]]: ...

    def save_render_keys(self, rows: Sequence[tuple[str, str, str]]) -> None: ...


@functools.cache
def templates_version() -> str:
    """A hash of every file in ``templates/``, which digest's code hash does not cover.

    Cached, like the templates the one Jinja environment compiles: a process
    renders with the templates it started with and keys its pages by them.
    """
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(p for p in TEMPLATES.rglob("*") if p.is_file()):
        name = path.relative_to(TEMPLATES).as_posix()
        digest.update(f"{name}\x00{path.stat().st_size}\x00".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _library_version(name: str) -> str:
    """An installed library's version, or a mark saying it was not found."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


@functools.cache
def render_version(code: str) -> str:
    """Everything that renders besides the inputs: ``code`` (digest's), templates, libraries."""
    libraries = ",".join(f"{n}={_library_version(n)}" for n in RENDERING_LIBRARIES)
    parts = (code, templates_version(), platform.python_version(), libraries)
    return hashlib.blake2b("\x00".join(parts).encode(), digest_size=8).hexdigest()


def render_key(version: str, renderer: str, path: str, shown: tuple[object, ...]) -> str:
    """What one output is made from, hashed: the render version, renderer, path and inputs.

    The inputs are frozen records of tuples, strings, numbers, dates and
    zones, whose repr shows every field and nothing else (no addresses), so
    equal inputs give equal keys and any change to what is shown changes it.
    """
    digest = hashlib.blake2b(digest_size=KEY_BYTES)
    digest.update(f"{version}\x00{renderer}\x00{path}\x00".encode())
    for part in shown:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


class RenderKeys:
    """The keys of one build's outputs, made as they are rendered, beside the last build's.

    Mutable on purpose: the renderers record each key as they go, and the
    build saves them once its output folder is in place.
    """

    def __init__(self, earlier: Mapping[str, tuple[str, str]], version: str) -> None:
        self.earlier = earlier
        self.version = version
        self.made: dict[str, str] = {}

    def output(
        self,
        path: str,
        renderer: str,
        shown: tuple[object, ...],
        render: Callable[[], OutputFile],
    ) -> OutputFile | ReusedFile:
        """The output at ``path``: the last build's file when its key is this one, else rendered."""
        key = render_key(self.version, renderer, path, shown)
        self.made[path] = key
        earlier = self.earlier.get(path)
        if earlier is not None and earlier[0] == key:
            return ReusedFile(path, earlier[1], render)
        return render()

    def rows(self, stamps: Mapping[str, str]) -> tuple[tuple[str, str, str], ...]:
        """(path, key, stamp) of each keyed output that has a file (``write.file_stamps``)."""
        return tuple(
            (path, key, stamps[path]) for path, key in sorted(self.made.items()) if path in stamps
        )


def keyed(
    keys: RenderKeys | None,
    path: str,
    renderer: str,
    shown: tuple[object, ...],
    render: Callable[[], OutputFile],
) -> OutputFile | ReusedFile:
    """``render()``, or with ``keys`` the last build's file when nothing shown changed."""
    if keys is None:
        return render()
    return keys.output(path, renderer, shown, render)
