"""Write: put the rendered files in place, all at once or not at all.

The new output is written into a sibling folder and swapped in with two
renames, so a reader of the output folder sees the old tree or the new one,
never half of each, and a failure leaves the previous output untouched.
Hidden files the user keeps at the top of the output folder (``.gitkeep``,
``.nojekyll``, ``CNAME``-style dotfiles) are carried over to the new tree.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from digest.errors import OutputError
from digest.model import OutputFile


def _safe_relative(path: str) -> PurePosixPath:
    """The path as a relative one, refusing anything that escapes the folder."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise OutputError(f"refusing to write outside the output folder: {path!r}")
    return relative


def write_tree(files: Sequence[OutputFile], out: Path) -> None:
    """Replace the folder ``out`` with exactly ``files``."""
    out = out.absolute()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    paths = [_safe_relative(f.path) for f in files]
    if len(set(paths)) != len(paths):
        raise OutputError("two outputs were rendered to the same path")
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for relative, file in zip(paths, files, strict=True):
            target = staging.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content)
        if out.exists():
            for kept in sorted(out.glob(".*")):
                if kept.is_file() and not (staging / kept.name).exists():
                    shutil.copy2(kept, staging / kept.name)
            out.rename(retired)
        staging.rename(out)
    except OSError as error:
        if retired.exists() and not out.exists():
            retired.rename(out)
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write {out}: {error.strerror or error}") from error
    shutil.rmtree(retired, ignore_errors=True)
