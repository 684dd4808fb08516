"""Add / edit a member (phone, card, name, level, birthday, joined, note) and a member level (name,
level price %, points %, order, in use). The dialogs gather text; the rules are the members
service's (services/members), whose message shows in the dialog's red line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.clock import parse_day
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.hub import Services
from jxc_desktop.services.members.dto import LevelInput, MemberDTO, MemberInput, MemberLevelDTO
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.forms import error_label, save_cancel_buttons


class _FormDialog(QDialog):
    """``saved`` carries what the service stored."""

    saved = Signal(object)

    def _build(self, rows: list[tuple[str, QWidget]]) -> None:
        form = QFormLayout()
        for label, widget in rows:
            form.addRow(label, widget)
        self.error_label = error_label(hidden=True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(save_cancel_buttons(self))

    def _say(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _store(self, work: Callable[[], Any]) -> Any:
        got = run(self, work, inline=lambda exc: self._say(exc.message))
        if not got or got.value is None:
            return None
        self.saved.emit(got.value)
        return got.value

    def save(self) -> Any:  # pragma: no cover - overridden
        return None

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()


class MemberFormDialog(_FormDialog):
    def __init__(self, services: Services, member: MemberDTO | None = None, parent: QWidget | None = None,
                 *, phone: str = "") -> None:
        super().__init__(parent)
        self._services = services
        self.member = member
        self.setWindowTitle(tr("Edit member") if member else tr("New member"))
        self.setMinimumWidth(420)
        self.phone = QLineEdit(member.phone if member else phone)
        self.card = QLineEdit(member.card if member else "")
        self.name = QLineEdit(member.name if member else "")
        self.name.setPlaceholderText(tr("empty: made from the phone's last 4 digits"))
        self.level = QComboBox()
        for lv in services.members.levels(active_only=True):
            self.level.addItem(lv.name, lv.name)
        if member:
            if self.level.findData(member.level) < 0:  # a level no longer in use stays the member's
                self.level.addItem(member.level, member.level)
            self.level.setCurrentIndex(self.level.findData(member.level))
        self.birthday = QLineEdit(member.birthday.isoformat() if member and member.birthday else "")
        self.birthday.setPlaceholderText("YYYY-MM-DD")
        self.joined = QLineEdit(member.joined_on.isoformat() if member and member.joined_on else "")
        self.joined.setPlaceholderText(tr("empty: today"))
        self.note = QLineEdit(member.note if member else "")
        self._build([(tr("Phone"), self.phone), (tr("Card"), self.card), (tr("Name"), self.name),
                     (tr("Level"), self.level), (tr("Birthday"), self.birthday), (tr("Joined"), self.joined),
                     (tr("Note"), self.note)])
        self.phone.setFocus()

    def gather(self) -> MemberInput:
        birthday = parse_day(self.birthday.text()) if self.birthday.text().strip() else None
        joined = parse_day(self.joined.text()) if self.joined.text().strip() else None
        return MemberInput(self.phone.text(), self.card.text(), self.name.text(), str(self.level.currentData() or ""),
                           birthday, joined, self.note.text())

    def save(self) -> MemberDTO | None:
        try:
            data = self.gather()
        except JxcError as exc:
            self._say(exc.message)
            return None
        members, member = self._services.members, self.member
        return self._store(lambda: members.add(data) if member is None else members.update(member.id, data))


class LevelFormDialog(_FormDialog):
    def __init__(self, services: Services, level: MemberLevelDTO | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.level = level
        self.setWindowTitle(tr("Edit member level") if level else tr("New member level"))
        self.name = QLineEdit(level.name if level else "")
        self.price_pct = QSpinBox()
        self.price_pct.setRange(1, 100)
        self.price_pct.setSuffix(" %")
        self.price_pct.setValue(level.price_pct if level else 100)
        self.points_pct = QSpinBox()
        self.points_pct.setRange(0, 1000)
        self.points_pct.setSuffix(" %")
        self.points_pct.setValue(level.points_pct if level else 100)
        self.sort = QSpinBox()
        self.sort.setRange(-1000, 1000)
        self.sort.setValue(level.sort if level else 0)
        self.active = QCheckBox(tr("In use"))
        self.active.setChecked(level.active if level else True)
        self._build([(tr("Level name"), self.name), (tr("Price for products without a member price"), self.price_pct),
                     (tr("Points, in % of the shop's rate"), self.points_pct), (tr("Order"), self.sort),
                     ("", self.active)])
        self.name.setFocus()

    def save(self) -> MemberLevelDTO | None:
        data = LevelInput(self.name.text(), self.price_pct.value(), self.points_pct.value(), self.sort.value(),
                          self.active.isChecked())
        members, level = self._services.members, self.level
        return self._store(lambda: members.add_level(data) if level is None else members.update_level(level.id, data))
