"""``ensure_owner(parent, services, action)``: the one line a tab calls before a protected action.

No PIN set: True at once. Otherwise the PIN dialog asks; once the owner has entered it (or signed
in at the till with it: :func:`unlock`), further protected actions pass without asking again while
the owner keeps working (each one extends the ``GRACE_SECONDS``), until :func:`lock_now` (File → Lock now) or two idle minutes.

:func:`attach` tells the database who is acting, so every audit row a write makes names them: the
owner while protected screens are unlocked (they approved it), else the person signed in at the till.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QDialog, QWidget

from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import Outcome, run
from jxc_desktop.ui.dialogs.pin_dialog import PinDialog
from jxc_desktop.ui.till_session import signed_in

T = TypeVar("T")

GRACE_SECONDS = 120.0
# Tabs that show costs or profit: the main window asks the owner before showing them (a cashier
# sees only the till, products and counts when a PIN is set).
OWNER_TABS: dict[str, str] = {"reports": "view_profit", "stock": "view_profit", "purchase": "view_profit"}
_owner_until: dict[int, float] = {}  # per Services object: monotonic time the owner's grace ends


def owner_present(services: Services) -> bool:
    return _owner_until.get(id(services), 0.0) > time.monotonic()


def owner_seconds_left(services: Services) -> float:
    """How long protected screens stay unlocked (0 when locked): the status bar's countdown."""
    return max(0.0, _owner_until.get(id(services), 0.0) - time.monotonic())


def costs_visible(services: Services) -> bool:
    """Cost columns (purchase price, average cost, stock value) show when no PIN is set or the owner is here."""
    return owner_present(services) or not services.pin.is_set()


def acting_person(services: Services) -> str:
    """Whom an audit row names: the owner during the unlocked minutes, else the signed-in person."""
    if owner_present(services):
        return services.staff.owner_name()
    person = signed_in(services)
    return person.name if person is not None else ""


def attach(services: Services) -> None:
    """Let every write of ``services`` name :func:`acting_person` in its audit rows (idempotent)."""
    services.db.acting = lambda: acting_person(services)


def unlock(services: Services) -> None:
    """The owner is here (PIN entered, or signed in at the till): protected screens open for the grace."""
    attach(services)
    _owner_until[id(services)] = time.monotonic() + GRACE_SECONDS


def lock_now(services: Services | None = None) -> None:
    """End the owner's grace period (all, or for one Services)."""
    if services is None:
        _owner_until.clear()
    else:
        _owner_until.pop(id(services), None)


def ensure_owner(parent: QWidget | None, services: Services, action: str) -> bool:
    """True when ``action`` may go ahead: no PIN set, the owner is present, or the PIN was entered."""
    attach(services)
    if not services.pin.is_set():
        return True
    if owner_present(services):
        unlock(services)  # still here: the grace slides on
        return True
    dlg = PinDialog(services, action, parent)
    ok = dlg.exec() == QDialog.DialogCode.Accepted and dlg.authorized
    if ok:
        unlock(services)
    return ok


def run_as_owner(parent: QWidget | None, services: Services, action: str, work: Callable[[], T],
                 **kwargs: Any) -> Outcome[T]:
    """The runner for a protected action: the owner PIN first (when set), then ``actions.run``.
    A refused PIN is an Outcome that is not ok and has no error."""
    if not ensure_owner(parent, services, action):
        return Outcome(False)
    return run(parent, work, services=services, **kwargs)
