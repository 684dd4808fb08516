"""``ensure_owner(parent, services, action)``: the one line a tab calls before a protected action.

No PIN set: True at once. Otherwise the PIN dialog asks; once the owner has entered it, further
protected actions within ``GRACE_SECONDS`` pass without asking again (the owner is at the till),
until :func:`lock_now` (the window's "Lock" action) or the grace ends.
"""

from __future__ import annotations

import time

from PySide6.QtWidgets import QDialog, QWidget

from jxc_desktop.services.hub import Services

GRACE_SECONDS = 120.0
_owner_until: dict[int, float] = {}  # per Services object: monotonic time the owner's grace ends


def owner_present(services: Services) -> bool:
    return _owner_until.get(id(services), 0.0) > time.monotonic()


def lock_now(services: Services | None = None) -> None:
    """End the owner's grace period (all, or for one Services)."""
    if services is None:
        _owner_until.clear()
    else:
        _owner_until.pop(id(services), None)


def ensure_owner(parent: QWidget | None, services: Services, action: str) -> bool:
    """True when ``action`` may go ahead: no PIN set, the owner is present, or the PIN was entered."""
    if not services.pin.is_set():
        return True
    if owner_present(services):
        return True
    from jxc_desktop.ui.dialogs.pin_dialog import PinDialog

    dlg = PinDialog(services, action, parent)
    ok = dlg.exec() == QDialog.DialogCode.Accepted and dlg.authorized
    if ok:
        _owner_until[id(services)] = time.monotonic() + GRACE_SECONDS
    return ok
