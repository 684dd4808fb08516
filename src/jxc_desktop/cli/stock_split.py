"""``jxc stock`` on a big file, in two processes: the second half of the list written by a forked
helper while this process writes the first (issue 15: the command within 1.5x of the bare query).

SQLite writes the list's text (services/stock/stock_lines.py ``plain_texts``); for 100 000
products that is ~0.2 s of one CPU, more than the budget leaves once the interpreter has started.
Two threads do not help (their printf/json_quote allocations meet at SQLite's global memory
statistics mutex); two processes do. So, on sqlite3 alone and a file of :data:`SPLIT_FROM`
products or more, the list is cut at the middle code (stock_lines.SPLIT: the code index alone), a
helper process is forked — before any connection is open here: SQLite's connections must not
cross a fork — and builds the chunks after that code with connections of its own, while this
process writes the chunks up to it. The helper then sends its chunks through a pipe and this
process writes them after its own. Every chunk is its own read, in either process, as before.

The helper only goes faster: the output and the exit status are what one process gives.
- It ends with ``os._exit`` only (never unwinds into ``jxc``, never flushes inherited buffers) and
  its stdout and stderr point at the null device: it never writes to the terminal or the pipe the
  user reads.
- Any failure of the helper (an exception, a chunk that is not UTF-8, a kill) is seen here (not all
  the bytes announced, or a non-zero status), and this process then reads the second half itself
  as one process does, so an error is raised and worded as before. The chunks keep one process's
  grid (every chunk ``CHUNK`` products from the start): this process holds back its last, short
  chunk until the helper's result is known, and on a failure reads from that chunk's start on, so
  even the text written before an error is the same.
- The helper is killed and reaped whenever this process leaves early (a reader gone, Ctrl-C, an
  error): :meth:`SplitList.close`.

Not forked (one process writes the list, as before): no ``os.fork`` (Windows) or macOS (whose
system libraries are not safe to use in a forked child), fewer than two CPUs for this process,
more than one thread in it (a fork copies only the forking thread: a lock another thread holds
would stay held in the child — xdist/execnet workers, Qt), a file under :data:`SPLIT_FROM`
products, and ``--low``: how many products are below their minimum is known only by reading every
row, and a shop's low list is short (3 196 of 100 000 in the benchmark file: 106 ms with a helper,
98 ms without, medians of 15 interleaved runs at load 2), so one process reads it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from jxc_desktop.db import filelock
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.services.stock.stock_lines import SPLIT, plain_texts, text_chunks

Read = Callable[[], AbstractContextManager[Rows]]

CHUNK = 20000  # products per chunk (per read), as one process reads them
# Products in the file (active or not) from which the list is cut in two. Below, the helper's
# fixed cost (the probe, fork, its own connections, the pipe and the copy) is most of what it
# saves: `jxc stock --json` of 20 000 / 30 000 products took 133 / 164 ms with a helper and 126 /
# 152 ms without, of 100 000 0.25-0.29 s and 0.35-0.36 s (medians of 7-11 interleaved runs, the
# second CPU partly busy elsewhere, load ~1.8).
SPLIT_FROM = 40000
_PIPE_BYTES = 1 << 20  # the pipe's buffer, asked for (Linux): fewer turns to copy the helper's text
_COUNT = struct.Struct("<Q")


def can_fork() -> bool:
    """Whether a helper process may be forked here and may run beside this one."""
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cpus >= 2 and _threads() == 1


def _threads() -> int:
    """The process's threads, the operating system's count (Python's own count misses the threads
    of libraries)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # pragma: no cover - no /proc (BSD)
        import threading

        return threading.active_count()


