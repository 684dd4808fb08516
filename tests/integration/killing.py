"""Shared by the SIGKILL tests: aim kills at postings and count, from marks the victim writes, how
many landed inside one. Timing is used only to *aim*; what a test asserts comes from the marks and
the database, so a slow machine makes a test take longer (up to its cap), never fail.

The victim's mark protocol, one byte each, written with ``os.write`` (a killed process cannot
lose a completed write):

- a lowercase letter naming the kind of document, just before the service call that posts it;
- ``E`` when that call returned (the document is committed);
- ``X`` when it refused with a JxcError (rolled back: nothing of it is in the file).

A stream that ends with a letter was killed inside that posting: before, during or just after the
commit, so the document is in the file whole or not at all.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

BEGIN_KINDS = b"abcdefghijklmnopqrstuvwxyz"


class Marks:
    """One victim's marks, read without blocking from ``fd`` (a pipe or a file being appended to),
    with the moment each byte was seen."""

    def __init__(self, fd: int) -> None:
        os.set_blocking(fd, False)
        self.fd = fd
        self.data = bytearray()
        self.seen: list[float] = []

    def pull(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 4096)
            except BlockingIOError:  # a pipe with nothing new yet
                return
            if not chunk:  # end of a file for now, or the pipe's writer is gone
                return
            now = time.monotonic()
            self.data += chunk
            self.seen += [now] * len(chunk)

    def begun(self) -> int:
        return sum(1 for b in self.data if b in BEGIN_KINDS)

    def durations(self) -> list[float]:
        """Begin-to-end times of the postings seen whole (as observed here, which is good enough to aim)."""
        out: list[float] = []
        start: float | None = None
        for b, t in zip(self.data, self.seen, strict=True):
            if b in BEGIN_KINDS:
                start = t
            elif start is not None:
                out.append(t - start)
                start = None
        return out

    def close(self) -> bytes:
        self.pull()
        os.close(self.fd)
        return bytes(self.data)


@dataclass
class Aim:
    """Chooses when to kill: usually a random moment inside the victim's 1st..3rd posting, the delay
    drawn from the postings seen so far (so it adapts to however fast the machine is today);
    sometimes anywhere at all, start-up included."""

    rng: random.Random
    anywhere: float = 0.15
    recent: list[float] = field(default_factory=list)

    def wait(self, marks: Marks, stop_at: float) -> None:
        if self.rng.random() < self.anywhere:
            time.sleep(min(self.rng.uniform(0, 4 * self.typical()), max(0.0, stop_at - time.monotonic())))
            return
        nth = self.rng.randint(1, 3)
        while time.monotonic() < stop_at:
            marks.pull()
            if marks.begun() >= nth:
                break
            time.sleep(0.001)
        self.recent = (self.recent + marks.durations())[-30:]
        time.sleep(self.rng.uniform(0, self.typical()))

    def typical(self) -> float:
        return statistics.median(self.recent) if self.recent else 0.02


@dataclass
class Tally:
    """What the marks of every killed victim add up to, per kind of document."""

    begun: Counter[str] = field(default_factory=Counter)
    committed: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    inside: Counter[str] = field(default_factory=Counter)  # killed between the letter and E/X
    kills: int = 0

    def add(self, marks: bytes) -> str | None:
        """Count one killed victim's marks; returns the kind it was killed inside, if any."""
        self.kills += 1
        current: str | None = None
        for b in marks:
            if b in BEGIN_KINDS:
                assert current is None, f"a posting began inside another: {marks!r}"
                current = chr(b)
                self.begun[current] += 1
            elif b in b"EX":
                assert current is not None, f"an end mark without a begin: {marks!r}"
                (self.committed if b == ord("E") else self.refused)[current] += 1
                current = None
            else:
                raise AssertionError(f"unknown mark {b!r} in {marks!r}")
        if current is not None:
            self.inside[current] += 1
        return current

    @property
    def landed(self) -> int:
        return sum(self.inside.values())

    def bounds(self, kind: str) -> tuple[int, int]:
        """How many documents of ``kind`` the victims left in the file: every committed one, plus
        any of those killed inside a posting whose commit had gone through."""
        return self.committed[kind], self.committed[kind] + self.inside[kind]

    def summary(self) -> str:
        kinds = sorted(self.begun)
        per = ", ".join(f"{k}: {self.committed[k]} committed, {self.inside[k]} killed inside" for k in kinds)
        return f"{self.kills} SIGKILLs, {self.landed} inside a posting ({per})"
