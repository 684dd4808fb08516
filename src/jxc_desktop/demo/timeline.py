"""The demo's clock: which day the demo shop opens on, and postings run in time order.

The ledger's balances run in id order and ``balance_at`` looks them up by time, so every move of the
demo history must be written in time order. A day step therefore does not post directly: it hands
each posting to ``run_at(moment, action)`` (or ``run_batched`` for many similar ones, e.g. till
receipts), and the demo runs all of the day's actions from every step sorted by moment (ties in the
order queued) at the end of ``in_time_order()``. Outside that block they run at once.

Nothing here reads the real clock inside a demo run: ``demo_today()`` is the day ``fill_demo`` was
given (see demo/shop.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from typing import Any

from jxc_desktop.domain.clock import local_today

# (moment, order queued, post, item) of the actions queued by the day's steps.
_Event = tuple[datetime, int, Callable[[list[Any]], object], Any]
_queue: ContextVar[list[_Event] | None] = ContextVar("demo_queue", default=None)
_today: ContextVar[date | None] = ContextVar("demo_today", default=None)


def local_moment(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware moment at local ``hour:minute`` of ``day`` (what steps pass as ``at=``)."""
    return datetime.combine(day, time(hour, minute)).astimezone()


def demo_today() -> date:
    """The day the demo shop opens on (inside ``fill_demo``; the real local today elsewhere)."""
    return _today.get() or local_today()


@contextmanager
def opening_on(today: date) -> Iterator[None]:
    """``demo_today()`` is ``today`` inside the block."""
    token = _today.set(today)
    try:
        yield
    finally:
        _today.reset(token)


def run_batched(moment: datetime, post: Callable[[list[Any]], object], item: Any) -> None:
    """Post ``item`` at ``moment`` via ``post([item, ...])``. Inside ``in_time_order`` it is queued,
    and neighbouring queued items (in time order) with the same ``post`` go in one call."""
    queue = _queue.get()
    if queue is None:
        post([item])
    else:
        queue.append((moment, len(queue), post, item))


def run_at(moment: datetime, action: Callable[[], object]) -> None:
    """Run ``action`` (which posts with ``at=moment``) in time order with the other steps' actions."""
    run_batched(moment, lambda _items: action(), None)


@contextmanager
def in_time_order() -> Iterator[None]:
    """Queue the block's ``run_at``/``run_batched`` actions and run them sorted by moment at its
    end (inside an outer block the outer one runs them)."""
    if _queue.get() is not None:
        yield
        return
    queue: list[_Event] = []
    token = _queue.set(queue)
    try:
        yield
    finally:
        _queue.reset(token)
    queue.sort(key=lambda e: (e[0], e[1]))
    i = 0
    while i < len(queue):
        post = queue[i][2]
        j = i + 1
        while j < len(queue) and queue[j][2] is post:
            j += 1
        post([e[3] for e in queue[i:j]])
        i = j
