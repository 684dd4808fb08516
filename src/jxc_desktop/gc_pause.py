"""The cyclic garbage collector held off while a big acyclic structure is built.

Building 100 000 rows (named tuples, which the collector never untracks, unlike plain tuples of
numbers and text) makes it run hundreds of times and, as the live objects grow, walk the whole heap
again and again: a year's profit by product spent ~0.3 s of CPU in it (issue 15). None of those rows
can be part of a cycle, and reference counting still frees everything else as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector is on again after it if it was before
    (a nested block leaves it to the outer one)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
