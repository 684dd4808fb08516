"""The window's change bus: every view that shows data subscribes to the kinds it shows and
refreshes itself when a write changed them — whoever wrote (a tab, a dialog, a background import,
an automatic backup, the start-up restore).

The database tells the bus after each commit (db/changes.py, on whichever thread committed); the
bus publishes on the GUI thread: at the end of a runner action (ui/actions.py) or, for writes
outside one, on the next turn of the event loop, so a burst of commits is one refresh.

``subscribe(widget, services, Change.STOCK | Change.PRODUCTS, self.reload)``: the callback runs
when one of those kinds changed. With ``lazy=True`` (a whole tab, a long list) a view that is not
on screen while its window is waits until it shows again: one refresh however many writes, and
none at all for a tab nobody looks at. The subscription ends with the widget.
"""

from __future__ import annotations

import contextlib
import logging
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from jxc_desktop.domain.changes import Change
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.hub import Services

__all__ = ["Change", "ChangeBus", "bus_for", "flush_all", "holding", "publish", "publish_all", "subscribe"]

log = logging.getLogger(__name__)


class _Subscription(QObject):
    """One view's interest; a child of the view, so it goes when the view goes."""

    def __init__(self, widget: QWidget, kinds: Change, callback: Callable[[], None], lazy: bool) -> None:
        super().__init__(widget)
        self.widget = widget
        self.kinds = kinds
        self.callback = callback
        self.lazy = lazy
        self.pending = Change.NONE
        widget.installEventFilter(self)

    def _off_screen(self) -> bool:
        """On a window that shows, but not itself (another tab is in front)."""
        return self.lazy and self.widget.window().isVisible() and not self.widget.isVisible()

    def notify(self, changes: Change) -> None:
        hit = changes & self.kinds
        if not hit:
            return
        if self._off_screen():
            self.pending |= hit
            return
        self.pending = Change.NONE
        _call(self.widget, self.callback)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Show and self.pending and watched is self.widget:
            # after the event: a tab switch may refresh the whole tab meanwhile (see ChangeBus.settled)
            QTimer.singleShot(0, self, self._shown)
        return False

    def _shown(self) -> None:
        if self.pending and self.widget.isVisible():
            self.pending = Change.NONE
            _call(self.widget, self.callback)


def _call(widget: QWidget, callback: Callable[[], None]) -> None:
    """One view's refresh failing must not keep the others stale."""
    from jxc_desktop.ui.errors import show_error

    try:
        callback()
    except JxcError as exc:
        show_error(widget, exc)
    except Exception as exc:  # a bug in one view: say so, refresh the rest
        log.exception("refreshing %s failed", type(widget).__name__)
        show_error(widget, exc)


class ChangeBus(QObject):
    """The changes of one database, published on the GUI thread."""

    published = Signal(object)  # Change: after the subscribed views were told
    _heard = Signal(object)  # Change, from any thread: queued to the GUI thread

    def __init__(self, db: Any) -> None:  # db.uow.Database: on_change(listener)
        super().__init__()
        self._pending = Change.NONE
        self._flushing = False
        self._scheduled = False
        self._subs: list[_Subscription] = []
        self._heard.connect(self._add)
        db.on_change(self._hear)

    def _hear(self, changes: Change) -> None:
        """On the committing thread: queued to the GUI thread when that is another one."""
        if isValid(self):  # the window may be gone while a worker still commits
            self._heard.emit(changes)

    def _add(self, changes: Change) -> None:
        self._pending |= changes
        if not _holding and not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self, self.flush)

    def subscribe(self, widget: QWidget, kinds: Change, callback: Callable[[], None], *,
                  lazy: bool = False) -> None:
        self._subs.append(_Subscription(widget, kinds, callback, lazy))

    def settled(self, widget: QWidget) -> None:
        """``widget`` re-reads everything it shows anyway (the window refreshes a tab it switches
        to): what waited for it to show is done — one read, not two."""
        for sub in self._subs:
            if isValid(sub) and sub.widget is widget:
                sub.pending = Change.NONE

    def flush(self) -> Change:
        """Tell every subscribed view what changed since the last flush; returns that."""
        self._scheduled = False
        if self._flushing or not self._pending:
            return Change.NONE
        changes, self._pending = self._pending, Change.NONE
        self._flushing = True
        try:
            self._subs = [s for s in self._subs if isValid(s)]
            for sub in list(self._subs):
                if isValid(sub):
                    sub.notify(changes)
            self.published.emit(changes)
        finally:
            self._flushing = False
        if self._pending and not _holding:  # a view wrote while refreshing: next turn
            self._add(Change.NONE)
        return changes


# per open database (Services.db; a test may open several): made on first use
_buses: weakref.WeakKeyDictionary[Any, ChangeBus] = weakref.WeakKeyDictionary()
_holding = 0


def bus_for(services: Services | Any) -> ChangeBus:
    """The bus of this database (``services`` or its ``db``; made on first use, on the GUI thread)."""
    db = services.db if isinstance(services, Services) else services
    bus = _buses.get(db)
    if bus is None or not isValid(bus):
        bus = _buses[db] = ChangeBus(db)
    return bus


def subscribe(widget: QWidget, services: Services, kinds: Change, callback: Callable[[], None], *,
              lazy: bool = False) -> None:
    bus_for(services).subscribe(widget, kinds, callback, lazy=lazy)


def publish(services: Services | Any, changes: Change) -> None:
    """Say what changed without a commit to see (a restore or a new file: Change.ALL; a backup).
    On the GUI thread."""
    db = services.db if isinstance(services, Services) else services
    bus_for(db)  # so the announcement has a listener
    db.announce(changes)
    if not _holding:
        bus_for(db).flush()


def publish_all(changes: Change) -> None:
    """``publish`` to every open database (an action that knows no Services)."""
    for db in list(_buses.keys()):
        publish(db, changes)


def flush_all() -> None:
    for bus in list(_buses.values()):
        if isValid(bus):
            bus.flush()


@contextlib.contextmanager
def holding() -> Iterator[None]:
    """Publish what the block wrote once, when it ends (the runner wraps each action in this)."""
    global _holding
    _holding += 1
    try:
        yield
    finally:
        _holding -= 1
        if not _holding:
            flush_all()
