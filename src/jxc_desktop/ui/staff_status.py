"""The status bar's two till lines: who is signed in (and the open shift), and — while the owner
has unlocked the protected screens with the PIN — that they are unlocked and for how long."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from jxc_desktop.domain.changes import Change
from jxc_desktop.services.hub import Services
from jxc_desktop.ui import guard
from jxc_desktop.ui.changes import subscribe
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.till_session import session_for
from jxc_desktop.ui.widgets.elided import ElidedLabel


class StaffStatus(ElidedLabel):
    """"收银员 王芳 · 班次 12" and "🔓 已解锁 1:45"; the countdown ticks each second while unlocked."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session = session_for(services)
        self.unlocked = ElidedLabel()
        self.unlocked.setStyleSheet("color: #b35900; font-weight: bold;")
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.session.changed.connect(self.refresh)
        subscribe(self, services, Change.SALES | Change.SETTINGS, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        person = self.session.person
        shift_id = self.session.shift_id()
        if person is not None:
            text = tr("Cashier: {name}").format(name=person.name)
        elif self.services.staff.has_cashiers():
            text = tr("Nobody signed in")
        else:
            text = ""
        if shift_id is not None:
            text = (text + "  ·  " if text else "") + tr("Shift {id} open").format(id=shift_id)
        self.setText(text)
        self.tick()

    def tick(self) -> None:
        left = int(guard.owner_seconds_left(self.services) + 0.999)
        if left <= 0:
            self.unlocked.setText("")
            self.unlocked.hide()
            return
        self.unlocked.setText(tr("Unlocked by the owner: {m}:{s:02d} left").format(m=left // 60, s=left % 60))
        self.unlocked.show()


def install_staff_status(window: QWidget, services: Services) -> StaffStatus:
    """Put both lines on the window's status bar (``window.add_status_widget``)."""
    status = StaffStatus(services, window)
    window.add_status_widget(status)  # type: ignore[attr-defined]
    window.add_status_widget(status.unlocked)  # type: ignore[attr-defined]
    return status
