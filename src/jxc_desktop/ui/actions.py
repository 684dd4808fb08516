"""The one way a view calls a service: ``run(parent, lambda: services.x.y(...))``.

- A :class:`JxcError` becomes the standard message (ui/errors.py), or goes to ``inline(exc)`` when
  the view shows it in a line of its own (a dialog that stays open, the till); anything else becomes the standard
  "unexpected error" message, logged with its traceback. The caller gets an :class:`Outcome`.
- A protected action goes through ``guard.run_as_owner(parent, services, "refund", work)``, which asks
  for the owner PIN first (when one is set) and then runs it here.
- ``confirmable=True``: ``work(confirmed)`` is called with False first; when the service asks for a
  confirmation (doubtful dates, stock going below zero) the user is asked and it runs again with True.
- What the action wrote is published once it ends (ui/changes.py): every open view that shows
  those kinds refreshes itself; the caller refreshes nothing by hand. ``changes=`` adds what no
  commit shows (a restore: Change.ALL; a backup: Change.BACKUPS).

Long work goes off the GUI thread with ui/tasks.py, whose writes publish the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtWidgets import QLabel, QWidget

from jxc_desktop.domain.changes import Change
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.hub import Services
from jxc_desktop.ui import changes as bus
from jxc_desktop.ui.errors import confirm, show_error

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What an action gave: ``ok`` and its ``value``, or the ``error`` the user was shown
    (None with ok False: refused, e.g. the PIN dialog was cancelled)."""

    ok: bool
    value: T | None = None
    error: BaseException | None = None

    def __bool__(self) -> bool:
        return self.ok


def into(label: QLabel) -> Callable[[JxcError], None]:
    """``inline=into(self.error_label)``: the message in the dialog's own error line."""

    def show(exc: JxcError) -> None:
        label.setText(exc.message)
        label.show()

    return show


def report(parent: QWidget | None, exc: BaseException, *, title: str = "",
           inline: Callable[[JxcError], None] | None = None) -> None:
    """Show ``exc`` the standard way (what the runner does with a failure)."""
    if not isinstance(exc, JxcError):
        log.error("unexpected error", exc_info=exc)
    if inline is not None and isinstance(exc, JxcError):
        inline(exc)
    else:
        show_error(parent, exc, title)


def run(parent: QWidget | None, work: Callable[[], T], *, title: str = "", changes: Change = Change.NONE,
        services: Services | None = None, inline: Callable[[JxcError], None] | None = None,
        reraise: tuple[type[BaseException], ...] = ()) -> Outcome[T]:
    """Run ``work()`` as one user action (see the module doc). ``reraise``: errors the caller
    handles itself (e.g. a dialog that keeps itself open with the reason)."""
    with bus.holding():
        try:
            value = work()
        except reraise:
            raise
        except Exception as exc:  # noqa: BLE001 — every failure reaches the user as a message
            report(parent, exc, title=title, inline=inline)
            return Outcome(False, error=exc)
        finally:
            if changes and services is not None:
                bus.publish(services, changes)
            elif changes:
                bus.publish_all(changes)
    return Outcome(True, value)


def run_confirmed(parent: QWidget | None, call: Callable[[bool], T], **kwargs: object) -> Outcome[T]:
    """``call(confirmed)``: False first; when the service asks for a confirmation, ask the user and
    call again with True. A refusal is an Outcome that is not ok and has no error."""
    first_error: list[JxcError] = []

    def first() -> T:
        try:
            return call(False)
        except JxcError as exc:
            if not getattr(exc, "needs_confirmation", False):
                raise
            first_error.append(exc)
            raise _Ask() from exc

    try:
        return run(parent, first, reraise=(_Ask,), **kwargs)  # type: ignore[arg-type]
    except _Ask:
        pass
    if not confirm(parent, first_error[0].message):
        return Outcome(False)
    return run(parent, lambda: call(True), **kwargs)  # type: ignore[arg-type]


class _Ask(Exception):
    """The service wants a confirmation (internal to run_confirmed)."""