class _Helper:
    """The forked process building the chunks after ``after``, and this process's end of its pipe."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid: int | None = pid
        self._pipe: int | None = pipe

    @classmethod
    def start(cls, work: Callable[[], list[bytes]]) -> _Helper | None:
        """The helper started on ``work``; None when the system gives no pipe or no process (out
        of descriptors, processes or memory): then one process writes the list."""
        for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
            if stream is not None:
                stream.flush()
        try:
            r, w = os.pipe()
        except OSError:
            return None
        with contextlib.suppress(AttributeError, OSError):
            import fcntl

            fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)  # type: ignore[attr-defined]
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return None
        if pid == 0:  # pragma: no cover - the helper (measured by the tests through its output)
            os.close(r)
            _helper_main(w, work)
        os.close(w)
        return cls(pid, r)

    def result(self) -> list[bytes] | None:
        """The helper's chunks once it has sent them all and ended well; None if it did not."""
        assert self._pipe is not None
        with os.fdopen(self._pipe, "rb") as pipe:
            self._pipe = None
            head = pipe.read(_COUNT.size)
            texts: list[bytes] | None = None
            if len(head) == _COUNT.size:
                (count,) = _COUNT.unpack(head)
                sizes = pipe.read(_COUNT.size * count)
                if len(sizes) == _COUNT.size * count:
                    texts = []
                    for (size,) in _COUNT.iter_unpack(sizes):
                        text = pipe.read(size)
                        if len(text) != size:
                            texts = None
                            break
                        texts.append(text)
        ended_well = self._reap(kill=False)
        return texts if ended_well else None

    def stop(self) -> None:
        """Kill the helper if it still runs and reap it (no zombie, no orphan)."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        self._reap(kill=True)

    def _reap(self, *, kill: bool) -> bool:
        if self.pid is None:
            return False
        pid, self.pid = self.pid, None
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        while True:
            try:
                _, status = os.waitpid(pid, 0)
            except InterruptedError:  # pragma: no cover - retried by Python itself (PEP 475)
                continue
            except ChildProcessError:  # pragma: no cover - reaped by someone else
                return False
            return os.waitstatus_to_exitcode(status) == 0


def _helper_main(pipe: int, work: Callable[[], list[bytes]]) -> None:  # pragma: no cover - in the helper
    """The helper's whole life: the work, its chunks into the pipe, ``os._exit``. Any failure ends
    it with status 1 before all the bytes went out; this process then does the work itself."""
    status = 1
    try:
        filelock.in_forked_child()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)
        texts = work()  # every chunk first: the pipe holds far less than the half, and a write that
        # waited for this process to read would keep the next chunk from being built meanwhile
        with os.fdopen(pipe, "wb") as out:
            out.write(_COUNT.pack(len(texts)))
            out.write(b"".join(_COUNT.pack(len(t)) for t in texts))
            for text in texts:
                out.write(text)
        status = 0
    finally:  # an exception ends here too, untold: the status says it, and this process reads the half
        os._exit(status)


class SplitList:
    """The chunks of ``jxc stock``'s list on sqlite3 alone (:meth:`texts`), the second half by a
    helper process when that is allowed and worth it; :meth:`close` when the command ends."""

    def __init__(self, *, as_json: bool, below_min: bool) -> None:
        self.as_json = as_json
        self.below_min = below_min
        self._helper: _Helper | None = None

    def texts(self, read: Read) -> Iterator[bytes]:
        """What ``plain_texts(read, ...)`` gives, chunk for chunk in the same order."""
        import sqlite3

        middle: str | None = None
        if not self.below_min and can_fork():  # --low: see the module doc
            try:
                with read() as rows:
                    ((count, code),) = rows.all(SPLIT)
                if count >= SPLIT_FROM:
                    middle = code
            except sqlite3.Error:  # as if not cut: the first chunk's read tells what is wrong
                middle = None
        if middle is None:
            yield from self._texts(read)
            return
        self._helper = _Helper.start(lambda: list(self._texts(read, after=middle)))
        if self._helper is None:
            yield from self._texts(read)
            return
        try:
            done: str | None = None  # the last code of the last whole chunk given out
            held: bytes | None = None  # the chunk the cut shortened: given out after the helper's result
            for text, n, last in text_chunks(read, as_json=self.as_json, below_min=self.below_min, chunk=CHUNK,
                                             upto=middle):
                if n < CHUNK:
                    held = text
                    break
                yield text
                done = last
            rest = self._helper.result()
            if rest is None:  # the helper failed: the rest of the list here, from the shortened chunk on
                yield from self._texts(read, after=done)
                return
            if held is not None:
                yield held
            yield from rest
        finally:
            self.close()

    def _texts(self, read: Read, *, after: str | None = None) -> Iterator[bytes]:
        return plain_texts(read, as_json=self.as_json, below_min=self.below_min, chunk=CHUNK, after=after)

    def close(self) -> None:
        if self._helper is not None:
            helper, self._helper = self._helper, None
            helper.stop()
