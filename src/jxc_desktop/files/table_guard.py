"""Bounds for reading an import file, and the only ways import/export code opens files.

Every import (products, stock-count collector files, delivery notes) reads through
``services.tabular.read_table``, which takes its limits from here, so a hostile or broken file
costs at most ``Limits`` — in bytes, rows, columns, cells and seconds — and ends in one clear
``ValidationError`` instead of a MemoryError or an endless wait:

- ``open_regular`` opens regular files only: a FIFO would block forever, ``/dev/zero`` (or a
  link to it) never ends; the path is resolved first and the opened file checked again (fstat).
- ``Budget`` counts what a reader has taken and checks the deadline while it reads.
- ``replace_file`` writes exports to a temporary file beside the destination and renames it over
  the destination, but only onto a regular file or a new name (a FIFO stays a FIFO).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from jxc_desktop.domain.clock import monotonic
from jxc_desktop.domain.errors import ValidationError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What an import may read. The defaults are far beyond a shop's biggest real file."""

    file_mb: int = 100  # an .xlsx on disk
    csv_mb: int = 50  # a .csv on disk (read whole, then decoded)
    rows: int = 200_000  # rows with data, the header not counted
    sheet_rows: int = 250_000  # rows of the sheet or csv records, blank ones included
    columns: int = 100
    cells: int = 5_000_000  # cells of the sheet, empty ones included
    unpacked_mb: int = 1024  # all parts of an .xlsx together, as its zip directory declares them
    sheet_mb: int = 256  # the worksheet's XML, unpacked (streamed, never held whole)
    strings_mb: int = 100  # the shared-strings XML, unpacked (held as a list of texts)
    strings: int = 2_000_000  # distinct texts in the shared strings
    meta_mb: int = 16  # workbook, relationships, styles
    parts: int = 10_000  # members of the zip
    ratio: int = 100  # unpacked / packed size of a part larger than 10 MB
    seconds: float = 60.0  # reading the whole file
    clock: Callable[[], float] = field(default=monotonic, compare=False)


LIMITS = Limits()


class Budget:
    """What one read has used so far, against ``Limits``; ``tick()`` checks the deadline."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._deadline = limits.clock() + limits.seconds
        self.cells = 0

    def tick(self) -> None:
        if self.limits.clock() > self._deadline:
            raise ValidationError("Reading the file took longer than {seconds} seconds; it is too large or damaged",
                                  seconds=f"{self.limits.seconds:g}")

    def add_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > self.limits.cells:
            raise ValidationError("The sheet has more than {limit} cells; delete the unused rows and columns "
                                  "or copy the table to a new sheet", limit=self.limits.cells)


def _resolved(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return path


def _refuse_kind(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ValidationError("{path} is a folder; give a file name", path=str(path))
    if not stat.S_ISREG(mode):
        raise ValidationError("{path} is not an ordinary file (it is a device or a pipe)", path=str(path))


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for reading if it is (or links to) a regular file; never blocks on a FIFO."""
    real = _resolved(path)
    try:
        _refuse_kind(path, os.stat(real).st_mode)  # before opening: opening a device may do things
    except FileNotFoundError as exc:
        raise ValidationError("File not found: {path}", path=str(path)) from exc
    nonblock = getattr(os, "O_NONBLOCK", 0)  # POSIX: opening a FIFO swapped in meanwhile must not wait
    fd = os.open(real, os.O_RDONLY | nonblock | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        _refuse_kind(path, os.fstat(fd).st_mode)  # swapped between the two looks
        if nonblock:
            os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def read_capped(fh: BinaryIO, limit_mb: int) -> bytes:
    """The whole file, or a refusal if it holds more than ``limit_mb`` (a file that grows counts)."""
    data = fh.read(limit_mb * MB + 1)
    if len(data) > limit_mb * MB:
        raise ValidationError("The file is larger than {limit} MB", limit=limit_mb)
    return data


@contextmanager
def replace_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write that becomes ``path`` when the block ends without an error.

    ``path`` must be a new name or a regular file (through links: the link's target is replaced,
    the link kept); a folder, FIFO or device is refused before anything is written. The data goes
    to a temporary file beside the target, flushed to disk, then renamed over it (``os.replace``),
    so the old file stays whole until the new one is complete; on an error the temporary is removed.
    """
    target = _resolved(path)
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise ValidationError("Cannot write {path}: {reason}", path=str(path), reason=exc.strerror or str(exc)) from exc
    if mode is not None:
        _refuse_kind(path, mode)
    tmp = target.with_name(f".{target.name[:200]}.{secrets.token_hex(4)}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise ValidationError("Cannot write {path}: {reason}", path=str(path), reason=exc.strerror or str(exc)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, target)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
