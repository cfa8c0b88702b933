"""Write: put the rendered files in place, all at once or not at all.

Files are written into a sibling folder as they arrive, so only one is held
in memory at a time, and the folder is swapped in with two renames: a reader
of the output folder sees the old tree or the new one, never half of each,
and a failure (of the disk or of the renderer feeding the writer) leaves the
previous output untouched. A file whose bytes did not change since the last
build is the same file in the new tree (a hard link to the old one), so it
keeps its modification time and deploy tools that compare times and sizes
upload only what changed. An output the renderer knows to be unchanged (a
``ReusedFile``) is not even rendered: the file the last build wrote is linked
(or, where links are not possible, copied) as it is, provided the output
folder still holds that very file. Hidden files the user keeps at the top of
the output folder (``.gitkeep``, ``.nojekyll``, ``CNAME``-style dotfiles) are
carried over to the new tree.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import stat
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from digest.errors import OutputError
from digest.model import OutputFile

# Bytes of an earlier file read at a time when comparing it with an in-memory one.
COMPARE_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class StreamedFile:
    """A file too large to hold as one bytes object, rendered in pieces as it is written.

    ``chunks`` is called once per write, so the pieces are made only when
    the writer is ready for them and can be dropped as soon as they are written.
    """

    path: str
    chunks: Callable[[], Iterable[bytes]]

    def joined(self) -> OutputFile:
        """The same file as one bytes object, for callers that want it whole."""
        return OutputFile(self.path, b"".join(self.chunks()))


@dataclass(frozen=True, slots=True)
class ReusedFile:
    """An output the last build made from the same inputs: its file is taken, not rendered.

    ``stamp`` names the file that build left (``file_stamp``); when the
    output folder holds another file there, or none, ``render`` makes the
    output afresh, so a file edited or replaced since is never passed on.
    """

    path: str
    stamp: str
    render: Callable[[], OutputFile]

    def joined(self) -> OutputFile:
        """The output as bytes, rendered: for callers that want it whole."""
        return self.render()


Output = OutputFile | StreamedFile | ReusedFile


def indented_json(data: dict[str, Any]) -> Iterator[bytes]:
    """``json.dumps(data, ensure_ascii=False, indent=2) + "\\n"`` as UTF-8, in pieces.

    Encoding a large document at once holds the indenting encoder's many
    small pieces and the text beside the bytes: about five times the file.
    Encoded one item of a top-level list at a time, it costs little more
    than its own bytes; a top-level value may also be an iterator, whose
    items are then made only as they are encoded. (A JSON string holds no
    line break, so indenting an item's lines is indenting the item.)
    """
    if not data:
        yield b"{}\n"
        return
    yield b"{\n"
    for position, (key, value) in enumerate(data.items()):
        end = b",\n" if position < len(data) - 1 else b"\n"
        head = f"  {_key_text(key)}: ".encode()
        items = iter(value) if isinstance(value, list | Iterator) else None
        item = next(items, _NO_ITEM) if items is not None else _NO_ITEM
        if items is None or item is _NO_ITEM:
            empty = [] if items is not None else value
            yield head + _indented(empty, "  ").encode("utf-8") + end
            continue
        yield head + b"[\n"
        while item is not _NO_ITEM:
            following = next(items, _NO_ITEM)
            text = "    " + _indented(item, "    ")
            yield text.encode("utf-8") + (b",\n" if following is not _NO_ITEM else b"\n")
            item = following
        yield b"  ]" + end
    yield b"}\n"


# Marks the end of a list's items in ``indented_json``.
_NO_ITEM = object()
# JSON's own string quoting (compiled in CPython), as ``ensure_ascii=False`` quotes.
_quoted = json.encoder.encode_basestring


def _indented(value: object, indent: str) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, its inner lines after ``indent``.

    The standard encoder indents in pure Python, a generator per level, and
    was most of the time spent writing ``digest.json``; joining strings
    level by level, with the compiled quoting, takes under half the time.
    """
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = indent + "  "
        return (
            f"[\n{inner}"
            + f",\n{inner}".join([_indented(v, inner) for v in value])
            + f"\n{indent}]"
        )
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        members = [f"{_key_text(k)}: {_indented(v, inner)}" for k, v in value.items()]
        return f"{{\n{inner}" + f",\n{inner}".join(members) + f"\n{indent}}}"
    return _scalar(value)


def _scalar(value: object) -> str:
    """A number, flag or null as JSON writes it; anything else is refused as JSON refuses it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (math.inf, -math.inf):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _key_text(key: object) -> str:
    """An object's key as JSON writes it: a string, or a scalar made one."""
    if isinstance(key, str):
        return _quoted(key)
    if key is None or isinstance(key, int | float):
        return _quoted(_scalar(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def file_stamp(status: os.stat_result) -> str:
    """What tells one written file from any other: its inode, size and modification time.

    Linking a file into the next tree keeps all three; writing or editing a
    file changes its time, and replacing it changes its inode.
    """
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def file_stamps(out: Path, paths: Iterable[str]) -> dict[str, str]:
    """The stamp of each regular file among ``paths`` in the folder ``out``; others left out."""
    stamps = {}
    for path in paths:
        try:
            status = out.joinpath(*_safe_relative(path).parts).lstat()
        except (OSError, OutputError):
            continue
        if stat.S_ISREG(status.st_mode):
            stamps[path] = file_stamp(status)
    return stamps


def _safe_relative(path: str) -> PurePosixPath:
    """The path as a relative one, refusing anything that escapes the folder."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise OutputError(f"refusing to write outside the output folder: {path!r}")
    return relative


def _reader(path: Path, size: int | None = None) -> BinaryIO | None:
    """The previous build's regular file at ``path`` (of ``size`` bytes), open, if it can be read.

    Anything else there (nothing, a folder, a link, a file of another size or
    one that cannot be opened) is simply not reused: the new file is written.
    """
    try:
        status = path.lstat()
        if not stat.S_ISREG(status.st_mode) or size not in (None, status.st_size):
            return None
        return path.open("rb")
    except OSError:
        return None


def _same_bytes(earlier: BinaryIO, content: bytes) -> bool:
    """Whether an open file holds exactly ``content`` (whose size already matched)."""
    view = memoryview(content)
    for start in range(0, len(view), COMPARE_BLOCK):
        block = view[start : start + COMPARE_BLOCK]
        if earlier.read(len(block)) != block:
            return False
    return earlier.read(1) == b""


def _link(earlier: Path, target: Path) -> bool:
    """Put the earlier file at ``target`` as the same file; False when links are not possible."""
    try:
        os.link(earlier, target)
    except OSError:
        return False
    return True


def _relink(earlier: Path, target: Path) -> None:
    """Replace a freshly written ``target`` by the identical earlier file, when links work."""
    spare = target.with_name(f".{target.name}.link")
    if _link(earlier, spare):
        os.replace(spare, target)


def _write_bytes(content: bytes, target: Path, earlier: Path) -> None:
    """Write one in-memory file, or link the earlier file when its bytes are these."""
    old = _reader(earlier, size=len(content))
    if old is not None:
        with old:
            unchanged = _same_bytes(old, content)
        if unchanged and _link(earlier, target):
            return
    target.write_bytes(content)


def _write_chunks(chunks: Iterable[bytes], target: Path, earlier: Path) -> None:
    """Write a streamed file piece by piece, comparing with the earlier file on the way.

    The earlier file is read alongside, one piece at a time, so a large
    unchanged file costs one extra read and no extra memory; when every
    piece matched and nothing is left over, the earlier file takes its place.
    """
    with target.open("wb") as written:
        old = _reader(earlier)
        if old is None:
            for chunk in chunks:
                written.write(chunk)
            return
        with old:
            unchanged = True
            for chunk in chunks:
                written.write(chunk)
                unchanged = unchanged and old.read(len(chunk)) == chunk
            unchanged = unchanged and old.read(1) == b""
    if unchanged:
        _relink(earlier, target)


def _stamped(path: Path, stamp: str) -> bool:
    """Whether ``path`` is still the regular file a build stamped ``stamp``."""
    try:
        status = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and file_stamp(status) == stamp


def _link_or_copy(earlier: Path, target: Path) -> None:
    """Put the earlier file at ``target``: the same file where links work, else a copy."""
    if not _link(earlier, target):
        shutil.copy2(earlier, target)


def _write_one(file: Output, relative: PurePosixPath, staging: Path, out: Path) -> None:
    """Write one output into the staging folder, reusing the current output's copy if unchanged."""
    target = staging.joinpath(*relative.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    earlier = out.joinpath(*relative.parts)
    if isinstance(file, ReusedFile):
        if _stamped(earlier, file.stamp):
            try:
                _link_or_copy(earlier, target)
                return
            except OSError:
                pass  # unreadable after all: rendered afresh below
        file = file.render()
    if isinstance(file, StreamedFile):
        _write_chunks(file.chunks(), target, earlier)
    else:
        _write_bytes(file.content, target, earlier)


def _carry_dotfiles(out: Path, staging: Path) -> None:
    """Keep the user's hidden files at the top of ``out`` that the build did not write."""
    for kept in sorted(out.glob(".*")):
        moved = staging / kept.name
        if kept.is_file() and not moved.exists():
            _link_or_copy(kept, moved)


def _write_all(files: Iterable[Output], staging: Path, out: Path) -> int:
    """Write each output as it arrives; the number written."""
    written: set[PurePosixPath] = set()
    for file in files:
        relative = _safe_relative(file.path)
        if relative in written:
            raise OutputError(f"two outputs were rendered to the same path: {file.path!r}")
        written.add(relative)
        _write_one(file, relative, staging, out)
    return len(written)


def write_tree(files: Iterable[Output], out: Path) -> int:
    """Replace the folder ``out`` with exactly ``files``, written as they arrive; how many.

    ``files`` may be a generator that renders each output on demand: it is
    consumed once, and closed if the write fails part of the way.
    """
    out = out.absolute()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    retired = out.parent / f".{out.name}.old-{os.getpid()}"
    iterator = iter(files)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        count = _write_all(iterator, staging, out)
        if out.exists():
            _carry_dotfiles(out, staging)
            out.rename(retired)
        staging.rename(out)
    except BaseException as error:
        # Whatever stopped the write (the disk, a refused path, the renderer
        # feeding it, an interrupt), the previous output stays as it was.
        if retired.exists() and not out.exists():
            retired.rename(out)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(iterator, Generator):
            iterator.close()
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {out}: {error.strerror or error}") from error
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return count
